"""Reminders go through the durable outbox: claimed and queued in one transaction, then sent
and retried like any reply. Before, a reminder was claimed, then sent once: an error of
Telegram's (or a crash) between the two lost it for good."""

from __future__ import annotations

import datetime as dtm
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.channels.telegram import reminder_queue
from bot.nlu.embedded import EmbeddedNlu
from bot.reminders import send_due
from bot.store import DurableSqliteStore
from tests.bot.channels.test_telegram_e2e import CHAT, press, say
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

PARIS = ZoneInfo("Europe/Paris")
OPENING = dtm.datetime(2026, 11, 28, 10, 1, tzinfo=PARIS)


async def test_a_reminder_refused_by_telegram_for_a_while_still_arrives(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu,
                                                     reminders=True) as running:
        # the bot's own reminder job would find the reminder due too (the test's days are in
        # the past) and could queue it first: this test drives send_due itself
        assert running.app.job_queue is not None
        for job in running.app.job_queue.jobs():
            job.schedule_removal()
        await say(fake, "/start", "uk")
        await say(fake, "/reminders", "uk")
        await press(fake, "🔔")
        before = len(fake.sent_texts(CHAT))
        # more failures than the rate limiter retries (3): a plain send gives up
        fake.fail_next("sendMessage", status=502, times=6, chat_id=CHAT)
        queue = reminder_queue(running.store, running.app)
        assert queue is not None
        assert await send_due(running.store, running.conversation, running.send, OPENING,
                              queue=queue) == 1
        await fake.wait_for("sendMessage", chat_id=CHAT, count=before + 1, timeout=30)
        assert "15 грудня 2026" in fake.sent_texts(CHAT)[before]
        # claimed: not sent twice
        assert await send_due(running.store, running.conversation, running.send, OPENING,
                              queue=queue) == 0


async def test_claimed_and_queued_in_one_step(tmp_path: Path) -> None:
    store = DurableSqliteStore.open(tmp_path / "s.db")
    try:
        due = dtm.datetime(2026, 12, 1, 9, 0, tzinfo=dtm.UTC)
        await store.add_reminder("7", "appointment", due, {})
        [reminder] = await store.due_reminders(due)
        assert await store.claim_into_outbox(reminder.id, 7, "rappel")
        assert await store.due_reminders(due) == []
        [queued] = await store.outbox_next(7)
        assert queued.method == "sendMessage" and queued.params["text"] == "rappel"
        assert not await store.claim_into_outbox(reminder.id, 7, "rappel")  # taken already
        assert len(await store.outbox_next(7)) == 1
    finally:
        store.close()
