"""Rows of buttons a user scrolls through, per language: the menu after /start, the greeting,
the goodbye and the end of a topic, as the core lays them out (bot/layout.py) against one
button per row. Run: .venv/bin/python bench/menu_rows.py
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import date

from bot.app import build_conversation, load_nlu
from bot.conversation import Conversation
from bot.messages import Incoming, Reply
from bot.nlu.types import IntentResult
from bot.state import MemoryStore

# what is sent, and the intent the language model is told to find (None: a command)
INPUTS = {"/start (menu)": ("/start", None), "greeting": ("hello", "greet"),
          "goodbye": ("bye", "goodbye"), "topic end": ("what is it", "what_is_france_travail")}


class Scripted:
    def __init__(self, intent: str | None) -> None:
        self.intent = intent

    async def parse(self, text: str, lang: str | None = None) -> IntentResult:
        return IntentResult(self.intent or "nlu_fallback", 1.0)


def last_keyboard(replies: list[Reply]) -> Reply:
    return next(r for r in reversed(replies) if r.buttons)


async def rows(base: Conversation, lang: str, text: str, intent: str | None) -> tuple[int, int]:
    conversation = dataclasses.replace(base, store=MemoryStore(), default_lang=lang,
                                       nlu=Scripted(intent), detector=None)
    await conversation.handle(Incoming("1", text="/menu", language_hint=lang))
    reply = last_keyboard((await conversation.handle(Incoming("1", text=text))).replies)
    return len(reply.buttons), len(reply.rows())


async def main() -> None:
    base = build_conversation(store=MemoryStore(), nlu=load_nlu(progress=None),
                              today=lambda: date(2026, 12, 4))
    languages = base.catalog.languages()
    print(f"{'':16}" + "".join(f"{lang:>9}" for lang in languages))
    for name, (text, intent) in INPUTS.items():
        cells = [await rows(base, lang, text, intent) for lang in languages]
        print(f"{name:16}" + "".join(f"{f'{b}→{r}':>9}" for b, r in cells))
    print("(buttons→rows: one per row before, two per row where both labels are short now)")


if __name__ == "__main__":
    asyncio.run(main())
