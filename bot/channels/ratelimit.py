"""The guide's rate limiter: PTB's AIORateLimiter, plus retries of the failures that are safe
to retry.

AIORateLimiter throttles the bot under Telegram's limits and honours RetryAfter (429). Every
other failure is raised at once, so one 500 from Telegram, or one refused connection, loses a
reply. This limiter also retries, after a short exponential backoff, the failures where the
request certainly did not take effect:

* an HTTP answer with an error status PTB has no specific exception for (in practice 5xx):
  Telegram answered, and its answer says the method was not carried out;
* a connection that could not be opened (refused, or not opened in time) and a connection
  pool that had no free connection: nothing was sent.

It never retries a failure after which the request may have reached Telegram: a read or write
timeout (a slow answer), or a connection lost while waiting for the answer. The Bot API has no
idempotency key, so a retry there could send a message twice; a missing message is the smaller
harm. Those failures are logged (their type only: messages can quote the user or the URL with
the token) and raised. getUpdates never goes through here: PTB's updater retries it itself.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any, Literal

import httpx
from telegram import constants
from telegram.error import NetworkError, TelegramError, TimedOut
from telegram.ext import AIORateLimiter

log = logging.getLogger(__name__)

JSONDict = dict[str, Any]
Answer = bool | JSONDict | list[JSONDict]

# Three retries, 0.5 s then 1 s then 2 s: a Telegram hiccup (a 502 while a front end
# restarts, a refused connection while the network comes back) is usually over within
# seconds, and a user waiting for an answer should not wait longer than that. A handler sends
# its replies one after the other, so this is also how long the rest of the answer waits.
NETWORK_RETRIES = 3
BACKOFF_SECONDS = 0.5

# The causes of a NetworkError (PTB wraps httpx's errors) after which nothing was sent.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)

Verdict = Literal["retry", "ambiguous", "final"]


def verdict(error: BaseException) -> Verdict:
    """"retry" when the request certainly did not take effect, "ambiguous" when it may have
    reached Telegram, "final" for the rest (Telegram refused it: retrying would not help)."""
    cause = error.__cause__
    if isinstance(cause, NOT_SENT):
        return "retry"  # TimedOut (connect, pool) or NetworkError (connection refused)
    if isinstance(error, TimedOut):
        return "ambiguous"  # read or write timeout: Telegram may be carrying it out
    if type(error) is NetworkError:  # its subclasses (BadRequest...) are answers
        if cause is None or isinstance(cause, TelegramError):
            # an HTTP answer whose status has no exception of its own (5xx); with a cause, its
            # body was not even JSON (an HTML page from a proxy in front of Telegram)
            return "retry"
        if isinstance(cause, httpx.HTTPError):
            return "ambiguous"  # the connection broke after the request was written
    return "final"


class GuideRateLimiter(AIORateLimiter):
    """AIORateLimiter (throttling, RetryAfter) that also retries failures that are safe to
    retry; see the module docstring."""

    __slots__ = ("_backoff", "_network_retries")

    def __init__(self, overall_max_rate: float = constants.FloodLimit.MESSAGES_PER_SECOND,
                 *, network_retries: int = NETWORK_RETRIES,
                 backoff: float = BACKOFF_SECONDS, **kwargs: Any) -> None:
        """`overall_max_rate`: requests per second for the whole bot (Telegram documents about
        30 messages a second; 0 disables the overall limit). `network_retries` and `backoff`:
        retries of safe failures, waiting backoff, 2 x backoff, 4 x backoff... seconds.
        Everything else (max_retries for RetryAfter, group limits) goes to AIORateLimiter."""
        super().__init__(overall_max_rate=overall_max_rate, **kwargs)
        self._network_retries = network_retries
        self._backoff = backoff

    def has_spare_capacity(self) -> bool:
        """True when a call now would not delay the calls that matter: no RetryAfter pause,
        and the overall budget at most half used. Optional calls (tidying an old keyboard)
        are made only then, so that under load every request left goes to replies."""
        if not self._retry_after_event.is_set():
            return False
        overall = self._base_limiter
        return overall is None or overall.has_capacity(overall.max_rate / 2)

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Answer]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Answer:
        # Each attempt goes through AIORateLimiter again: it is throttled like any request and
        # waits while another request's RetryAfter pause holds.
        attempt = 0
        while True:
            try:
                return await super().process_request(callback, args, kwargs, endpoint, data,
                                                      rate_limit_args)
            except TelegramError as error:
                kind = verdict(error)
                what = _describe(error)
                if kind == "ambiguous":
                    log.warning("%s: %s, may have reached Telegram: not retried", endpoint,
                                what)
                    raise
                # PTB's updater retries getUpdates itself; a second loop would only delay it
                if kind == "final" or endpoint == "getUpdates":
                    raise
                if attempt >= self._network_retries:
                    log.warning("%s: %s, given up after %d retries", endpoint, what, attempt)
                    raise
                delay = self._backoff * 2 ** attempt
                attempt += 1
                log.info("%s: %s, retry %d/%d in %.1f s", endpoint, what, attempt,
                         self._network_retries, delay)
                await asyncio.sleep(delay)


def _describe(error: BaseException) -> str:
    """The error's type and its cause's: never its message, which may quote the URL (and so
    the token) or a text."""
    cause = error.__cause__
    return type(error).__name__ + (f" ({type(cause).__name__})" if cause is not None else "")
