"""The fake Telegram server against the real python-telegram-bot Application, over real HTTP."""

from __future__ import annotations

import datetime as dtm
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputFile,
    Update,
)
from telegram.error import BadRequest, Forbidden, NetworkError, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from tests.helpers.fake_telegram import NON_TEXT_KINDS, FakeTelegram, FakeTelegramTimeout

CHAT = 4242
KEYBOARD = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="yes"),
                                  InlineKeyboardButton("Non", callback_data="no")]])


@dataclass
class RunningBot:
    app: Application[Any, Any, Any, Any, Any, Any]
    errors: list[BaseException] = field(default_factory=list)


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None and update.effective_user is not None
    text = update.effective_message.text
    lang = update.effective_user.language_code
    await update.effective_message.reply_text(f"echo: {text} ({lang})", reply_markup=KEYBOARD)


async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.effective_message is not None
    await update.effective_message.reply_text(f"welcome {' '.join(context.args or [])}".strip())


async def non_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    assert message is not None
    kind = next(k for k in NON_TEXT_KINDS if getattr(message, k))
    await message.reply_text(f"got {kind}")


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("noted")
    await query.edit_message_text(f"pressed {query.data}")


@asynccontextmanager
async def running_bot(fake: FakeTelegram, *, rate_limiter: AIORateLimiter | None = None,
                      poll_timeout: float = 1.0,
                      read_timeout: float | None = None) -> AsyncIterator[RunningBot]:
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        Application.builder().token(fake.token).base_url(fake.base_url))
    if rate_limiter is not None:
        builder = builder.rate_limiter(rate_limiter)
    if read_timeout is not None:
        builder = builder.read_timeout(read_timeout)
    app = builder.build()
    bot = RunningBot(app)

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        assert context.error is not None
        bot.errors.append(context.error)

    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(~filters.TEXT, non_text))
    app.add_handler(CallbackQueryHandler(on_button))
    app.add_error_handler(on_error)
    async with app:
        await app.start()
        assert app.updater is not None
        await app.updater.start_polling(poll_interval=0.0,
                                        timeout=dtm.timedelta(seconds=poll_timeout))
        try:
            yield bot
        finally:
            await app.updater.stop()
            await app.stop()


async def test_echo_then_button_press_edits_the_message() -> None:
    async with FakeTelegram() as fake, running_bot(fake) as bot:
        user_message_id = fake.send_text(CHAT, "bonjour", language_code="uk")
        [call] = await fake.wait_for("sendMessage", chat_id=CHAT)
        assert call.ok and call.text == "echo: bonjour (uk)"
        assert call.reply_markup == {"inline_keyboard": [
            [{"text": "Oui", "callback_data": "yes"}, {"text": "Non", "callback_data": "no"}]]}
        assert call.result["message_id"] == user_message_id + 1
        assert fake.buttons(CHAT) == [["Oui", "Non"]]

        query_id = fake.press_button(CHAT, "Non")
        [answer] = await fake.wait_for("answerCallbackQuery")
        assert answer.params == {"callback_query_id": query_id, "text": "noted"}
        [edit] = await fake.wait_for("editMessageText", chat_id=CHAT)
        assert edit.params["message_id"] == user_message_id + 1
        last = fake.last_bot_message(CHAT)
        assert last is not None and last["text"] == "pressed no"
        assert "reply_markup" not in last  # edited without a keyboard: the keyboard is gone
        assert fake.sent_texts(CHAT) == ["echo: bonjour (uk)"]
        assert bot.errors == []
        # bootstrapping went through the fake too
        assert [c.ok for c in fake.calls("getMe")] == [True]
        assert fake.calls("deleteWebhook")


async def test_command_entity_and_non_text_messages() -> None:
    async with FakeTelegram() as fake, running_bot(fake) as bot:
        fake.send_text(CHAT, "/start now")
        await fake.wait_for("sendMessage", chat_id=CHAT)
        for kind in NON_TEXT_KINDS:
            fake.send_non_text(CHAT, kind)
        await fake.wait_for("sendMessage", chat_id=CHAT, count=1 + len(NON_TEXT_KINDS))
        assert fake.sent_texts(CHAT) == ["welcome now"] + [f"got {k}" for k in NON_TEXT_KINDS]
        assert bot.errors == []


async def test_429_is_retried_by_the_rate_limiter_and_arrives_once() -> None:
    async with FakeTelegram() as fake, \
            running_bot(fake, rate_limiter=AIORateLimiter(max_retries=2)) as bot:
        fake.fail_next("sendMessage", status=429, retry_after=1)
        fake.send_text(CHAT, "salut")
        await fake.wait_for("sendMessage", chat_id=CHAT, timeout=5)
        first, second = fake.calls("sendMessage")
        assert first.status == 429 and first.fault == "fail"
        assert first.error == {"ok": False, "error_code": 429,
                               "description": "Too Many Requests: retry after 1",
                               "parameters": {"retry_after": 1}}
        assert second.ok and second.time - first.time >= 1.0
        assert fake.sent_texts(CHAT) == ["echo: salut (fr)"]
        assert bot.errors == []


@pytest.mark.parametrize("with_rate_limiter", [False, True])
async def test_500_fails_one_update_and_the_bot_goes_on(with_rate_limiter: bool) -> None:
    limiter = AIORateLimiter(max_retries=2) if with_rate_limiter else None
    async with FakeTelegram() as fake, running_bot(fake, rate_limiter=limiter) as bot:
        fake.fail_next("sendMessage", status=500)
        fake.send_text(CHAT, "first")
        await fake.wait_for("sendMessage", chat_id=CHAT, include_failed=True)
        fake.send_text(CHAT, "second")
        await fake.wait_for("sendMessage", chat_id=CHAT)
        assert [c.status for c in fake.calls("sendMessage")] == [500, 200]
        assert fake.sent_texts(CHAT) == ["echo: second (fr)"]
        [error] = bot.errors
        assert isinstance(error, NetworkError) and "Internal Server Error" in str(error)


async def test_dropped_connections_are_network_errors_and_polling_recovers() -> None:
    async with FakeTelegram() as fake, running_bot(fake) as bot:
        fake.drop_next("sendMessage")
        fake.send_text(CHAT, "one")
        await fake.wait_for("sendMessage", include_failed=True)
        fake.drop_next("getUpdates")  # the poll after the one now waiting
        fake.send_text(CHAT, "two")
        await fake.wait_for("sendMessage", chat_id=CHAT)
        fake.send_text(CHAT, "three")  # fetched once PTB retried the dropped poll (~1 s)
        await fake.wait_for("sendMessage", chat_id=CHAT, count=2, timeout=4)
        assert fake.sent_texts(CHAT) == ["echo: two (fr)", "echo: three (fr)"]
        assert [c.fault for c in fake.calls("getUpdates") if c.fault] == ["drop"]
        [error] = bot.errors
        assert isinstance(error, NetworkError) and "RemoteProtocolError" in str(error)


async def test_slow_answer_times_out_but_telegram_still_sent_it() -> None:
    async with FakeTelegram() as fake, running_bot(fake, read_timeout=0.3) as bot:
        fake.delay_next("sendMessage", 0.8)
        fake.send_text(CHAT, "lent")
        [call] = await fake.wait_for("sendMessage", chat_id=CHAT, timeout=3)
        assert call.fault == "delay" and call.delivered
        assert fake.sent_texts(CHAT) == ["echo: lent (fr)"]
        [error] = bot.errors
        assert isinstance(error, TimedOut)


async def test_blocked_user_is_forbidden() -> None:
    async with FakeTelegram() as fake, running_bot(fake) as bot:
        fake.send_text(CHAT, "hello")
        await fake.wait_for("sendMessage", chat_id=CHAT)
        fake.block(CHAT)
        with pytest.raises(Forbidden, match="blocked by the user"):
            await bot.app.bot.send_message(CHAT, "reminder")
        fake.send_text(CHAT, "back")  # writing again means the user unblocked the bot
        await fake.wait_for("sendMessage", chat_id=CHAT, count=2)
        assert [c.status for c in fake.calls("sendMessage")] == [200, 403, 200]


async def test_long_poll_returns_as_soon_as_an_update_arrives() -> None:
    async with FakeTelegram() as fake, running_bot(fake, poll_timeout=10) as bot:
        await fake.wait_polling()
        injected_at = time.monotonic()
        fake.send_text(CHAT, "réveil")
        await fake.wait_for("sendMessage", chat_id=CHAT, timeout=2)
        assert time.monotonic() - injected_at < 1.0
        [poll] = [c for c in fake.calls("getUpdates") if c.ok and c.result]
        assert poll.params["timeout"] == 10 and poll.time < injected_at
        assert poll.result[0]["message"]["text"] == "réveil"
        assert bot.errors == []


async def test_get_updates_offset_limit_timeout_and_allowed_updates() -> None:
    async with FakeTelegram() as fake, httpx.AsyncClient() as http:
        url = f"{fake.base_url}{fake.token}/getUpdates"

        async def get_updates(**params: Any) -> list[dict[str, Any]]:
            answer = (await http.post(url, data=params)).json()
            assert answer["ok"], answer
            return answer["result"]  # type: ignore[no-any-return]

        ids = [fake.send_text(CHAT, str(n)) for n in range(3)]
        assert ids == [1, 2, 3]
        first = await get_updates(limit=2)
        assert [u["message"]["text"] for u in first] == ["0", "1"]
        update_ids = [u["update_id"] for u in first]
        assert update_ids == sorted(update_ids)
        rest = await get_updates(offset=update_ids[-1] + 1)  # confirms the first two
        assert [u["message"]["text"] for u in rest] == ["2"]
        assert len(fake.pending_updates()) == 1

        last = rest[-1]["update_id"]
        started = time.monotonic()
        assert await get_updates(offset=last + 1, timeout=0.3) == []
        assert 0.25 < time.monotonic() - started < 2

        fake.send_text(CHAT, "texte")
        fake.send_non_text(CHAT, "photo")
        fake.add_chat(CHAT)
        answer = await http.post(f"{fake.base_url}{fake.token}/sendMessage",
                                 data={"chat_id": CHAT, "text": "x",
                                       "reply_markup": KEYBOARD.to_json()})
        fake.press(CHAT, "yes")
        only_callbacks = await get_updates(offset=last + 1,
                                           allowed_updates='["callback_query"]')
        assert answer.status_code == 200
        assert [sorted(u) for u in only_callbacks] == [["callback_query", "update_id"]]


async def test_bot_api_methods_through_ptb_bot() -> None:
    async with FakeTelegram() as fake:
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            me = await bot.get_me()
            assert (me.id, me.username, me.is_bot) == (123456, "test_bot", True)
            await bot.set_my_commands([BotCommand("start", "Commencer")], language_code="fr")
            await bot.set_my_commands([BotCommand("start", "Start")])
            assert [c.description for c in await bot.get_my_commands(language_code="fr")] == [
                "Commencer"]
            assert fake.commands() == [{"command": "start", "description": "Start"}]
            info = await bot.get_webhook_info()
            assert info.url == "" and info.pending_update_count == 0

            fake.send_text(CHAT, "hi")
            sent = await bot.send_message(CHAT, "menu", reply_markup=KEYBOARD)
            assert sent.reply_markup == KEYBOARD and sent.message_id == 2
            await bot.send_chat_action(CHAT, "typing")
            await bot.edit_message_reply_markup(CHAT, sent.message_id)
            assert "reply_markup" not in fake.messages(CHAT)[-1]
            with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
                await bot.edit_message_text("menu", CHAT, sent.message_id)
            assert await bot.delete_message(CHAT, sent.message_id)
            with pytest.raises(BadRequest, match=r"(?i)chat not found"):
                await bot.send_message(999, "nobody there")
            with pytest.raises(BadRequest, match=r"(?i)query id is invalid"):
                await bot.answer_callback_query("12345")
        async with httpx.AsyncClient() as http:
            unknown = await http.post(f"{fake.base_url}{fake.token}/sendTelepathy")
            assert unknown.status_code == 404
            bad_token = await http.post(f"{fake.base_url}not-a-token/getMe")
            assert bad_token.status_code == 404


async def test_lost_answer_custom_method_and_parameter_decoding() -> None:
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.base_url) as bot:
        fake.add_chat(CHAT)
        fake.drop_next("sendMessage", after_processing=True)
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "123")  # sent, but the answer is lost
        assert fake.sent_texts(CHAT) == ["123"]  # a text that looks like JSON stays a string
        [call] = fake.calls("sendMessage")
        assert call.params == {"chat_id": CHAT, "text": "123"} and call.status is None

        fake.on("sendPhoto", lambda params: {"message_id": 99, "date": 0,
                                             "chat": {"id": params["chat_id"],
                                                      "type": "private"}})
        photo = await bot.send_photo(CHAT, b"\x89PNG fake", caption="carte")
        assert photo.message_id == 99
        [upload] = fake.calls("sendPhoto")
        assert upload.params["caption"] == "carte" and upload.params["photo"]["size"] == 9


async def test_send_document_keeps_the_file_its_name_and_caption() -> None:
    async with FakeTelegram() as fake, Bot(fake.token, base_url=fake.base_url) as bot:
        fake.add_chat(CHAT)
        sent = await bot.send_document(CHAT, InputFile(b"%PDF-1.4 list", filename="list.pdf"),
                                       caption="votre liste", reply_markup=KEYBOARD)
        assert sent.document is not None and sent.document.file_name == "list.pdf"
        assert sent.caption == "votre liste" and sent.reply_markup == KEYBOARD
        assert fake.sent_documents(CHAT) == [("list.pdf", b"%PDF-1.4 list", "votre liste")]
        assert fake.file_content(sent.document.file_id) == b"%PDF-1.4 list"
        with pytest.raises(BadRequest, match=r"(?i)caption is too long"):
            await bot.send_document(CHAT, InputFile(b"x", filename="a.pdf"), caption="x" * 1025)
        with pytest.raises(BadRequest, match=r"(?i)no document"):
            await bot.send_document(CHAT, "unknown-file-id")
        assert len(fake.sent_documents(CHAT)) == 1


def test_runs_in_a_background_thread_for_synchronous_tests() -> None:
    with FakeTelegram() as fake, httpx.Client() as http:
        fake.send_text(CHAT, "sync")
        answer = http.post(f"{fake.base_url}{fake.token}/getUpdates", data={"timeout": 1}).json()
        assert answer["result"][0]["message"]["text"] == "sync"
        http.post(f"{fake.base_url}{fake.token}/sendMessage",
                  json={"chat_id": CHAT, "text": "réponse"})
        assert [c.text for c in fake.wait_for_sync("sendMessage")] == ["réponse"]
        with pytest.raises(FakeTelegramTimeout):
            fake.wait_for_sync("sendMessage", count=2, timeout=0.1)
