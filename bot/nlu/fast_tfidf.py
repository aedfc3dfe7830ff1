"""One message's TF-IDF features, as a fitted TfidfVectorizer gives them, without its overhead.

The guide scores one short message at a time, up to four times a turn (the intent model, read
again past a greeting, the distress model, the language detector). Through
`TfidfVectorizer.transform` most of that time goes to input validation and to building a
sparse matrix of one row; the same numbers, computed here from the fitted vocabulary and idf
weights, take a fraction of it (bench/core.py). tests/bot/nlu/test_fast_tfidf.py checks they
are equal to scikit-learn's on every held-back message.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer


@dataclass(frozen=True)
class Row:
    """The non-zero features of one message: their columns and their values."""

    columns: Any  # np.ndarray of int
    values: Any  # np.ndarray of float

    def dot(self, weights: Any) -> Any:
        """row @ weights, for weights of shape (features, classes)."""
        if len(self.columns) == 0:
            return np.zeros(weights.shape[1])
        return self.values @ weights[self.columns]


@dataclass(frozen=True)
class FastTfidf:
    analyze: Callable[[str], Sequence[str]]
    vocabulary: dict[str, int]
    idf: Any  # np.ndarray, or None without idf weighting
    sublinear: bool
    l2: bool
    offset: int = 0

    @classmethod
    def of(cls, vectorizer: TfidfVectorizer, offset: int = 0) -> FastTfidf:
        if vectorizer.norm not in ("l2", None):
            raise ValueError(f"norm={vectorizer.norm!r} is not supported")
        idf = vectorizer.idf_ if vectorizer.use_idf else None
        return cls(vectorizer.build_analyzer(), dict(vectorizer.vocabulary_), idf,
                   bool(vectorizer.sublinear_tf), vectorizer.norm == "l2", offset)

    def row(self, text: str) -> Row:
        counts = Counter(self.vocabulary[t] for t in self.analyze(text) if t in self.vocabulary)
        if not counts:
            return Row(np.zeros(0, dtype=np.intp), np.zeros(0))
        columns = np.fromiter(counts.keys(), dtype=np.intp, count=len(counts))
        values = np.fromiter(counts.values(), dtype=float, count=len(counts))
        if self.sublinear:
            values = np.log(values) + 1.0
        if self.idf is not None:
            values = values * self.idf[columns]
        if self.l2:
            norm = float(np.sqrt(values @ values))
            if norm > 0:
                values = values / norm
        return Row(columns + self.offset, values)


def union(vectorizers: Sequence[TfidfVectorizer]) -> Callable[[str], Row]:
    """The row of a FeatureUnion of vectorizers: their features side by side."""
    parts: list[FastTfidf] = []
    offset = 0
    for vectorizer in vectorizers:
        parts.append(FastTfidf.of(vectorizer, offset))
        offset += len(vectorizer.vocabulary_)

    def row(text: str) -> Row:
        rows = [part.row(text) for part in parts]
        return Row(np.concatenate([r.columns for r in rows]),
                   np.concatenate([r.values for r in rows]))

    return row
