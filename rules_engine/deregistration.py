"""Taken off the job seekers' list: the steps to get back, by reason and by time elapsed."""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, Reason
from rules_engine.facts import DeregistrationFacts, DeregistrationReason
from rules_engine.lookup import Lookup
from rules_engine.sanctions import sanction_regime

RULE = "deregistration"

# Failures to meet an obligation: these are sanctions, and the letter can be contested.
SANCTIONED: frozenset[DeregistrationReason] = frozenset(
    {"missed_appointment", "missed_training", "no_answer"}
)

_REGIME = {
    "suspension_remobilisation": "rules.deregistration.regime_suspension",
    "radiation": "rules.deregistration.regime_radiation",
}


def deregistration_recovery(facts: DeregistrationFacts, on: date) -> Decision:
    """Outcome "steps": what to do, in order, then the rules in force on `on`."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register")
    how = _how_to_reregister(facts, lookup)
    if facts.reason == "missed_update" and how.key == "rules.deregistration.reregister_interview":
        # long ago: "register again online" would contradict the interview that follows
        steps = [how]
    else:
        steps = [*_first_steps(facts.reason), how]
    if facts.reason in ("missed_update", "document_expired"):
        steps.append(Reason(key="rules.deregistration.cessation"))
    if facts.reason == "missed_update":
        steps.append(Reason(key="rules.deregistration.missed_update_sanction", uncertain=True))
    elif facts.reason != "document_expired":
        # An expired document is not a failure to meet an obligation: no sanction to explain.
        regime = sanction_regime(lookup)
        steps.append(Reason(key=_REGIME[regime.kind], params=regime.params))
    return lookup.decision(RULE, "steps", steps)


def _first_steps(reason: DeregistrationReason) -> list[Reason]:
    if reason in SANCTIONED:
        return [Reason(key="rules.deregistration.contest_letter")]
    if reason == "missed_update":
        return [Reason(key="rules.deregistration.reregister_after_missed_update")]
    if reason == "document_expired":
        return [Reason(key="rules.deregistration.send_new_document")]
    return [Reason(key="rules.deregistration.read_the_letter")]


def _how_to_reregister(facts: DeregistrationFacts, lookup: Lookup) -> Reason:
    """Online if recent, else an interview: from the source page only, so uncertain."""
    name = "deregistration.reregister_online_max_months"
    max_months = lookup.integer(name)
    key = (
        "rules.deregistration.reregister_online"
        if facts.months_ago <= max_months
        else "rules.deregistration.reregister_interview"
    )
    return Reason(key=key, params={"max_months": max_months}, uncertain=lookup.uncertain(name))
