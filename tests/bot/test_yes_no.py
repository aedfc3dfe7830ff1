"""Bare typed yes/no (bot/yes_no.py), from the project's nlu_data/yes_no.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import paths
from bot.dialogue.loader import load_dialogues
from bot.languages import declared_languages
from bot.yes_no import YesNo, asks_yes_no, read_yes_no
from rules_engine.yamlfile import DataFileError


@pytest.fixture(scope="module")
def yes_no() -> YesNo:
    return read_yes_no(paths.nlu_data_dir() / "yes_no.yml", declared_languages())


@pytest.mark.parametrize(("lang", "typed", "meant"), [
    ("ar", "اي", True), ("ar", "ايوه", True), ("ar", "إي", True), ("ar", "اييي", True),
    ("ar", "na3am", True), ("fa", "آره", True), ("fa", "areh", True), ("ru", "ага", True),
    ("ru", "Да!", True), ("uk", "та", True), ("en", "ok", True), ("en", "Yesss", True),
    ("ti", "እወ", True), ("ps", "هو", True), ("ar", "ok", True),  # English in any language
    ("en", "no", False), ("fr", "Non.", False), ("ar", "لا", False), ("ru", "нет", False),
    ("fa", "نه", False), ("uk", "ні", False), ("ar", "non", False),
])
def test_bare_answers(yes_no: YesNo, lang: str, typed: str, meant: bool) -> None:
    assert yes_no.said(typed, lang) is meant


@pytest.mark.parametrize(("lang", "typed"), [
    ("en", "no i don't have any document"), ("fr", "non je n'ai pas de papiers"),
    ("ar", "لا ما عندي"), ("en", "receipt"), ("ru", "так"),  # Ukrainian yes, not Russian
    ("en", ""),
])
def test_not_a_bare_answer(yes_no: YesNo, lang: str, typed: str) -> None:
    assert yes_no.said(typed, lang) is None


def test_yes_no_questions_are_those_with_affirm_or_deny_buttons() -> None:
    flow = load_dialogues(paths.dialogues_dir()).flows["eligibility"]
    assert asks_yes_no(flow.steps["looking"]) and asks_yes_no(flow.steps["summary"])
    assert not asks_yes_no(flow.steps["document"]) and not asks_yes_no(flow.steps["status"])


def test_an_answer_both_yes_and_no_is_an_error(tmp_path: Path) -> None:
    source = (paths.nlu_data_dir() / "yes_no.yml").read_text(encoding="utf-8")
    path = tmp_path / "yes_no.yml"
    path.write_text(source.replace("ru:\n  affirm: [да,", "ru:\n  affirm: [нет, да,", 1),
                    encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        read_yes_no(path, declared_languages())
    line = next(i for i, text in enumerate(source.splitlines(), 1) if text.startswith("ru:"))
    assert error.value.line == line + 1 and "'нет' is also a no" in error.value.message


def test_every_language_is_needed(tmp_path: Path) -> None:
    source = (paths.nlu_data_dir() / "yes_no.yml").read_text(encoding="utf-8")
    path = tmp_path / "yes_no.yml"
    path.write_text(source.split("\nti:\n")[0] + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="ti"):
        read_yes_no(path, declared_languages())
