"""The held-back NLU sets (tests/data/nlu_heldout/ and nlu_heldout_new/) measure the model on
messages it never saw: a line that, folded, is also a training line inflates the accuracy, and
an intent with a handful of lines gives a figure that one message swings (issue 9).

Every language's sets were rebuilt apart from nlu_data/ on 2026-12-04.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bot import paths
from bot.matching import fold
from bot.nlu.data import read_examples

DATA = Path(__file__).parents[2] / "data"
HELDOUT_DIRS = ("nlu_heldout", "nlu_heldout_new")
LANGUAGES = ["fr", "en", "ar", "fa", "ps", "ru", "uk", "ti"]
MIN_PER_INTENT = 15


def _heldout(lang: str) -> list[tuple[str, str]]:
    return [(e.intent, e.text) for folder in HELDOUT_DIRS
            for e in read_examples(DATA / folder / f"{lang}.yml", lang)]


@pytest.fixture(scope="module")
def training() -> set[str]:
    # every language: a line copied from another language's file is a leak too
    return {fold(e.text) for path in sorted(paths.nlu_data_dir().glob("*/*.yml"))
            for e in read_examples(path)}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_heldout_line_is_a_training_line(training: set[str], lang: str) -> None:
    leaked = [text for _, text in _heldout(lang) if fold(text) in training]
    assert leaked == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_heldout_line_is_counted_twice(lang: str) -> None:
    counts = Counter(fold(text) for _, text in _heldout(lang))
    assert [text for text, n in counts.items() if n > 1] == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_intent_has_enough_heldout_lines(lang: str) -> None:
    intents = {e.intent for path in sorted((paths.nlu_data_dir() / lang).glob("*.yml"))
               for e in read_examples(path)}
    counts = Counter(intent for intent, _ in _heldout(lang))
    assert {i: counts[i] for i in sorted(intents) if counts[i] < MIN_PER_INTENT} == {}
