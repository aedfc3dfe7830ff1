"""Arabic, Persian and Pashto: every text and button reads right to left, French terms keep
their guillemets, phone numbers keep their digits in order. Checked on every translation."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date

import pytest

from bot.i18n import FSI, PDI, Catalog, format_text, is_rtl, isolate_latin, load_catalog
from bot.paths import translations_dir
from rules_engine.parameters import public_parameters

DAY = date(2026, 12, 4)
RTL = ["ar", "fa", "ps"]
_OPENERS = {FSI, "\u2066", "\u2067"}  # FSI, LRI, RLI


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(translations_dir())


def forms(catalog: Catalog, lang: str) -> Iterator[tuple[str, str]]:
    for key, entry in catalog.entries[lang].items():
        texts = [entry.text] if isinstance(entry.text, str) else list(entry.text.values())
        for text in texts:
            yield key, text


def first_strong(line: str) -> str | None:
    """The direction a line takes (its first strong letter, isolates skipped): L, R or AL."""
    depth = 0
    for char in line:
        if char in _OPENERS:
            depth += 1
        elif char == PDI:
            depth = max(0, depth - 1)
        elif not depth and unicodedata.bidirectional(char) in ("L", "R", "AL"):
            return unicodedata.bidirectional(char)
    return None


def test_the_languages_checked_are_the_right_to_left_ones(catalog: Catalog) -> None:
    assert [lang for lang in catalog.languages() if is_rtl(lang)] == RTL


def test_a_french_term_in_guillemets_is_isolated_with_both() -> None:
    text = isolate_latin("اضغط على «identifiant oublié» ثم («M'actualiser») على France Travail.")
    assert f"{FSI}«identifiant oublié»{PDI}" in text
    assert f"({FSI}«M'actualiser»{PDI})" in text
    assert text.endswith(f"{FSI}France Travail{PDI}.")  # the full stop stays in the sentence


@pytest.mark.parametrize("lang", RTL)
def test_no_isolate_takes_one_guillemet_without_the_other(catalog: Catalog, lang: str) -> None:
    broken = []
    for key, text in forms(catalog, lang):
        for inside in re.findall(f"{FSI}(.*?){PDI}", isolate_latin(text)):
            if inside.count("«") != inside.count("»"):
                broken.append((key, inside))
    assert broken == []


@pytest.mark.parametrize("lang", RTL)
def test_every_text_and_button_reads_right_to_left(catalog: Catalog, lang: str) -> None:
    """A flag (🇫🇷) or ℹ️ is a left-to-right character: first in a label, it turned the label
    left to right, the emoji on the wrong side of the other buttons'."""
    params = public_parameters(DAY)
    wrong = []
    for key, text in forms(catalog, lang):
        for line in format_text(text, lang, params).splitlines():
            if first_strong(line) == "L":
                wrong.append((key, line))
    assert wrong == []


def test_a_flag_button_reads_right_to_left() -> None:
    label = format_text("🇫🇷 دروس اللغة الفرنسية", "ar", {})
    assert label.startswith(f"{FSI}🇫🇷{PDI}")
    assert first_strong(label) == "AL"
