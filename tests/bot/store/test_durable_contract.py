"""The inbox and outbox contract every durable store keeps (`bot.store.durable`).

Parametrised by store: a PostgreSQL store adds its name to STORES and an opener to `_open`,
and must pass the same tests.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from bot.state import UserState
from bot.store import DurableSqliteStore, DurableStore, StoreError
from bot.store.durable import InboxItem
from bot.store.turns import open_turn
from bot.usage import Count

STORES = ["sqlite"]
NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

Opener = Callable[[], DurableStore]


def _opener(kind: str, tmp_path: Path) -> Opener:
    if kind == "sqlite":
        return lambda: DurableSqliteStore.open(tmp_path / "state.db", clock=lambda: NOW)
    raise AssertionError(kind)


@pytest.fixture(params=STORES)
def reopen(request: pytest.FixtureRequest, tmp_path: Path) -> Opener:
    """Opens the store again on the same data: what a restart sees."""
    return _opener(request.param, tmp_path)


@pytest.fixture
async def store(reopen: Opener) -> AsyncIterator[DurableStore]:
    opened = reopen()
    yield opened
    opened.close()


def item(update_id: int, chat: int | None = 1, text: str = "hi") -> InboxItem:
    return InboxItem(update_id, chat, {"update_id": update_id, "text": text})


async def test_kept_updates_survive_a_restart_in_order(reopen: Opener) -> None:
    store = reopen()
    await store.inbox_add([item(12), item(10), item(11, chat=2)])
    store.close()
    again = reopen()
    try:
        assert [i.update_id for i in await again.inbox_pending()] == [10, 11, 12]
        assert (await again.inbox_pending())[1] == item(11, chat=2)
    finally:
        again.close()


async def test_an_update_delivered_again_is_kept_once(store: DurableStore) -> None:
    assert await store.inbox_add([item(1), item(2)]) == [item(1), item(2)]
    assert await store.inbox_add([item(2), item(3)]) == [item(3)]
    with open_turn(1, "1") as turn:
        pass
    await store.finish_turn(turn)
    assert await store.inbox_add([item(1)]) == []  # done, and still recognised
    assert [i.update_id for i in await store.inbox_pending()] == [2, 3]


async def test_a_turn_writes_state_replies_and_done_at_once(store: DurableStore) -> None:
    await store.inbox_add([item(5, chat=7)])
    with open_turn(5, "7") as turn:
        state = await store.load("7")
        state.lang = "uk"
        await store.save(state)
        assert (await store.load("7")).lang == "uk"  # the turn sees its own save
        turn.send(7, "first", {"inline_keyboard": [[{"text": "a", "callback_data": "x"}]]})
        turn.send(7, "second")
    assert (await store.load("7")).lang is None  # nothing written before finish_turn
    assert await store.outbox_next(7) == []
    await store.finish_turn(turn)
    assert (await store.load("7")).lang == "uk"
    assert await store.inbox_pending() == []
    sent = await store.outbox_next(7)
    assert [(o.method, o.params["text"]) for o in sent] == [("sendMessage", "first"),
                                                            ("sendMessage", "second")]
    assert sent[0].params["reply_markup"]["inline_keyboard"][0][0]["callback_data"] == "x"


async def test_a_turn_that_cannot_be_written_writes_nothing(store: DurableStore) -> None:
    await store.inbox_add([item(5, chat=7)])
    with open_turn(5, "7") as turn:
        await store.save(UserState(user_id="7", lang="ar"))
        turn.send(7, "kept with the state")
        turn.out.append(turn.out[0].__class__(None, "sendMessage", {"text": "x"}))  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        await store.finish_turn(turn)
    assert (await store.load("7")).lang is None
    assert await store.outbox_next(7) == []
    assert [i.update_id for i in await store.inbox_pending()] == [5]


async def test_usage_counts_of_a_turn_are_written_with_it(store: DurableStore) -> None:
    """An update handled again after a crash (its turn never written) is counted once."""
    await store.inbox_add([item(5, chat=7)])
    counted = [Count(date(2026, 11, 27), "documents", "uk", "started"),
               Count(date(2026, 11, 27), "", "uk", "understood")]
    with open_turn(5, "7"):
        await store.count_usage(counted)
    assert await store.usage_counts(date(2026, 11, 1)) == []  # the process dies here
    with open_turn(5, "7") as turn:  # handled again after the restart
        await store.count_usage(counted)
    await store.finish_turn(turn)
    assert sorted(await store.usage_counts(date(2026, 11, 1)), key=str) == sorted(
        counted, key=str)
    with open_turn(6, "7") as turn:
        await store.count_usage(counted[:1])
    await store.finish_turn(turn)
    totals = {(c.topic, c.what): c.n for c in await store.usage_counts(date(2026, 11, 1))}
    assert totals == {("documents", "started"): 2, ("", "understood"): 1}


async def test_a_turn_that_cannot_be_written_counts_nothing(store: DurableStore) -> None:
    with open_turn(5, "7") as turn:
        await store.count_usage([Count(date(2026, 11, 27), "documents", "uk", "ended")])
        turn.send(7, "kept with the counts")
        turn.out.append(turn.out[0].__class__(None, "sendMessage", {"text": "x"}))  # type: ignore[arg-type]
    with pytest.raises(StoreError):
        await store.finish_turn(turn)
    assert await store.usage_counts(date(2026, 11, 1)) == []


async def test_usage_counts_outside_a_turn_are_written_at_once(store: DurableStore) -> None:
    await store.count_usage([Count(date(2026, 11, 27), "", "fr", "understood", n=3)])
    await store.count_usage([Count(date(2026, 11, 27), "", "fr", "understood")])
    assert await store.usage_counts(date(2026, 11, 27)) == [
        Count(date(2026, 11, 27), "", "fr", "understood", n=4)]
    assert await store.usage_counts(date(2026, 11, 28)) == []


async def test_forget_in_a_turn_deletes_state_and_reminders_with_it(
        store: DurableStore) -> None:
    await store.save(UserState(user_id="7", lang="fa"))
    await store.add_reminder("7", "appointment", NOW + timedelta(days=3))
    with open_turn(9, "7") as turn:
        await store.delete("7")
        assert (await store.load("7")).lang is None
        turn.send(7, "forgotten")
    assert (await store.load("7")).lang == "fa"
    await store.finish_turn(turn)
    assert (await store.load("7")).lang is None
    assert await store.pending_reminders("7") == []
    assert [o.params["text"] for o in await store.outbox_next(7)] == ["forgotten"]


async def test_other_users_are_written_at_once_during_a_turn(store: DurableStore) -> None:
    with open_turn(1, "7"):
        await store.save(UserState(user_id="8", lang="ru"))
    assert (await store.load("8")).lang == "ru"


async def test_outbox_is_sent_in_order_per_chat_and_survives_a_restart(reopen: Opener) -> None:
    store = reopen()
    for update_id, chat in ((1, 7), (2, 8), (3, 7)):
        with open_turn(update_id, str(chat)) as turn:
            turn.send(chat, f"reply {update_id}")
            turn.delete_message(chat, 40 + update_id)
        await store.finish_turn(turn)
    store.close()
    store = reopen()
    try:
        assert await store.outbox_chats() == [7, 8]
        seven = await store.outbox_next(7)
        assert [(o.method, o.params) for o in seven] == [
            ("sendMessage", {"text": "reply 1"}), ("deleteMessage", {"message_id": 41}),
            ("sendMessage", {"text": "reply 3"}), ("deleteMessage", {"message_id": 43})]
        await store.outbox_remove(seven[0].id)
        assert [o.id for o in await store.outbox_next(7, limit=2)] == [s.id for s in seven[1:3]]
        for o in seven[1:]:
            await store.outbox_remove(o.id)
        assert await store.outbox_chats() == [8]
    finally:
        store.close()


async def test_unreadable_updates_are_skipped_and_recognised(store: DurableStore) -> None:
    await store.inbox_add([item(4)])
    await store.inbox_skip([4, 6])
    assert await store.inbox_pending() == []
    assert await store.inbox_add([item(6)]) == []


async def test_handled_ids_are_forgotten_after_a_while(store: DurableStore) -> None:
    await store.inbox_add([item(1), item(2)])
    with open_turn(1, "1") as turn:
        pass
    await store.finish_turn(turn)
    assert await store.prune_inbox(timedelta(days=2), now=NOW + timedelta(days=1)) == 0
    assert await store.prune_inbox(timedelta(days=2), now=NOW + timedelta(days=3)) == 1
    assert [i.update_id for i in await store.inbox_pending()] == [2]  # pending: kept


async def test_what_people_wrote_is_dropped_once_handled(tmp_path: Path) -> None:
    import sqlite3

    store = DurableSqliteStore.open(tmp_path / "s.db")
    await store.inbox_add([item(1, text="my secret words")])
    with open_turn(1, "1") as turn:
        pass
    await store.finish_turn(turn)
    store.close()
    raw = sqlite3.connect(tmp_path / "s.db").execute("SELECT body FROM inbox").fetchall()
    assert raw == [(None,)]
