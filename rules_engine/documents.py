"""The papers to gather for registration and the first appointment, in the order to check them."""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, Reason
from rules_engine.facts import DocumentsFacts
from rules_engine.lookup import Lookup

RULE = "documents"

_RESIDENCE_DOCUMENT = {
    "residence_permit": "rules.documents.residence_permit",
    "receipt": "rules.documents.receipt",
    "aps": "rules.documents.aps",
}


def documents_checklist(facts: DocumentsFacts, on: date) -> Decision:
    """Outcome "checklist"; the reasons are the items, one each, in order."""
    lookup = Lookup(on)
    lookup.cite("refugies_info_register")
    items = [_identity(facts), *_residence(facts), _health_insurance(facts)]
    if facts.has_worked:
        items.append(Reason(key="rules.documents.work_papers"))
        items.append(Reason(key="rules.documents.rib"))
    else:
        items.append(Reason(key="rules.documents.rib_later"))
    items.append(Reason(key="rules.documents.cv"))
    return lookup.decision(RULE, "checklist", items)


def _identity(facts: DocumentsFacts) -> Reason:
    # OFPRA gives protected people civil-status papers that stand in for a passport they
    # cannot ask their country for.
    if facts.status in ("refugee", "subsidiary_protection", "stateless"):
        return Reason(key="rules.documents.identity_protection")
    return Reason(key="rules.documents.identity")


def _residence(facts: DocumentsFacts) -> list[Reason]:
    if facts.status in ("french", "eu_citizen"):
        return []
    key = _RESIDENCE_DOCUMENT.get(facts.document, "rules.documents.residence_document_missing")
    return [Reason(key=key)]


def _health_insurance(facts: DocumentsFacts) -> Reason:
    if facts.has_vitale_card:
        return Reason(key="rules.documents.vitale_card")
    return Reason(key="rules.documents.social_security_attestation")
