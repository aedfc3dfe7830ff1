"""Numbers typed at a number question, with the unit people type after them.

"7 mois", "5 months", "٧ شهور", "910h": the number and its unit (nlu_data/units.yml, per
language), so that "7 months" at a question on days worked is not read as 7 days. The
conversion factors are dated parameters (rules_engine/parameters/units/): the Unédic
equivalence (6 months = 130 days = 910 hours) and the legal working week (35 hours).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel

from bot.digits import digits_value
from bot.languages import check_languages
from bot.matching import fold
from rules_engine.parameters import parameter
from rules_engine.yamlfile import DataFileError, line_of, load_model

UnitWord = Literal["day", "week", "month", "year", "hour"]
UNIT_WORDS: tuple[UnitWord, ...] = ("day", "week", "month", "year", "hour")
Asked = Literal["days_worked", "hours_worked", "years"]
# French and English unit words are understood whatever the user's language (as for
# "I don't know": many type them, or copy them from their papers)
ALWAYS = ("fr", "en")
MONTHS_PER_YEAR = 12  # the calendar, not a rule of law
# the unit each question asks for, in the words of units.yml
NATIVE: dict[Asked, UnitWord] = {"days_worked": "day", "hours_worked": "hour", "years": "year"}

# message keys the conversation core uses for numbers (checked by `guide lint`)
NUMBER_KEYS = (
    "numbers.converted", "numbers.which_unit", "numbers.yes", "numbers.change",
    "numbers.wrong_unit", "numbers.unsure", "numbers.as_months",
    "numbers.in.days_worked", "numbers.in.hours_worked", "numbers.in.years",
)

# values the core passes to those messages
NUMBER_PLACEHOLDERS = frozenset({"typed", "converted"})

# Arabic-Indic (Arabic) and extended Arabic-Indic (Persian, Pashto) digits
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# a whole number with thousands separated by a space, a dot or a comma ("1 200", "1.200"),
# or a number with a decimal part ("1,5", "2.5")
_NUMBER = re.compile(r"\d{1,3}(?:[ .,\u202f\u00a0]\d{3})+(?!\d)|\d+(?:[.,]\d{1,2}(?!\d))?")


class LanguageUnits(BaseModel):
    """The words of one language for each unit, as typed after a number."""

    model_config = ConfigDict(extra="forbid")

    day: list[str] = Field(min_length=1)
    week: list[str] = Field(min_length=1)
    month: list[str] = Field(min_length=1)
    year: list[str] = Field(min_length=1)
    hour: list[str] = Field(min_length=1)
    # "et demi", "and a half": adds half a unit ("1 an et demi")
    half: list[str] = Field(default_factory=list)


class UnitsFile(RootModel[dict[str, LanguageUnits]]):
    pass


@dataclass(frozen=True)
class Quantity:
    """A number as typed, with its unit when one followed it."""

    value: Fraction
    unit: UnitWord | None
    typed: str
    """The number and its unit word as the user typed them ("7 mois"), to say back."""


@dataclass(frozen=True)
class Units:
    """Per language, each folded unit word and the unit it means; the "half" phrases."""

    words: dict[str, dict[str, UnitWord]] = field(default_factory=dict)
    halves: dict[str, frozenset[tuple[str, ...]]] = field(default_factory=dict)

    def _for(self, lang: str | None) -> tuple[dict[str, UnitWord], frozenset[tuple[str, ...]]]:
        words: dict[str, UnitWord] = {}
        halves: frozenset[tuple[str, ...]] = frozenset()
        for code in (lang or "", *ALWAYS):  # the user's own language wins
            for word, unit in self.words.get(code, {}).items():
                words.setdefault(word, unit)
            halves = halves | self.halves.get(code, frozenset())
        return words, halves

    def parse(self, text: str, lang: str | None) -> Quantity | None:
        """The first number of `text` and the unit word right after it, if any."""
        plain = text.translate(_DIGITS)
        found = _NUMBER.search(plain)
        if found is None:
            return None
        raw = found.group()
        value = _value(raw)
        after = fold(plain[found.end():]).split()
        words, halves = self._for(lang)
        unit = words.get(after[0]) if after else None
        if unit is None:
            return Quantity(value, None, text[found.start():found.end()].strip())
        rest = tuple(after[1:])
        half = next((h for h in halves if rest[:len(h)] == h), ())
        if half:
            value += Fraction(1, 2)
        return Quantity(value, unit, _with_words(text, found.start(), found.end(), 1 + len(half)))


def _with_words(text: str, start: int, end: int, count: int) -> str:
    """The number as typed and the `count` words after it ("7 mois", "910h", "1 an et
    demi"), to say back."""
    for _ in range(count):
        while end < len(text) and text[end].isspace():
            end += 1
        while end < len(text) and not text[end].isspace():
            end += 1
    return text[start:end].strip().rstrip(".,;:!?")


def _value(raw: str) -> Fraction:
    decimal = re.fullmatch(r"(\d+)[.,](\d{1,2})", raw)
    if decimal:
        whole, part = decimal.groups()
        return digits_value(whole) + Fraction(digits_value(part), 10 ** len(part))
    return Fraction(digits_value(re.sub(r"\D", "", raw)))


def parse_number(text: str) -> int | None:
    """The first whole number in `text` ("j'ai 30 ans" → 30, "١٢" → 12), without its unit."""
    found = _NUMBER.search(text.translate(_DIGITS))
    if found is None:
        return None
    return int(_value(found.group()))


def factors(asked: Asked, on: date) -> dict[UnitWord, Fraction]:
    """How many of the asked unit one of each typed unit makes, on that day.

    Days and hours worked convert through the Unédic equivalence (6 months = 130 days =
    910 hours) and the legal week; an age only takes years.
    """
    if asked == "years":
        return {"year": Fraction(1)}
    equivalence = parameter("units.work_equivalence", on)
    week = parameter("units.work_week", on)
    months, days, hours = (Fraction(equivalence[k]) for k in ("months", "days", "hours"))
    per_day: dict[UnitWord, Fraction] = {
        "day": Fraction(1), "week": Fraction(week["days"]), "month": days / months,
        "hour": days / hours}
    per_hour: dict[UnitWord, Fraction] = {
        "day": hours / days, "week": Fraction(week["hours"]), "month": hours / months,
        "hour": Fraction(1)}
    table: dict[UnitWord, Fraction] = dict(per_day if asked == "days_worked" else per_hour)
    table["year"] = table["month"] * MONTHS_PER_YEAR
    return table


def convert(quantity: Quantity, asked: Asked, on: date) -> int | None:
    """The quantity in the asked unit, rounded; None when it cannot be converted."""
    unit = quantity.unit or NATIVE[asked]
    factor = factors(asked, on).get(unit)
    if factor is None:
        return None
    return int(quantity.value * factor + Fraction(1, 2))


def confirm_below(asked: Asked, on: date) -> int:
    """Bare numbers under this, at this question, may be months: they are asked back."""
    if asked == "years":
        return 0
    limits = parameter("units.confirm_below", on)
    return int(limits[asked])


def read_units(path: Path, languages: list[str]) -> Units:
    """nlu_data/units.yml, checked: exactly the guide's languages, no word in two units."""
    table = load_model(UnitsFile, path).root
    check_languages(path, table, languages, "unit words")
    words: dict[str, dict[str, UnitWord]] = {}
    halves: dict[str, frozenset[tuple[str, ...]]] = {}
    for lang, entry in table.items():
        mine: dict[str, UnitWord] = {}
        for unit in UNIT_WORDS:
            for index, word in enumerate(getattr(entry, unit)):
                folded = fold(word.translate(_DIGITS))
                where: list[str | int] = [lang, unit, index]
                if not folded or " " in folded:
                    raise DataFileError(path, line_of(path, where),
                                        f"{lang}.{unit}.{index}: {word!r} must be one word")
                if mine.get(folded, unit) != unit:
                    raise DataFileError(path, line_of(path, where),
                                        f"{lang}.{unit}.{index}: {word!r} is also a "
                                        f"'{mine[folded]}' word")
                mine[folded] = unit
        words[lang] = mine
        halves[lang] = frozenset(tuple(fold(h).split()) for h in entry.half if fold(h))
    return Units(words, halves)
