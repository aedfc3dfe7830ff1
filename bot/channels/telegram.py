"""The Telegram channel: python-telegram-bot in front of the same conversation core.

An update becomes an `Incoming`; the core's replies become messages with inline keyboards.
No dialogue logic lives here. Logs carry ids and intents, never what users wrote (unless
GUIDE_LOG_TEXT is set, for local debugging).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime

from telegram import (
    Bot,
    BotCommand,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    LinkPreviewOptions,
    Message,
    Update,
)
from telegram.constants import ChatType, FloodLimit, MessageLimit
from telegram.error import BadRequest, Forbidden, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
    Defaults,
    ExtBot,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels.failures import answer_failure
from bot.channels.ordering import PerChatUpdateProcessor
from bot.channels.outbox import OUTBOX_KEY, Outbox
from bot.channels.ratelimit import GuideRateLimiter
from bot.channels.scope import UpdateGate
from bot.channels.telegram_files import document_params, send_document
from bot.conversation import Conversation, Result
from bot.flood import FloodGuard
from bot.logs import chat_ref
from bot.messages import Button, Document, Incoming, Reply
from bot.reminders import Queue, send_due, sync_appointment, sync_monthly
from bot.store import DurableStore, StateStore
from bot.store.turns import current_turn

log = logging.getLogger(__name__)


def reminder_queue(store: StateStore, application: Application  # type: ignore[type-arg]
                   ) -> Queue | None:
    """With a durable store, reminders go through the outbox: claimed and queued at once,
    then sent and retried like any reply (bot/reminders.py)."""
    if not isinstance(store, DurableStore):
        return None
    durable = store

    async def queue(reminder_id: int, chat_id: int, text: str) -> bool:
        queued = await durable.claim_into_outbox(reminder_id, chat_id, text)
        outbox = application.bot_data.get(OUTBOX_KEY)
        if queued and isinstance(outbox, Outbox):
            outbox.wake(chat_id)
        return queued

    return queue


NON_TEXT = {"voice": filters.VOICE, "photo": filters.PHOTO, "sticker": filters.Sticker.ALL,
            "document": filters.Document.ALL, "location": filters.LOCATION,
            "audio": filters.AUDIO, "video": filters.VIDEO, "video_note": filters.VIDEO_NOTE,
            "contact": filters.CONTACT}


def split_text(text: str, limit: int = MessageLimit.MAX_TEXT_LENGTH) -> list[str]:
    """Pieces of at most `limit` characters, cut between paragraphs, lines or words,
    never inside a word (a placeholder's value is a word or more)."""
    pieces: list[str] = []
    rest = text
    while len(rest) > limit:
        window = rest[:limit]
        cut = max(window.rfind("\n\n"), window.rfind("\n"))
        if cut <= limit // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = limit  # one word longer than a message: nothing better to do
        pieces.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest or not pieces:
        pieces.append(rest)
    return pieces


def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[_button(b) for b in row] for row in reply.rows()])


def _button(button: Button) -> InlineKeyboardButton:
    """A button that answers the core, or one that opens a page (a link button)."""
    if button.url is not None:
        return InlineKeyboardButton(button.label, url=button.url)
    return InlineKeyboardButton(button.label, callback_data=button.data)


def sends_of(result: Result
             ) -> Iterator[tuple[str, InlineKeyboardMarkup | None, Document | None]]:
    """Each reply as Telegram messages: the buttons go with the last piece. A reply with a
    document is the file with its text as caption (a text too long for a caption goes
    first, as messages)."""
    for reply in result.replies:
        if reply.document is not None:
            caption = reply.text if len(reply.text) <= MessageLimit.CAPTION_LENGTH else ""
            if reply.text and not caption:
                for piece in split_text(reply.text):
                    yield piece, None, None
            yield caption, keyboard(reply), reply.document
            continue
        pieces = split_text(reply.text or "…")
        for index, piece in enumerate(pieces):
            last = index == len(pieces) - 1
            yield piece, keyboard(reply) if last else None, None


class TelegramChannel:
    """Handlers that feed the core and send what it answers."""

    def __init__(self, conversation: Conversation, log_text: bool = False,
                 flood: FloodGuard | None = None, reminders: StateStore | None = None,
                 groups: bool = False) -> None:
        self.conversation = conversation
        self.log_text = log_text
        self.gate = UpdateGate(conversation, flood or FloodGuard(), groups)
        self.reminders = reminders

    async def _after(self, chat_id: int, result: Result) -> None:
        """A choice made in /reminders is stored as reminders to send."""
        if self.reminders is None:
            return
        keys = {k for r in result.replies for k in r.keys}
        if keys & {"reminders.on_done", "reminders.off_done"}:
            await sync_monthly(self.reminders, str(chat_id), self.conversation.today())
        if "reminders.appointment_done" in keys:
            await sync_appointment(self.reminders, str(chat_id))

    def install(self, application: Application) -> None:  # type: ignore[type-arg]
        # first: what is not a person's private message, an album's rest, a flood stop here
        application.add_handler(TypeHandler(Update, self.gate), group=-1)
        application.add_handler(CallbackQueryHandler(self.on_button))
        application.add_handler(MessageHandler(filters.TEXT, self.on_text))
        for kind, accepted in NON_TEXT.items():
            application.add_handler(MessageHandler(accepted, self._non_text(kind)))
        application.add_error_handler(self.on_error)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        chat = update.effective_chat
        if message is None or chat is None or message.text is None:
            return
        incoming = Incoming(str(chat.id), text=message.text, language_hint=_language(update))
        result = await self.conversation.handle(incoming)
        self._log(update, result, message.text)
        if result.secret and chat.type == ChatType.PRIVATE:
            await self._delete(message)
        await self._after(chat.id, result)
        await self._send(context, chat.id, result)

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None:
            return
        # the spinner is stopped while the answer is worked out, not before: one round trip
        # less before the reply
        answering = asyncio.ensure_future(query.answer())
        incoming = Incoming(str(chat.id), data=query.data or "",
                            language_hint=_language(update))
        try:
            result = await self.conversation.handle(incoming)
            self._log(update, result, None)
            await self._after(chat.id, result)
            await self._send(context, chat.id, result)
        finally:
            await _settled(answering)
        if isinstance(query.message, Message) and _can_spare_a_call(context.bot):
            # the pressed message keeps its text and loses its now-stale buttons, but only
            # when Telegram's budget has room: under load a reply matters more than tidying,
            # and an old button that stays is answered kindly (common.stale_button)
            with contextlib.suppress(BadRequest):
                await query.message.edit_reply_markup(reply_markup=None)

    def _non_text(self, kind: str):  # type: ignore[no-untyped-def]
        async def handler(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            chat = update.effective_chat
            if chat is None:
                return
            message = update.effective_message
            # the words written under a photo or a file are read like a message: a question,
            # a cry for help, or a password to delete
            caption = message.caption if message is not None else None
            incoming = Incoming(str(chat.id), text=caption, kind=kind,
                                language_hint=_language(update))
            result = await self.conversation.handle(incoming)
            self._log(update, result, None)
            if result.secret and message is not None and chat.type == ChatType.PRIVATE:
                await self._delete(message)
            await self._after(chat.id, result)
            await self._send(context, chat.id, result)

        return handler

    async def _send(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int,
                    result: Result) -> None:
        turn = current_turn()
        if turn is not None:
            # written with the state when the turn ends, then sent by the outbox
            for text, markup, document in sends_of(result):
                buttons = markup.to_dict() if markup is not None else None
                if document is not None:
                    turn.send_document(chat_id, document_params(document), text, buttons)
                else:
                    turn.send(chat_id, text, buttons)
            return
        # a piece that could not be sent does not take the rest of the answer with it (the
        # conversation has already moved on); the first failure is raised for the log
        failed: TelegramError | None = None
        for text, markup, document in sends_of(result):
            try:
                if document is not None:
                    await send_document(context.bot, chat_id, document, text, markup)
                else:
                    await context.bot.send_message(chat_id, text, reply_markup=markup)
            except Forbidden:
                raise  # the user blocked the bot: nothing more can reach them
            except TelegramError as exc:
                failed = failed or exc
        if failed is not None:
            raise failed

    @staticmethod
    async def _delete(message: Message) -> None:
        turn = current_turn()
        if turn is not None:
            turn.delete_message(message.chat_id, message.message_id)
            return
        try:
            await message.delete()
        except TelegramError as exc:
            log.info("could not delete a secret-looking message: %s", type(exc).__name__)

    def _log(self, update: Update, result: Result, text: str | None) -> None:
        intent = result.intent.name if result.intent else "-"
        chat = chat_ref(update.effective_chat.id) if update.effective_chat else "-"
        if self.log_text and text is not None and not result.secret:
            log.info("update %s chat %s intent %s text %r", update.update_id, chat, intent,
                     text)
        else:
            log.info("update %s chat %s intent %s", update.update_id, chat, intent)

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        await answer_failure(update, context, self.conversation)


def _language(update: Update) -> str | None:
    """The language of the user's Telegram app: the core's hint until they choose one."""
    return update.effective_user.language_code if update.effective_user else None


def _can_spare_a_call(bot: Bot) -> bool:
    limiter = bot.rate_limiter if isinstance(bot, ExtBot) else None
    return not isinstance(limiter, GuideRateLimiter) or limiter.has_spare_capacity()


async def _settled(call: asyncio.Future[bool]) -> None:
    """Wait for a call that may fail without harm (the spinner also stops by itself)."""
    try:
        await call
    except TelegramError as exc:
        log.info("could not answer a button press: %s", type(exc).__name__)


def reminder_sender(bot: Bot) -> Callable[[int, str], Awaitable[object]]:
    """How reminders are sent: like bulk messages, after the replies people are waiting for."""

    async def send(chat_id: int, text: str) -> object:
        while not _can_spare_a_call(bot):
            await asyncio.sleep(REMINDER_YIELD)
        return await bot.send_message(chat_id, text)

    return send


async def set_commands(application: Application, conversation: Conversation  # type: ignore[type-arg]
                       ) -> None:
    """The command menu, in each of the guide's languages: the commands of
    dialogues/_global.yml, the ones /help lists."""
    catalog = conversation.catalog
    names = conversation.dialogues.config.commands
    for lang in catalog.languages():
        commands = [BotCommand(name, catalog.render(f"commands.{name}", lang))
                    for name in names]
        await application.bot.set_my_commands(commands, language_code=lang)
    default = [BotCommand(name, catalog.render(f"commands.{name}", conversation.default_lang))
               for name in names]
    await application.bot.set_my_commands(default)


REMINDER_CHECK_EVERY = 60.0  # seconds
REMINDER_YIELD = 0.2  # seconds a reminder waits while replies use the budget
CONCURRENT_UPDATES = 64  # updates of different chats handled at once
CONNECTIONS = 32  # to the Bot API, for the replies of those updates
POOL_TIMEOUT = 10.0  # seconds a request may wait for a free connection before failing


def build_application(token: str, base_url: str, conversation: Conversation,
                      log_text: bool = False, flood: FloodGuard | None = None,
                      reminders: StateStore | None = None,
                      max_per_second: float = FloodLimit.MESSAGES_PER_SECOND,
                      groups: bool = False) -> Application:  # type: ignore[type-arg]
    """The bot; with a `reminders` store, /reminders choices are stored and sent.
    `max_per_second`: chat-bound requests per second for all chats together (0: no limit).
    `groups`: answer in groups too (by default the bot leaves them: `bot.channels.scope`)."""
    channel = TelegramChannel(conversation, log_text, flood, reminders, groups)

    async def post_init(application: Application) -> None:  # type: ignore[type-arg]
        await set_commands(application, conversation)

    application = (
        ApplicationBuilder()
        .token(token)
        .base_url(base_url)
        .rate_limiter(GuideRateLimiter(max_per_second, max_retries=3))
        .concurrent_updates(PerChatUpdateProcessor(CONCURRENT_UPDATES))
        # httpcore looks at every pooled connection for each request: PTB's 256 cost a third
        # of the bot's time under load (measured); the budget of 30 a second needs few
        .connection_pool_size(CONNECTIONS)
        .pool_timeout(POOL_TIMEOUT)
        .post_init(post_init)
        # a preview card under each answer pushes the buttons off a small screen
        .defaults(Defaults(link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .build()
    )
    channel.install(application)
    if reminders is not None and application.job_queue is not None:
        store = reminders

        async def check_reminders(context: ContextTypes.DEFAULT_TYPE) -> None:
            await send_due(store, conversation, reminder_sender(context.bot), datetime.now(UTC),
                           queue=reminder_queue(store, context.application))

        application.job_queue.run_repeating(check_reminders, interval=REMINDER_CHECK_EVERY,
                                            first=1.0)
    return application
