"""The store says when it cannot keep what it is given (bot/store/sqlite.py): a database
deleted while running, an empty or missing one that held users, a user forgotten who stays
in the write-ahead log."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.state import UserState
from bot.store import SqliteStore, StoreError, open_store

WORDS = "Zyxwvut-Kebede-1987"  # what a user told the guide: must be gone after /forget


def said(user_id: str) -> UserState:
    return UserState(user_id=user_id, lang="ti", answers={"city": f"{WORDS}-{user_id}"})


async def test_a_deleted_database_is_not_healthy(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteStore.open(path)
    await store.save(said("1"))
    await store.check_writable()
    path.unlink()  # an operator's mistake: the bot still writes into the lost file
    with pytest.raises(StoreError, match="deleted or replaced"):
        await store.check_writable()
    store.close()


@pytest.mark.parametrize("damage", ["truncated", "missing"])
async def test_a_database_that_held_users_is_not_started_empty(tmp_path: Path,
                                                                damage: str) -> None:
    path = tmp_path / "state.db"
    store = SqliteStore.open(path)
    await store.save(said("1"))
    store.close()
    if damage == "truncated":
        path.write_bytes(b"")
    else:
        path.unlink()
    with pytest.raises(StoreError, match="held users") as refused:
        SqliteStore.open(path)
    assert "GUIDE_START_FRESH" in str(refused.value)
    assert not path.exists() or path.stat().st_size == 0  # left as found, for a restore
    SqliteStore.open(path, fresh=True).close()  # told to start afresh: it does
    open_store(f"sqlite:///{path}").close()  # and from then on, as usual


async def test_a_new_database_starts_without_a_word(tmp_path: Path) -> None:
    SqliteStore.open(tmp_path / "state.db").close()
    SqliteStore.open(tmp_path / "state.db").close()


async def test_a_forgotten_user_is_gone_from_every_file(tmp_path: Path) -> None:
    path = tmp_path / "state.db"
    store = SqliteStore.open(path)
    for user in ("1", "2", "3"):
        await store.save(said(user))
    await store.add_reminder("2", "appointment", datetime.now(UTC), {"note": f"{WORDS}-reminder"})
    await store.delete("2")
    files = sorted(tmp_path.glob("state.db*"))
    found = [f.name for f in files if f"{WORDS}-2".encode() in f.read_bytes()
             or f"{WORDS}-reminder".encode() in f.read_bytes()]
    assert found == []
    assert (await store.load("1")).answers["city"] == f"{WORDS}-1"  # the others stay
    store.close()
