"""A step's `set`: answers recorded on entering the step, so that a link from another flow
(`goto: flow.step`) can skip a question it already knows the answer to."""

from __future__ import annotations

from pathlib import Path

from bot.dialogue.schema import Step
from bot.lint import lint


def test_a_step_may_set_answers() -> None:
    step = Step.model_validate({"set": {"reason": "missed_update"}, "next": "months_ago"})
    assert step.set == {"reason": "missed_update"}


def test_a_step_only_a_link_opens_is_reachable(project: Path) -> None:
    assert [str(e) for e in lint()] == []
    # without the missed_update flow's link, deregistered.from_missed_update is an orphan
    flow = project / "dialogues/missed_update.yml"
    text = flow.read_text(encoding="utf-8")
    edited = text.replace("goto: deregistered.from_missed_update", "goto: deregistered")
    assert edited != text
    flow.write_text(edited, encoding="utf-8")
    found = [str(e) for e in lint()]
    assert any("from_missed_update: not reachable" in m for m in found), found
