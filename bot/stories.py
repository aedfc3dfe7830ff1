"""Conversation tests in YAML that a volunteer can write: the user says or presses, the bot
replies with a message key or a text containing some words.

```yaml
- story: A refugee with a residence permit can register now
  lang: en
  date: 2026-11-27          # optional: the day of the conversation
  steps:
    - user: /start           # free text, as typed
      expect: [welcome.text] # message keys the replies must include
    - press: Can I register  # a button, by (part of) its label or its number
      contains: ["16"]       # words the replies must include (any case)
      opens: [francetravail.fr]  # link buttons: (part of) the address one of them opens
    - user: something vague
      nlu: {intent: password_help, confidence: 0.3}   # optional: what the language model
      expect: [fallback.confirm]                       # says, to test what the bot does then
    - user: /checklist
      document: true         # the replies send a file (the checklist PDF); false: none
    - user: bye
      buttons: [Menu]        # (parts of) labels the buttons must include; no_buttons: none
      no_buttons: [Papers]   # of the buttons may say these
```
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from bot import paths
from bot.conversation import Conversation
from bot.i18n import without_isolates
from bot.matching import fold
from bot.messages import Button, Incoming, Reply
from bot.nlu.types import IntentResult, NluBackend
from bot.state import MemoryStore
from rules_engine.yamlfile import DataFileError, load_yaml, validate

if TYPE_CHECKING:
    from bot.nlu.embedded import EmbeddedNlu

USER = "story"


class NluAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    intent: str
    confidence: float = Field(ge=0.0, le=1.0)


class StoryStep(BaseModel):
    model_config = ConfigDict(extra="forbid")

    user: str | None = None
    nlu: NluAnswer | None = None
    press: str | int | None = None
    expect: list[str] = Field(default_factory=list)
    contains: list[str] = Field(default_factory=list)
    not_contains: list[str] = Field(default_factory=list)
    buttons: list[str] = Field(default_factory=list)
    no_buttons: list[str] = Field(default_factory=list)
    # link buttons the replies must show: (part of) the address each opens
    opens: list[str] = Field(default_factory=list)
    intent: str | None = None
    # the replies send a file (true) or none (false): the checklist PDF
    document: bool | None = None

    @field_validator("press", mode="before")
    @classmethod
    def _not_a_boolean(cls, value: object) -> object:
        if isinstance(value, bool):
            raise ValueError("quote Yes/No button labels: press: \"Yes\" (YAML reads Yes as true)")
        return value

    @model_validator(mode="after")
    def _one_input(self) -> StoryStep:
        if (self.user is None) == (self.press is None):
            raise ValueError("each step has exactly one of `user` or `press`")
        if self.nlu is not None and self.user is None:
            raise ValueError("`nlu` goes with a `user` message")
        return self


@dataclass
class ScriptedNlu:
    """The real model, except for a step that says what the model answers."""

    real: NluBackend
    next: IntentResult | None = None

    async def parse(self, text: str, lang: str | None = None) -> IntentResult:
        scripted, self.next = self.next, None
        return scripted if scripted is not None else await self.real.parse(text, lang)


class Story(BaseModel):
    model_config = ConfigDict(extra="forbid")

    story: str
    lang: str
    date: dt.date | None = None
    steps: list[StoryStep]


@dataclass
class LoadedStory:
    story: Story
    path: Path
    index: int


def load_stories(files: list[Path] | None = None) -> list[LoadedStory]:
    chosen = files or sorted(paths.stories_dir().glob("*.yml"))
    found: list[LoadedStory] = []
    for path in chosen:
        data = load_yaml(path)
        if not isinstance(data, list):
            raise DataFileError(path, 1, "expected a list of stories")
        for index, item in enumerate(data):
            found.append(LoadedStory(validate(Story, item, path, [index]), path, index))
    return found


def _find_button(buttons: list[Button], press: str | int) -> Button | None:
    # a link button opens a page: there is nothing to press, and it takes no number
    buttons = [b for b in buttons if b.data is not None]
    if isinstance(press, int) or press.isdigit():
        number = int(press)
        return buttons[number - 1] if 1 <= number <= len(buttons) else None
    wanted = fold(press)
    for button in buttons:
        # a label of emoji only ("👍") has no words to fold: it is pressed by itself
        if (wanted and wanted in fold(button.label)) or button.label == press.strip():
            return button
    return None


@dataclass
class PlayedStep:
    """One step as the core saw it: the input, what the model was scripted to answer, and
    the replies (what another channel must show for the same input)."""

    number: int
    incoming: Incoming
    scripted: IntentResult | None
    replies: list[Reply]


@dataclass
class Playback:
    steps: list[PlayedStep]
    failures: list[str]


async def play_story(loaded: LoadedStory, conversation: Conversation,
                     language_hint: str | None = None) -> Playback:
    """Plays a story against a conversation core whose store is empty (its model is wrapped to
    answer as the story's steps say), stopping at the first step that fails. With
    `language_hint`, every input carries it, as a Telegram user's language_code does; the core
    only reads it while the user has no language."""
    story = loaded.story
    scripted = ScriptedNlu(conversation.nlu)
    conversation.nlu = scripted
    state = await conversation.store.load(USER)
    state.lang = story.lang
    await conversation.store.save(state)
    buttons: list[Button] = []
    played: list[PlayedStep] = []
    failures: list[str] = []
    for number, step in enumerate(story.steps, 1):
        where = f"step {number}"
        answer: IntentResult | None = None
        if step.press is not None:
            button = _find_button(buttons, step.press)
            if button is None:
                labels = ", ".join(b.label for b in buttons) or "none"
                failures.append(f"{where}: no button '{step.press}' (buttons: {labels})")
                break
            incoming = Incoming(USER, data=button.data, language_hint=language_hint)
        else:
            incoming = Incoming(USER, text=step.user, language_hint=language_hint)
            if step.nlu is not None:
                answer = IntentResult(step.nlu.intent, step.nlu.confidence)
        scripted.next = answer
        result = await conversation.handle(incoming)
        scripted.next = None  # an answer the bot did not need is not kept for later
        played.append(PlayedStep(number, incoming, answer, result.replies))
        buttons = [b for r in result.replies for b in r.buttons]
        keys = [k for r in result.replies for k in r.keys]
        text = without_isolates("\n".join(r.text for r in result.replies))
        if any(not r.text.strip() for r in result.replies):
            # Telegram shows "…" for it: a message with buttons and nothing to read
            failures.append(f"{where}: a reply has no text (keys {keys})")
        for key in step.expect:
            if key not in keys:
                failures.append(f"{where}: expected message '{key}', got {keys}")
        for words in step.contains:
            if words.lower() not in text.lower():
                failures.append(f"{where}: expected text containing '{words}', got: {text!r}")
        for words in step.not_contains:
            if words.lower() in text.lower():
                failures.append(f"{where}: text should not contain '{words}'")
        sent = any(r.document is not None for r in result.replies)
        if step.document is not None and sent != step.document:
            failures.append(f"{where}: expected {'a' if step.document else 'no'} document")
        labels = ", ".join(b.label for b in buttons) or "none"
        for words in step.buttons:
            if _find_button(buttons, words) is None:
                failures.append(f"{where}: expected a button '{words}', got: {labels}")
        for words in step.no_buttons:
            if _find_button(buttons, words) is not None:
                failures.append(f"{where}: no button should say '{words}', got: {labels}")
        urls = [b.url for b in buttons if b.url is not None]
        for address in step.opens:
            if not any(address in url for url in urls):
                failures.append(f"{where}: expected a button opening '{address}', got {urls}")
        if step.intent is not None:
            got = result.intent.name if result.intent else None
            if got != step.intent:
                failures.append(f"{where}: expected intent '{step.intent}', got '{got}'")
        if failures:
            break
    return Playback(played, failures)


async def run_story(loaded: LoadedStory,
                    make: Callable[[MemoryStore, date | None], Conversation]) -> list[str]:
    """The failures of one story, as sentences; empty when it passes."""
    return (await play_story(loaded, make(MemoryStore(), loaded.story.date))).failures


def story_factory(nlu: EmbeddedNlu | None = None,
                  ) -> Callable[[MemoryStore, date | None], Conversation]:
    """Cores for stories: the data files are read once (reading them for each of hundreds
    of stories took a minute), and each story gets its own store and day."""
    from bot.app import build_conversation, load_nlu

    base = build_conversation(store=MemoryStore(), nlu=nlu or load_nlu())

    def make(store: MemoryStore, on: date | None) -> Conversation:
        return replace(base, store=store, today=(lambda: on) if on else base.today)

    return make


def run_stories_cli(files: list[Path]) -> int:
    make = story_factory()
    stories = load_stories(files or None)
    failed = 0
    for loaded in stories:
        failures = asyncio.run(run_story(loaded, make))
        mark = "ok  " if not failures else "FAIL"
        print(f"{mark} {loaded.path.name}: {loaded.story.story}")
        for failure in failures:
            print(f"     {failure}")
        failed += bool(failures)
    print(f"{len(stories) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(run_stories_cli([Path(a) for a in sys.argv[1:]]))
