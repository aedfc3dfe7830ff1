"""Help choose a password the France Travail site accepts, without ever seeing it.

The rules come from the source page (no current official page states them), so the
parameters are marked uncertain and the decision always says the site may ask for more.
"""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, ParamValue, Reason
from rules_engine.facts import PasswordFacts
from rules_engine.lookup import Lookup

RULE = "password"

# Rule id (a PasswordFacts field) → the parameter that switches it on, in the order to ask.
_SWITCHES = {
    "long_enough": "account.password.min_length",
    "has_letter": "account.password.requires_letter",
    "has_digit": "account.password.requires_digit",
    "has_symbol": "account.password.requires_symbol",
}
_FIX = {
    "long_enough": "rules.password.add_length",
    "has_letter": "rules.password.add_letter",
    "has_digit": "rules.password.add_digit",
    "has_symbol": "rules.password.add_symbol",
}


def password_rules(on: date) -> list[str]:
    """The rule ids in force on `on`, in the order to ask about them."""
    return _active_rules(Lookup(on))


def _active_rules(lookup: Lookup) -> list[str]:
    active: list[str] = []
    for rule_id, name in _SWITCHES.items():
        if not lookup.in_force(name):
            continue
        if rule_id == "long_enough" or lookup.flag(name):
            active.append(rule_id)
    return active


def check_password(facts: PasswordFacts, on: date) -> Decision:
    """Outcome "fix" with one reason per rule answered "no", else "ok"; then the warnings."""
    lookup = Lookup(on)
    fixes: list[Reason] = []
    for rule_id in _active_rules(lookup):
        if getattr(facts, rule_id) is not False:
            continue
        params: dict[str, ParamValue] = {}
        if rule_id == "long_enough":
            min_length = lookup.integer("account.password.min_length")
            params = {"min_length": min_length, "count": min_length}
        fixes.append(Reason(key=_FIX[rule_id], params=params))
    outcome = "fix" if fixes else "ok"
    head = fixes or [Reason(key="rules.password.looks_ok")]
    lookup.cite("francetravail_phishing")
    warnings = [
        Reason(key="rules.password.never_share"),
        Reason(key="rules.password.site_may_ask_more", uncertain=True),
    ]
    return lookup.decision(RULE, outcome, head + warnings)
