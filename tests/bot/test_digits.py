"""Digits of every kind typed where a button number or a number is read: never a crash.

str.isdigit() accepts "²", "①" and the Ethiopic "፩" (Tigrinya users type them) that int()
refuses, and int() refuses more than 4,300 digits: each once crashed the handler.
"""

from __future__ import annotations

import itertools
from datetime import date

import pytest

from bot import payloads
from bot.app import build_conversation
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.nlu.embedded import EmbeddedNlu
from bot.numbers import parse_number
from bot.state import MemoryStore

_users = itertools.count()


@pytest.fixture(scope="module")
def conversation(nlu: EmbeddedNlu) -> Conversation:
    # one core for the module (building it is most of a test's time), a new user per test
    return build_conversation(store=MemoryStore(), nlu=nlu, today=lambda: date(2026, 11, 27),
                              default_lang="en")


@pytest.fixture
def user() -> str:
    return f"user{next(_users)}"

# numbers past int()'s limit of 4,300 digits
HUGE = ["7" * 5000, "٣" * 5000, "1 " + "9" * 4400, "7" * 5000 + ",5"]
# not decimal digits (No, Nl), decimal digits of other scripts (Nd), and the huge ones
ODD = ["²", "①", "፩", "፲፪", "Ⅻ", "3²", "𝟕", "७", *HUGE]


async def _reach_age_question(conversation: Conversation, user: str) -> None:
    # the allowance topic, dismissal, within the deadline: "How old are you?"
    for typed in ("/start", "/menu"):
        await conversation.handle(Incoming(user, text=typed))
    await conversation.handle(Incoming(user, data=payloads.pack(payloads.Goto("allowance"))))
    for typed in ("1", "1"):
        await conversation.handle(Incoming(user, text=typed))
    state = await conversation.store.load(user)
    assert (state.flow, state.step) == ("allowance", "age")


@pytest.mark.parametrize("typed", ODD)
async def test_odd_digits_at_the_menu_are_answered(
        conversation: Conversation, user: str, typed: str) -> None:
    await conversation.handle(Incoming(user, text="/start"))
    result = await conversation.handle(Incoming(user, text=typed))
    assert result.replies and all(r.text for r in result.replies)


@pytest.mark.parametrize("typed", ODD)
async def test_odd_digits_at_a_number_question_are_answered(
        conversation: Conversation, user: str, typed: str) -> None:
    await _reach_age_question(conversation, user)
    result = await conversation.handle(Incoming(user, text=typed))
    assert result.replies and all(r.text for r in result.replies)


@pytest.mark.parametrize("typed", HUGE)
async def test_a_huge_number_at_a_number_question_keeps_the_place(
        conversation: Conversation, user: str, typed: str) -> None:
    await _reach_age_question(conversation, user)
    result = await conversation.handle(Incoming(user, text=typed))
    assert result.replies[-1].keys[-1] == "allowance.q.age"
    state = await conversation.store.load(user)
    assert (state.flow, state.step) == ("allowance", "age")


async def test_a_number_in_another_script_still_answers(
        conversation: Conversation, user: str) -> None:
    await _reach_age_question(conversation, user)
    await conversation.handle(Incoming(user, text="٣٠"))  # 30 in Arabic-Indic digits
    state = await conversation.store.load(user)
    assert state.step != "age"


@pytest.mark.parametrize("data", ["o:allowance.age:²", "o:allowance.age:፩", "n:allowance.age:²",
                                  "n:allowance.age:①", "o:allowance.age:" + "9" * 40])
async def test_made_up_button_data_with_odd_digits_is_a_stale_button(
        conversation: Conversation, user: str, data: str) -> None:
    await _reach_age_question(conversation, user)
    result = await conversation.handle(Incoming(user, data=data))
    assert result.replies


def test_parse_number_of_a_huge_number_does_not_raise() -> None:
    assert parse_number("7" * 5000) is not None
    assert parse_number("I am ³ years") is None
