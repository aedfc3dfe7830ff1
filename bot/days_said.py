"""The day a message names ("hier", "вчера", "tomorrow", "mardi"), as past, today or future.

dateparser reads the day words of its own data for the guide's 8 languages; it is slow
(tens of ms the first time a language is used, about 1 ms after), so it is called only on a
word its data lists as a day (yesterday, tomorrow, a weekday), never on the whole message.
Spoken forms it lacks ("امبارح", "بكرة") are ours, in nlu_data/slots.yml (`dates`).
"""

from __future__ import annotations

import functools
import importlib
import re
from collections.abc import Mapping
from datetime import date, datetime

from bot.dialogue.schema import DateWhen
from bot.matching import fold

# dateparser's keys for whole days before or after today ("1 day ago", "in 2 day")
_DAY_KEY = re.compile(r"^(\d) day ago$|^in (\d) day$")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# short weekday forms ("je", "mer", "sam") are everyday words: only full names are read
_MIN_WEEKDAY = 5

Words = tuple[str, ...]


@functools.lru_cache(maxsize=16)
def dateparser_words(lang: str) -> dict[Words, str]:
    """Folded day words of dateparser's data for `lang` → the word as dateparser spells it."""
    module = f"dateparser.data.date_translation_data.{lang}"
    try:
        info = importlib.import_module(module).info
    except ModuleNotFoundError as missing:
        if missing.name != module:
            raise  # dateparser itself is missing: a broken install, not a language it lacks
        return {}
    found: dict[Words, str] = {}
    for key, words in info.get("relative-type", {}).items():
        if _DAY_KEY.match(key):
            for word in words:
                found.setdefault(tuple(fold(word).split()), word)
    for day in _WEEKDAYS:
        names = info.get(day, [])
        longest = max(names, key=len, default="")
        for word in names:
            if len(word) >= _MIN_WEEKDAY or word == longest:
                found.setdefault(tuple(fold(word).split()), word)
    found.pop((), None)
    return found


@functools.cache
def warm_up(languages: tuple[str, ...]) -> None:
    """Import dateparser and read its data for each language now, at start-up: the first
    user to write "yesterday" would otherwise wait for it (about half a second, several on a
    busy machine)."""
    today = date.today()
    for lang in languages:
        for word in list(dateparser_words(lang).values())[:1]:
            _parse(word, lang, today, "past")


def _parse(word: str, lang: str, today: date, prefer: str) -> date | None:
    import dateparser

    settings = {"RELATIVE_BASE": datetime(today.year, today.month, today.day),
                "PREFER_DATES_FROM": prefer}
    parsed = dateparser.parse(word, languages=[lang], settings=settings)
    return parsed.date() if parsed is not None else None


def _when(day: date, today: date) -> DateWhen:
    return "past" if day < today else "future" if day > today else "today"


def _find(words: list[str], phrases: Mapping[Words, object]) -> Words | None:
    longest = max((len(p) for p in phrases), default=0)
    for start in range(len(words)):
        for size in range(min(longest, len(words) - start), 0, -1):
            if tuple(words[start:start + size]) in phrases:
                return tuple(words[start:start + size])
    return None


def day_named(text: str, lang: str, today: date,
              ours: Mapping[Words, int] | None = None) -> DateWhen:
    """Whether the message names a day before today, today or after; "unknown" for a day
    that may be either (a weekday: last Tuesday or next?); "none" without a day."""
    words = fold(text).split()
    own = _find(words, ours or {})
    if own is not None:
        offset = (ours or {})[own]
        return "past" if offset < 0 else "future" if offset > 0 else "today"
    known = dateparser_words(lang)
    phrase = _find(words, known)
    if phrase is None:
        return "none"
    word = known[phrase]
    # a weekday is last week's when the past is preferred, next week's otherwise
    before, after = (_parse(word, lang, today, prefer) for prefer in ("past", "future"))
    if before is None or after is None:
        return "none"
    first, second = _when(before, today), _when(after, today)
    return first if first == second else "unknown"
