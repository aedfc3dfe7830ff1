"""A flow's `openers`: how one of its intents opens it ("I want to work" opens "Can I
register?" with a first sentence, or "How to register" once eligibility said yes)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot import paths
from bot.dialogue.loader import load_dialogues
from bot.dialogue.schema import Flow, Opener

STEPS = {"only": {"say": ["x.text"], "end": True}}


def test_once_and_then_go_together() -> None:
    with pytest.raises(ValidationError):
        Opener.model_validate({"once": {"can_register": True}})
    with pytest.raises(ValidationError):
        Opener.model_validate({"then": "how_to_register"})


def test_an_opener_is_for_one_of_the_flows_intents() -> None:
    with pytest.raises(ValidationError, match="not among the flow's intents"):
        Flow.model_validate({"flow": "f", "label": "f.label", "intents": ["a"], "start": "only",
                             "openers": {"b": {"say": ["x.first"]}}, "steps": STEPS})


def test_looking_for_work_opens_eligibility_then_how_to_register() -> None:
    dialogues = load_dialogues(paths.ROOT / "dialogues")
    flow, first = dialogues.opening("looking_for_work", {})
    assert flow.flow == "eligibility" and [m.key for m in first] == ["eligibility.opener"]
    flow, first = dialogues.opening("looking_for_work", {"can_register": False})
    assert flow.flow == "eligibility" and first
    flow, first = dialogues.opening("looking_for_work", {"can_register": True})
    assert flow.flow == "how_to_register" and first == []
    # asked directly, "Can I register?" has no opener sentence
    flow, first = dialogues.opening("check_eligibility", {"can_register": True})
    assert flow.flow == "eligibility" and first == []
