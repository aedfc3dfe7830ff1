"""The secret detector on the corpus tests/data/privacy/<lang>.yml (written apart from it):
no false alarm on a sentence about a password, and no more false alarms or missed secrets
than measured (bench/privacy.py). The target of the issue: 0 false alarms, ≤ 2 % missed."""

from __future__ import annotations

from pathlib import Path

from bot.privacy import looks_secret
from bot.privacy_eval import read_corpus, score

CORPUS = Path(__file__).resolve().parent.parent / "data" / "privacy"
LANGUAGES = ["fr", "en", "ar", "fa", "ps", "ru", "uk", "ti"]
# measured by bench/privacy.py (first measurement, before tuning: 6 false alarms, 22 missed
# of 320; after generalising the cue and link words: 0 and 1). Lower them, never raise them
MAX_FALSE_ALARMS = 0
MAX_MISSED = 1


def test_the_corpus_covers_every_language() -> None:
    assert sorted(p.stem for p in CORPUS.glob("*.yml")) == sorted(LANGUAGES)


def test_no_false_alarm_on_a_sentence_about_a_password() -> None:
    alarms = [line.text for lang in LANGUAGES
              for line in read_corpus(CORPUS / f"{lang}.yml").innocent
              if line.kind == "password_talk" and looks_secret(line.text)]
    assert alarms == []


def test_false_alarms_and_misses_stay_at_most_as_measured() -> None:
    scores = [score(read_corpus(CORPUS / f"{lang}.yml"), looks_secret) for lang in LANGUAGES]
    assert sum(s.alarms for s in scores) <= MAX_FALSE_ALARMS
    assert sum(len(s.missed) for s in scores) <= MAX_MISSED
