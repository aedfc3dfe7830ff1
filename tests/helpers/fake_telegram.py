"""A fake Telegram Bot API server for tests: the real bot talks real HTTP to it, never to Telegram.

The server speaks the Bot API as python-telegram-bot (PTB) 22 uses it: ``POST
{base_url}{token}/{method}`` with the parameters form-encoded (multipart when files are sent,
``application/json`` and query strings are accepted too). Every value other than a string is a
JSON text (``chat_id=42``, ``reply_markup={"inline_keyboard": ...}``). Answers are
``{"ok": true, "result": ...}`` or ``{"ok": false, "error_code": ..., "description": ...,
"parameters": {...}}``, with the HTTP status equal to ``error_code`` as Telegram does.

Usage (an async test; pytest-asyncio runs in auto mode)::

    async with FakeTelegram() as fake:
        app = Application.builder().token(fake.token).base_url(fake.base_url).build()
        ...  # add handlers, start the app and its polling
        fake.send_text(42, "bonjour")                      # the user writes
        [call] = await fake.wait_for("sendMessage", chat_id=42)
        assert call.text == "..." and fake.sent_texts(42) == ["..."]
        fake.press(42, "yes")                               # the user presses a button
        fake.fail_next("sendMessage", status=429, retry_after=1)

``with FakeTelegram() as fake:`` (no ``async``) runs the server in a background thread instead,
for synchronous tests or a bot running in another event loop. The control methods that inject
updates or configure faults are thread-safe and synchronous; the ``wait_*`` coroutines work from
any event loop (they poll), and ``wait_for_sync`` serves synchronous code.

Like Telegram, the fake rejects what Telegram would reject (empty or too long texts, editing a
message to identical content, answering an unknown callback query, callback_data over 64 bytes,
sending to a chat that never wrote to the bot unless ``add_chat`` declared it...), so tests catch
those bugs too.
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from types import TracebackType
from typing import Any, Literal, Self

from aiohttp import web

__all__ = [
    "NON_TEXT_KINDS",
    "ApiError",
    "FakeTelegram",
    "FakeTelegramTimeout",
    "RecordedCall",
]

JSONDict = dict[str, Any]
ChatId = int | str
Handler = Callable[[JSONDict], Any]

DEFAULT_TOKEN = "123456:TEST-token"
MAX_TEXT_LENGTH = 4096
MAX_CAPTION_LENGTH = 1024
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # what a bot may send as a file
MAX_CALLBACK_DATA_BYTES = 64
# Update types Telegram leaves out unless asked for explicitly in allowed_updates.
NOT_DEFAULT_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
CHAT_ACTIONS = frozenset({
    "typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
    "upload_document", "choose_sticker", "find_location", "record_video_note",
    "upload_video_note",
})
# Parameters whose form value is a plain string even when it looks like JSON ("123", "true").
STRING_PARAMS = frozenset({
    "text", "caption", "callback_query_id", "inline_message_id", "parse_mode", "language_code",
    "action", "url", "description", "short_description", "name", "title", "emoji", "query",
    "secret_token", "ip_address", "business_connection_id", "message_effect_id", "question",
    "photo", "document", "voice", "audio", "video", "animation", "sticker", "video_note",
    "file_id", "thumbnail", "address", "first_name", "last_name", "phone_number",
})
TOKEN_RE = re.compile(r"^\d+:[A-Za-z0-9_-]+$")
NON_TEXT_KINDS = ("voice", "photo", "sticker", "document", "location", "audio", "video",
                  "video_note", "animation", "contact")


class ApiError(Exception):
    """Raised by a method implementation (or a handler given to ``FakeTelegram.on``) to answer
    ``{"ok": false, ...}`` with this HTTP status, description and optional ``parameters``."""

    def __init__(self, status: int, description: str,
                 parameters: JSONDict | None = None) -> None:
        super().__init__(f"{status}: {description}")
        self.status = status
        self.description = description
        self.parameters = parameters

    def body(self) -> JSONDict:
        body: JSONDict = {"ok": False, "error_code": self.status,
                          "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


class FakeTelegramTimeout(AssertionError):
    """A ``wait_*`` helper gave up: what was awaited did not happen in time."""


@dataclass
class RecordedCall:
    """One HTTP call the bot made, recorded on arrival and completed when answered.

    ``params`` are decoded: numbers, booleans, lists and objects (``reply_markup``, ``entities``,
    ``allowed_updates``, ``commands``...) are Python values again, texts stay strings, uploaded
    files are ``{"filename", "content_type", "size", "file_id"}`` (their bytes are kept:
    ``FakeTelegram.file_content``). ``time`` is ``time.monotonic()`` on arrival.
    """

    method: str
    token: str
    params: JSONDict
    time: float
    index: int
    status: int | None = None  # HTTP status answered; None while pending, or dropped
    result: Any = None  # the "result" of an ok answer
    error: JSONDict | None = None  # the body of an error answer
    fault: Literal["fail", "delay", "drop"] | None = None  # injected fault that applied
    delivered: bool = False  # the fake carried the call out (even if the answer got lost)
    done: bool = False  # answered, or the connection was dropped
    answered_at: float | None = None

    @property
    def ok(self) -> bool:
        return self.status == HTTPStatus.OK

    @property
    def chat_id(self) -> ChatId | None:
        value = self.params.get("chat_id")
        return value if isinstance(value, int | str) else None

    @property
    def text(self) -> str | None:
        value = self.params.get("text")
        return value if isinstance(value, str) else None

    @property
    def reply_markup(self) -> JSONDict | None:
        value = self.params.get("reply_markup")
        return value if isinstance(value, dict) else None

    def button_rows(self) -> list[list[str]]:
        """The labels of the inline or reply keyboard sent with the call, row by row."""
        markup = self.reply_markup or {}
        rows = markup.get("inline_keyboard") or markup.get("keyboard") or []
        return [[b if isinstance(b, str) else str(b.get("text", "")) for b in row]
                for row in rows]


@dataclass
class _Fault:
    method: str  # lower case
    kind: Literal["fail", "delay", "drop"]
    remaining: int
    status: int = HTTPStatus.INTERNAL_SERVER_ERROR
    retry_after: int | None = None
    description: str | None = None
    seconds: float = 0.0
    after_processing: bool = False
    chat_id: ChatId | None = None


@dataclass
class _BotState:
    token: str
    user: JSONDict
    updates: list[JSONDict] = field(default_factory=list)  # not yet confirmed
    next_update_id: int = 1
    last_injected_update_id: int = 0
    last_fetched_update_id: int = 0
    allowed_updates: list[str] | None = None
    webhook_url: str = ""
    commands: dict[tuple[str, str], list[JSONDict]] = field(default_factory=dict)
    chats: dict[ChatId, JSONDict] = field(default_factory=dict)
    blocked: set[ChatId] = field(default_factory=set)
    next_message_id: dict[ChatId, int] = field(default_factory=dict)
    messages: dict[tuple[ChatId, int], JSONDict] = field(default_factory=dict)
    reply_keyboards: dict[ChatId, JSONDict | None] = field(default_factory=dict)
    callback_queries: dict[str, bool] = field(default_factory=dict)  # id -> answered
    pollers: list[asyncio.Future[str]] = field(default_factory=list)  # waiting getUpdates


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _decode_value(name: str, value: str) -> Any:
    if name in STRING_PARAMS:
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _error_description(status: int) -> str:
    if status == HTTPStatus.TOO_MANY_REQUESTS:
        return "Too Many Requests: retry later"
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = "Error"
    return f"{phrase}: injected by FakeTelegram" if status < 500 else phrase


class FakeTelegram:
    """A local fake of the Telegram Bot API; see the module docstring."""

    def __init__(self, token: str = DEFAULT_TOKEN, *, bot_username: str = "test_bot",
                 bot_first_name: str = "Test Bot", host: str = "127.0.0.1", port: int = 0,
                 strict_chats: bool = True) -> None:
        self.token = token
        self.bot_username = bot_username
        self.bot_first_name = bot_first_name
        self.host = host
        self.port = port
        self.strict_chats = strict_chats
        self._lock = threading.RLock()
        self._bots: dict[str, _BotState] = {}
        self._calls: list[RecordedCall] = []
        self._faults: list[_Fault] = []
        self._handlers: dict[str, Handler] = {}
        self._ids = itertools.count(1)  # file ids, callback query ids
        self._files: dict[str, bytes] = {}  # uploaded files, by the file_id given them
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_thread: int | None = None
        self._runner: web.AppRunner | None = None
        self._closing: asyncio.Event | None = None
        self._thread: threading.Thread | None = None
        self._bot_state(token)  # the default bot exists from the start

    # ---- lifecycle ----------------------------------------------------------------------------

    async def start(self) -> None:
        """Start serving in the running event loop."""
        if self._runner is not None:
            raise RuntimeError("FakeTelegram is already running")
        self._loop = asyncio.get_running_loop()
        self._loop_thread = threading.get_ident()
        self._closing = asyncio.Event()
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self.host, self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]

    async def stop(self) -> None:
        """Wake the waiting long polls and delays, then stop the server."""
        if self._runner is None:
            return
        if self._closing is not None:
            self._closing.set()
        with self._lock:
            for bot in self._bots.values():
                self._resolve_pollers(bot, "shutdown")
        await self._runner.cleanup()
        self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()

    def __enter__(self) -> Self:
        """Run the server in a background thread with its own event loop."""
        loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=loop.run_forever, name="FakeTelegram",
                                        daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self.start(), loop).result(timeout=10)
        return self

    def __exit__(self, exc_type: type[BaseException] | None,
                 exc: BaseException | None, tb: TracebackType | None) -> None:
        loop, thread = self._loop, self._thread
        if loop is None or thread is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self.stop(), loop).result(timeout=10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()
            self._thread = None

    @property
    def base_url(self) -> str:
        """What PTB's ``ApplicationBuilder.base_url`` takes: ``http://127.0.0.1:PORT/bot``."""
        if self._runner is None:
            raise RuntimeError("FakeTelegram is not running (use `async with FakeTelegram()`)")
        return f"http://{self.host}:{self.port}/bot"

    # ---- the bot ------------------------------------------------------------------------------

    def _bot_state(self, token: str) -> _BotState:
        with self._lock:
            bot = self._bots.get(token)
            if bot is None:
                bot_id = int(token.split(":", 1)[0])
                user = {
                    "id": bot_id, "is_bot": True, "first_name": self.bot_first_name,
                    "username": self.bot_username, "can_join_groups": True,
                    "can_read_all_group_messages": False, "supports_inline_queries": False,
                    "can_connect_to_business": False, "has_main_web_app": False,
                }
                bot = self._bots[token] = _BotState(token=token, user=user)
            return bot

    def bot_user(self, token: str | None = None) -> JSONDict:
        """The bot's User object, as getMe answers it."""
        return dict(self._bot_state(token or self.token).user)

    @property
    def bot_id(self) -> int:
        return int(self._bot_state(self.token).user["id"])

    # ---- injecting updates (thread-safe) --------------------------------------------------------

    def inject(self, update: Mapping[str, Any], *, token: str | None = None) -> int:
        """Queue a raw update (its update_id is assigned here) and return its update_id."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            update_id = bot.next_update_id
            bot.next_update_id += 1
            bot.last_injected_update_id = update_id
            body = {k: v for k, v in update.items() if k != "update_id"}
            bot.updates.append({"update_id": update_id, **body})
        self._notify(bot)
        return update_id

    def add_chat(self, chat_id: int, *, chat_type: str = "private", first_name: str = "Test",
                 username: str | None = None, title: str | None = None,
                 token: str | None = None) -> JSONDict:
        """Declare a chat, as if its user had written to the bot before (for proactive sends)."""
        bot = self._bot_state(token or self.token)
        if chat_type == "private":
            chat: JSONDict = {"id": chat_id, "type": "private", "first_name": first_name}
            if username:
                chat["username"] = username
        elif chat_type in ("group", "supergroup"):
            chat = {"id": chat_id, "type": chat_type, "title": title or "Test group"}
        else:
            raise ValueError(f"unsupported chat type {chat_type!r}")
        with self._lock:
            bot.chats[chat_id] = chat
            bot.blocked.discard(chat_id)
        return dict(chat)

    def block(self, chat_id: ChatId, *, token: str | None = None) -> None:
        """The user blocks the bot: sends to that chat get 403 "bot was blocked by the user"
        until the user writes again (``send_text``...), which means they unblocked it."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            bot.blocked.add(chat_id)

    def _user(self, user_id: int, first_name: str, username: str | None,
              language_code: str | None) -> JSONDict:
        user: JSONDict = {"id": user_id, "is_bot": False, "first_name": first_name}
        if username:
            user["username"] = username
        if language_code:
            user["language_code"] = language_code
        return user

    def _incoming(self, chat_id: int, user_id: int | None, language_code: str | None,
                  chat_type: str, first_name: str, username: str | None,
                  token: str | None) -> tuple[_BotState, JSONDict]:
        """A message skeleton from a user (message_id assigned, chat remembered)."""
        bot = self._bot_state(token or self.token)
        if user_id is None:
            user_id = chat_id if chat_id > 0 else 1000
        chat = self.add_chat(chat_id, chat_type=chat_type, first_name=first_name,
                             username=username, token=bot.token)
        with self._lock:
            message_id = self._new_message_id(bot, chat_id)
        message: JSONDict = {
            "message_id": message_id,
            "from": self._user(user_id, first_name, username, language_code),
            "chat": chat,
            "date": int(time.time()),
        }
        return bot, message

    def send_text(self, chat_id: int, text: str, *, user_id: int | None = None,
                  language_code: str | None = "fr", chat_type: str = "private",
                  first_name: str = "Test", username: str | None = None,
                  token: str | None = None) -> int:
        """The user writes ``text``; returns the new message_id. A text starting with "/" gets
        its bot_command entity, so PTB's CommandHandler sees it."""
        bot, message = self._incoming(chat_id, user_id, language_code, chat_type, first_name,
                                      username, token)
        message["text"] = text
        if text.startswith("/") and len(text) > 1:
            command = text.split(maxsplit=1)[0]
            message["entities"] = [{"type": "bot_command", "offset": 0,
                                    "length": _utf16_len(command)}]
        self._store(bot, message)
        self.inject({"message": message}, token=bot.token)
        return int(message["message_id"])

    def send_non_text(self, chat_id: int, kind: str, *, user_id: int | None = None,
                      language_code: str | None = "fr", chat_type: str = "private",
                      caption: str | None = None, first_name: str = "Test",
                      username: str | None = None, token: str | None = None) -> int:
        """The user sends a voice note, photo, sticker, document, location, audio, video,
        video_note, animation or contact; returns the new message_id."""
        bot, message = self._incoming(chat_id, user_id, language_code, chat_type, first_name,
                                      username, token)
        message.update(self._non_text_payload(kind, message["from"]))
        if caption is not None:
            message["caption"] = caption
        self._store(bot, message)
        self.inject({"message": message}, token=bot.token)
        return int(message["message_id"])

    def _non_text_payload(self, kind: str, user: JSONDict) -> JSONDict:
        n = next(self._ids)

        def file(**extra: Any) -> JSONDict:
            return {"file_id": f"{kind}-file-{n}", "file_unique_id": f"{kind}-u{n}", **extra}

        payloads: dict[str, JSONDict] = {
            "voice": {"voice": file(duration=3, mime_type="audio/ogg", file_size=4096)},
            "photo": {"photo": [
                {"file_id": f"photo-file-{n}-s", "file_unique_id": f"photo-u{n}-s",
                 "width": 90, "height": 67, "file_size": 1200},
                {"file_id": f"photo-file-{n}-m", "file_unique_id": f"photo-u{n}-m",
                 "width": 800, "height": 600, "file_size": 48000},
            ]},
            "sticker": {"sticker": file(type="regular", width=512, height=512,
                                        is_animated=False, is_video=False, emoji="👍",
                                        file_size=9000)},
            "document": {"document": file(file_name="attestation.pdf",
                                          mime_type="application/pdf", file_size=20000)},
            "location": {"location": {"latitude": 48.8566, "longitude": 2.3522}},
            "audio": {"audio": file(duration=30, mime_type="audio/mpeg", file_size=300000,
                                    title="Audio")},
            "video": {"video": file(width=640, height=360, duration=5, mime_type="video/mp4",
                                    file_size=500000)},
            "video_note": {"video_note": file(length=240, duration=4, file_size=100000)},
            "animation": {"animation": file(width=320, height=240, duration=2,
                                            mime_type="video/mp4", file_size=50000)},
            "contact": {"contact": {"phone_number": "+33600000000",
                                    "first_name": user["first_name"], "user_id": user["id"]}},
        }
        if kind not in payloads:
            raise ValueError(f"unknown kind {kind!r}; one of {', '.join(NON_TEXT_KINDS)}")
        return payloads[kind]

    def press(self, chat_id: int, callback_data: str, *, message_id: int | None = None,
              user_id: int | None = None, language_code: str | None = "fr",
              first_name: str = "Test", username: str | None = None, check: bool = True,
              token: str | None = None) -> str:
        """The user presses the inline button carrying ``callback_data`` under the bot's message
        ``message_id`` (by default its latest message with an inline keyboard in that chat).
        With ``check``, the button must exist there. Returns the callback query id."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            if message_id is None:
                message = self._latest_keyboard_message(bot, chat_id)
            else:
                if (chat_id, message_id) not in bot.messages:
                    raise ValueError(f"no message {message_id} in chat {chat_id}")
                message = bot.messages[(chat_id, message_id)]
            data = [b.get("callback_data") for row in self._inline_rows(message) for b in row]
            if check and callback_data not in data:
                raise ValueError(f"message {message['message_id']} in chat {chat_id} has no "
                                 f"button with callback_data {callback_data!r}: {data}")
            query_id = str(4_000_000_000 + next(self._ids))
            bot.callback_queries[query_id] = False
            message = json.loads(json.dumps(message))
        if user_id is None:
            user_id = chat_id if chat_id > 0 else 1000
        query: JSONDict = {
            "id": query_id,
            "from": self._user(user_id, first_name, username, language_code),
            "message": message,
            "chat_instance": f"instance-{chat_id}",
            "data": callback_data,
        }
        self.inject({"callback_query": query}, token=bot.token)
        return query_id

    def press_button(self, chat_id: int, label: str, *, message_id: int | None = None,
                     token: str | None = None, **kwargs: Any) -> str:
        """Press an inline button by its visible label; see ``press``."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            if message_id is None:
                message = self._latest_keyboard_message(bot, chat_id)
            else:
                message = bot.messages[(chat_id, message_id)]
            found = [b for row in self._inline_rows(message) for b in row if b["text"] == label]
            labels = [b["text"] for row in self._inline_rows(message) for b in row]
        if not found or "callback_data" not in found[0]:
            raise ValueError(f"no callback button {label!r} in message "
                             f"{message['message_id']}: {labels}")
        return self.press(chat_id, str(found[0]["callback_data"]),
                          message_id=int(message["message_id"]), token=bot.token, **kwargs)

    # ---- reading what the bot did ---------------------------------------------------------------

    def calls(self, method: str | None = None, *, chat_id: ChatId | None = None,
              token: str | None = None, since: int = 0) -> list[RecordedCall]:
        """Every recorded call (failed, pending and dropped ones too), oldest first."""
        with self._lock:
            return [c for c in self._calls[since:] if self._matches(c, method, chat_id, token)]

    def sent_texts(self, chat_id: ChatId, *, token: str | None = None) -> list[str]:
        """The texts of the sendMessage calls the fake carried out for that chat, in order."""
        return [c.text or "" for c in self.calls("sendMessage", chat_id=chat_id, token=token)
                if c.delivered]

    def file_content(self, file_id: str) -> bytes:
        """The bytes of a file the bot uploaded (sendDocument...), by its file_id."""
        with self._lock:
            return self._files[file_id]

    def sent_documents(self, chat_id: ChatId, *, token: str | None = None
                       ) -> list[tuple[str, bytes, str | None]]:
        """The files the fake accepted from sendDocument calls to that chat, in order: their
        name, their bytes and their caption."""
        found = []
        for call in self.calls("sendDocument", chat_id=chat_id, token=token):
            document = (call.result or {}).get("document") if call.ok else None
            if call.delivered and isinstance(document, dict):
                caption = call.params.get("caption")
                found.append((str(document["file_name"]),
                              self.file_content(str(document["file_id"])),
                              caption if isinstance(caption, str) else None))
        return found

    def messages(self, chat_id: ChatId, *, token: str | None = None) -> list[JSONDict]:
        """The chat as it looks now (edits applied, deletions gone): user and bot messages."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            found = sorted((m for (c, _), m in bot.messages.items() if c == chat_id),
                           key=lambda m: int(m["message_id"]))
            copy: list[JSONDict] = json.loads(json.dumps(found))
            return copy

    def last_bot_message(self, chat_id: ChatId, *, token: str | None = None) -> JSONDict | None:
        bot_id = self._bot_state(token or self.token).user["id"]
        mine = [m for m in self.messages(chat_id, token=token) if m["from"]["id"] == bot_id]
        return mine[-1] if mine else None

    def buttons(self, chat_id: ChatId, message_id: int | None = None, *,
                token: str | None = None) -> list[list[str]]:
        """Labels of the inline keyboard under a bot message (default: the latest one that has
        a keyboard), row by row."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            message = (self._latest_keyboard_message(bot, chat_id) if message_id is None
                       else bot.messages[(chat_id, message_id)])
            return [[str(b["text"]) for b in row] for row in self._inline_rows(message)]

    def reply_keyboard(self, chat_id: ChatId, *, token: str | None = None) -> JSONDict | None:
        """The reply keyboard the user currently sees (None if never sent or removed)."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            return bot.reply_keyboards.get(chat_id)

    def commands(self, language_code: str = "", scope: Mapping[str, Any] | None = None, *,
                 token: str | None = None) -> list[JSONDict]:
        """The commands set by setMyCommands for that language (and scope)."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            return list(bot.commands.get((self._scope_key(scope), language_code), []))

    def pending_updates(self, *, token: str | None = None) -> list[JSONDict]:
        """Updates injected and not yet confirmed by the bot (via getUpdates' offset)."""
        bot = self._bot_state(token or self.token)
        with self._lock:
            return list(bot.updates)

    def mark(self) -> int:
        """A position in the call record, for ``calls(since=...)`` and ``wait_for(since=...)``."""
        with self._lock:
            return len(self._calls)

    def clear(self) -> None:
        """Forget the recorded calls (the chats and messages stay)."""
        with self._lock:
            self._calls.clear()

    # ---- waiting (any event loop) ---------------------------------------------------------------

    async def wait_for(self, method: str, chat_id: ChatId | None = None, count: int = 1,
                       timeout: float = 5.0, *, since: int = 0, include_failed: bool = False,
                       token: str | None = None) -> list[RecordedCall]:
        """Wait until at least ``count`` calls of ``method`` (to ``chat_id`` if given, recorded
        after the ``since`` mark) were carried out, and return all of them. With
        ``include_failed``, calls answered with an error, dropped or still pending count too."""
        deadline = time.monotonic() + timeout
        while (found := self._enough(method, chat_id, count, timeout, deadline, since,
                                     include_failed, token)) is None:
            await asyncio.sleep(0.005)
        return found

    def wait_for_sync(self, method: str, chat_id: ChatId | None = None, count: int = 1,
                      timeout: float = 5.0, *, since: int = 0, include_failed: bool = False,
                      token: str | None = None) -> list[RecordedCall]:
        """``wait_for`` for synchronous code (the server must run in its thread: ``with``)."""
        if self._loop_thread == threading.get_ident():
            raise RuntimeError("wait_for_sync would block the fake's own event loop")
        deadline = time.monotonic() + timeout
        while (found := self._enough(method, chat_id, count, timeout, deadline, since,
                                     include_failed, token)) is None:
            time.sleep(0.005)
        return found

    def _enough(self, method: str, chat_id: ChatId | None, count: int, timeout: float,
                deadline: float, since: int, include_failed: bool,
                token: str | None) -> list[RecordedCall] | None:
        """The calls once there are `count`, None while waiting, an error past the deadline."""
        found = self._found(method, chat_id, since, include_failed, token)
        if len(found) >= count:
            return found
        if time.monotonic() >= deadline:
            raise FakeTelegramTimeout(self._timeout_message(method, chat_id, count, found,
                                                            timeout))
        return None

    async def wait_fetched(self, timeout: float = 5.0, *, token: str | None = None) -> None:
        """Wait until getUpdates handed the bot every update injected so far."""
        bot = self._bot_state(token or self.token)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if bot.last_fetched_update_id >= bot.last_injected_update_id:
                    return
            if time.monotonic() >= deadline:
                raise FakeTelegramTimeout(
                    f"the bot did not fetch update {bot.last_injected_update_id} within "
                    f"{timeout}s (last fetched: {bot.last_fetched_update_id})")
            await asyncio.sleep(0.005)

    async def wait_polling(self, timeout: float = 5.0, *, token: str | None = None) -> None:
        """Wait until a getUpdates long poll is parked, waiting for an update."""
        bot = self._bot_state(token or self.token)
        deadline = time.monotonic() + timeout
        while True:
            with self._lock:
                if any(not f.done() for f in bot.pollers):
                    return
            if time.monotonic() >= deadline:
                raise FakeTelegramTimeout(f"no getUpdates long poll waiting within {timeout}s")
            await asyncio.sleep(0.005)

    def _found(self, method: str, chat_id: ChatId | None, since: int, include_failed: bool,
               token: str | None) -> list[RecordedCall]:
        return [c for c in self.calls(method, chat_id=chat_id, token=token, since=since)
                if include_failed or c.delivered]

    def _timeout_message(self, method: str, chat_id: ChatId | None, count: int,
                         found: list[RecordedCall], timeout: float) -> str:
        recent = [f"{c.method}({c.params}) -> {c.status}" for c in self.calls()[-8:]]
        where = f" to chat {chat_id}" if chat_id is not None else ""
        return (f"expected {count} {method} call(s){where} within {timeout}s, got "
                f"{len(found)}. Recent calls:\n  " + "\n  ".join(recent))

    # ---- faults and custom methods --------------------------------------------------------------

    def fail_next(self, method: str, status: int = HTTPStatus.TOO_MANY_REQUESTS,
                  retry_after: int | None = None, *, times: int = 1,
                  description: str | None = None, chat_id: ChatId | None = None) -> None:
        """Answer the next ``times`` calls of ``method`` with this error instead of carrying them
        out. 429 comes with ``parameters.retry_after`` (default 1 second) as Telegram sends it."""
        if status == HTTPStatus.TOO_MANY_REQUESTS and retry_after is None:
            retry_after = 1
        if description is None and retry_after is not None and status == 429:
            description = f"Too Many Requests: retry after {retry_after}"
        self._add_fault(_Fault(method.lower(), "fail", times, status=status,
                               retry_after=retry_after, description=description,
                               chat_id=chat_id))

    def delay_next(self, method: str, seconds: float, *, times: int = 1,
                   chat_id: ChatId | None = None) -> None:
        """Answer the next ``times`` calls of ``method`` only after ``seconds``. The call is
        carried out even if the client gave up meanwhile, as on Telegram."""
        self._add_fault(_Fault(method.lower(), "delay", times, seconds=seconds, chat_id=chat_id))

    def drop_next(self, method: str, *, times: int = 1, after_processing: bool = False,
                  chat_id: ChatId | None = None) -> None:
        """Close the connection of the next ``times`` calls of ``method`` without an answer.
        With ``after_processing`` the call is carried out first (the message is sent, only the
        answer is lost)."""
        self._add_fault(_Fault(method.lower(), "drop", times,
                               after_processing=after_processing, chat_id=chat_id))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()

    def on(self, method: str, handler: Handler | None) -> None:
        """Implement (or override) ``method``: ``handler(params)`` returns the result, may be a
        coroutine function, and raises ``ApiError`` for an error answer. None removes it."""
        with self._lock:
            if handler is None:
                self._handlers.pop(method.lower(), None)
            else:
                self._handlers[method.lower()] = handler

    def _add_fault(self, fault: _Fault) -> None:
        if fault.remaining < 1:
            raise ValueError("times must be at least 1")
        with self._lock:
            self._faults.append(fault)

    def _take_fault(self, method: str, params: JSONDict) -> _Fault | None:
        with self._lock:
            for fault in self._faults:
                if fault.method == method.lower() and (
                        fault.chat_id is None or fault.chat_id == params.get("chat_id")):
                    fault.remaining -= 1
                    if fault.remaining == 0:
                        self._faults.remove(fault)
                    return fault
        return None

    # ---- HTTP side ----------------------------------------------------------------------------

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        token = request.match_info["token"]
        method = request.match_info["method"]
        params = await self._read_params(request)
        with self._lock:
            call = RecordedCall(method=method, token=token, params=params,
                                time=time.monotonic(), index=len(self._calls))
            self._calls.append(call)
        if not TOKEN_RE.match(token):
            return self._finish(call, ApiError(HTTPStatus.NOT_FOUND, "Not Found"))

        fault = self._take_fault(method, params)
        if fault is not None:
            call.fault = fault.kind
            if fault.kind == "fail":
                parameters = ({"retry_after": fault.retry_after}
                              if fault.retry_after is not None else None)
                return self._finish(call, ApiError(
                    fault.status, fault.description or _error_description(fault.status),
                    parameters))
            if fault.kind == "delay":
                assert self._closing is not None
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._closing.wait(), fault.seconds)
            if fault.kind == "drop" and not fault.after_processing:
                return self._drop(request, call)

        try:
            result = await self._dispatch(token, method, params)
        except ApiError as error:
            return self._finish(call, error)
        call.delivered = True
        if fault is not None and fault.kind == "drop":
            call.result = json.loads(json.dumps(result))
            return self._drop(request, call)
        return self._finish(call, result)

    def _finish(self, call: RecordedCall, outcome: Any) -> web.Response:
        if isinstance(outcome, ApiError):
            body, status = outcome.body(), outcome.status
            call.error = body
        else:
            outcome = json.loads(json.dumps(outcome))  # a snapshot: later edits don't show here
            body, status = {"ok": True, "result": outcome}, HTTPStatus.OK
            call.result = outcome
        call.status = status
        call.done = True
        call.answered_at = time.monotonic()
        return web.json_response(body, status=status)

    def _drop(self, request: web.Request, call: RecordedCall) -> web.StreamResponse:
        call.done = True
        call.answered_at = time.monotonic()
        if request.transport is not None:
            request.transport.abort()
        # nothing can be written any more; aiohttp gives up on the closed connection quietly
        raise web.HTTPServiceUnavailable()

    async def _read_params(self, request: web.Request) -> JSONDict:
        params: JSONDict = {k: _decode_value(k, v) for k, v in request.query.items()}
        if request.method != "POST" or not request.body_exists:
            return params
        if request.content_type == "application/json":
            body = await request.json()
            if isinstance(body, dict):
                params.update(body)
                for key in ("reply_markup", "allowed_updates", "commands", "scope"):
                    if isinstance(params.get(key), str):
                        params[key] = _decode_value(key, params[key])
            return params
        form = await request.post()
        for key, value in form.items():
            if isinstance(value, web.FileField):
                data = value.file.read()
                file_id = f"upload-{next(self._ids)}"
                with self._lock:
                    self._files[file_id] = data
                params[key] = {"filename": value.filename, "content_type": value.content_type,
                               "size": len(data), "file_id": file_id}
            elif isinstance(value, bytes | bytearray):
                params[key] = {"size": len(value)}
            else:
                params[key] = _decode_value(key, value)
        return params

    async def _dispatch(self, token: str, method: str, params: JSONDict) -> Any:
        name = method.lower()
        with self._lock:
            handler = self._handlers.get(name)
        if handler is not None:
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
            return result
        bot = self._bot_state(token)
        if name == "getupdates":
            return await self._get_updates(bot, params)
        implementation = self._methods().get(name)
        if implementation is None:
            raise ApiError(HTTPStatus.NOT_FOUND, "Not Found")
        with self._lock:
            return implementation(bot, params)

    def _methods(self) -> dict[str, Callable[[_BotState, JSONDict], Any]]:
        ok: Callable[[_BotState, JSONDict], Any] = lambda bot, params: True  # noqa: E731
        return {
            "getme": lambda bot, params: dict(bot.user),
            "logout": ok,
            "close": ok,
            "deletewebhook": self._delete_webhook,
            "setwebhook": self._set_webhook,
            "getwebhookinfo": self._get_webhook_info,
            "setmycommands": self._set_my_commands,
            "getmycommands": self._get_my_commands,
            "deletemycommands": self._delete_my_commands,
            "setmydescription": ok,
            "setmyshortdescription": ok,
            "setmyname": ok,
            "setchatmenubutton": ok,
            "sendmessage": self._send_message,
            "senddocument": self._send_document,
            "editmessagetext": self._edit_message_text,
            "editmessagereplymarkup": self._edit_message_reply_markup,
            "answercallbackquery": self._answer_callback_query,
            "deletemessage": self._delete_message,
            "sendchataction": self._send_chat_action,
            "leavechat": ok,
        }

    # ---- getUpdates -----------------------------------------------------------------------------

    def _notify(self, bot: _BotState) -> None:
        loop = self._loop
        if loop is None or loop.is_closed():
            return
        if threading.get_ident() == self._loop_thread:
            self._resolve_pollers(bot, "update")
        else:
            loop.call_soon_threadsafe(self._resolve_pollers, bot, "update")

    def _resolve_pollers(self, bot: _BotState, reason: str) -> None:
        for poller in bot.pollers:
            if not poller.done():
                poller.set_result(reason)

    def _take_updates(self, bot: _BotState, offset: int, limit: int) -> list[JSONDict]:
        with self._lock:
            if offset > 0:
                bot.updates = [u for u in bot.updates if u["update_id"] >= offset]
            elif offset < 0:
                bot.updates = bot.updates[offset:]
            allowed = bot.allowed_updates
            kept = []
            for update in bot.updates:
                kind = next((k for k in update if k != "update_id"), "")
                if (kind in allowed) if allowed else (kind not in NOT_DEFAULT_UPDATES):
                    kept.append(update)
            bot.updates = kept
            batch = json.loads(json.dumps(kept[:limit]))
            if batch:
                bot.last_fetched_update_id = max(bot.last_fetched_update_id,
                                                 batch[-1]["update_id"])
            return batch  # type: ignore[no-any-return]

    async def _get_updates(self, bot: _BotState, params: JSONDict) -> list[JSONDict]:
        if bot.webhook_url:
            raise ApiError(HTTPStatus.CONFLICT, "Conflict: can't use getUpdates method while "
                           "webhook is active; use deleteWebhook to delete the webhook first")
        offset = int(params.get("offset") or 0)
        limit = min(max(int(params.get("limit") or 100), 1), 100)
        timeout = max(float(params.get("timeout") or 0), 0.0)
        allowed = params.get("allowed_updates")
        if isinstance(allowed, list):
            with self._lock:
                bot.allowed_updates = [str(a) for a in allowed] or None
        # a new request terminates the one still waiting, as Telegram does
        self._resolve_pollers(bot, "conflict")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            batch = self._take_updates(bot, offset, limit)
            remaining = deadline - loop.time()
            if batch or remaining <= 0 or (self._closing is not None and self._closing.is_set()):
                return batch
            poller: asyncio.Future[str] = loop.create_future()
            bot.pollers.append(poller)
            try:
                await asyncio.wait({poller}, timeout=remaining)
            finally:
                bot.pollers.remove(poller)
            if poller.done() and poller.result() == "conflict":
                raise ApiError(HTTPStatus.CONFLICT, "Conflict: terminated by other getUpdates "
                               "request; make sure that only one bot instance is running")

    # ---- other methods (called with the lock held) ---------------------------------------------

    def _delete_webhook(self, bot: _BotState, params: JSONDict) -> bool:
        bot.webhook_url = ""
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        return True

    def _set_webhook(self, bot: _BotState, params: JSONDict) -> bool:
        bot.webhook_url = str(params.get("url") or "")
        if params.get("drop_pending_updates"):
            bot.updates.clear()
        return True

    def _get_webhook_info(self, bot: _BotState, params: JSONDict) -> JSONDict:
        return {"url": bot.webhook_url, "has_custom_certificate": False,
                "pending_update_count": len(bot.updates)}

    @staticmethod
    def _scope_key(scope: Any) -> str:
        if not scope or scope == {"type": "default"}:
            return "default"
        return json.dumps(scope, sort_keys=True)

    def _set_my_commands(self, bot: _BotState, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: can't parse commands JSON")
        for command in commands:
            if not isinstance(command, dict) or not re.fullmatch(
                    r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise ApiError(HTTPStatus.BAD_REQUEST,
                               "Bad Request: command description must be 1-256 characters")
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        bot.commands[key] = [{"command": c["command"], "description": c["description"]}
                             for c in commands]
        return True

    def _get_my_commands(self, bot: _BotState, params: JSONDict) -> list[JSONDict]:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return list(bot.commands.get(key, []))

    def _delete_my_commands(self, bot: _BotState, params: JSONDict) -> bool:
        key = (self._scope_key(params.get("scope")), str(params.get("language_code") or ""))
        bot.commands.pop(key, None)
        return True

    def _chat(self, bot: _BotState, params: JSONDict) -> tuple[ChatId, JSONDict]:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: chat_id is empty")
        if not isinstance(chat_id, int | str):
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: chat not found")
        chat = bot.chats.get(chat_id)
        if chat is None:
            if self.strict_chats or not isinstance(chat_id, int):
                raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: chat not found")
            chat = bot.chats[chat_id] = {"id": chat_id, "type": "private", "first_name": "Test"}
        if chat_id in bot.blocked:
            raise ApiError(HTTPStatus.FORBIDDEN, "Forbidden: bot was blocked by the user")
        return chat_id, chat

    def _new_message_id(self, bot: _BotState, chat_id: ChatId) -> int:
        message_id = bot.next_message_id.get(chat_id, 1)
        bot.next_message_id[chat_id] = message_id + 1
        return message_id

    def _store(self, bot: _BotState, message: JSONDict) -> None:
        with self._lock:
            bot.messages[(message["chat"]["id"], message["message_id"])] = message

    @staticmethod
    def _inline_rows(message: JSONDict) -> list[list[JSONDict]]:
        markup = message.get("reply_markup") or {}
        rows = markup.get("inline_keyboard") or []
        return [list(row) for row in rows]

    def _latest_keyboard_message(self, bot: _BotState, chat_id: ChatId) -> JSONDict:
        mine = [m for (c, _), m in bot.messages.items()
                if c == chat_id and m["from"]["id"] == bot.user["id"] and self._inline_rows(m)]
        if not mine:
            raise ValueError(f"the bot sent no message with an inline keyboard to chat {chat_id}")
        return max(mine, key=lambda m: int(m["message_id"]))

    def _check_text(self, text: Any) -> str:
        if not isinstance(text, str) or not text.strip():
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message is too long")
        return text

    def _check_markup(self, markup: Any) -> JSONDict | None:
        if markup is None:
            return None
        bad = ApiError(HTTPStatus.BAD_REQUEST,
                       "Bad Request: can't parse reply keyboard markup JSON object")
        if not isinstance(markup, dict):
            raise bad
        if "inline_keyboard" in markup:
            rows = markup["inline_keyboard"]
            if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
                raise bad
            for button in (b for row in rows for b in row):
                if not isinstance(button, dict) or not button.get("text"):
                    raise ApiError(HTTPStatus.BAD_REQUEST,
                                   "Bad Request: text buttons are unallowed in the inline "
                                   "keyboard")
                data = button.get("callback_data")
                if data is not None and not (
                        1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA_BYTES):
                    raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: BUTTON_DATA_INVALID")
        elif not ({"keyboard", "remove_keyboard", "force_reply"} & markup.keys()):
            raise bad
        return markup

    def _send_message(self, bot: _BotState, params: JSONDict) -> JSONDict:
        chat_id, chat = self._chat(bot, params)
        text = self._check_text(params.get("text"))
        body: JSONDict = {"text": text}
        if isinstance(params.get("entities"), list):
            body["entities"] = params["entities"]
        return self._new_bot_message(bot, chat_id, chat, body, params.get("reply_markup"))

    def _new_bot_message(self, bot: _BotState, chat_id: ChatId, chat: JSONDict,
                         body: JSONDict, markup: Any) -> JSONDict:
        """A message the bot sends (text or document): numbered, stored, and its keyboard
        applied the way Telegram does for every send method."""
        markup = self._check_markup(markup)
        message: JSONDict = {
            "message_id": self._new_message_id(bot, chat_id),
            "from": dict(bot.user),
            "chat": dict(chat),
            "date": int(time.time()),
            **body,
        }
        if markup is not None:
            markup = json.loads(json.dumps(markup))  # the message's own copy
        if markup is not None and "inline_keyboard" in markup:
            message["reply_markup"] = markup  # Telegram only echoes inline keyboards
        elif markup is not None:
            bot.reply_keyboards[chat_id] = None if markup.get("remove_keyboard") else markup
        self._store(bot, message)
        return message

    def _send_document(self, bot: _BotState, params: JSONDict) -> JSONDict:
        """A file uploaded with the call (multipart), or one already on Telegram by its
        file_id; an optional caption of at most 1024 characters."""
        chat_id, chat = self._chat(bot, params)
        upload = params.get("document")
        if isinstance(upload, dict) and "file_id" in upload:
            if not 0 < int(upload["size"]) <= MAX_UPLOAD_BYTES:
                raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: file must be non-empty")
            document = {"file_id": upload["file_id"],
                        "file_unique_id": f"u-{upload['file_id']}",
                        "file_name": upload["filename"] or "document",
                        "mime_type": upload["content_type"], "file_size": upload["size"]}
        elif isinstance(upload, str) and upload in self._files:
            document = {"file_id": upload, "file_unique_id": f"u-{upload}",
                        "file_name": "document", "file_size": len(self._files[upload])}
        else:
            raise ApiError(HTTPStatus.BAD_REQUEST,
                           "Bad Request: there is no document in the request")
        caption = params.get("caption")
        if caption is not None and len(str(caption)) > MAX_CAPTION_LENGTH:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message caption is too long")
        body: JSONDict = {"document": document}
        if caption:
            body["caption"] = str(caption)
        return self._new_bot_message(bot, chat_id, chat, body, params.get("reply_markup"))

    def _edited(self, bot: _BotState, params: JSONDict) -> JSONDict | None:
        """The message an edit targets, or None for inline messages."""
        if params.get("inline_message_id"):
            return None
        chat_id, _ = self._chat(bot, params)
        message_id = params.get("message_id")
        message = bot.messages.get((chat_id, message_id)) if isinstance(message_id, int) else None
        if message is None:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message to edit not found")
        if message["from"]["id"] != bot.user["id"]:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message can't be edited")
        return message

    def _apply_edit(self, message: JSONDict, text: str,
                    markup: JSONDict | None) -> JSONDict:
        if message.get("text") == text and message.get("reply_markup") == markup:
            raise ApiError(HTTPStatus.BAD_REQUEST,
                           "Bad Request: message is not modified: specified new message "
                           "content and reply markup are exactly the same as a current content "
                           "and reply markup of the message")
        message["text"] = text
        if markup is None:  # an edit without reply_markup removes the inline keyboard
            message.pop("reply_markup", None)
        else:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return json.loads(json.dumps(message))  # type: ignore[no-any-return]

    def _inline_markup(self, params: JSONDict) -> JSONDict | None:
        markup = self._check_markup(params.get("reply_markup"))
        if markup is not None and "inline_keyboard" not in markup:
            raise ApiError(HTTPStatus.BAD_REQUEST,
                           "Bad Request: inline keyboard expected")
        return markup

    def _edit_message_text(self, bot: _BotState, params: JSONDict) -> JSONDict | bool:
        text = self._check_text(params.get("text"))
        markup = self._inline_markup(params)
        message = self._edited(bot, params)
        if message is None:
            return True
        if isinstance(params.get("entities"), list):
            message["entities"] = params["entities"]
        else:
            message.pop("entities", None)
        return self._apply_edit(message, text, markup)

    def _edit_message_reply_markup(self, bot: _BotState, params: JSONDict) -> JSONDict | bool:
        markup = self._inline_markup(params)
        message = self._edited(bot, params)
        if message is None:
            return True
        return self._apply_edit(message, str(message.get("text", "")), markup)

    def _answer_callback_query(self, bot: _BotState, params: JSONDict) -> bool:
        query_id = str(params.get("callback_query_id", ""))
        if bot.callback_queries.get(query_id, True):  # unknown or already answered
            raise ApiError(HTTPStatus.BAD_REQUEST,
                           "Bad Request: query is too old and response timeout expired or "
                           "query ID is invalid")
        if len(str(params.get("text") or "")) > 200:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: MESSAGE_TOO_LONG")
        bot.callback_queries[query_id] = True
        return True

    def _delete_message(self, bot: _BotState, params: JSONDict) -> bool:
        chat_id, _ = self._chat(bot, params)
        message_id = params.get("message_id")
        if not isinstance(message_id, int) or (chat_id, message_id) not in bot.messages:
            raise ApiError(HTTPStatus.BAD_REQUEST, "Bad Request: message to delete not found")
        del bot.messages[(chat_id, message_id)]
        return True

    def _send_chat_action(self, bot: _BotState, params: JSONDict) -> bool:
        self._chat(bot, params)
        if params.get("action") not in CHAT_ACTIONS:
            raise ApiError(HTTPStatus.BAD_REQUEST,
                           "Bad Request: wrong parameter action in request")
        return True

    @staticmethod
    def _matches(call: RecordedCall, method: str | None, chat_id: ChatId | None,
                 token: str | None) -> bool:
        return ((method is None or call.method.lower() == method.lower())
                and (chat_id is None or call.params.get("chat_id") == chat_id)
                and (token is None or call.token == token))

