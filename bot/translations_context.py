"""What a translator needs beside the French: which keys are button labels and how long
they may be (translations/limits.yml), and the glossary terms of an entry."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, PositiveInt

from bot import paths
from bot.dialogue.loader import load_dialogues
from bot.i18n import Text
from rules_engine.yamlfile import load_model

LIMITS_FILE = "limits.yml"


class Limits(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    button_label: int = Field(gt=0)
    refuse_over: float = Field(ge=1)
    # language -> the most characters one message may hold (bot/budget.py)
    message_chars: dict[str, PositiveInt] = Field(default_factory=dict)


def read_limits(root: Path) -> Limits | None:
    path = root / LIMITS_FILE
    return load_model(Limits, path) if path.exists() else None


@functools.lru_cache(maxsize=4)
def _labels(folder: Path) -> frozenset[str]:
    dialogues = load_dialogues(folder)
    found = set()
    for flow in dialogues.flows.values():
        found.add(flow.label)
        for step in flow.steps.values():
            found |= {option.label for option in step.options}
            found |= {link.label for link in step.buttons}
    return frozenset(found)


def button_labels(dialogues: Path | None = None) -> frozenset[str]:
    """Every message key shown on a button by a dialogue."""
    return _labels(dialogues or paths.dialogues_dir())


def label_limit(limits: Limits, french: Text) -> int:
    shown = french if isinstance(french, str) else french["other"]
    return max(limits.button_label, len(shown))


def too_long(limits: Limits, french: Text, text: Text) -> tuple[int, int] | None:
    """(length, limit) when a label translation is longer than its limit."""
    limit = label_limit(limits, french)
    forms = [text] if isinstance(text, str) else list(text.values())
    longest = max(len(form) for form in forms)
    return (longest, limit) if longest > limit else None
