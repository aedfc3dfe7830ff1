"""Match a typed answer with the buttons of a question ("refugie" presses "🛡️ Réfugié(e)")."""

from __future__ import annotations

import functools
import re
import unicodedata
from difflib import SequenceMatcher

# one-letter words ("a", "y", "i") say nothing about which button is meant
MIN_WORD = 2
SIMILAR = 0.85


# letters typed one for the other on Arabic, Persian and Pashto keyboards
ARABIC_SCRIPT = str.maketrans({"ي": "ی", "ى": "ی", "ې": "ی", "ۍ": "ی", "ك": "ک", "ګ": "گ",
                                "ة": "ه", "أ": "ا", "إ": "ا", "آ": "ا"})


@functools.lru_cache(maxsize=8192)
def fold(text: str) -> str:
    """Lower case, no accents, no emoji or punctuation: words separated by single spaces."""
    # "don't" and "dont", "d'un" and "dun" are the same words to a hurried typist; so are
    # "نمی‌دانم" with its zero-width non-joiner and "نمیدانم" without
    decomposed = unicodedata.normalize("NFKD", text.lower().replace("'", "").replace("’", ""))
    kept = "".join(c if unicodedata.category(c)[0] in "LN" else " " for c in decomposed
                   if unicodedata.category(c) not in ("Mn", "Cf"))
    return " ".join(kept.translate(ARABIC_SCRIPT).split())


def _words(text: str) -> list[str]:
    words = fold(text).split()
    strong = [w for w in words if len(w) >= MIN_WORD]
    return strong or words


@functools.lru_cache(maxsize=65536)
def _similar(word: str, other: str) -> bool:
    return SequenceMatcher(None, word, other).ratio() >= SIMILAR


def _found(word: str, among: list[str]) -> bool:
    return any(word == other or (len(word) > 3 and _similar(word, other)) for other in among)


def score(typed: str, label: str, negations: frozenset[str] = frozenset()) -> float:
    """1.0 when every word of the label is typed, or every typed word is in the label."""
    if fold(typed) == fold(label):
        return 2.0
    # every word of the label counts ("No address" is not "address"), only the strong
    # words of what was typed do ("i have an address")
    typed_words = _words(typed)
    label_words = [w for w in fold(label).split() if len(w) > 1] or fold(label).split()
    if not typed_words or not label_words:
        return 0.0
    typed_negative = bool(negations & set(fold(typed).split()))
    label_negative = bool(negations & set(label_words))
    if typed_negative != label_negative:
        return 0.0  # "i dont have a residence permit" is not "Residence permit"
    label_share = sum(_found(w, typed_words) for w in label_words) / len(label_words)
    typed_share = sum(_found(w, label_words) for w in typed_words) / len(typed_words)
    # between two labels that match as well, the one sharing more exact words wins
    exact = len(set(typed_words) & set(label_words))
    return max(label_share, typed_share) + 0.01 * exact


_BRACKETS = re.compile(r"\([^)]*\)")


def best_option(typed: str, labels: list[str],
                negations: frozenset[str] = frozenset()) -> int | None:
    """The index of the one label the typed text clearly names, else None."""
    return best_of(typed, [[label] for label in labels], negations)


def option_score(typed: str, texts: list[str], negations: frozenset[str] = frozenset()
                 ) -> float:
    """How well the typed text names a button called by any of these texts (its label, the
    label in French, their synonyms)."""
    # "ስደተኛ (réfugié)": the words in brackets are a gloss, the user may type either part
    return max((max(score(typed, text, negations), score(typed, _BRACKETS.sub(" ", text),
                                                         negations)) for text in texts),
               default=0.0)


def best_of(typed: str, options: list[list[str]],
            negations: frozenset[str] = frozenset()) -> int | None:
    """The index of the one option (a list of names) the typed text clearly names, else None."""
    scores = [option_score(typed, texts, negations) for texts in options]
    best = max(scores, default=0.0)
    if best < 1.0 or scores.count(best) > 1:
        return None
    return scores.index(best)
