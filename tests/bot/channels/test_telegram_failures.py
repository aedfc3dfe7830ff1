"""A turn that fails (here: another process holds the state database's write lock) is
answered kindly, and no log line at any level holds what the user wrote."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

import bot.store.sqlite
from bot.logs import without_text
from bot.nlu.embedded import EmbeddedNlu
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

CHAT = 5151
SECRET = "Samira2024xq"


async def test_a_failed_turn_is_answered_kindly_and_logged_without_text(
        tmp_path: Path, nlu: EmbeddedNlu, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(bot.store.sqlite, "BUSY_TIMEOUT", 0.2)  # fail fast, not after 10 s
    caplog.set_level(logging.DEBUG)
    without_text()  # as `guide` installs it on every handler, caplog's included
    db = tmp_path / "state.db"
    async with FakeTelegram() as fake, running_guide(fake, db, nlu) as guide:
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        try:
            fake.send_text(CHAT, f"mon mot de passe est {SECRET}", language_code="fr")
            [call] = await fake.wait_for("sendMessage", chat_id=CHAT, timeout=20)
        finally:
            other.execute("ROLLBACK")
            other.close()
        expected = guide.conversation.catalog.render("common.error", "fr")
        assert call.text == expected
    logged = "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])
    assert "failed" in logged
    assert SECRET not in logged and "mot de passe" not in logged
