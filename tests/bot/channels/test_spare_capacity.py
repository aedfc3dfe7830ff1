"""Tidying a pressed keyboard is optional: it is done only while Telegram's budget has room,
so that under load every request goes to replies."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

from telegram.error import RetryAfter

from bot.channels.ratelimit import GuideRateLimiter
from bot.flood import FloodGuard
from bot.nlu.embedded import EmbeddedNlu
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

CHAT = 5151


async def _call(limiter: GuideRateLimiter, chat_id: int | None = 1) -> None:
    async def ok() -> bool:
        return True

    data = {"chat_id": chat_id} if chat_id is not None else {}
    await limiter.process_request(ok, (), {}, "sendMessage", data, None)


async def test_spare_until_half_the_overall_budget_is_used() -> None:
    limiter = GuideRateLimiter(overall_max_rate=30)
    assert limiter.has_spare_capacity()
    for _ in range(14):
        await _call(limiter)
    assert limiter.has_spare_capacity()  # 14 of 30 used
    for _ in range(2):
        await _call(limiter)
    assert not limiter.has_spare_capacity()  # 16 of 30 used
    await asyncio.sleep(0.2)  # the bucket leaks 30 a second: 6 are free again
    assert limiter.has_spare_capacity()


async def test_calls_without_a_chat_do_not_use_the_budget() -> None:
    limiter = GuideRateLimiter(overall_max_rate=30)
    for _ in range(29):
        await _call(limiter, chat_id=None)  # answerCallbackQuery has no chat
    assert limiter.has_spare_capacity()


async def test_no_overall_limit_always_has_room() -> None:
    limiter = GuideRateLimiter(overall_max_rate=0)
    for _ in range(100):
        await _call(limiter)
    assert limiter.has_spare_capacity()


async def test_no_room_while_telegram_asks_to_wait() -> None:
    limiter = GuideRateLimiter(overall_max_rate=30, max_retries=1)
    attempts = 0

    async def flooded() -> bool:
        nonlocal attempts
        attempts += 1
        if attempts == 1:
            raise RetryAfter(1)
        return True

    waiting = asyncio.create_task(
        limiter.process_request(flooded, (), {}, "sendMessage", {"chat_id": 1}, None))
    await asyncio.sleep(0.3)
    assert not limiter.has_spare_capacity()
    assert await waiting is True
    assert limiter.has_spare_capacity()


async def test_the_bot_tidies_when_quiet_and_not_under_load(tmp_path: Path,
                                                            nlu: EmbeddedNlu) -> None:
    patient = FloodGuard(burst=1000)
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "t.db", nlu,
                                                     on=date(2026, 11, 27), flood=patient) as bot:
        fake.send_text(CHAT, "/start", language_code="fr")
        await fake.wait_for("sendMessage", chat_id=CHAT)
        await asyncio.sleep(0.3)
        fake.press_button(CHAT, fake.buttons(CHAT)[0][0], language_code="fr")
        await fake.wait_for("editMessageReplyMarkup", chat_id=CHAT)  # quiet: tidied

        # other chats use up more than half of the overall budget
        limiter = bot.app.bot.rate_limiter
        assert isinstance(limiter, GuideRateLimiter)
        for other in range(20):
            fake.add_chat(9000 + other)
            await bot.send(9000 + other, "...")
        before = len(fake.sent_texts(CHAT))
        tidied = len(fake.calls("editMessageReplyMarkup"))
        fake.press_button(CHAT, fake.buttons(CHAT)[0][0], language_code="fr")
        await fake.wait_for("sendMessage", chat_id=CHAT, count=before + 1)
        await asyncio.sleep(0.3)
        assert len(fake.calls("editMessageReplyMarkup")) == tidied  # busy: the reply only


async def test_reminders_wait_while_replies_use_the_budget() -> None:
    from telegram.ext import ExtBot

    from bot.channels.telegram import reminder_sender

    async with FakeTelegram() as fake:
        for chat in (1, 2):
            fake.add_chat(chat)
        limiter = GuideRateLimiter(overall_max_rate=30)
        async with ExtBot(fake.token, base_url=fake.base_url, rate_limiter=limiter) as bot:
            send = reminder_sender(bot)
            assert limiter.has_spare_capacity()
            await send(1, "quiet")
            for _ in range(20):
                await bot.send_message(2, "reply")  # 20 of 30: more than half used
            started = asyncio.get_running_loop().time()
            await send(1, "busy")
            # it waited until the bucket had leaked back to half (5 calls at 30 a second)
            assert asyncio.get_running_loop().time() - started >= 5 / 30
        assert fake.sent_texts(1) == ["quiet", "busy"]
