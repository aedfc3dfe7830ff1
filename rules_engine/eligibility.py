"""Who may register as a job seeker at France Travail, and what to do first if not yet.

Outcomes: "eligible" (register now), "eligible_after" (register once the steps in the
reasons are done), "not_eligible" (a basic condition is missing), "asylum_seeker" (this bot
is for people with a protection: a kind pointer elsewhere).
"""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, ParamValue, Reason
from rules_engine.facts import EligibilityFacts, Status
from rules_engine.lookup import Lookup

RULE = "eligibility"

# International protection granted by OFPRA or the CNDA: their residence card always allows
# work (réfugiés.info; F2689; former L313-26 for stateless people), so they are never told
# that it does not.
PROTECTED: frozenset[Status] = frozenset({"refugee", "subsidiary_protection", "stateless"})
# Those who apply for their card online on ANEF and download an API meanwhile; stateless
# people still apply at the prefecture (réfugiés.info "Avoir une carte de séjour").
ON_ANEF: frozenset[Status] = frozenset({"refugee", "subsidiary_protection"})
NO_DOCUMENT_NEEDED: frozenset[Status] = frozenset({"french", "eu_citizen"})
# Where it is written that a protected person's card allows work, beyond réfugiés.info.
_CARD_ALLOWS_WORK: dict[Status, tuple[str, ...]] = {
    "subsidiary_protection": ("service_public_f2689",),
    "stateless": ("ceseda_stateless_card",),
}
# Notes that leave the right to work unknown: the "good news" is then said with a condition.
_UNSURE_NOTES = frozenset({
    "rules.eligibility.check_receipt_allows_work",
    "rules.eligibility.check_permit_allows_work",
})


def check_eligibility(facts: EligibilityFacts, on: date) -> Decision:
    """Whether the person can register on `on`, with the reasons and next steps."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register")
    if facts.status == "asylum_seeker":
        return lookup.decision(RULE, "asylum_seeker", asylum_seeker_reasons(lookup))
    blocking = _basic_conditions(facts, lookup)
    if blocking:
        return lookup.decision(RULE, "not_eligible", blocking)
    steps, notes = _document_steps(facts, lookup)
    if facts.domicile == "none":
        lookup.cite("service_public_domiciliation")
        steps.insert(0, Reason(key="rules.eligibility.get_domiciliation"))
    if steps:
        head = [Reason(key="rules.eligibility.register_after_steps")]
        outcome = "eligible_after"
    else:
        unsure = any(note.key in _UNSURE_NOTES for note in notes)
        head = [
            Reason(key="rules.eligibility.can_register_if_allowed" if unsure
                   else "rules.eligibility.can_register_now"),
            Reason(key="rules.eligibility.how_to_register"),
        ]
        outcome = "eligible"
    return lookup.decision(RULE, outcome, head + steps + notes + _automatic(lookup))


def asylum_seeker_reasons(lookup: Lookup) -> list[Reason]:
    """What an asylum seeker is told instead of registering (the documents rule says it too)."""
    months = lookup.integer("registration.asylum_work_authorisation_months")
    lookup.cite("service_public_asylum_work", "service_public_ada")
    return [
        Reason(key="rules.eligibility.asylum_seeker_other_help"),
        Reason(key="rules.eligibility.asylum_work_authorisation", params={"months": months}),
        Reason(key="rules.eligibility.asylum_ada"),
        Reason(key="rules.eligibility.asylum_ask_spada"),
    ]


def _basic_conditions(facts: EligibilityFacts, lookup: Lookup) -> list[Reason]:
    """One reason per missing basic condition (looking for a job, age, able to work)."""
    reasons: list[Reason] = []
    if not facts.looking_for_job:
        reasons.append(Reason(key="rules.eligibility.not_looking_for_job"))
    if not facts.at_least_min_age:
        min_age = lookup.integer("registration.min_age")
        reasons.append(Reason(key="rules.eligibility.under_min_age", params={"min_age": min_age}))
    if not facts.able_to_work:
        reasons.append(Reason(key="rules.eligibility.not_able_to_work"))
    return reasons


def _document_steps(facts: EligibilityFacts, lookup: Lookup) -> tuple[list[Reason], list[Reason]]:
    """Steps still to do about the residence document, and notes that need no step."""
    if facts.status in NO_DOCUMENT_NEEDED:
        return [], [Reason(key="rules.eligibility.no_document_needed")]
    lookup.cite("code_travail_r5221_48")
    if facts.status == "temporary_protection" and facts.document in ("aps", "none", "not_needed"):
        return _temporary_protection(facts, lookup)
    if facts.document == "expired":
        if facts.status in PROTECTED:
            _cite_anef(lookup, "refugies_info_renew_card")
            return [Reason(key="rules.eligibility.renew_on_anef")], []
        return [Reason(key="rules.eligibility.renew_document")], []
    if facts.document in ("none", "not_needed"):
        if facts.status in ON_ANEF:
            months = _api_months(lookup)
            return [Reason(key="rules.eligibility.get_api_on_anef", params={"months": months})], []
        if facts.status in PROTECTED:
            return [Reason(key="rules.eligibility.get_protection_document")], []
        return [Reason(key="rules.eligibility.get_residence_document")], []
    if facts.document == "api" and facts.status in ON_ANEF:
        months = _api_months(lookup)
        return [], [Reason(key="rules.eligibility.api_allows_work", params={"months": months})]
    if facts.document == "residence_permit":
        return _permit(facts, lookup)
    return _receipt(facts, lookup)


def _cite_anef(lookup: Lookup, *source_ids: str) -> None:
    lookup.in_force("contact.anef_website")  # cites where the address comes from
    lookup.cite(*source_ids)


def _api_months(lookup: Lookup) -> int:
    _cite_anef(lookup, "ceseda_r431_15_3")
    return lookup.integer("registration.api_validity_months")


def _permit(facts: EligibilityFacts, lookup: Lookup) -> tuple[list[Reason], list[Reason]]:
    if facts.status in PROTECTED:
        # whatever the person believes, this card allows work: say so and go on
        lookup.cite("refugies_info_carte_sejour", *_CARD_ALLOWS_WORK.get(facts.status, ()))
        return [], [Reason(key="rules.eligibility.protection_card_allows_work")]
    if facts.document_allows_work is False:
        return [Reason(key="rules.eligibility.permit_must_allow_work")], []
    if facts.document_allows_work is None:
        return [], [Reason(key="rules.eligibility.check_permit_allows_work")]
    return [], []


def _receipt(facts: EligibilityFacts, lookup: Lookup) -> tuple[list[Reason], list[Reason]]:
    """A récépissé (or an API or APS outside the cases above) must say that it allows work."""
    if facts.document_allows_work is False:
        if facts.status in ON_ANEF:
            # not the protection's own document (perhaps the asylum seeker's one): the API
            # downloaded from ANEF is, and it allows work
            months = _api_months(lookup)
            return [Reason(key="rules.eligibility.get_api_on_anef", params={"months": months})], []
        return [Reason(key="rules.eligibility.ask_receipt_allowing_work")], []
    notes: list[Reason] = []
    if facts.status in PROTECTED:
        notes.append(Reason(key="rules.eligibility.protection_receipt_enough"))
    if facts.document_allows_work is None:
        notes.append(Reason(key="rules.eligibility.check_receipt_allows_work"))
    return [], notes


def _temporary_protection(
    facts: EligibilityFacts, lookup: Lookup
) -> tuple[list[Reason], list[Reason]]:
    """The APS allows work while the EU temporary protection lasts."""
    until = lookup.day("registration.temporary_protection_until")
    params: dict[str, ParamValue] = {"temporary_protection_until": until}
    if lookup.on > until:
        # The EU has extended it every year so far; the bot cannot know of a newer decision.
        return [
            Reason(
                key="rules.eligibility.temporary_protection_check_extension",
                params=params,
                uncertain=True,
            )
        ], []
    if facts.document != "aps":
        return [Reason(key="rules.eligibility.get_aps")], []
    return [], [Reason(key="rules.eligibility.aps_valid_until", params=params)]


def _automatic(lookup: Lookup) -> list[Reason]:
    """Since the plein emploi law, some people are registered without doing anything."""
    name = "registration.automatic_registration_since"
    if not lookup.in_force(name):
        return []
    since = lookup.day(name)
    if lookup.on < since:
        return []
    return [Reason(key="rules.eligibility.automatic_registration", params={"since": since})]
