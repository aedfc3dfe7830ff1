"""Time one message through the shell core: NLU + dialogue + rules + rendering.

Prints the median and tail per kind of input (free text, button press) and, for comparison in
the same run, the NLU parse alone. Run: .venv/bin/python bench/core.py [--rounds N]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from datetime import date
from pathlib import Path

from bot.app import build_conversation, load_nlu
from bot.messages import Incoming
from bot.nlu.data import read_examples
from bot.state import MemoryStore

ROOT = Path(__file__).resolve().parent.parent


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def line(name: str, values: list[float]) -> str:
    ms = [v * 1000 for v in values]
    return (f"{name:<28} n={len(ms):>5}  p50={statistics.median(ms):6.2f} ms  "
            f"p90={percentile(ms, 0.9):6.2f} ms  p99={percentile(ms, 0.99):6.2f} ms")


async def run(rounds: int) -> None:
    nlu = load_nlu()
    conversation = build_conversation(store=MemoryStore(), nlu=nlu,
                                      today=lambda: date(2026, 11, 27))
    texts = [e.text for lang in ("fr", "en")
             for e in read_examples(ROOT / "tests/data/nlu_heldout" / f"{lang}.yml", lang)]
    free, presses, parses = [], [], []
    for _ in range(rounds):
        for number, text in enumerate(texts):
            user = f"u{number % 50}"
            started = time.perf_counter()
            result = await conversation.handle(Incoming(user, text=text))
            free.append(time.perf_counter() - started)
            buttons = [b for r in result.replies for b in r.buttons if b.data is not None]
            if buttons:
                started = time.perf_counter()
                await conversation.handle(Incoming(user, data=buttons[0].data))
                presses.append(time.perf_counter() - started)
            started = time.perf_counter()
            nlu.parse_sync(text)
            parses.append(time.perf_counter() - started)
    print(line("free text (whole core)", free))
    print(line("button press (whole core)", presses))
    print(line("all messages (whole core)", free + presses))
    print(line("NLU parse alone", parses))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    asyncio.run(run(parser.parse_args().rounds))


if __name__ == "__main__":
    main()
