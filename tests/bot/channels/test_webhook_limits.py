"""The webhook server against callers that are not Telegram (bot/channels/telegram_webhook.py):
oversized and slow bodies, idle connections, wrong secrets by the thousand, and no version
to look up in a list of known holes."""

from __future__ import annotations

import asyncio
import logging
import time
from pathlib import Path

import pytest

from bot.channels import telegram_webhook
from bot.channels.telegram_webhook import MAX_BODY, SECRET_HEADER
from bot.nlu.embedded import EmbeddedNlu
from tests.bot.channels.test_telegram_webhook import SECRET, running_webhook
from tests.helpers.fake_telegram import FakeTelegram


async def test_no_version_in_the_server_header(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            _, client):
        for answer in (await client.get("/healthz"), await client.post("/telegram")):
            server = answer.headers.get("server", "")
            assert "aiohttp" not in server.lower() and "python" not in server.lower(), server


async def test_a_body_over_the_limit_gets_413(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            _, client):
        answer = await client.post("/telegram", content=b"{" + b" " * (MAX_BODY + 1) + b"}",
                                   headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 413


async def _raw(port: int, request: bytes) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(request)
    await writer.drain()
    return reader, writer


async def test_a_slow_body_is_cut_off(tmp_path: Path, nlu: EmbeddedNlu,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telegram_webhook, "BODY_TIMEOUT", 0.5)
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            server, _):
        head = (f"POST /telegram HTTP/1.1\r\nHost: x\r\n{SECRET_HEADER}: {SECRET}\r\n"
                "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{").encode()
        reader, writer = await _raw(server.port, head)
        started = time.monotonic()
        status = await asyncio.wait_for(reader.readline(), 5)
        assert b" 408 " in status, status
        assert time.monotonic() - started < 3
        writer.close()


async def test_an_idle_connection_is_closed(tmp_path: Path, nlu: EmbeddedNlu,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(telegram_webhook, "IDLE_TIMEOUT", 0.5)
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            server, _):
        reader, writer = await _raw(server.port, b"")  # connects, never asks anything
        assert await asyncio.wait_for(reader.read(), 5) == b""  # closed by the server
        writer.close()


async def test_wrong_secrets_are_warned_about_once_in_a_while(
        tmp_path: Path, nlu: EmbeddedNlu, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.channels.telegram_webhook")
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            _, client):
        for attempt in range(200):
            answer = await client.post("/telegram", json={"update_id": attempt},
                                       headers={SECRET_HEADER: f"guess-{attempt}"})
            assert answer.status_code == 403
    refused = [r for r in caplog.records if "refused" in r.getMessage()]
    assert 1 <= len(refused) <= 2, [r.getMessage() for r in refused]
    assert "guess-" not in caplog.text


async def test_connections_over_the_limit_are_turned_away(tmp_path: Path, nlu: EmbeddedNlu,
                                                          monkeypatch: pytest.MonkeyPatch,
                                                          ) -> None:
    monkeypatch.setattr(telegram_webhook, "MAX_CONNECTIONS", 5)
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            server, client):
        idle = [await _raw(server.port, b"") for _ in range(5)]
        await asyncio.sleep(0.1)
        reader, writer = await _raw(server.port, b"")
        assert await asyncio.wait_for(reader.read(), 5) == b""  # turned away at once
        writer.close()
        for _, idle_writer in idle:
            idle_writer.close()
        await asyncio.sleep(0.1)
        assert (await client.get("/healthz")).status_code == 200  # room again
