"""The fast features give the numbers scikit-learn gives, on every held-back message."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from sklearn.feature_extraction.text import TfidfVectorizer

from bot import paths
from bot.distress_model import load_or_train
from bot.matching import fold
from bot.nlu.data import read_examples
from bot.nlu.embedded import EmbeddedNlu, normalise
from bot.nlu.fast_tfidf import FastTfidf, union

DATA = Path(__file__).parents[2] / "data"
TEXTS = [e.text for folder in ("nlu_heldout", "nlu_heldout_new")
         for path in sorted((DATA / folder).glob("*.yml"))
         for e in read_examples(path, path.stem)]


def test_there_are_messages_to_compare() -> None:
    assert len(TEXTS) > 4000


def test_the_intent_model_gives_the_pipelines_probabilities(nlu: EmbeddedNlu) -> None:
    cleaned = [normalise(t) for t in TEXTS]
    expected = nlu.pipeline.predict_proba(cleaned)
    got = np.array([nlu.probabilities(c) for c in cleaned])
    assert np.allclose(got, expected, atol=1e-9)


def test_the_distress_model_gives_the_vectorizers_numbers() -> None:
    model = load_or_train(paths.nlu_data_dir(), paths.cache_dir(), threshold=0.5)
    folded = [fold(t) for t in TEXTS]
    expected = model.vectorizer.transform(folded) @ model.weights
    fast = FastTfidf.of(model.vectorizer)
    got = [fast.row(text).dot(model.weights[:, None])[0] for text in folded]
    assert np.allclose(got, expected, atol=1e-9)
    assert model.probability("je dors dehors avec mes enfants ce soir") > 0.5


@pytest.mark.parametrize("settings", [
    {"analyzer": "word", "ngram_range": (1, 2), "sublinear_tf": True},
    {"analyzer": "char_wb", "ngram_range": (2, 4), "sublinear_tf": False},
    {"analyzer": "char", "ngram_range": (1, 3), "use_idf": False},
    {"analyzer": "word", "norm": None},
])
def test_any_vectorizer_setting_it_supports(settings: dict[str, object]) -> None:
    train = TEXTS[::7]
    vectorizers = [TfidfVectorizer(**settings).fit(train),  # type: ignore[arg-type]
                   TfidfVectorizer(analyzer="char_wb").fit(train)]
    row = union(vectorizers)
    for text in [*TEXTS[1::97], "", "zzzz qqqq"]:
        expected = np.hstack([v.transform([text]).toarray()[0] for v in vectorizers])
        dense = np.zeros(len(expected))
        got = row(text)
        dense[got.columns] = got.values
        assert np.allclose(dense, expected)


def test_an_unsupported_norm_is_refused() -> None:
    with pytest.raises(ValueError, match="l1"):
        FastTfidf.of(TfidfVectorizer(norm="l1").fit(["ab bc", "bc cd"]))
