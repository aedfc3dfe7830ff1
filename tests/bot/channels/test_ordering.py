"""Updates of different chats overlap; updates of one chat keep Telegram's order."""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

from telegram import Chat, Message, Update, User

from bot.channels.ordering import PerChatUpdateProcessor


def _update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, Chat.PRIVATE)
    user = User(chat_id, "Test", is_bot=False)
    message = Message(update_id, datetime.now(UTC), chat, from_user=user, text=str(update_id))
    return Update(update_id, message=message)


async def _feed(processor: PerChatUpdateProcessor, updates: list[Update],
                work: dict[int, float]) -> tuple[dict[int, list[int]], int]:
    """Run the updates the way PTB does (one task each, started in order); returns the order
    in which each chat's updates were handled and the most that ran at the same time."""
    done: dict[int, list[int]] = {}
    running = 0
    most = 0

    async def handle(update: Update) -> None:
        nonlocal running, most
        assert update.effective_chat is not None
        running += 1
        most = max(most, running)
        await asyncio.sleep(work[update.update_id])
        done.setdefault(update.effective_chat.id, []).append(update.update_id)
        running -= 1

    async with processor:
        await asyncio.gather(*(asyncio.create_task(processor.process_update(u, handle(u)))
                               for u in updates))
    return done, most


async def test_each_chat_in_order_chats_side_by_side() -> None:
    rng = random.Random(7)
    updates = [_update(i, rng.choice([1, 2, 3, 4, 5])) for i in range(200)]
    # later updates often finish faster: only the lock keeps them behind
    work = {u.update_id: rng.uniform(0.0, 0.004) for u in updates}
    processor = PerChatUpdateProcessor(max_concurrent_updates=64)
    done, most = await _feed(processor, updates, work)
    for chat, ids in done.items():
        sent = [u.update_id for u in updates if u.effective_chat and u.effective_chat.id == chat]
        assert ids == sent, f"chat {chat} handled out of order"
    assert sum(len(ids) for ids in done.values()) == 200
    assert most == 5  # one per chat at a time, all five chats at once
    assert processor.chats_in_progress == 0  # no lock left behind


async def test_order_holds_when_the_concurrency_limit_is_reached() -> None:
    rng = random.Random(11)
    updates = [_update(i, rng.choice(range(1, 40))) for i in range(300)]
    work = {u.update_id: rng.uniform(0.0, 0.002) for u in updates}
    done, most = await _feed(PerChatUpdateProcessor(max_concurrent_updates=4), updates, work)
    for chat, ids in done.items():
        assert ids == sorted(ids), f"chat {chat} handled out of order"
    assert most <= 4


async def test_updates_without_a_chat_are_handled_too() -> None:
    processor = PerChatUpdateProcessor()
    seen: list[int] = []

    async def handle() -> None:
        seen.append(1)

    async with processor:
        await processor.process_update(Update(1), handle())
    assert seen == [1]
