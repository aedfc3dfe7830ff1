"""A person in distress or danger, spotted in a message, from nlu_data/distress.yml.

Runs first for every typed message: a cry for help gets the emergency numbers before any
other reading of the message (secret, number, button label, language model). It favours
recall: a false alarm costs one extra message; a miss can cost a life. Cheap: one compiled
regular expression per kind over the folded text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from bot.languages import check_languages
from bot.matching import fold
from rules_engine.yamlfile import DataFileError, line_of, load_model

# the NLU intent that is the second net behind the phrase lists
DISTRESS_INTENT = "distress"
# the order their numbers are shown in when several kinds are found
KINDS = ("suicide", "child", "women", "violence", "medical", "shelter", "urgent")
# the model said `distress`: the kind is not known, the most needed numbers are shown
UNKNOWN_KIND = "unknown"
# which lines of translations/<lang>/distress.yml each kind shows, first to last; the
# catch-all lines (112, SMS 114, listening line) always follow
LINES: dict[str, tuple[str, ...]] = {
    "suicide": ("suicide", "medical"),
    "child": ("child",),
    "women": ("women", "police"),
    "violence": ("police",),
    "medical": ("medical",),
    "shelter": ("shelter",),
    "urgent": ("medical", "police"),
    UNKNOWN_KIND: ("suicide", "medical", "police", "shelter"),
}
ALWAYS_LINES = ("emergency", "sms", "listening")


class LanguageDistress(BaseModel):
    model_config = ConfigDict(extra="forbid")

    suicide: list[str] = Field(min_length=1)
    child: list[str] = Field(min_length=1)
    women: list[str] = Field(min_length=1)
    violence: list[str] = Field(min_length=1)
    medical: list[str] = Field(min_length=1)
    shelter: list[str] = Field(min_length=1)
    urgent: list[str] = Field(min_length=1)
    # expressions that only look like distress ("mourir de rire"): their words are ignored
    not_: list[str] = Field(default_factory=list, alias="not")


class DistressFile(RootModel[dict[str, LanguageDistress]]):
    pass


def _word_pattern(word: str) -> str | None:
    """One word of a phrase: `*` at its start or end lets other letters be there."""
    before, after = word.startswith("*"), word.endswith("*")
    core = fold(word.strip("*"))
    if not core or " " in core:
        return None if not core else r"\s+".join(re.escape(w) for w in core.split())
    return ((r"\w*" if before else "") + re.escape(core) + (r"\w*" if after else ""))


def phrase_pattern(phrase: str) -> str | None:
    """The regular expression of a phrase on folded text; None when it has no letters."""
    parts = [_word_pattern(w) for w in phrase.split()]
    if not parts or any(p is None for p in parts):
        return None
    return r"\s+".join(p for p in parts if p is not None)


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    # longest first: "veut me tuer" is tried before "me tuer" at the same place
    ordered = sorted(set(patterns), key=len, reverse=True)
    return re.compile(r"(?<!\w)(?:" + "|".join(ordered) + r")(?!\w)")


@dataclass(frozen=True)
class Distress:
    """The compiled phrases of every language, per kind, and the false alarms."""

    kinds: dict[str, re.Pattern[str]] = field(default_factory=dict)
    false_alarms: re.Pattern[str] | None = None
    # the net behind the lists (bot/distress_model.py): given the folded message without
    # its `not:` expressions, says a message the lists did not catch is a cry for help all
    # the same (its kind is then not known). The conversation asks it where it asks the
    # language model, once a step's own answers (a number, a date, "I don't know", a
    # button's label) are ruled out: those are not cries for help.
    model: Callable[[str], bool] | None = None

    def kinds_in(self, text: str) -> list[str]:
        """The kinds of distress the message shows, in KINDS order; empty when none.

        Every language's phrases are looked for, whatever the user's language: people
        write in the language they can in a bad moment. A phrase found inside a longer
        phrase of another kind gives way to it ("il veut me tuer" is violence, not suicide).
        """
        folded = self.readable(text)
        if not folded:
            return []
        return self._listed_kinds(folded)

    def looks_alike(self, text: str) -> bool:
        """The message has a `not:` expression ("je suis menacé de radiation", "dying to
        start"): recognised as a look-alike, only the phrases judge it, not the models."""
        return self.false_alarms is not None and self.false_alarms.search(fold(text)) is not None

    def model_says(self, text: str) -> bool:
        """The binary model, if any, says the message is a cry for help (never for a
        look-alike: the model would judge what is left of it, "je suis")."""
        if self.model is None or self.looks_alike(text):
            return False
        folded = fold(text)
        return bool(folded) and self.model(folded)

    def readable(self, text: str) -> str:
        """The message folded, without the expressions that only look like distress."""
        folded = fold(text)
        if self.false_alarms is not None:
            folded = " ".join(self.false_alarms.sub(" ", folded).split())
        return folded

    def _listed_kinds(self, folded: str) -> list[str]:
        found: list[tuple[int, int, str]] = []
        for kind, pattern in self.kinds.items():
            found.extend((m.start(), m.end(), kind) for m in pattern.finditer(folded))
        kept = {kind for start, end, kind in found
                if not any(s <= start and end <= e and e - s > end - start and k != kind
                           for s, e, k in found)}
        return [kind for kind in KINDS if kind in kept]

    def detect(self, text: str) -> str | None:
        """The first kind of distress in the message, or None."""
        kinds = self.kinds_in(text)
        return kinds[0] if kinds else None


def lines_for(kinds: list[str]) -> list[str]:
    """The distress.* lines to show for these kinds, each once, the catch-all ones last."""
    lines: list[str] = []
    for kind in kinds:
        for line in LINES.get(kind, LINES[UNKNOWN_KIND]):
            if line not in lines:
                lines.append(line)
    return [*lines, *ALWAYS_LINES]


def read_distress(path: Path, languages: list[str]) -> Distress:
    """nlu_data/distress.yml, checked: exactly the guide's languages, every kind, and no
    phrase without letters; errors name the file and line."""
    table = load_model(DistressFile, path).root
    check_languages(path, table, languages, "phrases")
    per_kind: dict[str, list[str]] = {kind: [] for kind in KINDS}
    false_alarms: list[str] = []
    for lang, entry in table.items():
        lists = {kind: getattr(entry, kind) for kind in KINDS}
        lists["not"] = entry.not_
        for kind, phrases in lists.items():
            for index, phrase in enumerate(phrases):
                pattern = phrase_pattern(phrase)
                if pattern is None:
                    raise DataFileError(path, line_of(path, [lang, kind, index]),
                                        f"{lang}.{kind}.{index}: no letters in {phrase!r}")
                (false_alarms if kind == "not" else per_kind[kind]).append(pattern)
    compiled = {kind: p for kind, patterns in per_kind.items()
                if (p := _compile(patterns)) is not None}
    return Distress(compiled, _compile(false_alarms))
