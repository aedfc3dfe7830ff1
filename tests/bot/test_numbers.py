"""Numbers typed with their unit (bot/numbers.py, nlu_data/units.yml), in every language."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest

from bot import paths
from bot.languages import declared_languages
from bot.numbers import Quantity, Units, confirm_below, convert, factors, parse_number, read_units
from rules_engine.yamlfile import DataFileError

ON = date(2026, 12, 4)


@pytest.fixture(scope="module")
def units() -> Units:
    return read_units(paths.nlu_data_dir() / "units.yml", declared_languages())


# "7 months" as people type it, in each language: always 7 months, never 7 days
SEVEN_MONTHS = {
    "fr": ["7 mois", "7 moi", "7mois", "j'ai travaillé 7 mois"],
    "en": ["7 months", "7 month", "7 mths", "i worked 7 mos"],
    "ar": ["7 أشهر", "٧ شهور", "7 شهر", "اشتغلت ٧ اشهر"],
    "fa": ["7 ماه", "۷ ماه", "۷ماه"],
    "ps": ["7 میاشتې", "۷ میاشتې", "7 میاشت"],
    "ru": ["7 месяцев", "7 мес", "7 месяца"],
    "uk": ["7 місяців", "7 міс", "7 місяці"],
    "ti": ["7 ወርሒ", "7 ኣዋርሕ"],
}

DAYS = {"fr": "130 jours", "en": "130 days", "ar": "١٣٠ يوم", "fa": "۱۳۰ روز", "ps": "130 ورځې",
        "ru": "130 дней", "uk": "130 днів", "ti": "130 መዓልቲ"}
HOURS = {"fr": "910 heures", "en": "910 hrs", "ar": "910 ساعة", "fa": "۹۱۰ ساعت",
         "ps": "910 ساعته", "ru": "910 часов", "uk": "910 годин", "ti": "910 ሰዓት"}
YEARS = {"fr": "2 ans", "en": "2 years", "ar": "2 سنوات", "fa": "2 سال", "ps": "2 کاله",
         "ru": "2 года", "uk": "2 роки", "ti": "2 ዓመት"}


def test_every_language_has_its_words() -> None:
    assert set(SEVEN_MONTHS) == set(declared_languages())


@pytest.mark.parametrize(("lang", "text"),
                         [(lang, t) for lang, texts in SEVEN_MONTHS.items() for t in texts])
def test_seven_months_is_months_and_about_152_days_of_work(units: Units, lang: str,
                                                           text: str) -> None:
    found = units.parse(text, lang)
    assert found is not None and (found.value, found.unit) == (7, "month"), found
    assert convert(found, "days_worked", ON) == 152  # 7 × 130 / 6 = 151.67
    assert convert(found, "hours_worked", ON) == 1062  # 7 × 910 / 6 = 1061.67
    assert convert(found, "years", ON) is None  # an age in months: asked again


@pytest.mark.parametrize("lang", sorted(SEVEN_MONTHS))
def test_days_hours_and_years_in_each_language(units: Units, lang: str) -> None:
    days, hours, years = (units.parse(t, lang) for t in (DAYS[lang], HOURS[lang], YEARS[lang]))
    assert days is not None and (days.value, days.unit) == (130, "day")
    assert hours is not None and (hours.value, hours.unit) == (910, "hour")
    assert years is not None and (years.value, years.unit) == (2, "year")
    assert convert(hours, "days_worked", ON) == 130  # the Unédic equivalence
    assert convert(days, "hours_worked", ON) == 910
    assert convert(years, "years", ON) == 2


def test_hours_glued_to_the_number_and_said_back_as_typed(units: Units) -> None:
    found = units.parse("j'ai travaillé 910h", "fr")
    assert found == Quantity(Fraction(910), "hour", "910h")
    assert convert(found, "days_worked", ON) == 130


def test_a_year_and_a_half(units: Units) -> None:
    found = units.parse("1 an et demi", "fr")
    assert found is not None and (found.value, found.unit, found.typed) == (
        Fraction(3, 2), "year", "1 an et demi")
    assert convert(found, "days_worked", ON) == 390  # 18 months
    arabic = units.parse("سنة ونص", "ar")
    assert arabic is None  # no digit: not a number answer
    assert units.parse("1 سنة ونص", "ar") == Quantity(Fraction(3, 2), "year", "1 سنة ونص")


def test_weeks_are_five_days_or_35_hours(units: Units) -> None:
    found = units.parse("6 semaines", "fr")
    assert found is not None
    assert (convert(found, "days_worked", ON), convert(found, "hours_worked", ON)) == (30, 210)


def test_a_bare_number_keeps_no_unit_and_thousands(units: Units) -> None:
    assert units.parse("1 200", "fr") == Quantity(Fraction(1200), None, "1 200")
    assert units.parse("1,200 hours", "en") == Quantity(Fraction(1200), "hour", "1,200 hours")
    assert units.parse("aucune idée", "fr") is None


def test_the_users_language_wins_where_words_differ(units: Units) -> None:
    russian, ukrainian = units.parse("2 год", "ru"), units.parse("2 год", "uk")
    assert russian is not None and russian.unit == "year"
    assert ukrainian is not None and ukrainian.unit == "hour"


def test_french_and_english_words_are_understood_in_every_language(units: Units) -> None:
    found = units.parse("7 mois", "ti")
    assert found is not None and found.unit == "month"


def test_arabic_indic_and_persian_digits() -> None:
    assert parse_number("عمري ٣٥ سنة") == 35
    assert parse_number("۱۲۰۰") == 1200
    assert parse_number("no digits") is None


def test_factors_and_threshold_come_from_dated_parameters() -> None:
    per_day = factors("days_worked", ON)
    assert per_day["month"] == Fraction(130, 6) and per_day["week"] == 5
    assert factors("hours_worked", ON)["day"] == 7
    assert confirm_below("days_worked", ON) == 25
    assert confirm_below("years", ON) == 0


def test_a_word_in_two_units_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "units.yml"
    text = (paths.nlu_data_dir() / "units.yml").read_text(encoding="utf-8")
    path.write_text(text.replace("  week: [semaine,", "  week: [mois, semaine,", 1),
                    encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        read_units(path, declared_languages())
    line = int(str(caught.value).split(":")[1])
    # the second place the word appears is named, with the first unit it was given
    assert path.read_text(encoding="utf-8").splitlines()[line - 1].startswith("  month: [mois")
    assert "'mois' is also a 'week' word" in str(caught.value)
