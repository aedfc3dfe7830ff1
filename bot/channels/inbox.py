"""Handles the updates the inbox keeps: in order within a chat, chats side by side.

`accept` writes updates to the store and returns only then: the caller acknowledges them to
Telegram afterwards (the polling loop by its next offset, the webhook by its 200), so a crash
at any moment loses none. Each update is handled by PTB's handlers inside a `Turn`: the
state it changes and the replies it makes are written with "done" in one transaction, then
the outbox sends the replies. On start, the updates a crash left pending are handled first,
in the order Telegram gave them.

An update PTB cannot read is skipped and logged by its id (never its content), so that one
odd update cannot hold the others back.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import deque
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes

from bot.channels.outbox import OUTBOX_KEY, Outbox
from bot.store import StoreError
from bot.store.durable import DurableStore, InboxItem
from bot.store.turns import Turn, open_turn

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

CONCURRENT_UPDATES = 64  # updates of different chats handled at once
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 30.0
STOP_GRACE = 10.0  # seconds the updates being handled, then the replies, get on stop
KEEP_DONE_IDS = timedelta(days=2)  # Telegram keeps an unacknowledged update 24 hours
PRUNE_EVERY = timedelta(hours=6)


def chat_of(update: Update) -> int | None:
    """The chat whose conversation the update belongs to (the user's, without a chat)."""
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None


class Inbox:
    def __init__(self, store: DurableStore, application: AnyApplication, outbox: Outbox,
                 concurrency: int = CONCURRENT_UPDATES) -> None:
        self.store = store
        self.application = application
        self.outbox = outbox
        self._slots = asyncio.Semaphore(concurrency)
        self._queues: dict[str, deque[tuple[InboxItem, Update]]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self._stopping = False
        self.handled = 0

    async def start(self) -> int:
        """Has the updates a previous run left pending handled; how many."""
        pending = await self.store.inbox_pending()
        readable, unreadable = self._read([i.body for i in pending])
        if unreadable:
            await self.store.inbox_skip(unreadable)
        for item, update in readable:
            self._schedule(item, update)
        if pending:
            log.info("inbox: %d update(s) left pending by the previous run", len(pending))
        return len(pending)

    async def accept(self, raw: Sequence[object]) -> int | None:
        """Keeps the updates durably, then has them handled; the highest update id seen
        (to acknowledge), None if there was none. Raises StoreError when they cannot be
        kept: they must not be acknowledged then."""
        readable, unreadable = self._read(raw)
        kept = await self.store.inbox_add([item for item, _ in readable])
        if unreadable:
            await self.store.inbox_skip(unreadable)
        new = {item.update_id for item in kept}
        for item, update in readable:
            if item.update_id in new:
                self._schedule(item, update)
            else:
                log.info("update %s delivered again: already kept", item.update_id)
        ids = [i.update_id for i, _ in readable] + list(unreadable)
        return max(ids) if ids else None

    def _read(self, raw: Sequence[object]) -> tuple[list[tuple[InboxItem, Update]], list[int]]:
        readable: list[tuple[InboxItem, Update]] = []
        unreadable: list[int] = []
        for body in raw:
            update_id = body.get("update_id") if isinstance(body, dict) else None
            if not isinstance(update_id, int) or isinstance(update_id, bool):
                log.warning("an update without an id: skipped")
                continue
            assert isinstance(body, dict)
            try:
                update = Update.de_json(body, self.application.bot)
                chat_id = chat_of(update)
            except Exception as exc:  # whatever PTB raises: the update is skipped, by id only
                log.warning("update %s cannot be read (%s): skipped", update_id,
                            type(exc).__name__)
                unreadable.append(update_id)
                continue
            readable.append((InboxItem(update_id, chat_id, body), update))
        return readable, unreadable

    def _schedule(self, item: InboxItem, update: Update) -> None:
        key = f"c{item.chat_id}" if item.chat_id is not None else f"u{item.update_id}"
        queue = self._queues.setdefault(key, deque())
        queue.append((item, update))
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._work(key), name=f"inbox-{key}")

    @property
    def in_progress(self) -> int:
        return sum(len(q) for q in self._queues.values())

    async def idle(self, timeout: float) -> bool:
        deadline = asyncio.get_running_loop().time() + timeout
        while self._workers:
            if asyncio.get_running_loop().time() > deadline:
                return False
            await asyncio.sleep(0.05)
        return True

    async def stop(self) -> None:
        """Lets the updates being handled finish (a while); the rest stays pending."""
        self._stopping = True
        workers = list(self._workers.values())
        if workers:
            await asyncio.wait(workers, timeout=STOP_GRACE)
        for task in workers:
            task.cancel()
        for task in workers:
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue and not self._stopping:
                item, update = queue[0]
                # one update per slot, not one chat: a chat with hundreds of updates
                # queued takes its turn among the others instead of all the slots
                async with self._slots:
                    await self._handle(item, update)
                queue.popleft()
        finally:
            self._queues.pop(key, None)
            self._workers.pop(key, None)

    async def _handle(self, item: InboxItem, update: Update) -> None:
        user = str(item.chat_id) if item.chat_id is not None else None
        with open_turn(item.update_id, user) as turn:
            try:
                # handler failures go to PTB's error handler; this catches the rest
                await self.application.process_update(update)
            except Exception as exc:
                log.error("update %s: %s while handling it", item.update_id,
                          type(exc).__name__)
        await self._finish(turn)
        self.handled += 1
        for chat_id in dict.fromkeys(o.chat_id for o in turn.out):
            self.outbox.wake(chat_id)

    async def _finish(self, turn: Turn) -> None:
        pause = FIRST_PAUSE
        failing = False
        while True:
            try:
                await self.store.finish_turn(turn)
                if failing:
                    log.warning("update %s: written at last", turn.update_id)
                return
            except Exception as exc:
                if not failing:
                    # a StoreError names the file and the reason; anything else may quote
                    # the state: its type only
                    reason = str(exc) if isinstance(exc, StoreError) else type(exc).__name__
                    log.error("update %s cannot be written, retrying: %s", turn.update_id,
                              reason)
                failing = True
                await asyncio.sleep(pause)
                pause = min(pause * 2, LONGEST_PAUSE)


class Delivery:
    """The inbox and the outbox of a bot whose updates are pushed to it (the webhook)."""

    def __init__(self, store: DurableStore, application: AnyApplication) -> None:
        self.outbox = Outbox(store, application.bot)
        self.inbox = Inbox(store, application, self.outbox)
        application.bot_data[OUTBOX_KEY] = self.outbox
        self._failing = False
        if application.job_queue is not None:
            async def prune(context: ContextTypes.DEFAULT_TYPE) -> None:
                await store.prune_inbox(KEEP_DONE_IDS)

            application.job_queue.run_repeating(prune, interval=PRUNE_EVERY, first=60)

    async def start(self) -> None:
        await self.outbox.start()
        await self.inbox.start()

    async def stop(self) -> None:
        await self.inbox.stop()
        # a reply cut off in the middle of its call may be sent again at the next start
        await self.outbox.idle(STOP_GRACE)
        await self.outbox.stop()

    def store_failed(self, exc: StoreError) -> None:
        """One log line per failure streak, not one per refused update."""
        if not self._failing:
            log.error("the state store cannot write, updates are refused (Telegram keeps "
                      "them and tries again): %s", exc)
        self._failing = True

    def store_works(self) -> None:
        if self._failing:
            log.warning("the state store writes again: updates are taken")
        self._failing = False
