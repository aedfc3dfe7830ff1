"""Phone numbers as Telegram makes them tappable: a full number in international form
(+33 …), written through data only, and in right-to-left texts kept left to right."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

from bot.i18n import PDI, format_text, is_rtl, load_catalog
from bot.paths import translations_dir
from rules_engine.parameters import (
    PARAMETERS_DIR,
    PUBLIC_NAMES,
    check_parameters,
    public_parameters,
)

DAY = date(2026, 12, 4)
# a French number written the national way (0 800 858 858, 01 23 45 67 89): not tappable
NATIONAL = re.compile(r"(?<![\d+])0[ \u00a0]?[1-9](?:[ .\u00a0]?\d){8}(?!\d)")
LRI = "\u2066"  # Left-to-Right Isolate


def phones() -> dict[str, str]:
    """France Travail's number and the emergency numbers, by the name messages use."""
    values = public_parameters(DAY)
    return {flat: str(values[flat]) for flat, (name, _) in PUBLIC_NAMES.items()
            if name == "contact.phone" or name.startswith("emergency.")}


def test_the_phone_numbers_are_the_data_s() -> None:
    found = phones()
    assert {"phone", "samu_phone", "emergency_phone", "listening_line_phone"} <= set(found)
    for name, number in found.items():
        digits = re.sub(r"\D", "", number)
        # a short service number (39 49, 115) has no other form; a full one is international
        assert len(digits) <= 4 or number.startswith("+33 "), (name, number)


def test_every_phone_number_in_every_translation_is_tappable_and_from_the_data() -> None:
    catalog = load_catalog(translations_dir())
    params = public_parameters(DAY)
    # a number typed into a text would escape the data and its isolate
    written = [n for n in phones().values() if len(re.sub(r"\D", "", n)) >= 4]
    problems = []
    for lang in catalog.languages():
        for key, entry in catalog.entries[lang].items():
            texts = [entry.text] if isinstance(entry.text, str) else list(entry.text.values())
            for text in texts:
                problems += [(lang, key, n) for n in written if n in text]
                shown = format_text(text, lang, params)
                problems += [(lang, key, m) for m in NATIONAL.findall(shown)]
    assert problems == []


def test_in_right_to_left_texts_a_phone_number_is_isolated_left_to_right() -> None:
    catalog = load_catalog(translations_dir())
    params = public_parameters(DAY)
    checked = 0
    for lang in (lang for lang in catalog.languages() if is_rtl(lang)):
        for key, entry in catalog.entries[lang].items():
            if not isinstance(entry.text, str):
                continue
            for name, number in phones().items():
                if "{" + name + "}" not in entry.text:
                    continue
                shown = format_text(entry.text, lang, params)
                assert f"{LRI}{number}{PDI}" in shown, (lang, key, shown)
                checked += 1
    assert checked > 20  # the 39 49 and the emergency numbers, in three languages


def test_a_full_number_written_the_national_way_is_refused_by_lint(tmp_path: Path) -> None:
    copy = tmp_path / "parameters"
    shutil.copytree(PARAMETERS_DIR, copy)
    line = copy / "emergency" / "listening_line.yml"
    line.write_text(line.read_text(encoding="utf-8").replace('"+33 800 858 858"',
                                                             '"0 800 858 858"'),
                    encoding="utf-8")
    errors = [str(e) for e in check_parameters(copy)]
    assert len(errors) == 1 and "listening_line.yml:6:" in errors[0], errors
    assert "international form" in errors[0]
