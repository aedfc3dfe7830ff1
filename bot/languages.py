"""The languages the guide speaks (translations/languages.yml)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from bot import paths
from rules_engine.yamlfile import load_model


class Languages(BaseModel):
    model_config = ConfigDict(extra="forbid")

    languages: list[str]


def declared_languages() -> list[str]:
    return load_model(Languages, paths.translations_dir() / "languages.yml").languages
