"""The papers to gather for registration and the first appointment, in the order to check them.

Outcomes: "checklist" (the reasons are the items, one each, in order) and "asylum_seeker"
(no checklist: the same kind pointer elsewhere as the eligibility rule gives).
"""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, Reason
from rules_engine.eligibility import ON_ANEF, PROTECTED, asylum_seeker_reasons
from rules_engine.facts import DocumentsFacts
from rules_engine.lookup import Lookup

RULE = "documents"

_RESIDENCE_DOCUMENT = {
    "residence_permit": "rules.documents.residence_permit",
    "receipt": "rules.documents.receipt",
    "api": "rules.documents.api",
    "aps": "rules.documents.aps",
}


def documents_checklist(facts: DocumentsFacts, on: date) -> Decision:
    """The papers to bring, or, for an asylum seeker, where to turn instead."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register")
    if facts.status == "asylum_seeker":
        # registration is not open to them yet: a checklist would say the opposite
        return lookup.decision(RULE, "asylum_seeker", asylum_seeker_reasons(lookup))
    items = [*_identity(facts, lookup), *_residence(facts, lookup), _health_insurance(facts)]
    if facts.has_worked:
        items.append(Reason(key="rules.documents.work_papers"))
        items.append(Reason(key="rules.documents.rib"))
    else:
        items.append(Reason(key="rules.documents.rib_later"))
    items.append(Reason(key="rules.documents.cv"))
    return lookup.decision(RULE, "checklist", items)


def _identity(facts: DocumentsFacts, lookup: Lookup) -> list[Reason]:
    if facts.status not in PROTECTED:
        return [Reason(key="rules.documents.identity")]
    # the residence document (or API) proves identity; OFPRA's civil-status papers come late
    lookup.cite("ash_identity_documents", "accueil_integration_api", "ofpra_etat_civil",
                "ardhis_api")
    reasons = [Reason(key="rules.documents.identity_protection")]
    if facts.status in ON_ANEF:
        # asking the country's consulate for a passport can end the protection
        lookup.cite("interieur_droits_proteges", "fta_consulate_renunciation")
        reasons.append(Reason(key="rules.documents.no_consulate_passport"))
    return reasons


def _residence(facts: DocumentsFacts, lookup: Lookup) -> list[Reason]:
    if facts.status in ("french", "eu_citizen"):
        return []
    if facts.document in _RESIDENCE_DOCUMENT:
        return [Reason(key=_RESIDENCE_DOCUMENT[facts.document])]
    if facts.status in ON_ANEF:
        # missing or expired: the card is asked for (or renewed) on ANEF, with an API meanwhile
        lookup.in_force("contact.anef_website")
        lookup.cite("refugies_info_carte_sejour", "refugies_info_renew_card")
        return [Reason(key="rules.documents.residence_document_missing_anef")]
    return [Reason(key="rules.documents.residence_document_missing")]


def _health_insurance(facts: DocumentsFacts) -> Reason:
    if facts.has_vitale_card:
        return Reason(key="rules.documents.vitale_card")
    return Reason(key="rules.documents.social_security_attestation")
