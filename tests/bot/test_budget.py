"""A long answer becomes a few messages cut at its paragraphs, the buttons under the last
(bot/budget.py, Turn.flush)."""

from __future__ import annotations

from bot.budget import group_parts, message_budgets, visible_length
from bot.engine import Turn
from bot.i18n import FSI, PDI, Catalog
from bot.payloads import Command


def test_isolates_are_not_counted() -> None:
    assert visible_length(f"{FSI}39 49{PDI}") == 5


def test_paragraphs_are_grouped_up_to_the_budget_in_order() -> None:
    parts = ["a" * 40, "", "b" * 40, "c" * 40]
    groups = group_parts(parts, budget=90)
    # 40 + 2 + 40 = 82 fits, a third paragraph would not; the empty one is left out
    assert [[i for i, _ in g] for g in groups] == [[0, 2], [3]]
    assert group_parts(parts, budget=None) == [[(0, "a" * 40), (2, "b" * 40), (3, "c" * 40)]]


def test_a_paragraph_longer_than_a_message_is_cut_between_lines_then_sentences() -> None:
    lines = "\n".join(["x" * 30] * 5)  # 154 characters
    pieces = [p for g in group_parts([lines], budget=70) for _, p in g]
    assert all(visible_length(p) <= 70 for p in pieces)
    assert "\n".join(pieces) == lines
    sentences = " ".join(["Short sentence here."] * 6)
    pieces = [p for g in group_parts([sentences], budget=45) for _, p in g]
    assert all(visible_length(p) <= 45 and p.endswith(".") for p in pieces)


def test_every_language_has_a_budget_in_limits_yml() -> None:
    budgets = message_budgets()
    assert set(budgets) == {"fr", "en", "ar", "fa", "ps", "ru", "uk", "ti"}
    assert budgets["ti"] < budgets["ar"] < budgets["ru"] < budgets["fr"]


def test_flush_cuts_a_long_answer_keys_follow_their_text_buttons_under_the_last() -> None:
    catalog = Catalog({"fr": {}})
    turn = Turn(catalog, "fr", {}, budgets={"fr": 100})
    for key, text in (("one", "a" * 60), ("two", "b" * 60), ("three", "c" * 30)):
        turn.parts.append(text)
        turn.keys.append(key)
        turn.said_in.append(len(turn.parts) - 1)
    turn.raw_button("Menu", Command("menu"))
    turn.expects_number = True
    turn.flush()
    assert [r.text for r in turn.replies] == ["a" * 60, "b" * 60 + "\n\n" + "c" * 30]
    assert [r.keys for r in turn.replies] == [["one"], ["two", "three"]]
    assert [len(r.buttons) for r in turn.replies] == [0, 1]
    assert [r.expects_number for r in turn.replies] == [False, True]
