"""Trained models cached on disk, one file per version of the data they were trained on.

The intent model and the distress model share this: a cache file that cannot be read is
rebuilt, a new file is written atomically, and the files of older data are removed.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import joblib

log = logging.getLogger(__name__)

T = TypeVar("T")


def load_cached(path: Path, build: Callable[[Any], T]) -> T | None:
    """The model built from the cache file, or None when there is none or it is unreadable."""
    if not path.exists():
        return None
    try:
        return build(joblib.load(path))
    except Exception:  # a truncated or foreign cache file is simply rebuilt
        log.warning("model cache %s unreadable, retraining", path.name)
        return None


def store_cached(path: Path, content: Any, family: str) -> None:
    """Write `content` to `path` and remove the other files of the family (`family-*.joblib`)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # one temporary file per process: two trainings at once must not move each other's file
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    joblib.dump(content, temporary)
    temporary.replace(path)  # atomic: a crash never leaves half a model
    for old in path.parent.glob(f"{family}-*.joblib"):
        if old != path:
            old.unlink(missing_ok=True)
