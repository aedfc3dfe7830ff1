"""Sends what the outbox holds: in order per chat, retried until Telegram accepts or refuses.

A call is removed from the outbox once Telegram accepted it, or gave an answer that retrying
cannot change: the user blocked the bot (Forbidden), the chat does not exist or the request
is malformed (BadRequest). Everything else (429, 5xx, a refused or dropped connection, a
timeout) is retried after a growing pause, across restarts too (the call stays stored).

A call whose answer was lost (the connection dropped after Telegram carried it out, or a kill
between Telegram's accept and the removal) is sent again: the Bot API has no idempotency key,
so the guide prefers a rare message twice to a message never sent (README, "Delivery").
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime, timedelta

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, InvalidToken, RetryAfter, TelegramError

from bot.channels.telegram_files import document_from, send_document
from bot.checklist_pdf import MissingFont
from bot.logs import chat_ref
from bot.store.durable import DurableStore, OutboxItem

log = logging.getLogger(__name__)
# where the running outbox is found in application.bot_data (the reminders job wakes it)
OUTBOX_KEY = "guide_outbox"

FIRST_PAUSE = 0.5  # seconds before the first retry; doubled each time
LONGEST_PAUSE = 30.0
# a reply still not accepted a day later is dropped: it answers a question long gone
GIVE_UP_AFTER = timedelta(days=1)
CONCURRENT_CHATS = 32  # chats sent to at once (the rate limiter spaces the calls anyway)


class Outbox:
    """`wake(chat)` after a turn is written; `start` sends what a previous run left."""

    def __init__(self, store: DurableStore, bot: Bot,
                 concurrency: int = CONCURRENT_CHATS, first_pause: float = FIRST_PAUSE) -> None:
        self.store = store
        self.bot = bot
        self.first_pause = first_pause
        self._slots = asyncio.Semaphore(concurrency)
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._dirty: set[int] = set()

    async def start(self) -> None:
        for chat_id in await self.store.outbox_chats():
            self.wake(chat_id)

    def wake(self, chat_id: int) -> None:
        """The chat has calls to make (written before this is called)."""
        self._dirty.add(chat_id)
        if chat_id not in self._tasks:
            self._tasks[chat_id] = asyncio.create_task(self._drain(chat_id),
                                                       name=f"outbox-{chat_id}")

    @property
    def busy(self) -> int:
        return len(self._tasks)

    async def stop(self) -> None:
        """Stops sending; what is not sent stays in the outbox for the next start."""
        tasks = list(self._tasks.values())
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def idle(self, timeout: float) -> bool:
        """Waits until nothing is left to send (True), or `timeout` seconds (False)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._tasks:
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    async def _drain(self, chat_id: int) -> None:
        try:
            while chat_id in self._dirty:
                # cleared before reading: a turn written meanwhile sets it again
                self._dirty.discard(chat_id)
                while items := await self._next(chat_id):
                    for item in items:
                        await self._deliver(item)
        finally:
            self._tasks.pop(chat_id, None)

    async def _next(self, chat_id: int) -> list[OutboxItem]:
        pause = self.first_pause
        while True:
            try:
                return await self.store.outbox_next(chat_id)
            except Exception as exc:  # the store may come back: the replies wait in it
                log.error("outbox: cannot read the store (%s); retrying", type(exc).__name__)
                await asyncio.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)

    async def _deliver(self, item: OutboxItem) -> None:
        pause = self.first_pause
        attempt = 0
        while True:
            attempt += 1
            async with self._slots:
                outcome = await self._call(item)
            if outcome is None:
                break
            if datetime.now(UTC) - item.created_at > GIVE_UP_AFTER:
                log.warning("outbox: %s to chat %s given up after %d attempts (%s)",
                            item.method, chat_ref(item.chat_id), attempt, outcome)
                break
            wait = pause
            if outcome.startswith("RetryAfter:"):
                wait = max(pause, float(outcome.split(":", 1)[1]))
            log.info("outbox: %s to chat %s failed (%s); retry in %.1f s", item.method,
                     chat_ref(item.chat_id), outcome, wait)
            await asyncio.sleep(wait)
            pause = min(pause * 2, LONGEST_PAUSE)
        await self._remove(item)

    async def _call(self, item: OutboxItem) -> str | None:
        """None when done with (accepted, or refused for good); else why to retry."""
        try:
            if item.method == "sendMessage":
                markup = item.params.get("reply_markup")
                await self.bot.send_message(
                    item.chat_id, item.params["text"],
                    reply_markup=(InlineKeyboardMarkup.de_json(markup, self.bot)
                                  if markup else None))
            elif item.method == "sendDocument":
                markup = item.params.get("reply_markup")
                await send_document(
                    self.bot, item.chat_id, document_from(item.params["document"]),
                    str(item.params.get("caption") or ""),
                    InlineKeyboardMarkup.de_json(markup, self.bot) if markup else None)
            elif item.method == "deleteMessage":
                await self.bot.delete_message(item.chat_id, item.params["message_id"])
            else:
                log.error("outbox: unknown method %s; dropped", item.method)
            return None
        except Forbidden:
            log.info("outbox: chat %s blocked the bot; %s dropped", chat_ref(item.chat_id),
                     item.method)
            return None
        except MissingFont as exc:
            # a machine to fix, not a call to retry: the error names the file and its package
            log.error("outbox: %s to chat %s dropped: %s", item.method, chat_ref(item.chat_id),
                      exc)
            return None
        except InvalidToken:
            return "InvalidToken"  # the token may be given back: the replies wait
        except BadRequest as exc:
            # its message is Telegram's, never the user's text ("Chat not found"...)
            log.warning("outbox: %s to chat %s refused: %s; dropped", item.method,
                        chat_ref(item.chat_id), exc.message)
            return None
        except RetryAfter as exc:
            after = exc.retry_after
            seconds = after.total_seconds() if isinstance(after, timedelta) else float(after)
            return f"RetryAfter:{seconds}"
        except TelegramError as exc:
            return type(exc).__name__ + (f" ({type(exc.__cause__).__name__})"
                                         if exc.__cause__ is not None else "")
        except Exception as exc:  # a bug must not lose the reply, nor stop the others
            log.error("outbox: %s to chat %s: %s", item.method, chat_ref(item.chat_id),
                      type(exc).__name__)
            return type(exc).__name__

    async def _remove(self, item: OutboxItem) -> None:
        pause = self.first_pause
        while True:
            try:
                await self.store.outbox_remove(item.id)
                return
            except Exception as exc:
                log.error("outbox: cannot mark a reply sent (%s); retrying",
                          type(exc).__name__)
                await asyncio.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)
