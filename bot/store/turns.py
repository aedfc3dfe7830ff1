"""One turn: what handling one update changes, held in memory until it is written at once.

While an update is handled, the user's state is not saved and replies are not sent: both are
kept in the `Turn`, and the inbox writes them together with "this update is done", in one
transaction (`DurableStore.finish_turn`). A crash before that write leaves the update pending,
the state as it was and nothing to send: handling it again after a restart gives the same
turn. A crash after it leaves the replies in the outbox, sent on start.

The turn is found through a context variable, so the conversation core, which calls
`store.load/save/delete`, needs no change: a durable store holds the saves and deletes of the
turn's user while a turn is open in the running task.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from bot.state import UserState
from bot.usage import Count


@dataclass(frozen=True)
class Outgoing:
    """One Bot API call to make for a chat, in order: "sendMessage" or "deleteMessage"."""

    chat_id: int
    method: str
    params: dict[str, Any]  # JSON-serialisable


@dataclass
class Turn:
    update_id: int
    user_id: str | None  # whose saves and deletes are held (None: nobody's)
    state: UserState | None = None  # the state to save, if the turn saved one
    forget: bool = False  # the user asked to be forgotten
    out: list[Outgoing] = field(default_factory=list)
    # usage counts of the turn (bot/usage.py), written with its state
    counts: list[Count] = field(default_factory=list)

    def holds(self, user_id: str) -> bool:
        return self.user_id is not None and self.user_id == user_id

    def send(self, chat_id: int, text: str, reply_markup: dict[str, Any] | None = None) -> None:
        params: dict[str, Any] = {"text": text}
        if reply_markup is not None:
            params["reply_markup"] = reply_markup
        self.out.append(Outgoing(chat_id, "sendMessage", params))

    def delete_message(self, chat_id: int, message_id: int) -> None:
        self.out.append(Outgoing(chat_id, "deleteMessage", {"message_id": message_id}))

    # the store's side: what load, save and delete do for the turn's user
    def loaded(self) -> UserState | None:
        """The state as the turn left it: a copy, None when the store must be read."""
        if self.forget:
            return UserState(user_id=self.user_id or "")
        return None if self.state is None else self.state.model_copy(deep=True)

    def saved(self, state: UserState) -> None:
        self.state, self.forget = state.model_copy(deep=True), False

    def deleted(self) -> None:
        self.state, self.forget = None, True


_current: ContextVar[Turn | None] = ContextVar("guide_turn", default=None)


def current_turn() -> Turn | None:
    return _current.get()


@contextmanager
def open_turn(update_id: int, user_id: str | None) -> Iterator[Turn]:
    """The turn of one update, seen by the store and the channel in this task."""
    turn = Turn(update_id, user_id)
    token = _current.set(turn)
    try:
        yield turn
    finally:
        _current.reset(token)
