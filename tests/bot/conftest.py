"""Fixtures of the tests of bot/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import paths

ROOT = Path(__file__).parents[2]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's data files that a test may break: the guide reads it instead."""
    for folder in ("dialogues", "translations", "nlu_data", "rules_engine"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    return tmp_path
