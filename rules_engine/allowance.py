"""Whether the work done may open a right to the allowance (ARE). France Travail decides.

The thresholds and the reference period are those in force at the end of the contract,
not on the day of the conversation: the 2025 rules apply to contracts ending from
2025-04-01.
"""

from __future__ import annotations

from datetime import date, timedelta

from rules_engine.decision import Decision, ParamValue, Reason
from rules_engine.facts import AllowanceFacts
from rules_engine.lookup import Lookup

RULE = "allowance"


def check_allowance(facts: AllowanceFacts, on: date) -> Decision:
    """Outcome "may_be_entitled" or "probably_not_entitled"; the reasons quote the thresholds.

    "need_contract_end" when the answer depends on whether the contract ended before the
    senior rules changed and the person was not asked yet.
    """
    lookup = Lookup(on)
    lookup.cite("unedic_are_conditions")
    change = lookup.day("allowance.senior_rule_change")
    before_change = change - timedelta(days=1)
    old_age = lookup.integer("allowance.senior_age", at=before_change)
    new_age = lookup.integer("allowance.senior_age", at=max(on, change))
    between = min(old_age, new_age) <= facts.age < max(old_age, new_age)
    unsure_end = False
    if facts.contract_end is not None:
        end = facts.contract_end
    elif facts.ended_before_change is not None:
        end = before_change if facts.ended_before_change else max(on, change)
    elif between and on >= change and not facts.asked_end:
        # a question comes next, not an answer: nothing to cite yet
        return Decision(rule=RULE, outcome="need_contract_end", on=on)
    else:
        end = on
        unsure_end = between and on >= change
    min_days = lookup.integer("allowance.min_days_worked", at=end)
    min_hours = lookup.integer("allowance.min_hours_worked", at=end)
    age_threshold = lookup.integer("allowance.senior_age", at=end)
    senior = facts.age >= age_threshold
    period = "senior_reference_period_months" if senior else "reference_period_months"
    months = lookup.integer(f"allowance.{period}", at=end)
    params: dict[str, ParamValue] = {
        "months": months,
        "min_days": min_days,
        "min_hours": min_hours,
        "age_threshold": age_threshold,
        "contract_end": end,
    }
    reasons: list[Reason] = []
    if facts.days_worked is None and facts.hours_worked is None:
        outcome = "may_be_entitled"
        reasons.append(Reason(key="rules.allowance.work_unknown", params=params))
    elif (facts.days_worked or 0) >= min_days or (facts.hours_worked or 0) >= min_hours:
        outcome = "may_be_entitled"
        reasons.append(Reason(key="rules.allowance.may_be_entitled", params=params))
    else:
        outcome = "probably_not_entitled"
        reasons.append(Reason(key="rules.allowance.probably_not_entitled", params=params))
    if senior:
        reasons.append(Reason(key="rules.allowance.longer_period_from_age", params=params))
    if unsure_end:
        reasons.append(Reason(key="rules.allowance.end_date_matters", uncertain=True,
                              params={"change": change, "old_age": old_age,
                                      "old_months": lookup.integer(
                                          "allowance.senior_reference_period_months",
                                          at=before_change)}))
    reasons.append(Reason(key="rules.allowance.france_travail_decides"))
    return lookup.decision(RULE, outcome, reasons)
