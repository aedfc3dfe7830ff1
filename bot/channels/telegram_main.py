"""`guide telegram`: settings, state store and the polling loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from datetime import timedelta

from telegram.error import InvalidToken, NetworkError
from telegram.ext import Application, ContextTypes

from bot.app import build_conversation
from bot.channels.polling import TokenRejected, serve_polling
from bot.channels.telegram import build_application
from bot.checklist_pdf import MissingFont, check_fonts
from bot.settings import SettingsError, TelegramSettings, load_settings
from bot.store import DurableStore, StateStore, StoreError, open_store
from rules_engine.yamlfile import DataFileError

log = logging.getLogger(__name__)
EXPIRY_EVERY = timedelta(hours=6)
# exit codes (README): settings to fix, a token included, before starting again; Telegram out
# of reach at start, worth starting again later
EXIT_SETTINGS = 2
EXIT_UNREACHABLE = 3
TOKEN_REFUSED = ("error: Telegram refused the bot token (TELEGRAM_BOT_TOKEN): it is wrong or "
                 "was revoked; get the current one from @BotFather")


def run_polling() -> int:
    quiet_logs()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_SETTINGS
    store = open_store_or_say(settings)
    if store is None:
        return EXIT_SETTINGS
    where = _without_token(settings.telegram_api_base_url)
    try:
        application = assemble(settings, store)
        log.info("polling Telegram at %s", where)
        asyncio.run(serve_polling(application, store))
    except (TokenRejected, InvalidToken):
        # at start, or revoked while polling (401 on getUpdates): one line, never the token
        print(TOKEN_REFUSED, file=sys.stderr)
        return EXIT_SETTINGS
    except NetworkError as exc:  # TimedOut too; the message may hold the URL, so the token
        print(unreachable(where, exc), file=sys.stderr)
        return EXIT_UNREACHABLE
    finally:
        store.close()
    return 0


def unreachable(where: str, exc: Exception) -> str:
    return (f"error: Telegram cannot be reached at {where} ({type(exc).__name__}): check the "
            f"network and TELEGRAM_API_BASE_URL; the bot can be started again later")


def quiet_logs() -> None:
    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its lines carry the token


def open_store_or_say(settings: TelegramSettings) -> DurableStore | None:
    """The state store, or None once the reason it cannot open is printed."""
    try:
        return open_store(settings.guide_state_url, fresh=settings.guide_start_fresh)
    except (StoreError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


def assemble(settings: TelegramSettings,
             store: StateStore) -> Application:  # type: ignore[type-arg]
    """The bot as both modes run it: core, Telegram application, expiry job; start-up
    objects frozen out of the garbage collector."""
    conversation = build_conversation(
        store=store, usage=store,
        rasa_url=settings.rasa_url(),
        kept_days=settings.guide_state_ttl_days)
    application = build_application(settings.telegram_bot_token.get_secret_value(),
                                    settings.telegram_api_base_url, conversation,
                                    settings.guide_log_text, reminders=store,
                                    max_per_second=settings.telegram_max_messages_per_second,
                                    groups=settings.guide_allow_groups)
    schedule_expiry(application, store, timedelta(days=settings.guide_state_ttl_days))
    try:
        check_fonts()
    except (MissingFont, DataFileError) as exc:
        # the bot answers without them; only /checklist's PDF is missing
        log.error("the checklist PDF cannot be made: %s", exc)
    freeze_startup_heap()
    return application


def schedule_expiry(application: Application,  # type: ignore[type-arg]
                    store: StateStore, ttl: timedelta) -> None:
    """Forget inactive users every few hours (polling and webhook modes alike)."""

    async def expire(context: ContextTypes.DEFAULT_TYPE) -> None:
        removed = await store.expire(ttl)
        if removed:
            log.info("forgot %d inactive user(s)", removed)

    if application.job_queue is not None:
        application.job_queue.run_repeating(expire, interval=EXPIRY_EVERY, first=1)


def freeze_startup_heap() -> None:
    """What start-up built (the language model's vocabularies, translations, dialogues, PTB)
    lives as long as the process: it is set aside from the garbage collector's full passes,
    which otherwise walk all of it (85 ms measured) every few seconds under load, holding up
    every chat's reply."""
    gc.collect()
    gc.freeze()


def _without_token(url: str) -> str:
    return url.split("/bot")[0] + "/bot…" if "/bot" in url else url
