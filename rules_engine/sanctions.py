"""Which sanction regime applies on a date, for rules that explain what a failure costs.

Since décret 2025-478 (in force 2025-06-01): "suspension-remobilisation" of part of the
allowance. Before: radiation (deregistration) for a number of months. Each regime is a
parameter with its own period, so the date alone decides.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from rules_engine.decision import ParamValue
from rules_engine.lookup import Lookup

SUSPENSION = "sanctions.suspension_remobilisation"
RADIATION = "sanctions.radiation"


@dataclass(frozen=True)
class SanctionRegime:
    """The regime in force and the numbers a message about it quotes."""

    kind: Literal["suspension_remobilisation", "radiation"]
    params: dict[str, ParamValue]


def sanction_regime(lookup: Lookup) -> SanctionRegime:
    """The regime in force on the lookup's date (raises if neither parameter covers it)."""
    if lookup.in_force(SUSPENSION):
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
    numbers = lookup.integers(RADIATION)
    return SanctionRegime(
        kind="radiation",
        params={"min_months": numbers["min_months"], "max_months": numbers["max_months"]},
    )
