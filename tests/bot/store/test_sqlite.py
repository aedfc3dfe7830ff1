"""SqliteStore on real database files: states, crashes, corruption, reminders."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

import bot
from bot.state import Frame, UserState
from bot.store import SqliteStore, StoreError, open_store, parse_state_url
from bot.store.sqlite import SCHEMA_VERSION

ROOT = Path(bot.__file__).resolve().parent.parent
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "state.db"


@pytest.fixture
async def store(path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore.open(path)
    yield opened
    opened.close()


def in_a_flow(user_id: str = "u1", count: int = 1) -> UserState:
    return UserState(
        user_id=user_id, lang="uk", second_lang="fr", flow="register", step="diploma",
        answers={"count": count, "age": 34, "has_permit": True, "city": "Lyon", "note": None},
        answer_labels={"has_permit": "register.permit.yes"},
        history=[Frame(flow="register", step="permit")],
        last_buttons=["o:register.diploma:0", "c:back"],
    )


def run_child(script: str, path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-c", script, str(path)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for(child: subprocess.Popen[str], wanted: Callable[[str], bool]) -> str:
    assert child.stdout is not None
    while True:
        line = child.stdout.readline()
        if not line:
            child.wait(timeout=10)
            assert child.stderr is not None
            pytest.fail(f"child ended early: {child.stderr.read()}")
        if wanted(line.strip()):
            return line.strip()


def kill(child: subprocess.Popen[str]) -> str:
    """SIGKILL, like an OOM kill or `kill -9`: no cleanup of any sort; what it printed last."""
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=10)
    assert child.returncode == -signal.SIGKILL
    assert child.stdout is not None
    return child.stdout.read()


# ---- states ------------------------------------------------------------------------------

async def test_round_trip_keeps_every_field(store: SqliteStore) -> None:
    state = in_a_flow()
    await store.save(state)
    assert await store.load("u1") == state


async def test_round_trip_survives_reopening(path: Path) -> None:
    first = SqliteStore.open(path)
    await first.save(in_a_flow())
    first.close()
    again = SqliteStore.open(path)
    assert await again.load("u1") == in_a_flow()
    again.close()


async def test_save_replaces_the_previous_state(store: SqliteStore) -> None:
    await store.save(in_a_flow(count=1))
    await store.save(in_a_flow(count=2))
    assert (await store.load("u1")).answers["count"] == 2


async def test_unknown_user_gets_a_new_state(store: SqliteStore) -> None:
    assert await store.load("nobody") == UserState(user_id="nobody")


def test_open_creates_folder_schema_and_private_file(path: Path) -> None:
    SqliteStore.open(path).close()
    assert path.stat().st_mode & 0o077 == 0
    with sqlite3.connect(path) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        assert {"schema_version", "users", "reminders"} <= tables
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (SCHEMA_VERSION,)]
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


SAVE_FOREVER = """
import asyncio, sys
from pathlib import Path
from bot.state import UserState
from bot.store import SqliteStore

async def main():
    store = SqliteStore.open(Path(sys.argv[1]))
    count = 0
    while True:
        count += 1
        await store.save(UserState(user_id="u1", flow="register", step=f"q{count}",
                                   answers={"count": count, "note": "x" * 3000}))
        print(count, flush=True)

asyncio.run(main())
"""


def test_kill_9_keeps_the_last_completed_save(path: Path) -> None:
    child = run_child(SAVE_FOREVER, path)
    wait_for(child, lambda line: int(line) >= 30)
    printed = kill(child).split()
    # saves printed after the line we waited for were completed too
    last = int(printed[-1]) if printed else 30
    store = SqliteStore.open(path)  # quick_check passes: not corrupt
    state = asyncio.run(store.load("u1"))
    store.close()
    # the last printed save, or the next one if it completed just before the kill
    assert state.answers["count"] in (last, last + 1)
    assert state.step == f"q{state.answers['count']}"


KILLED_WHILE_SAVING = """
import asyncio, sys, time
from pathlib import Path
from bot.state import UserState
from bot.store import SqliteStore

def stall_at_commit(statement):
    if statement == "COMMIT":
        print("committing", flush=True)
        time.sleep(60)

async def main():
    store = SqliteStore.open(Path(sys.argv[1]))
    await store.save(UserState(user_id="u1", flow="register", step="permit"))
    print("saved", flush=True)
    store._conn.set_trace_callback(stall_at_commit)
    await store.save(UserState(user_id="u1", flow="register", step="diploma"))

asyncio.run(main())
"""


def test_kill_9_in_the_middle_of_a_save_keeps_the_previous_one(path: Path) -> None:
    child = run_child(KILLED_WHILE_SAVING, path)
    wait_for(child, lambda line: line == "committing")
    kill(child)
    store = SqliteStore.open(path)
    state = asyncio.run(store.load("u1"))
    store.close()
    assert (state.flow, state.step) == ("register", "permit")


def test_a_file_that_is_not_a_database_is_named(path: Path) -> None:
    path.parent.mkdir(parents=True)
    garbage = bytes(range(256)) * 16
    path.write_bytes(garbage)
    with pytest.raises(StoreError) as raised:
        SqliteStore.open(path)
    message = str(raised.value)
    assert str(path) in message
    assert "corrupt" in message and "file is not a database" in message
    assert "\n" not in message
    assert path.read_bytes() == garbage  # left as found, for whoever looks at it


async def test_a_damaged_page_fails_the_quick_check(path: Path) -> None:
    store = SqliteStore.open(path)
    for n in range(300):
        await store.save(in_a_flow(f"u{n}"))
    store.close()
    data = bytearray(path.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    data[3 * page:4 * page] = bytes(range(256)) * (page // 256)
    path.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="is corrupt") as raised:
        SqliteStore.open(path)
    assert str(path) in str(raised.value)


def test_a_newer_schema_is_refused(path: Path) -> None:
    SqliteStore.open(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE schema_version SET version = ?", (SCHEMA_VERSION + 1,))
    conn.close()
    with pytest.raises(StoreError, match="newer than"):
        SqliteStore.open(path)


@pytest.mark.parametrize("stored", [
    "{not json",
    '{"user_id": "u1", "answers": ["a", "list"]}',
    '{"user_id": "someone else"}',
])
async def test_an_unreadable_state_is_replaced_by_a_fresh_one(
        path: Path, store: SqliteStore, caplog: pytest.LogCaptureFixture, stored: str) -> None:
    await store.save(in_a_flow())
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE users SET state = ? WHERE user_id = 'u1'", (stored,))
    conn.close()
    with caplog.at_level(logging.WARNING):
        assert await store.load("u1") == UserState(user_id="u1")
    assert "u1" in caplog.text
    assert stored not in caplog.text and "Lyon" not in caplog.text
    await store.save(UserState(user_id="u1", lang="ar"))
    assert (await store.load("u1")).lang == "ar"


async def test_delete_forgets_state_and_reminders(store: SqliteStore) -> None:
    await store.save(in_a_flow("u1"))
    await store.save(in_a_flow("u2"))
    sent = await store.add_reminder("u1", "update", NOW)
    await store.claim(sent)
    await store.add_reminder("u1", "update", NOW + timedelta(days=30))
    kept = await store.add_reminder("u2", "update", NOW)
    await store.delete("u1")
    assert await store.load("u1") == UserState(user_id="u1")
    assert await store.pending_reminders("u1") == []
    assert [r.id for r in await store.pending_reminders()] == [kept]
    assert await store.load("u2") == in_a_flow("u2")
    # the sent one went too: added again, it is new
    assert await store.add_reminder("u1", "update", NOW) != sent


async def test_expire_forgets_users_not_seen_for_long(path: Path) -> None:
    clock = [NOW - timedelta(days=40)]
    store = SqliteStore.open(path, clock=lambda: clock[0])
    await store.save(in_a_flow("old"))
    # a reminder sent long ago is no activity (one still to send is: tests/bot/store/test_expiry.py)
    old = await store.add_reminder("old", "update", NOW - timedelta(days=40))
    assert await store.claim(old)
    clock[0] = NOW - timedelta(days=10)
    await store.save(in_a_flow("recent"))
    recent = await store.add_reminder("recent", "update", NOW + timedelta(days=1))
    assert await store.expire(timedelta(days=30), now=NOW) == 1
    assert await store.load("old") == UserState(user_id="old")
    assert await store.load("recent") == in_a_flow("recent")
    assert [r.id for r in await store.pending_reminders()] == [recent]
    clock[0] = NOW + timedelta(days=1)
    assert await store.claim(recent)
    clock[0] = NOW + timedelta(days=60)
    assert await store.expire(timedelta(days=30)) == 1  # now defaults to the clock
    store.close()


# ---- reminders -----------------------------------------------------------------------------

async def test_add_reminder_is_idempotent(store: SqliteStore) -> None:
    first = await store.add_reminder("u1", "update", NOW, {"month": "12"})
    paris = NOW.astimezone(timezone(timedelta(hours=1)))
    assert await store.add_reminder("u1", "update", paris, {"month": "other"}) == first
    assert await store.add_reminder("u1", "update", NOW) == first
    assert await store.add_reminder("u1", "appointment", NOW) != first
    assert await store.add_reminder("u2", "update", NOW) != first
    reminders = await store.pending_reminders("u1")
    assert [(r.id, r.data) for r in reminders if r.kind == "update"] == [
        (first, {"month": "12"})]


async def test_a_naive_datetime_is_refused(store: SqliteStore) -> None:
    with pytest.raises(ValueError, match="time zone"):
        await store.add_reminder("u1", "update", datetime(2026, 12, 1, 9))


async def test_due_and_not_yet_due(store: SqliteStore) -> None:
    past = await store.add_reminder("u1", "update", NOW - timedelta(hours=1), {"n": 1})
    exact = await store.add_reminder("u2", "update", NOW)
    future = await store.add_reminder("u1", "appointment", NOW + timedelta(seconds=1))
    due = await store.due_reminders(NOW)
    assert [r.id for r in due] == [past, exact]
    assert due[0].due_at == NOW - timedelta(hours=1)
    assert due[0].due_at.tzinfo == UTC
    assert (due[0].user_id, due[0].kind, due[0].data, due[0].sent_at) == (
        "u1", "update", {"n": 1}, None)
    assert [r.id for r in await store.pending_reminders()] == [past, exact, future]
    assert [r.id for r in await store.pending_reminders("u1")] == [past, future]


async def test_claim_is_true_once(store: SqliteStore) -> None:
    reminder = await store.add_reminder("u1", "update", NOW)
    assert await store.claim(reminder) is True
    assert await store.claim(reminder) is False
    assert await store.due_reminders(NOW) == []
    assert await store.pending_reminders() == []
    # added again once sent, it stays sent: no second message
    assert await store.add_reminder("u1", "update", NOW) == reminder
    assert await store.due_reminders(NOW) == []
    assert await store.claim(999) is False


async def test_claim_holds_across_stores_and_restarts(path: Path) -> None:
    first, second = SqliteStore.open(path), SqliteStore.open(path)
    reminder = await first.add_reminder("u1", "update", NOW)
    assert [r.id for r in await second.due_reminders(NOW)] == [reminder]
    assert await second.claim(reminder) is True
    assert await first.claim(reminder) is False
    first.close()
    second.close()
    restarted = SqliteStore.open(path)
    assert await restarted.claim(reminder) is False
    assert await restarted.due_reminders(NOW) == []
    restarted.close()


async def test_racing_claims_let_one_through(path: Path) -> None:
    stores = [SqliteStore.open(path) for _ in range(4)]
    ids = [await stores[0].add_reminder("u1", "update", NOW + timedelta(minutes=n))
           for n in range(10)]
    for reminder in ids:
        results = await asyncio.gather(*(s.claim(reminder) for s in stores for _ in range(2)))
        assert results.count(True) == 1
    for s in stores:
        s.close()


async def test_cancel_reminders(store: SqliteStore) -> None:
    sent = await store.add_reminder("u1", "update", NOW - timedelta(days=1))
    await store.claim(sent)
    await store.add_reminder("u1", "update", NOW)
    appointment = await store.add_reminder("u1", "appointment", NOW)
    other = await store.add_reminder("u2", "update", NOW)
    assert await store.cancel_reminders("u1", "update") == 1
    assert [r.id for r in await store.pending_reminders()] == [appointment, other]
    assert await store.cancel_reminders("u1") == 1
    assert [r.id for r in await store.pending_reminders()] == [other]
    assert await store.cancel_reminders("u1") == 0
    # the sent one is kept, so it is not sent again
    assert await store.add_reminder("u1", "update", NOW - timedelta(days=1)) == sent
    assert await store.pending_reminders("u1") == []


async def test_a_closed_store_says_so(path: Path) -> None:
    store = SqliteStore.open(path)
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        await store.load("u1")


# ---- state URLs ----------------------------------------------------------------------------

def test_parse_state_url() -> None:
    assert parse_state_url("sqlite:///data/state.db") == Path("data/state.db")
    assert parse_state_url("sqlite:////var/lib/guide/state.db") == Path(
        "/var/lib/guide/state.db")
    assert parse_state_url("SQLite:///state.db") == Path("state.db")


@pytest.mark.parametrize(("url", "message"), [
    ("postgresql://guide:secret@db/guide", "PostgreSQL .* not implemented yet"),
    ("postgresql+asyncpg://guide:secret@db/guide", "PostgreSQL .* not implemented yet"),
    ("mysql://db/guide", "'mysql' is not supported"),
    ("state.db", "not a URL"),
    ("sqlite://host/state.db", "no host"),
    ("sqlite:///", "names a file"),
    ("sqlite:///:memory:", "names a file"),
])
def test_parse_state_url_refuses(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message) as raised:
        parse_state_url(url)
    assert "secret" not in str(raised.value)


async def test_open_store_from_a_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store("sqlite:///data/state.db")
    await store.save(in_a_flow())
    store.close()
    assert (tmp_path / "data" / "state.db").is_file()
