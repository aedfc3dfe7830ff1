"""Webhook mode: the real PTB Application behind our aiohttp server, the Bot API faked.

Updates are POSTed to the webhook as Telegram would (httpx); the bot's answers (sendMessage...)
go to the fake Telegram server, which records them.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import sqlite3
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.app import build_conversation
from bot.channels.telegram import build_application
from bot.channels.telegram_webhook import (
    ALLOWED_UPDATES,
    SECRET_HEADER,
    WebhookConfig,
    WebhookServer,
    run_webhook,
)
from bot.cli import main
from bot.nlu.embedded import EmbeddedNlu
from bot.store import SqliteStore
from tests.helpers.fake_telegram import FakeTelegram

SECRET = "s3cr3t-Web_hook-token-0123456789abcdef"
URL = "https://guide.example.org/telegram"
CHAT = 4242
INTRUDER = 6666
_ids = itertools.count(1)


def text_update(chat: int, text: str, lang: str = "fr",
                update_id: int | None = None) -> dict[str, Any]:
    """An update as Telegram sends it: a user writes `text` in a private chat."""
    message: dict[str, Any] = {
        "message_id": next(_ids),
        "from": {"id": chat, "is_bot": False, "first_name": "Test", "language_code": lang},
        "chat": {"id": chat, "type": "private", "first_name": "Test"},
        "date": int(time.time()),
        "text": text,
    }
    if text.startswith("/"):
        command = text.split()[0]
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return {"update_id": update_id or 100_000 + next(_ids), "message": message}


Running = tuple[WebhookServer, httpx.AsyncClient]


@asynccontextmanager
async def running_webhook(fake: FakeTelegram, db: Path,
                          nlu: EmbeddedNlu) -> AsyncIterator[Running]:
    """The guide behind its webhook server on a free port, and a client to call it."""
    store = SqliteStore.open(db)
    conversation = build_conversation(store=store, nlu=nlu, today=lambda: date(2026, 11, 27))
    application = build_application(fake.token, fake.base_url, conversation)
    server = WebhookServer(application, WebhookConfig(url=URL, secret=SECRET, port=0), store)
    try:
        await server.start()
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{server.port}",
                                     timeout=5.0) as client:
            yield server, client
    finally:
        await server.stop()
        store.close()


def rows_of(db: Path, chat: int) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("SELECT count(*) FROM users WHERE user_id = ?",
                                (str(chat),)).fetchone()[0])


async def settle(fake: FakeTelegram, chat: int) -> None:
    """Wait until the bot has stopped sending to the chat (a reply may be several messages)."""
    count = -1
    while count != len(fake.sent_texts(chat)):
        count = len(fake.sent_texts(chat))
        await asyncio.sleep(0.1)


async def test_start_sets_the_webhook_and_the_command_menu(tmp_path: Path,
                                                          nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu):
        [call] = fake.calls("setWebhook")
        assert call.params["url"] == URL
        assert call.params["secret_token"] == SECRET
        assert call.params["allowed_updates"] == list(ALLOWED_UPDATES)
        for lang in ("en", "fr", "ar", ""):  # "": the default menu
            assert fake.commands(lang)[0]["command"] == "start"
    # stopping leaves the webhook to the next process (see telegram_webhook's docstring)
    assert not fake.calls("deleteWebhook")


async def test_an_update_with_the_secret_is_answered(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake, running_webhook(fake, db, nlu) as (_, client):
        fake.add_chat(CHAT)
        started = time.monotonic()
        answer = await client.post("/telegram", json=text_update(CHAT, "/start"),
                                   headers={SECRET_HEADER: SECRET})
        assert answer.status_code == 200
        assert time.monotonic() - started < 1.0  # answered before the update is handled
        [sent, *_] = await fake.wait_for("sendMessage", chat_id=CHAT)
        assert sent.text is not None and "France Travail" in sent.text
        await settle(fake, CHAT)
    assert rows_of(db, CHAT) == 1


async def test_calls_without_the_right_secret_change_nothing(tmp_path: Path,
                                                            nlu: EmbeddedNlu) -> None:
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake, running_webhook(fake, db, nlu) as (_, client):
        fake.add_chat(INTRUDER)  # so that an answer to it would go through, were it sent
        fake.add_chat(CHAT)
        for headers in ({}, {SECRET_HEADER: ""}, {SECRET_HEADER: "wrong"},
                        {SECRET_HEADER: SECRET + "x"}, {SECRET_HEADER: SECRET[:-1]},
                        {SECRET_HEADER.lower(): SECRET.upper()}):
            answer = await client.post("/telegram", json=text_update(INTRUDER, "/forget"),
                                       headers=headers)
            assert answer.status_code == 403, headers
        # updates are handled one at a time, in order: once this one is answered, any update
        # queued before it would have been handled too
        await client.post("/telegram", json=text_update(CHAT, "/start"),
                          headers={SECRET_HEADER: SECRET})
        await fake.wait_for("sendMessage", chat_id=CHAT)
        await settle(fake, CHAT)
        assert fake.calls(chat_id=INTRUDER) == []
    assert rows_of(db, INTRUDER) == 0
    assert rows_of(db, CHAT) == 1


async def test_what_is_not_an_update_is_refused(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            _, client):
        right = {SECRET_HEADER: SECRET}
        for body in (b"{not json", b"[1, 2]", b'{"message": {}}', b'{"update_id": 1, '
                     b'"message": 5}'):
            answer = await client.post("/telegram", content=body, headers=right)
            assert answer.status_code == 400, body
        assert (await client.get("/telegram")).status_code == 405
        assert (await client.post("/elsewhere", json={}, headers=right)).status_code == 404
        await asyncio.sleep(0.1)
        assert not fake.calls("sendMessage")


async def test_an_update_delivered_twice_is_handled_once(tmp_path: Path,
                                                        nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            _, client):
        fake.add_chat(CHAT)
        fake.add_chat(CHAT + 1)
        twice = text_update(CHAT, "/start")
        for update in (twice, twice, text_update(CHAT + 1, "/start")):
            answer = await client.post("/telegram", json=update,
                                       headers={SECRET_HEADER: SECRET})
            assert answer.status_code == 200
        await fake.wait_for("sendMessage", chat_id=CHAT + 1)
        await settle(fake, CHAT + 1)
        # the same /start, once each
        assert fake.sent_texts(CHAT) == fake.sent_texts(CHAT + 1)


async def test_health(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            server, client):
        answer = await client.get("/healthz")
        assert answer.status_code == 200
        assert answer.json() == {"status": "ok", "running": True, "store": "ok"}
        assert server.store is not None
        server.store.close()  # the database is gone
        answer = await client.get("/healthz")
        assert answer.status_code == 503
        assert answer.json()["store"] == "error"


async def test_the_secret_never_reaches_the_logs(tmp_path: Path, nlu: EmbeddedNlu,
                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    async with FakeTelegram() as fake, running_webhook(fake, tmp_path / "s.db", nlu) as (
            _, client):
        fake.add_chat(CHAT)
        await client.post("/telegram", json=text_update(CHAT, "/start"),
                          headers={SECRET_HEADER: SECRET})
        await client.post("/telegram", json=text_update(CHAT, "/start"),
                          headers={SECRET_HEADER: SECRET[:-1]})
        await fake.wait_for("sendMessage", chat_id=CHAT)
        await settle(fake, CHAT)
    # PTB did log the setWebhook call's parameters, with the secret blanked out
    assert any("setWebhook" in r.getMessage() and "[secret]" in r.getMessage()
               for r in caplog.records)
    assert any("refused a webhook call" in r.getMessage() for r in caplog.records)
    assert SECRET not in caplog.text
    assert all(SECRET not in r.getMessage() for r in caplog.records)


# ---- `guide webhook`: settings ---------------------------------------------------------------

@pytest.fixture
def webhook_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    for name in ("TELEGRAM_API_BASE_URL", "GUIDE_WEBHOOK_LISTEN", "GUIDE_WEBHOOK_PORT",
                 "TELEGRAM_MAX_MESSAGES_PER_SECOND"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123456:TEST-token-abcdef")
    monkeypatch.setenv("GUIDE_STATE_URL", f"sqlite:///{tmp_path / 'state.db'}")
    monkeypatch.setenv("GUIDE_WEBHOOK_URL", URL)
    monkeypatch.setenv("GUIDE_WEBHOOK_SECRET", SECRET)
    return monkeypatch


@pytest.mark.parametrize(("name", "value", "expected"), [
    ("GUIDE_WEBHOOK_URL", None, "GUIDE_WEBHOOK_URL is not set"),
    ("GUIDE_WEBHOOK_URL", "http://guide.example.org/telegram", "https:// URL"),
    ("GUIDE_WEBHOOK_URL", "https://guide.example.org:9000/telegram", "port must be one of"),
    ("GUIDE_WEBHOOK_URL", "https://guide.example.org/healthz", "cannot be /healthz"),
    ("GUIDE_WEBHOOK_SECRET", None, "GUIDE_WEBHOOK_SECRET is not set"),
    ("GUIDE_WEBHOOK_SECRET", "", "GUIDE_WEBHOOK_SECRET is not set"),
    ("GUIDE_WEBHOOK_SECRET", "has spaces and ! marks", "GUIDE_WEBHOOK_SECRET must be"),
    ("GUIDE_WEBHOOK_SECRET", "x" * 257, "GUIDE_WEBHOOK_SECRET must be"),
    ("GUIDE_WEBHOOK_SECRET", "sécret", "GUIDE_WEBHOOK_SECRET must be"),
    ("GUIDE_WEBHOOK_PORT", "0", "GUIDE_WEBHOOK_PORT must be"),
    ("TELEGRAM_BOT_TOKEN", None, "TELEGRAM_BOT_TOKEN is not set"),
    ("TELEGRAM_MAX_MESSAGES_PER_SECOND", "-1", "TELEGRAM_MAX_MESSAGES_PER_SECOND"),
    ("TELEGRAM_MAX_MESSAGES_PER_SECOND", "many", "TELEGRAM_MAX_MESSAGES_PER_SECOND"),
])
def test_bad_settings_stop_with_one_line(webhook_env: pytest.MonkeyPatch, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str], name: str,
                                         value: str | None, expected: str) -> None:
    if value is None:
        webhook_env.delenv(name, raising=False)
    else:
        webhook_env.setenv(name, value)
    assert run_webhook() == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and expected in err, err
    if name == "GUIDE_WEBHOOK_SECRET" and value:
        assert value not in err
    assert SECRET not in err
    assert not (tmp_path / "state.db").exists()  # stopped before opening the store


def test_guide_webhook_command(webhook_env: pytest.MonkeyPatch,
                               capsys: pytest.CaptureFixture[str]) -> None:
    webhook_env.delenv("GUIDE_WEBHOOK_URL")
    assert main(["webhook"]) == 2
    assert "GUIDE_WEBHOOK_URL is not set" in capsys.readouterr().err
