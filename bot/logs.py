"""Log lines as they may be kept: never what a user wrote, never the token.

Our own lines are written with ids and intents only. Libraries are not: PTB logs the
updates it could not parse (a password was written 5,982 times at CRITICAL), the update it
processes (DEBUG), and exceptions whose message quotes the token (InvalidToken) or a
user's text (ValueError: invalid literal for int(): '²'); httpx logs URLs, which hold the
token. So, on every handler: a library's arguments other than numbers and everything after
the first line of its message are left out, and any exception is told by its type and where
it was raised, never its message.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import traceback
from collections.abc import Mapping
from pathlib import Path

OWN = "bot"
LEFT_OUT = "…"
FRAMES = 3  # the innermost frames told for an exception: where it was raised


# a new key each time the bot starts: within a run, the lines of one chat can be followed;
# once the run is over, nobody can tell from old logs which Telegram user they were about
_CHAT_KEY = secrets.token_bytes(16)


def chat_ref(chat_id: int | str) -> str:
    """A chat as our log lines name it: 8 hex characters, not the Telegram id."""
    digest = hmac.new(_CHAT_KEY, str(chat_id).encode(), hashlib.sha256).hexdigest()
    return f"c{digest[:8]}"


class WithoutText(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not _own(record.name):
            record.msg = str(record.msg).split("\n", 1)[0]
            if record.args:
                record.args = _numbers_only(record.args)
        if record.exc_info is not None and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage()} [{describe(record.exc_info[1])}]"
            record.args = ()
            record.exc_info = None
            record.exc_text = None
        record.stack_info = None
        return True


def describe(exc: BaseException) -> str:
    """An exception as the log may keep it: its type and where it was raised, and the same for
    the exceptions that led to it ("ValueError at bot/numbers.py:130 in _value")."""
    parts: list[str] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        frames = traceback.extract_tb(current.__traceback__)[-FRAMES:]
        where = " < ".join(f"{_short(f.filename)}:{f.lineno} in {f.name}"
                           for f in reversed(frames))
        parts.append(f"{type(current).__name__}" + (f" at {where}" if where else ""))
        current = current.__cause__ or current.__context__
    return "; from ".join(parts)


def without_text(logger: logging.Logger | None = None) -> None:
    """Puts the filter on every handler of `logger` (the root logger by default)."""
    for handler in (logger or logging.getLogger()).handlers:
        if not any(isinstance(f, WithoutText) for f in handler.filters):
            handler.addFilter(WithoutText())


def _own(name: str) -> bool:
    return name == OWN or name.startswith(OWN + ".")


def _numbers_only(args: tuple[object, ...] | Mapping[str, object]
                  ) -> tuple[object, ...] | dict[str, object]:
    if isinstance(args, Mapping):
        return {key: _number_or_not(value) for key, value in args.items()}
    return tuple(_number_or_not(value) for value in args)


def _number_or_not(value: object) -> object:
    # bool is an int; a number is an id, a count or a delay, never a user's words
    return value if isinstance(value, int | float) else LEFT_OUT


def _short(filename: str) -> str:
    parts = Path(filename).parts
    for anchor in ("site-packages", "bot", "rules_engine"):
        if anchor in parts:
            index = len(parts) - 1 - parts[::-1].index(anchor)
            return "/".join(parts[index + (anchor == "site-packages"):])
    return Path(filename).name
