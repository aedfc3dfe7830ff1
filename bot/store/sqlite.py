"""User states and reminders in one SQLite file, with the standard library's sqlite3.

One connection per store, used from worker threads (`asyncio.to_thread`) one call at a
time behind a lock: SQLite lets one writer in at a time anyway, so a pool would only add
waiting, and one connection is configured once and closed once. Other processes on the same
file (a restarted bot, a second store) are serialised by SQLite's own locks, which wait up
to BUSY_TIMEOUT seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from bot.state import UserState
from bot.store import Reminder, StoreError
from bot.usage import Count

log = logging.getLogger(__name__)

T = TypeVar("T")

BUSY_TIMEOUT = 10.0
# beside the database, outside it: says the file held users, so that an empty or missing one
# is a loss to report, not a first start
MARKER_SUFFIX = ".held-users"
MARKER_TEXT = ("The state database beside this file held users' states. If the database is\n"
               "missing or empty, the bot refuses to start (restore a backup), unless\n"
               "GUIDE_START_FRESH=1 tells it to start afresh.\n")

# Each entry takes the schema from version i to i + 1. Append; never edit a released one.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE users (
            user_id TEXT PRIMARY KEY,
            state TEXT NOT NULL,
            updated_at TEXT
        )""",
        "CREATE INDEX users_updated_at ON users (updated_at)",
        # AUTOINCREMENT: an id is never given again after a delete, so a job still holding
        # the id of a cancelled reminder cannot claim a newer one
        """CREATE TABLE reminders (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            user_id TEXT NOT NULL,
            kind TEXT NOT NULL,
            due_at TEXT NOT NULL,
            data TEXT NOT NULL DEFAULT '{}',
            sent_at TEXT NULL,
            UNIQUE (user_id, kind, due_at)
        )""",
        "CREATE INDEX reminders_unsent ON reminders (due_at) WHERE sent_at IS NULL",
    ),
    (
        # usage counts (bot/usage.py): numbers only, no user id, no text; `step` is '' but
        # for where people leave a flow
        """CREATE TABLE usage_counts (
            day TEXT NOT NULL,
            topic TEXT NOT NULL,
            lang TEXT NOT NULL,
            what TEXT NOT NULL,
            step TEXT NOT NULL DEFAULT '',
            n INTEGER NOT NULL,
            PRIMARY KEY (day, topic, lang, what, step)
        )""",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)

_REMINDER_COLUMNS = "id, user_id, kind, due_at, data, sent_at"
# users quiet since the cutoff (twice the parameter): no save, no reminder sent since, and
# none still to send (an appointment reminder may be a year ahead: the user asked for it)
_EXPIRED = """SELECT user_id FROM users AS u WHERE updated_at < ? AND NOT EXISTS (
    SELECT 1 FROM reminders AS r
    WHERE r.user_id = u.user_id AND (r.sent_at IS NULL OR r.sent_at >= ?))"""


_ADD_COUNT = ("INSERT INTO usage_counts (day, topic, lang, what, step, n) "
              "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (day, topic, lang, what, step) "
              "DO UPDATE SET n = n + excluded.n")


def count_rows(counts: Sequence[Count]) -> list[tuple[str, str, str, str, str, int]]:
    return [(c.day.isoformat(), c.topic, c.lang, c.what, c.step, c.n) for c in counts]


def add_counts(conn: sqlite3.Connection, rows: list[tuple[str, str, str, str, str, int]]
               ) -> None:
    """Adds to the totals, inside the caller's transaction."""
    conn.executemany(_ADD_COUNT, rows)


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _timestamp(moment: datetime) -> str:
    if moment.utcoffset() is None:
        raise ValueError(f"{moment.isoformat()} has no time zone; pass an aware datetime")
    # always the same width, so that comparing two texts in SQL compares the moments
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def _error(path: Path, exc: sqlite3.Error) -> StoreError:
    reason = " ".join(str(exc).split()) or type(exc).__name__
    if exc.sqlite_errorname.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
        return _corrupt(path, reason)
    return StoreError(f"state database {path}: {reason}")


def _corrupt(path: Path, reason: str) -> StoreError:
    return StoreError(f"state database {path} is corrupt ({reason}); "
                      "move it away or restore a backup")


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    # IMMEDIATE takes the write lock at BEGIN: another process waits for it (busy timeout)
    # instead of failing when its read would turn into a write
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _check(conn: sqlite3.Connection, path: Path) -> None:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise _corrupt(path, "; ".join(" ".join(str(p).split()) for p in problems[:3]))


def _configure(conn: sqlite3.Connection, path: Path) -> None:
    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
    if str(mode).lower() != "wal":
        log.warning("state database %s: WAL journal mode unavailable, using %s", path, mode)
    # what /forget and expiry delete is overwritten with zeros, not left in free pages
    conn.execute("PRAGMA secure_delete = ON")
    # FULL, not NORMAL: NORMAL already survives a kill -9 (the WAL is in the OS's hands),
    # but not a power cut or a VM reset; FULL makes each completed save an fsync'd one, at
    # the price of one fsync per message, which a chatbot can afford
    conn.execute("PRAGMA synchronous = FULL")


def _migrate(conn: sqlite3.Connection, path: Path) -> None:
    migrate(conn, path, "schema_version", MIGRATIONS, "schema")


def migrate(conn: sqlite3.Connection, path: Path, version_table: str,
            migrations: tuple[tuple[str, ...], ...], what: str) -> None:
    """Bring one set of tables up to `len(migrations)`, recorded in `version_table`; a
    database newer than this bot is refused."""
    target = len(migrations)
    with _transaction(conn):
        conn.execute(f"CREATE TABLE IF NOT EXISTS {version_table} (version INTEGER NOT NULL)")
        row = conn.execute(f"SELECT version FROM {version_table}").fetchone()
        version = 0 if row is None else int(row[0])
        if version > target:
            raise StoreError(f"state database {path} has {what} version {version}, newer than "
                             f"this bot's {target}; upgrade the bot")
        for statements in migrations[version:]:
            for statement in statements:
                conn.execute(statement)
        if row is None:
            conn.execute(f"INSERT INTO {version_table} (version) VALUES (?)", (target,))
        elif version < target:
            conn.execute(f"UPDATE {version_table} SET version = ?", (target,))


def marker_path(path: Path) -> Path:
    return path.with_name(path.name + MARKER_SUFFIX)


def _identity(path: Path) -> tuple[int, int] | None:
    """Which file the path names (device, inode); None when there is none."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return found.st_dev, found.st_ino


def _refuse_a_lost_database(path: Path) -> None:
    marker = marker_path(path)
    if not marker.exists():
        return
    try:
        empty = path.stat().st_size == 0
    except FileNotFoundError:
        empty = True
    if empty:
        raise StoreError(f"state database {path} is missing or empty, but {marker.name} beside "
                         "it says it held users: restore a backup, or set GUIDE_START_FRESH=1 "
                         "to start afresh (every user's state and reminders lost)")


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Copies the write-ahead log into the database and empties it: what was just deleted
    is then gone from the -wal file too (secure_delete zeroes it in the database)."""
    busy, _, _ = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    if busy:  # another connection is reading: the next checkpoint will finish the job
        log.warning("state database: the write-ahead log could not be emptied yet")


def _json_object(text: str, reminder_id: int) -> dict[str, Any]:
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    if isinstance(data, dict):
        return data
    log.warning("reminder %s has unreadable data; using none", reminder_id)
    return {}


def _reminder(row: sqlite3.Row) -> Reminder:
    sent_at = row["sent_at"]
    return Reminder(
        id=row["id"],
        user_id=row["user_id"],
        kind=row["kind"],
        due_at=_moment(row["due_at"]),
        data=_json_object(row["data"], row["id"]),
        sent_at=None if sent_at is None else _moment(sent_at),
    )


class SqliteStore:
    """States and reminders in one SQLite file; see `bot.store.StateStore`."""

    def __init__(self, path: Path, conn: sqlite3.Connection,
                 clock: Callable[[], datetime] = _utc_now) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = conn
        self._clock = clock
        self._lock = threading.Lock()
        self._file = _identity(path)
        self._marked = False

    @classmethod
    def open(cls, path: Path, *, clock: Callable[[], datetime] = _utc_now,
             fresh: bool = False) -> SqliteStore:
        """Opens (creating it and its folder if need be) and checks the database.

        Blocking: call it at start, before serving. `clock` stamps saves and claims.
        A missing or empty file that held users (its marker says so) is refused unless
        `fresh`.
        """
        if not fresh:
            _refuse_a_lost_database(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # the answers people give are personal: only the bot's user may read them
            # (SQLite gives its -wal and -shm files the same permissions)
            path.touch(mode=0o600, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"state database {path} cannot be created ({exc.strerror})") from exc
        try:
            conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT, isolation_level=None,
                                   check_same_thread=False)
        except sqlite3.Error as exc:
            raise _error(path, exc) from exc
        try:
            _check(conn, path)
            _configure(conn, path)
            _migrate(conn, path)
        except sqlite3.Error as exc:
            conn.close()
            raise _error(path, exc) from exc
        except BaseException:
            conn.close()
            raise
        conn.row_factory = sqlite3.Row
        store = cls(path, conn, clock)
        if conn.execute("SELECT 1 FROM users LIMIT 1").fetchone() is not None:
            store._mark()
        return store

    def _mark(self) -> None:
        """Leaves the marker that says the database held users (once per process)."""
        if self._marked:
            return
        marker = marker_path(self.path)
        try:
            if not marker.exists():
                marker.write_text(MARKER_TEXT, encoding="utf-8")
            self._marked = True
        except OSError as exc:  # the next save tries again; the state itself is saved
            log.warning("state database %s: cannot write %s (%s)", self.path, marker.name,
                        exc.strerror)

    async def check_writable(self) -> None:
        """Raises StoreError unless a write reaches the database file the bot opened (for
        /healthz): a full disk, a lock held elsewhere, a file deleted or replaced."""
        if _identity(self.path) != self._file:
            raise StoreError(f"state database {self.path} was deleted or replaced while the "
                             "bot runs: what it saves now is lost at the next start")
        # a real write, committed (and fsync'd): the same value, so nothing changes
        await self._write(lambda conn: conn.execute(
            "UPDATE schema_version SET version = version"))

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    # ---- states ----------------------------------------------------------------------

    async def load(self, user_id: str) -> UserState:
        row = await self._run(lambda conn: conn.execute(
            "SELECT state FROM users WHERE user_id = ?", (user_id,)).fetchone())
        if row is None:
            return UserState(user_id=user_id)
        try:
            state = UserState.model_validate_json(row["state"])
        except (ValueError, TypeError):
            state = None
        if state is None or state.user_id != user_id:
            # the user id only: the record holds the user's answers
            log.warning("state of user %s is unreadable; starting afresh", user_id)
            return UserState(user_id=user_id)
        return state

    async def save(self, state: UserState) -> None:
        # serialised here, not in the worker thread, while the caller cannot change it
        values = (state.user_id, state.model_dump_json(), _timestamp(self._clock()))
        await self._write(lambda conn: conn.execute(
            "INSERT INTO users (user_id, state, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (user_id) DO UPDATE "
            "SET state = excluded.state, updated_at = excluded.updated_at",
            values))
        self._mark()

    async def delete(self, user_id: str) -> None:
        def forget(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM reminders WHERE user_id = ?", (user_id,))
            conn.execute("DELETE FROM users WHERE user_id = ?", (user_id,))

        await self._write(forget)
        await self._run(_checkpoint)

    async def expire(self, older_than: timedelta, now: datetime | None = None) -> int:
        cutoff = _timestamp((self._clock() if now is None else now) - older_than)

        def forget(conn: sqlite3.Connection) -> int:
            conn.execute(f"DELETE FROM reminders WHERE user_id IN ({_EXPIRED})", (cutoff,) * 2)
            return conn.execute(f"DELETE FROM users WHERE user_id IN ({_EXPIRED})",
                                (cutoff,) * 2).rowcount

        return await self._write(forget)

    # ---- reminders -------------------------------------------------------------------

    async def add_reminder(self, user_id: str, kind: str, due_at: datetime,
                           data: Mapping[str, Any] | None = None) -> int:
        key = (user_id, kind, _timestamp(due_at))
        text = json.dumps(dict(data or {}), ensure_ascii=False, sort_keys=True)

        def add(conn: sqlite3.Connection) -> int:
            conn.execute("INSERT INTO reminders (user_id, kind, due_at, data) "
                         "VALUES (?, ?, ?, ?) ON CONFLICT (user_id, kind, due_at) DO NOTHING",
                         (*key, text))
            row = conn.execute("SELECT id FROM reminders "
                               "WHERE user_id = ? AND kind = ? AND due_at = ?", key).fetchone()
            return int(row["id"])

        return await self._write(add)

    async def due_reminders(self, now: datetime) -> list[Reminder]:
        return await self._reminders("sent_at IS NULL AND due_at <= ?", (_timestamp(now),))

    async def pending_reminders(self, user_id: str | None = None) -> list[Reminder]:
        if user_id is None:
            return await self._reminders("sent_at IS NULL", ())
        return await self._reminders("sent_at IS NULL AND user_id = ?", (user_id,))

    async def claim(self, reminder_id: int) -> bool:
        # one UPDATE with the test in its WHERE: of two processes, only one sees a row changed
        sent_at = _timestamp(self._clock())
        changed = await self._write(lambda conn: conn.execute(
            "UPDATE reminders SET sent_at = ? WHERE id = ? AND sent_at IS NULL",
            (sent_at, reminder_id)).rowcount)
        return changed == 1

    async def cancel_reminders(self, user_id: str, kind: str | None = None) -> int:
        # sent reminders stay: they are what makes adding the same one again a no-op
        query = "DELETE FROM reminders WHERE user_id = ? AND sent_at IS NULL"
        values: tuple[str, ...] = (user_id,)
        if kind is not None:
            query, values = f"{query} AND kind = ?", (user_id, kind)
        return await self._write(lambda conn: conn.execute(query, values).rowcount)

    # ---- usage counts (bot/usage.py) ----------------------------------------------------

    async def count_usage(self, counts: Sequence[Count]) -> None:
        rows = count_rows(counts)
        if rows:
            await self._write(lambda conn: add_counts(conn, rows))

    async def usage_counts(self, since: date) -> list[Count]:
        """The totals of each day from `since` on."""
        rows = await self._run(lambda conn: conn.execute(
            "SELECT day, topic, lang, what, step, n FROM usage_counts WHERE day >= ? "
            "ORDER BY day, topic, lang, what, step", (since.isoformat(),)).fetchall())
        return [Count(date.fromisoformat(r["day"]), r["topic"], r["lang"], r["what"],
                      r["step"], int(r["n"])) for r in rows]

    # ---- plumbing --------------------------------------------------------------------

    async def _reminders(self, where: str, values: tuple[str, ...]) -> list[Reminder]:
        rows = await self._run(lambda conn: conn.execute(
            f"SELECT {_REMINDER_COLUMNS} FROM reminders WHERE {where} ORDER BY due_at, id",
            values).fetchall())
        return [_reminder(row) for row in rows]

    async def _write(self, work: Callable[[sqlite3.Connection], T]) -> T:
        def in_transaction(conn: sqlite3.Connection) -> T:
            with _transaction(conn):
                return work(conn)

        return await self._run(in_transaction)

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.to_thread(self._locked, work)

    def _locked(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            if self._conn is None:
                raise StoreError(f"state database {self.path} is closed")
            try:
                return work(self._conn)
            except sqlite3.Error as exc:
                raise _error(self.path, exc) from exc
