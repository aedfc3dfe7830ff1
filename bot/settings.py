"""Settings of the Telegram bot, from environment variables (documented in the README)."""

from __future__ import annotations

import re
from typing import Literal, TypeVar

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict
from telegram.constants import FloodLimit

from bot import paths
from bot.state import KEPT_DAYS

# digits, a colon, then letters, digits, _ or -: the shape BotFather gives
_TOKEN = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{8,}$")
S = TypeVar("S", bound="NluBackendSettings")


class SettingsError(Exception):
    """A setting is missing or malformed; the message never contains the token."""


class NluBackendSettings(BaseSettings):
    """Which model reads the messages: the shell and the bot read the same variables, so a
    volunteer trying a flow in the shell meets the answers the bot gives."""

    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    guide_nlu_backend: Literal["embedded", "rasa"] = "embedded"
    guide_rasa_url: str = "http://127.0.0.1:5005"

    def rasa_url(self) -> str | None:
        """The Rasa server to ask, or None for the embedded model alone."""
        return self.guide_rasa_url if self.guide_nlu_backend == "rasa" else None


class TelegramSettings(NluBackendSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    telegram_bot_token: SecretStr
    telegram_api_base_url: str = "https://api.telegram.org/bot"
    guide_state_url: str = Field(
        default_factory=lambda: f"sqlite:///{paths.ROOT / 'data' / 'state.db'}")
    # the bot's budget, all chats together: Telegram documents about 30 messages a second
    # (core.telegram.org/bots/faq); 0 lifts it (a load test against a fake Bot API)
    telegram_max_messages_per_second: float = Field(
        default=float(FloodLimit.MESSAGES_PER_SECOND), ge=0)
    guide_state_ttl_days: int = Field(default=KEPT_DAYS, ge=1)
    # start even though the database that held users is missing or empty (a marker says so)
    guide_start_fresh: bool = False
    # local debugging only: log the users' message texts
    guide_log_text: bool = False
    # answer in groups too (one state per group, visible to all); by default the bot leaves
    guide_allow_groups: bool = False
    guide_webhook_url: str | None = None
    guide_webhook_secret: SecretStr | None = None
    guide_webhook_listen: str = "127.0.0.1"
    guide_webhook_port: int = 8443

    @field_validator("telegram_bot_token")
    @classmethod
    def _token_shape(cls, value: SecretStr) -> SecretStr:
        if not _TOKEN.match(value.get_secret_value().strip()):
            raise ValueError("does not look like a bot token from BotFather (digits:letters)")
        return SecretStr(value.get_secret_value().strip())


def load_settings() -> TelegramSettings:
    """The bot's settings, or a SettingsError naming the variable (never showing the
    token)."""
    return _read(TelegramSettings)


def load_nlu_backend() -> NluBackendSettings:
    """The shell's settings (which model reads the messages), or a SettingsError."""
    return _read(NluBackendSettings)


def _read(kind: type[S]) -> S:
    from pydantic import ValidationError

    try:
        return kind()  # read from the environment
    except ValidationError as exc:
        problems = []
        for error in exc.errors(include_input=False):
            name = str(error["loc"][0]).upper() if error["loc"] else "settings"
            reason = "is not set" if error["type"] == "missing" else str(error["msg"])
            problems.append(f"{name} {reason}")
        raise SettingsError("; ".join(problems)) from None
