"""A translator's or editor's mistake is reported with its file and line, never a traceback."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.cli import main
from bot.i18n import load_catalog
from bot.lint import lint
from bot.translations_tool import export_po


def edit(path: Path, pattern: str, replacement: str) -> int:
    """Change the first match; the 1-based line where it starts."""
    before = path.read_text(encoding="utf-8")
    found = re.search(pattern, before, flags=re.MULTILINE)
    assert found, "the test's edit did not apply"
    path.write_text(before[:found.start()] + replacement + before[found.end():],
                    encoding="utf-8")
    return before.count("\n", 0, found.start()) + 1


def messages(project: Path) -> list[str]:
    return [str(e).replace(str(project) + "/", "") for e in lint()]


def test_a_stray_brace_in_a_po_refuses_that_entry_only(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    po = export_po(project / "translations", "ti")
    po = po.replace("📞 ብስልኪ: {phone}።", "📞 ብስልኪ: {phone።", 1).replace(
        'msgstr "ምስ France Travail ንምርካብ:"', 'msgstr "ምስ France Travail ንምራኻብ:"', 1)
    path = project / "ti.po"
    path.write_text(po, encoding="utf-8")
    line = next(i for i, text in enumerate(po.splitlines(), 1)
                if text.startswith("msgstr") and "{phone።" in text)
    assert main(["translations", "import", "ti", str(path)]) == 1
    out = capsys.readouterr()
    assert "Traceback" not in out.out + out.err
    assert f"{path}:{line}: contact.phone: refused, broken placeholder braces" in out.out
    assert f"{path}: contact.intro: taken" in out.out
    entries = load_catalog(project / "translations").entries["ti"]
    assert entries["contact.intro"].text == "ምስ France Travail ንምራኻብ:"
    assert "{phone}" in entries["contact.phone"].text


def test_an_unclosed_quote_is_reported_on_its_own_line(project: Path) -> None:
    line = edit(project / "translations/ti/contact.yml", r'ንምርካብ:"', "ንምርካብ:")
    found = messages(project)
    assert any(m.startswith(f"translations/ti/contact.yml:{line}: YAML syntax error: this quote"
                            " is not closed") for m in found), found


def test_a_duplicate_key_is_an_error_not_a_silent_overwrite(project: Path) -> None:
    path = project / "translations/ti/contact.yml"
    first = edit(path, r"^contact\.intro:", "contact.intro:")
    line = edit(path, r"^contact\.app:", "contact.intro:")
    assert (f"translations/ti/contact.yml:{line}: contact.intro: defined twice (first on line "
            f"{first}); the later one would silently win") in messages(project)


def test_a_bad_next_is_reported_on_its_line(project: Path) -> None:
    path = project / "dialogues/allowance.yml"
    line = edit(path, r"next: when_ended", "next: when_endd")
    assert any(m.startswith(f"dialogues/allowance.yml:{line}: ") and "unknown step 'when_endd'"
               in m for m in messages(project)), messages(project)
