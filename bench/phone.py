"""What a user meets on a phone, topic by topic: the longest message and the taps from /start
to the first useful answer.

For each topic of the main menu, in French and in English, a user starts (/start), taps the
topic, then at each question taps the first button (the common path: "Refugee", "Residence
permit", "Yes"…) or, at a number or date question, types a plausible value (counted as a
tap), until the topic ends. The first useful answer is the first message that gives its
sources (the answer to the question the topic asks); a topic without sources answers when it
ends. If the answer has a 📚 Sources button, it is pressed too (not counted as a tap) and
its messages are measured. Lengths are characters a reader sees (the isolates of
right-to-left texts left out).

It walks the flows as the conversation core runs them, so it measures any commit:

    .venv/bin/python bench/phone.py
    PYTHONPATH=/path/to/checkout/of/4394571 .venv/bin/python bench/phone.py   # before
"""

from __future__ import annotations

import argparse
import asyncio
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from bot.app import build_conversation, load_nlu
from bot.conversation import Conversation
from bot.messages import Incoming, Reply
from bot.state import MemoryStore

DAY = date(2026, 11, 27)
USER = "phone"
MAX_TAPS = 30


def seen(text: str) -> int:
    return sum(1 for c in text if unicodedata.category(c) != "Cf")


@dataclass
class Walk:
    longest: int = 0
    longest_keys: str = ""
    taps: int | None = None  # to the first useful answer
    taps_to_end: int = 0
    messages: int = 0  # messages in the reply that held the answer

    def measure(self, replies: list[Reply]) -> None:
        for reply in replies:
            if seen(reply.text) > self.longest:
                self.longest = seen(reply.text)
                self.longest_keys = ",".join(reply.keys[:3])


def answers(conversation: Conversation, lang: str, replies: list[Reply]) -> bool:
    """Whether these replies give an answer with its sources (the list, as before issue 11,
    or the one line with a Sources button)."""
    intro = conversation.catalog.render("common.sources_intro", lang)
    return any("common.source_line" in r.keys or intro in r.text
               or any((b.data or "").startswith("s:") for b in r.buttons) for r in replies)


async def typed_value(conversation: Conversation) -> str:
    state = await conversation.store.load(USER)
    step = conversation.engine.current_step(state)
    wanted = step.input if step is not None else None
    if wanted is None:
        return "1"
    if wanted.type == "date":
        day = DAY + timedelta(days=max(wanted.min, 3))
        return f"{day.day:02d}/{day.month:02d}"
    return str(wanted.min + (wanted.max - wanted.min) // 4)


async def walk(conversation: Conversation, flow: str, lang: str) -> Walk:
    await conversation.store.delete(USER)
    state = await conversation.store.load(USER)
    state.lang = lang
    await conversation.store.save(state)
    await conversation.handle(Incoming(USER, text="/start"))
    result = await conversation.handle(Incoming(USER, data=f"g:{flow}"))
    found = Walk()
    taps = 1
    while True:
        replies = result.replies
        found.measure(replies)
        if found.taps is None and answers(conversation, lang, replies):
            found.taps, found.messages = taps, len(replies)
            sources = next((b.data for r in replies for b in r.buttons
                            if (b.data or "").startswith("s:")), None)
            if sources is not None:
                found.measure((await conversation.handle(Incoming(USER, data=sources))).replies)
        buttons = [b.data for b in (replies[-1].buttons if replies else []) if b.data is not None]
        options = [d for d in buttons if d.startswith("o:")]
        if options:
            incoming = Incoming(USER, data=options[0])
        elif replies and replies[-1].expects_number:
            incoming = Incoming(USER, text=await typed_value(conversation))
        else:
            break
        if taps >= MAX_TAPS:
            break
        result = await conversation.handle(incoming)
        taps += 1
    found.taps_to_end = taps
    if found.taps is None:
        found.taps, found.messages = taps, len(result.replies)
    return found


async def run(langs: list[str]) -> None:
    conversation = build_conversation(store=MemoryStore(), nlu=load_nlu(progress=None),
                                      today=lambda: DAY)
    topics = [f.flow for f in conversation.dialogues.menu()]
    walks = {(flow, lang): await walk(conversation, flow, lang)
             for flow in topics for lang in langs}
    head = "".join(f" | {lang} longest | {lang} taps | {lang} msgs" for lang in langs)
    print(f"{'topic':<18}{head} | longest {langs[0]} message (first keys)")
    for flow in topics:
        cells = "".join(f" | {walks[flow, lang].longest:>10} | {walks[flow, lang].taps:>7} |"
                        f" {walks[flow, lang].messages:>7}" for lang in langs)
        print(f"{flow:<18}{cells} | {walks[flow, langs[0]].longest_keys}")
    for lang in langs:
        worst = max(walks[f, lang].longest for f in topics)
        print(f"longest {lang} message over the topics: {worst}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", action="append", help="languages (default: fr and en)")
    args = parser.parse_args()
    asyncio.run(run(args.lang or ["fr", "en"]))


if __name__ == "__main__":
    main()
