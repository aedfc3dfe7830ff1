"""Runs every conversation test of tests/stories/*.yml (also runnable as `guide stories`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot.conversation import Conversation
from bot.nlu.embedded import EmbeddedNlu
from bot.state import MemoryStore
from bot.stories import LoadedStory, load_stories, run_story, story_factory

STORIES = load_stories()


_FACTORIES: dict[int, Callable[[MemoryStore, date | None], Conversation]] = {}


def _factory(nlu: EmbeddedNlu) -> Callable[[MemoryStore, date | None], Conversation]:
    """One core for all stories (the data files read once), for the session's model."""
    if id(nlu) not in _FACTORIES:
        _FACTORIES[id(nlu)] = story_factory(nlu)
    return _FACTORIES[id(nlu)]


@pytest.mark.parametrize("loaded", STORIES,
                         ids=[f"{s.path.stem}:{s.index}:{s.story.story[:50]}" for s in STORIES])
async def test_story(loaded: LoadedStory, nlu: EmbeddedNlu) -> None:
    failures = await run_story(loaded, _factory(nlu))
    assert not failures, f"{loaded.path}:{loaded.story.story}\n" + "\n".join(failures)


def test_every_topic_has_a_story_in_french_and_english() -> None:
    topics = {"eligibility", "how_to_register", "documents", "password", "first_appointment",
              "reschedule", "monthly_update", "deregistered", "allowance", "login",
              "navigation", "fallback"}
    covered = {(s.path.stem.split("_", 1)[1], s.story.lang) for s in STORIES if "_" in s.path.stem}
    missing = sorted((t, lang) for t in topics for lang in ("fr", "en") if (t, lang) not in covered)
    assert not missing, f"topics without a story: {missing}"
