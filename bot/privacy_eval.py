"""Measure bot/privacy.py on the corpus tests/data/privacy/<lang>.yml: secrets it must catch,
innocent messages it must leave alone (bench/privacy.py, tests/bot/test_privacy_corpus.py)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict

from rules_engine.yamlfile import load_model

SecretKind = Literal["password", "nir", "iban", "ft_id"]


class Line(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    kind: str


class Corpus(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: str
    secret: list[Line]
    innocent: list[Line]


@dataclass
class Score:
    lang: str
    secrets: int = 0
    caught: int = 0
    innocents: int = 0
    alarms: int = 0
    missed: list[Line] = field(default_factory=list)
    false_alarms: list[Line] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.caught / self.secrets if self.secrets else 1.0

    @property
    def precision(self) -> float:
        flagged = self.caught + self.alarms
        return self.caught / flagged if flagged else 1.0


def read_corpus(path: Path) -> Corpus:
    return load_model(Corpus, path)


def score(corpus: Corpus, detect: Callable[[str], bool]) -> Score:
    result = Score(corpus.lang, secrets=len(corpus.secret), innocents=len(corpus.innocent))
    for line in corpus.secret:
        if detect(line.text):
            result.caught += 1
        else:
            result.missed.append(line)
    for line in corpus.innocent:
        if detect(line.text):
            result.alarms += 1
            result.false_alarms.append(line)
    return result
