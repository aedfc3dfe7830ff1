"""A bare typed "yes" or "no" ("اي", "آره", "ага", "ok", "nan"), from nlu_data/yes_no.yml.

Two places need it, without asking the language model: after "Do you mean …?" a yes opens
the topic; at a question whose buttons are not yes/no ("which document?"), a bare "no" must
not press "❌ No document", whose one word it is: the guide asks for a button instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from bot.dialogue.schema import Step
from bot.languages import check_languages
from bot.matching import fold
from rules_engine.yamlfile import DataFileError, line_of, load_model

# French and English yes/no are understood whatever the user's language (as in dont_know)
ALWAYS = ("fr", "en")
# the option intents that make a question a yes/no one (dialogues/_global.yml)
YES_NO_INTENTS = frozenset({"affirm", "deny"})
_REPEATED = re.compile(r"(\w)\1+")


def squeeze(text: str) -> str:
    """Folded, with a letter typed several times kept once: "ouiii", "yess", "اييي"."""
    return _REPEATED.sub(r"\1", fold(text))


class LanguageYesNo(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # not `yes:`/`no:`, which YAML reads as true/false
    affirm: list[str] = Field(min_length=1)
    deny: list[str] = Field(min_length=1)


class YesNoFile(RootModel[dict[str, LanguageYesNo]]):
    pass


@dataclass(frozen=True)
class YesNo:
    """Per language, the squeezed whole answers that mean yes, and those that mean no."""

    yes: dict[str, frozenset[str]] = field(default_factory=dict)
    no: dict[str, frozenset[str]] = field(default_factory=dict)

    def said(self, text: str, lang: str | None) -> bool | None:
        """True for a bare yes, False for a bare no, None for anything else."""
        typed = squeeze(text)
        langs = {*ALWAYS, lang or ""}
        if any(typed in self.yes.get(code, ()) for code in langs):
            return True
        if any(typed in self.no.get(code, ()) for code in langs):
            return False
        return None


def asks_yes_no(step: Step) -> bool:
    """A question one answers with yes or no (its buttons press `affirm` / `deny`)."""
    return any(option.intent in YES_NO_INTENTS for option in step.options)


def read_yes_no(path: Path, languages: list[str]) -> YesNo:
    """nlu_data/yes_no.yml, checked: every language, letters in each answer, and no answer
    that is a yes and a no where both lists apply (a language with French and English)."""
    table = load_model(YesNoFile, path).root
    check_languages(path, table, languages, "affirm and deny answers")
    yes: dict[str, frozenset[str]] = {}
    no: dict[str, frozenset[str]] = {}
    for lang, entry in table.items():
        for side, answers in (("affirm", entry.affirm), ("deny", entry.deny)):
            for index, answer in enumerate(answers):
                if not fold(answer):
                    raise DataFileError(path, line_of(path, [lang, side, index]),
                                        f"{lang}.{side}.{index}: no letters in {answer!r}")
        yes[lang] = frozenset(squeeze(a) for a in entry.affirm)
        no[lang] = frozenset(squeeze(a) for a in entry.deny)
    for lang, entry in table.items():
        langs = {*ALWAYS, lang}
        both_ways = set().union(*(yes[c] for c in langs if c in yes)) & set().union(
            *(no[c] for c in langs if c in no))
        for index, answer in enumerate(entry.affirm):
            if squeeze(answer) in both_ways:
                raise DataFileError(path, line_of(path, [lang, "affirm", index]),
                                    f"{lang}.affirm.{index}: {answer!r} is also a no "
                                    f"(in {lang}, French or English)")
    return YesNo(yes, no)
