"""A small binary model, distress or not, from character n-grams: the net behind the lists.

The phrase lists (bot/distress.py) catch the words someone wrote down; people in a bad
moment write other words, other spellings, other dialects. This model reads characters, not
words, so "je veu plu vivr" or an unseen conjugation still resembles what it learnt. It is
trained on every `distress` example of nlu_data/<lang>/*.yml (positives) against every
other NLU example, the `not:` phrases of nlu_data/distress.yml and the ordinary look-alikes
of nlu_data/distress_lookalikes.yml (negatives), with balanced class weights: distress
examples are few.

It is trained on first use and cached on disk beside the intent model, retrained only when
the training files or the library change; its threshold is `distress_model` in
nlu_data/config.yml, chosen by cross-validation (bench/distress_cv.py) for recall first.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from pydantic import RootModel
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bot.distress import DISTRESS_INTENT, DistressFile
from bot.languages import check_languages
from bot.matching import fold
from bot.model_cache import load_cached, store_cached
from bot.nlu.data import read_training_data, training_files
from bot.nlu.fast_tfidf import FastTfidf
from rules_engine.yamlfile import DataFileError, line_of, load_model

# bump when the features or the model change, so old caches are not reused
MODEL_VERSION = "5"
# fewer words than this: "oui", "3 mois", a date, a name; the phrase lists alone judge
# them (a one-word cry, "suicide", "115", "help", is in the lists)
MIN_WORDS = 2
# ordinary messages that look like distress, per language: negatives of this model only
LOOKALIKES = "distress_lookalikes.yml"


class LookalikesFile(RootModel[dict[str, list[str]]]):
    pass


def read_lookalikes(path: Path, languages: list[str] | None = None) -> dict[str, list[str]]:
    """nlu_data/distress_lookalikes.yml, checked: known languages, no empty line; errors
    name the file and line."""
    table = load_model(LookalikesFile, path).root
    if languages is not None:
        check_languages(path, table, languages, None)
    for lang, lines in table.items():
        for index, line in enumerate(lines):
            if not fold(line):
                raise DataFileError(path, line_of(path, [lang, index]),
                                    f"{lang}.{index}: no letters or digits in {line!r}")
    return table


def build_vectorizer() -> TfidfVectorizer:
    # characters inside word boundaries, 2 to 5 long: copes with typos, missing accents,
    # unseen conjugations and any script, as the intent model does
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                           min_df=1)


def build_classifier() -> LogisticRegression:
    # C chosen by 5-fold cross-validation (bench/distress_cv.py); balanced class weights:
    # the distress examples are about one in twelve
    return LogisticRegression(class_weight="balanced", C=10.0, max_iter=2000)


def training_set(root: Path) -> tuple[list[str], list[int]]:
    """Folded texts (as bot/distress.py reads messages) and labels (1 = distress)."""
    texts: list[str] = []
    labels: list[int] = []
    for example in read_training_data(root):
        texts.append(fold(example.text))
        labels.append(int(example.intent == DISTRESS_INTENT))
    table = load_model(DistressFile, root / "distress.yml").root
    for entry in table.values():
        # the phrases themselves are not positives: thousands of two-word fragments taught
        # the model that any short message ("7 mois", "the letter") is distress; the lists
        # catch them anyway
        for phrase in entry.not_:
            texts.append(fold(phrase.replace("*", "")))
            labels.append(0)
    if (root / LOOKALIKES).exists():
        for lines in read_lookalikes(root / LOOKALIKES).values():
            texts.extend(fold(line) for line in lines)
            labels.extend(0 for _ in lines)
    return texts, labels


@dataclass
class DistressModel:
    """The fitted vectoriser and the logistic weights, with the threshold to act from."""

    vectorizer: TfidfVectorizer
    weights: Any
    bias: float
    threshold: float

    def __post_init__(self) -> None:
        self._features = FastTfidf.of(self.vectorizer)

    def probability(self, text: str) -> float:
        """How likely the message is a cry for help, 0 to 1; 0 for a too short message."""
        cleaned = fold(text)
        if len(cleaned.split()) < MIN_WORDS:
            return 0.0
        row = self._features.row(cleaned)
        score = float(row.values @ self.weights[row.columns]) + self.bias
        return float(1.0 / (1.0 + np.exp(-score)))

    def says_distress(self, text: str) -> bool:
        return self.probability(text) >= self.threshold


def fit(texts: list[str], labels: list[int], threshold: float) -> DistressModel:
    vectorizer = build_vectorizer()
    matrix = vectorizer.fit_transform(texts)
    classifier = build_classifier().fit(matrix, labels)
    weights = np.ascontiguousarray(classifier.coef_[0])
    return DistressModel(vectorizer, weights, float(classifier.intercept_[0]), threshold)


def fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"{MODEL_VERSION}|{sklearn.__version__}".encode())
    for path in [*training_files(root), root / "distress.yml", root / LOOKALIKES]:
        if not path.exists():
            continue
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def load_or_train(root: Path, cache: Path, threshold: float) -> DistressModel:
    """The cached model for the current nlu_data/, training it first when needed."""
    model_path = cache / f"distress-model-{fingerprint(root)}.joblib"
    cached = load_cached(model_path, lambda content: DistressModel(
        vectorizer=content[0], weights=content[1], bias=content[2], threshold=threshold))
    if cached is not None:
        return cached
    model = fit(*training_set(root), threshold)
    store_cached(model_path, (model.vectorizer, model.weights, model.bias), "distress-model")
    return model
