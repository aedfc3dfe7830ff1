"""Greetings and thanks around a question ("bonjour je suis radié", "hi … thanks"), from
nlu_data/courtesy.yml.

The language model reads "السلام عليكم نسيت كلمة السر" as a greeting: the greeting pulls the
message towards `greet`, and the user gets the menu instead of an answer. The conversation
core asks this module what the message asks once the courtesy words at its start and end are
taken off; a message that is only courtesy ("bonjour madame", "merci") is read whole.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from bot.dialogue.loader import Dialogues
from bot.distress import DISTRESS_INTENT
from bot.languages import check_languages
from bot.matching import fold
from bot.nlu.types import FALLBACK_INTENT, IntentResult, NluBackend
from rules_engine.yamlfile import DataFileError, line_of, load_model

# French and English courtesy is understood whatever the user's language ("salam, merci")
ALWAYS = ("fr", "en")
LISTS = ("greetings", "thanks", "fillers")
# as in bot/conversation.py: the directory of where else to ask, not a topic of the guide
OUT_OF_SCOPE_INTENT = "out_of_scope"


class LanguageCourtesy(BaseModel):
    model_config = ConfigDict(extra="forbid")

    greetings: list[str] = Field(min_length=1)
    thanks: list[str] = Field(min_length=1)
    fillers: list[str] = Field(default_factory=list)


class CourtesyFile(RootModel[dict[str, LanguageCourtesy]]):
    pass


def _is_word_char(char: str) -> bool:
    # what bot.matching.fold keeps inside a word: letters, digits, accents, the zero-width
    # non-joiner of Persian, and apostrophes ("j'ai" is one word, "jai")
    return char in "'’" or unicodedata.category(char)[0] in "LNM" or (
        unicodedata.category(char) == "Cf")


def _tokens(text: str) -> list[tuple[int, int, str]]:
    """The words of the text: start, end in the text, and the word folded."""
    found: list[tuple[int, int, str]] = []
    start: int | None = None
    for index, char in enumerate([*text, " "]):
        if _is_word_char(char):
            start = index if start is None else start
        elif start is not None:
            folded = fold(text[start:index])
            if folded:
                found.append((start, index, folded))
            start = None
    return found


@dataclass(frozen=True)
class Courtesy:
    """Per language, the folded courtesy phrases, each as a tuple of words."""

    phrases: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)

    def _for(self, lang: str | None) -> frozenset[tuple[str, ...]]:
        return frozenset().union(*(self.phrases.get(code, frozenset())
                                   for code in {*ALWAYS, lang or ""}))

    def question(self, text: str, lang: str | None) -> str | None:
        """What the message says once the courtesy at its start and end is taken off, in
        the user's own spelling; None when nothing was taken off, or nothing is left (a
        bare greeting or thank-you, to be read whole)."""
        phrases = self._for(lang)
        if not phrases:
            return None
        longest = max(len(p) for p in phrases)
        tokens = _tokens(text)
        words = [word for _, _, word in tokens]
        first, last = 0, len(words)

        def match(start: int, end: int) -> bool:
            return start >= first and end <= last and tuple(words[start:end]) in phrases

        # the longest phrase first: "salam alaykoum" whole, not "salam" then "alaykoum"
        while first < last:
            size = next((n for n in range(longest, 0, -1) if match(first, first + n)), 0)
            if not size:
                break
            first += size
        while first < last:
            size = next((n for n in range(longest, 0, -1) if match(last - n, last)), 0)
            if not size:
                break
            last -= size
        if first >= last or (first == 0 and last == len(words)):
            return None
        # the question as typed (accents, apostrophes, its question mark when nothing
        # followed it): the language model was trained on such text
        end = len(text) if last == len(words) else tokens[last - 1][1]
        return text[tokens[first][0]:end].strip()


def understood(intent: IntentResult, act: float, floor: float, dialogues: Dialogues) -> bool:
    """The core would act on this intent, or ask "Do you mean …?" about its topic (never
    about small talk): the same levels as Conversation._understand and _fallback.

    Never a cry for help: the distress nets read the whole message themselves, and a short
    rest misleads the language model ("мене звати Оксана", my name is Oksana: distress 0.76)."""
    if intent.name in (FALLBACK_INTENT, DISTRESS_INTENT):
        return False
    flow = dialogues.flow_for_intent(intent.name)
    return intent.confidence >= act or (
        intent.confidence >= floor and flow is not None
        and flow.flow not in dialogues.config.small_talk)


def _topic(intent: IntentResult, act: float, dialogues: Dialogues) -> bool:
    """Sure, alone, of a topic of the guide (not small talk, not the out-of-scope list)."""
    flow = dialogues.flow_for_intent(intent.name)
    return (intent.confidence >= act and flow is not None and intent.name != OUT_OF_SCOPE_INTENT
            and intent.name != DISTRESS_INTENT and flow.flow not in dialogues.config.small_talk)


async def parse_question(nlu: NluBackend, courtesy: Courtesy, text: str, lang: str | None,
                         act: float, floor: float, dialogues: Dialogues) -> IntentResult:
    """The intent of the message, read past the greetings and thanks around it.

    What is left is believed when the language model had already seen it in the whole
    message, behind the greeting (its intent is at least a guess there, `floor`) and
    understands it alone; or when it is, alone, sure of a topic of the guide ("hi there,
    good morning, how are you? registration please"). Otherwise the whole message is read,
    as before: "hello, I am new here", "привіт, мене звати Оксана" (hi, my name is Oksana)
    are greetings, not questions; "огромное спасибо за помощь" (thanks a lot for the help)
    is a thank-you, not a request for help."""
    whole = await nlu.parse(text, lang)
    rest = courtesy.question(text, lang)
    if rest is None:
        return whole
    intent = await nlu.parse(rest, lang)
    seen = dict(whole.ranking or [(whole.name, whole.confidence)]).get(intent.name, 0.0)
    if (seen >= floor and understood(intent, act, floor, dialogues)) or _topic(intent, act,
                                                                            dialogues):
        return intent
    return whole


def read_courtesy(path: Path, languages: list[str]) -> Courtesy:
    """nlu_data/courtesy.yml, checked: exactly the guide's languages, no empty phrase."""
    table = load_model(CourtesyFile, path).root
    check_languages(path, table, languages, "greetings")
    phrases: dict[str, frozenset[tuple[str, ...]]] = {}
    for lang, entry in table.items():
        found: set[tuple[str, ...]] = set()
        for kind in LISTS:
            for index, phrase in enumerate(getattr(entry, kind)):
                words = tuple(fold(str(phrase)).split())
                if not words:
                    raise DataFileError(path, line_of(path, [lang, kind, index]),
                                        f"{lang}.{kind}.{index}: no letters in {phrase!r}")
                found.add(words)
        phrases[lang] = frozenset(found)
    return Courtesy(phrases)
