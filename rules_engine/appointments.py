"""Appointments with France Travail: the first one, and what to do when one cannot be kept."""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, Reason
from rules_engine.facts import AppointmentFacts
from rules_engine.lookup import Lookup
from rules_engine.sanctions import BRIEF, sanction_regimes

RESCHEDULE = "reschedule"
FIRST_APPOINTMENT = "first_appointment"

_CONSEQUENCE = {
    "suspension_remobilisation": "rules.reschedule.consequence_suspension",
    "rsa_suspension": "rules.reschedule.consequence_rsa",
    "warning_then_radiation": "rules.reschedule.consequence_no_allowance",
    "radiation": "rules.reschedule.consequence_radiation",
}


def reschedule_appointment(facts: AppointmentFacts, on: date) -> Decision:
    """Outcome "tell_them" (still ahead) or "missed", with how to reach France Travail."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register", "francetravail_contact")
    contact = Reason(key="rules.reschedule.how_to_contact")
    if not facts.already_missed:
        reasons = [
            Reason(key="rules.reschedule.tell_them_asap"),
            contact,
            Reason(key="rules.reschedule.all_mandatory"),
        ]
        return lookup.decision(RESCHEDULE, "tell_them", reasons)
    regimes = sanction_regimes(lookup, facts.income)
    reasons = [Reason(key="rules.reschedule.contact_now_with_proof"), contact]
    if len(regimes) > 1:
        # what the person receives is not known: each case briefly, after a word saying so
        reasons.append(Reason(key="rules.reschedule.consequence_depends"))
        reasons += [Reason(key=BRIEF[r.kind], params=r.params) for r in regimes]
    else:
        reasons += [Reason(key=_CONSEQUENCE[r.kind], params=r.params) for r in regimes]
    return lookup.decision(RESCHEDULE, "missed", reasons)


def first_appointment(on: date) -> Decision:
    """Outcome "info": what the first appointment is, and what it leads to on that date."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register")
    reasons = [
        Reason(key="rules.first_appointment.mandatory"),
        Reason(key="rules.first_appointment.not_an_exam"),
    ]
    if lookup.in_force("engagement.activity_hours_per_week"):
        # "at least" that many hours, fewer or none for difficulties; not a condition of the
        # allowance, but refusing to draw up or follow the contract can be sanctioned
        months = lookup.integer("engagement.signature_delay_months")
        hours = lookup.integer("engagement.activity_hours_per_week")
        reasons += [
            Reason(key="rules.first_appointment.contract_of_engagement", params={"count": months}),
            Reason(key="rules.first_appointment.activity_hours", params={"hours": hours}),
            Reason(key="rules.first_appointment.not_allowance_condition"),
        ]
    else:
        # Before the plein emploi law took effect, the plan was the PPAE of the source page.
        reasons.append(Reason(key="rules.first_appointment.ppae"))
    reasons.append(Reason(key="rules.first_appointment.what_to_bring"))
    return lookup.decision(FIRST_APPOINTMENT, "info", reasons)
