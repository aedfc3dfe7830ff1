"""Topics the bot only points to (the RSA, young people's support): the part of their answer
that depends on the date. Since the plein emploi law, asking for the RSA or being followed by a
Mission Locale registers a person at France Travail; before that day the bot must not say so.
"""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, Reason
from rules_engine.lookup import Lookup

RSA_REGISTRATION = "rsa_registration"
YOUNG_REGISTRATION = "young_registration"
_SINCE = "registration.automatic_registration_since"


def _automatic_since(lookup: Lookup) -> date | None:
    """The day registration became automatic, if that day has come on the lookup's date."""
    if not lookup.in_force(_SINCE):
        return None
    since = lookup.day(_SINCE)
    return since if lookup.on >= since else None


def _registration(rule: str, key: str, on: date) -> Decision:
    lookup = Lookup(on)
    lookup.cite("francetravail_inscription_en_ligne")
    since = _automatic_since(lookup)
    if since is None:
        return lookup.decision(rule, "not_automatic", [])
    return lookup.decision(rule, "automatic", [Reason(key=key, params={"since": since})])


def rsa_registration(on: date) -> Decision:
    """Outcome "automatic" (asking for the RSA registers the person and their partner at
    France Travail) or "not_automatic" (before that rule, nothing is said)."""
    return _registration(RSA_REGISTRATION, "rules.rsa_registration.automatic", on)


def young_registration(on: date) -> Decision:
    """Outcome "automatic" (a young person followed by a Mission Locale is registered at
    France Travail) or "not_automatic" (before that rule, nothing is said)."""
    return _registration(YOUNG_REGISTRATION, "rules.young_registration.automatic", on)
