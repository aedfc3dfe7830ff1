"""Precision and recall of the secret detector (bot/privacy.py) on tests/data/privacy/*.yml,
per language, and its cost per message.

Run: .venv/bin/python bench/privacy.py [--show]   (--show prints the misses and false alarms)
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from bot.privacy import looks_secret
from bot.privacy_eval import Score, read_corpus, score

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "data" / "privacy"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print the misses and alarms")
    args = parser.parse_args()
    total = Score("all")
    texts: list[str] = []
    print(f"{'lang':<5} {'caught':>9} {'recall':>7} {'precision':>9} {'false alarms':>14}")
    for path in sorted(CORPUS.glob("*.yml")):
        corpus = read_corpus(path)
        texts += [line.text for line in [*corpus.secret, *corpus.innocent]]
        s = score(corpus, looks_secret)
        print(f"{s.lang:<5} {s.caught:>4}/{s.secrets:<4} {s.recall:>7.1%} {s.precision:>9.1%} "
              f"{s.alarms:>5}/{s.innocents:<4}")
        for name in ("secrets", "caught", "innocents", "alarms"):
            setattr(total, name, getattr(total, name) + getattr(s, name))
        total.missed += s.missed
        total.false_alarms += s.false_alarms
    print(f"{'all':<5} {total.caught:>4}/{total.secrets:<4} {total.recall:>7.1%} "
          f"{total.precision:>9.1%} {total.alarms:>5}/{total.innocents:<4}")
    start = time.perf_counter()
    rounds = 20
    for _ in range(rounds):
        for text in texts:
            looks_secret(text)
    spent = (time.perf_counter() - start) / max(1, rounds * len(texts))
    print(f"cost: {spent * 1e6:.0f} µs per message ({len(texts)} messages, {rounds} rounds)")
    if args.show:
        for line in total.missed:
            print(f"missed      [{line.kind}] {line.text}")
        for line in total.false_alarms:
            print(f"false alarm [{line.kind}] {line.text}")


if __name__ == "__main__":
    main()
