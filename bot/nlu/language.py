"""Tell which of the guide's languages a message is written in.

The script narrows it down (Arabic: ar/fa/ps; Cyrillic: ru/uk; Ethiopic: ti; Latin: fr/en,
and every other language typed in Latin letters: Arabizi "bdi sajel", Finglish "mikham
sabtenam konam", romanised Pashto, Tigrinya, Russian, Ukrainian); within a script, character
n-grams learnt from nlu_data/ decide. The guide only ever *offers* to switch, and only when
the text is long enough to be sure.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline

from bot.nlu.data import Example
from bot.nlu.fast_tfidf import FastTfidf

# the script each language is written in
SCRIPT_OF = {"fr": "latin", "en": "latin", "ar": "arabic", "fa": "arabic", "ps": "arabic",
             "ru": "cyrillic", "uk": "cyrillic", "ti": "ethiopic"}
# Phones without the keyboard, or habit, make many people type their language in Latin
# letters; those examples teach the Latin-script model to tell it from French and English.
MIN_LETTERS = 8
# a message with at least this share of its letters in a non-Latin script is in that script
NON_LATIN_SHARE = 0.2
MIN_CONFIDENCE = 0.9


def script(text: str) -> str | None:
    """The script most letters of `text` are written in."""
    counts: Counter[str] = Counter()
    for char in text:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith("LATIN"):
            counts["latin"] += 1
        elif name.startswith("ARABIC"):
            counts["arabic"] += 1
        elif name.startswith("CYRILLIC"):
            counts["cyrillic"] += 1
        elif name.startswith("ETHIOPIC"):
            counts["ethiopic"] += 1
    if not counts:
        return None
    # People who write Arabic, Persian, Russian or Tigrinya put French words in Latin letters
    # into their sentences ("який телефон у france travail?"): a fair share of their own
    # script says more about the language than the borrowed words do.
    others = [(n, s) for s, n in counts.items() if s != "latin"]
    if others:
        most, name = max(others)
        if most >= NON_LATIN_SHARE * sum(counts.values()):
            return name
    return counts.most_common(1)[0][0]


@dataclass(frozen=True)
class Detected:
    lang: str | None
    confidence: float
    letters: int

    def sure(self) -> bool:
        """Long enough and clear enough to offer a switch of language."""
        return (self.lang is not None and self.confidence >= MIN_CONFIDENCE
                and self.letters >= MIN_LETTERS)


@dataclass
class LanguageDetector:
    models: dict[str, Any] = field(default_factory=dict)
    only: dict[str, str] = field(default_factory=dict)
    # each model's features, computed without scikit-learn's per-call overhead; built on
    # first use, so a detector loaded from the cache gets them too
    _fast: dict[str, FastTfidf] = field(default_factory=dict, repr=False, compare=False)

    def detect(self, text: str) -> Detected:
        letters = sum(1 for c in text if c.isalpha())
        if letters < MIN_LETTERS:
            return Detected(None, 0.0, letters)  # too short to tell: never worth the model
        found = script(text)
        if found is None:
            return Detected(None, 0.0, letters)
        if found in self.only:
            return Detected(self.only[found], 1.0, letters)
        model = self.models.get(found)
        if model is None:
            return Detected(None, 0.0, letters)
        fast = self._fast.get(found)
        if fast is None:
            fast = self._fast[found] = FastTfidf.of(model.named_steps["chars"])
        probabilities = _probabilities(model, text.lower(), fast)
        best = int(probabilities.argmax())
        return Detected(str(model.classes_[best]), float(probabilities[best]), letters)


def _probabilities(model: Any, text: str, fast: FastTfidf | None = None) -> Any:
    """LogisticRegression.predict_proba for one text, without the pipeline's per-call
    validation (several times faster; equal, see tests/bot/nlu/test_language.py)."""
    classifier = model.named_steps["classifier"]
    fast = fast or FastTfidf.of(model.named_steps["chars"])
    scores = fast.row(text).dot(classifier.coef_.T) + classifier.intercept_
    if len(classifier.classes_) == 2:  # one weight row, for the second class
        positive = 1.0 / (1.0 + np.exp(-scores[0]))
        return np.array([1.0 - positive, positive])
    exp = np.exp(scores - scores.max())
    return exp / exp.sum()


def train_detector(examples: list[Example]) -> LanguageDetector:
    by_script: dict[str, list[Example]] = {}
    for example in examples:
        expected = SCRIPT_OF.get(example.lang)
        if expected is not None and script(example.text) == expected:
            by_script.setdefault(expected, []).append(example)
    by_script.setdefault("latin", []).extend(romanised(examples))
    detector = LanguageDetector()
    for name, group in by_script.items():
        languages = sorted({e.lang for e in group})
        if not languages:
            continue  # no example in this script (a test's tiny data set)
        if len(languages) == 1:
            detector.only[name] = languages[0]
            continue
        model = Pipeline([
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True)),
            ("classifier", LogisticRegression(C=10.0, max_iter=2000)),
        ])
        model.fit([e.text.lower() for e in group], [e.lang for e in group])
        detector.models[name] = model
    return detector


def _words(text: str) -> list[str]:
    return [w for w in "".join(c if c.isalnum() else " " for c in text.lower()).split()
            if any(c.isalpha() for c in w)]


def romanised(examples: list[Example]) -> list[Example]:
    """The examples of the languages not written in Latin letters that are typed in Latin
    letters in a language of their own: "nsit mot de passe" (Arabizi) is; "mot de passe
    oublié", written under the Arabic intents because people type it so, is French and would
    teach the model that French is Arabic."""
    french_english = {w for e in examples if SCRIPT_OF.get(e.lang) == "latin"
                      for w in _words(e.text)}
    return [e for e in examples
            if SCRIPT_OF.get(e.lang, "latin") != "latin" and _only_latin(e.text)
            and any(w not in french_english for w in _words(e.text))]


def _only_latin(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and all(unicodedata.name(c, "").startswith("LATIN") for c in letters)
