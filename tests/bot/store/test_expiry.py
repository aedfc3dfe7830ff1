"""What expiry forgets: users quiet for long, never one still waiting for a reminder."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.state import UserState
from bot.store import SqliteStore

NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
TTL = timedelta(days=90)
LONG_AGO = NOW - timedelta(days=200)


def opened_at(path: Path, moment: datetime) -> SqliteStore:
    return SqliteStore.open(path, clock=lambda: moment)


async def test_a_user_waiting_for_a_reminder_is_kept_with_it(tmp_path: Path) -> None:
    store = opened_at(tmp_path / "s.db", LONG_AGO)
    await store.save(UserState(user_id="subscribed", lang="ti"))
    # an appointment a year after they last wrote: they must still hear of it
    await store.add_reminder("subscribed", "appointment", NOW + timedelta(days=170))
    await store.save(UserState(user_id="quiet", lang="ti"))
    assert await store.expire(TTL, now=NOW) == 1
    assert (await store.load("subscribed")).lang == "ti"
    assert [r.user_id for r in await store.pending_reminders()] == ["subscribed"]
    assert (await store.load("quiet")).lang is None
    store.close()


async def test_a_reminder_sent_lately_counts_as_activity(tmp_path: Path) -> None:
    path = tmp_path / "s.db"
    store = opened_at(path, LONG_AGO)
    await store.save(UserState(user_id="reminded", lang="fa"))
    sent = await store.add_reminder("reminded", "monthly_open", NOW - timedelta(days=10))
    await store.save(UserState(user_id="reminded_long_ago", lang="fa"))
    old = await store.add_reminder("reminded_long_ago", "monthly_open", LONG_AGO)
    store.close()
    store = opened_at(path, NOW - timedelta(days=10))
    assert await store.claim(sent)
    store.close()
    store = opened_at(path, LONG_AGO)
    assert await store.claim(old)
    assert await store.expire(TTL, now=NOW) == 1
    assert (await store.load("reminded")).lang == "fa"
    assert (await store.load("reminded_long_ago")).lang is None
    store.close()


async def test_once_the_reminders_are_over_the_user_expires(tmp_path: Path) -> None:
    store = opened_at(tmp_path / "s.db", LONG_AGO)
    await store.save(UserState(user_id="subscribed", lang="ps"))
    reminder = await store.add_reminder("subscribed", "appointment", LONG_AGO)
    assert await store.claim(reminder)
    assert await store.expire(TTL, now=NOW) == 1
    assert await store.pending_reminders() == []
    store.close()
