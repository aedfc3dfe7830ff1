"""The registry: rules by name, called with the dialogue's plain answers."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from rules_engine import RULES, password_rules
from rules_engine.registry import FACTS

ON = date(2026, 11, 27)


def test_the_rule_names_the_dialogues_use() -> None:
    assert set(RULES) == {
        "eligibility",
        "documents",
        "password",
        "monthly_update",
        "reschedule",
        "first_appointment",
        "deregistration",
        "allowance",
        "missed_update",
        "allowance_period",
        "rsa_registration",
        "young_registration",
    }
    assert set(FACTS) == set(RULES)


def test_answers_of_other_questions_are_ignored() -> None:
    answers: dict[str, Any] = {"already_missed": "false", "unit": "days", "lang": "fr"}
    decision = RULES["reschedule"](answers, ON)
    assert decision.rule == "reschedule"
    assert decision.outcome == "tell_them"


def test_answers_are_validated() -> None:
    with pytest.raises(ValidationError, match="months_ago"):
        RULES["deregistration"]({"reason": "unknown", "months_ago": -1}, ON)
    with pytest.raises(ValidationError, match="status"):
        RULES["documents"](
            {
                "status": "martian",
                "document": "none",
                "has_worked": False,
                "has_vitale_card": False,
            },
            ON,
        )


def test_a_date_given_as_text_is_read() -> None:
    decision = RULES["allowance"]({"days_worked": 200, "age": 54, "contract_end": "2025-03-31"}, ON)
    assert any(reason.params.get("months") == 36 for reason in decision.reasons)


def test_sources_are_those_of_the_parameters_read() -> None:
    decision = RULES["allowance"]({"days_worked": 200, "age": 54, "contract_end": "2025-04-01"}, ON)
    ids = [source.id for source in decision.sources]
    assert "unedic_2025_rules" in ids
    assert len(ids) == len(set(ids))


def test_password_rules_in_the_order_to_ask() -> None:
    assert password_rules(ON) == ["long_enough", "has_letter", "has_digit", "has_symbol"]
