"""The monthly update ("actualisation"): is the window open today, and until when.

The update for month M opens on the window start day of M (a per-month parameter, earlier in
February) and closes on the deadline day of M+1, inclusive.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from rules_engine.decision import Decision, Reason
from rules_engine.lookup import Lookup

RULE = "monthly_update"

# Keys of the monthly_update.window_start_day mapping; "default" covers months not named.
MONTH_KEYS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)


def _day_in_month(year: int, month: int, day: int) -> date:
    """`day` of that month, or its last day when the month is shorter."""
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _first_of_previous_month(day: date) -> date:
    return (day.replace(day=1) - timedelta(days=1)).replace(day=1)


def monthly_update_deadline(on: date) -> Decision:
    """Outcome "open", "last_day" or "not_open" for `on`, then what, where and why."""
    lookup = Lookup(on)
    deadline_day = lookup.integer("monthly_update.deadline_day")
    starts = lookup.integers("monthly_update.window_start_day")
    start_day = starts.get(MONTH_KEYS[on.month - 1], starts["default"])
    if start_day <= deadline_day:
        raise ValueError("monthly_update.window_start_day must come after the deadline day")

    if on.day <= deadline_day:
        # Still in the window opened last month, for last month.
        deadline = _day_in_month(on.year, on.month, deadline_day)
        month = _first_of_previous_month(on)
        opens = None
    else:
        following = _first_of_next_month(on)
        deadline = _day_in_month(following.year, following.month, deadline_day)
        month = on.replace(day=1)
        opens = _day_in_month(on.year, on.month, start_day)

    if opens is not None and on < opens:
        outcome = "not_open"
        status = Reason(
            key="rules.monthly_update.not_open",
            params={
                "window_opens": opens,
                "deadline": deadline,
                "count": (opens - on).days,
                "month": month,
            },
        )
    elif on == deadline:
        outcome = "last_day"
        status = Reason(
            key="rules.monthly_update.last_day",
            params={"deadline": deadline, "count": 0, "month": month},
        )
    else:
        outcome = "open"
        status = Reason(
            key="rules.monthly_update.open",
            params={"deadline": deadline, "count": (deadline - on).days, "month": month},
        )
    lookup.cite("francetravail_actualisation", "refugies_info_register")
    reasons = [status]
    if opens is not None and lookup.uncertain("monthly_update.window_start_day"):
        # a start day repeated from last year's calendar, not read in this year's
        reasons.append(Reason(key="rules.monthly_update.window_start_uncertain", uncertain=True))
    reasons += [
        Reason(key="rules.monthly_update.what_to_declare"),
        Reason(key="rules.monthly_update.where"),
        Reason(key="rules.monthly_update.missing_ends_registration"),
        Reason(key="rules.monthly_update.sanction_uncertain", uncertain=True),
        Reason(key="rules.monthly_update.report_changes_now"),
    ]
    return lookup.decision(RULE, outcome, reasons)
