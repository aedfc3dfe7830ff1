"""Raw Telegram updates, fuzzed, fed to the real Application's handlers (the real
TelegramChannel, the real core, a real SQLite store, the fake Bot API over HTTP): no handler
raises anything but a Telegram refusal, and no log line holds what was written."""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from telegram import Update
from telegram.error import TelegramError
from telegram.ext import Application, ContextTypes

from bot.app import build_conversation
from bot.channels.telegram import build_application
from bot.logs import without_text
from bot.nlu.embedded import EmbeddedNlu
from bot.store import SqliteStore
from tests.fuzz.strategies import BUDGET, CHAR, LANGUAGE_HINTS, TYPED
from tests.helpers.fake_telegram import FakeTelegram

CHATS = [7001, 7002, -1007003]  # two people, one group
MARK = "ZqX"  # put in every text: a log line holding it holds a user's words


@dataclass
class Bot:
    app: Application  # type: ignore[type-arg]
    loop: asyncio.AbstractEventLoop
    errors: list[BaseException]

    def feed(self, data: dict[str, Any]) -> None:
        async def process() -> None:
            await self.app.process_update(Update.de_json(data, self.app.bot))

        future: Future[None] = asyncio.run_coroutine_threadsafe(process(), self.loop)
        future.result(timeout=60)


@pytest.fixture(scope="module")
def bot(nlu: EmbeddedNlu, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bot]:
    db: Path = tmp_path_factory.mktemp("fuzz") / "state.db"
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    errors: list[BaseException] = []

    async def start() -> tuple[FakeTelegram, Application, SqliteStore]:  # type: ignore[type-arg]
        fake = FakeTelegram()
        await fake.start()
        for chat in CHATS:
            fake.add_chat(chat, chat_type="private" if chat > 0 else "group")
        store = SqliteStore.open(db)
        core = build_conversation(store=store, nlu=nlu, today=lambda: date(2026, 11, 27))
        app = build_application(fake.token, fake.base_url, core, max_per_second=0)

        async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
            if context.error is not None and not isinstance(context.error, TelegramError):
                errors.append(context.error)

        app.add_error_handler(record)
        await app.initialize()
        return fake, app, store

    fake, app, store = asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=120)
    try:
        yield Bot(app, loop, errors)
    finally:
        async def stop() -> None:
            await app.shutdown()
            await fake.stop()
            store.close()

        asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=60)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(timeout=10)


_ids = iter(range(1, 10**9))


def _user(chat: int, hint: str | None, is_bot: bool) -> dict[str, Any]:
    user: dict[str, Any] = {"id": abs(chat) % 10**6 + 1, "is_bot": is_bot, "first_name": "F"}
    if hint is not None:
        user["language_code"] = hint
    return user


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    chat_id = draw(st.sampled_from(CHATS))
    chat = ({"id": chat_id, "type": "private", "first_name": "F"} if chat_id > 0
            else {"id": chat_id, "type": draw(st.sampled_from(["group", "supergroup"])),
                  "title": "G"})
    user = _user(chat_id, draw(LANGUAGE_HINTS), draw(st.booleans()))
    # a bare text as typed (a number is a press), or one holding the mark the logs must not
    text = draw(st.one_of(TYPED, st.builds(lambda a, b: f"{a} {MARK} {b}", TYPED,
                                           st.text(CHAR, max_size=10))))
    message: dict[str, Any] = {"message_id": next(_ids), "date": 1_790_000_000,
                               "chat": chat, "from": user}
    kind = draw(st.sampled_from(["text", "command", "caption", "sticker", "callback",
                                 "edited", "channel_post"]))
    if kind in ("text", "edited", "channel_post"):
        message["text"] = text
    elif kind == "command":
        word = draw(st.sampled_from(["/start", "/menu", "/forget", "/start@otherbot",
                                     "/reminders", "/language"]))
        message["text"] = f"{word} {text}"
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(word)}]
    elif kind == "caption":
        message["photo"] = [{"file_id": "p", "file_unique_id": "p", "width": 1, "height": 1}]
        message["caption"] = text
    elif kind == "sticker":
        message["sticker"] = {"file_id": "s", "file_unique_id": "s", "width": 1, "height": 1,
                              "is_animated": False, "is_video": False, "type": "regular"}
    update: dict[str, Any] = {"update_id": next(_ids)}
    if kind == "callback":
        data = draw(st.one_of(st.text(CHAR, max_size=64), st.sampled_from(
            ["c:start", "c:forget_yes", "o:eligibility.looking:²", "n:allowance.age:①",
             "g:allowance", "l:ti", "f:yes", "o:x:" + "9" * 40])))
        update["callback_query"] = {"id": str(next(_ids)), "from": user, "chat_instance": "c",
                                    "data": f"{data}{MARK}" if draw(st.booleans()) else data,
                                    "message": {**message, "text": "…", "from": user}}
    elif kind == "edited":
        update["edited_message"] = {**message, "edit_date": 1_790_000_001}
    elif kind == "channel_post":
        update["channel_post"] = {**message, "chat": {"id": -1009, "type": "channel",
                                                      "title": "C"}}
    else:
        update["message"] = message
    return update


@BUDGET
@given(batch=st.lists(updates(), min_size=1, max_size=5))
def test_fuzzed_updates_never_break_a_handler(bot: Bot, batch: list[dict[str, Any]],
                                              caplog: pytest.LogCaptureFixture) -> None:
    # caplog gathers every example's lines: none may hold a user's words
    caplog.set_level(logging.DEBUG)
    without_text()
    for update in batch:
        bot.feed(update)
    assert not bot.errors, [type(e).__name__ for e in bot.errors]
    assert MARK not in caplog.text
