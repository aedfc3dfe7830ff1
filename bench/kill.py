"""kill -9 at random moments under bursts of chats, and storms of Telegram errors: what
reaches the users?

`python -m bot telegram` (polling) or `python -m bot webhook` runs as a subprocess against
the fake Bot API of the tests (tests/helpers/fake_telegram.py), with one SQLite file kept
across its restarts. Each cycle injects a burst: CHATS new chats each sending three commands
(/start, /help, /menu), then kills the bot with SIGKILL after a random delay (0 to
--max-delay seconds: while it starts, fetches, handles or sends) and starts it again. After
the last kill the bot runs until every reply arrived (or --settle seconds without progress),
then stops with SIGTERM.

In webhook mode this script plays Telegram: it POSTs each update to the bot, and delivers
again, in order, any update not answered 200 (refused, or the process gone), as Telegram
does; an update answered 200 is never sent again.

The replies each chat should get come from the same conversation core run in this process
(in memory, before the bot starts). Printed per mode:

- never sent: expected replies that never reached the chat;
- sent twice: replies that reached the chat more often than expected;
- out of order: chats whose replies (extra copies left out) came in another order.

`--storm` adds a run without kills in polling mode where Telegram answers sendMessage with
429 x6, 500 x10, 502 x10 and dropped connections x10 (five of them after sending).

Run: .venv/bin/python bench/kill.py [--kills 20] [--chats 200] [--modes polling,webhook]
     [--storm] [--seed 1]
Exit status 1 when a reply was never sent.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# this file's folder must not be on the path: bench/telegram.py would hide the package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from tests.helpers.fake_telegram import FakeTelegram  # noqa: E402

COMMANDS = ("/start", "/help", "/menu")
SECRET = "kill-bench-secret-0123456789abcdefghij"
FIRST_CHAT = 20_000_000


def expected_replies() -> list[str]:
    """The Telegram messages one chat should get for COMMANDS, from the core itself."""
    from bot.app import build_conversation, load_nlu
    from bot.channels.telegram import messages_of
    from bot.messages import Incoming
    from bot.state import MemoryStore

    conversation = build_conversation(store=MemoryStore(), nlu=load_nlu(progress=None))

    async def run() -> list[str]:
        texts: list[str] = []
        for command in COMMANDS:
            result = await conversation.handle(Incoming("1", text=command, language_hint="en"))
            texts += [text for text, _ in messages_of(result)]
        return texts

    return asyncio.run(run())


@dataclass
class Tally:
    mode: str
    kills: int = 0
    chats: int = 0
    expected: int = 0
    never_sent: int = 0
    sent_twice: int = 0
    out_of_order: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)


def count(fake: FakeTelegram, chats: list[int], expected: list[str], tally: Tally) -> None:
    for chat in chats:
        got = fake.sent_texts(chat)
        want = Counter(expected)
        have = Counter(got)
        tally.expected += len(expected)
        tally.never_sent += sum((want - have).values())
        tally.sent_twice += sum((have - want).values())
        left = Counter(expected)
        kept = []
        for text in got:  # extra copies left out
            if left[text] > 0:
                left[text] -= 1
                kept.append(text)
        if not _subsequence(kept, expected):
            tally.out_of_order += 1
    tally.chats = len(chats)


def _subsequence(part: list[str], whole: list[str]) -> bool:
    it = iter(whole)
    return all(any(x == y for y in it) for x in part)


class Webhook:
    """Telegram's side of a webhook: updates POSTed in order, again until answered 200."""

    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}/telegram"
        self._queue: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def put(self, update: dict[str, Any]) -> None:
        with self._lock:
            self._queue.append(update)

    @property
    def pending(self) -> int:
        with self._lock:
            return len(self._queue)

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}
        with httpx.Client(timeout=10) as client:
            while not self._stop.is_set():
                with self._lock:
                    update = self._queue[0] if self._queue else None
                if update is None:
                    time.sleep(0.01)
                    continue
                try:
                    ok = client.post(self.url, json=update, headers=headers).status_code == 200
                except httpx.HTTPError:
                    ok = False
                if ok:
                    with self._lock:
                        self._queue.pop(0)
                else:
                    time.sleep(0.2)


class Injector:
    """Updates from users: through the fake's getUpdates (polling) or the webhook."""

    def __init__(self, fake: FakeTelegram, webhook: Webhook | None) -> None:
        self.fake = fake
        self.webhook = webhook
        self.next_id = 1

    def burst(self, chats: list[int]) -> None:
        for command in COMMANDS:
            for chat in chats:
                if self.webhook is None:
                    self.fake.send_text(chat, command, language_code="en")
                    continue
                self.fake.add_chat(chat)
                self.webhook.put(_update(self.next_id, chat, command))
                self.next_id += 1


def _update(update_id: int, chat: int, text: str) -> dict[str, Any]:
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": int(time.time()), "text": text,
        "entities": [{"type": "bot_command", "offset": 0, "length": len(text)}],
        "from": {"id": chat, "is_bot": False, "first_name": "T", "language_code": "en"},
        "chat": {"id": chat, "type": "private", "first_name": "T"}}}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(mode: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    command = "telegram" if mode in ("polling", "storm") else "webhook"
    return subprocess.Popen([sys.executable, "-m", "bot", command], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _settle(fake: FakeTelegram, chats: list[int], want: int, webhook: Webhook | None,
            quiet: float) -> None:
    """Until every chat has its replies, or nothing new arrived for `quiet` seconds."""
    last, since = -1, time.monotonic()
    while time.monotonic() - since < quiet:
        got = sum(min(len(fake.sent_texts(c)), want) for c in chats)
        if got == want * len(chats) and (webhook is None or webhook.pending == 0):
            time.sleep(1.0)  # a late extra copy still counts
            return
        if got != last:
            last, since = got, time.monotonic()
        time.sleep(0.2)


def run(mode: str, kills: int, per_burst: int, max_delay: float, settle: float,
        expected: list[str], rng: random.Random) -> Tally:
    tally = Tally(mode)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp, FakeTelegram() as fake:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_BASE_URL": fake.base_url,
               "GUIDE_STATE_URL": f"sqlite:///{Path(tmp) / 'state.db'}",
               "GUIDE_CACHE_DIR": str(ROOT / ".cache"),
               "TELEGRAM_MAX_MESSAGES_PER_SECOND": "0"}
        webhook = None
        if mode == "webhook":
            port = _free_port()
            env |= {"GUIDE_WEBHOOK_URL": "https://guide.example.org/telegram",
                    "GUIDE_WEBHOOK_SECRET": SECRET, "GUIDE_WEBHOOK_PORT": str(port)}
            webhook = Webhook(port)
        injector = Injector(fake, webhook)
        chats: list[int] = []
        process = _start(mode, env)
        try:
            if mode == "storm":
                fake.fail_next("sendMessage", status=429, retry_after=1, times=6)
                fake.fail_next("sendMessage", status=500, times=10)
                fake.fail_next("sendMessage", status=502, times=10)
                fake.drop_next("sendMessage", times=5)
                fake.drop_next("sendMessage", times=5, after_processing=True)
            for cycle in range(kills if mode != "storm" else 1):
                burst = list(range(FIRST_CHAT + len(chats), FIRST_CHAT + len(chats) + per_burst))
                chats += burst
                injector.burst(burst)
                if mode == "storm":
                    break
                time.sleep(rng.uniform(0, max_delay))
                process.send_signal(signal.SIGKILL)
                process.wait()
                tally.kills += 1
                print(f"  {mode}: kill {cycle + 1}/{kills}", file=sys.stderr, flush=True)
                process = _start(mode, env)
            _settle(fake, chats, len(expected), webhook, settle)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
            if webhook is not None:
                if webhook.pending:
                    tally.notes.append(f"{webhook.pending} update(s) never accepted")
                webhook.close()
        count(fake, chats, expected, tally)
    tally.seconds = time.monotonic() - started
    return tally


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--chats", type=int, default=200, help="chats per burst")
    parser.add_argument("--modes", default="polling,webhook")
    parser.add_argument("--storm", action="store_true")
    parser.add_argument("--max-delay", type=float, default=3.0)
    parser.add_argument("--settle", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    expected = expected_replies()
    modes = [m for m in args.modes.split(",") if m] + (["storm"] if args.storm else [])
    print(f"{len(COMMANDS)} commands per chat, {len(expected)} replies expected per chat")
    failed = False
    for mode in modes:
        tally = run(mode, args.kills, args.chats, args.max_delay, args.settle, expected, rng)
        print(f"{mode:8} kills {tally.kills:3}  chats {tally.chats:5}  replies expected "
              f"{tally.expected:6}  never sent {tally.never_sent:4}  sent twice "
              f"{tally.sent_twice:4}  out of order (chats) {tally.out_of_order:3}  "
              f"({tally.seconds:.0f} s) {'; '.join(tally.notes)}", flush=True)
        failed |= tally.never_sent > 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
