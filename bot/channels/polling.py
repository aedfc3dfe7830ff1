"""`guide telegram`'s own getUpdates loop: an update is acknowledged only once it is stored.

PTB's Updater passes the next offset to getUpdates as soon as a batch arrives, before the
updates are handled: Telegram forgets them then, and a kill -9 loses every update fetched and
not yet handled. Here the next getUpdates (whose offset acknowledges the batch) is made only
after the batch is written to the store's inbox. A store that cannot write leaves the
offset where it is: the updates stay at Telegram and the same batch is asked for again, with
a growing pause and one log line per failure streak.

Updates are fetched as JSON, not as PTB objects, so that one update PTB cannot read is
skipped by id (`Inbox.accept`) instead of failing the whole batch again and again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import warnings
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from telegram.error import (
    Conflict,
    EndPointNotFound,
    InvalidToken,
    RetryAfter,
    TelegramError,
    TimedOut,
)
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from bot.channels.inbox import Delivery, Inbox
from bot.store import StoreError
from bot.store.durable import DurableStore

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

POLL_TIMEOUT = 30  # seconds Telegram holds a getUpdates open while there is nothing
BATCH = 100  # updates per getUpdates, Telegram's maximum
FIRST_PAUSE = 0.5
LONGEST_PAUSE = 30.0

# getUpdates is asked for as raw JSON through do_api_request, which warns that a method of
# that name exists: the typed one would parse the whole batch at once
warnings.filterwarnings("ignore", message=r"Please use 'Bot\.getUpdates'",
                        category=PTBUserWarning)


class TokenRejected(Exception):
    """Telegram refused the bot's token (401): nothing will ever be fetched with it."""


async def fetch_batch(application: AnyApplication, offset: int,
                      timeout: float) -> list[object]:
    """One getUpdates, as JSON; its offset acknowledges every update before it."""
    result = await application.bot.do_api_request(
        "getUpdates", api_kwargs={"offset": offset, "timeout": timeout, "limit": BATCH},
        # as PTB's Updater: past its own 5 s, a long poll that does not answer is given up
        read_timeout=timeout + 5)
    if not isinstance(result, list):
        raise TypeError("getUpdates did not answer a list")
    return result


async def poll(application: AnyApplication, inbox: Inbox, stopping: asyncio.Event,
               timeout: float = POLL_TIMEOUT, first_pause: float = FIRST_PAUSE) -> None:
    """Fetches, keeps, acknowledges, until `stopping` is set. Raises TokenRejected."""
    await _until_done(lambda: application.bot.delete_webhook(drop_pending_updates=False),
                      stopping)
    offset = 0
    pause = first_pause
    failing: str | None = None
    while not stopping.is_set():
        try:
            batch = await _until_stopped(fetch_batch(application, offset, timeout), stopping)
            if batch is None:
                return
            last = await inbox.accept(batch)
        except (InvalidToken, EndPointNotFound) as exc:
            # do_api_request reports a 401/404 as EndPointNotFound; getUpdates always
            # exists, so it is the token Telegram refuses
            raise TokenRejected from exc
        except (TimeoutError, TimedOut):
            continue  # a long poll the network gave up on: nothing lost, ask again
        except RetryAfter as exc:
            seconds = exc.retry_after
            await _sleep(seconds.total_seconds() if isinstance(seconds, timedelta)
                         else float(seconds), stopping)
            continue
        except StoreError as exc:
            if failing != "store":
                log.error("the state store cannot write, updates are left at Telegram "
                          "until it can: %s", exc)
            failing = "store"
            await _sleep(pause, stopping)
            pause = min(pause * 2, LONGEST_PAUSE)
            continue
        except (TelegramError, TypeError) as exc:
            why = "another bot process polls with this token" if isinstance(exc, Conflict) \
                else type(exc).__name__
            if failing != why:
                log.warning("getUpdates failed (%s); trying again", why)
            failing = why
            await _sleep(pause, stopping)
            pause = min(pause * 2, LONGEST_PAUSE)
            continue
        if failing is not None:
            log.info("getUpdates works again")
        failing, pause = None, first_pause
        if last is not None:
            offset = last + 1


async def _until_stopped(work: Any, stopping: asyncio.Event) -> Any:
    """The result of `work`, or None once `stopping` is set first (the work is cancelled)."""
    task = asyncio.ensure_future(work)
    stop = asyncio.ensure_future(stopping.wait())
    try:
        await asyncio.wait({task, stop}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        stop.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await task
        return None
    return task.result()


async def _until_done(work: Callable[[], Awaitable[object]], stopping: asyncio.Event) -> None:
    """deleteWebhook, retried while the network fails (PTB's Updater does the same)."""
    pause = FIRST_PAUSE
    while not stopping.is_set():
        try:
            await work()
            return
        except InvalidToken as exc:
            raise TokenRejected from exc
        except TelegramError as exc:
            log.warning("deleteWebhook failed (%s); trying again", type(exc).__name__)
            await _sleep(pause, stopping)
            pause = min(pause * 2, LONGEST_PAUSE)


async def _sleep(seconds: float, stopping: asyncio.Event) -> None:
    with contextlib.suppress(asyncio.TimeoutError):
        await asyncio.wait_for(stopping.wait(), seconds)


async def serve_polling(application: AnyApplication, store: DurableStore,
                        stopping: asyncio.Event | None = None,
                        timeout: float = POLL_TIMEOUT) -> None:
    """The bot until `stopping` is set (SIGINT or SIGTERM when None): the updates a crash
    left, the replies not sent yet, then the loop. Raises TokenRejected."""
    own_signals = stopping is None
    stop = stopping or asyncio.Event()
    loop = asyncio.get_running_loop()
    if own_signals:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, stop.set)
    delivery = Delivery(store, application)
    try:
        async with application:
            if application.post_init is not None:
                await application.post_init(application)
            await application.start()
            try:
                await delivery.start()
                await poll(application, delivery.inbox, stop, timeout)
            finally:
                await delivery.stop()
                await application.stop()
    finally:
        if own_signals:
            for signum in (signal.SIGINT, signal.SIGTERM):
                with contextlib.suppress(Exception):
                    loop.remove_signal_handler(signum)
