"""A turn that fails (here: the core raises, with the user's words in the error) is answered
kindly, and no log line at any level holds what the user wrote.

A store that cannot write is another matter: the update stays at Telegram until it can
(tests/bot/channels/test_telegram_durable.py)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.logs import without_text
from bot.nlu.embedded import EmbeddedNlu
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

CHAT = 5151
SECRET = "Samira2024xq"


async def test_a_failed_turn_is_answered_kindly_and_logged_without_text(
        tmp_path: Path, nlu: EmbeddedNlu, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    without_text()  # as `guide` installs it on every handler, caplog's included
    db = tmp_path / "state.db"
    async with FakeTelegram() as fake, running_guide(fake, db, nlu) as guide:
        async def broken(state: object, text: str, *args: object) -> None:
            raise RuntimeError(f"could not read {text!r}")  # the worst: words in the error

        monkeypatch.setattr(guide.conversation, "_text", broken)
        fake.send_text(CHAT, f"mon mot de passe est {SECRET}", language_code="fr")
        [call] = await fake.wait_for("sendMessage", chat_id=CHAT, timeout=20)
        expected = guide.conversation.catalog.render("common.error", "fr")
        assert call.text == expected
    logged = "\n".join(caplog.text.splitlines() + [r.getMessage() for r in caplog.records])
    assert "failed" in logged
    assert SECRET not in logged and "mot de passe" not in logged
