"""Shared fixtures: the trained NLU model once per session, a conversation per test."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.app import build_conversation, load_nlu
from bot.conversation import Conversation
from bot.nlu.embedded import EmbeddedNlu
from bot.state import MemoryStore


@pytest.fixture(scope="session")
def nlu() -> EmbeddedNlu:
    return load_nlu(progress=None)


@pytest.fixture
def make_conversation(nlu: EmbeddedNlu) -> Callable[..., Conversation]:
    def make(on: date = date(2026, 11, 27), lang: str = "fr") -> Conversation:
        return build_conversation(store=MemoryStore(), nlu=nlu, today=lambda: on,
                                  default_lang=lang)

    return make
