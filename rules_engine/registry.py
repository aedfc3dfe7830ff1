"""Rules by the names dialogue flows call them, each taking a plain dict of answers.

An adapter keeps only the answers its facts model knows (a flow may pass all it has
collected), validates them with pydantic (a ValidationError names the field), and calls the
rule. The Decision's sources are those of the parameters the rule read.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel

from rules_engine.allowance import allowance_period, check_allowance
from rules_engine.appointments import first_appointment, reschedule_appointment
from rules_engine.deadlines import monthly_update_deadline
from rules_engine.decision import Decision
from rules_engine.deregistration import deregistration_recovery, missed_update_recovery
from rules_engine.documents import documents_checklist
from rules_engine.eligibility import check_eligibility
from rules_engine.facts import (
    AllowanceFacts,
    AppointmentFacts,
    DeregistrationFacts,
    DocumentsFacts,
    EligibilityFacts,
    PasswordFacts,
)
from rules_engine.password import check_password
from rules_engine.referrals import rsa_registration, young_registration

F = TypeVar("F", bound=BaseModel)
Rule = Callable[[dict[str, Any], date], Decision]


def _with_facts(model: type[F], rule: Callable[[F, date], Decision]) -> Rule:
    def adapter(answers: dict[str, Any], on: date) -> Decision:
        known = {name: value for name, value in answers.items() if name in model.model_fields}
        return rule(model.model_validate(known), on)

    adapter.__doc__ = f"{rule.__name__} with {model.__name__} built from the answers."
    return adapter


def _without_facts(rule: Callable[[date], Decision]) -> Rule:
    def adapter(answers: dict[str, Any], on: date) -> Decision:
        return rule(on)

    adapter.__doc__ = f"{rule.__name__}; the answers are not needed."
    return adapter


FACTS: dict[str, type[BaseModel] | None] = {
    "eligibility": EligibilityFacts,
    "documents": DocumentsFacts,
    "password": PasswordFacts,
    "monthly_update": None,
    "reschedule": AppointmentFacts,
    "first_appointment": None,
    "deregistration": DeregistrationFacts,
    "allowance": AllowanceFacts,
    "missed_update": None,
    "allowance_period": AllowanceFacts,
    "rsa_registration": None,
    "young_registration": None,
}
"""The facts model each rule needs (None: the date is enough)."""

RULES: dict[str, Rule] = {
    "eligibility": _with_facts(EligibilityFacts, check_eligibility),
    "documents": _with_facts(DocumentsFacts, documents_checklist),
    "password": _with_facts(PasswordFacts, check_password),
    "monthly_update": _without_facts(monthly_update_deadline),
    "reschedule": _with_facts(AppointmentFacts, reschedule_appointment),
    "first_appointment": _without_facts(first_appointment),
    "deregistration": _with_facts(DeregistrationFacts, deregistration_recovery),
    "allowance": _with_facts(AllowanceFacts, check_allowance),
    "missed_update": _without_facts(missed_update_recovery),
    "allowance_period": _with_facts(AllowanceFacts, allowance_period),
    "rsa_registration": _without_facts(rsa_registration),
    "young_registration": _without_facts(young_registration),
}

RULE_ANSWERS: dict[str, tuple[str, ...]] = {
    "allowance_period": ("work_months",),
}
"""The values a rule works out for the questions that follow (Decision.answers)."""
