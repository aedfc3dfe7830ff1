"""`guide stats` on a real state database filled by real conversations through the core."""

from __future__ import annotations

import asyncio
import re
from datetime import date
from pathlib import Path

import pytest

from bot.app import build_conversation
from bot.cli import main
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.nlu.embedded import EmbeddedNlu
from bot.payloads import Command, Feedback, Goto, Option, pack
from bot.stats import report
from bot.store import SqliteStore


async def _fill(db: Path, nlu: EmbeddedNlu) -> None:
    """Five people over two days: topics ended and rated, a question left, words typed."""
    store = SqliteStore.open(db)

    def on(day: date) -> Conversation:
        return build_conversation(store=store, nlu=nlu, today=lambda: day, usage=store)

    async def press(conversation: Conversation, user: str, payload: object) -> None:
        await conversation.handle(Incoming(user, data=pack(payload)))  # type: ignore[arg-type]

    try:
        first, second = on(date(2026, 11, 20)), on(date(2026, 12, 3))
        for user, lang, up in (("a", "fr", True), ("b", "fr", False), ("c", "en", True)):
            await first.handle(Incoming(user, text="/start", language_hint=lang))
            await press(first, user, Goto("reschedule"))
            await press(first, user, Option("reschedule.missed", 1))
            await press(first, user, Feedback("reschedule", up=up))
        await second.handle(Incoming("d", text="/start", language_hint="ar"))
        await press(second, "d", Goto("eligibility"))
        await press(second, "d", Option("eligibility.looking", 0))
        await press(second, "d", Command("menu"))  # left at `age`
        await second.handle(Incoming("e", text="what papers do I need to register",
                                     language_hint="en"))
        second.thresholds.act = second.thresholds.guess = 1.01  # the model, made unsure
        await second.handle(Incoming("e", text="I missed my appointment yesterday"))
    finally:
        store.close()


def _row(out: str, *cells: str) -> bool:
    """A table line made of these cells, in order, separated by spaces only."""
    return re.search(r"^" + r"\s+".join(re.escape(c) for c in cells) + r"\s*$", out,
                     re.MULTILINE) is not None


def test_stats_print_topics_feedback_words_and_leaves(
        tmp_path: Path, nlu: EmbeddedNlu, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "state.db"
    asyncio.run(_fill(db, nlu))
    assert main(["stats", "--state-url", f"sqlite:///{db}", "--date", "2026-12-04"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage from 2026-11-05 to 2026-12-04 (30 days)\n")
    assert _row(out, "reschedule", "fr", "2", "2", "100 %")
    assert _row(out, "reschedule", "en", "1", "1", "100 %")
    assert _row(out, "eligibility", "ar", "1", "0", "0 %")
    assert _row(out, "reschedule", "2", "1", "67 %")  # 👍 2, 👎 1
    assert _row(out, "en", "2", "1", "0", "1", "50 %")  # typed, understood, guessed, not
    # the question people left, named for the association: its step and short French label
    assert _row(out, "eligibility", "age: Âge minimum atteint", "1", "0")


def test_days_choose_the_window(tmp_path: Path, nlu: EmbeddedNlu,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "state.db"
    asyncio.run(_fill(db, nlu))
    assert main(["stats", "--state-url", f"sqlite:///{db}", "--date", "2026-12-04",
                 "--days", "7"]) == 0
    out = capsys.readouterr().out
    assert "reschedule" not in out  # counted on 2026-11-20
    assert _row(out, "eligibility", "ar", "1", "0", "0 %")
    assert main(["stats", "--state-url", f"sqlite:///{db}", "--date", "2026-11-19"]) == 0
    assert capsys.readouterr().out == ("Usage from 2026-10-21 to 2026-11-19 (30 days): "
                                       "nothing counted.\n")


def test_a_missing_database_is_said_not_created(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "nowhere" / "state.db"
    assert main(["stats", "--state-url", f"sqlite:///{db}"]) == 2
    assert f"no state database at {db}" in capsys.readouterr().err
    assert not db.parent.exists()
    assert main(["stats", "--days", "0", "--state-url", f"sqlite:///{db}"]) == 2


def test_the_report_reads_only_counts() -> None:
    assert report([], date(2026, 11, 5), date(2026, 12, 4)).endswith("nothing counted.\n")
