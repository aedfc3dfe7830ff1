"""PO export/import as translation tools expect it: states, plurals, untouched files."""

from __future__ import annotations

import os
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot import paths
from bot.i18n import load_catalog, placeholders, source_hash
from bot.translations_tool import export_po, import_po

LANGUAGES = ["en", "ar", "fa", "ps", "ru", "uk", "ti"]


@pytest.fixture
def real(tmp_path: Path) -> Path:
    """A copy of the project's translations, to import into."""
    root = tmp_path / "translations"
    shutil.copytree(paths.translations_dir(), root)
    return root


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*.yml"))}


def edit_po(po_text: str, lang: str, edits: dict[str, object],
            unfuzzy: frozenset[str] = frozenset()) -> str:
    """Change entries the way Poedit would: new msgstr, fuzzy cleared on what was edited."""
    catalog = read_po(BytesIO(po_text.encode("utf-8")), locale=lang)
    for message in catalog:
        if message.context in edits:
            message.string = edits[str(message.context)]  # type: ignore[assignment]
            message.flags.discard("fuzzy")
        if message.context in unfuzzy:
            message.flags.discard("fuzzy")
    out = BytesIO()
    write_po(out, catalog, width=0)
    return out.getvalue().decode("utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_importing_an_untouched_po_changes_no_byte(real: Path, lang: str) -> None:
    before = snapshot(real)
    import_po(real, lang, export_po(real, lang))
    assert snapshot(real) == before


def test_states_survive_the_round_trip(real: Path) -> None:
    catalog = load_catalog(real)
    unsure_before = {lang: {k for k, e in catalog.entries[lang].items() if e.unsure}
                     for lang in LANGUAGES}
    assert len(unsure_before["ti"]) > 50
    for lang in LANGUAGES:
        import_po(real, lang, export_po(real, lang))
    after = load_catalog(real)
    for lang in LANGUAGES:
        assert {k for k, e in after.entries[lang].items() if e.unsure} == unsure_before[lang]


def test_to_review_is_fuzzy_and_unsure_a_translator_comment(real: Path) -> None:
    french = load_catalog(real).entries["fr"]["contact.phone"].text
    path = real / "ti" / "contact.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(source_hash(french), "0000000000"), encoding="utf-8")
    po = export_po(real, "ti")
    block = po[po.index('msgctxt "contact.phone"') - 200: po.index('msgctxt "contact.phone"')]
    assert "#, fuzzy" in block and "# unsure" in block
    import_po(real, "ti", po)
    entry = load_catalog(real).entries["ti"]["contact.phone"]
    assert entry.source != source_hash(french) and entry.unsure
    # the translator checks it in Poedit (fuzzy cleared): now current
    import_po(real, "ti", edit_po(po, "ti", {}, unfuzzy=frozenset({"contact.phone"})))
    assert load_catalog(real).entries["ti"]["contact.phone"].source == source_hash(french)


def test_plurals_are_gettext_plurals_with_cldr_forms(real: Path) -> None:
    po = export_po(real, "ru")
    assert "Plural-Forms: nplurals=4;" in po
    catalog = read_po(BytesIO(po.encode("utf-8")), locale="ru")
    message = catalog.get("Ajoutez des caractères : il en faut au moins {min_length}.",
                          context="rules.password.add_length")
    assert message is not None and message.pluralizable
    assert message.id[1] == "Ajoutez des caractères : il en faut au moins {min_length}." or \
        "{min_length}" in message.id[1]
    assert len(message.string) == 4 and all(message.string)
    assert "символов" in message.string[2]  # many
    assert "Plural-Forms: nplurals=6;" in export_po(real, "ar")


@pytest.mark.parametrize("lang", ["ti", "ps", "ru", "ar"])
def test_translators_round_trip_changes_exactly_what_was_edited(real: Path, lang: str) -> None:
    catalog = load_catalog(real)
    po = export_po(real, lang)
    keys = ["contact.intro", "contact.app", "numbers.yes"]
    plural_key = "numbers.in.years"
    forms = len(read_po(BytesIO(po.encode("utf-8")), locale=lang).get(
        catalog.entries["fr"][plural_key].text["one"], context=plural_key).string)  # type: ignore[index]
    new = {k: " ".join(["NEW", *(f"{{{p}}}" for p in sorted(
        placeholders(catalog.entries["fr"][k].text)))]) for k in keys}
    edits: dict[str, object] = dict(new)
    edits[plural_key] = tuple(f"{{count}} NEW {i}" for i in range(forms))
    before = snapshot(real)
    import_po(real, lang, edit_po(po, lang, edits))
    after = snapshot(real)
    changed_lines = []
    for name in before:
        old, now = before[name].decode().splitlines(), after[name].decode().splitlines()
        if old != new:
            assert len(old) == len(now), name
            changed_lines += [(name, a, b) for a, b in zip(old, now, strict=True) if a != b]
    changed_keys = {b.split(":")[0].strip() for _, _, b in changed_lines if not b.startswith(" ")}
    new_catalog = load_catalog(real)
    for key in keys:
        assert new_catalog.entries[lang][key].text == new[key]
        assert new_catalog.entries[lang][key].unsure == catalog.entries[lang][key].unsure
    assert new_catalog.entries[lang][plural_key].text["other"].startswith("{count} NEW")  # type: ignore[index]
    differing = {k for k, e in new_catalog.entries[lang].items()
                 if e != catalog.entries[lang].get(k)}
    assert differing == {*keys, plural_key}
    assert changed_keys <= {*keys, plural_key}


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="GNU gettext's msgfmt not installed")
@pytest.mark.parametrize("lang", LANGUAGES)
def test_exported_po_passes_msgfmt_check(real: Path, lang: str, tmp_path: Path) -> None:
    """GNU gettext checks the header, the Plural-Forms and each entry's {placeholders}."""
    po = tmp_path / f"{lang}.po"
    po.write_text(export_po(real, lang), encoding="utf-8")
    checked = subprocess.run(["msgfmt", "--check", "-o", os.devnull, str(po)],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "error" not in checked.stderr.lower(), checked.stderr


def test_sync_and_stamp_with_nothing_to_do_change_no_byte(real: Path) -> None:
    from bot.translations_tool import stamp, sync

    before = snapshot(real)
    assert set(sync(real, ["fr", *LANGUAGES]).values()) == {0}
    for lang in LANGUAGES:
        assert stamp(real, lang).stamped == []
    assert snapshot(real) == before
