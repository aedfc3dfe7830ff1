"""Recall and false alarms of the distress detector on the held-back messages, per language.

Run: .venv/bin/python bench/distress.py [--set distress_heldout_2] [--threshold 0.3] [--show]
The first set (tests/data/distress_heldout/) was read while the lists were tuned; the second
(tests/data/distress_heldout_2/) was written afterwards by someone who saw neither: it is the
one that measures unseen messages.
Columns: phrase lists alone; lists + the binary distress model (bot/distress_model.py) at
`distress_model` of nlu_data/config.yml; then both + the language model's `distress` intent
at `distress` of nlu_data/config.yml (or --threshold): what the guide does.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from bot import paths
from bot.app import load_distress, load_nlu
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
    nlu = load_nlu(progress=None)
    lists = load_distress(1.1)
    with_model = load_distress(nlu.settings.distress_model)
    threshold = args.threshold if args.threshold is not None else nlu.settings.distress
    print(f"{'lang':<5} {'lists: recall':>14} {'alarms':>7}   "
          f"{'+ model ≥ ' + format(nlu.settings.distress_model, '.2f') + ': recall':>24} "
          f"{'alarms':>7}   {'+ NLU ≥ ' + format(threshold, '.2f') + ': recall':>22} "
          f"{'alarms':>7}")
    for lang in languages:
        heldout = read_heldout(DATA / args.set / f"{lang}.yml")
        columns = [score(heldout, lists), score(heldout, with_model),
                   score(heldout, with_model, nlu.parse_sync, threshold,
                         nlu.settings.distress_veto)]
        print(f"{lang:<5} " + "   ".join(
            f"{s.caught:>8}/{s.cries:<3} {s.recall:6.1%} {s.false_alarm_rate:6.1%}"
            for s in columns))
        both = columns[-1]
        if args.show:
            for text in both.missed:
                print(f"      missed: {text}")
            for text in both.false_alarms:
                print(f"      alarm:  {text}")


if __name__ == "__main__":
    main()
