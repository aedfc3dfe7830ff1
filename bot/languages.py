"""The languages the guide speaks (translations/languages.yml)."""

from __future__ import annotations

from bot import paths
from bot.i18n import declared


def declared_languages() -> list[str]:
    return declared(paths.translations_dir())
