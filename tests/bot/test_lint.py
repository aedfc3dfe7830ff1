"""`guide lint` finds each kind of mistake and names the file and the line."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from bot.lint import lint, run_lint


def edit(path: Path, change: Callable[[str], str]) -> None:
    before = path.read_text(encoding="utf-8")
    after = change(before)
    assert after != before, "the test's edit did not apply"
    path.write_text(after, encoding="utf-8")


def messages(project: Path) -> list[str]:
    return [str(e).replace(str(project) + "/", "") for e in lint()]


def test_the_project_data_is_clean() -> None:
    assert [str(e) for e in lint()] == []


def test_unreachable_step(project: Path) -> None:
    edit(project / "dialogues/eligibility.yml",
         lambda t: t + "  orphan:\n    say: [eligibility.intro]\n    end: true\n")
    found = messages(project)
    assert any(m.startswith("dialogues/eligibility.yml:") and "orphan: not reachable" in m
               for m in found), found


def test_loop_without_end_is_a_dead_end(project: Path) -> None:
    flow = project / "dialogues/loop.yml"
    flow.write_text(
        "flow: loop\nlabel: menu.help\nstart: a\nsteps:\n"
        "  a:\n    ask: common.q.confirm_summary\n    options:\n"
        "      - {label: common.yes, next: b}\n"
        "  b:\n    ask: common.q.confirm_summary\n    options:\n"
        "      - {label: common.yes, next: a}\n", encoding="utf-8")
    found = messages(project)
    assert "dialogues/loop.yml:5: steps.a: dead end, no way from here leads to an end step" \
        in found, found


def test_missing_message_key(project: Path) -> None:
    edit(project / "dialogues/eligibility.yml",
         lambda t: t.replace("say: [eligibility.intro]", "say: [eligibility.nowhere]"))
    found = messages(project)
    assert any(m.startswith("dialogues/eligibility.yml:") and "eligibility.nowhere" in m
               for m in found), found


def test_placeholder_mismatch(project: Path) -> None:
    edit(project / "translations/en/common.yml",
         lambda t: t.replace("{min} and {max}", "{min} and {maximum}"))
    found = messages(project)
    assert any(m.startswith("translations/en/common.yml:") and "common.invalid_number" in m
               for m in found), found


def test_intent_without_flow(project: Path) -> None:
    edit(project / "nlu_data/en/basics.yml",
         lambda t: t + "- intent: weather\n  examples: |\n    - is it raining\n")
    found = messages(project)
    assert any("intent 'weather' is handled by no flow" in m for m in found), found


def test_schema_error_names_file_and_line(project: Path) -> None:
    edit(project / "dialogues/password.yml", lambda t: t.replace("steps:", "stepz:", 1))
    found = messages(project)
    assert len(found) == 1 and found[0].startswith("dialogues/password.yml:"), found


def test_placeholder_nobody_fills(project: Path) -> None:
    edit(project / "translations/fr/common.yml",
         lambda t: t.replace('common.ok: "', 'common.ok: "{nobody} ', 1))
    found = messages(project)
    assert any(m.startswith("translations/fr/common.yml:") and "['nobody']" in m
               for m in found), found


def test_dont_know_phrases_error_names_file_and_line(project: Path) -> None:
    edit(project / "nlu_data/dont_know.yml",
         lambda t: t.replace("ti:\n  phrases: [", "ti:\n  phrazes: [", 1))
    found = messages(project)
    assert any(m.startswith("nlu_data/dont_know.yml:") and "ti.phrases" in m
               for m in found), found
    line = int(next(m for m in found if m.startswith("nlu_data/dont_know.yml:")).split(":")[1])
    assert (project / "nlu_data/dont_know.yml").read_text(
        encoding="utf-8").splitlines()[line - 1] == "ti:", found


def test_dont_know_phrases_for_every_language(project: Path) -> None:
    edit(project / "nlu_data/dont_know.yml", lambda t: t.split("\nti:\n")[0] + "\n")
    found = messages(project)
    assert any(m.startswith("nlu_data/dont_know.yml:") and "ti" in m for m in found), found


def test_unknown_option_intent(project: Path) -> None:
    edit(project / "dialogues/eligibility.yml",
         lambda t: t.replace("next: summary, intent: dont_know}", "next: summary, "
                             "intent: dont_knwo}", 1))
    found = messages(project)
    assert any(m.startswith("dialogues/eligibility.yml:") and "'dont_knwo'" in m
               for m in found), found


def test_stale_facts_are_warnings_that_do_not_fail_lint(
        project: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GUIDE_STALE_MONTHS", raising=False)
    edit(project / "rules_engine/parameters/sources.yml",
         lambda t: t.replace("url: https://www.francetravail.fr/contact.html\n"
                             "  kind: official\n  checked: 2026-11-15",
                             "url: https://www.francetravail.fr/contact.html\n"
                             "  kind: official\n  checked: 2025-03-01", 1))
    edit(project / "rules_engine/parameters/contact/phone.yml",
         lambda t: t.replace("checked: 2026-11-15", "checked: 2025-03-01", 1))
    assert run_lint(today=date(2026, 12, 4)) == 0
    # the glossary's warnings (tests/bot/test_translator_context.py) are another matter
    err = [line for line in capsys.readouterr().err.splitlines() if "glossary" not in line]
    warnings = [line for line in err if line.startswith("warning: ")]
    assert len(warnings) == 2, err
    sources_line = next(i for i, line in enumerate((project / "rules_engine/parameters/"
                        "sources.yml").read_text(encoding="utf-8").splitlines(), 1)
                        if line == "  checked: 2025-03-01")
    assert warnings[0].startswith(f"warning: rules_engine/parameters/sources.yml:{sources_line}: "
                                  "source 'francetravail_contact' was last checked on "
                                  "2025-03-01, more than 6 month(s) ago"), warnings
    assert warnings[1].startswith("warning: rules_engine/parameters/contact/phone.yml:"), warnings
    assert "parameter 'contact.phone'" in warnings[1]
    assert err[-1] == "2 fact(s) to read again (guide sources --stale)"
    # a day when March 2025 is less than 6 months old: no warning
    assert run_lint(today=date(2025, 8, 31)) == 0
    assert not [line for line in capsys.readouterr().err.splitlines()
                if "warning" in line and "glossary" not in line]


def test_stale_after_is_a_setting(project: Path, capsys: pytest.CaptureFixture[str],
                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUIDE_STALE_MONTHS", "1")
    assert run_lint(today=date(2027, 1, 1)) == 0  # every fact checked in November 2026
    assert "warning: rules_engine/parameters/sources.yml:" in capsys.readouterr().err
    monkeypatch.setenv("GUIDE_STALE_MONTHS", "never")
    assert run_lint(today=date(2027, 1, 1)) == 1
    assert "error: GUIDE_STALE_MONTHS must be a whole number" in capsys.readouterr().err


def test_a_flow_not_to_rate_that_does_not_exist(project: Path) -> None:
    edit(project / "dialogues/_global.yml",
         lambda t: t.replace("no_feedback: [more_topics, reminders, checklist]",
                             "no_feedback: [more_topics, reminder, checklist]"))
    found = messages(project)
    line = next(n for n, text in enumerate((project / "dialogues/_global.yml").read_text(
        encoding="utf-8").splitlines(), 1) if text.startswith("no_feedback:"))
    assert f"dialogues/_global.yml:{line}: no_feedback: unknown flow 'reminder'" in found, found


def test_a_missing_feedback_text(project: Path) -> None:
    edit(project / "translations/fr/feedback.yml",
         lambda t: t.replace('feedback.thanks_up: "Merci ! 🙏"\n', ""))
    found = messages(project)
    assert any("feedback.thanks_up" in m and "missing in translations/fr/" in m
               for m in found), found


def test_a_typed_age_compared_with_an_unknown_parameter(project: Path) -> None:
    edit(project / "dialogues/eligibility.yml",
         lambda t: t.replace("typed_age: registration.min_age", "typed_age: registration.min_ag"))
    line = next(i for i, text in enumerate(
        (project / "dialogues/eligibility.yml").read_text(encoding="utf-8").splitlines(), 1)
        if "typed_age:" in text)
    found = messages(project)
    assert f"dialogues/eligibility.yml:{line}: steps.age.typed_age: unknown parameter " \
           "'registration.min_ag' (rules_engine/parameters/)" in found, found


def test_a_typed_age_on_a_question_that_is_not_yes_or_no(project: Path) -> None:
    edit(project / "dialogues/eligibility.yml",
         lambda t: t.replace("    slot: domicile\n",
                             "    slot: domicile\n    typed_age: registration.min_age\n"))
    found = messages(project)
    assert any(m.startswith("dialogues/eligibility.yml:") and "`typed_age` needs two options"
               in m for m in found), found
