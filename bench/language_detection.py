"""Accuracy of the language detector on held-back messages (tests/data/nlu_heldout/).

For each language: how many messages are long enough to tell (shorter ones are never
judged), how often the detected language is then right, how often the guide would offer a
switch (long and clear enough), and how many of those offers would be wrong.
Run: .venv/bin/python bench/language_detection.py
"""

from __future__ import annotations

from pathlib import Path

from bot.app import load_nlu
from bot.nlu.data import read_examples
from bot.nlu.language import MIN_LETTERS

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "nlu_heldout"


def main() -> None:
    detector = load_nlu().detector
    print(f"{'lang':<5} {'n':>4} {'long enough':>12} {'right (long)':>13} {'offer made':>11} "
          f"{'offer wrong':>12}")
    total = right_total = long_total = 0
    for path in sorted(HELDOUT.glob("*.yml")):
        examples = read_examples(path, path.stem)
        right = offered = offered_wrong = long_enough = 0
        for example in examples:
            found = detector.detect(example.text)
            right += found.lang == example.lang
            long_enough += found.letters >= MIN_LETTERS
            if found.sure():
                offered += 1
                offered_wrong += found.lang != example.lang
        n = len(examples)
        total, right_total = total + n, right_total + right
        print(f"{path.stem:<5} {n:>4} {long_enough / n:>12.1%} "
              f"{right / max(1, long_enough):>13.1%} {offered / n:>11.1%} {offered_wrong:>12}")
        long_total += long_enough
    print(f"{'all':<5} {total:>4} {long_total / total:>12.1%} "
          f"{right_total / max(1, long_total):>13.1%}")


if __name__ == "__main__":
    main()
