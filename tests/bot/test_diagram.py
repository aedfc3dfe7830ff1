from __future__ import annotations

from pathlib import Path

from bot.diagram import HEADER, render

DIAGRAMS = Path(__file__).parents[2] / "dialogues" / "DIAGRAMS.md"


def test_committed_diagrams_match_the_flows() -> None:
    expected = HEADER + render()
    assert DIAGRAMS.read_text(encoding="utf-8") == expected, \
        "flows changed: run `guide diagram > dialogues/DIAGRAMS.md`"


def test_diagram_shows_options_outcomes_and_ends() -> None:
    text = render(["eligibility"])
    assert "[*] --> looking" in text
    assert "decide --> next_asylum: asylum_seeker" in text
    assert "next_register --> [*]" in text
