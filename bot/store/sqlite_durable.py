"""The SQLite store with the durable inbox and outbox (`bot.store.durable.DurableStore`).

The inbox and outbox tables have a schema version of their own (`durable_schema_version`),
so that they change without touching the states' migrations.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from bot.state import UserState
from bot.store.durable import InboxItem, OutboxItem
from bot.store.sqlite import (
    SqliteStore,
    _moment,
    _timestamp,
    _utc_now,
    add_counts,
    count_rows,
    migrate,
)
from bot.store.turns import Turn, current_turn
from bot.usage import Count

log = logging.getLogger(__name__)

DURABLE_MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        # body: the update as Telegram sent it, NULL once handled (it holds what people wrote)
        """CREATE TABLE inbox (
            update_id INTEGER PRIMARY KEY,
            chat_id INTEGER NULL,
            body TEXT NULL,
            received_at TEXT NOT NULL,
            done_at TEXT NULL
        )""",
        "CREATE INDEX inbox_pending ON inbox (update_id) WHERE done_at IS NULL",
        "CREATE INDEX inbox_done ON inbox (done_at) WHERE done_at IS NOT NULL",
        # AUTOINCREMENT: ids only grow, so that they give the order of sending
        """CREATE TABLE outbox (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            chat_id INTEGER NOT NULL,
            method TEXT NOT NULL,
            params TEXT NOT NULL,
            created_at TEXT NOT NULL
        )""",
        "CREATE INDEX outbox_chat ON outbox (chat_id, id)",
    ),
)


def _migrate_durable(conn: sqlite3.Connection, path: Path) -> None:
    migrate(conn, path, "durable_schema_version", DURABLE_MIGRATIONS, "inbox schema")


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class DurableSqliteStore(SqliteStore):
    """`SqliteStore` plus the inbox and the outbox; see `bot.store.durable.DurableStore`."""

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], datetime] = _utc_now,
             fresh: bool = False) -> DurableSqliteStore:
        store = super().open(path, clock=clock, fresh=fresh)
        assert isinstance(store, DurableSqliteStore)
        try:
            store._run_sync(lambda conn: _migrate_durable(conn, path))
        except BaseException:
            store.close()
            raise
        return store

    def _run_sync(self, work: Callable[[sqlite3.Connection], None]) -> None:
        self._locked(work)

    # ---- states, held while a turn is open -------------------------------------------

    async def load(self, user_id: str) -> UserState:
        turn = current_turn()
        if turn is not None and turn.holds(user_id):
            held = turn.loaded()
            if held is not None:
                return held
        return await super().load(user_id)

    async def save(self, state: UserState) -> None:
        turn = current_turn()
        if turn is not None and turn.holds(state.user_id):
            turn.saved(state)
            return
        await super().save(state)

    async def delete(self, user_id: str) -> None:
        turn = current_turn()
        if turn is not None and turn.holds(user_id):
            turn.deleted()
            return
        await super().delete(user_id)

    async def count_usage(self, counts: Sequence[Count]) -> None:
        turn = current_turn()
        if turn is not None:
            # written with the turn's state: an update handled again after a crash is not
            # counted twice
            turn.counts.extend(counts)
            return
        await super().count_usage(counts)

    # ---- inbox -------------------------------------------------------------------------

    async def inbox_add(self, items: Sequence[InboxItem]) -> list[InboxItem]:
        now = _timestamp(self._clock())
        rows = [(i.update_id, i.chat_id, _json(i.body), now) for i in items]

        def add(conn: sqlite3.Connection) -> list[int]:
            kept = []
            for row in rows:
                cursor = conn.execute(
                    "INSERT INTO inbox (update_id, chat_id, body, received_at) "
                    "VALUES (?, ?, ?, ?) ON CONFLICT (update_id) DO NOTHING", row)
                if cursor.rowcount == 1:
                    kept.append(row[0])
            return kept

        kept = set(await self._write(add))
        return [i for i in items if i.update_id in kept]

    async def inbox_skip(self, update_ids: Sequence[int]) -> None:
        now = _timestamp(self._clock())

        def skip(conn: sqlite3.Connection) -> None:
            for update_id in update_ids:
                conn.execute("INSERT INTO inbox (update_id, received_at, done_at) "
                             "VALUES (?, ?, ?) ON CONFLICT (update_id) DO UPDATE "
                             "SET body = NULL, done_at = excluded.done_at",
                             (update_id, now, now))

        await self._write(skip)

    async def inbox_pending(self) -> list[InboxItem]:
        rows = await self._run(lambda conn: conn.execute(
            "SELECT update_id, chat_id, body FROM inbox WHERE done_at IS NULL "
            "ORDER BY update_id").fetchall())
        items = []
        for row in rows:
            try:
                body = json.loads(row["body"])
            except (TypeError, ValueError):
                body = None
            if not isinstance(body, dict):
                log.warning("update %s: unreadable in the inbox; skipped", row["update_id"])
                await self.inbox_skip([row["update_id"]])
                continue
            items.append(InboxItem(row["update_id"], row["chat_id"], body))
        return items

    async def finish_turn(self, turn: Turn) -> None:
        now = _timestamp(self._clock())
        # serialised here, before the transaction: a value that cannot be written fails
        # before anything is
        state = None if turn.state is None else (
            turn.state.user_id, turn.state.model_dump_json(), now)
        out = [(o.chat_id, o.method, _json(o.params), now) for o in turn.out]
        counts = count_rows(turn.counts)
        user_id = turn.user_id

        def finish(conn: sqlite3.Connection) -> None:
            if turn.forget and user_id is not None:
                conn.execute("DELETE FROM reminders WHERE user_id = ?", (user_id,))
                conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))
            elif state is not None:
                conn.execute(
                    "INSERT INTO users (user_id, state, updated_at) VALUES (?, ?, ?) "
                    "ON CONFLICT (user_id) DO UPDATE "
                    "SET state = excluded.state, updated_at = excluded.updated_at", state)
            conn.executemany("INSERT INTO outbox (chat_id, method, params, created_at) "
                             "VALUES (?, ?, ?, ?)", out)
            add_counts(conn, counts)
            conn.execute("INSERT INTO inbox (update_id, received_at, done_at) "
                         "VALUES (?, ?, ?) ON CONFLICT (update_id) DO UPDATE "
                         "SET body = NULL, done_at = excluded.done_at",
                         (turn.update_id, now, now))

        await self._write(finish)

    async def claim_into_outbox(self, reminder_id: int, chat_id: int, text: str) -> bool:
        now = _timestamp(self._clock())
        params = _json({"text": text})

        def claim(conn: sqlite3.Connection) -> bool:
            changed = conn.execute(
                "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
                (now, reminder_id)).rowcount
            if changed != 1:
                return False  # another process, or an earlier run, took it
            conn.execute("INSERT INTO outbox (chat_id, method, params, created_at) "
                         "VALUES (?, 'sendMessage', ?, ?)", (chat_id, params, now))
            return True

        return bool(await self._write(claim))

    async def prune_inbox(self, older_than: timedelta, now: datetime | None = None) -> int:
        cutoff = _timestamp((self._clock() if now is None else now) - older_than)
        return await self._write(lambda conn: conn.execute(
            "DELETE FROM inbox WHERE done_at IS NOT NULL AND done_at < ?",
            (cutoff,)).rowcount)

    # ---- outbox ------------------------------------------------------------------------

    async def outbox_next(self, chat_id: int, limit: int = 20) -> list[OutboxItem]:
        rows = await self._run(lambda conn: conn.execute(
            "SELECT id, chat_id, method, params, created_at FROM outbox WHERE chat_id = ? "
            "ORDER BY id LIMIT ?", (chat_id, limit)).fetchall())
        return [OutboxItem(row["id"], row["chat_id"], row["method"], json.loads(row["params"]),
                           _moment(row["created_at"])) for row in rows]

    async def outbox_chats(self) -> list[int]:
        rows = await self._run(lambda conn: conn.execute(
            "SELECT chat_id, MIN(id) AS first FROM outbox GROUP BY chat_id "
            "ORDER BY first").fetchall())
        return [int(row["chat_id"]) for row in rows]

    async def outbox_remove(self, item_id: int) -> None:
        await self._write(lambda conn: conn.execute("DELETE FROM outbox WHERE id = ?",
                                                    (item_id,)))

