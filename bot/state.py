"""One small record per user: language, place in the flows, answers given."""

from __future__ import annotations

from pydantic import BaseModel, Field

Scalar = str | int | bool | None


# days a user's state is kept after their last message, unless the bot is told otherwise
# (GUIDE_STATE_TTL_DAYS, bot/settings.py); /privacy says it
KEPT_DAYS = 90


class Frame(BaseModel):
    flow: str
    step: str


class Told(BaseModel):
    """An answer a free-text message gave before its question was reached (bot/slots.py)."""

    value: Scalar
    # the message key of the button it stands for ("#": a typed number)
    label: str


class ShownSources(BaseModel):
    """The sources of an answer shown with a Sources button (bot/sources_shown.py)."""

    # the step the answer ended at ("flow.step"), which the button names
    where: str
    ids: list[str]
    # the buttons under that answer (label, data, url: a link button has no data), given
    # again under the list
    buttons: list[tuple[str, str | None, str | None]] = Field(default_factory=list)


class UserState(BaseModel):
    user_id: str
    lang: str | None = None
    second_lang: str | None = None
    flow: str | None = None
    step: str | None = None
    answers: dict[str, Scalar] = Field(default_factory=dict)
    # slot -> message key of the button chosen, to show answers back in any language
    answer_labels: dict[str, str] = Field(default_factory=dict)
    history: list[Frame] = Field(default_factory=list)
    resume: Frame | None = None
    resume_history: list[Frame] = Field(default_factory=list)
    fallback_count: int = 0
    guess: str | None = None
    # a language the guide offered to switch to, and the topic asked meanwhile
    offered_lang: str | None = None
    pending_intent: str | None = None
    declined_langs: list[str] = Field(default_factory=list)
    # the data of the buttons last shown, in order: typing "2" presses the second one
    last_buttons: list[str] = Field(default_factory=list)
    # a typed number being confirmed ("7 months is about 152 days of work?"): the values
    # its buttons would answer, in order
    number_choices: list[int] = Field(default_factory=list)
    # slot -> the answer the message that opened the flow gave: its step is passed, once
    told: dict[str, Told] = Field(default_factory=dict)
    # a second topic asked in the same message: offered at the end of the first
    then_topic: str | None = None
    # what a message said for the flow of an intent not opened yet ("Do you mean …?", or an
    # offer to switch language, came first): used if that intent opens next, then dropped
    held_for: str | None = None
    held: dict[str, Told] = Field(default_factory=dict)
    # the latest answers' sources, for their Sources buttons
    shown_sources: list[ShownSources] = Field(default_factory=list)
    # topics asked "Was this useful?" → whether the user answered; what they answered is
    # only counted, with no user id (bot/usage.py)
    feedback: dict[str, bool] = Field(default_factory=dict)
    # the one-sentence privacy notice was shown (at the first /start)
    privacy_told: bool = False

    def here(self) -> Frame | None:
        if self.flow is None or self.step is None:
            return None
        return Frame(flow=self.flow, step=self.step)

    def left_topic(self) -> str | None:
        """The topic left at a question, which "▶️ Continue" goes back to, when it is not
        the one the user is in."""
        if self.resume is None or self.resume.flow == self.flow:
            return None
        return self.resume.flow


class MemoryStore:
    """States kept in memory: the shell's store, and the reference for the others."""

    def __init__(self) -> None:
        self._states: dict[str, str] = {}

    async def load(self, user_id: str) -> UserState:
        raw = self._states.get(user_id)
        return UserState.model_validate_json(raw) if raw else UserState(user_id=user_id)

    async def save(self, state: UserState) -> None:
        self._states[state.user_id] = state.model_dump_json()

    async def delete(self, user_id: str) -> None:
        self._states.pop(user_id, None)
