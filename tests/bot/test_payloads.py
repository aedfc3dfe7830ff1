"""Button payloads: packed and unpacked by one codec, within Telegram's 64 bytes."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import payloads
from bot.lint import lint
from bot.payloads import (
    Command,
    Feedback,
    Goto,
    GuessAnswer,
    Language,
    NumberChoice,
    Option,
    PayloadTooLong,
    pack,
    unpack,
)
from tests.bot.test_lint import edit, messages

EXAMPLES: list[payloads.Payload] = [
    Option("eligibility.status", 2), Goto("documents"), Goto("eligibility.document"),
    Command("menu"), Command("keep_language"), Language("ar"), GuessAnswer(yes=True),
    GuessAnswer(yes=False), NumberChoice("allowance.days", "0"),
    NumberChoice("allowance.days", payloads.CHANGE), Feedback("documents", up=True),
    Feedback("documents", up=False),
]


@pytest.mark.parametrize("payload", EXAMPLES, ids=str)
def test_what_is_packed_unpacks_to_the_same(payload: payloads.Payload) -> None:
    assert unpack(pack(payload)) == payload


def test_the_packed_forms_are_the_ones_tests_and_the_shell_show() -> None:
    assert pack(Option("eligibility.status", 2)) == "o:eligibility.status:2"
    assert pack(GuessAnswer(yes=False)) == "f:no"
    assert pack(NumberChoice("allowance.days", "change")) == "n:allowance.days:change"


@pytest.mark.parametrize("data", ["", "x:1", "o:nowhere", "o:a.b:x", "o::1", "f:maybe", "c:",
                                  "l:", "o:" + "a" * 70 + ":1", "r:documents:maybe", "r::up"])
def test_malformed_or_unknown_data_is_none_not_an_error(data: str) -> None:
    assert unpack(data) is None


def test_more_than_64_bytes_is_refused_when_packed() -> None:
    # 64 bytes, counted in UTF-8: Cyrillic letters take two each
    assert len(pack(Goto("ф" * 31)).encode()) == 64
    with pytest.raises(PayloadTooLong, match="65 bytes"):
        pack(Goto("ф" * 31 + "x"))


def test_lint_names_a_step_whose_buttons_would_not_fit(project: Path) -> None:
    long = "a_very_long_step_name_that_no_telegram_button_can_carry_any_more"
    edit(project / "dialogues" / "documents.yml",
         lambda text: text.replace("start: status", f"start: {long}")
         .replace("\n  status:", f"\n  {long}:"))
    found = [m for m in messages(project) if "bytes" in m]
    assert found and found[0].startswith("dialogues/documents.yml:"), messages(project)
    assert f"steps.{long}" in found[0]


def test_the_project_fits() -> None:
    assert not [e for e in lint() if "bytes" in str(e)]
