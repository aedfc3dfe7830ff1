"""Which sanction applies to a failure (a missed appointment, no answer…), by date and by what
the person receives.

Before décret 2025-478 (in force 2025-06-01): radiation (deregistration) for a number of
months, whatever the person received. Since: on an allowance paid by France Travail (ARE),
"suspension-remobilisation" of part of it; on the RSA, the suspension falls on the RSA (the
département decides); with neither, a warning letter with a deadline, then radiation for a
set time (Code du travail R5412-3-3). Each regime is a parameter with its own period.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rules_engine.decision import ParamValue
from rules_engine.facts import Income
from rules_engine.lookup import Lookup

SUSPENSION = "sanctions.suspension_remobilisation"
RSA_SUSPENSION = "sanctions.rsa_suspension"
NO_ALLOWANCE = "sanctions.no_allowance_radiation"
RADIATION = "sanctions.radiation"

RegimeKind = Literal["suspension_remobilisation", "rsa_suspension", "warning_then_radiation",
                     "radiation"]


# When what the person receives is not known, each case is said in one short line (messages
# shared by the reschedule and deregistration rules).
BRIEF: dict[RegimeKind, str] = {
    "suspension_remobilisation": "rules.reschedule.consequence_brief_are",
    "rsa_suspension": "rules.reschedule.consequence_brief_rsa",
    "warning_then_radiation": "rules.reschedule.consequence_brief_none",
    "radiation": "rules.reschedule.consequence_radiation",
}


@dataclass(frozen=True)
class SanctionRegime:
    """The regime in force and the numbers a message about it quotes."""

    kind: RegimeKind
    params: dict[str, ParamValue]


def sanction_regimes(lookup: Lookup, income: Income) -> list[SanctionRegime]:
    """The regimes that may apply on the lookup's date: one when what the person receives is
    known or does not matter (before 2025-06-01), all three when it is "unknown"."""
    if not lookup.in_force(SUSPENSION):
        numbers = lookup.integers(RADIATION)
        return [SanctionRegime(kind="radiation", params={"min_months": numbers["min_months"],
                                                          "max_months": numbers["max_months"]})]
    by_income = {"are": _allowance, "rsa": _rsa, "none": _no_allowance}
    if income == "unknown":
        return [build(lookup) for build in by_income.values()]
    return [by_income[income](lookup)]


def _allowance(lookup: Lookup) -> SanctionRegime:
    numbers = lookup.integers(SUSPENSION)
    return SanctionRegime(
        kind="suspension_remobilisation",
        params={
            "percent": numbers["min_percent"],
            "min_months": numbers["min_months"],
            "max_months": numbers["max_months"],
            "repeat_max_months": numbers["repeat_max_months"],
            "removal_months": numbers["radiation_after_removal_months"],
        },
    )


def _rsa(lookup: Lookup) -> SanctionRegime:
    numbers = lookup.integers(RSA_SUSPENSION)
    return SanctionRegime(
        kind="rsa_suspension",
        params={
            "percent": numbers["min_percent"],
            "min_months": numbers["min_months"],
            "max_months": numbers["max_months"],
            "repeat_max_months": numbers["repeat_max_months"],
            "household_percent": numbers["household_max_percent"],
        },
    )


def _no_allowance(lookup: Lookup) -> SanctionRegime:
    numbers = lookup.integers(NO_ALLOWANCE)
    return SanctionRegime(
        kind="warning_then_radiation",
        params={"min_months": numbers["min_months"], "max_months": numbers["max_months"]},
    )
