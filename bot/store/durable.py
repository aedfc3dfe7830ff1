"""The durable inbox and outbox every store offers the Telegram channel (the store seam).

- Inbox: an update is written here before it is acknowledged to Telegram (before the
  webhook answers 200, before the next getUpdates moves the offset past it). It stays
  pending until the turn that handles it is written (`finish_turn`), in the same transaction
  as the state it changes and the replies to send. Its body (what the user wrote) is dropped
  then; its id stays a while, so that Telegram delivering it again is recognised.
- Outbox: the replies of a turn, sent in order per chat and removed once Telegram accepted
  them or gave a final answer.

SQLite implements it today (`bot.store.sqlite_durable`); a PostgreSQL store implements the
same protocol and passes the same contract tests (tests/bot/store/test_durable_contract.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol, runtime_checkable

from bot.store import StateStore
from bot.store.turns import Turn


@dataclass(frozen=True)
class InboxItem:
    update_id: int
    chat_id: int | None  # the chat whose order it keeps; None: no chat, no order
    body: dict[str, Any]  # the update as Telegram sent it


@dataclass(frozen=True)
class OutboxItem:
    id: int  # increasing: the order of sending within a chat
    chat_id: int
    method: str
    params: dict[str, Any]
    created_at: datetime


@runtime_checkable
class DurableStore(StateStore, Protocol):
    """States and reminders (`StateStore`), with the inbox and the outbox.

    While a turn is open in the running task (`bot.store.turns.open_turn`), `save` and
    `delete` of the turn's user are held in the turn and `load` sees them: nothing of the
    turn is written before `finish_turn`.
    """

    async def inbox_add(self, items: Sequence[InboxItem]) -> list[InboxItem]:
        """Keeps the updates not seen before, durably, before returning; those it kept.
        Raises StoreError when they cannot be kept: then they must not be acknowledged."""

    async def inbox_skip(self, update_ids: Sequence[int]) -> None:
        """Records updates as done without handling them (unreadable ones), so that a new
        delivery of them is recognised."""

    async def inbox_pending(self) -> list[InboxItem]:
        """Updates kept and not yet done, in the order of their ids: to handle on start."""

    async def finish_turn(self, turn: Turn) -> None:
        """At once: the turn's state saved (or its user forgotten), its replies added to
        the outbox, and its update done (its body dropped)."""

    async def claim_into_outbox(self, reminder_id: int, chat_id: int, text: str) -> bool:
        """Claim a due reminder and put its message in the outbox, in one transaction: a
        crash leaves it either still due or queued, never claimed and lost. False when it
        was claimed already."""
        ...

    async def outbox_next(self, chat_id: int, limit: int = 20) -> list[OutboxItem]:
        """The chat's calls still to make, oldest first."""

    async def outbox_chats(self) -> list[int]:
        """Chats with calls still to make: to send them on start."""

    async def outbox_remove(self, item_id: int) -> None:
        """The call was accepted by Telegram, or refused for good."""

    async def prune_inbox(self, older_than: timedelta, now: datetime | None = None) -> int:
        """Forgets the ids of updates done that long ago; how many."""
