"""Usage counts: written by real conversations through the core into the real SQLite file,
per day, topic, language and what, and nothing that names a person (issue 11)."""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest

from bot.app import build_conversation
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.nlu.embedded import EmbeddedNlu
from bot.payloads import Command, Feedback, Goto, Option, pack
from bot.store import SqliteStore

TODAY = date(2026, 11, 27)
USER = "secret-user-8127"


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SqliteStore]:
    opened = SqliteStore.open(tmp_path / "state.db")
    yield opened
    opened.close()


def core(store: SqliteStore, nlu: EmbeddedNlu, on: date = TODAY) -> Conversation:
    return build_conversation(store=store, nlu=nlu, today=lambda: on, usage=store)


async def totals(store: SqliteStore) -> dict[tuple[str, str, str, str, str], int]:
    return {(c.day.isoformat(), c.topic, c.lang, c.what, c.step): c.n
            for c in await store.usage_counts(date(2000, 1, 1))}


async def press(conversation: Conversation, data: str, user: str = USER) -> None:
    await conversation.handle(Incoming(user, data=data))


async def say(conversation: Conversation, text: str, lang: str = "en",
              user: str = USER) -> None:
    await conversation.handle(Incoming(user, text=text, language_hint=lang))


async def test_a_topic_started_ended_and_rated(store: SqliteStore, nlu: EmbeddedNlu) -> None:
    conversation = core(store, nlu)
    await say(conversation, "/start", "uk")
    await press(conversation, pack(Goto("reschedule")))
    await press(conversation, pack(Option("reschedule.missed", 1)))
    await press(conversation, pack(Feedback("reschedule", up=True)))
    await press(conversation, pack(Feedback("reschedule", up=False)))  # an old keyboard
    await press(conversation, pack(Goto("reschedule")))  # again: no question, still counted
    assert await totals(store) == {
        ("2026-11-27", "reschedule", "uk", "started", ""): 2,
        ("2026-11-27", "reschedule", "uk", "ended", ""): 1,
        ("2026-11-27", "reschedule", "uk", "up", ""): 1,
    }


async def test_leaving_a_question_is_counted_where_it_happens(
        store: SqliteStore, nlu: EmbeddedNlu) -> None:
    conversation = core(store, nlu)
    await say(conversation, "/start", "fr")
    await press(conversation, pack(Goto("eligibility")))
    await press(conversation, pack(Option("eligibility.looking", 0)))  # now at `age`
    await press(conversation, pack(Command("menu")))
    await press(conversation, pack(Command("resume")))  # "Continue": back at `age`
    await press(conversation, pack(Goto("documents")))  # another topic from a question
    await say(conversation, "/start", "fr")  # from documents' first question
    counted = await totals(store)
    assert counted[("2026-11-27", "eligibility", "fr", "left", "age")] == 2
    assert counted[("2026-11-27", "eligibility", "fr", "resumed", "age")] == 1
    documents_start = conversation.dialogues.flows["documents"].start
    assert counted[("2026-11-27", "documents", "fr", "left", documents_start)] == 1
    # answering, Back and Restart stay in the flow: no leave
    assert sum(n for key, n in counted.items() if key[3] == "left") == 3


async def test_typed_messages_understood_or_not_per_language(
        store: SqliteStore, nlu: EmbeddedNlu) -> None:
    conversation = core(store, nlu)
    await say(conversation, "/start", "en")  # a command: not a sentence to read
    await say(conversation, "what papers do I need to register")
    conversation.thresholds.act = 1.01  # the real model, made unsure on purpose
    await say(conversation, "I missed my appointment yesterday")  # "Do you mean …?"
    conversation.thresholds.guess = 1.01
    await say(conversation, "I missed my appointment yesterday")  # "say it another way"
    await say(conversation, "j'ai perdu mon mot de passe", user="other", lang="fr")
    counted = await totals(store)
    assert {k: n for k, n in counted.items() if k[1] == ""} == {
        ("2026-11-27", "", "en", "understood", ""): 1,
        ("2026-11-27", "", "en", "guessed", ""): 1,
        ("2026-11-27", "", "en", "not_understood", ""): 1,
        ("2026-11-27", "", "fr", "not_understood", ""): 1,
    }


async def test_counts_name_no_person_and_keep_no_words(
        tmp_path: Path, store: SqliteStore, nlu: EmbeddedNlu) -> None:
    conversation = core(store, nlu)
    typed = "what papers do I need to register"
    await say(conversation, typed)
    await press(conversation, pack(Command("menu")))
    with sqlite3.connect(tmp_path / "state.db") as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(usage_counts)")]
        rows = conn.execute("SELECT * FROM usage_counts").fetchall()
    conn.close()
    assert columns == ["day", "topic", "lang", "what", "step", "n"]
    assert rows
    for row in rows:
        for value in row:
            assert USER not in str(value) and str(value) not in typed.split()


async def test_counts_stay_after_the_user_is_forgotten(
        store: SqliteStore, nlu: EmbeddedNlu) -> None:
    conversation = core(store, nlu)
    await say(conversation, "/start", "ar")
    await press(conversation, pack(Goto("what_is_france_travail")))
    await press(conversation, pack(Command("forget_yes")))
    assert (await store.load(USER)).feedback == {}
    assert (await totals(store))[("2026-11-27", "what_is_france_travail", "ar", "ended", "")] \
        == 1


async def test_each_day_is_counted_apart(store: SqliteStore, nlu: EmbeddedNlu) -> None:
    for day in (date(2026, 11, 27), date(2026, 11, 28), date(2026, 11, 28)):
        await press(core(store, nlu, day), pack(Goto("contact")), user=f"u{day}")
    started = {k[0]: n for k, n in (await totals(store)).items() if k[3] == "started"}
    assert started == {"2026-11-27": 1, "2026-11-28": 2}
