from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bot.i18n import (
    FSI,
    PDI,
    Catalog,
    Entry,
    format_text,
    language_name,
    load_catalog,
    source_hash,
)
from rules_engine.yamlfile import DataFileError


def catalog() -> Catalog:
    return Catalog({
        "fr": {"a": Entry("Bonjour {name}"), "days": Entry({"one": "{count} jour",
                                                          "other": "{count} jours"}),
               "only_fr": Entry("Seulement en français")},
        "en": {"a": Entry("Hello {name}"), "days": Entry({"one": "{count} day",
                                                         "other": "{count} days"})},
        "ar": {"a": Entry("مرحبا {name}")},
    })


def test_render_in_the_users_language_with_parameters() -> None:
    assert catalog().render("a", "en", {"name": "Amal"}) == "Hello Amal"


def test_plural_forms_follow_the_language_rules() -> None:
    assert catalog().render("days", "en", {"count": 1}) == "1 day"
    assert catalog().render("days", "en", {"count": 3}) == "3 days"
    # French: 0 and 1 are singular
    assert catalog().render("days", "fr", {"count": 0}) == "0 jour"


def test_missing_entry_falls_back_to_second_language_then_french_never_a_key() -> None:
    cat = catalog()
    assert cat.render("days", "ar", {"count": 2}, second="en") == "2 days"
    assert cat.render("only_fr", "en") == "Seulement en français"
    assert "nowhere" not in cat.render("nowhere", "en")


def test_dates_and_numbers_by_babel_and_isolated_in_right_to_left() -> None:
    assert format_text("{d}", "fr", {"d": date(2026, 12, 15)}) == "15 décembre 2026"
    assert format_text("{d}", "en", {"d": date(2026, 12, 15)}) == "December 15, 2026"
    assert format_text("{n}", "fr", {"n": 1500}) == "1\u202f500"
    rtl = format_text("الرقم {phone}", "ar", {"phone": "39 49"})
    assert rtl == f"الرقم {FSI}39 49{PDI}"


def test_language_names_in_their_own_script() -> None:
    assert language_name("fr") == "Français"
    assert language_name("uk") == "Українська"
    assert language_name("ar") == "العربية"


def test_source_hash_changes_with_the_text() -> None:
    assert source_hash("a") != source_hash("b")
    assert source_hash({"one": "x", "other": "y"}) == source_hash({"other": "y", "one": "x"})


def test_entry_formats_and_errors_name_the_line(tmp_path: Path) -> None:
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "x.yml").write_text(
        'ok: "Bonjour"\nplural: {one: "un", other: "plusieurs"}\n'
        'tracked: {text: "Salut", source: abc123, unsure: true}\nbad: [1, 2]\n',
        encoding="utf-8")
    with pytest.raises(DataFileError) as caught:
        load_catalog(tmp_path)
    assert str(caught.value).endswith("x.yml:4: bad: expected a text, plural forms, "
                                      "or {text, source, unsure}")
    (tmp_path / "fr" / "x.yml").write_text('ok: "Bonjour {"\n', encoding="utf-8")
    with pytest.raises(DataFileError, match=r"x.yml:1: ok: broken placeholder"):
        load_catalog(tmp_path)


def test_latin_words_inside_right_to_left_text_keep_their_order() -> None:
    text = format_text("سجّل في France Travail (actualisation) على {website}", "ar",
                       {"website": "francetravail.fr"})
    assert f"{FSI}France Travail{PDI}" in text
    assert f"({FSI}actualisation{PDI})" in text
    assert text.endswith(f"{FSI}francetravail.fr{PDI}")
    # left-to-right languages are left alone
    assert format_text("France Travail {x}", "fr", {"x": 1}) == "France Travail 1"
