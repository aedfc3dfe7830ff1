"""A turn that failed: the user is told kindly, the log gets the error's type and place only.

Whatever failed (the store, the language model, a bug), the person who wrote is not left
without an answer; nothing of what they wrote reaches the log (an exception's message may
quote it, so only its type and where it was raised are kept).
"""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.conversation import Conversation
from bot.logs import describe

log = logging.getLogger(__name__)

ERROR_KEY = "common.error"


async def answer_failure(update: object, context: ContextTypes.DEFAULT_TYPE,
                         conversation: Conversation) -> None:
    """Logs the failure without text and, when the turn itself failed in a private chat,
    says sorry in the user's language (a group is not told: it will be left, see the update
    filters)."""
    error = context.error
    update_id = update.update_id if isinstance(update, Update) else "-"
    log.error("update %s failed: %s", update_id,
              describe(error) if error is not None else "no error given")
    if not isinstance(update, Update) or isinstance(error, TelegramError):
        # polling or a job failed, not a user's turn; or Telegram refused or lost a reply,
        # which may have arrived all the same: a "sorry" would then be wrong, or fail too
        return
    chat = update.effective_chat
    if chat is None or chat.type != ChatType.PRIVATE:
        return
    lang = await _language(update, conversation)
    try:
        await context.bot.send_message(chat.id, conversation.catalog.render(ERROR_KEY, lang))
    except TelegramError as exc:
        log.info("update %s: could not say the turn failed: %s", update_id, type(exc).__name__)


async def _language(update: Update, conversation: Conversation) -> str:
    """The user's chosen language when the store can still tell it, else their app's."""
    chat = update.effective_chat
    try:
        chosen = (await conversation.store.load(str(chat.id))).lang if chat else None
    except Exception:  # the store may be what failed
        chosen = None
    hint = update.effective_user.language_code if update.effective_user else None
    code = (hint or "").replace("_", "-").split("-")[0].lower()
    known = conversation.catalog.entries
    return chosen or (code if code in known else conversation.default_lang)
