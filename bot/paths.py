"""Where the project's data lives; overridable for tests and deployments."""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("GUIDE_ROOT", Path(__file__).resolve().parent.parent))


def dialogues_dir() -> Path:
    return ROOT / "dialogues"


def translations_dir() -> Path:
    return ROOT / "translations"


def nlu_data_dir() -> Path:
    return ROOT / "nlu_data"


def parameters_dir() -> Path:
    return ROOT / "rules_engine" / "parameters"


def stories_dir() -> Path:
    return ROOT / "tests" / "stories"


def cache_dir() -> Path:
    return Path(os.environ.get("GUIDE_CACHE_DIR", ROOT / ".cache"))
