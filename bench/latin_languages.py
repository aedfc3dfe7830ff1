"""False offers of a language switch on ordinary French and English lines, and recognition
of Arabic, Persian, Pashto, Tigrinya, Russian and Ukrainian typed in Latin letters.

Every held-back corpus of tests/data/ is read (never trained on): its fr and en lines are the
ordinary lines, on which any offer is a false one; the Latin-script lines of the other
languages (Arabizi, Finglish…) are the ones the detector should recognise. The detector is
trained from nlu_data/ directly (no cache), so this measures the code of the working tree.
Run: .venv/bin/python bench/latin_languages.py [--show]
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path
from typing import Any

from bot.nlu.data import read_training_data
from bot.nlu.language import MIN_LETTERS, script, train_detector
from rules_engine.yamlfile import load_yaml

ROOT = Path(__file__).resolve().parent.parent
CORPORA = ("nlu_heldout", "nlu_heldout_new", "distress_heldout", "distress_heldout_2",
           "privacy")


def texts_in(data: Any) -> list[str]:
    """Every message of a held-back file: Rasa `examples` blocks and `text:` fields."""
    if isinstance(data, dict):
        found = [data["text"]] if isinstance(data.get("text"), str) else []
        if isinstance(data.get("examples"), str):
            found += [line.strip()[2:].strip() for line in data["examples"].splitlines()
                      if line.strip().startswith("- ")]
        for key, value in data.items():
            if key not in ("text", "examples"):
                found += texts_in(value)
        return found
    if isinstance(data, list):
        return [t for item in data for t in texts_in(item)]
    return []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", action="store_true", help="print each false offer and miss")
    args = parser.parse_args()
    detector = train_detector(read_training_data(ROOT / "nlu_data"))
    lines: dict[str, list[str]] = {}
    questions: dict[str, list[str]] = {}  # without the privacy corpus's IBANs and passwords
    for corpus in CORPORA:
        for path in sorted((ROOT / "tests" / "data" / corpus).glob("*.yml")):
            texts = texts_in(load_yaml(path))
            lines.setdefault(path.stem, []).extend(texts)
            if corpus != "privacy":
                questions.setdefault(path.stem, []).extend(texts)
    print("Ordinary lines (fr, en): any other language detected / a switch offered")
    for lang in ("fr", "en"):
        other = offered = long_enough = 0
        for text in lines[lang]:
            found = detector.detect(text)
            long_enough += found.letters >= MIN_LETTERS
            if found.lang not in (None, lang):
                other += 1
                offered += found.sure()
                if args.show and found.sure():
                    print(f"  false offer {found.lang} {found.confidence:.2f}: {text}")
        print(f"  {lang}: {len(lines[lang])} lines, {long_enough} long enough; "
              f"detected as another language: {other}; false offers: {offered}")
    print("Latin-script lines of the other languages: offered the right language / the wrong "
          "one / none")
    for lang in ("ar", "fa", "ps", "ti", "ru", "uk"):
        latin = [t for t in questions.get(lang, []) if script(t) == "latin"]
        outcome: Counter[str] = Counter()
        for text in latin:
            found = detector.detect(text)
            kind = "none" if not found.sure() else "right" if found.lang == lang else "wrong"
            outcome[kind] += 1
            if args.show and kind != "right":
                print(f"  {kind} ({found.lang} {found.confidence:.2f}): {text}")
        print(f"  {lang}: {len(latin)} lines: right {outcome['right']}, wrong "
              f"{outcome['wrong']}, none {outcome['none']}")
    every = [t for texts in lines.values() for t in texts]
    started = time.perf_counter()
    for text in every:
        detector.detect(text)
    spent = (time.perf_counter() - started) / len(every)
    print(f"cost: {spent * 1e6:.0f} µs per message ({len(every)} messages)")


if __name__ == "__main__":
    main()
