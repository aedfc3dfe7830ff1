"""The languages the guide speaks (translations/languages.yml)."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from bot import paths
from bot.i18n import declared
from rules_engine.yamlfile import DataFileError, line_of


def declared_languages() -> list[str]:
    return declared(paths.translations_dir())


def check_languages(path: Path, found: Collection[str], languages: list[str],
                    what: str | None) -> None:
    """A per-language data file of nlu_data/ names only the guide's languages and, when
    `what` says what each must have ("phrases", "unit words"), every one of them."""
    for lang in found:
        if lang not in languages:
            raise DataFileError(path, line_of(path, [lang]),
                                f"{lang}: not a language of translations/languages.yml "
                                f"({', '.join(languages)})")
    missing = [lang for lang in languages if lang not in found]
    if what is not None and missing:
        raise DataFileError(path, 1, f"no {what} for {', '.join(missing)} (every language "
                            "of translations/languages.yml needs its own)")
