"""`guide sources [--stale]`: every source with what relies on it, and the facts to read again.

Each test works on a copy of the data where a date was made old, and passes its own "today":
the real clock never decides what a test sees.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from bot import paths
from bot.cli import main
from bot.sources_report import months_before, source_uses, stale_facts, stale_months

ROOT = Path(__file__).parents[2]
TODAY = date(2026, 12, 4)


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for folder in ("dialogues", "rules_engine"):
        shutil.copytree(ROOT / folder, tmp_path / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    monkeypatch.delenv("GUIDE_STALE_MONTHS", raising=False)
    return tmp_path


def make_old(path: Path, after: str, checked: str = "2025-01-01") -> int:
    """Set the first `checked:` after the line `after` to an old date; its line number."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.rstrip() == after)
    at = next(i for i in range(start, len(lines)) if lines[i].strip().startswith("checked:"))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at] = f"{indent}checked: {checked}\n"
    path.write_text("".join(lines), encoding="utf-8")
    return at + 1


def parameters(project: Path) -> Path:
    return project / "rules_engine" / "parameters"


def test_months_before_keeps_the_day_or_takes_the_last_one() -> None:
    assert months_before(date(2026, 12, 4), 6) == date(2026, 6, 4)
    assert months_before(date(2026, 8, 31), 6) == date(2026, 2, 28)
    assert months_before(date(2026, 1, 15), 1) == date(2025, 12, 15)
    assert months_before(date(2026, 3, 31), 13) == date(2025, 2, 28)


def test_the_setting_comes_from_the_environment() -> None:
    assert stale_months({}) == 6
    assert stale_months({"GUIDE_STALE_MONTHS": "3"}) == 3
    for bad in ("0", "six", "-2", "1.5"):
        with pytest.raises(ValueError, match="GUIDE_STALE_MONTHS"):
            stale_months({"GUIDE_STALE_MONTHS": bad})


def test_the_shipped_data_has_nothing_stale_today() -> None:
    assert stale_facts(ROOT / "rules_engine" / "parameters", TODAY, 6) == []


def test_an_old_source_and_an_old_value_in_force_are_stale(project: Path) -> None:
    source_line = make_old(parameters(project) / "sources.yml", "francetravail_contact:")
    phone = parameters(project) / "contact" / "phone.yml"
    phone_line = make_old(phone, "values:")
    found = {(s.kind, s.name): s for s in stale_facts(parameters(project), TODAY, 6)}
    assert set(found) == {("source", "francetravail_contact"), ("parameter", "contact.phone")}
    source = found[("source", "francetravail_contact")]
    assert (source.checked, source.line) == (date(2025, 1, 1), source_line)
    assert source.urls == ["https://www.francetravail.fr/contact.html"]
    value = found[("parameter", "contact.phone")]
    assert (value.path, value.line) == (phone, phone_line)
    assert "https://www.francetravail.fr/contact.html" in value.urls


def test_a_value_no_longer_in_force_is_not_stale(project: Path) -> None:
    # contact.website's first value (Pôle emploi's address) ended when the second started
    make_old(parameters(project) / "contact" / "website.yml", "values:", "2020-01-01")
    assert stale_facts(parameters(project), TODAY, 6) == []


def test_the_cutoff_is_the_setting(project: Path) -> None:
    make_old(parameters(project) / "sources.yml", "francetravail_contact:", "2026-09-01")
    assert stale_facts(parameters(project), TODAY, 6) == []
    assert [s.name for s in stale_facts(parameters(project), TODAY, 3)] == \
        ["francetravail_contact"]


def test_each_source_says_which_parameters_steps_and_rules_use_it(project: Path) -> None:
    uses = {u.id: u for u in source_uses(parameters(project), project / "dialogues")}
    contact = uses["francetravail_contact"]
    assert "contact.phone (value from 2024-01-01)" in contact.parameters
    assert "contact.info" in contact.steps and "human_help.info" in contact.steps
    domiciliation = uses["service_public_domiciliation"]
    assert any(r.startswith("rules_engine/eligibility.py:") for r in domiciliation.rules)
    assert uses["decret_2025_478"].entry.published == date(2025, 5, 31)


def test_guide_sources_stale_lists_name_date_url_and_line(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    line = make_old(parameters(project) / "sources.yml", "francetravail_contact:")
    assert main(["sources", "--stale", "--date", TODAY.isoformat()]) == 0
    out = capsys.readouterr().out
    assert (f"source francetravail_contact  checked 2025-01-01  "
            f"rules_engine/parameters/sources.yml:{line}") in out
    assert "  https://www.francetravail.fr/contact.html" in out
    assert out.startswith("1 fact(s) last checked before 2026-06-04")


def test_guide_sources_stale_reads_the_setting(
        project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    make_old(parameters(project) / "sources.yml", "francetravail_contact:", "2026-09-01")
    assert main(["sources", "--stale", "--date", TODAY.isoformat()]) == 0
    assert capsys.readouterr().out.startswith("no fact last checked before 2026-06-04")
    monkeypatch.setenv("GUIDE_STALE_MONTHS", "2")
    assert main(["sources", "--stale", "--date", TODAY.isoformat()]) == 0
    assert "source francetravail_contact  checked 2026-09-01" in capsys.readouterr().out
    assert main(["sources", "--stale", "--date", TODAY.isoformat(), "--months", "12"]) == 0
    assert capsys.readouterr().out.startswith("no fact")


def test_guide_sources_lists_every_source_with_its_uses(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources"]) == 0
    out = capsys.readouterr().out
    block = out.split("\n\n")
    contact = next(b for b in block if b.startswith("francetravail_contact "))
    assert "https://www.francetravail.fr/contact.html" in contact
    assert "contact.phone (value from 2024-01-01)" in contact
    assert "flow steps: contact.info" in contact
    register = next(b for b in block if b.startswith("refugies_info_register "))
    assert "version: " in register and "note: " in register


def test_a_bad_date_or_setting_is_a_clear_error(
        project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    assert main(["sources", "--stale", "--date", "2026-02-30"]) == 2
    assert capsys.readouterr().err == ("error: --date must be a day written YYYY-MM-DD, "
                                       "e.g. 2026-02-16 (got '2026-02-30')\n")
    monkeypatch.setenv("GUIDE_STALE_MONTHS", "soon")
    assert main(["sources", "--stale"]) == 2
    assert "GUIDE_STALE_MONTHS must be a whole number" in capsys.readouterr().err


def test_what_was_read_is_checked_like_the_rest(project: Path) -> None:
    from rules_engine.parameters import check_parameters

    sources = parameters(project) / "sources.yml"
    line = make_old(sources, "francetravail_contact:", "2026-11-15\n  archived: web.archive.org/x")
    errors = [str(e) for e in check_parameters(parameters(project))]
    assert errors[0].startswith(f"{sources}:{line + 1}: "), errors[0]
    assert "francetravail_contact.archived" in errors[0]
