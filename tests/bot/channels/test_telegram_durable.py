"""Nothing acknowledged to Telegram is lost: kill -9, Telegram errors, odd updates, a store
that cannot write. The real bot (a subprocess for kill -9) against the fake Bot API."""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import bot.store.sqlite as sqlite_module
from bot.nlu.embedded import EmbeddedNlu
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

ROOT = Path(__file__).parents[3]
CHAT = 4242
BURST = 50


def _env(fake: FakeTelegram, db: Path, **extra: str) -> dict[str, str]:
    return {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token,
            "TELEGRAM_API_BASE_URL": fake.base_url, "GUIDE_STATE_URL": f"sqlite:///{db}",
            "GUIDE_CACHE_DIR": str(ROOT / ".cache"), "TELEGRAM_MAX_MESSAGES_PER_SECOND": "0",
            **extra}


def _start(env: dict[str, str], mode: str = "telegram") -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "bot", mode], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _unanswered(fake: FakeTelegram, chats: range) -> list[int]:
    return [chat for chat in chats if not fake.sent_texts(chat)]


def _wait_answered(fake: FakeTelegram, chats: range, timeout: float) -> list[int]:
    deadline = time.monotonic() + timeout
    while (left := _unanswered(fake, chats)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return left


def test_kill_9_after_polling_fetched_a_burst_loses_nothing(tmp_path: Path) -> None:
    """On main, the fetched updates were acknowledged and lost with the process."""
    chats = range(7_000_000, 7_000_000 + BURST)
    with FakeTelegram() as fake:
        env = _env(fake, tmp_path / "state.db")
        process = _start(env)
        try:
            fake.wait_for_sync("getUpdates", timeout=120, include_failed=True)
            for chat in chats:
                fake.send_text(chat, "/start", language_code="en")
            deadline = time.monotonic() + 30
            # killed as soon as Telegram forgot the burst (acknowledged), before it is handled
            while fake.pending_updates() and time.monotonic() < deadline:
                time.sleep(0.0005)
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        assert _unanswered(fake, chats), "the burst was handled before the kill: no test"
        process = _start(env)
        try:
            assert _wait_answered(fake, chats, timeout=120) == []
        finally:
            _stop(process)


def test_kill_9_after_the_webhook_answered_200_loses_nothing(tmp_path: Path) -> None:
    """On main, the webhook put updates on an in-memory queue and answered 200 at once."""
    chats = range(7_100_000, 7_100_000 + BURST)
    secret = "s3cr3t-Web_hook-token-0123456789abcdef"
    with FakeTelegram() as fake:
        port = _free_port()
        env = _env(fake, tmp_path / "state.db", GUIDE_WEBHOOK_URL="https://guide.example.org/t",
                   GUIDE_WEBHOOK_SECRET=secret, GUIDE_WEBHOOK_PORT=str(port))
        process = _start(env, "webhook")
        try:
            fake.wait_for_sync("setWebhook", timeout=120)
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
                for chat in chats:
                    fake.add_chat(chat)
                    answer = client.post("/t", json=_update(chat),
                                         headers={"X-Telegram-Bot-Api-Secret-Token": secret})
                    assert answer.status_code == 200
        finally:
            process.send_signal(signal.SIGKILL)
            process.wait(timeout=10)
        assert _unanswered(fake, chats), "the burst was handled before the kill: no test"
        process = _start(env, "webhook")
        try:
            assert _wait_answered(fake, chats, timeout=120) == []
        finally:
            _stop(process)


async def test_a_storm_of_telegram_errors_loses_no_reply(tmp_path: Path,
                                                         nlu: EmbeddedNlu) -> None:
    """On main, 1-3 replies of 10 were lost to 500s, 502s and dropped connections."""
    chats = range(7_200_000, 7_200_010)
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        fake.fail_next("sendMessage", status=500, times=10)
        fake.fail_next("sendMessage", status=502, times=10)
        fake.drop_next("sendMessage", times=5)
        fake.fail_next("sendMessage", status=429, retry_after=1, times=6)
        for chat in chats:
            fake.send_text(chat, "/start", language_code="en")
        await _answered(fake, chats, timeout=60)
        assert [c for c in chats if not fake.sent_texts(c)] == []


async def test_a_reply_telegram_keeps_refusing_is_sent_after_a_restart(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    """On main, a reply that failed was never tried again."""
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake:
        async with running_guide(fake, db, nlu):
            fake.fail_next("sendMessage", status=502, times=10_000)
            fake.send_text(CHAT, "/start", language_code="en")
            await fake.wait_for("sendMessage", chat_id=CHAT, include_failed=True, count=3)
        fake.clear_faults()
        assert fake.sent_texts(CHAT) == []
        async with running_guide(fake, db, nlu):
            await fake.wait_for("sendMessage", chat_id=CHAT, timeout=20)


async def test_an_update_that_cannot_be_read_is_skipped_by_id(
        tmp_path: Path, nlu: EmbeddedNlu, caplog: pytest.LogCaptureFixture) -> None:
    """On main, polling fetched the same batch for ever and logged the texts in it."""
    caplog.set_level(logging.INFO)
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        odd = fake.inject({"message": {"message_id": 1, "date": 0, "chat": "my password",
                                       "text": "hunter2-secret"}})
        fake.send_text(CHAT, "/start", language_code="en")
        await fake.wait_for("sendMessage", chat_id=CHAT, timeout=20)
        assert not fake.pending_updates() or fake.pending_updates()[0]["update_id"] > odd
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert f"update {odd} cannot be read" in logged
    assert "hunter2" not in logged and "password" not in logged


async def test_a_store_that_cannot_write_leaves_updates_at_telegram(
        tmp_path: Path, nlu: EmbeddedNlu, caplog: pytest.LogCaptureFixture,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """On main, the update was acknowledged, then lost: the store could not keep it."""
    monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT", 0.05)
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake, running_guide(fake, db, nlu):
        other = sqlite3.connect(db, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another process holds the write lock
        try:
            fake.send_text(CHAT, "/start", language_code="en")
            await asyncio.sleep(3)
            assert [u["update_id"] for u in fake.pending_updates()] != []
            assert fake.sent_texts(CHAT) == []
        finally:
            other.execute("ROLLBACK")
            other.close()
        await fake.wait_for("sendMessage", chat_id=CHAT, timeout=20)
    lines = [r for r in caplog.records if "cannot write" in r.getMessage()]
    assert len(lines) == 1, [r.getMessage() for r in lines]


async def _answered(fake: FakeTelegram, chats: range, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while any(not fake.sent_texts(c) for c in chats) and time.monotonic() < deadline:
        await asyncio.sleep(0.05)


_next_id = iter(range(900_000, 2_000_000))


def _update(chat: int) -> dict[str, object]:
    return {"update_id": next(_next_id), "message": {
        "message_id": 1, "date": int(time.time()), "text": "/start",
        "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
        "from": {"id": chat, "is_bot": False, "first_name": "T", "language_code": "en"},
        "chat": {"id": chat, "type": "private", "first_name": "T"}}}


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
