"""/healthz tells the truth about storage: the bot's database file deleted while it runs
(what it saves is then lost at the next start) or a write lock held elsewhere is a 503."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bot.nlu.embedded import EmbeddedNlu
from tests.bot.channels.test_telegram_webhook import running_webhook
from tests.helpers.fake_telegram import FakeTelegram


async def test_a_deleted_database_fails_the_health_check(tmp_path: Path,
                                                         nlu: EmbeddedNlu) -> None:
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake, running_webhook(fake, db, nlu) as (_, client):
        assert (await client.get("/healthz")).status_code == 200
        db.unlink()
        answer = await client.get("/healthz")
        assert answer.status_code == 503
        assert answer.json()["store"] == "error"


async def test_a_write_lock_held_elsewhere_fails_the_health_check(tmp_path: Path,
                                                                  nlu: EmbeddedNlu) -> None:
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake, running_webhook(fake, db, nlu) as (_, client):
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")  # another process writing, and stuck
        try:
            answer = await client.get("/healthz")
            assert answer.status_code == 503
        finally:
            other.execute("ROLLBACK")
            other.close()
        assert (await client.get("/healthz")).status_code == 200
