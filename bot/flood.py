"""Per-chat flood control: a chat sending faster than a person can read is slowed down.

Telegram's own limits are PTB's AIORateLimiter's business; this is about one user (or a
stuck client) sending dozens of updates a second: the guide answers once, politely, and
ignores the rest of the burst, without delaying anybody else.

The pace is the one at which the user sent them (the message's own date), not the one at
which they reach the guide: after a restart or an outage, Telegram delivers a day's backlog
in one second, and a user who wrote nine messages over an hour is no flood.
"""

from __future__ import annotations

import time
from collections import OrderedDict, deque
from collections.abc import Callable
from dataclasses import dataclass, field

# more than BURST updates (messages of any kind, button presses) within WINDOW seconds is not
# a person: each press or message waits for an answer before the next makes sense
BURST = 8
WINDOW = 2.0
# albums remembered per process: far more than can be in flight at once
ALBUMS = 4096


@dataclass
class FloodGuard:
    burst: int = BURST
    window: float = WINDOW
    # a wall clock: the dates Telegram gives messages are Unix times
    clock: Callable[[], float] = time.time
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _warned: set[str] = field(default_factory=set)
    _checks: int = 0

    def check(self, chat: str, at: float | None = None) -> str:
        """"ok" to handle the update, "warn" to answer once that it is too fast, "drop".

        `at`: when the user sent it (a message's date); the clock when it has none (a
        button press carries no date of its own)."""
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle()
        moment = self.clock() if at is None else at
        seen = self._seen.setdefault(chat, deque())
        while seen and moment - seen[0] > self.window:
            seen.popleft()
        seen.append(moment)
        if len(seen) <= self.burst:
            self._warned.discard(chat)
            return "ok"
        if chat in self._warned:
            return "drop"
        self._warned.add(chat)
        return "warn"

    def forget_idle(self) -> None:
        """Drop chats quiet for a whole window (keeps memory flat with many users)."""
        now = self.clock()
        idle = [c for c, seen in self._seen.items() if not seen or now - seen[-1] > self.window]
        for chat in idle:
            del self._seen[chat]
            self._warned.discard(chat)


@dataclass
class Albums:
    """Telegram delivers an album of ten photos as ten messages sharing a media_group_id:
    one person sent one thing, and gets one answer."""

    size: int = ALBUMS
    _seen: OrderedDict[tuple[str, str], None] = field(default_factory=OrderedDict)

    def first(self, chat: str, media_group_id: str) -> bool:
        """Whether this is the album's first message seen; remembers it."""
        key = (chat, media_group_id)
        if key in self._seen:
            return False
        self._seen[key] = None
        if len(self._seen) > self.size:
            self._seen.popitem(last=False)
        return True
