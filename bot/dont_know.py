"""Typed "I don't know" answers ("مش عارف", "jsp", "хз"), from nlu_data/dont_know.yml.

At a question with buttons, the language model reads such answers as `deny` (they contain a
negation), and "No" would be pressed: wrong guidance. The conversation core asks this module
first, and presses the "🤷 I don't know" button instead.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from bot.languages import check_languages
from bot.matching import fold
from rules_engine.yamlfile import DataFileError, line_of, load_model

# the `intent` of the options such an answer presses (dialogues/*.yml); not an NLU intent
DONT_KNOW_INTENT = "dont_know"
# French and English phrases are understood whatever the user's language: many type them
# after years of exile, or copy them from their papers
ALWAYS = ("fr", "en")
# "honestly i dont know", "je sais pas trop": a few words around the phrase, never a sentence
MAX_AROUND = 2


class LanguagePhrases(BaseModel):
    model_config = ConfigDict(extra="forbid")

    phrases: list[str] = Field(min_length=1)
    fillers: list[str] = Field(default_factory=list)


class DontKnowFile(RootModel[dict[str, LanguagePhrases]]):
    pass


@dataclass(frozen=True)
class DontKnow:
    """Per language, the folded phrases (as word tuples) and the folded filler words."""

    phrases: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)
    fillers: dict[str, frozenset[str]] = field(default_factory=dict)

    def _for(self, lang: str | None) -> tuple[frozenset[tuple[str, ...]], frozenset[str]]:
        langs = {*ALWAYS, lang or ""}
        phrases = frozenset().union(*(self.phrases.get(code, frozenset()) for code in langs))
        fillers = frozenset().union(*(self.fillers.get(code, frozenset()) for code in langs))
        return phrases, fillers

    def _occurrences(self, words: list[str], lang: str | None
                     ) -> list[tuple[tuple[str, ...], list[str]]]:
        """Each phrase found as whole consecutive words, with the words left around it."""
        phrases, _ = self._for(lang)
        found: list[tuple[tuple[str, ...], list[str]]] = []
        for phrase in phrases:
            size = len(phrase)
            for start in range(len(words) - size + 1):
                if tuple(words[start:start + size]) == phrase:
                    found.append((phrase, words[:start] + words[start + size:]))
        return found

    def answers(self, text: str, lang: str | None) -> bool:
        """The whole message means "I don't know": a phrase, alone or with at most
        MAX_AROUND filler words around it ("honestly i dont know", "والله ما بعرف")."""
        words = fold(text).split()
        if not words:
            return False
        _, fillers = self._for(lang)
        return any(len(rest) <= MAX_AROUND and all(w in fillers for w in rest)
                   for _, rest in self._occurrences(words, lang))

    def mentioned(self, text: str, lang: str | None) -> bool:
        """A phrase appears somewhere in the message ("I don't know my password")."""
        return bool(self._occurrences(fold(text).split(), lang))


def read_dont_know(path: Path, languages: list[str]) -> DontKnow:
    """nlu_data/dont_know.yml, checked: exactly the guide's languages, no empty list."""
    table = load_model(DontKnowFile, path).root
    check_languages(path, table, languages, "phrases")
    phrases: dict[str, frozenset[tuple[str, ...]]] = {}
    fillers: dict[str, frozenset[str]] = {}
    for lang, entry in table.items():
        for index, phrase in enumerate(entry.phrases):
            if not fold(phrase):
                raise DataFileError(path, line_of(path, [lang, "phrases", index]),
                                    f"{lang}.phrases.{index}: no letters in {phrase!r}")
        phrases[lang] = frozenset(tuple(fold(p).split()) for p in entry.phrases)
        fillers[lang] = frozenset(w for f in entry.fillers for w in fold(f).split())
    return DontKnow(phrases, fillers)
