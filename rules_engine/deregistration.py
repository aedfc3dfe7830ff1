"""No longer registered: the steps to get back, by reason, by what the person receives and by
the time elapsed since the letter.

A "radiation" is a sanction (missed appointment or training, no answer to a letter): it can be
contested, within a time limit, and lasts a set time. A missed monthly update or an expired
residence document ends the registration ("cessation d'inscription"): no sanction, the person
registers again.
"""

from __future__ import annotations

from datetime import date

from rules_engine.deadlines import monthly_update_deadline
from rules_engine.decision import Decision, Reason
from rules_engine.facts import DeregistrationFacts, DeregistrationReason
from rules_engine.lookup import Lookup
from rules_engine.sanctions import BRIEF, sanction_regimes

RULE = "deregistration"
MISSED_UPDATE = "missed_update"

# Failures to meet an obligation: these are sanctions, and the letter can be contested.
SANCTIONED: frozenset[DeregistrationReason] = frozenset(
    {"missed_appointment", "missed_training", "no_answer"}
)

_REGIME = {
    "suspension_remobilisation": "rules.deregistration.regime_suspension",
    "rsa_suspension": "rules.deregistration.regime_rsa",
    "warning_then_radiation": "rules.deregistration.regime_no_allowance",
    "radiation": "rules.deregistration.regime_radiation",
}


def deregistration_recovery(facts: DeregistrationFacts, on: date) -> Decision:
    """Outcome "steps": what to do, in order, then the rules in force on `on`."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register")
    how = _how_to_reregister(facts, lookup)
    if facts.reason == "missed_update":
        steps = [Reason(key="rules.deregistration.cessation")]
        if how.key == "rules.deregistration.reregister_interview":
            # long ago: "register again now, online" would contradict the interview
            steps.append(how)
        else:
            lookup.cite("francetravail_inscription", "cgt_chomeurs_actualisation")
            steps.append(Reason(key="rules.deregistration.reregister_after_missed_update"))
        lookup.cite("rtl_oubli_actualisation")
        steps += [
            Reason(key="rules.deregistration.payments_after_missed_update", uncertain=True),
            Reason(key="rules.deregistration.missed_update_sanction", uncertain=True),
        ]
        return lookup.decision(RULE, "steps", steps)
    if facts.reason == "document_expired":
        # Not a failure to meet an obligation: no sanction to explain.
        steps = [Reason(key="rules.deregistration.cessation"),
                 Reason(key="rules.deregistration.send_new_document"), how]
        return lookup.decision(RULE, "steps", steps)
    if facts.reason in SANCTIONED:
        steps = [Reason(key="rules.deregistration.explain_before_decision")]
    else:
        steps = [Reason(key="rules.deregistration.read_the_letter")]
    steps.append(_contest(facts, lookup))
    regimes = sanction_regimes(lookup, facts.income)
    if len(regimes) > 1:
        # what the person receives is not known: each case briefly, after a word saying so
        steps.append(Reason(key="rules.deregistration.regime_depends"))
        steps += [Reason(key=BRIEF[r.kind], params=r.params) for r in regimes]
    else:
        steps += [Reason(key=_REGIME[r.kind], params=r.params) for r in regimes]
    steps += [Reason(key="rules.deregistration.register_after_radiation"), how]
    return lookup.decision(RULE, "steps", steps)


def missed_update_recovery(on: date) -> Decision:
    """Outcome "reregister": the monthly update was missed, what it did and the way back now
    (the same steps as a deregistration for that reason, less than a month ago). Outcome
    "still_open" up to the deadline day: last month's update can still be done."""
    lookup = Lookup(on)
    if on.day <= lookup.integer("monthly_update.deadline_day"):
        update = monthly_update_deadline(on)
        kept = [r for r in update.reasons
                if r.key in ("rules.monthly_update.open", "rules.monthly_update.last_day",
                             "rules.monthly_update.where")]
        return Decision(rule=MISSED_UPDATE, outcome="still_open", on=on, reasons=kept,
                        sources=update.sources)
    lookup.cite("francetravail_actualisation", "francetravail_inscription",
                "cgt_chomeurs_actualisation", "rtl_oubli_actualisation")
    steps = [
        Reason(key="rules.deregistration.cessation"),
        Reason(key="rules.deregistration.reregister_after_missed_update"),
        Reason(key="rules.deregistration.payments_after_missed_update", uncertain=True),
    ]
    return lookup.decision(MISSED_UPDATE, "reregister", steps)


def _contest(facts: DeregistrationFacts, lookup: Lookup) -> Reason:
    """A complaint, then the regional mediator, within the time limit after the decision.

    "months_ago" may stand for a range ("1 to 6 months"): past the limit, the message says
    the limit and what to do when it has passed, without claiming it has."""
    lookup.cite("service_public_f31197")
    months = lookup.integer("deregistration.contest_months")
    key = (
        "rules.deregistration.contest_in_time"
        if facts.months_ago < months
        else "rules.deregistration.contest_late"
    )
    return Reason(key=key, params={"contest_months": months})


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
