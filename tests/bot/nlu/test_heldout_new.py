"""The intents added for the new topics (missed update, payments stopped, RSA, young people,
French courses, AGIR, diploma, interpreter, disability, bank account, lost account access),
on messages written apart from nlu_data/ by someone who never saw it
(tests/data/nlu_heldout_new/, 12 per intent and language).

The floors sit about four points under what was measured (132 lines: one line is 0.8 point)
on 2026-12-04, after the training examples written from the intent definitions (issue 9):
fr 94.7, en 92.4, ar 86.4, fa 85.6, ps 95.5, ru 93.2, uk 97.7, ti 95.5 % (the morning's
figures were fr 86.4, en 85.6, ar 75.8, fa 78.8, ps 86.4, ru 80.3, uk 79.5, ti 78.8 %). They
guard against a regression; the goal is 95 % in every language.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import paths
from bot.matching import fold
from bot.nlu.data import read_examples
from bot.nlu.embedded import EmbeddedNlu
from bot.nlu.evaluate import report, score

HELDOUT = Path(__file__).parents[2] / "data" / "nlu_heldout_new"
FLOORS = {"fr": 0.90, "en": 0.88, "ar": 0.82, "fa": 0.81, "ps": 0.91, "ru": 0.89,
          "uk": 0.93, "ti": 0.91}


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_new_topics_heldout_accuracy_floor(nlu: EmbeddedNlu, lang: str) -> None:
    examples = read_examples(HELDOUT / f"{lang}.yml", lang)
    assert len(examples) == 11 * 12
    result = report(asyncio.run(score(nlu, examples, nlu.settings.threshold)))
    assert result["accuracy"] >= FLOORS[lang], result["confusions"][:10]


def test_no_new_topics_heldout_line_is_in_nlu_data() -> None:
    training = {fold(e.text) for path in sorted(paths.nlu_data_dir().glob("*/*.yml"))
                for e in read_examples(path)}
    leaked = [e.text for path in sorted(HELDOUT.glob("*.yml"))
              for e in read_examples(path, path.stem) if fold(e.text) in training]
    assert leaked == []
