"""The papers to gather for registration and the first appointment, in the order to check them.

Outcomes: "checklist" (the reasons are the items, one each, in order, each with its short
line `rules.documents.line.*` for the list to show at the desk) and "asylum_seeker" (no
checklist: the same kind pointer elsewhere as the eligibility rule gives).
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
# each paper's explanation and its short line (rules.documents.line.*) for the checklist;
# spelled out, not derived, so that `guide lint` finds every line key in this file
_LINE = {
    "rules.documents.identity": "rules.documents.line.identity",
    "rules.documents.identity_protection": "rules.documents.line.identity_protection",
    "rules.documents.no_consulate_passport": "rules.documents.line.no_consulate_passport",
    "rules.documents.residence_permit": "rules.documents.line.residence_permit",
    "rules.documents.receipt": "rules.documents.line.receipt",
    "rules.documents.api": "rules.documents.line.api",
    "rules.documents.aps": "rules.documents.line.aps",
    "rules.documents.residence_document_missing":
        "rules.documents.line.residence_document_missing",
    "rules.documents.residence_document_missing_anef":
        "rules.documents.line.residence_document_missing_anef",
    "rules.documents.vitale_card": "rules.documents.line.vitale_card",
    "rules.documents.social_security_attestation":
        "rules.documents.line.social_security_attestation",
    "rules.documents.work_papers": "rules.documents.line.work_papers",
    "rules.documents.rib": "rules.documents.line.rib",
    "rules.documents.rib_later": "rules.documents.line.rib_later",
    "rules.documents.cv": "rules.documents.line.cv",
}


def _item(key: str, warn: bool = False) -> Reason:
    """A paper of the list (or, `warn`, a thing not to do), with its checklist line."""
    return Reason(key=key, line=_LINE[key], warn=warn)


def documents_checklist(facts: DocumentsFacts, on: date) -> Decision:
    """The papers to bring, or, for an asylum seeker, where to turn instead."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register")
    if facts.status == "asylum_seeker":
        # registration is not open to them yet: a checklist would say the opposite
        return lookup.decision(RULE, "asylum_seeker", asylum_seeker_reasons(lookup))
    items = [*_identity(facts, lookup), *_residence(facts, lookup), _health_insurance(facts)]
    if facts.has_worked:
        items.append(_item("rules.documents.work_papers"))
        items.append(_item("rules.documents.rib"))
    else:
        items.append(_item("rules.documents.rib_later"))
    items.append(_item("rules.documents.cv"))
    return lookup.decision(RULE, "checklist", items)


def _identity(facts: DocumentsFacts, lookup: Lookup) -> list[Reason]:
    if facts.status not in PROTECTED:
        return [_item("rules.documents.identity")]
    # the residence document (or API) proves identity; OFPRA's civil-status papers come late
    lookup.cite("ash_identity_documents", "accueil_integration_api", "ofpra_etat_civil",
                "ardhis_api")
    reasons = [_item("rules.documents.identity_protection")]
    if facts.status in ON_ANEF:
        # asking the country's consulate for a passport can end the protection
        lookup.cite("interieur_droits_proteges", "fta_consulate_renunciation")
        reasons.append(_item("rules.documents.no_consulate_passport", warn=True))
    return reasons


def _residence(facts: DocumentsFacts, lookup: Lookup) -> list[Reason]:
    if facts.status in ("french", "eu_citizen"):
        return []
    if facts.document in _RESIDENCE_DOCUMENT:
        return [_item(_RESIDENCE_DOCUMENT[facts.document])]
    if facts.status in ON_ANEF:
        # missing or expired: the card is asked for (or renewed) on ANEF, with an API meanwhile
        lookup.in_force("contact.anef_website")
        lookup.cite("refugies_info_carte_sejour", "refugies_info_renew_card")
        return [_item("rules.documents.residence_document_missing_anef")]
    return [_item("rules.documents.residence_document_missing")]


def _health_insurance(facts: DocumentsFacts) -> Reason:
    if facts.has_vitale_card:
        return _item("rules.documents.vitale_card")
    return _item("rules.documents.social_security_attestation")
