"""`guide webhook`: the Telegram bot in production, Telegram calling us instead of us polling.

A small aiohttp server this module controls (not PTB's built-in `run_webhook`), so that what
reaches the guide is decided here:

- ``POST <path of GUIDE_WEBHOOK_URL>`` (``/telegram`` when the URL has no path): Telegram's
  calls. The ``X-Telegram-Bot-Api-Secret-Token`` header must equal GUIDE_WEBHOOK_SECRET
  (compared in constant time), or the answer is 403 and the body is not even read. A valid
  update is put on the application's update queue and answered 200 at once; PTB handles the
  queue one update at a time, in order, so a user's messages are handled in the order sent.
- Limits, all before the secret is even checked where they can be: at most MAX_CONNECTIONS
  open connections (more are closed at once), IDLE_TIMEOUT seconds idle (before the first
  request too), BODY_TIMEOUT seconds to send the body, MAX_BODY bytes of it (413), no
  version in the ``Server`` header, and refused calls logged at most once a minute with
  their count.
- ``GET /healthz``: 200 ``{"status": "ok", "store": "ok"}`` while the bot runs and its state
  store can write (a real write, committed: a full disk, a lock held elsewhere, a database
  file deleted under the bot all fail it), 503 otherwise (for a load balancer or an
  orchestrator).

The server speaks plain HTTP on GUIDE_WEBHOOK_LISTEN:GUIDE_WEBHOOK_PORT (127.0.0.1:8443 by
default): Telegram only calls https:// URLs, so a reverse proxy in front terminates TLS and
forwards the path to it.

On start: the HTTP server and the application first, then ``setWebhook`` (URL, secret,
allowed updates), so that the first call Telegram makes finds someone to answer it; the
command menu is set by the application's post_init (`set_commands`), as in polling mode.

On stop, the webhook is left as it is, on purpose:

- while the bot is down (a restart, a deployment), Telegram keeps the updates and retries
  them, then delivers them to the next process, which sets the same webhook again on start;
  deleting it would change nothing for those updates (Telegram keeps them for getUpdates just
  the same) but
- during a rolling deployment, the old process stopping would delete the webhook the new one
  has just set, and the bot would stop receiving anything until the next restart.

Going back to polling (`guide telegram`) needs nothing more: PTB deletes the webhook before
its first getUpdates.

The secret never reaches the logs: PTB logs the parameters of every Bot API call at DEBUG
level (setWebhook's secret_token among them), so the bot's loggers get a filter that blanks
it out, and the errors printed here never quote it.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import re
import signal
import sys
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update
from telegram.constants import SUPPORTED_WEBHOOK_PORTS
from telegram.error import InvalidToken, TelegramError
from telegram.ext import Application

from bot.channels.inbox import Delivery
from bot.channels.telegram_main import (
    EXIT_SETTINGS,
    TOKEN_REFUSED,
    assemble,
    open_store_or_say,
    quiet_logs,
)
from bot.settings import SettingsError, TelegramSettings, load_settings
from bot.store import DurableStore, StateStore, StoreError

log = logging.getLogger(__name__)

AnyApplication = Application[Any, Any, Any, Any, Any, Any]

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram's rule for secret_token
_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")
SECRET_ADVICE_LENGTH = 32
DEFAULT_PATH = "/telegram"
HEALTH_PATH = "/healthz"
# what the guide's handlers handle: Telegram does not even send the rest
ALLOWED_UPDATES = ("message", "callback_query")
HEALTH_TIMEOUT = 2.0
# an update is a few kilobytes (a 4,096-character text, its entities, the message it answers):
# far more is not Telegram, and is refused before it is read
MAX_BODY = 256 * 1024
# seconds a caller has to send the body it announced, and a connection may stay idle (before
# its first request too): a slow or silent caller does not hold a file descriptor for long
BODY_TIMEOUT = 10.0
IDLE_TIMEOUT = 15.0
# open connections at once; Telegram opens up to 40 (setWebhook's max_connections): more is
# someone else, turned away at once instead of running the process out of file descriptors
MAX_CONNECTIONS = 100
# at most one warning about refused calls in this many seconds, with how many there were
WARN_EVERY = 60.0
# what the Server header says instead of aiohttp's and Python's versions
SERVER_NAME = "guide"
# Telegram may deliver an update again when our answer got lost: the last ids seen
RECENT_UPDATES = 1000
# the loggers through which PTB logs the parameters of Bot API calls
BOT_LOGGERS = ("telegram.Bot", "telegram.ext.ExtBot")


@dataclass(frozen=True)
class WebhookConfig:
    url: str  # the public https:// URL Telegram calls
    secret: str = field(repr=False)
    listen: str = "127.0.0.1"
    port: int = 8443  # 0: any free port (tests)
    path: str = DEFAULT_PATH  # the local route; the URL's path


def webhook_config(settings: TelegramSettings) -> WebhookConfig:
    """The webhook settings, or a SettingsError naming each problem (never the secret)."""
    problems: list[str] = []
    url = (settings.guide_webhook_url or "").strip()
    path = DEFAULT_PATH
    if not url:
        problems.append("GUIDE_WEBHOOK_URL is not set (the public https:// URL Telegram "
                        "will call)")
    else:
        parts = urlsplit(url)
        try:
            port = parts.port
        except ValueError:
            port = -1
        if parts.scheme.lower() != "https" or not parts.hostname:
            problems.append("GUIDE_WEBHOOK_URL must be an https:// URL with a host name "
                            "(Telegram calls no other)")
        elif port == -1 or (port is not None and port not in SUPPORTED_WEBHOOK_PORTS):
            ports = ", ".join(str(p) for p in SUPPORTED_WEBHOOK_PORTS)
            problems.append(f"GUIDE_WEBHOOK_URL's port must be one of {ports} "
                            "(Telegram calls no other)")
        if parts.path not in ("", "/"):
            path = parts.path
        if path == HEALTH_PATH:
            problems.append(f"GUIDE_WEBHOOK_URL's path cannot be {HEALTH_PATH}")
    secret = (settings.guide_webhook_secret.get_secret_value().strip()
              if settings.guide_webhook_secret is not None else "")
    if not secret:
        problems.append("GUIDE_WEBHOOK_SECRET is not set (1-256 characters among A-Z, a-z, "
                        "0-9, _ and -)")
    elif not _SECRET.match(secret):
        problems.append("GUIDE_WEBHOOK_SECRET must be 1-256 characters among A-Z, a-z, 0-9, "
                        "_ and -")
    if not 1 <= settings.guide_webhook_port <= 65535:
        problems.append("GUIDE_WEBHOOK_PORT must be between 1 and 65535")
    if problems:
        raise SettingsError("; ".join(problems))
    return WebhookConfig(url=url, secret=secret, listen=settings.guide_webhook_listen,
                         port=settings.guide_webhook_port, path=path)


class _Redact(logging.Filter):
    """Blanks a secret out of the records logged through the logger it is attached to."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if self.secret in message:
            record.msg = message.replace(self.secret, "[secret]")
            record.args = None
        return True


class _Recent:
    """The last update ids seen, to handle an update delivered twice only once."""

    def __init__(self, size: int = RECENT_UPDATES) -> None:
        self._order: deque[int] = deque()
        self._ids: set[int] = set()
        self._size = size

    def seen(self, update_id: int) -> bool:
        """Whether the id was seen already; remembers it."""
        if update_id in self._ids:
            return True
        self._ids.add(update_id)
        self._order.append(update_id)
        if len(self._order) > self._size:
            self._ids.discard(self._order.popleft())
        return False


class _Refusals:
    """Counts refused calls; says so at most once per WARN_EVERY seconds (a flood of wrong
    secrets is one line a minute, not one line per call)."""

    def __init__(self) -> None:
        self._count = 0
        self._last: float | None = None

    def refused(self, remote: str | None, reason: str) -> None:
        self._count += 1
        now = time.monotonic()
        if self._last is not None and now - self._last < WARN_EVERY:
            return
        log.warning("refused a webhook call from %s: %s (%d refused since the last such "
                    "line; at most one every %.0f s)", remote, reason, self._count, WARN_EVERY)
        self._count = 0
        self._last = now


class _TurnedAway(asyncio.Protocol):
    """A connection over MAX_CONNECTIONS: closed as soon as it is made."""

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        transport.close()


class _CappedSite(web.BaseSite):
    """aiohttp's TCPSite with a cap on open connections, counted before any request (and so
    before any secret is checked)."""

    def __init__(self, runner: web.AppRunner, host: str, port: int,
                 refusals: _Refusals) -> None:
        super().__init__(runner)
        self._host, self._port, self._refusals = host, port, refusals

    @property
    def name(self) -> str:
        return f"http://{self._host}:{self._port}"

    async def start(self) -> None:
        await super().start()
        server = self._runner.server
        assert server is not None  # the runner is set up before its sites start

        def connect() -> asyncio.BaseProtocol:
            if len(server.connections) >= MAX_CONNECTIONS:
                self._refusals.refused(None, f"more than {MAX_CONNECTIONS} connections")
                return _TurnedAway()
            return server()

        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(connect, self._host, self._port,
                                                reuse_address=True)


async def _no_version(request: web.Request, response: web.StreamResponse) -> None:
    response.headers["Server"] = SERVER_NAME


class WebhookServer:
    """The HTTP server in front of a PTB application; `start`, then `stop`."""

    def __init__(self, application: AnyApplication, config: WebhookConfig,
                 store: StateStore | None = None) -> None:
        self.application = application
        self.config = config
        self.store = store
        self.port = config.port
        self._secret = config.secret.encode()
        self._recent = _Recent()
        self._runner: web.AppRunner | None = None
        self._redact = _Redact(config.secret)
        self._initialized = False
        self._refusals = _Refusals()
        # with a durable store, an update is kept before the 200 (bot/channels/inbox.py)
        self.delivery: Delivery | None = None
        if isinstance(store, DurableStore):
            self.delivery = Delivery(store, application)

    def web_app(self) -> web.Application:
        app = web.Application(client_max_size=MAX_BODY)
        app.on_response_prepare.append(_no_version)
        app.router.add_post(self.config.path, self._on_update)
        app.router.add_get(HEALTH_PATH, self._on_health)
        return app

    async def start(self) -> None:
        """Serve, then tell Telegram where to call. Raises TelegramError or OSError (the
        address is taken...); call `stop` afterwards in any case."""
        for name in BOT_LOGGERS:
            logging.getLogger(name).addFilter(self._redact)
        application = self.application
        await application.initialize()
        self._initialized = True
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        if self.delivery is not None:
            await self.delivery.start()
        self._runner = web.AppRunner(self.web_app(), access_log=None, shutdown_timeout=5.0,
                                     keepalive_timeout=IDLE_TIMEOUT)
        await self._runner.setup()
        site = _CappedSite(self._runner, self.config.listen, self.config.port, self._refusals)
        await site.start()
        self.port = self._runner.addresses[0][1]
        await application.bot.set_webhook(self.config.url, secret_token=self.config.secret,
                                          allowed_updates=list(ALLOWED_UPDATES),
                                          drop_pending_updates=False)

    async def stop(self) -> None:
        """Stop taking calls, handle the updates already taken, shut down. The webhook
        stays set (see the module's docstring)."""
        application = self.application
        try:
            if self._runner is not None:
                await self._runner.cleanup()  # waits for the calls being answered
                self._runner = None
            if self.delivery is not None:
                await self.delivery.stop()
            if application.running:
                await application.stop()  # handles what is still queued first
                if application.post_stop is not None:
                    await application.post_stop(application)
            if self._initialized:
                self._initialized = False
                await application.shutdown()
                if application.post_shutdown is not None:
                    await application.post_shutdown(application)
        finally:
            for name in BOT_LOGGERS:
                logging.getLogger(name).removeFilter(self._redact)

    async def _on_update(self, request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "").encode("utf-8", "surrogateescape")
        if not hmac.compare_digest(given, self._secret):
            self._refusals.refused(request.remote, "wrong secret token" if given
                                   else "no secret token")
            return web.Response(status=403, text="forbidden")
        if not self.application.running:
            return web.Response(status=503, text="not running")  # Telegram tries again
        if (request.content_length or 0) > MAX_BODY:
            return web.Response(status=413, text="too large")
        try:
            body = await asyncio.wait_for(request.read(), BODY_TIMEOUT)
        except web.HTTPRequestEntityTooLarge:  # no Content-Length, but too much all the same
            return web.Response(status=413, text="too large")
        except TimeoutError:
            self._refusals.refused(request.remote, "body too slow")
            return web.Response(status=408, text="too slow")
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise TypeError("not an object")
            if self.delivery is not None:
                # kept before the 200; one PTB cannot read is skipped by id there
                return await self._keep(data, self.delivery)
            update = Update.de_json(data, self.application.bot)
        except Exception as exc:  # with the right secret, but not an update PTB can read
            log.warning("refused a webhook call: not an update (%s)", type(exc).__name__)
            return web.Response(status=400, text="not an update")
        if self._recent.seen(update.update_id):
            log.info("update %s delivered again: already handled", update.update_id)
        else:
            await self.application.update_queue.put(update)
        return web.Response(status=200)

    @staticmethod
    async def _keep(data: dict[str, Any], delivery: Delivery) -> web.Response:
        try:
            await delivery.inbox.accept([data])
        except StoreError as exc:  # not kept: not acknowledged, Telegram tries again
            delivery.store_failed(exc)
            return web.Response(status=503, text="store unavailable")
        delivery.store_works()
        return web.Response(status=200)

    async def _on_health(self, request: web.Request) -> web.Response:
        running = self.application.running
        store = "none"
        if self.store is not None:
            try:
                await asyncio.wait_for(self.store.check_writable(), HEALTH_TIMEOUT)
                store = "ok"
            except StoreError as exc:  # its message names the file and the reason, no data
                log.warning("health check: %s", exc)
                store = "error"
            except Exception as exc:  # whatever else the store raises, the answer is "error"
                log.warning("health check: the state store fails (%s)", type(exc).__name__)
                store = "error"
        healthy = running and store != "error"
        body = {"status": "ok" if healthy else "error", "running": running, "store": store}
        return web.json_response(body, status=200 if healthy else 503)


def run_webhook() -> int:
    quiet_logs()
    try:
        settings = load_settings()
        config = webhook_config(settings)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if len(config.secret) < SECRET_ADVICE_LENGTH:
        log.warning("GUIDE_WEBHOOK_SECRET is short: anyone who guesses it can write as any "
                    "user; use %d random characters or more, e.g. from "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(32))'`",
                    SECRET_ADVICE_LENGTH)
    store = open_store_or_say(settings)
    if store is None:
        return 2
    try:
        application = assemble(settings, store)
        token = settings.telegram_bot_token.get_secret_value()
        return asyncio.run(_serve(WebhookServer(application, config, store), token))
    finally:
        store.close()


async def _serve(server: WebhookServer, token: str) -> int:
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    config = server.config
    try:
        try:
            await server.start()
        except InvalidToken:
            print(TOKEN_REFUSED, file=sys.stderr)
            return EXIT_SETTINGS
        except (TelegramError, OSError) as exc:
            # PTB's messages may quote the token (InvalidToken does); never the secret
            reason = str(exc).replace(token, "…").replace(config.secret, "[secret]")
            print(f"error: the webhook could not start: {type(exc).__name__}: {reason}",
                  file=sys.stderr)
            return 1
        log.info("webhook set: Telegram calls %s; listening on %s:%d%s",
                 config.url.replace(token, "…"), config.listen, server.port,
                 config.path.replace(token, "…"))
        await stopping.wait()
        log.info("stopping (the webhook stays set: Telegram keeps the updates meanwhile)")
        return 0
    finally:
        await server.stop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(Exception):
                loop.remove_signal_handler(signum)
