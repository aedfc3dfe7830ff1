"""What reaches the conversation (bot/channels/scope.py), with the real Application polling
the fake Bot API: groups and channels are told once and left, edits, bots and commands for
other bots are ignored, an album is one message, flood control goes by the message's date
and counts every kind of update."""

from __future__ import annotations

import itertools
import time
from pathlib import Path
from typing import Any

from bot.flood import FloodGuard
from bot.nlu.embedded import EmbeddedNlu
from tests.bot.channels.test_telegram_e2e import CHAT, _settle, say
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

GROUP = -100_555
MEMBER = 5555
_ids = itertools.count(900_000)
PRIVATE_ONLY = "conversation privée"


def message(chat: dict[str, Any], sender: dict[str, Any], text: str,
            sent: float | None = None, **extra: Any) -> dict[str, Any]:
    """A message as Telegram sends it (the fake's helpers build private ones only)."""
    body: dict[str, Any] = {"message_id": next(_ids), "from": sender, "chat": chat,
                            "date": int(time.time() if sent is None else sent), "text": text,
                            **extra}
    if text.startswith("/"):
        body["entities"] = [{"type": "bot_command", "offset": 0,
                             "length": len(text.split()[0])}]
    return body


def person(user_id: int = CHAT, is_bot: bool = False) -> dict[str, Any]:
    return {"id": user_id, "is_bot": is_bot, "first_name": "Test", "language_code": "fr"}


def private(chat_id: int = CHAT) -> dict[str, Any]:
    return {"id": chat_id, "type": "private", "first_name": "Test"}


async def test_a_group_is_told_once_and_left(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu) as bot:
        for text in ("/start", "j'ai perdu mon mot de passe", "bonjour"):
            fake.send_text(GROUP, text, user_id=MEMBER, chat_type="group")
        [left] = await fake.wait_for("leaveChat", chat_id=GROUP)
        await say(fake, "bonjour")  # the guide is still there for people in private
        await _settle(fake, GROUP)
        said = fake.sent_texts(GROUP)
        assert len(said) == 1 and PRIVATE_ONLY in said[0]
        assert left.ok
        assert (await bot.store.load(str(GROUP))).lang is None  # nothing stored for it


async def test_a_channel_post_is_not_answered_but_left(tmp_path: Path,
                                                       nlu: EmbeddedNlu) -> None:
    channel = {"id": -100_777, "type": "channel", "title": "news"}
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu) as bot:
        post = message(channel, person(), "bonjour")
        del post["from"]  # a channel post has no sender
        fake.inject({"channel_post": post})
        await fake.wait_for("leaveChat", chat_id=-100_777)
        assert (await bot.store.load("-100777")).lang is None
        assert all(PRIVATE_ONLY in t for t in fake.sent_texts(-100_777))


async def test_edits_bots_and_commands_for_other_bots_are_ignored(tmp_path: Path,
                                                                  nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu) as bot:
        await say(fake, "/start")
        before = len(fake.sent_texts(CHAT))
        edited = message(private(), person(), "mot de passe", edit_date=int(time.time()))
        fake.inject({"edited_message": edited})
        fake.inject({"message": message(private(), person(is_bot=True), "bonjour")})
        fake.inject({"message": message(private(), person(), "/start@other_bot")})
        fake.inject({"message": message(private(), person(), "/help@Test_Bot")})
        # the chat's updates are handled in order: once /help is answered, all were seen
        await fake.wait_for("sendMessage", chat_id=CHAT, count=before + 1)
        await _settle(fake, CHAT)
        replies = fake.sent_texts(CHAT)[before:]
        assert "/language" in "\n".join(replies)  # the help, nothing for the others:
        await say(fake, "/help")  # the same messages as a /help of its own
        await _settle(fake, CHAT)
        assert fake.sent_texts(CHAT)[before + len(replies):] == replies
        assert fake.bot_user()["username"].casefold() == "test_bot"
        assert (await bot.store.load(str(CHAT))).flow is None


async def test_an_album_gets_one_answer(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "en")
        before = len(fake.sent_texts(CHAT))
        for index in range(10):
            photo = [{"file_id": f"p{index}", "file_unique_id": f"u{index}", "width": 90,
                      "height": 90}]
            album = message(private(), person(), "", media_group_id="album-1", photo=photo)
            del album["text"]
            fake.inject({"message": album})
        await say(fake, "/menu", "en")
        replies = fake.sent_texts(CHAT)[before:]
        assert sum("I can only read text" in t for t in replies) == 1, replies


async def test_a_backlog_after_downtime_is_not_a_flood(tmp_path: Path,
                                                       nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake:
        # written over the last twenty minutes while the guide was down, delivered at once
        start = time.time() - 1200
        fake.add_chat(CHAT)
        texts = ["bonjour", "/menu", "mot de passe oublié", "inscription", "/help",
                 "merci", "bonjour", "/menu", "actualisation", "/help", "merci", "/menu"]
        for index, text in enumerate(texts):
            fake.inject({"message": message(private(), person(), text, start + index * 100)})
        async with running_guide(fake, tmp_path / "s.db", nlu):
            await fake.wait_for("sendMessage", chat_id=CHAT, count=len(texts), timeout=20)
            await _settle(fake, CHAT)
        replies = fake.sent_texts(CHAT)
        assert not any("beaucoup de messages" in t for t in replies)


async def test_stickers_and_presses_are_flood_controlled(tmp_path: Path,
                                                         nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu,
                                                     flood=FloodGuard()):
        await say(fake, "/start", "en")
        before = len(fake.sent_texts(CHAT))
        for _ in range(30):
            fake.send_non_text(CHAT, "sticker", language_code="en")
        await say(fake, "hello", "en", chat=99)  # someone else is served meanwhile
        await _settle(fake, CHAT)
        burst = fake.sent_texts(CHAT)[before:]
        assert sum("sending many messages" in t for t in burst) == 1, burst
        assert len(burst) < 15, burst

        await _wait_out_the_window()
        await say(fake, "/menu", "en")
        menu = fake.last_bot_message(CHAT)
        assert menu is not None
        data = fake.buttons(CHAT)  # labels; the callback data of the first button
        assert data
        keyboard = menu["reply_markup"]["inline_keyboard"]
        first = keyboard[0][0]["callback_data"]
        before = len(fake.sent_texts(CHAT))
        for _ in range(30):
            fake.press(CHAT, first, message_id=menu["message_id"], language_code="en",
                       check=False)
        await _settle(fake, CHAT)
        presses = fake.sent_texts(CHAT)[before:]
        assert sum("sending many messages" in t for t in presses) == 1, presses
        assert len(presses) < 30, presses
        # every press is answered, the ignored ones too: no spinner left turning
        await fake.wait_for("answerCallbackQuery", count=30)


async def _wait_out_the_window() -> None:
    import asyncio

    await asyncio.sleep(FloodGuard().window + 1.1)
