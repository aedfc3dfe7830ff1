"""The real python-telegram-bot Application, over real HTTP, against the fake Bot API."""

from __future__ import annotations

import datetime as dtm
import os
import signal
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

from bot.app import build_conversation
from bot.channels.telegram import split_text
from bot.nlu.embedded import EmbeddedNlu
from bot.store import SqliteStore
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

ROOT = Path(__file__).parents[3]
CHAT = 4242


async def say(fake: FakeTelegram, text: str, lang: str = "fr", chat: int = CHAT) -> list[str]:
    before = len(fake.sent_texts(chat))
    fake.send_text(chat, text, language_code=lang)
    await fake.wait_for("sendMessage", chat_id=chat, count=before + 1)
    await _settle(fake, chat)
    return fake.sent_texts(chat)[before:]


async def press(fake: FakeTelegram, label_part: str, chat: int = CHAT) -> list[str]:
    # a person reads the answer before pressing: faster than 8 updates in 2 s is a flood
    # (bot/flood.py), which a stuck client makes and a person does not
    await _sleep(0.3)
    rows = fake.buttons(chat)
    labels = [label for row in rows for label in row]
    found = [label for label in labels if label_part.lower() in label.lower()]
    assert found, f"no button with {label_part!r} in {labels}"
    before = len(fake.sent_texts(chat))
    answered = len(fake.calls("answerCallbackQuery"))
    fake.press_button(chat, found[0])
    await fake.wait_for("answerCallbackQuery", count=answered + 1)
    await fake.wait_for("sendMessage", chat_id=chat, count=before + 1)
    await _settle(fake, chat)
    return fake.sent_texts(chat)[before:]


async def _settle(fake: FakeTelegram, chat: int) -> None:
    """Wait until the bot has stopped sending (a reply may be several messages)."""
    count = -1
    while count != len(fake.sent_texts(chat)):
        count = len(fake.sent_texts(chat))
        await _sleep(0.15)


async def _sleep(seconds: float) -> None:
    import asyncio

    await asyncio.sleep(seconds)


async def test_eligibility_by_buttons_in_french(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        welcome = await say(fake, "/start", "fr")
        assert "France Travail" in welcome[0]
        await press(fake, "Puis-je m'inscrire")
        # a refugee's residence card always allows work: the summary comes without asking
        for label in ["Oui", "Oui", "Oui", "Mon adresse", "Réfugié", "Titre de séjour"]:
            await press(fake, label)
        summary = fake.sent_texts(CHAT)[-1]
        assert "Réfugié" in summary
        assert "Autorise à travailler" not in summary
        decision = await press(fake, "c'est juste")
        assert any("inscrire" in text for text in decision)
        # every press was answered, so no spinner is left turning
        assert len(fake.calls("answerCallbackQuery")) == 8
        # the pressed messages lost their stale buttons
        assert fake.calls("editMessageReplyMarkup")


async def test_free_text_in_english_and_right_to_left_arabic(tmp_path: Path,
                                                             nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        replies = await say(fake, "I forgot my password, how can I get it back?", "en")
        assert any("password" in text.lower() for text in replies)
        arabic = await say(fake, "/start", "ar", chat=77)
        assert any("\u0600" <= c <= "\u06ff" for c in arabic[0])  # Arabic script
        monthly = await press(fake, "📅" if False else "🗓️", chat=77)
        text = "\n".join(monthly)
        assert "\u2068" in text  # dates and numbers isolated inside the Arabic sentences
        assert "2026" in text


async def test_deep_links_choose_language_and_topic(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        replies = await say(fake, "/start lang_uk", "fr")
        assert any("France Travail" in text for text in replies)
        assert any("\u0400" <= c <= "\u04ff" for c in replies[0])  # Ukrainian, not French
        topic = await say(fake, "/start topic_documents", "en", chat=78)
        assert fake.buttons(78), topic
        assert any("situation" in text.lower() for text in topic)


async def test_non_text_messages_get_a_kind_answer(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "en")
        for kind in ("voice", "photo", "sticker", "document", "location"):
            before = len(fake.sent_texts(CHAT))
            fake.send_non_text(CHAT, kind, language_code="en")
            await fake.wait_for("sendMessage", chat_id=CHAT, count=before + 1)
            await _settle(fake, CHAT)
            assert "I can only read text" in fake.sent_texts(CHAT)[before]


async def test_secret_is_deleted_and_explained(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "en")
        replies = await say(fake, "Azerty123!", "en")
        assert "Never send it here" in replies[0]
        deleted = await fake.wait_for("deleteMessage", chat_id=CHAT)
        assert deleted[0].ok


async def test_forget_deletes_everything_after_confirmation(tmp_path: Path,
                                                            nlu: EmbeddedNlu) -> None:
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake, running_guide(fake, db, nlu) as running:
        await say(fake, "/start", "en")
        await press(fake, "Can I register")
        assert (await running.store.load(str(CHAT))).flow == "eligibility"
        await say(fake, "/forget", "en")
        done = await press(fake, "Yes, delete all")
        assert "deleted everything" in done[0]
    store = SqliteStore.open(db)
    try:
        state = await store.load(str(CHAT))
        assert state.lang is None and state.flow is None and state.answers == {}
    finally:
        store.close()


async def test_command_menu_in_every_language(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu) as running:
        # the commands /help lists (dialogues/_global.yml), /privacy among them
        listed = running.conversation.dialogues.config.commands
        assert "privacy" in listed
        for lang in ("fr", "en", "ar", "fa", "ps", "ru", "uk", "ti"):
            names = [c["command"] for c in fake.commands(lang)]
            assert names == listed
        assert [c["command"] for c in fake.commands()] == listed
        assert fake.commands("en")[listed.index("menu")]["description"] == "See the topics"
        assert fake.commands("en")[listed.index("restart")]["description"] == (
            "Start this topic again")


async def test_the_menu_puts_two_short_topics_on_a_row(tmp_path: Path,
                                                         nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "en")
        rows = fake.buttons(CHAT)
        assert ["🌐 Language", "❓ Help"] in rows
        assert any(len(row) == 2 for row in rows[:-1])  # topics too, not only the last row
        assert sum(len(row) for row in rows) > len(rows)
        assert all("Menu" not in label for row in rows for label in row)


async def test_state_survives_a_restart(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake:
        async with running_guide(fake, db, nlu):
            await say(fake, "/start", "en")
            await press(fake, "Can I register")
            await press(fake, "Yes")
        async with running_guide(fake, db, nlu):
            replies = await press(fake, "Yes")  # the age question, still on screen
            assert any("work" in text.lower() for text in replies)


def test_long_texts_are_split_between_words() -> None:
    text = ("mot " * 3000).strip()
    pieces = split_text(text, 4096)
    assert all(len(p) <= 4096 for p in pieces)
    assert " ".join(pieces) == text
    assert split_text("court") == ["court"]


def test_kill_9_in_the_middle_of_a_flow(tmp_path: Path) -> None:
    """`guide telegram` as a subprocess, killed with SIGKILL mid-flow, then started again."""
    db = tmp_path / "state.db"
    with FakeTelegram() as fake:
        env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token,
               "TELEGRAM_API_BASE_URL": fake.base_url, "GUIDE_STATE_URL": f"sqlite:///{db}",
               "GUIDE_CACHE_DIR": str(ROOT / ".cache")}

        def start() -> subprocess.Popen[bytes]:
            return subprocess.Popen([sys.executable, "-m", "bot", "telegram"], cwd=ROOT,
                                    env=env, stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)

        bot = start()
        try:
            fake.send_text(CHAT, "/start", language_code="en")
            fake.wait_for_sync("sendMessage", chat_id=CHAT, timeout=120)
            time.sleep(0.5)
            fake.press_button(CHAT, next(label for row in fake.buttons(CHAT) for label in row
                                         if "Can I register" in label))
            sent = len(fake.sent_texts(CHAT))
            fake.wait_for_sync("sendMessage", chat_id=CHAT, count=sent + 1, timeout=30)
            assert "looking for a job" in fake.sent_texts(CHAT)[-1]
        finally:
            bot.send_signal(signal.SIGKILL)
            bot.wait(timeout=10)
        bot = start()
        try:
            sent = len(fake.sent_texts(CHAT))
            fake.send_text(CHAT, "yes", language_code="en")
            # the question killed just after Telegram took it may come once more first (the
            # outbox sends at least once: README, "Delivery"); the answer to "yes" follows
            deadline = time.monotonic() + 120
            while not any("16 or older" in t for t in fake.sent_texts(CHAT)[sent:]):
                assert time.monotonic() < deadline, fake.sent_texts(CHAT)[sent:]
                time.sleep(0.1)
            assert sum("16 or older" in t for t in fake.sent_texts(CHAT)[sent:]) == 1
        finally:
            bot.send_signal(signal.SIGTERM)
            bot.wait(timeout=20)


async def test_a_flood_gets_one_polite_answer_and_others_are_served(tmp_path: Path,
                                                                    nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "en")
        before = len(fake.sent_texts(CHAT))
        for number in range(30):
            fake.send_text(CHAT, f"hello {number}", language_code="en")
        other = await say(fake, "hello", "en", chat=99)
        assert other, "another user still gets an answer"
        await _settle(fake, CHAT)
        burst = fake.sent_texts(CHAT)[before:]
        assert sum("sending many messages" in text for text in burst) == 1
        assert len(burst) < 20, burst  # not thirty answers


async def test_monthly_reminders_are_stored_sent_once_and_survive_a_restart(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    from zoneinfo import ZoneInfo

    from bot.reminders import next_monthly, send_due

    paris = ZoneInfo("Europe/Paris")
    db = tmp_path / "s.db"
    opening = dtm.datetime(2026, 11, 28, 10, 1, tzinfo=paris)
    async with FakeTelegram() as fake:
        async with running_guide(fake, db, nlu, reminders=True) as running:
            store, conversation = running.store, running.conversation
            await say(fake, "/start", "uk")
            await say(fake, "/reminders", "uk")
            await press(fake, "🔔")
            pending = await store.pending_reminders(str(CHAT))
            assert [(r.kind, r.due_at) for r in pending] == [
                (kind, when.astimezone(dtm.UTC)) for kind, when, _ in next_monthly(
                    date(2026, 11, 27))]
            before = len(fake.sent_texts(CHAT))
            assert await send_due(store, conversation, running.send, opening) == 1
            reminder = fake.sent_texts(CHAT)[before]
            assert "15 грудня 2026" in reminder  # the user's language, with the deadline
            assert await send_due(store, conversation, running.send, opening) == 0  # not twice
        # after a restart: the same reminder is not sent again, the next one is
        store = SqliteStore.open(db)
        try:
            again = build_conversation(store=store, nlu=nlu, today=lambda: date(2026, 11, 28))

            sent: list[str] = []

            async def record(chat_id: int, text: str) -> object:
                sent.append(text)
                return None

            assert await send_due(store, again, record, opening) == 0
            soon = dtm.datetime(2026, 12, 12, 10, 1, tzinfo=paris)
            assert await send_due(store, again, record, soon) == 1
            # and the following month is scheduled
            kinds = [r.kind for r in await store.pending_reminders(str(CHAT))]
            assert kinds == ["monthly_open", "monthly_soon"]
            # opting out cancels them
            state = await store.load(str(CHAT))
            state.answers["remind_monthly"] = False
            await store.save(state)
            from bot.reminders import sync_monthly

            await sync_monthly(store, str(CHAT), date(2026, 12, 13))
            assert await store.pending_reminders(str(CHAT)) == []
        finally:
            store.close()


async def test_appointment_reminder_the_day_before(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    from zoneinfo import ZoneInfo

    from bot.reminders import send_due

    paris = ZoneInfo("Europe/Paris")
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu,
                                                     reminders=True) as running:
        store, conversation = running.store, running.conversation
        await say(fake, "/start", "en")
        await say(fake, "/reminders", "en")
        await press(fake, "No, stop")
        await press(fake, "Yes, remind me")
        done = await say(fake, "my rdv is 12/01", "en")
        assert any("January 12, 2027" in text for text in done)
        [reminder] = await store.pending_reminders(str(CHAT))
        assert reminder.kind == "appointment"
        assert reminder.due_at == dtm.datetime(2027, 1, 11, 10, 0, tzinfo=paris)
        early = dtm.datetime(2027, 1, 10, 12, 0, tzinfo=paris)
        assert await send_due(store, conversation, running.send, early) == 0
        due = dtm.datetime(2027, 1, 11, 10, 0, tzinfo=paris)
        assert await send_due(store, conversation, running.send, due) == 1
        assert "tomorrow, January 12, 2027" in fake.sent_texts(CHAT)[-1]


def test_dates_typed_day_first() -> None:
    from bot.conversation import parse_date

    today = date(2026, 11, 27)
    assert parse_date("12/01", today) == date(2027, 1, 12)
    assert parse_date("le 3.12", today) == date(2026, 12, 3)
    assert parse_date("12-01-2027", today) == date(2027, 1, 12)
    assert parse_date("2027-01-12", today) == date(2027, 1, 12)
    assert parse_date("31/02", today) is None
    assert parse_date("demain", today) is None
