"""Accuracy of the language detector on held-back messages (tests/data/nlu_heldout/).

For each language: how often the detected language is right, and how often the guide would
offer a switch (long and clear enough) — and how often such an offer would be wrong.
Run: .venv/bin/python bench/language_detection.py
"""

from __future__ import annotations

from pathlib import Path

from bot.app import load_nlu
from bot.nlu.data import read_examples

HELDOUT = Path(__file__).resolve().parent.parent / "tests" / "data" / "nlu_heldout"


def main() -> None:
    detector = load_nlu().detector
    print(f"{'lang':<5} {'n':>4} {'detected right':>15} {'offer made':>11} {'offer wrong':>12}")
    total = right_total = 0
    for path in sorted(HELDOUT.glob("*.yml")):
        examples = read_examples(path, path.stem)
        right = offered = offered_wrong = 0
        for example in examples:
            found = detector.detect(example.text)
            right += found.lang == example.lang
            if found.sure():
                offered += 1
                offered_wrong += found.lang != example.lang
        n = len(examples)
        total, right_total = total + n, right_total + right
        print(f"{path.stem:<5} {n:>4} {right / n:>15.1%} {offered / n:>11.1%} "
              f"{offered_wrong:>12}")
    print(f"{'all':<5} {total:>4} {right_total / total:>15.1%}")


if __name__ == "__main__":
    main()
