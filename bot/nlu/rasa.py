"""Rasa Open Source as the NLU backend, over HTTP: the bot never imports rasa.

Rasa 3.6 needs Python 3.10, pydantic 1 and TensorFlow 2.12, so it runs in its own
environment (`bash scripts/rasa.sh up` installs, trains and serves it on 127.0.0.1:5005) and
the bot asks it `POST /model/parse`. When the server is down, slow or answers an error, the bot
logs one warning, answers with its fallback backend (the embedded model) and leaves the server
alone for a cool-down period, so that no user waits on a dead server.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Callable
from types import TracebackType

import httpx
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.nlu.types import FALLBACK_INTENT, IntentResult, NluBackend

log = logging.getLogger(__name__)

DEFAULT_URL = "http://127.0.0.1:5005"
MAX_CHARS = 500  # as the embedded model: a pasted page is not a question


def default_url() -> str:
    return os.environ.get("GUIDE_RASA_URL") or DEFAULT_URL


class RasaUnavailable(Exception):
    """The Rasa server did not give a usable answer (and there is no fallback)."""


class _Intent(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str | None = None
    confidence: float = 0.0


class _Parsed(BaseModel):
    """The part of Rasa's /model/parse answer that the bot uses."""

    model_config = ConfigDict(extra="ignore")

    intent: _Intent | None = None
    intent_ranking: list[_Intent] = []


def to_result(answer: object) -> IntentResult:
    """Rasa's parse answer as an IntentResult; raises ValueError when it is not one."""
    try:
        parsed = _Parsed.model_validate(answer)
    except ValidationError as exc:
        raise ValueError(f"unexpected answer ({exc.error_count()} errors)") from None
    ranking = [(i.name, i.confidence) for i in parsed.intent_ranking if i.name]
    intent = parsed.intent
    if intent is None or not intent.name:  # Rasa's answer to an empty text
        return IntentResult(FALLBACK_INTENT, 0.0, ranking)
    if intent.name == FALLBACK_INTENT:
        # Rasa's FallbackClassifier hides its best guess under 0.4; the bot has its own
        # thresholds (nlu_data/config.yml) and asks "Do you mean …?" from 0.15, so it gets
        # that guess with its real confidence, as from the embedded model
        real = [(name, confidence) for name, confidence in ranking if name != FALLBACK_INTENT]
        if real:
            return IntentResult(real[0][0], real[0][1], real)
    return IntentResult(intent.name, intent.confidence, ranking)


class RasaNlu:
    """NluBackend over a Rasa server's HTTP API.

    `fallback` answers whenever Rasa cannot; without one (as in `guide nlu evaluate`, which
    must measure Rasa itself) a failure raises RasaUnavailable instead. Each message gets
    `attempts` tries: a refused or dropped connection is tried again at once, but a timeout is
    not (it has already cost the whole `timeout`). After a failure the server is skipped for
    `cooldown` seconds.
    """

    def __init__(
        self,
        url: str | None = None,
        fallback: NluBackend | None = None,
        *,
        timeout: float = 2.0,
        attempts: int = 2,
        cooldown: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = (url or default_url()).rstrip("/")
        if httpx.URL(self.url).scheme not in ("http", "https"):  # fail at start, not per message
            raise ValueError(f"Rasa URL must start with http:// or https://: {self.url!r}")
        self.fallback = fallback
        self.attempts = max(1, attempts)
        self.cooldown = cooldown
        self._clock = clock
        self._skip_until: float | None = None  # set while cooling down after a failure
        self._failing = False  # a warning was logged for the current outage
        # trust_env=False: a proxy from the environment must not sit between the bot and
        # its own server on the loopback interface
        self._client = httpx.AsyncClient(timeout=timeout, transport=transport, trust_env=False)

    async def __aenter__(self) -> RasaNlu:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, error: BaseException | None,
                        trace: TracebackType | None) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    @property
    def cooling_down(self) -> bool:
        return self._skip_until is not None and self._clock() < self._skip_until

    async def parse(self, text: str, lang: str | None = None) -> IntentResult:
        text = text[:MAX_CHARS]
        if not any(c.isalnum() for c in text):
            # empty, emoji or punctuation only: Rasa would still name an intent (it answers
            # an empty text with a confident guess); the embedded model says fallback
            return IntentResult(FALLBACK_INTENT, 0.0, [])
        if self.fallback is None:  # nothing to fall back on: every failure is the caller's
            return await self._ask(text)
        if self.cooling_down:
            return await self.fallback.parse(text, lang)
        try:
            result = await self._ask(text)
        except RasaUnavailable as exc:
            self._skip_until = self._clock() + self.cooldown
            if not self._failing:  # one warning for an outage, however long it lasts
                log.warning("%s; using the fallback model, trying again in %.0f s", exc,
                            self.cooldown)
            self._failing = True
            return await self.fallback.parse(text, lang)
        if self._failing:
            log.info("Rasa NLU at %s answers again", self.url)
        self._failing = False
        self._skip_until = None
        return result

    async def check(self) -> str:
        """The loaded model's file name, from GET /status; raises RasaUnavailable."""
        try:
            response = await self._client.get(f"{self.url}/status")
            response.raise_for_status()
            status = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise RasaUnavailable(self._describe(exc)) from None
        model = status.get("model_file") if isinstance(status, dict) else None
        if not model:
            raise RasaUnavailable(f"Rasa NLU at {self.url} has no model loaded")
        return str(model)

    async def _ask(self, text: str) -> IntentResult:
        for attempt in range(1, self.attempts + 1):
            try:
                response = await self._client.post(f"{self.url}/model/parse", json={"text": text})
                response.raise_for_status()
                return to_result(response.json())
            except httpx.HTTPError as exc:
                # a refused or dropped connection may be a restart or a stale pooled
                # connection: worth one more try; a timeout or an HTTP error is not
                again = (isinstance(exc, httpx.TransportError)
                         and not isinstance(exc, httpx.TimeoutException))
                if not again or attempt == self.attempts:
                    raise RasaUnavailable(self._describe(exc)) from None
            except ValueError as exc:  # not JSON, or not a parse answer
                raise RasaUnavailable(self._describe(exc)) from None
        raise AssertionError("unreachable")  # pragma: no cover

    def _describe(self, exc: Exception) -> str:
        """Why the server failed, in one line that never quotes the user's message."""
        if isinstance(exc, httpx.HTTPStatusError):
            reason = f"HTTP {exc.response.status_code}"
        elif isinstance(exc, httpx.TimeoutException):
            reason = f"no answer within the timeout ({type(exc).__name__})"
        elif isinstance(exc, httpx.ConnectError):
            reason = f"cannot connect ({type(exc).__name__})"
        elif isinstance(exc, httpx.HTTPError):
            reason = f"request failed ({type(exc).__name__})"
        else:
            reason = str(exc) or type(exc).__name__
        return f"Rasa NLU at {self.url}: {reason}"
