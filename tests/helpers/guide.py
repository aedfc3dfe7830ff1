"""The guide's real Telegram Application, polling the fake Bot API over HTTP, for tests:
the same durable inbox, outbox and polling loop as `guide telegram`."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from telegram.constants import FloodLimit
from telegram.ext import Application

from bot.app import build_conversation
from bot.channels.polling import serve_polling
from bot.channels.telegram import build_application
from bot.conversation import Conversation
from bot.flood import FloodGuard
from bot.nlu.embedded import EmbeddedNlu
from bot.store import DurableSqliteStore, SqliteStore
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
    store = DurableSqliteStore.open(db)
    conversation = (core(store) if core is not None
                    else build_conversation(store=store, nlu=nlu, today=lambda: on, usage=store))
    # a test with hundreds of chats need not wait for Telegram's 30 a second
    app = build_application(fake.token, fake.base_url, conversation, flood=flood,
                            reminders=store if reminders else None,
                            max_per_second=FloodLimit.MESSAGES_PER_SECOND if overall_limit else 0)
    stopping = asyncio.Event()
    serving = asyncio.create_task(serve_polling(app, store, stopping, timeout=1))
    try:
        while not fake.calls("getUpdates"):
            if serving.done():
                serving.result()  # raises what stopped it
            await asyncio.sleep(0.01)
        yield Running(conversation, store, app)
    finally:
        stopping.set()
        with contextlib.suppress(asyncio.CancelledError):
            await serving
        store.close()
