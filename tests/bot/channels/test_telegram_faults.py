"""The real guide over real HTTP while the fake Bot API misbehaves: every message still gets
its whole answer, once, in order.

Each test plays the same short conversation and compares what the user received with what
the conversation core answers the same inputs (the texts Telegram must get when nothing goes
wrong). The conversation ends with /menu: the guide handles a chat's updates one at a time,
so once that answer is there every earlier send, retry included, is over, and a late double
would already show.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import date
from pathlib import Path

import pytest

from bot.app import build_conversation
from bot.channels.telegram import sends_of
from bot.flood import FloodGuard
from bot.messages import Incoming
from bot.nlu.embedded import EmbeddedNlu
from bot.state import MemoryStore
from tests.helpers.fake_telegram import FakeTelegram, RecordedCall
from tests.helpers.guide import running_guide

CHAT = 5151
TODAY = date(2026, 11, 27)
# (kind, value): a text the user writes, or the callback data of a button they press
Step = tuple[str, str]
STEPS: list[Step] = [
    ("text", "/start"),
    ("press", "g:monthly_update"),
    ("text", "j'ai oublié mon mot de passe"),
    ("press", "c:menu"),
    ("text", "domiciliation"),
    ("text", "/menu"),
]
# a test types faster than a person: flood control is not what is tested here
PATIENT = FloodGuard(burst=1000)


async def expected_answers(nlu: EmbeddedNlu, steps: list[Step] = STEPS) -> list[list[str]]:
    """Per step, the texts the guide sends for it when nothing fails."""
    core = build_conversation(store=MemoryStore(), nlu=nlu, today=lambda: TODAY)
    answers = []
    for kind, value in steps:
        incoming = (Incoming("u", data=value, language_hint="fr") if kind == "press"
                    else Incoming("u", text=value, language_hint="fr"))
        answers.append([text for text, _, _ in sends_of(await core.handle(incoming))])
    return answers


class User:
    """Plays the steps in the fake, one after the other, each once its answer is complete."""

    def __init__(self, fake: FakeTelegram, answers: list[list[str]]) -> None:
        self.fake = fake
        self.answers = answers
        self.done = 0

    def act(self, step: Step) -> None:
        kind, value = step
        if kind == "press":
            self.fake.press(CHAT, value, language_code="fr")
        else:
            self.fake.send_text(CHAT, value, language_code="fr")

    async def play(self, index: int, timeout: float = 5.0) -> list[RecordedCall]:
        """Step `index`; returns the sendMessage calls carried out for it."""
        self.act(STEPS[index])
        return await self.answered(index, timeout)

    async def answered(self, index: int, timeout: float = 5.0) -> list[RecordedCall]:
        count = sum(len(a) for a in self.answers[:index + 1])
        calls = await self.fake.wait_for("sendMessage", chat_id=CHAT, count=count,
                                         timeout=timeout)
        return calls[count - len(self.answers[index]):]

    async def play_until(self, stop: int) -> None:
        for index in range(self.done, stop):
            await self.play(index)
        self.done = stop

    def received(self) -> list[str]:
        return self.fake.sent_texts(CHAT)


@asynccontextmanager
async def played_until(tmp_path: Path, nlu: EmbeddedNlu,
                       at: int) -> AsyncIterator[tuple[FakeTelegram, User]]:
    """The guide running, with the user's first `at` steps played and answered."""
    answers = await expected_answers(nlu)
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu, TODAY,
                                                     flood=PATIENT):
        user = User(fake, answers)
        await user.play_until(at)
        yield fake, user


async def run(tmp_path: Path, nlu: EmbeddedNlu, at: int,
              fault: Callable[[FakeTelegram], None]) -> tuple[FakeTelegram, list[list[str]]]:
    """Plays the steps with `fault` set just before step `at`; checks every answer arrived
    whole, once and in order."""
    async with played_until(tmp_path, nlu, at) as (fake, user):
        fault(fake)
        await user.play_until(len(STEPS))
        assert user.received() == [text for answer in user.answers for text in answer]
    return fake, user.answers


def sends(fake: FakeTelegram) -> list[int | None]:
    return [c.status for c in fake.calls("sendMessage", chat_id=CHAT)]


def first_send(answers: list[list[str]], step: int) -> int:
    """The index, among the sendMessage calls, of the first one for `step` (no fault before)."""
    return sum(len(a) for a in answers[:step])


async def test_429_on_send_message_waits_and_the_answer_arrives_once(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    fake, answers = await run(tmp_path, nlu, at=2, fault=lambda fake: fake.fail_next(
        "sendMessage", status=429, retry_after=1))
    at = first_send(answers, 2)
    statuses = sends(fake)
    assert statuses.count(429) == 1 and statuses[at] == 429
    refused, retried = fake.calls("sendMessage", chat_id=CHAT)[at:at + 2]
    assert retried.time - refused.time >= 1.0


@pytest.mark.parametrize("times", [1, 2])
async def test_500_on_send_message_is_retried_and_the_answer_arrives_once(
        tmp_path: Path, nlu: EmbeddedNlu, times: int) -> None:
    fake, answers = await run(tmp_path, nlu, at=2, fault=lambda fake: fake.fail_next(
        "sendMessage", status=500, times=times))
    at = first_send(answers, 2)
    assert sends(fake)[at:at + times + 1] == [500] * times + [200]


@pytest.mark.parametrize("kind", ["500", "drop", "drop after processing"])
async def test_a_failed_get_updates_is_polled_again_and_the_update_answered_once(
        tmp_path: Path, nlu: EmbeddedNlu, kind: str) -> None:
    async with played_until(tmp_path, nlu, 2) as (fake, user):
        answers = user.answers
        mark = fake.mark()
        if kind == "500":
            fake.fail_next("getUpdates", status=500)
        else:
            fake.drop_next("getUpdates", after_processing=kind == "drop after processing")
        # the poll that meets the fault is on its way (parked, "after processing"): the user
        # writes now, so the update is pending while it fails
        faulty = (await fake.wait_for("getUpdates", since=mark, include_failed=True,
                                      timeout=3))[0]
        user.act(STEPS[2])
        await user.answered(2)
        user.done = 3
        await user.play_until(len(STEPS))
        assert user.received() == [text for answer in answers for text in answer]
        assert faulty.fault == ("fail" if kind == "500" else "drop")
        if kind == "drop after processing":
            # Telegram handed the update out, the bot never saw it: it came again, once
            [update] = faulty.result
            assert update["message"]["text"] == STEPS[2][1]
            again = [c for c in fake.calls("getUpdates", since=faulty.index + 1)
                     if c.ok and update in c.result]
            assert len(again) == 1


async def test_a_dropped_answer_callback_query_loses_only_the_spinner_stop(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    fake, _ = await run(tmp_path, nlu, at=3, fault=lambda fake: fake.drop_next(
        "answerCallbackQuery"))
    answered = fake.calls("answerCallbackQuery")
    # two presses, one answer each: the dropped one is not sent again (it may have arrived)
    assert [c.fault for c in answered] == [None, "drop"]


@pytest.mark.parametrize(("seconds", "at_least"), [(1.5, 1.5), (6.5, 5.5)])
async def test_slow_get_updates_delays_the_answers_but_each_comes_once(
        tmp_path: Path, nlu: EmbeddedNlu, seconds: float, at_least: float) -> None:
    """1.5 s: within PTB's read timeout for a long poll (5 s + the poll's 1 s). 6.5 s: beyond
    it, so PTB gives up on that poll and polls again, while the fake still carries the slow
    one out later, as Telegram would."""
    async with played_until(tmp_path, nlu, 2) as (fake, user):
        answers = user.answers
        mark = fake.mark()
        fake.delay_next("getUpdates", seconds)
        slow = (await fake.wait_for("getUpdates", since=mark, include_failed=True,
                                    timeout=3))[0]
        user.act(STEPS[2])
        user.act(STEPS[3])
        first = (await user.answered(2, timeout=seconds + 5))[0]
        await user.answered(3)
        user.done = 4
        await user.play_until(len(STEPS))
        assert user.received() == [text for answer in answers for text in answer]
        assert slow.fault == "delay"
        assert first.time - slow.time >= at_least
        later = [c for c in fake.calls("getUpdates", since=slow.index + 1) if c.ok and c.result]
        if seconds < 6:  # the slow poll brought both messages
            assert len(slow.result) == 2
        else:  # its answer came too late for anyone: the next poll brought them
            assert len(later[0].result) == 2


async def test_a_send_lost_after_telegram_sent_it_arrives_again_and_the_bot_goes_on(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    """The ambiguous case: Telegram sent the message but its answer was lost. The bot cannot
    tell this from a message that never arrived, and the Bot API has no idempotency key: the
    outbox sends it again, so the user gets it twice rather than never (README, "Delivery");
    every other answer still comes, once and in order."""
    async with played_until(tmp_path, nlu, 2) as (fake, user):
        fake.drop_next("sendMessage", after_processing=True)
        await user.play_until(len(STEPS))
        answers = user.answers
        lost = fake.calls("sendMessage", chat_id=CHAT)[first_send(answers, 2)]
        assert lost.fault == "drop" and lost.delivered
        expected = [text for answer in answers for text in answer]
        await fake.wait_for("sendMessage", chat_id=CHAT, count=len(expected) + 1)
        twice = first_send(answers, 2)
        assert user.received() == expected[:twice + 1] + expected[twice:]


async def test_a_piece_that_fails_does_not_take_the_rest_of_the_answer(
        nlu: EmbeddedNlu) -> None:
    from types import SimpleNamespace

    from telegram.error import BadRequest, Forbidden
    from telegram.ext import ExtBot

    from bot.channels.telegram import TelegramChannel
    from bot.conversation import Result
    from bot.messages import Reply

    core = build_conversation(store=MemoryStore(), nlu=nlu, today=lambda: TODAY)
    channel = TelegramChannel(core)
    answer = Result([Reply("one"), Reply("two"), Reply("three")])
    async with FakeTelegram() as fake:
        fake.add_chat(CHAT)
        async with ExtBot(fake.token, base_url=fake.base_url) as bot:
            context = SimpleNamespace(bot=bot)
            fake.fail_next("sendMessage", status=400, description="Bad Request: odd")
            with pytest.raises(BadRequest):  # still raised, for the log
                await channel._send(context, CHAT, answer)  # type: ignore[arg-type]
            assert fake.sent_texts(CHAT) == ["two", "three"]

            fake.block(CHAT)  # blocked: nothing more can reach them, so nothing is tried
            tried = len(fake.calls("sendMessage"))
            with pytest.raises(Forbidden):
                await channel._send(context, CHAT, answer)  # type: ignore[arg-type]
            assert len(fake.calls("sendMessage")) == tried + 1
