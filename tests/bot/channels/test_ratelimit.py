"""GuideRateLimiter with a real PTB bot over real HTTP, against the fake Bot API: what is
retried (and arrives once) and what is not (and may be lost, never doubled)."""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError, TimedOut
from telegram.ext import ExtBot
from telegram.request import HTTPXRequest

from bot.channels.ratelimit import BACKOFF_SECONDS, GuideRateLimiter, Verdict, verdict
from tests.helpers.fake_telegram import FakeTelegram

CHAT = 4242
TEXT = "Votre actualisation est ouverte."


@asynccontextmanager
async def limited_bot(fake: FakeTelegram, read_timeout: float = 5.0,
                      **limiter: Any) -> AsyncIterator[ExtBot[int]]:
    fake.add_chat(CHAT)
    bot = ExtBot(fake.token, base_url=fake.base_url,
                 request=HTTPXRequest(read_timeout=read_timeout),
                 rate_limiter=GuideRateLimiter(**limiter))
    async with bot:
        yield bot


async def test_a_500_is_retried_and_the_message_arrives_once() -> None:
    async with FakeTelegram() as fake, limited_bot(fake) as bot:
        fake.fail_next("sendMessage", status=500)
        await bot.send_message(CHAT, TEXT)
        first, second = fake.calls("sendMessage")
        assert (first.status, second.status) == (500, 200)
        assert second.time - first.time >= BACKOFF_SECONDS
        assert fake.sent_texts(CHAT) == [TEXT]


@pytest.mark.parametrize("status", [502, 503])
async def test_other_5xx_are_retried_too(status: int) -> None:
    async with FakeTelegram() as fake, limited_bot(fake, backoff=0.05) as bot:
        fake.fail_next("sendMessage", status=status)
        await bot.send_message(CHAT, TEXT)
        assert [c.status for c in fake.calls("sendMessage")] == [status, 200]
        assert fake.sent_texts(CHAT) == [TEXT]


async def test_a_5xx_that_outlasts_the_retries_is_raised(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.channels.ratelimit")
    async with FakeTelegram() as fake, limited_bot(fake, backoff=0.05) as bot:
        fake.fail_next("sendMessage", status=500, times=4)
        with pytest.raises(NetworkError) as raised:
            await bot.send_message(CHAT, TEXT)
        assert type(raised.value) is NetworkError
        assert [c.status for c in fake.calls("sendMessage")] == [500] * 4  # 1 + 3 retries
        assert fake.sent_texts(CHAT) == []
        assert "sendMessage: NetworkError, given up after 3 retries" in caplog.messages
        # the next message is not held back by the failed one
        await bot.send_message(CHAT, TEXT)
        assert fake.sent_texts(CHAT) == [TEXT]


async def test_429_waits_retry_after_then_arrives_once() -> None:
    async with FakeTelegram() as fake, limited_bot(fake, max_retries=1) as bot:
        fake.fail_next("sendMessage", status=429, retry_after=1)
        await bot.send_message(CHAT, TEXT)
        first, second = fake.calls("sendMessage")
        assert first.status == 429 and second.ok
        assert second.time - first.time >= 1.0
        assert fake.sent_texts(CHAT) == [TEXT]


async def test_429_beyond_max_retries_is_raised_not_retried_as_a_network_error() -> None:
    async with FakeTelegram() as fake, limited_bot(fake, max_retries=0) as bot:
        fake.fail_next("sendMessage", status=429, retry_after=1)
        with pytest.raises(RetryAfter):
            await bot.send_message(CHAT, TEXT)
        assert [c.status for c in fake.calls("sendMessage")] == [429]


async def test_an_answer_lost_after_telegram_sent_it_is_not_retried(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.channels.ratelimit")
    async with FakeTelegram() as fake, limited_bot(fake, backoff=0.05) as bot:
        fake.drop_next("sendMessage", after_processing=True)
        with pytest.raises(NetworkError, match="RemoteProtocolError"):
            await bot.send_message(CHAT, TEXT)
        [call] = fake.calls("sendMessage")
        assert call.delivered and call.fault == "drop"
        assert fake.sent_texts(CHAT) == [TEXT]  # once: a retry would have sent it twice
        assert caplog.messages == [
            "sendMessage: NetworkError (RemoteProtocolError), may have reached Telegram: "
            "not retried"]


async def test_a_connection_dropped_before_processing_is_not_retried_either() -> None:
    """From the bot's side it looks the same as the case above: it cannot know, so this
    message is lost rather than risk a double."""
    async with FakeTelegram() as fake, limited_bot(fake, backoff=0.05) as bot:
        fake.drop_next("sendMessage")
        with pytest.raises(NetworkError, match="RemoteProtocolError"):
            await bot.send_message(CHAT, TEXT)
        assert len(fake.calls("sendMessage")) == 1
        assert fake.sent_texts(CHAT) == []


async def test_a_slow_answer_times_out_and_is_not_retried() -> None:
    async with FakeTelegram() as fake, limited_bot(fake, read_timeout=0.3,
                                                   backoff=0.05) as bot:
        fake.delay_next("sendMessage", 0.8)
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, TEXT)
        await fake.wait_for("sendMessage", chat_id=CHAT)  # Telegram carried it out anyway
        assert len(fake.calls("sendMessage")) == 1
        assert fake.sent_texts(CHAT) == [TEXT]


async def test_a_bad_request_is_not_retried() -> None:
    async with FakeTelegram() as fake, limited_bot(fake, backoff=0.05) as bot:
        fake.fail_next("sendMessage", status=400, description="Bad Request: chat not found")
        with pytest.raises(BadRequest):
            await bot.send_message(CHAT, TEXT)
        assert [c.status for c in fake.calls("sendMessage")] == [400]
        assert fake.sent_texts(CHAT) == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def test_a_refused_connection_is_retried_until_the_server_is_back(
        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.channels.ratelimit")
    port = _free_port()
    async with FakeTelegram(port=port) as down, limited_bot(down) as bot:
        await down.stop()  # the bot is initialized; now nothing listens on the port
        back = FakeTelegram(port=port)
        back.add_chat(CHAT)
        sending = asyncio.create_task(bot.send_message(CHAT, TEXT))
        await asyncio.sleep(0.2)  # the first attempt fails meanwhile: nothing to wait_for
        assert not sending.done()
        async with back:
            await sending
            assert back.sent_texts(CHAT) == [TEXT]
            assert len(back.calls("sendMessage")) == 1
    assert "sendMessage: NetworkError (ConnectError), retry 1/3 in 0.5 s" in caplog.messages


async def test_get_updates_is_never_retried_here() -> None:
    """PTB's ExtBot does not even pass getUpdates to the rate limiter; if it ever did, its
    updater's own retries should stay the only ones."""
    limiter = GuideRateLimiter(backoff=0.01)
    attempts: list[str] = []

    async def server_error(endpoint: str, data: dict[str, Any]) -> bool:
        attempts.append(endpoint)
        raise NetworkError("Bad Gateway")

    with pytest.raises(NetworkError):
        await limiter.process_request(server_error, ("getUpdates", {}), {}, "getUpdates", {},
                                      None)
    assert attempts == ["getUpdates"]
    with pytest.raises(NetworkError):
        await limiter.process_request(server_error, ("getMe", {}), {}, "getMe", {}, None)
    assert attempts == ["getUpdates"] + ["getMe"] * 4


def _caused(error: TelegramError, cause: BaseException | None) -> TelegramError:
    error.__cause__ = cause
    return error


REQUEST = httpx.Request("POST", "http://127.0.0.1/bot1:x/sendMessage")


@pytest.mark.parametrize(("error", "expected"), [
    # how PTB's HTTPXRequest and BaseRequest raise each case
    (_caused(NetworkError("Internal Server Error"), None), "retry"),
    (_caused(NetworkError("Bad Gateway (502). Parsing the server response failed"),
             TelegramError("Invalid server response")), "retry"),
    (_caused(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")), "retry"),
    (_caused(TimedOut(), httpx.ConnectTimeout("connect")), "retry"),
    (_caused(TimedOut("Pool timeout"), httpx.PoolTimeout("pool")), "retry"),
    (_caused(TimedOut(), httpx.ReadTimeout("read")), "ambiguous"),
    (_caused(TimedOut(), httpx.WriteTimeout("write")), "ambiguous"),
    (_caused(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), "ambiguous"),
    (_caused(NetworkError("httpx.WriteError"), httpx.WriteError("broken pipe")), "ambiguous"),
    (_caused(NetworkError("httpx.RemoteProtocolError"),
             httpx.RemoteProtocolError("Server disconnected", request=REQUEST)), "ambiguous"),
    (_caused(BadRequest("Bad Request: message text is empty"), None), "final"),
    (_caused(RetryAfter(1), None), "final"),  # AIORateLimiter's business
    (_caused(NetworkError("Unknown error in HTTP implementation"), ValueError()), "final"),
])
def test_verdicts(error: TelegramError, expected: Verdict) -> None:
    assert verdict(error) == expected
