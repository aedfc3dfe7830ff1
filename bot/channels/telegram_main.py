"""`guide telegram`: settings, state store and the polling loop."""

from __future__ import annotations

import asyncio
import gc
import logging
import sys
from datetime import timedelta

from telegram.ext import Application, ContextTypes

from bot.app import build_conversation
from bot.channels.polling import TokenRejected, serve_polling
from bot.channels.telegram import build_application
from bot.settings import SettingsError, TelegramSettings, load_settings
from bot.store import DurableStore, StateStore, StoreError, open_store

log = logging.getLogger(__name__)
EXPIRY_EVERY = timedelta(hours=6)


def run_polling() -> int:
    quiet_logs()
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    store = open_store_or_say(settings)
    if store is None:
        return 2
    try:
        application = assemble(settings, store)
        log.info("polling Telegram at %s", _without_token(settings.telegram_api_base_url))
        asyncio.run(serve_polling(application, store))
    except TokenRejected:
        print("error: Telegram refused TELEGRAM_BOT_TOKEN (revoked or mistyped); "
              "ask @BotFather for the current token", file=sys.stderr)
        return 2
    finally:
        store.close()
    return 0


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
        store=store,
        rasa_url=settings.guide_rasa_url if settings.guide_nlu_backend == "rasa" else None)
    application = build_application(settings.telegram_bot_token.get_secret_value(),
                                    settings.telegram_api_base_url, conversation,
                                    settings.guide_log_text, reminders=store,
                                    max_per_second=settings.telegram_max_messages_per_second,
                                    groups=settings.guide_allow_groups)
    schedule_expiry(application, store, timedelta(days=settings.guide_state_ttl_days))
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
