"""The monthly update window, checked on every day of several years (cases/ has examples)."""

from __future__ import annotations

from datetime import date, timedelta

from rules_engine import monthly_update_deadline
from rules_engine.decision import Reason


def every_day(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def status(on: date) -> tuple[str, Reason]:
    decision = monthly_update_deadline(on)
    return decision.outcome, decision.reasons[0]


def test_window_invariants_on_every_day() -> None:
    for on in every_day(date(2025, 1, 1), date(2028, 12, 31)):
        check_day(on)


def check_day(on: date) -> None:
    outcome, reason = status(on)
    deadline = reason.params["deadline"]
    month = reason.params["month"]
    assert isinstance(deadline, date) and isinstance(month, date)
    assert deadline.day == 15
    assert month.day == 1
    # The deadline is on the 15th of the month after the declared month.
    assert (month + timedelta(days=32)).replace(day=15) == deadline
    assert reason.key == f"rules.monthly_update.{outcome}"
    if outcome == "not_open":
        opens = reason.params["window_opens"]
        assert isinstance(opens, date)
        assert 16 <= on.day < opens.day and opens.month == on.month
        assert reason.params["count"] == (opens - on).days > 0
        assert opens.day == (26 if on.month == 2 else 28)
    elif outcome == "last_day":
        assert on == deadline
    else:
        assert outcome == "open"
        assert reason.params["count"] == (deadline - on).days > 0


def test_the_window_opens_the_day_after_not_open_ends() -> None:
    for on in every_day(date(2026, 1, 1), date(2027, 12, 31)):
        outcome, reason = status(on)
        if outcome == "not_open" and reason.params["count"] == 1:
            assert status(on + timedelta(days=1))[0] == "open"


def test_every_day_belongs_to_exactly_one_declared_month() -> None:
    # From one day to the next, the declared month only moves forward, one month at a time.
    previous = status(date(2026, 1, 1))[1].params["month"]
    for on in every_day(date(2026, 1, 2), date(2028, 12, 31)):
        month = status(on)[1].params["month"]
        assert isinstance(month, date) and isinstance(previous, date)
        assert month in (previous, (previous + timedelta(days=32)).replace(day=1))
        previous = month
