"""Recall and false alarms of the distress detector on the held-back messages, per language.

Run: .venv/bin/python bench/distress.py [--set distress_heldout_2] [--threshold 0.3] [--show]
The first set (tests/data/distress_heldout/) was read while the lists were tuned; the second
(tests/data/distress_heldout_2/) was written afterwards by someone who saw neither: it is the
one that measures unseen messages.
Columns: phrase lists alone, then lists + the language model's `distress` intent at the
threshold of nlu_data/config.yml (or --threshold).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot import paths
from bot.app import load_nlu
from bot.distress import read_distress
from bot.distress_eval import read_heldout, score
from bot.i18n import declared

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threshold", type=float, default=None)
    parser.add_argument("--show", action="store_true", help="print the misses and alarms")
    parser.add_argument("--set", default="distress_heldout",
                        help="folder under tests/data/ (distress_heldout, distress_heldout_2)")
    args = parser.parse_args()
    languages = declared(paths.translations_dir())
    distress = read_distress(paths.nlu_data_dir() / "distress.yml", languages)
    nlu = load_nlu(progress=None)
    threshold = args.threshold if args.threshold is not None else nlu.settings.distress
    print(f"{'lang':<5} {'lists: recall':>14} {'false alarms':>13}   "
          f"{'+ NLU ≥ ' + format(threshold, '.2f') + ': recall':>22} {'false alarms':>13}")
    for lang in languages:
        heldout = read_heldout(DATA / args.set / f"{lang}.yml")
        alone = score(heldout, distress)
        both = score(heldout, distress, nlu.parse_sync, threshold)
        print(f"{lang:<5} {alone.caught:>3}/{alone.cries:<3} {alone.recall:6.1%} "
              f"{alone.alarms:>3}/{alone.others:<3} {alone.false_alarm_rate:5.1%}   "
              f"{both.caught:>10}/{both.cries:<3} {both.recall:6.1%} "
              f"{both.alarms:>5}/{both.others:<3} {both.false_alarm_rate:5.1%}")
        if args.show:
            for text in both.missed:
                print(f"      missed: {text}")
            for text in both.false_alarms:
                print(f"      alarm:  {text}")


if __name__ == "__main__":
    main()
