"""How well distress is caught on held-back messages (tests/data/distress_heldout/<lang>.yml).

Recall on `distress` (the share of cries for help that get the emergency numbers) and the
false-alarm rate on `other` (ordinary messages that would get them), per language: by the
phrase lists alone, and with the language model's `distress` intent as a second net.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict

from bot.distress import DISTRESS_INTENT, Distress
from bot.nlu.types import IntentResult
from rules_engine.yamlfile import load_model


class HeldOutCry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    kind: str


class HeldOutFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    lang: str
    distress: list[HeldOutCry]
    other: list[str]


@dataclass
class Score:
    lang: str
    caught: int
    cries: int
    alarms: int
    others: int
    missed: list[str]
    false_alarms: list[str]

    @property
    def recall(self) -> float:
        return self.caught / self.cries if self.cries else 1.0

    @property
    def false_alarm_rate(self) -> float:
        return self.alarms / self.others if self.others else 0.0


def read_heldout(path: Path) -> HeldOutFile:
    return load_model(HeldOutFile, path)


def nlu_says_distress(result: IntentResult, threshold: float) -> bool:
    """The model gives `distress` at least `threshold`, first or not."""
    return any(name == DISTRESS_INTENT and confidence >= threshold
               for name, confidence in [(result.name, result.confidence), *result.ranking])


def nets_say_distress(distress: Distress, text: str, result: IntentResult | None,
                      threshold: float, veto: float) -> bool:
    """The nets behind the phrase lists: the language model's `distress` intent from
    `threshold`, then the binary model. Neither judges a recognised look-alike (a `not:`
    expression of nlu_data/distress.yml: "I'm dying to start working")."""
    if distress.looks_alike(text):
        return False
    if result is not None and nlu_says_distress(result, threshold):
        return True
    return model_net(distress, text, result, veto)


def model_net(distress: Distress, text: str, result: IntentResult | None,
              veto: float) -> bool:
    """The binary model says distress, unless the language model is sure (`veto` or more)
    the message is about another topic ("bring my wife and children to France" is family
    reunification): the third net must not override a clear reading of the message."""
    if result is not None and result.name != DISTRESS_INTENT and result.confidence >= veto:
        return False
    return distress.model_says(text)


def score(heldout: HeldOutFile, distress: Distress,
          parse: Callable[[str], IntentResult] | None = None, threshold: float = 1.1,
          veto: float = 1.1) -> Score:
    """A message counts as caught when the lists or the binary model (if `distress` has one)
    say distress; with `parse`, also when the language model does."""
    def flagged(text: str) -> bool:
        if distress.detect(text) is not None:
            return True
        result = parse(text) if parse is not None else None
        return nets_say_distress(distress, text, result, threshold, veto)

    missed = [c.text for c in heldout.distress if not flagged(c.text)]
    alarms = [t for t in heldout.other if flagged(t)]
    return Score(heldout.lang, len(heldout.distress) - len(missed), len(heldout.distress),
                 len(alarms), len(heldout.other), missed, alarms)
