"""Whether the last job may open a right to the allowance (ARE). France Travail decides.

What decides it: how the job ended (an involuntary loss; a resignation normally not), when
(the claim within 12 months of the end), and the work done in the reference period. The
thresholds and the period are those in force at the end of the contract, not on the day of
the conversation: the 2025 rules apply to contracts ending from 2025-04-01.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from rules_engine.decision import Decision, ParamValue, Reason
from rules_engine.facts import AllowanceFacts
from rules_engine.lookup import Lookup

RULE = "allowance"
PERIOD_RULE = "allowance_period"


@dataclass(frozen=True)
class _Period:
    """The end date the rules are read at, and the reference period that follows."""

    end: date
    unsure_end: bool
    senior: bool
    months: int
    age_threshold: int


def _months_before(day: date, months: int) -> date:
    """The same day `months` months earlier (the last day of a shorter month)."""
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    for last in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, min(day.day, last))
        except ValueError:
            continue
    raise ValueError(day)  # unreachable: every month has 28 days


def _period(facts: AllowanceFacts, lookup: Lookup, on: date) -> _Period | None:
    """The period for this person; None when it depends on an end date not asked yet."""
    assert facts.age is not None  # AllowanceFacts checks it whenever a contract ended
    change = lookup.day("allowance.senior_rule_change")
    before_change = change - timedelta(days=1)
    old_age = lookup.integer("allowance.senior_age", at=before_change)
    new_age = lookup.integer("allowance.senior_age", at=max(on, change))
    between = min(old_age, new_age) <= facts.age < max(old_age, new_age)
    deadline = lookup.integer("allowance.claim_deadline_months")
    # ended within the last 12 months, and 12 months ago was already after the change
    recent = facts.ended_within_deadline is True and _months_before(on, deadline) >= change
    unsure_end = False
    if facts.contract_end is not None:
        end = facts.contract_end
    elif facts.ended_before_change is not None:
        end = before_change if facts.ended_before_change else max(on, change)
    elif recent:
        end = on
    elif between and on >= change and not facts.asked_end:
        return None
    else:
        end = on
        unsure_end = between and on >= change
    age_threshold = lookup.integer("allowance.senior_age", at=end)
    senior = facts.age >= age_threshold
    period = "senior_reference_period_months" if senior else "reference_period_months"
    months = lookup.integer(f"allowance.{period}", at=end)
    return _Period(end, unsure_end, senior, months, age_threshold)


def allowance_period(facts: AllowanceFacts, on: date) -> Decision:
    """The reference period in which to count the work, before asking for it.

    Outcome "period" with `work_months` among the answers, so that the question on the days
    or hours names the period that will be used for the decision; "need_contract_end" when
    it depends on whether the contract ended before the senior rules changed.
    """
    lookup = Lookup(on)
    found = _period(facts, lookup, on)
    if found is None:
        return Decision(rule=PERIOD_RULE, outcome="need_contract_end", on=on)
    # a question comes next, not an answer: nothing to cite yet
    return Decision(rule=PERIOD_RULE, outcome="period", on=on,
                    answers={"work_months": found.months})


def _other_help(facts: AllowanceFacts, lookup: Lookup) -> list[Reason]:
    """What may apply when the ARE does not: the RSA (CAF), the CEJ (Mission Locale)."""
    lookup.cite("gazette_rsa_5_ans")
    rsa_age = lookup.integer("allowance.rsa_min_age")
    since = lookup.day("registration.automatic_registration_since")
    reasons = [Reason(key="rules.allowance.other_help_rsa",
                      params={"rsa_age": rsa_age, "since": since})]
    cej_age = lookup.integer("allowance.cej_max_age")
    if facts.age is None or facts.age <= cej_age:
        reasons.append(Reason(key="rules.allowance.other_help_cej", params={"cej_age": cej_age}))
    return reasons


def _no_contract_end(facts: AllowanceFacts, lookup: Lookup, on: date) -> Decision:
    """Still working, or never worked in France: no ARE from this job (yet)."""
    min_days = lookup.integer("allowance.min_days_worked")
    min_hours = lookup.integer("allowance.min_hours_worked")
    deadline = lookup.integer("allowance.claim_deadline_months")
    reasons: list[Reason] = []
    if facts.job_end == "still_working":
        outcome = "not_yet"
        reasons.append(Reason(key="rules.allowance.still_working",
                              params={"claim_months": deadline}))
    else:
        outcome = "not_entitled"
        reasons.append(Reason(key="rules.allowance.never_worked",
                              params={"min_days": min_days, "min_hours": min_hours}))
        reasons += _other_help(facts, lookup)
    reasons.append(Reason(key="rules.allowance.france_travail_decides"))
    return lookup.decision(RULE, outcome, reasons)


def check_allowance(facts: AllowanceFacts, on: date) -> Decision:
    """Outcome "may_be_entitled" or "probably_not_entitled"; the reasons quote the thresholds.

    "not_yet" (still working) and "not_entitled" (never worked in France) when there is no
    contract end; "need_contract_end" when the answer depends on whether the contract ended
    before the senior rules changed and the person was not asked yet.
    """
    lookup = Lookup(on)
    lookup.cite("unedic_are_conditions")
    if facts.job_end in ("still_working", "never_worked"):
        return _no_contract_end(facts, lookup, on)
    found = _period(facts, lookup, on)
    if found is None:
        # a question comes next, not an answer: nothing to cite yet
        return Decision(rule=RULE, outcome="need_contract_end", on=on)
    end = found.end
    min_days = lookup.integer("allowance.min_days_worked", at=end)
    min_hours = lookup.integer("allowance.min_hours_worked", at=end)
    deadline = lookup.integer("allowance.claim_deadline_months", at=end)
    params: dict[str, ParamValue] = {
        "months": found.months,
        "min_days": min_days,
        "min_hours": min_hours,
        "age_threshold": found.age_threshold,
        "contract_end": end,
    }
    reasons: list[Reason] = []
    enough = (facts.days_worked or 0) >= min_days or (facts.hours_worked or 0) >= min_hours
    unknown_work = facts.days_worked is None and facts.hours_worked is None
    resigned = facts.job_end == "resignation"
    late = facts.ended_within_deadline is False
    if resigned:
        lookup.cite("demission_legitime_rtl_2023")
        review = lookup.integer("allowance.resignation_review_days", at=end)
        reasons.append(Reason(key="rules.allowance.resignation"))
        reasons.append(Reason(key="rules.allowance.resignation_review",
                              params={"review_days": review}))
    if unknown_work:
        reasons.append(Reason(key="rules.allowance.work_unknown", params=params))
    elif enough and (resigned or late):
        reasons.append(Reason(key="rules.allowance.work_enough", params=params))
    elif enough:
        reasons.append(Reason(key="rules.allowance.may_be_entitled", params=params))
    else:
        reasons.append(Reason(key="rules.allowance.probably_not_entitled", params=params))
    if found.senior:
        reasons.append(Reason(key="rules.allowance.longer_period_from_age", params=params))
    if found.unsure_end:
        change = lookup.day("allowance.senior_rule_change")
        before_change = change - timedelta(days=1)
        reasons.append(Reason(key="rules.allowance.end_date_matters", uncertain=True,
                              params={"change": change,
                                      "old_age": lookup.integer("allowance.senior_age",
                                                                at=before_change),
                                      "old_months": lookup.integer(
                                          "allowance.senior_reference_period_months",
                                          at=before_change)}))
    if late:
        reasons.append(Reason(key="rules.allowance.claim_too_late", uncertain=True,
                              params={"claim_months": deadline}))
    elif facts.job_end is not None and facts.ended_within_deadline is None:
        reasons.append(Reason(key="rules.allowance.claim_deadline",
                              params={"claim_months": deadline}))
    if facts.job_end == "unknown":
        reasons.append(Reason(key="rules.allowance.job_end_matters"))
    positive = (enough or unknown_work) and not resigned and not late
    outcome = "may_be_entitled" if positive else "probably_not_entitled"
    if not positive:
        reasons += _other_help(facts, lookup)
    reasons.append(Reason(key="rules.allowance.france_travail_decides"))
    return lookup.decision(RULE, outcome, reasons)
