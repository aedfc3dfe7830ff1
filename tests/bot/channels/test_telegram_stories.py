"""Every story of tests/stories gives the same replies on Telegram as in the shell.

Each story is played against the conversation core in memory, as the story runner does, then
its inputs are replayed through the real python-telegram-bot Application, polling the fake Bot
API over HTTP with a SQLite store, each story in a chat of its own and many at once. The texts
the bot sends (split as Telegram needs) and their buttons must be the shell's, in order.

A step typing a blank message has no Telegram equivalent (the apps do not send one): it and
the steps after it are left out.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from contextvars import ContextVar
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from telegram.constants import MessageLimit

from bot.app import build_conversation
from bot.channels.telegram import split_text
from bot.conversation import Conversation, Result
from bot.flood import FloodGuard
from bot.messages import Incoming, Reply
from bot.nlu.embedded import EmbeddedNlu
from bot.nlu.types import IntentResult, NluBackend
from bot.state import MemoryStore
from bot.store import SqliteStore
from bot.stories import LoadedStory, Playback, PlayedStep, load_stories, play_story, story_factory
from tests.helpers.fake_telegram import FakeTelegram, RecordedCall
from tests.helpers.guide import running_guide

STORIES = load_stories()
FIRST_CHAT = 100_000
AT_ONCE = 30
# time for a reply that the shell did not give to show up after the expected ones
GRACE = 0.3
STEP_TIMEOUT = 30.0

# Sent text, and the (label, callback data) of its buttons, row by row. A file sent with its
# caption is "[file name] caption".
Message = tuple[str, list[list[tuple[str, str]]]]

# The chat whose update the core is handling: one running bot serves every story, and each
# story has its own day and its own scripted model answers.
CHAT: ContextVar[str | None] = ContextVar("chat", default=None)


class PerChatCore(Conversation):
    """The core, knowing which chat it is answering while it answers."""

    async def handle(self, incoming: Incoming) -> Result:
        token = CHAT.set(incoming.user_id)
        try:
            return await super().handle(incoming)
        finally:
            CHAT.reset(token)


@dataclass
class PerChatNlu:
    """The real model, except for a chat's step whose story says what the model answers."""

    real: NluBackend
    scripted: dict[str, IntentResult] = field(default_factory=dict)

    async def parse(self, text: str, lang: str | None = None) -> IntentResult:
        answer = self.scripted.pop(CHAT.get() or "", None)
        return answer if answer is not None else await self.real.parse(text, lang)


class Outbox:
    """The bot's sendMessage and sendDocument calls, chat by chat. One task reads the fake's
    record as it grows and wakes the chats that got a message: thirty chats each polling the
    record would take much of the CPU the bot needs."""

    def __init__(self, fake: FakeTelegram) -> None:
        self.fake = fake
        self.cursor = 0
        self.sent: dict[int, list[RecordedCall]] = defaultdict(list)
        self.arrived: dict[int, asyncio.Event] = defaultdict(asyncio.Event)

    def read(self) -> None:
        for call in self.fake.calls(since=self.cursor):
            if call.method.lower() in ("sendmessage", "senddocument"):
                if not call.done:
                    break  # read again once answered, to keep each chat's order
                if call.delivered and isinstance(call.chat_id, int):
                    self.sent[call.chat_id].append(call)
                    self.arrived[call.chat_id].set()
            self.cursor += 1

    async def watch(self) -> None:
        while True:
            self.read()
            await asyncio.sleep(0.005)

    async def wait(self, chat: int, count: int, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while len(self.sent[chat]) < count and time.monotonic() < deadline:
            arrived = self.arrived[chat]
            arrived.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(arrived.wait(), deadline - time.monotonic())


def telegram_messages(replies: list[Reply]) -> list[Message]:
    """The shell's replies as Telegram messages: long texts in pieces, buttons on the last."""
    messages: list[Message] = []
    for reply in replies:
        # a link button shows its address where a button has its data
        buttons = [[(b.label, b.data if b.url is None else b.url) for b in row]
                   for row in reply.rows()]
        if reply.document is not None:
            # the text is the file's caption; one too long for a caption is sent before it
            caption = reply.text if len(reply.text) <= MessageLimit.CAPTION_LENGTH else ""
            if reply.text and not caption:
                messages += [(piece, []) for piece in split_text(reply.text)]
            messages.append((f"[{reply.document.filename}] {caption}", buttons))
            continue
        pieces = split_text(reply.text)
        messages += [(piece, buttons if last else [])
                     for piece, last in zip(pieces, [False] * (len(pieces) - 1) + [True],
                                            strict=True)]
    return messages


def text_of(call: RecordedCall) -> str:
    """A message's text; a file's name and caption."""
    if call.method.lower() != "senddocument":
        return call.text or ""
    document = (call.result or {}).get("document") or {}
    return f"[{document.get('file_name')}] {call.params.get('caption') or ''}"


def rows_of(call: RecordedCall) -> list[list[tuple[str, str]]]:
    rows: list[list[dict[str, Any]]] = (call.reply_markup or {}).get("inline_keyboard") or []
    return [[(str(b.get("text")), str(b.get("url") or b.get("callback_data"))) for b in row]
            for row in rows]


def buttons_of(call: RecordedCall) -> list[tuple[str, str]]:
    return [button for row in rows_of(call) for button in row]


def sendable(step: PlayedStep) -> bool:
    """Telegram apps do not send a blank message: a story step typing one has no Telegram
    equivalent, and neither have the steps after it."""
    return step.incoming.text is None or bool(step.incoming.text.strip())


def replayable(playback: Playback) -> list[PlayedStep]:
    steps: list[PlayedStep] = []
    for step in playback.steps:
        if not sendable(step):
            break
        steps.append(step)
    return steps


def shown(incoming: Incoming) -> str:
    return f"press {incoming.data!r}" if incoming.data is not None else repr(incoming.text)


async def play_in_the_shell(nlu: EmbeddedNlu) -> list[Playback]:
    """Every story against the core in memory, with the story's language as each input's
    hint, as a Telegram user's language_code is."""
    make = story_factory(nlu)
    return [await play_story(loaded, make(MemoryStore(), loaded.story.date),
                             language_hint=loaded.story.lang) for loaded in STORIES]


async def replay_on_telegram(fake: FakeTelegram, outbox: Outbox, nlu: PerChatNlu, chat: int,
                             loaded: LoadedStory, steps: list[PlayedStep]) -> str | None:
    """The first difference with the shell, or None."""
    lang = loaded.story.lang
    before: list[RecordedCall] = []  # the previous step's messages, whose buttons are pressed
    count = 0
    for step in steps:
        outbox.read()
        if len(outbox.sent[chat]) > count:
            return f"before step {step.number}, more messages: {late(outbox, chat, count)!r}"
        incoming = step.incoming
        if incoming.data is not None:
            carrying = [c for c in before if incoming.data in {d for _, d in buttons_of(c)}]
            if not carrying:
                await asyncio.sleep(GRACE)  # a message the shell did not send, come late?
                outbox.read()
                return (f"step {step.number}: no message with the button {incoming.data!r}; "
                        f"then, more messages: {late(outbox, chat, count)!r}")
            message_id = int((carrying[-1].result or {})["message_id"])
            fake.press(chat, incoming.data, message_id=message_id, language_code=lang)
        else:
            if step.scripted is not None:
                nlu.scripted[str(chat)] = step.scripted
            fake.send_text(chat, incoming.text or "", language_code=lang)
        expected = telegram_messages(step.replies)
        await outbox.wait(chat, count + len(expected), STEP_TIMEOUT)
        await asyncio.sleep(GRACE)
        outbox.read()
        nlu.scripted.pop(str(chat), None)  # as in the shell, not kept for a later step
        before = outbox.sent[chat][count:]
        got = [(text_of(c), rows_of(c)) for c in before]
        if got != expected:
            return (f"step {step.number} ({shown(incoming)}):\n"
                    f"    shell:    {expected!r}\n    telegram: {got!r}")
        count += len(expected)
    return None


def late(outbox: Outbox, chat: int, count: int) -> list[str]:
    return [text_of(c) for c in outbox.sent[chat][count:]]


async def test_every_story_gives_the_same_replies_on_telegram_as_in_the_shell(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    playbacks = await play_in_the_shell(nlu)
    differences = [f"{s.path.name}: {s.story.story}\n  in the shell: {'; '.join(p.failures)}"
                   for s, p in zip(STORIES, playbacks, strict=True) if p.failures]

    days = {str(FIRST_CHAT + n): s.story.date for n, s in enumerate(STORIES) if s.story.date}
    per_chat_nlu = PerChatNlu(nlu)

    def core(store: SqliteStore) -> Conversation:
        base = build_conversation(store=store, nlu=nlu)
        shared = {f.name: getattr(base, f.name) for f in fields(base)}
        return PerChatCore(**{**shared, "nlu": per_chat_nlu,
                              "today": lambda: days.get(CHAT.get() or "") or base.today()})

    # Both paces are Telegram's, not the core's: a test types faster than a person (flood
    # control), and the rate limiter's 30 messages a second for all chats together would
    # make this test last well over a minute and a half.
    patient = FloodGuard(burst=1000)
    gate = asyncio.Semaphore(AT_ONCE)
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu,
                                                     flood=patient, core=core,
                                                     overall_limit=False):
        outbox = Outbox(fake)
        watching = asyncio.create_task(outbox.watch())

        async def one(number: int, loaded: LoadedStory, playback: Playback) -> str | None:
            async with gate:
                return await replay_on_telegram(fake, outbox, per_chat_nlu,
                                                FIRST_CHAT + number, loaded,
                                                replayable(playback))

        try:
            found = await asyncio.gather(*(one(n, s, p) for n, (s, p)
                                           in enumerate(zip(STORIES, playbacks, strict=True))))
            await asyncio.sleep(GRACE)
        finally:
            watching.cancel()
        outbox.read()
    for number, (loaded, playback, difference) in enumerate(
            zip(STORIES, playbacks, found, strict=True)):
        expected = sum(len(telegram_messages(s.replies)) for s in replayable(playback))
        extra = late(outbox, FIRST_CHAT + number, expected)
        if difference is None and extra:
            difference = f"after the last step, more messages: {extra!r}"
        if difference is not None:
            differences.append(f"{loaded.path.name}: {loaded.story.story}\n  {difference}")
    assert not differences, (f"{len(differences)} of {len(STORIES)} stories differ:\n"
                             + "\n".join(differences[:20]))
