"""Which updates reach the conversation: a person, in a private chat, once per thing sent.

Run before every handler (a PTB handler in group -1 that stops the update when it is not
for the guide):

- a group or a channel gets one sentence (`common.private_only`) and the bot leaves: what a
  refugee tells the guide (their situation, their appointments) is not for a group to read,
  and one state per group would let any member answer for all. `GUIDE_ALLOW_GROUPS` keeps
  the bot in groups instead;
- an edited message is not a new message; another bot is not a person; `/start@otherbot`
  is for the other bot;
- an album (photos sharing a media_group_id) is one thing sent: its first message only;
- flood control (`bot.flood`) over every kind of update, at the pace the user sent them; a
  cry for help is never held back by it.

Nothing here logs what users wrote: updates are named by their id.
"""

from __future__ import annotations

import contextlib
import logging
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Literal

from telegram import Message, Update
from telegram.constants import ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import ApplicationHandlerStop, ContextTypes

from bot.conversation import Conversation
from bot.flood import Albums, FloodGuard
from bot.logs import chat_ref
from bot.privacy import looks_secret

log = logging.getLogger(__name__)

Action = Literal["handle", "ignore", "leave"]
# chats told and left, remembered so that a group's queued messages get one sentence
LEFT_CHATS = 1024


def verdict(update: Update, bot_username: str, groups: bool = False) -> tuple[Action, str]:
    """What to do with the update, and why (for the log: never the text)."""
    if update.edited_message is not None or update.edited_channel_post is not None:
        return "ignore", "an edited message"
    if update.channel_post is not None:
        return "leave", "a channel"
    message, query = update.message, update.callback_query
    if message is None and query is None:
        return "ignore", "not a message or a button press"
    chat = update.effective_chat
    sender = update.effective_user
    if chat is None:
        return "ignore", "no chat"
    if sender is None or sender.is_bot:
        return "ignore", "not from a person"
    if chat.type != ChatType.PRIVATE and not groups:
        return "leave", f"a {chat.type}"
    if message is not None and _for_another_bot(message, bot_username):
        return "ignore", "a command for another bot"
    return "handle", ""


def _for_another_bot(message: Message, bot_username: str) -> bool:
    """`/start@otherbot`: Telegram appends the name when a group has several bots."""
    command = next((e for e in message.entities
                    if e.type == MessageEntityType.BOT_COMMAND and e.offset == 0), None)
    if command is None or not message.text:
        return False
    _, at, addressee = message.parse_entity(command).partition("@")
    return bool(at) and addressee.casefold() != bot_username.casefold()


@dataclass
class UpdateGate:
    """The handler that lets through what the conversation should see; see the module."""

    conversation: Conversation
    flood: FloodGuard = field(default_factory=FloodGuard)
    groups: bool = False
    albums: Albums = field(default_factory=Albums)
    _left: OrderedDict[int, None] = field(default_factory=OrderedDict)

    async def __call__(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not isinstance(update, Update):
            return
        action, reason = verdict(update, context.bot.username, self.groups)
        if action == "leave":
            await self._leave(update, context, reason)
            raise ApplicationHandlerStop
        if action == "ignore":
            log.info("update %s ignored: %s", update.update_id, reason)
            raise ApplicationHandlerStop
        if not self._first_of_album(update):
            log.info("update %s ignored: the rest of an album", update.update_id)
            raise ApplicationHandlerStop
        if await self._too_fast(update, context):
            raise ApplicationHandlerStop

    def _first_of_album(self, update: Update) -> bool:
        message = update.message
        if message is None or message.media_group_id is None:
            return True
        return self.albums.first(str(message.chat_id), message.media_group_id)

    async def _too_fast(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        """True when the update is part of a flood: answered once, then ignored."""
        chat = update.effective_chat
        assert chat is not None  # verdict let through only updates with a chat
        message = update.message
        words = (message.text or message.caption) if message is not None else None
        # a cry for help is never swallowed by flood control: it is answered, whatever the pace
        if words and self.conversation.distress.detect(words) is not None:
            return False
        sent_at = message.date.timestamp() if message is not None else None
        answer = self.flood.check(str(chat.id), sent_at)
        if answer == "ok":
            return False
        if answer == "warn":
            state = await self.conversation.store.load(str(chat.id))
            lang = state.lang or self._language(update)
            text = self.conversation.catalog.render("common.too_fast", lang)
            await context.bot.send_message(chat.id, text)
        log.info("update %s ignored: too fast", update.update_id)
        if message is not None and words and looks_secret(words):
            await _delete(message)
        if update.callback_query is not None:
            # the press is not handled, but its spinner must not turn forever
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        return True

    async def _leave(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                     reason: str) -> None:
        chat = update.effective_chat
        if chat is None or chat.id in self._left:
            log.info("update %s ignored: %s", update.update_id, reason)
            return
        self._left[chat.id] = None
        if len(self._left) > LEFT_CHATS:
            self._left.popitem(last=False)
        text = self.conversation.catalog.render("common.private_only", self._language(update))
        try:
            await context.bot.send_message(chat.id, text)
        except TelegramError as exc:  # a channel where the bot may not post: leave anyway
            log.info("chat %s: could not say why the guide leaves (%s)", chat_ref(chat.id),
                     type(exc).__name__)
        try:
            await context.bot.leave_chat(chat.id)
        except TelegramError as exc:
            log.warning("chat %s: could not leave (%s)", chat_ref(chat.id), type(exc).__name__)
            return
        log.info("update %s: left %s %s", update.update_id, reason, chat_ref(chat.id))

    def _language(self, update: Update) -> str:
        """The sender's app language when the guide speaks it, else the default."""
        code = update.effective_user.language_code if update.effective_user else None
        lang = (code or "").split("-")[0].lower()
        catalog = self.conversation.catalog
        return lang if lang in catalog.languages() else self.conversation.default_lang


async def _delete(message: Message) -> None:
    if message.chat.type != ChatType.PRIVATE:
        return
    try:
        await message.delete()
    except TelegramError as exc:
        log.info("could not delete a secret-looking message: %s", type(exc).__name__)
