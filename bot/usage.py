"""Usage counts: how often each topic is used, rated, understood and left, and nothing else.

A count is a number per (day, topic, language, what, step): no user id, no chat id, no text,
so it cannot be traced back to a person and outlives /forget and expiry. The conversation
core notes what happens in a turn (`Turn.count`), stamps the day and hands the counts to a
`UsageSink` before it saves the user's state; a store that writes a turn at once (the
durable SQLite store) writes them in the same transaction, so a replayed update is not
counted twice. `guide stats` reads them (bot/stats.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, runtime_checkable

# what is counted (the `what` of a count)
STARTED = "started"  # a topic's flow opened (a Restart opens it again)
ENDED = "ended"  # a flow reached its answer (an end step)
UP = "up"  # 👍 to "Was this useful?"
DOWN = "down"  # 👎
LEFT = "left"  # at a question of the flow (`step`), the user went elsewhere
RESUMED = "resumed"  # …and came back to that question with "Continue"
UNDERSTOOD = "understood"  # a typed message the guide placed (topic "")
GUESSED = "guessed"  # a typed message answered by "Do you mean …?"
NOT_UNDERSTOOD = "not_understood"  # "Say it another way" or the offer of a person
WHATS = (STARTED, ENDED, UP, DOWN, LEFT, RESUMED, UNDERSTOOD, GUESSED, NOT_UNDERSTOOD)
# the words a user types are understood or not; what they are about is not kept
NO_TOPIC = ""


@dataclass(frozen=True)
class Event:
    """Something that happened in one turn, before its day is known."""

    what: str
    topic: str
    lang: str
    step: str = ""


@dataclass(frozen=True)
class Count:
    day: date
    topic: str
    lang: str
    what: str
    step: str = ""
    n: int = 1


@runtime_checkable
class UsageSink(Protocol):
    """Where counts go. A store implements it; tests may too."""

    async def count_usage(self, counts: Sequence[Count]) -> None:
        """Adds each count to its total (same day, topic, language, what and step)."""


class NoUsage:
    """Counts nothing (the shell, and cores built without a database)."""

    async def count_usage(self, counts: Sequence[Count]) -> None:
        return None


def on_day(day: date, events: Iterable[Event]) -> list[Count]:
    return [Count(day, e.topic, e.lang, e.what, e.step) for e in events]


def typed_message(events: list[Event], lang: str) -> None:
    """A typed message counts once: not understood (or guessed) when the turn said so,
    else understood."""
    if not any(e.what in (GUESSED, NOT_UNDERSTOOD) for e in events):
        events.append(Event(UNDERSTOOD, NO_TOPIC, lang))
