"""How much one message may say: an answer longer than a phone's screen is cut into a few
messages, at its paragraphs, so that the buttons under the last one are on screen with it.

The budget is a number of characters per language, in translations/limits.yml
(`message_chars`, with why each number). Characters a reader does not see (the isolates
around French words in right-to-left texts) do not count.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from pathlib import Path

from bot import paths
from bot.translations_context import read_limits

# where a paragraph may be cut when it is longer than a message on its own: between lines,
# then after a sentence (Latin, Arabic, Ethiopic full stops), then between words
_SENTENCE_END = re.compile(r"(?<=[.!?؟۔።፧…])\s+")


def visible_length(text: str) -> int:
    """Characters a reader sees: format characters (isolates, joiners) left out."""
    return sum(1 for c in text if unicodedata.category(c) != "Cf")


@functools.lru_cache(maxsize=4)
def message_budgets(root: Path | None = None) -> dict[str, int]:
    """Language → the most characters one message may hold; empty without limits.yml."""
    limits = read_limits(root or paths.translations_dir())
    return dict(limits.message_chars) if limits is not None else {}


def group_parts(parts: list[str], budget: int | None) -> list[list[tuple[int, str]]]:
    """The paragraphs of one answer, grouped into messages of at most `budget` visible
    characters (joined by a blank line), in order, each piece with the index of its
    paragraph. A paragraph longer than a message is cut between its lines, else its
    sentences, else its words. Without a budget: one message. Empty paragraphs are left out."""
    shown = [(index, part) for index, part in enumerate(parts) if part]
    if budget is None:
        return [shown] if shown else []
    groups: list[list[tuple[int, str]]] = []
    size = 0
    for index, part in shown:
        for piece in _pieces(part, budget):
            length = visible_length(piece)
            if groups and size + 2 + length <= budget:
                groups[-1].append((index, piece))
                size += 2 + length
            else:
                groups.append([(index, piece)])
                size = length
    return groups


def _pieces(text: str, budget: int) -> list[str]:
    if visible_length(text) <= budget:
        return [text]
    for separator in ("\n", _SENTENCE_END, " "):
        units = (separator.split(text) if isinstance(separator, re.Pattern)
                 else text.split(separator))
        if len(units) > 1:
            joiner = separator if isinstance(separator, str) else " "
            return _fill(units, joiner, budget)
    return [text]  # one word longer than a message: nothing better to do


def _fill(units: list[str], joiner: str, budget: int) -> list[str]:
    pieces: list[str] = []
    for unit in units:
        if pieces and visible_length(pieces[-1] + joiner + unit) <= budget:
            pieces[-1] += joiner + unit
        else:
            pieces.extend(_pieces(unit, budget) if visible_length(unit) > budget else [unit])
    return pieces
