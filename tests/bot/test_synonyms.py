"""Synonyms of button labels (bot/synonyms.py): matching, and `guide lint`'s checks."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import paths
from bot.i18n import load_catalog
from bot.lint import lint
from bot.matching import best_of, best_option
from bot.synonyms import Synonyms, read_synonyms

DOCUMENT = ["eligibility.a.residence_permit", "eligibility.a.receipt", "eligibility.a.api",
            "eligibility.a.aps", "eligibility.a.expired", "eligibility.a.no_document"]
NEGATIONS = frozenset({"no", "not", "dont", "non", "pas", "aucun", "нет", "не", "لا", "نه"})


@pytest.fixture(scope="module")
def synonyms() -> Synonyms:
    return read_synonyms(paths.translations_dir())


def press(typed: str, lang: str, synonyms: Synonyms) -> str | None:
    """The label key of the document question's button the typed text presses, as the
    conversation does (bot/conversation.py, _typed_label)."""
    catalog = load_catalog(paths.translations_dir())
    names = [synonyms.names(key, lang, catalog.render(key, lang), catalog.render(key, "fr"))
             for key in DOCUMENT]
    index = best_of(typed, names, NEGATIONS)
    return None if index is None else DOCUMENT[index]


@pytest.mark.parametrize(("lang", "typed", "key"), [
    ("en", "i have the receipt", "eligibility.a.receipt"),
    ("en", "10 year card", "eligibility.a.residence_permit"),
    ("ar", "ريسيبيسيه", "eligibility.a.receipt"),
    ("ar", "ريسيبيسية", "eligibility.a.receipt"),  # ة for ه: folded alike
    ("ar", "عندي ريسبيسيه", "eligibility.a.receipt"),  # a letter left out: a typo
    ("fa", "رسپیسه", "eligibility.a.receipt"),
    ("ru", "карта резидента", "eligibility.a.residence_permit"),
    ("uk", "ресепісе", "eligibility.a.receipt"),
    ("ru", "carte de résident", "eligibility.a.residence_permit"),  # French in any language
    ("fr", "mon titre de séjour est expiré", "eligibility.a.expired"),
    ("fr", "j'ai un récépissé", "eligibility.a.receipt"),
    ("en", "no i don't have any document", "eligibility.a.no_document"),
])
def test_a_synonym_presses_its_button(lang: str, typed: str, key: str,
                                      synonyms: Synonyms) -> None:
    assert press(typed, lang, synonyms) == key


@pytest.mark.parametrize(("lang", "typed"), [("en", "i have a document"), ("fr", "carte"),
                                             ("ru", "документ")])
def test_a_word_of_several_buttons_presses_none(lang: str, typed: str,
                                                synonyms: Synonyms) -> None:
    assert press(typed, lang, synonyms) is None


def test_names_add_the_french_ones_in_another_language(synonyms: Synonyms) -> None:
    names = synonyms.names("eligibility.a.receipt", "ar", "📄 إيصال (récépissé)", "📄 Récépissé")
    assert "ريسيبيسيه" in names and "récépissé" in names and "📄 Récépissé" in names
    assert synonyms.names("eligibility.a.receipt", "fr", "📄 Récépissé", "📄 Récépissé") == [
        "📄 Récépissé", *synonyms.of("eligibility.a.receipt", "fr")]


def test_best_option_is_best_of_single_names() -> None:
    labels = ["✅ Yes", "❌ No"]
    assert best_option("yes", labels) == best_of("yes", [[label] for label in labels]) == 0
    assert best_of("receipt", [["Titre de séjour"], ["Récépissé", "receipt"]]) == 1
    assert best_of("receipt", [["receipt"], ["Récépissé", "receipt"]]) is None


def test_synonyms_are_not_messages() -> None:
    catalog = load_catalog(paths.translations_dir())
    assert not any(key.endswith(".synonyms") for entries in catalog.entries.values()
                   for key in entries)


# ---- lint ----------------------------------------------------------------------------


def edit(path: Path, change: Callable[[str], str]) -> None:
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the test's edit did not apply"
    path.write_text(after, encoding="utf-8")


def messages(project: Path) -> list[str]:
    return [str(e).replace(str(project) + "/", "") for e in lint()]


def line_of_text(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_synonym_of_two_buttons_is_an_error_with_file_and_line(project: Path) -> None:
    path = project / "translations/ru/eligibility.yml"
    edit(path, lambda t: t.replace("eligibility.a.receipt.synonyms: [",
                                   "eligibility.a.receipt.synonyms: [вид на жительство, ", 1))
    found = messages(project)
    line = line_of_text(path, "eligibility.a.receipt.synonyms:")
    assert any(m.startswith(f"translations/ru/eligibility.yml:{line}: ")
               and "'вид на жительство'" in m and "eligibility.a.residence_permit" in m
               for m in found), found


def test_a_french_synonym_is_checked_in_every_language(project: Path) -> None:
    # "Вид на жительство" is the Russian label of the residence permit: a French synonym of
    # the récépissé spelt so would press two buttons for Russian speakers only
    edit(project / "translations/fr/eligibility.yml",
         lambda t: t.replace("eligibility.a.receipt.synonyms: [",
                             "eligibility.a.receipt.synonyms: [вид на жительство, ", 1))
    found = messages(project)
    assert any(m.startswith("translations/fr/eligibility.yml:") and "(language ru)" in m
               for m in found), found


def test_synonyms_of_no_button(project: Path) -> None:
    edit(project / "translations/en/eligibility.yml",
         lambda t: t + "\neligibility.q.status.synonyms: [situation]\n"
                       "eligibility.a.nowhere.synonyms: [somewhere]\n")
    found = messages(project)
    assert any("eligibility.q.status.synonyms" in m and "label of no button" in m
               for m in found), found
    assert any("eligibility.a.nowhere.synonyms" in m and "no message key" in m
               for m in found), found


def test_synonyms_must_be_a_list_of_words(project: Path) -> None:
    path = project / "translations/en/eligibility.yml"
    edit(path, lambda t: t.replace("eligibility.a.receipt.synonyms: [receipt",
                                   "eligibility.a.receipt.synonyms: [\"🧾\"", 1))
    found = messages(project)
    line = line_of_text(path, "eligibility.a.receipt.synonyms:")
    assert any(m.startswith(f"translations/en/eligibility.yml:{line}: ") and "item 1" in m
               for m in found), found


def test_stamping_leaves_synonyms_alone(project: Path) -> None:
    from bot.translations_tool import stamp

    path = project / "translations/ar/eligibility.yml"
    edit(path, lambda t: t.replace('{text: "🪪 بطاقة إقامة", source: 68be3a2f97}',
                                   '"🪪 بطاقة إقامة"', 1))
    before = [line for line in path.read_text(encoding="utf-8").splitlines()
              if ".synonyms:" in line]
    assert len(stamp(project / "translations", "ar").stamped) == 1
    after = [line for line in path.read_text(encoding="utf-8").splitlines()
             if ".synonyms:" in line]
    assert after == before
