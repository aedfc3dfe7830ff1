"""The embedded intent classifier: scikit-learn, trained from nlu_data/, cached on disk.

Word and character n-grams (TF-IDF) feed a logistic regression, one model for every
language: character n-grams cope with typos, missing accents and any script. The model is
retrained only when the training files, the settings or the library versions change.
"""

from __future__ import annotations

import hashlib
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import sklearn
from pydantic import BaseModel, ConfigDict
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import SGDClassifier
from sklearn.pipeline import FeatureUnion, Pipeline

from bot.matching import ARABIC_SCRIPT
from bot.model_cache import load_cached, store_cached
from bot.nlu.data import Example, read_training_data, training_files
from bot.nlu.fast_tfidf import union
from bot.nlu.language import LanguageDetector, train_detector
from bot.nlu.types import FALLBACK_INTENT, IntentResult
from rules_engine.yamlfile import load_model

# bump when the features or the model change, so old caches are not reused
MODEL_VERSION = "7"  # 6: Latin-script ar fa ps ti ru uk; 7: the detector caches fast features
MAX_CHARS = 500


class NluSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    threshold: float
    floor: float
    # from this probability of the `distress` intent, first or not, the emergency numbers
    # are given (bot/distress.py): lower than `threshold`, a miss costs more than an alarm
    distress: float = 0.3
    # from this probability of the binary distress model (bot/distress_model.py), the
    # emergency numbers are given; above 1, the model is not used
    distress_model: float = 1.1
    # from this confidence in another intent, the binary model is not asked (a clear topic)
    distress_veto: float = 1.1


def normalise(text: str) -> str:
    """Lower case, no accents or Arabic short vowels, straight quotes, single spaces."""
    text = unicodedata.normalize("NFKD", text[:MAX_CHARS].lower())
    text = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf"))
    text = text.replace("’", "'").replace("ـ", "")  # tatweel is decoration
    text = text.translate(ARABIC_SCRIPT)
    return " ".join(text.split())


def build_pipeline() -> Pipeline:
    features = FeatureUnion([
        ("words", TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                  token_pattern=r"(?u)\b\w+\b", min_df=1)),
        ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True,
                                  min_df=1)),
    ])
    # a logistic loss fitted by SGD: as accurate here as LogisticRegression's solver on the
    # eight languages' data, ten times faster to train; alpha chosen by 3-fold
    # cross-validation on the training data (1e-5, 3e-5, 3e-6: 3e-6 best once thresholded)
    classifier = SGDClassifier(loss="log_loss", alpha=3e-6, max_iter=100, tol=1e-4,
                               random_state=0)
    return Pipeline([("features", features), ("classifier", classifier)])


def fingerprint(root: Path, settings_path: Path) -> str:
    digest = hashlib.sha256()
    digest.update(f"{MODEL_VERSION}|{sklearn.__version__}".encode())
    for path in [*training_files(root), settings_path]:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class EmbeddedNlu:
    """A trained classifier with its confidence thresholds."""

    pipeline: Pipeline
    settings: NluSettings
    labels: list[str]
    detector: LanguageDetector

    def __post_init__(self) -> None:
        # Scoring one message through Pipeline.predict_proba spends most of its time in
        # input validation; the same one-vs-rest logistic probabilities, computed here
        # directly, are many times faster (checked equal in tests/bot/nlu).
        features = self.pipeline.named_steps["features"]
        classifier = self.pipeline.named_steps["classifier"]
        self._row = union([v for _, v in features.transformer_list])
        self._weights = np.ascontiguousarray(classifier.coef_.T)
        self._bias = classifier.intercept_

    def probabilities(self, cleaned: str) -> Any:
        scores = self._row(cleaned).dot(self._weights) + self._bias
        if len(scores) == 1:  # two intents: sklearn keeps one weight row, for the second
            positive = 1.0 / (1.0 + np.exp(-scores[0]))
            return np.array([1.0 - positive, positive])
        # as SGDClassifier.predict_proba: one sigmoid per intent, normalised
        sigmoid = 1.0 / (1.0 + np.exp(-scores))
        total = sigmoid.sum()
        return sigmoid / total if total > 0 else np.full(len(sigmoid), 1.0 / len(sigmoid))

    def parse_sync(self, text: str) -> IntentResult:
        cleaned = normalise(text)
        if not any(c.isalnum() for c in cleaned):  # emoji or punctuation only
            return IntentResult(FALLBACK_INTENT, 0.0, [])
        probabilities = self.probabilities(cleaned)
        order = probabilities.argsort()[::-1][:5]
        ranking = [(self.labels[i], float(probabilities[i])) for i in order]
        best, confidence = ranking[0]
        return IntentResult(best, confidence, ranking)

    async def parse(self, text: str, lang: str | None = None) -> IntentResult:
        return self.parse_sync(text)


def train(examples: list[Example], settings: NluSettings) -> EmbeddedNlu:
    pipeline = build_pipeline()
    pipeline.fit([normalise(e.text) for e in examples], [e.intent for e in examples])
    labels = [str(label) for label in pipeline.classes_]
    return EmbeddedNlu(pipeline, settings, labels, train_detector(examples))


def load_or_train(
    root: Path,
    cache: Path,
    progress: Callable[[str], Any] | None = None,
) -> EmbeddedNlu:
    """The cached model for the current nlu_data/, training it first when needed."""
    settings_path = root / "config.yml"
    settings = load_model(NluSettings, settings_path)
    key = fingerprint(root, settings_path)
    model_path = cache / f"nlu-embedded-{key}.joblib"
    cached = load_cached(model_path, lambda content: EmbeddedNlu(
        pipeline=content[0], settings=settings, labels=content[1], detector=content[2]))
    if cached is not None:
        return cached
    examples = read_training_data(root)
    say = progress or (lambda _message: None)
    say(f"Training the language model on {len(examples)} examples…")
    started = time.perf_counter()
    model = train(examples, settings)
    say(f"Trained in {time.perf_counter() - started:.1f} s.")
    store_cached(model_path, (model.pipeline, model.labels, model.detector), "nlu-embedded")
    return model
