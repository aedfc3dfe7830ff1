"""The rules engine: facts in, a Decision (outcome, message keys, sources) out.

Pure functions over dated parameters (rules_engine/parameters/**.yml). No user-facing text
here: reasons are message keys, worded in translations/<lang>/rules.yml.
"""

from rules_engine.allowance import check_allowance
from rules_engine.appointments import first_appointment, reschedule_appointment
from rules_engine.deadlines import monthly_update_deadline
from rules_engine.decision import Decision, Reason, Source
from rules_engine.deregistration import deregistration_recovery
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
from rules_engine.parameter_store import (
    NoValueInForce,
    ParameterError,
    ParameterStore,
    UnknownParameter,
)
from rules_engine.parameters import (
    PUBLIC_NAMES,
    check_parameters,
    in_force,
    parameter,
    parameter_sources,
    parameter_uncertain,
    public_parameters,
    source,
    source_info,
    today_in_paris,
)
from rules_engine.password import check_password, password_rules
from rules_engine.registry import FACTS, RULES
from rules_engine.yamlfile import DataFileError

__all__ = [
    "FACTS",
    "PUBLIC_NAMES",
    "RULES",
    "AllowanceFacts",
    "AppointmentFacts",
    "DataFileError",
    "Decision",
    "DeregistrationFacts",
    "DocumentsFacts",
    "EligibilityFacts",
    "NoValueInForce",
    "ParameterError",
    "ParameterStore",
    "PasswordFacts",
    "Reason",
    "Source",
    "UnknownParameter",
    "check_allowance",
    "check_eligibility",
    "check_parameters",
    "check_password",
    "deregistration_recovery",
    "documents_checklist",
    "first_appointment",
    "in_force",
    "monthly_update_deadline",
    "parameter",
    "parameter_sources",
    "parameter_uncertain",
    "password_rules",
    "public_parameters",
    "reschedule_appointment",
    "source",
    "source_info",
    "today_in_paris",
]
