"""The slash commands come from one list (dialogues/_global.yml `commands`): /help lists
them, Telegram's command menu shows them (tests/bot/channels/test_telegram_e2e.py), only
they are understood when typed, and each of them is handled."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from bot import paths
from bot.app import build_conversation
from bot.conversation import Conversation
from bot.dialogue.loader import load_dialogues
from bot.i18n import FSI, PDI, load_catalog
from bot.messages import Incoming
from bot.nlu.embedded import EmbeddedNlu
from bot.state import MemoryStore

COMMANDS = load_dialogues(paths.dialogues_dir()).config.commands
# a command that is not one of them gets the help, its commands listed
NOT_HANDLED = {"common.stale_button", "help.text", "help.commands"}


@pytest.fixture(scope="module")
def base(nlu: EmbeddedNlu) -> Conversation:
    return build_conversation(store=MemoryStore(), nlu=nlu, today=lambda: date(2026, 12, 4))


def fresh(base: Conversation, lang: str) -> Conversation:
    """The core with an empty store, speaking `lang` to new users."""
    return dataclasses.replace(base, store=MemoryStore(), default_lang=lang)


def test_the_commands_are_listed_once_with_help_privacy_and_restart() -> None:
    assert len(COMMANDS) == len(set(COMMANDS))
    assert {"start", "menu", "help", "privacy", "restart", "forget"} <= set(COMMANDS)


def test_every_command_is_described_in_every_language() -> None:
    catalog = load_catalog(paths.translations_dir())
    for lang in catalog.languages():
        for name in COMMANDS:
            assert catalog.has(f"commands.{name}", lang), (lang, name)


@pytest.mark.parametrize("name", [n for n in COMMANDS if n != "help"])
async def test_every_listed_command_is_handled(
        name: str, base: Conversation) -> None:
    conversation = fresh(base, "en")
    await conversation.handle(Incoming("u", text="/start", language_hint="en"))
    await conversation.handle(Incoming("u", text="/menu"))
    result = await conversation.handle(Incoming("u", text=f"/{name}"))
    keys = {k for r in result.replies for k in r.keys}
    assert result.replies and not keys & NOT_HANDLED, (name, keys)


async def test_help_lists_exactly_the_listed_commands_in_their_order(
        base: Conversation) -> None:
    conversation = fresh(base, "ar")
    result = await conversation.handle(Incoming("u", text="/help"))
    text = "\n".join(r.text for r in result.replies).replace(FSI, "").replace(PDI, "")
    listed = [word for line in text.splitlines() for word in line.split()
              if word.startswith("/")]
    assert [word.rstrip(":") for word in listed] == [f"/{n}" for n in COMMANDS]


async def test_a_command_not_listed_is_not_run(base: Conversation) -> None:
    conversation = fresh(base, "en")
    # "resume" is a button's command, not one to type
    result = await conversation.handle(Incoming("u", text="/resume"))
    assert "help.commands" in {k for r in result.replies for k in r.keys}
