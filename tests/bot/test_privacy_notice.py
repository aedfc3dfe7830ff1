"""/privacy and the first start's sentence say how long the bot keeps a user's state: the
bot's setting (GUIDE_STATE_TTL_DAYS), not a number written in a text."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bot.channels import telegram_main
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.settings import TelegramSettings
from bot.state import KEPT_DAYS
from bot.store import DurableSqliteStore


async def _text(conversation: Conversation, typed: str) -> str:
    result = await conversation.handle(Incoming("u", text=typed, language_hint="en"))
    return "\n".join(r.text for r in result.replies)


@pytest.mark.parametrize("days", [1, 30, KEPT_DAYS])
async def test_privacy_says_the_days_the_bot_keeps(
        days: int, make_conversation: Callable[..., Conversation]) -> None:
    conversation = dataclasses.replace(make_conversation(lang="en"), kept_days=days)
    first = await _text(conversation, "/start")
    unit = "day" if days == 1 else "days"
    assert f"{days} {unit} after your last message" in first and "/privacy" in first
    told = await _text(conversation, "/privacy")
    assert f"{days} {unit} after your last message" in told and "/forget" in told


async def test_russian_days_agree_with_the_number(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = dataclasses.replace(make_conversation(lang="ru"), kept_days=90)
    result = await conversation.handle(Incoming("u", text="/privacy"))
    assert "90 дней" in result.replies[0].text


def test_the_bot_gives_the_core_its_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                            ) -> None:
    given: dict[str, Any] = {}

    def fake_build(**kwargs: Any) -> object:
        given.update(kwargs)
        raise RuntimeError("stop here")

    monkeypatch.setattr(telegram_main, "build_conversation", fake_build)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:abcdefghijklmnop")
    monkeypatch.setenv("GUIDE_STATE_TTL_DAYS", "45")
    store = DurableSqliteStore.open(tmp_path / "s.db")
    try:
        with pytest.raises(RuntimeError):
            telegram_main.assemble(TelegramSettings(), store)  # type: ignore[call-arg]
    finally:
        store.close()
    assert given["kept_days"] == 45


def test_the_default_is_the_settings_default() -> None:
    assert TelegramSettings.model_fields["guide_state_ttl_days"].default == KEPT_DAYS
