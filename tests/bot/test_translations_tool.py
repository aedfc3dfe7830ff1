from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import load_catalog, source_hash
from bot.translations_tool import export_po, import_po, stamp, status, sync


@pytest.fixture
def root(tmp_path: Path) -> Path:
    (tmp_path / "fr").mkdir()
    (tmp_path / "en").mkdir()
    (tmp_path / "fr" / "a.yml").write_text(
        'one: "Un {n}"\ntwo: "Deux"\nthree: {one: "{count} jour", other: "{count} jours"}\n',
        encoding="utf-8")
    (tmp_path / "en" / "a.yml").write_text(
        '# translators: keep it short\nthree: {one: "{count} day", other: "{count} days"}\n'
        'one: "One {n}"  # checked by Amal\n', encoding="utf-8")
    return tmp_path


def test_status_counts_missing_and_to_review(root: Path) -> None:
    (en,) = status(load_catalog(root), ["en"])
    assert (en.total, en.translated, en.missing, en.to_review) == (3, 0, 1, 2)
    assert sorted(stamp(root, "en").stamped) == ["one", "three"]
    (en,) = status(load_catalog(root), ["en"])
    assert (en.translated, en.missing, en.to_review) == (2, 1, 0)
    # the French changes: the translation is now to review
    french = root / "fr" / "a.yml"
    french.write_text(french.read_text(encoding="utf-8").replace("Un {n}", "Une {n}"),
                      encoding="utf-8")
    (en,) = status(load_catalog(root), ["en"])
    assert (en.translated, en.to_review) == (1, 1)


def test_sync_adds_missing_keys_keeping_comments_and_order(root: Path) -> None:
    assert sync(root, ["fr", "en"]) == {"en": 1}
    text = (root / "en" / "a.yml").read_text(encoding="utf-8")
    assert text.startswith("# translators: keep it short\n")
    assert "# checked by Amal" in text
    assert re.search(r"^two: +# fr: Deux$", text, re.MULTILINE)
    assert text.index("three:") < text.index("one:") < text.index("two:")
    # an added key is empty: still missing, and French is shown meanwhile
    catalog = load_catalog(root)
    assert catalog.render("two", "en") == "Deux"
    assert sync(root, ["en"]) == {"en": 0}


def test_po_round_trip_takes_good_entries_and_reports_refused_ones(root: Path) -> None:
    po = export_po(root, "en")
    assert 'msgctxt "one"' in po and 'msgid_plural "{count} jours"' in po
    translated = po.replace('msgid "Deux"\nmsgstr ""', 'msgid "Deux"\nmsgstr "Two"')
    broken = translated.replace('msgstr "One {n}"', 'msgstr "One {number}"')
    report = import_po(root, "en", broken)
    assert report.taken == ["two"]
    (refused,) = report.refused
    assert refused.key == "one" and "placeholders ['number'] differ" in refused.reason
    assert broken.splitlines()[refused.line - 1] == 'msgstr "One {number}"'  # type: ignore[operator]
    catalog = load_catalog(root)
    assert catalog.render("two", "en") == "Two"
    assert catalog.entries["en"]["two"].source == source_hash("Deux")
    assert catalog.render("one", "en", {"n": 1}) == "One 1"
