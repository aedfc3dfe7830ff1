"""How long the checklist PDF takes to make, per language: the document /checklist gives after
the papers topic (a refugee with a residence permit, who worked in France, no carte Vitale),
drawn by bot/checklist_pdf.py. Telegram makes it in a worker thread (bot/channels/
telegram_files.py), so this is the wait before the file is sent, not a blocked event loop.

Run: .venv/bin/python bench/checklist_pdf.py [--rounds 5]
Prints, per language, the median and the slowest of the rounds in ms, the file's size, and
each median as a ratio of the French one (the same machine, the same run).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import statistics
import time
from datetime import date

from bot import payloads
from bot.app import build_conversation, load_nlu
from bot.checklist_pdf import pdf_of, read_fonts
from bot.conversation import Conversation
from bot.messages import Document, Incoming
from bot.state import MemoryStore

ANSWERS = (("status", "refugee"), ("document", "residence_permit"), ("has_worked", True),
           ("has_vitale_card", False))


async def document_in(base: Conversation, lang: str) -> Document:
    conversation = dataclasses.replace(base, store=MemoryStore(), default_lang=lang)
    await conversation.handle(Incoming("u", text="/menu", language_hint=lang))
    flow = conversation.dialogues.flows["documents"]
    steps = {s.slot: (name, s) for name, s in flow.steps.items() if s.slot}
    presses: list[payloads.Payload] = [payloads.Goto("documents")]
    for slot, value in ANSWERS:
        name, step = steps[slot]
        index = next(i for i, o in enumerate(step.options) if o.value == value)
        presses.append(payloads.Option(f"documents.{name}", index))
    for press in presses:
        await conversation.handle(Incoming("u", data=payloads.pack(press)))
    result = await conversation.handle(Incoming("u", text="/checklist"))
    return next(r.document for r in result.replies if r.document is not None)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    base = build_conversation(store=MemoryStore(), nlu=load_nlu(progress=None),
                              today=lambda: date(2026, 12, 4))
    fonts = read_fonts()
    rows = []
    for lang in base.catalog.languages():
        document = await document_in(base, lang)
        # not counted: the first call loads the shaping and font libraries (each PDF
        # still reads its fonts: fpdf2 keeps them per document)
        pdf_of(document, fonts)
        times, size = [], 0
        for _ in range(args.rounds):
            start = time.perf_counter()
            size = len(pdf_of(document, fonts))
            times.append((time.perf_counter() - start) * 1000)
        rows.append((lang, statistics.median(times), max(times), size))
    french = next(median for lang, median, _, _ in rows if lang == "fr")
    print(f"{'lang':<5} {'median ms':>10} {'slowest ms':>11} {'bytes':>8} {'× fr':>6}")
    for lang, median, slowest, size in rows:
        print(f"{lang:<5} {median:>10.0f} {slowest:>11.0f} {size:>8,} {median / french:>6.2f}")


if __name__ == "__main__":
    asyncio.run(main())
