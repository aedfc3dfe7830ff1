"""What a free-text message already says, for the flow it opens.

"I missed my appointment yesterday" answers "has the appointment passed?"; "I'm a refugee,
I only have the récépissé" answers the status and the document; "j'ai travaillé 910h" the
unit and the hours. Which step each fact answers is data (`from_message:` in dialogues/),
the words that say each fact per language too (nlu_data/slots.yml); dates are read by
bot/days_said.py, numbers and their units by bot/numbers.py.

A fact is read only from strong words, in a part of the message without a negation, and
a step whose entries give two different answers is left to be asked.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from bot.days_said import Words, day_named
from bot.dialogue.loader import Dialogues
from bot.dialogue.schema import DateWhen, Flow, FromMessage, Scalar, Step
from bot.languages import check_languages
from bot.matching import best_option, fold
from bot.nlu.types import IntentResult, NluBackend
from bot.numbers import Quantity, Units
from bot.state import Told
from rules_engine.yamlfile import DataFileError, line_of, load_model

# French and English words are read in every language (papers and chat are often in French)
ALWAYS = ("fr", "en")
# the label of an answer that is a typed number (engine: shown as the number)
NUMBER_LABEL = "#"
# parts of a message: between these marks, or a joiner word
_MARKS = re.compile(r"[,;.!?؟،\n]+")
_TOKENS = re.compile(r"\S+")
# "…? …?": two sentences asked, whatever their words
_QUESTION_MARKS = ("?", "؟")


class LanguageSlots(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cues: dict[str, list[str]] = Field(default_factory=dict)
    joiners: list[str] = Field(default_factory=list)
    questions: list[str] = Field(default_factory=list)
    dates: dict[int, list[str]] = Field(default_factory=dict)


class SlotsFile(RootModel[dict[str, LanguageSlots]]):
    pass


@dataclass(frozen=True)
class Heard:
    """What one message says, in the terms of `from_message:`."""

    cues: frozenset[str]
    when: DateWhen
    quantity: Quantity | None
    parts: tuple[str, ...]


def _phrases(words: list[str]) -> frozenset[Words]:
    return frozenset(tuple(fold(w).split()) for w in words if fold(w))


@dataclass(frozen=True)
class SlotReader:
    cues: dict[str, dict[Words, str]] = field(default_factory=dict)
    joiners: dict[str, frozenset[str]] = field(default_factory=dict)
    questions: dict[str, frozenset[Words]] = field(default_factory=dict)
    dates: dict[str, dict[Words, int]] = field(default_factory=dict)
    units: Units = field(default_factory=Units)
    negations: dict[str, frozenset[str]] = field(default_factory=dict)
    # per language, the cue phrases by their first word: a message is read in one pass
    starts: dict[str, dict[str, tuple[Words, ...]]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for lang, phrases in self.cues.items():
            index: dict[str, list[Words]] = {}
            for phrase in phrases:
                index.setdefault(phrase[0], []).append(phrase)
            self.starts[lang] = {word: tuple(found) for word, found in index.items()}

    # ---- reading the message -----------------------------------------------------------

    def _langs(self, lang: str) -> tuple[str, ...]:
        return (lang, *(code for code in ALWAYS if code != lang))

    def parts(self, text: str, lang: str) -> list[list[str]]:
        """The folded words of each part of the message: between commas, "and", "but"."""
        joiners = frozenset().union(*(self.joiners.get(c, frozenset()) for c in self._langs(lang)))
        found: list[list[str]] = []
        for piece in _MARKS.split(text):
            current: list[str] = []
            for word in fold(piece).split():
                if word in joiners and current:
                    found.append(current)
                    current = []
                else:
                    current.append(word)
            if current:
                found.append(current)
        return found

    def _cues_in(self, words: list[str], lang: str) -> Iterator[str]:
        negations = frozenset().union(*(self.negations.get(c, frozenset())
                                        for c in self._langs(lang)))
        for code in self._langs(lang):
            starting = self.starts.get(code, {})
            for start, word in enumerate(words):
                for phrase in starting.get(word, ()):
                    size = len(phrase)
                    if tuple(words[start:start + size]) != phrase:
                        continue
                    # "je ne suis pas réfugié": a negation outside the cue's own words
                    # ("peux pas venir" has its own) unsays it
                    outside = words[:start] + words[start + size:]
                    if not negations & set(outside):
                        yield self.cues[code][phrase]

    def hear(self, text: str, lang: str, today: date) -> Heard:
        parts = self.parts(text, lang)
        cues = frozenset(cue for words in parts for cue in self._cues_in(words, lang))
        ours: dict[Words, int] = {}
        for code in self._langs(lang):
            for phrase, offset in self.dates.get(code, {}).items():
                ours.setdefault(phrase, offset)
        return Heard(cues=cues, when=day_named(text, lang, today, ours),
                     quantity=self.units.parse(text, lang),
                     parts=tuple(" ".join(words) for words in parts))

    # ---- answers for a flow ------------------------------------------------------------

    def told(self, flow: Flow, text: str, lang: str, today: date,
             labels: Callable[[str], list[str]]) -> dict[str, Told]:
        """slot → the answer `text` gives to a question of `flow`; quick when it has none
        (no step reads messages, no cue, no number)."""
        if not any(step.from_message for step in flow.steps.values()):
            return {}
        return self.answers(flow, self.hear(text, lang, today), labels, lang)

    def answers(self, flow: Flow, heard: Heard,
                labels: Callable[[str], list[str]], lang: str) -> dict[str, Told]:
        """slot → the answer the message gives, for each step of `flow` it clearly answers.
        `labels(key)` gives a button's label in the user's language and in French."""
        found: dict[str, Told] = {}
        for step in flow.steps.values():
            if not step.from_message or step.slot is None or step.slot in found:
                continue
            answers = {told.model_dump_json(): told for entry in step.from_message
                       if (told := self._entry(step, entry, heard, labels, lang)) is not None}
            if len(answers) == 1:
                found[step.slot] = next(iter(answers.values()))
        return found

    def _entry(self, step: Step, entry: FromMessage, heard: Heard,
               labels: Callable[[str], list[str]], lang: str) -> Told | None:
        if entry.said and not heard.cues & set(entry.said):
            return None
        if entry.date and heard.when not in entry.date:
            return None
        quantity = heard.quantity
        if entry.unit and (quantity is None or quantity.unit not in entry.unit):
            return None
        if entry.number:
            if quantity is None or quantity.unit != entry.number or step.input is None:
                return None
            value = int(quantity.value)
            inside = step.input.min <= value <= step.input.max
            return Told(value=value, label=NUMBER_LABEL) if inside else None
        chosen: Scalar = entry.value
        if entry.labels:
            named = self._named_option(step, heard, labels, lang)
            if named is None or named not in entry.labels:
                return None
            chosen = named
        for option in step.options:
            if option.value == chosen:
                return Told(value=chosen, label=option.label)
        return None

    def _named_option(self, step: Step, heard: Heard, labels: Callable[[str], list[str]],
                      lang: str) -> Scalar:
        """The option whose label one part of the message names ("I only have the
        récépissé"), as if typed at the question; two parts naming two: none."""
        negations = frozenset().union(*(self.negations.get(c, frozenset())
                                        for c in self._langs(lang)))
        texts = [labels(option.label) for option in step.options]
        # fuzzy label matching is slow (difflib): only parts sharing a real word with a label
        # are matched; a typo alone is not a strong enough cue to answer for the user
        words = _label_words(tuple(t for versions in texts for t in versions))
        named: set[int] = set()
        for part in heard.parts:
            if not words & set(part.split()):
                continue
            for version in range(max(len(t) for t in texts)):
                index = best_option(part, [t[min(version, len(t) - 1)] for t in texts],
                                    negations)
                if index is not None:
                    named.add(index)
                    break
        if len(named) != 1:
            return None
        return step.options[named.pop()].value

    # ---- a second question ---------------------------------------------------------------

    def split_question(self, text: str, lang: str) -> tuple[str, str] | None:
        """"… can I register and what do I bring?": the two questions, at the joiner
        followed by a question word (or a question word after a "?"); None for one."""
        joiners = frozenset().union(*(self.joiners.get(c, frozenset()) for c in self._langs(lang)))
        questions = frozenset().union(*(self.questions.get(c, frozenset())
                                        for c in self._langs(lang)))
        tokens = list(_TOKENS.finditer(text))
        folded = [fold(t.group()) for t in tokens]
        for index in range(1, len(tokens) - 1):
            word = folded[index]
            after = tuple(" ".join(folded[index + 1:index + 3]).split())
            glued = ""
            if len(word) > 1 and word[0] in joiners and len(word[0]) == 1:
                glued = word[1:]  # Arabic "وماذا": the joiner is written on the word
            asked_before = tokens[index - 1].group().endswith(_QUESTION_MARKS)
            starts = (word in joiners and _begins(after, questions)) or (
                bool(glued) and _begins((glued, *after), questions)) or (
                asked_before and (_begins((word, *after), questions)
                                  or text.rstrip().endswith(_QUESTION_MARKS)))
            if starts and index >= 2:
                # the joiner belongs to neither question, unless written on the word
                second = index + 1 if word in joiners else index
                return (text[:tokens[index].start()].strip(),
                        text[tokens[second].start():].strip())
        return None


# a shared word shorter than this ("de", "du", "of") says nothing of which label is meant
_LABEL_WORD = 4


@functools.lru_cache(maxsize=256)
def _label_words(texts: tuple[str, ...]) -> frozenset[str]:
    return frozenset(w for text in texts for w in fold(text).split() if len(w) >= _LABEL_WORD)


def _begins(words: Words, phrases: frozenset[Words]) -> bool:
    return any(words[:len(p)] == p for p in phrases)


def read_slots(path: Path, languages: list[str], units: Units | None = None,
               negations: dict[str, frozenset[str]] | None = None) -> SlotReader:
    """nlu_data/slots.yml, checked: the guide's languages, no phrase naming two cues."""
    table = load_model(SlotsFile, path).root
    check_languages(path, table, languages, "slot words")
    cues: dict[str, dict[Words, str]] = {}
    for lang, entry in table.items():
        mine: dict[Words, str] = {}
        for cue, phrases in entry.cues.items():
            for index, phrase in enumerate(phrases):
                words = tuple(fold(phrase).split())
                if not words or mine.get(words, cue) != cue:
                    raise DataFileError(path, line_of(path, [lang, "cues", cue, index]),
                                        f"{lang}.{cue}: {phrase!r} is empty or another cue's")
                mine[words] = cue
        cues[lang] = mine
    return SlotReader(
        cues=cues,
        joiners={lang: frozenset(fold(w) for w in e.joiners) for lang, e in table.items()},
        questions={lang: _phrases(e.questions) for lang, e in table.items()},
        dates={lang: {words: offset for offset, phrases in e.dates.items()
                      for words in _phrases(phrases)} for lang, e in table.items()},
        units=units or Units(), negations=negations or {})


async def topics_in_order(nlu: NluBackend, dialogues: Dialogues, reader: SlotReader,
                          text: str, lang: str, whole: IntentResult,
                          act: float) -> tuple[IntentResult, str | None]:
    """The topic to open and the flow of a second question to offer after it; each part
    of the message is read by the model once.

    Two questions the model reads clearly apart, each a topic of the menu, are answered in
    the order asked ("can I register, and what do I bring?": eligibility, then the papers),
    whatever the whole message leans to. Otherwise the whole message's topic comes first,
    and a part the model reads, alone, as surely as it must to open a topic, as another
    topic of the menu, is the second ("out of scope" or small talk is no second question)."""
    halves = reader.split_question(text, lang) if whole.confidence >= act else None
    if halves is None:
        return whole, None
    reads = [await nlu.parse(half, lang) for half in halves]
    flows = [dialogues.flow_for_intent(r.name) if r.confidence >= act else None
             for r in reads]
    menu = [f for f in flows if f is not None and f.menu is not None]
    if len(menu) == 2 and menu[0].flow != menu[1].flow:
        return reads[0], menu[1].flow
    opened = dialogues.flow_for_intent(whole.name)
    if opened is None:
        return whole, None
    # the second part is most often the other question; the first, when the model read
    # the whole message as the second's topic
    for flow in reversed(flows):
        if flow is not None and flow.menu is not None and flow.flow != opened.flow:
            return whole, flow.flow
    return whole, None


# message keys the engine says for told answers (checked by `guide lint`)
SLOT_KEYS = ("slots.noted", "slots.also_asked")


def check_cues(dialogues: Dialogues, reader: SlotReader, path: Path) -> Iterator[DataFileError]:
    """Every cue a flow's `from_message:` names is in nlu_data/slots.yml, in French."""
    known = set(reader.cues.get("fr", {}).values())
    for name, flow in dialogues.flows.items():
        for step_name, step in flow.steps.items():
            for entry in step.from_message:
                for cue in set(entry.said) - known:
                    yield DataFileError(dialogues.files[name], line_of(
                        dialogues.files[name], ["steps", step_name, "from_message"]),
                        f"steps.{step_name}.from_message: cue '{cue}' is not in {path.name}")
