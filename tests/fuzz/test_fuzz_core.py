"""The conversation core under fuzzed turns: every turn answers, never raises, and the state
is saved each time (what the user saw is what the state says they saw)."""

from __future__ import annotations

import asyncio
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.app import build_conversation
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.nlu.embedded import EmbeddedNlu
from bot.state import MemoryStore
from tests.fuzz.strategies import BUDGET, LANGUAGE_HINTS, TYPED

USER = "fuzz"
# a turn: typed text, a press of one of the buttons on screen (by position), a made-up press,
# or a photo with or without a caption
TURN = st.one_of(
    st.tuples(st.just("text"), TYPED),
    st.tuples(st.just("press"), st.integers(min_value=0, max_value=30)),
    st.tuples(st.just("data"), st.text(max_size=70)),
    st.tuples(st.just("photo"), st.one_of(st.none(), TYPED)),
)


@pytest.fixture(scope="module")
def conversation(nlu: EmbeddedNlu) -> Conversation:
    return build_conversation(store=MemoryStore(), nlu=nlu, today=lambda: date(2026, 11, 27))


async def _play(conversation: Conversation, hint: str | None,
                turns: list[tuple[str, object]]) -> None:
    await conversation.store.delete(USER)
    shown: list[str] = []
    for kind, value in turns:
        if kind == "press":
            if not shown:
                continue
            incoming = Incoming(USER, data=shown[int(str(value)) % len(shown)],
                                language_hint=hint)
        elif kind == "data":
            incoming = Incoming(USER, data=str(value), language_hint=hint)
        elif kind == "photo":
            incoming = Incoming(USER, text=None if value is None else str(value), kind="photo",
                                language_hint=hint)
        else:
            incoming = Incoming(USER, text=str(value), language_hint=hint)
        result = await conversation.handle(incoming)
        assert result.replies and all(reply.text.strip() for reply in result.replies), incoming
        shown = [button.data for reply in result.replies for button in reply.buttons
                 if button.data is not None]  # a link button opens a page: not pressed
        state = await conversation.store.load(USER)
        if result.forgotten:
            assert state.lang is None  # deleted: a new user
        else:
            assert state.lang is not None and state.last_buttons == shown, incoming


@BUDGET
@given(hint=LANGUAGE_HINTS, turns=st.lists(TURN, min_size=1, max_size=6))
def test_every_turn_answers_and_saves(conversation: Conversation, hint: str | None,
                                      turns: list[tuple[str, object]]) -> None:
    asyncio.run(_play(conversation, hint, turns))
