"""No message of the guide is longer than a phone's screen: every story of tests/stories (the
eight languages) is played through the conversation core, and each reply must hold at most
its language's budget of characters (translations/limits.yml, `message_chars`)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from bot import paths
from bot.languages import declared
from bot.nlu.embedded import EmbeddedNlu
from bot.state import MemoryStore
from bot.stories import load_stories, play_story, story_factory
from rules_engine.yamlfile import load_yaml

SHOWN = 15


@dataclass(order=True)
class Measured:
    length: int
    file: str
    story: str
    step: int
    keys: list[str]

    def __str__(self) -> str:
        return (f"{self.length} chars: {self.file} step {self.step} ({self.story[:60]}): "
                f"{', '.join(self.keys) or '-'}")


def seen(text: str) -> int:
    """Characters a reader sees (the isolates of right-to-left texts are invisible)."""
    return sum(1 for c in text if unicodedata.category(c) != "Cf")


def budgets() -> dict[str, int]:
    # read as plain data: the measure does not depend on the code that keeps to it
    data = load_yaml(paths.translations_dir() / "limits.yml")
    return {str(lang): int(n) for lang, n in (data.get("message_chars") or {}).items()}


def test_every_language_has_a_message_budget() -> None:
    assert set(budgets()) == set(declared(paths.translations_dir()))


async def test_every_reply_of_every_story_fits_its_language_budget(nlu: EmbeddedNlu) -> None:
    allowed = budgets()
    make = story_factory(nlu)
    over: list[Measured] = []
    languages = set()
    longest: dict[str, int] = {}
    for loaded in load_stories():
        lang = loaded.story.lang
        languages.add(lang)
        playback = await play_story(loaded, make(MemoryStore(), loaded.story.date))
        for step in playback.steps:
            for reply in step.replies:
                length = seen(reply.text)
                longest[lang] = max(longest.get(lang, 0), length)
                if length > allowed.get(lang, 0):
                    over.append(Measured(length, f"{loaded.path.name}", loaded.story.story,
                                         step.number, reply.keys))
    assert languages == set(declared(paths.translations_dir()))
    over.sort(reverse=True)
    assert not over, (f"{len(over)} messages longer than their language's budget {allowed};"
                      f" longest per language {longest}; the longest:\n"
                      + "\n".join(map(str, over[:SHOWN])))
