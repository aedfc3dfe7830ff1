"""The longest message per language over every story in tests/stories/, against the
language's budget (translations/limits.yml, `message_chars`).

    .venv/bin/python bench/longest.py
    PYTHONPATH=<checkout of an older commit> .venv/bin/python bench/longest.py   # before

On a commit without a budget, the length is the text's length and the budget column is empty.
"""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import Callable

from bot.state import MemoryStore
from bot.stories import load_stories, play_story, story_factory

measure: Callable[[str], int]
try:
    from bot.budget import message_budgets, visible_length
    measure, budgets = visible_length, message_budgets()
except ImportError:  # a commit before the budget
    measure, budgets = len, {}


async def run() -> None:
    make = story_factory()
    longest: dict[str, tuple[int, str, list[str]]] = defaultdict(lambda: (0, "", []))
    over: dict[str, int] = defaultdict(int)
    count: dict[str, int] = defaultdict(int)
    for loaded in load_stories():
        lang = loaded.story.lang
        played = await play_story(loaded, make(MemoryStore(), loaded.story.date))
        for step in played.steps:
            for reply in step.replies:
                length = measure(reply.text)
                count[lang] += 1
                if budgets.get(lang) is not None and length > budgets[lang]:
                    over[lang] += 1
                if length > longest[lang][0]:
                    longest[lang] = (length, loaded.path.name, reply.keys[:3])
    print("lang | budget | messages | over budget | longest | where (first keys)")
    for lang in sorted(longest):
        length, where, keys = longest[lang]
        print(f"{lang:4} | {budgets.get(lang, ''):>6} | {count[lang]:>8} | {over[lang]:>11} | "
              f"{length:>7} | {where} {','.join(keys)}")


if __name__ == "__main__":
    asyncio.run(run())
