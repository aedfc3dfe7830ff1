"""Where user states and reminders are kept: the interface every store implements.

SQLite is the only store today; a PostgreSQL store (several bot processes, one bot) will
implement the same `StateStore` and be picked by the scheme of the state URL.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

from bot.state import UserState
from bot.usage import Count

__all__ = [
    "DurableSqliteStore",
    "DurableStore",
    "Reminder",
    "SqliteStore",
    "StateStore",
    "StoreError",
    "open_store",
    "parse_state_url",
]

URL_EXAMPLE = "sqlite:///state.db (relative) or sqlite:////var/lib/guide/state.db (absolute)"


class StoreError(Exception):
    """The state database cannot be used; the message names the file and what to do."""


@dataclass(frozen=True)
class Reminder:
    id: int
    user_id: str
    kind: str
    due_at: datetime  # aware, in UTC
    # left out of the hash: a dict has none, and equal reminders still hash alike
    data: dict[str, Any] = field(default_factory=dict, hash=False)
    sent_at: datetime | None = None


class StateStore(Protocol):
    """One record per user, and the reminders to send them.

    Datetimes given must be timezone-aware; those returned are aware and in UTC.
    """

    async def load(self, user_id: str) -> UserState:
        """The user's state; a new one when unknown or unreadable."""

    async def save(self, state: UserState) -> None:
        """Replaces the user's state, atomically: all of it is saved, or none."""

    async def delete(self, user_id: str) -> None:
        """Forgets the user: state and reminders, sent or not, at once, and from every file
        (no copy left in a log of the store's own)."""

    async def check_writable(self) -> None:
        """Raises StoreError unless the store can save now (for /healthz)."""

    async def expire(self, older_than: timedelta, now: datetime | None = None) -> int:
        """Forgets users (state and reminders) not saved for that long; how many."""

    async def add_reminder(self, user_id: str, kind: str, due_at: datetime,
                           data: Mapping[str, Any] | None = None) -> int:
        """The reminder's id; adding the same (user, kind, due_at) again returns the
        first one's id and keeps its data and whether it was sent."""

    async def due_reminders(self, now: datetime) -> list[Reminder]:
        """Unsent reminders due at or before `now`, earliest first."""

    async def pending_reminders(self, user_id: str | None = None) -> list[Reminder]:
        """Unsent reminders, due or not, earliest first: to schedule them at start."""

    async def claim(self, reminder_id: int) -> bool:
        """Marks the reminder sent; True only for the first caller, in any process.

        Claim before sending: a crash between the two loses that one reminder instead of
        sending it twice.
        """

    async def cancel_reminders(self, user_id: str, kind: str | None = None) -> int:
        """Deletes the user's unsent reminders (of that kind); how many."""

    async def count_usage(self, counts: Sequence[Count]) -> None:
        """Adds usage counts to their totals (`bot.usage.UsageSink`); while a turn is open,
        a durable store writes them with the turn."""

    async def usage_counts(self, since: date) -> list[Count]:
        """The totals of each day from `since` on (for `guide stats`)."""

    def close(self) -> None: ...


def parse_state_url(url: str) -> Path:
    """The database file of a `sqlite:///` URL, spelled as SQLAlchemy does: three slashes
    then a path relative to the working directory, or four for an absolute path."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"state URL {url!r} is not a URL; use {URL_EXAMPLE}")
    scheme = scheme.lower()
    # the rest of the URL is never echoed: a database URL may carry a password
    if scheme.partition("+")[0] in ("postgresql", "postgres"):
        raise ValueError(f"PostgreSQL state stores are not implemented yet; use {URL_EXAMPLE}")
    if scheme != "sqlite":
        raise ValueError(f"state URL scheme {scheme!r} is not supported; use {URL_EXAMPLE}")
    if not rest.startswith("/"):
        raise ValueError(f"a sqlite state URL has no host; use {URL_EXAMPLE}")
    path = rest[1:]
    if not path or path == ":memory:" or "?" in path:
        raise ValueError(f"a sqlite state URL names a file, without options; use {URL_EXAMPLE}")
    return Path(path)


def open_store(url: str, fresh: bool = False) -> DurableStore:
    """The store a state URL names, opened and ready, with its inbox and outbox; `fresh`:
    start afresh even where a database that held users is missing or empty (refused
    otherwise)."""
    return DurableSqliteStore.open(parse_state_url(url), fresh=fresh)


# last: these modules import the types above from this package
from bot.store.durable import DurableStore  # noqa: E402
from bot.store.sqlite import SqliteStore  # noqa: E402
from bot.store.sqlite_durable import DurableSqliteStore  # noqa: E402
