"""Cross-validation of the distress model (bot/distress_model.py) on the training data only.

Run: .venv/bin/python bench/distress_cv.py [--folds 5] [--c 10]
The NLU examples of nlu_data/<lang>/*.yml are split in folds (stratified on distress or
not); the model is trained on the other folds plus every phrase of nlu_data/distress.yml and
scored on the fold left out. Prints, per language and threshold, the recall on `distress`
examples (model alone, and phrase lists OR model; the lists were widened while reading these
examples, so only the model's figure is cross-validated) and the false-alarm rate on the other
examples (all of them, and the look-alikes of distress_not.yml), then the highest threshold
whose model-alone recall is at least --target in every language.
No held-back file is read: tests/data/ measures what this chooses.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

import numpy as np
from sklearn.model_selection import StratifiedKFold

from bot import distress_model as dm
from bot import paths
from bot.distress import DISTRESS_INTENT, read_distress
from bot.i18n import declared
from bot.matching import fold
from bot.nlu.data import read_training_data

THRESHOLDS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.6, 0.7, 0.8)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--c", type=float, default=None, help="override the model's C")
    parser.add_argument("--target", type=float, default=0.95)
    parser.add_argument("--weight", type=float, default=None,
                        help="override the weight of the distress class (default: balanced)")
    parser.add_argument("--no-phrases", action="store_true",
                        help="train without the phrases of nlu_data/distress.yml: they were "
                             "widened while reading these examples, so this is the stricter "
                             "figure")
    args = parser.parse_args()
    root = paths.nlu_data_dir()
    languages = declared(paths.translations_dir())
    lists = read_distress(root / "distress.yml", languages)
    examples = read_training_data(root)
    texts = [fold(e.text) for e in examples]
    labels = np.array([int(e.intent == DISTRESS_INTENT) for e in examples])
    all_texts, all_labels = dm.training_set(root)
    extra_texts, extra_labels = all_texts[len(texts):], all_labels[len(texts):]
    if args.no_phrases:
        extra_texts, extra_labels = [], []
    by_lists = np.array([lists.detect(e.text) is not None for e in examples])
    probability = np.zeros(len(examples))
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=0)
    for train, test in folds.split(texts, labels):
        vectorizer = dm.build_vectorizer()
        matrix = vectorizer.fit_transform([texts[i] for i in train] + extra_texts)
        classifier = dm.build_classifier()
        if args.c is not None:
            classifier.set_params(C=args.c)
        if args.weight is not None:
            classifier.set_params(class_weight={0: 1.0, 1: args.weight})
        classifier.fit(matrix, [int(labels[i]) for i in train] + extra_labels)
        model = dm.DistressModel(vectorizer, classifier.coef_[0],
                                 float(classifier.intercept_[0]), 0.5)
        for i in test:
            probability[i] = model.probability(lists.readable(examples[i].text))
    look_alike = np.array(["distress_not" in e.file for e in examples])
    langs = np.array([e.lang for e in examples])
    best: float | None = None
    counts: dict[str, int] = defaultdict(int)
    for lang in languages:
        counts[lang] = int(((langs == lang) & (labels == 1)).sum())
    print("distress examples per language: "
          + ", ".join(f"{lang} {counts[lang]}" for lang in languages))
    print("lists alone: recall "
          + ", ".join(f"{lang} {by_lists[(langs == lang) & (labels == 1)].mean():.0%}"
                      for lang in languages))
    for threshold in THRESHOLDS:
        said = probability >= threshold
        either = said | by_lists
        recalls = {lang: float(either[(langs == lang) & (labels == 1)].mean())
                   for lang in languages}
        # the lists were widened while reading these examples: the model alone is the
        # honest cross-validated figure, and the one the threshold is chosen on
        alone_recalls = {lang: float(said[(langs == lang) & (labels == 1)].mean())
                         for lang in languages}
        alone = said[labels == 1].mean()
        print(f"≥ {threshold:.2f}: model alone recall {alone:.1%}, lists+model recall "
              f"{either[labels == 1].mean():.1%} (min {min(recalls.values()):.1%}), "
              f"false alarms {either[labels == 0].mean():.1%} "
              f"(look-alikes {either[look_alike].mean():.1%}, model alone "
              f"{said[labels == 0].mean():.1%})")
        print("        lists+model " + ", ".join(f"{lang} {r:.0%}" for lang, r in recalls.items()))
        print("        model alone " + ", ".join(f"{lang} {r:.0%}"
                                                 for lang, r in alone_recalls.items()))
        if min(alone_recalls.values()) >= args.target:
            best = threshold
    print(f"highest threshold with model-alone recall ≥ {args.target:.0%} in every "
          f"language: {best}")


if __name__ == "__main__":
    main()
