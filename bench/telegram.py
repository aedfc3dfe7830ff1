"""Load test of the real Telegram bot process, through the fake Bot API of the tests.

N simulated users (default 1000) with M messages each (default 10) talk at the same time to
`python -m bot telegram`, started as a subprocess with a fresh SQLite file and pointed at
`tests/helpers/fake_telegram.py` on 127.0.0.1. Each user sends /start, then a mix of button
presses (callback data from the keyboard the bot last sent them) and free texts taken from the
held-out NLU examples, mostly in their own language (fr, en, ar, ru, uk, fa, ps, ti). A user
sends its next message only once the bot's whole answer to the previous one has arrived.

How many messages a whole answer is, and what they say, comes from the same conversation core
run in this process beforehand (in memory, before the bot starts, so it costs the run nothing):
each reply the bot sends is compared with it, which checks that every reply follows its own
message, in order, and that nothing was lost or mixed between chats.

Measured: updates answered vs sent, updates per second, latency from injecting an update to the
first sendMessage for that chat (and to the last message of the answer; and per minute of the
run, `--window`, to show whether slow answers cluster), the bot's peak RSS
(/proc/<pid>/status, sampled, and the kernel's VmHWM), the CPU used by the bot and by this
process (fake server and simulated users), and the event-loop lag here, to tell which side
limits the figures. The bot handles different chats' updates side by side (each chat's in
order) and its rate limiter lets 30 chat-bound requests a second through, for all chats
together, as Telegram asks (TELEGRAM_MAX_MESSAGES_PER_SECOND). With no think time every user
always has a message waiting, so latency is mostly queueing (users divided by updates per
second). `--think S` gives users a reading time, `--no-rate-limit` (a diagnostic, not how the
bot runs against Telegram) starts the bot with TELEGRAM_MAX_MESSAGES_PER_SECOND=0 to show what
the bot itself can do. The exit status is 1 unless every message was answered with the
expected replies.

Run: .venv/bin/python bench/telegram.py [--users 1000] [--messages 10] [--think 60] [--json]
     [--timeout 900]
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import contextlib
import ctypes
import gc
import json
import logging
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# this file's folder must not be on the path: this file would hide the `telegram` package
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))  # tests/ is not an installed package

from tests.helpers.fake_telegram import FakeTelegram, RecordedCall  # noqa: E402

HELDOUT = ROOT / "tests" / "data" / "nlu_heldout"
LANGS = ("fr", "en", "ar", "ru", "uk", "fa", "ps", "ti")
PRESS_SHARE = 0.6  # of the messages after /start, when the last answer had buttons
OTHER_LANG_SHARE = 0.1  # free texts written in English or French by a user of another language
NO_HINT_EVERY = 10  # one user in ten has no Telegram language: the guide asks which one
FIRST_CHAT = 10_000_000
QUIET = 0.3  # s without a new message: end of an answer, once a user's replies diverged
POLL = 0.002  # s between two looks at the fake's call record
GRACE = 1.0  # s to wait after the last answer for a stray extra message
RATE_LIMIT = 30  # the bot's default: 30 chat-bound requests per second, all chats
CHAT_METHODS = {"sendmessage", "editmessagereplymarkup", "editmessagetext", "deletemessage",
                "sendchataction"}


@dataclass
class Expected:
    """One Telegram message the bot should send: its text and its buttons' callback data."""

    text: str
    buttons: list[str]


@dataclass
class Step:
    text: str | None  # a free text, or None for a button press
    press: int | None  # the index of the pressed button in the last keyboard
    data: str | None  # the callback data the core's keyboard has at that index
    expected: list[Expected]


@dataclass
class User:
    chat: int
    lang: str
    hint: str | None  # the Telegram user's language_code
    steps: list[Step]


@dataclass
class Trace:
    """What happened to one user during the run."""

    sent: list[float] = field(default_factory=list)  # monotonic time of each injection
    diverged_at: int | None = None  # first step whose answer differed from the core's
    error: str | None = None


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def call_buttons(call: RecordedCall) -> list[str]:
    rows = (call.reply_markup or {}).get("inline_keyboard") or []
    # a link button (url) is not pressed: only the buttons that answer the bot
    return [str(b["callback_data"]) for row in rows for b in row if "callback_data" in b]


def as_sent(calls: list[RecordedCall]) -> list[Expected]:
    return [Expected(c.text or "", call_buttons(c)) for c in calls]


# ---- the users' scripts, from the conversation core in memory -------------------------------

async def plan(users: int, messages: int, seed: int, deadline: float) -> list[User]:
    """Every user's messages and the answers the core gives them, before the bot starts."""
    from bot.app import build_conversation, load_nlu
    from bot.channels.telegram import messages_of
    from bot.messages import Incoming
    from bot.nlu.data import read_examples
    from bot.state import MemoryStore

    conversation = build_conversation(store=MemoryStore(), nlu=load_nlu())
    texts = {lang: [e.text for e in read_examples(HELDOUT / f"{lang}.yml", lang)]
             for lang in LANGS}
    planned = []
    for number in range(users):
        if time.monotonic() > deadline:
            raise TimeoutError("the timeout passed while planning the users' messages")
        rng = random.Random(f"{seed}-{number}")
        lang = LANGS[number % len(LANGS)]
        hint = None if number % NO_HINT_EVERY == NO_HINT_EVERY - 1 else lang
        user = User(FIRST_CHAT + number, lang, hint, [])
        keyboard: list[str] = []
        for index in range(messages):
            text: str | None
            press = data = None
            if index == 0:
                text = "/start"
            elif keyboard and rng.random() < PRESS_SHARE:
                text, press = None, rng.randrange(len(keyboard))
                data = keyboard[press]
            else:
                written = lang if rng.random() >= OTHER_LANG_SHARE else rng.choice(("en", "fr"))
                text = rng.choice(texts[written])
            result = await conversation.handle(
                Incoming(str(user.chat), text=text, data=data, language_hint=hint))
            expected = [Expected(piece, [str(b.callback_data) for row in markup.inline_keyboard
                                         for b in row if b.callback_data] if markup else [])
                        for piece, markup in messages_of(result)]
            user.steps.append(Step(text, press, data, expected))
            keyboard = next((e.buttons for e in reversed(expected) if e.buttons), [])
        planned.append(user)
    return planned


# ---- watching what the bot sends ------------------------------------------------------------

class Inbox:
    """Reads the fake's call record as it grows and wakes the users whose answer arrived."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.cursor = 0
        self.pending: list[RecordedCall] = []
        self.by_chat: dict[int, list[RecordedCall]] = defaultdict(list)
        self.chat_calls: list[RecordedCall] = []  # every chat-bound call, in arrival order
        self.methods: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()
        self.in_fake = 0.0  # seconds requests spent inside the fake, arrival to answer
        self.waiters: dict[int, tuple[int, asyncio.Future[None]]] = {}

    def poll(self) -> None:
        new = self.fake.calls(since=self.cursor)
        self.cursor += len(new)
        waiting, self.pending = self.pending + new, []
        for call in waiting:
            if call.method.lower() == "getupdates":
                continue
            if not call.done:
                self.pending.append(call)
                continue
            self.methods[call.method] += 1
            self.in_fake += (call.answered_at or call.time) - call.time
            if not call.ok:
                self.errors[f"{call.method} {call.status}"] += 1
            if call.method.lower() in CHAT_METHODS:
                self.chat_calls.append(call)
            if call.method.lower() == "sendmessage" and call.delivered and isinstance(
                    call.chat_id, int):
                sent = self.by_chat[call.chat_id]
                bisect.insort(sent, call, key=lambda c: c.index)
                waiter = self.waiters.get(call.chat_id)
                if waiter and len(sent) >= waiter[0] and not waiter[1].done():
                    waiter[1].set_result(None)

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            self.poll()
            await asyncio.sleep(POLL)
        self.poll()

    async def wait(self, chat: int, count: int, deadline: float) -> bool:
        """Until `count` messages were sent to the chat in all; False at the deadline."""
        if len(self.by_chat[chat]) >= count:
            return True
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self.waiters[chat] = (count, future)
        try:
            await asyncio.wait_for(future, max(deadline - time.monotonic(), 0.001))
            return True
        except TimeoutError:
            return False
        finally:
            self.waiters.pop(chat, None)


# ---- one simulated user ---------------------------------------------------------------------

async def run_user(fake: FakeTelegram, inbox: Inbox, user: User, trace: Trace,
                   deadline: float, think: float) -> None:
    try:
        await _converse(fake, inbox, user, trace, deadline, think)
    except Exception as exc:  # one broken user must not stop the others
        trace.error = f"{type(exc).__name__}: {exc}"


async def _converse(fake: FakeTelegram, inbox: Inbox, user: User, trace: Trace,
                    deadline: float, think: float) -> None:
    keyboard: RecordedCall | None = None  # the bot's last message with buttons
    rng = random.Random(user.chat)
    if think:  # people do not all arrive at the same second
        await asyncio.sleep(rng.uniform(0, think))
    for index, step in enumerate(user.steps):
        if time.monotonic() >= deadline:
            return
        before = len(inbox.by_chat[user.chat])
        if step.press is not None and keyboard is not None:
            buttons = call_buttons(keyboard)
            data = buttons[step.press % len(buttons)]
            if data != step.data and trace.diverged_at is None:
                trace.diverged_at = index
            trace.sent.append(time.monotonic())
            fake.press(user.chat, data, message_id=int(keyboard.result["message_id"]),
                       language_code=user.hint, first_name=f"User{user.chat}")
        else:
            if step.press is not None and trace.diverged_at is None:
                trace.diverged_at = index  # the core showed buttons, the bot did not
            text = step.text if step.text is not None else "menu"
            trace.sent.append(time.monotonic())
            fake.send_text(user.chat, text, language_code=user.hint,
                           first_name=f"User{user.chat}")
        known = trace.diverged_at is None
        if not await inbox.wait(user.chat, before + (len(step.expected) if known else 1),
                                deadline):
            trace.error = f"no complete answer to message {index + 1} before the timeout"
            return
        if not known:  # an answer of unknown length: over once the chat stays quiet
            count = -1
            while count != len(inbox.by_chat[user.chat]) and time.monotonic() < deadline:
                count = len(inbox.by_chat[user.chat])
                await asyncio.sleep(QUIET)
        answer = inbox.by_chat[user.chat][before:]
        if known and as_sent(answer) != step.expected:
            trace.diverged_at = index
        keyboard = next((c for c in reversed(answer) if call_buttons(c)), None)
        if think:
            await asyncio.sleep(rng.uniform(0.5, 1.5) * think)


# ---- the bot process ------------------------------------------------------------------------

def start_bot(fake: FakeTelegram, workdir: Path, no_rate_limit: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token,
           "TELEGRAM_API_BASE_URL": fake.base_url,
           "GUIDE_STATE_URL": f"sqlite:///{workdir / 'state.db'}",
           "GUIDE_CACHE_DIR": str(ROOT / ".cache"), "GUIDE_NLU_BACKEND": "embedded"}
    env.pop("GUIDE_LOG_TEXT", None)
    if no_rate_limit:
        env["TELEGRAM_MAX_MESSAGES_PER_SECOND"] = "0"
    command = [sys.executable, "-m", "bot", "telegram"]
    with open(workdir / "bot.log", "wb") as log:
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=log,
                                stderr=subprocess.STDOUT, preexec_fn=_die_with_parent)


def _die_with_parent() -> None:
    """In the child: SIGTERM when the bench dies, even by SIGKILL (Linux prctl)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def proc_status(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM in kB."""
    found = {}
    with contextlib.suppress(OSError), open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0])
    return found


def proc_cpu(pid: int) -> float:
    """Seconds of CPU (user + system) used by the process so far."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rpartition(")")[2].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def sample_memory(pid: int, peak: list[int], stop: asyncio.Event) -> None:
    while not stop.is_set():
        rss = proc_status(pid).get("VmRSS")
        if rss:
            peak[0] = max(peak[0], rss)
        await asyncio.sleep(0.05)


async def measure_lag(lags: list[float], stop: asyncio.Event) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        started = loop.time()
        await asyncio.sleep(0.01)
        lags.append(loop.time() - started - 0.01)


async def stop_bot(process: subprocess.Popen[bytes]) -> tuple[int | None, float]:
    """SIGTERM, then SIGKILL after 20 s; the exit code and how long stopping took."""
    started = time.monotonic()
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        while process.poll() is None and time.monotonic() - started < 20:
            await asyncio.sleep(0.05)
        if process.poll() is None:
            process.kill()
            process.wait(timeout=10)
    return process.returncode, time.monotonic() - started


# ---- the run --------------------------------------------------------------------------------

async def bench(args: argparse.Namespace) -> dict[str, Any]:
    deadline = time.monotonic() + args.timeout
    started = time.monotonic()
    logging.getLogger("bot").setLevel(logging.ERROR)  # the bot process logs its own warnings
    users = await plan(args.users, args.messages, args.seed, deadline)
    planning = time.monotonic() - started
    # no cyclic garbage collection in the run: its full passes over the core's objects and
    # the fake's record paused the fake server for 0.1 to 0.4 s (memory: bench_peak_rss_mb)
    gc.collect()
    gc.freeze()
    gc.disable()
    traces = {u.chat: Trace() for u in users}
    report: dict[str, Any] = {
        "users": args.users, "messages_per_user": args.messages, "seed": args.seed,
        "think_s": args.think, "rate_limiter": not args.no_rate_limit,
        "command": "python -m bot telegram" + (" (TELEGRAM_MAX_MESSAGES_PER_SECOND=0)"
                                               if args.no_rate_limit else ""),
        "planning_s": round(planning, 1)}
    with tempfile.TemporaryDirectory(prefix="bench-telegram-") as tmp:
        workdir = Path(tmp)
        async with FakeTelegram(host="127.0.0.1") as fake:
            inbox = Inbox(fake)
            stop = asyncio.Event()
            process = start_bot(fake, workdir, args.no_rate_limit)
            peak = [0]
            lags: list[float] = []
            helpers = [asyncio.create_task(inbox.run(stop)),
                       asyncio.create_task(sample_memory(process.pid, peak, stop))]
            try:
                launched = time.monotonic()
                while not await _polling(fake):  # a long poll waits: the bot is ready
                    if process.poll() is not None:
                        raise RuntimeError(f"the bot exited with {process.returncode}:\n"
                                           + _tail(workdir / "bot.log"))
                    if time.monotonic() > deadline:
                        raise TimeoutError("the bot did not start polling before the timeout")
                    await asyncio.sleep(0.05)
                report["startup_s"] = round(time.monotonic() - launched, 2)
                report["rss_at_start_mb"] = round(proc_status(process.pid)["VmRSS"] / 1024, 1)
                helpers.append(asyncio.create_task(measure_lag(lags, stop)))
                cpu_bot, cpu_here = proc_cpu(process.pid), time.process_time()
                run_started = time.monotonic()
                await asyncio.gather(*(run_user(fake, inbox, u, traces[u.chat], deadline,
                                                args.think) for u in users))
                run_wall = time.monotonic() - run_started
                report["timed_out"] = time.monotonic() >= deadline
                cpu_bot = proc_cpu(process.pid) - cpu_bot
                cpu_here = time.process_time() - cpu_here
                await asyncio.sleep(min(GRACE, max(deadline - time.monotonic(), 0)))
                inbox.poll()
                status = proc_status(process.pid)
                report["load_average_1m"] = round(os.getloadavg()[0], 2)
                report["cpus"] = os.cpu_count()
            finally:
                code, stopping = await stop_bot(process)
                stop.set()
                await asyncio.gather(*helpers)
            report["bot_exit_code"], report["bot_stop_s"] = code, round(stopping, 2)
            log_text = (workdir / "bot.log").read_text(errors="replace")
    gc.enable()
    report["bench_peak_rss_mb"] = round(
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    report.update(results(users, traces, inbox, run_wall, args.window))
    report["bot_log_updates"] = sum(" update " in line and " chat " in line
                                    for line in log_text.splitlines())
    report["bot_log_errors"] = sum(line.startswith(("ERROR", "CRITICAL"))
                                   for line in log_text.splitlines())
    report["bot_peak_rss_sampled_mb"] = round(peak[0] / 1024, 1)
    report["bot_vmhwm_mb"] = round(status.get("VmHWM", 0) / 1024, 1)
    report["bot_cpu_share"] = round(cpu_bot / run_wall, 3)
    report["bot_cpu_ms_per_update"] = round(cpu_bot * 1000 / max(report["updates_answered"], 1),
                                            2)
    report["bench_cpu_share"] = round(cpu_here / run_wall, 3)
    report["bench_loop_lag_ms"] = {"p50": round(percentile(lags, 0.5) * 1000, 2),
                                   "p99": round(percentile(lags, 0.99) * 1000, 2),
                                   "max": round(max(lags, default=0) * 1000, 2)}
    return report


async def _polling(fake: FakeTelegram) -> bool:
    try:
        await fake.wait_polling(timeout=0.05)
        return True
    except AssertionError:
        return False


def _tail(path: Path, lines: int = 20) -> str:
    return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])


def results(users: list[User], traces: dict[int, Trace], inbox: Inbox,
            wall: float, window: float = 60.0) -> dict[str, Any]:
    """Latencies and checks, from the injection times and the sendMessage calls per chat."""
    first: dict[str, list[float]] = {"text": [], "press": []}
    whole: list[float] = []
    sent = answered = complete = in_order = checked = early = 0
    interleaved = multi = 0
    position = {c.index: n for n, c in enumerate(inbox.chat_calls)}
    last_reply = 0.0
    errors = Counter()
    timeline: list[tuple[float, float]] = []  # (injected at, latency to the first reply)
    for user in users:
        trace = traces[user.chat]
        if trace.error:
            errors[trace.error.split(" to message")[0]] += 1
        calls = inbox.by_chat[user.chat]
        segments: list[list[RecordedCall]] = [[] for _ in trace.sent]
        for call in calls:
            slot = bisect.bisect_right(trace.sent, call.time) - 1
            if slot < 0:
                early += 1
            else:
                segments[slot].append(call)
        for index, (injected, answer) in enumerate(zip(trace.sent, segments, strict=True)):
            sent += 1
            step = user.steps[index]
            if not answer:
                continue
            answered += 1
            kind = "text" if step.press is None else "press"
            first[kind].append(answer[0].time - injected)
            timeline.append((injected, answer[0].time - injected))
            last_reply = max(last_reply, answer[-1].time)
            if trace.diverged_at is None or index < trace.diverged_at:
                checked += 1
                if as_sent(answer) == step.expected:
                    in_order += 1
                    complete += 1
                    whole.append(answer[-1].time - injected)
            else:  # after a divergence: no expected answer to compare with
                complete += 1
                whole.append(answer[-1].time - injected)
            if len(answer) > 1:  # did another chat's message come in the middle of this answer?
                multi += 1
                start, end = position[answer[0].index], position[answer[-1].index]
                if any(c.chat_id != user.chat for c in inbox.chat_calls[start:end + 1]):
                    interleaved += 1
    planned = sum(len(u.steps) for u in users)
    begin = min((t.sent[0] for t in traces.values() if t.sent), default=0.0)
    span = max(last_reply - begin, 1e-9)
    latencies = first["text"] + first["press"]
    chat_calls = len(inbox.chat_calls)

    def ms(values: list[float]) -> dict[str, float]:
        return {name: round(percentile(values, share) * 1000, 1)
                for name, share in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99), ("max", 1.0))}

    return {
        "updates_planned": planned, "updates_sent": sent, "updates_answered": answered,
        "answers_complete": complete, "answers_checked": checked,
        "answers_matching_core_in_order": in_order,
        "users_diverged": sum(t.diverged_at is not None for t in traces.values()),
        "replies_before_any_message": early, "user_errors": dict(errors),
        "multi_message_answers": multi, "answers_interleaved_with_other_chats": interleaved,
        "run_wall_s": round(wall, 2), "first_update_to_last_reply_s": round(span, 2),
        "updates_per_s": round(answered / span, 2),
        "latency_first_reply_ms": ms(latencies),
        "latency_first_reply_text_ms": ms(first["text"]),
        "latency_first_reply_press_ms": ms(first["press"]),
        "latency_whole_answer_ms": ms(whole),
        "by_minute": by_minute(timeline, begin, window), "window_s": window,
        "api_calls": dict(inbox.methods), "api_errors": dict(inbox.errors),
        "chat_bound_calls_per_s": round(chat_calls / span, 2),
        "chat_bound_calls_per_update": round(chat_calls / max(answered, 1), 2),
        "fake_handling_share": round(inbox.in_fake / span, 4),
    }


def by_minute(timeline: list[tuple[float, float]], begin: float,
              window: float = 60.0) -> list[dict[str, float]]:
    """Messages a second and latency to the first reply, per minute of the run (by when the
    message was sent): shows whether the slow answers cluster, e.g. while users arrive."""
    minutes: dict[int, list[float]] = defaultdict(list)
    for injected, latency in timeline:
        minutes[int((injected - begin) // window)].append(latency)
    return [{"minute": m, "updates_per_s": round(len(v) / window, 1),
             "p50_ms": round(percentile(v, 0.5) * 1000, 1),
             "p99_ms": round(percentile(v, 0.99) * 1000, 1),
             "max_ms": round(max(v) * 1000, 1)} for m, v in sorted(minutes.items())]


# ---- output ---------------------------------------------------------------------------------

def table(r: dict[str, Any]) -> str:
    def lat(name: str) -> str:
        v = r[name]
        return (f"p50 {v['p50'] / 1000:.3f} s  p90 {v['p90'] / 1000:.3f} s  "
                f"p99 {v['p99'] / 1000:.3f} s  max {v['max'] / 1000:.3f} s")

    all_answered = r["updates_answered"] == r["updates_planned"]
    unsent = r["updates_planned"] - r["updates_sent"]
    unanswered = r["updates_sent"] - r["updates_answered"]
    rows = [
        ("bot", f"{r['command']}, fresh SQLite, startup {r.get('startup_s', '?')} s"),
        ("users x messages", f"{r['users']} x {r['messages_per_user']} "
                             f"(think time {r['think_s']} s)"),
        ("updates sent / answered", f"{r['updates_sent']} / {r['updates_answered']}"
                                    + ("  (all answered)" if all_answered else
                                       f"  ({unanswered} UNANSWERED, {unsent} of "
                                       f"{r['updates_planned']} planned NOT SENT"
                                       + (", timed out)" if r["timed_out"] else ")"))),
        ("answers as the core says, in order",
         f"{r['answers_matching_core_in_order']} / {r['answers_checked']} checked; "
         f"{r['users_diverged']} users diverged; {r['replies_before_any_message']} stray"),
        ("answers interleaved", f"{r['answers_interleaved_with_other_chats']} of "
                                f"{r['multi_message_answers']} multi-message answers"),
        ("first update -> last reply", f"{r['first_update_to_last_reply_s']} s"),
        ("updates per second", f"{r['updates_per_s']}"),
        ("latency to 1st reply", lat("latency_first_reply_ms")),
        ("  free text", lat("latency_first_reply_text_ms")),
        ("  button press", lat("latency_first_reply_press_ms")),
        ("latency to whole answer", lat("latency_whole_answer_ms")),
        ("bot RSS", f"start {r.get('rss_at_start_mb', '?')} MB, peak sampled "
                    f"{r['bot_peak_rss_sampled_mb']} MB, VmHWM {r['bot_vmhwm_mb']} MB"),
        ("bot CPU", f"{r['bot_cpu_share']:.0%} of one core, "
                    f"{r['bot_cpu_ms_per_update']} ms per update"),
        ("bench CPU (fake + users)", f"{r['bench_cpu_share']:.0%} of one core, peak RSS "
                                     f"{r['bench_peak_rss_mb']} MB; loop lag "
                                     f"p99 {r['bench_loop_lag_ms']['p99']} ms, "
                                     f"max {r['bench_loop_lag_ms']['max']} ms; requests "
                                     f"inside the fake {r['fake_handling_share']:.1%} of "
                                     f"the time"),
        ("chat-bound API calls", f"{r['chat_bound_calls_per_s']}/s, "
                                 f"{r['chat_bound_calls_per_update']} per update"
                                 + (f" (rate limiter: {RATE_LIMIT}/s)"
                                    if r["rate_limiter"] else "")),
        ("API calls", ", ".join(f"{k} {v}" for k, v in sorted(r["api_calls"].items()))),
        ("API errors", ", ".join(f"{k} x{v}" for k, v in r["api_errors"].items()) or "none"),
        ("bot log", f"{r['bot_log_updates']} updates logged, {r['bot_log_errors']} errors; "
                    f"stopped by SIGTERM in {r['bot_stop_s']} s, exit {r['bot_exit_code']}"),
    ]
    if r["user_errors"]:
        rows.append(("users stopped", ", ".join(f"{k} x{v}"
                                                for k, v in r["user_errors"].items())))
    width = max(len(name) for name, _ in rows)
    lines = [f"{name:<{width}}  {value}" for name, value in rows]
    if r.get("by_minute"):
        lines += ["", f"from (x{r['window_s']:g} s)  sent/s  1st reply p50    p99      max"]
        lines += [f"{m['minute']:>14}  {m['updates_per_s']:>6}  {m['p50_ms']:>8.1f} ms "
                  f"{m['p99_ms']:>8.1f} ms {m['max_ms']:>8.1f} ms" for m in r["by_minute"]]
    lines += ["", *where_time_goes(r)]
    return "\n".join(lines)


def where_time_goes(r: dict[str, Any]) -> list[str]:
    notes = []
    expected = r["users"] / r["updates_per_s"] if r["updates_per_s"] and not r["think_s"] else 0
    if expected:
        notes.append(f"Closed loop, no think time: a message waits behind the other users' "
                     f"(Little's law: {r['users']} users / {r['updates_per_s']} updates/s = "
                     f"{expected:.1f} s mean latency).")
    per_update = r["chat_bound_calls_per_update"]
    if r["rate_limiter"] and r["chat_bound_calls_per_s"] >= 0.85 * RATE_LIMIT:
        notes.append(f"Bound by the rate limiter: {r['chat_bound_calls_per_s']} chat-bound "
                     f"calls/s against its {RATE_LIMIT}/s for all chats together (Telegram's "
                     f"budget); at {per_update} such calls per update that caps the bot at "
                     f"{RATE_LIMIT / per_update:.1f} updates/s, while it uses "
                     f"{r['bot_cpu_share']:.0%} of a core.")
    elif r["bot_cpu_share"] >= 0.85:
        notes.append(f"Bound by the bot's CPU: {r['bot_cpu_share']:.0%} of one core "
                     f"(one Python event loop).")
    elif not r["think_s"]:
        wall = 1000 / r["updates_per_s"] if r["updates_per_s"] else 0
        notes.append(f"Neither the limiter nor the bot's CPU is saturated: of {wall:.0f} ms per "
                     f"update, {r['bot_cpu_ms_per_update']} ms are the bot's CPU; the rest is "
                     f"waiting, one update at a time, on its API calls (awaited one after "
                     f"another), SQLite in a worker thread, and the CPU shared with other "
                     f"processes (load average {r['load_average_1m']} on "
                     f"{r['cpus']} CPUs at the end).")
    if r["bench_cpu_share"] < 0.5 and r["bench_loop_lag_ms"]["p99"] < 20:
        notes.append(f"Not bound by the bench: it used {r['bench_cpu_share']:.0%} of a core "
                     f"and its event loop stayed responsive (p99 lag "
                     f"{r['bench_loop_lag_ms']['p99']} ms).")
    else:
        notes.append(f"The bench itself may weigh on the figures: {r['bench_cpu_share']:.0%} "
                     f"of a core, loop lag p99 {r['bench_loop_lag_ms']['p99']} ms.")
    return notes


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=1000)
    parser.add_argument("--messages", type=int, default=10, help="per user, /start included")
    parser.add_argument("--timeout", type=float, default=600.0,
                        help="seconds for the whole bench, planning and startup included")
    parser.add_argument("--think", type=float, default=0.0,
                        help="mean seconds a user waits after an answer before writing again "
                             "(0.5 to 1.5 times this; the first message after 0 to this)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--window", type=float, default=60.0,
                        help="seconds per row of the latency-over-time table")
    parser.add_argument("--no-rate-limit", action="store_true",
                        help="diagnostic: lift the bot's overall rate limit")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.users < 1 or args.messages < 1:
        parser.error("--users and --messages must be at least 1")
    report = asyncio.run(bench(args))
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.json else table(report))
    ok = (report["updates_answered"] == report["updates_planned"]
          and report["answers_matching_core_in_order"] == report["answers_checked"]
          and not report["replies_before_any_message"])
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
