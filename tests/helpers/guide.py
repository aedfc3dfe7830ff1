"""The guide's real Telegram Application, polling the fake Bot API over HTTP, for tests."""

from __future__ import annotations

import datetime as dtm
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from telegram.constants import FloodLimit
from telegram.ext import Application

from bot.app import build_conversation
from bot.channels.telegram import build_application, set_commands
from bot.conversation import Conversation
from bot.flood import FloodGuard
from bot.nlu.embedded import EmbeddedNlu
from bot.store import SqliteStore
from tests.helpers.fake_telegram import FakeTelegram


@dataclass
class Running:
    conversation: Conversation
    store: SqliteStore
    app: Application  # type: ignore[type-arg]

    async def send(self, chat_id: int, text: str) -> object:
        return await self.app.bot.send_message(chat_id, text)


@asynccontextmanager
async def running_guide(fake: FakeTelegram, db: Path, nlu: EmbeddedNlu,
                        on: date = date(2026, 11, 27), flood: FloodGuard | None = None,
                        reminders: bool = False,
                        core: Callable[[SqliteStore], Conversation] | None = None,
                        overall_limit: bool = True) -> AsyncIterator[Running]:
    """The bot with a SQLite store at `db`; `core` builds a conversation core of its own on
    that store (by default the project's, on the day `on`). Without `overall_limit`, the
    bot's requests are not held to Telegram's 30 a second for all chats together."""
    store = SqliteStore.open(db)
    conversation = (core(store) if core is not None
                    else build_conversation(store=store, nlu=nlu, today=lambda: on))
    # a test with hundreds of chats need not wait for Telegram's 30 a second
    app = build_application(fake.token, fake.base_url, conversation, flood=flood,
                            reminders=store if reminders else None,
                            max_per_second=FloodLimit.MESSAGES_PER_SECOND if overall_limit else 0)
    async with app:
        await set_commands(app, conversation)
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0, timeout=dtm.timedelta(seconds=1))
        try:
            yield Running(conversation, store, app)
        finally:
            await app.updater.stop()
            await app.stop()
            store.close()
