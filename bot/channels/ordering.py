"""Updates handled concurrently across chats, one at a time and in order within a chat.

PTB handles updates one after another by default, so one user's reply waits behind every
other user's round trips to Telegram. Its `concurrent_updates` runs them side by side but
gives no order, and a user's second message must not overtake the first (the state of the
conversation is read, changed and saved per message). So: one lock per chat.

Order holds because PTB starts one task per update in the order Telegram gave them, each task
runs until its first suspension in that order, and both `asyncio.Semaphore` and
`asyncio.Lock` wake their waiters first in, first out.

A chat's turn is taken before one of the places: an update waiting behind its own chat's
previous one holds no place, so one chat's 300 stickers use one place, not all of them.
PTB's own semaphore (taken before `do_process_update`, where the turn is waited for, and
`process_update` is final) is made too wide to bind; the places are counted here instead.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from dataclasses import dataclass
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

_NEVER_BINDS = 2**31 - 1


@dataclass
class _ChatTurn:
    lock: asyncio.Lock
    users: int = 0  # tasks holding or waiting for the lock: the entry goes when none is left


class PerChatUpdateProcessor(BaseUpdateProcessor):
    """At most `max_concurrent_updates` updates at once, never two of the same chat."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        if max_concurrent_updates < 1:
            raise ValueError("`max_concurrent_updates` must be a positive integer!")
        # PTB's max_concurrent_updates / current_concurrent_updates count updates taken in,
        # waiting for their chat's turn or not; `places` is how many run at once
        super().__init__(_NEVER_BINDS)
        self.places = max_concurrent_updates
        self._free = asyncio.BoundedSemaphore(max_concurrent_updates)
        self._chats: dict[int, _ChatTurn] = {}

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        key = _chat_key(update)
        if key is None:
            async with self._free:
                await coroutine
            return
        turn = self._chats.get(key)
        if turn is None:
            turn = self._chats[key] = _ChatTurn(asyncio.Lock())
        turn.users += 1
        try:
            async with turn.lock, self._free:
                await coroutine
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._chats[key]

    @property
    def chats_in_progress(self) -> int:
        return len(self._chats)

    async def initialize(self) -> None:
        """Nothing to set up."""

    async def shutdown(self) -> None:
        """Nothing to release."""


def _chat_key(update: object) -> int | None:
    """The chat whose conversation the update belongs to (the user's, without a chat)."""
    if not isinstance(update, Update):
        return None
    if update.effective_chat is not None:
        return update.effective_chat.id
    if update.effective_user is not None:
        return update.effective_user.id
    return None
