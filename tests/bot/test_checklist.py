"""/checklist before the papers questions are all answered (bot/checklist.py): it says what
is missing and leads to the questions, by one button."""

from __future__ import annotations

from datetime import date

from bot import payloads
from bot.app import build_conversation
from bot.messages import Incoming
from bot.nlu.embedded import EmbeddedNlu
from bot.state import MemoryStore


async def test_checklist_in_the_middle_of_the_papers_questions_offers_only_continue(
        nlu: EmbeddedNlu) -> None:
    conversation = build_conversation(store=MemoryStore(), nlu=nlu,
                                      today=lambda: date(2026, 12, 4))

    async def say(text: str | None = None, data: str | None = None) -> list[str]:
        result = await conversation.handle(Incoming("u", text=text, data=data,
                                                    language_hint="en"))
        return [b.data for r in result.replies for b in r.buttons if b.data is not None]

    await say("/start")
    await say(data=payloads.pack(payloads.Goto("documents")))
    buttons = await say("/checklist")
    # the topic left at a question is continued ("c:resume"), not started over ("g:documents")
    assert payloads.pack(payloads.Command("resume")) in buttons
    assert payloads.pack(payloads.Goto("documents")) not in buttons
