"""`guide lint` checks nlu_data/units.yml: every language, the right fields, file:line."""

from __future__ import annotations

from pathlib import Path

from tests.bot.test_lint import edit, messages


def test_a_misspelt_unit_names_file_and_line(project: Path) -> None:
    edit(project / "nlu_data/units.yml", lambda t: t.replace("ti:\n  day: [", "ti:\n  dya: [", 1))
    found = messages(project)
    assert any(m.startswith("nlu_data/units.yml:") and "ti" in m for m in found), found


def test_units_for_every_language(project: Path) -> None:
    edit(project / "nlu_data/units.yml", lambda t: t.split("\nti:\n")[0] + "\n")
    found = messages(project)
    assert any(m.startswith("nlu_data/units.yml:") and "no unit words for ti" in m
               for m in found), found


def test_a_phrase_where_one_word_is_needed(project: Path) -> None:
    edit(project / "nlu_data/units.yml",
         lambda t: t.replace("  month: [mois,", "  month: [mois de travail,", 1))
    found = messages(project)
    line = next(m for m in found if m.startswith("nlu_data/units.yml:"))
    assert "must be one word" in line, found
    number = int(line.split(":")[1])
    assert (project / "nlu_data/units.yml").read_text(
        encoding="utf-8").splitlines()[number - 1].startswith("  month: [mois de travail")
