"""Our log lines name a chat by a code that cannot be tied to its Telegram id later."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.logs import chat_ref
from bot.nlu.embedded import EmbeddedNlu
from tests.bot.channels.test_telegram_e2e import CHAT, say
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide


def test_the_same_chat_has_the_same_code_and_others_another() -> None:
    assert chat_ref(4242) == chat_ref("4242")
    assert chat_ref(4242) != chat_ref(4243)
    assert "4242" not in chat_ref(4242)


async def test_a_turn_logs_no_telegram_chat_id(tmp_path: Path, nlu: EmbeddedNlu,
                                              caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot")
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "fr")
        await say(fake, "j'ai oublié mon mot de passe", "fr")
    ours = [r.getMessage() for r in caplog.records if r.name.startswith("bot")]
    assert any(chat_ref(CHAT) in line for line in ours), ours
    assert not any(str(CHAT) in line for line in ours), ours
