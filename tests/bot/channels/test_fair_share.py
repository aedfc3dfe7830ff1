"""One chat's queued updates do not take the places other chats need
(bot/channels/ordering.py): 300 stickers from one user delayed everyone else by seconds."""

from __future__ import annotations

import asyncio
import time

from bot.channels.ordering import PerChatUpdateProcessor
from tests.bot.channels.test_ordering import _update

PLACES = 4
WORK = 0.01  # seconds each update takes


async def test_a_busy_chat_does_not_delay_another() -> None:
    processor = PerChatUpdateProcessor(max_concurrent_updates=PLACES)
    started: dict[int, float] = {}
    done: list[int] = []
    done_before: dict[int, int] = {}  # chat → the busy chat's updates done when it started

    async def handle(update_id: int, chat: int) -> None:
        started.setdefault(chat, time.monotonic())
        done_before.setdefault(chat, len(done))
        await asyncio.sleep(WORK)
        done.append(update_id)

    flood = [_update(i, 1) for i in range(100)]
    other = _update(1000, 2)
    async with processor:
        begin = time.monotonic()
        tasks = [asyncio.create_task(processor.process_update(u, handle(u.update_id, 1)))
                 for u in flood]
        tasks.append(asyncio.create_task(processor.process_update(other, handle(1000, 2))))
        await asyncio.gather(*tasks)
    # the other chat starts at once, not after the busy chat's queue (about 1 s): counted in
    # the busy chat's updates done by then, which a loaded machine does not change, where a
    # time limit (10 × WORK) failed once in a full run (0.16 s)
    assert done_before[2] < 2 * PLACES, (done_before[2], started[2] - begin)
    assert [i for i in done if i != 1000] == list(range(100))  # the busy chat keeps its order
