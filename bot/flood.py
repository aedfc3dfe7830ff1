"""Per-chat flood control: a chat sending faster than a person can read is slowed down.

Telegram's own limits are PTB's AIORateLimiter's business; this is about one user (or a
stuck client) sending dozens of messages a second: the guide answers once, politely, and
ignores the rest of the burst, without delaying anybody else.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

# more than BURST messages within WINDOW seconds is not a person typing (button presses,
# which a person can make quickly, are not counted)
BURST = 8
WINDOW = 2.0


@dataclass
class FloodGuard:
    burst: int = BURST
    window: float = WINDOW
    clock: Callable[[], float] = time.monotonic
    _seen: dict[str, deque[float]] = field(default_factory=dict)
    _warned: set[str] = field(default_factory=set)
    _checks: int = 0

    def check(self, chat: str) -> str:
        """"ok" to handle the message, "warn" to answer once that it is too fast, "drop"."""
        self._checks += 1
        if self._checks % 1000 == 0:
            self.forget_idle()
        now = self.clock()
        seen = self._seen.setdefault(chat, deque())
        while seen and now - seen[0] > self.window:
            seen.popleft()
        seen.append(now)
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
