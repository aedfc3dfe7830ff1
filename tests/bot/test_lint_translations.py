"""`guide lint` on translations: plural categories, missing keys, broken files."""

from __future__ import annotations

import re
from pathlib import Path

from bot.lint import lint


def edit(path: Path, pattern: str, replacement: str) -> None:
    before = path.read_text(encoding="utf-8")
    after = re.sub(pattern, replacement, before, count=1, flags=re.MULTILINE)
    assert after != before, "the test's edit did not apply"
    path.write_text(after, encoding="utf-8")


def messages(project: Path) -> list[str]:
    return [str(e).replace(str(project) + "/", "") for e in lint()]


def line_of(path: Path, text: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, 1) if text in line)


def test_a_russian_plural_needs_few_and_many(project: Path) -> None:
    path = project / "translations/ru/numbers.yml"
    edit(path, r' few: "\{count\} года",', "")
    edit(path, r' many: "\{count\} лет",', "")
    line = line_of(path, "numbers.in.years:")
    assert (f"translations/ru/numbers.yml:{line}: numbers.in.years: plural form(s) "
            "['few', 'many'] missing (ru needs one, few, many, other)") in messages(project)


def test_an_arabic_plural_needs_zero_two_few_many(project: Path) -> None:
    path = project / "translations/ar/rules.yml"
    edit(path, r'^    zero: .*\n', "")
    edit(path, r'^    two: .*\n', "")
    found = messages(project)
    assert any(m.startswith("translations/ar/rules.yml:") and "rules.password.add_length: "
               "plural form(s) ['zero', 'two'] missing" in m for m in found), found


def test_a_french_key_missing_in_other_languages_is_named(project: Path) -> None:
    french = project / "translations/fr/contact.yml"
    french.write_text(french.read_text(encoding="utf-8")
                      + 'contact.hours: "Du lundi au vendredi."\n', encoding="utf-8")
    found = messages(project)
    for lang in ("en", "ar", "fa", "ps", "ru", "uk", "ti"):
        assert any(m.startswith(f"translations/{lang}/contact.yml: contact.hours: missing")
                   for m in found), found
