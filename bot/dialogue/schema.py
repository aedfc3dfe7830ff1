"""The shape of a flow file in dialogues/: steps, questions, buttons, transitions, rule calls.

A flow names message keys only; the words live in translations/. See dialogues/README.md.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

Scalar = str | int | bool | None


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Message(Strict):
    """A message key with fixed parameters, e.g. {key: x, params: {n: 2}}."""

    key: str
    params: dict[str, Scalar] = Field(default_factory=dict)


def _as_message(value: Any) -> Any:
    return {"key": value} if isinstance(value, str) else value


def _as_messages(value: Any) -> Any:
    if isinstance(value, list):
        return [_as_message(v) for v in value]
    return value


# `say: [key, {key: k, params: {…}}]`: plain keys are written as messages
Says = Annotated[list[Message], BeforeValidator(_as_messages)]


class Option(Strict):
    """A button answering the step's question."""

    label: str
    value: Scalar = None
    next: str | None = None
    set: dict[str, Scalar] = Field(default_factory=dict)
    # "affirm"/"deny": free text understood as yes/no presses this option; "dont_know": a
    # typed "I don't know" (nlu_data/dont_know.yml) does
    intent: str | None = None


class Link(Strict):
    """A navigation button: to another flow (`flow`) or a step of it (`flow.step`)."""

    label: str
    goto: str


class NumberInput(Strict):
    """A typed whole number (an age, a count of days), or a date ("12/01"): then min and
    max are in days from today."""

    type: Literal["int", "date"] = "int"
    min: int = 0
    max: int = 100_000
    invalid: str = "common.invalid_number"
    # what the number counts: "7 mois" typed at a `days_worked` question is converted and
    # said back (bot/numbers.py, nlu_data/units.yml); None: a bare number only
    unit: Literal["days_worked", "hours_worked", "years"] | None = None
    # the step a typed "I don't know" leads to (e.g. how to count); None: asked again kindly
    dont_know: str | None = None


DateWhen = Literal["past", "today", "future", "unknown", "none"]
UnitName = Literal["day", "week", "month", "year", "hour"]


class FromMessage(Strict):
    """How a free-text message that opens the flow answers this step (bot/slots.py): the
    answer `value` when every condition given holds; `number`: the number typed with that
    unit is the answer ("910h" at a question on hours worked). Several entries giving
    different answers for one message: nothing is filled, the question is asked."""

    value: Scalar = None
    # cue names of nlu_data/slots.yml: one of them is said (not negated)
    said: list[str] = Field(default_factory=list)
    # the day the message names is one of these (none: no day named; unknown: a weekday,
    # which may be last or next)
    date: list[DateWhen] = Field(default_factory=list)
    # a number with one of these units is in the message
    unit: list[UnitName] = Field(default_factory=list)
    number: UnitName | None = None
    # option values whose button labels (user's language or French) a part of the message
    # names, as if typed at the question; the value is that option's
    labels: list[Scalar] = Field(default_factory=list)

    @model_validator(mode="after")
    def _some_condition(self) -> FromMessage:
        if not (self.said or self.unit or self.number or self.labels):
            raise ValueError("from_message: give `said`, `unit`, `number` or `labels`")
        if self.number and (self.labels or self.value is not None):
            raise ValueError("from_message: `number` gives the answer: no `value`, `labels`")
        return self


class Step(Strict):
    say: Says = Field(default_factory=list)
    # answers recorded when the step is entered, e.g. a link from another flow that already
    # knows the answer to this flow's first question (`goto: flow.step`)
    set: dict[str, Scalar] = Field(default_factory=dict)
    ask: str | None = None
    slot: str | None = None
    short: str | None = None
    # an answer already given (in this flow or another) is not asked again
    skip_if_known: bool = False
    options: list[Option] = Field(default_factory=list)
    input: NumberInput | None = None
    # a yes/no question about an age ("16 or older?"): a typed age ("j'ai 25 ans", "25")
    # answers it, yes from the value of this parameter (rules_engine/parameters/)
    typed_age: str | None = None
    summary: list[str] = Field(default_factory=list)
    # what a free-text message that opens the flow may already answer here (bot/slots.py)
    from_message: list[FromMessage] = Field(default_factory=list)
    rule: str | None = None
    # the rule's reasons as one message of short lines to tick ("☐ …", bot/checklist.py),
    # to forward or show at the desk; a step without it says the reasons in full
    checklist: bool = False
    # a file sent with the step's message, made from the answers (bot/checklist.py)
    document: Literal["checklist"] | None = None
    outcomes: dict[str, str] = Field(default_factory=dict)
    next: str | None = None
    buttons: list[Link] = Field(default_factory=list)
    # pages to open at the end (rules_engine/parameters/links/<id>.yml), before `buttons`:
    # the place to act (register, log in, do the monthly update)
    links: list[str] = Field(default_factory=list)
    # ids from rules_engine/parameters/sources.yml, shown under the messages
    sources: list[str] = Field(default_factory=list)
    show_menu: bool = False
    # list the slash commands (dialogues/_global.yml `commands`) after the messages
    commands: bool = False
    end: bool = False

    @model_validator(mode="after")
    def _coherent(self) -> Step:
        if self.input is not None and (self.slot is None or self.next is None):
            raise ValueError("a step with `input` needs `slot` and `next`")
        if self.options and self.ask is None:
            raise ValueError("a step with `options` needs `ask` (the question key)")
        if self.ask is not None and not (self.options or self.input):
            raise ValueError("a question (`ask`) needs `options` or `input`")
        if self.slot is not None and self.ask is None:
            raise ValueError("`slot` only makes sense on a question (`ask`)")
        if self.from_message and self.slot is None:
            raise ValueError("`from_message` needs `slot`")
        for entry in self.from_message:
            if entry.number and self.input is None:
                raise ValueError("from_message `number` needs `input`")
            values = [o.value for o in self.options]
            wanted = entry.labels or [entry.value]
            if self.options and not entry.number and any(v not in values for v in wanted):
                raise ValueError(f"from_message: {wanted!r}: not all options' values")
        if self.typed_age is not None and {o.value for o in self.options} != {True, False}:
            raise ValueError("`typed_age` needs two options, with values true and false")
        if self.rule is None and self.outcomes:
            raise ValueError("`outcomes` needs a `rule`")
        if self.rule is None and self.checklist:
            raise ValueError("`checklist` needs a `rule` (its reasons are the lines)")
        if self.next is not None and self.options and any(o.next for o in self.options):
            raise ValueError("give `next` on the step or on its options, not both")
        exits = bool(self.options or self.input or self.next or self.outcomes or self.end)
        if not exits:
            raise ValueError("dead end: give `options`, `input`, `next`, rule `outcomes` or `end`")
        return self

    def targets(self) -> list[str]:
        """Every step name this step can lead to inside its flow."""
        found = [o.next for o in self.options if o.next]
        if self.input is not None and self.input.dont_know:
            found.append(self.input.dont_know)
        found += list(self.outcomes.values())
        if self.next:
            found.append(self.next)
        return found


class Opener(Strict):
    """How one of the flow's intents opens it ("I want to work" opens "Can I register?")."""

    # said before the flow's first step
    say: Says = Field(default_factory=list)
    # once these answers are known (set by a step of some flow), the intent opens the flow
    # `then` instead, without `say`
    once: dict[str, Scalar] = Field(default_factory=dict)
    then: str | None = None

    @model_validator(mode="after")
    def _both(self) -> Opener:
        if bool(self.once) != bool(self.then):
            raise ValueError("give `once` and `then` together")
        return self


class Flow(Strict):
    flow: str
    label: str
    intents: list[str] = Field(default_factory=list)
    openers: dict[str, Opener] = Field(default_factory=dict)
    menu: int | None = None
    start: str
    steps: dict[str, Step]

    @model_validator(mode="after")
    def _steps_exist(self) -> Flow:
        for intent in self.openers:
            if intent not in self.intents:
                raise ValueError(f"openers: '{intent}' is not among the flow's intents")
        # unknown steps (`start`, `next`...) are checked by the loader, which knows the line
        return self

    def unknown_targets(self) -> Iterator[tuple[list[str | int], str]]:
        """Each step name the flow refers to that is not one of its steps, with where."""
        if self.start not in self.steps:
            yield ["start"], self.start
        for name, step in self.steps.items():
            for i, option in enumerate(step.options):
                if option.next and option.next not in self.steps:
                    yield ["steps", name, "options", i, "next"], option.next
            if step.input is not None and step.input.dont_know \
                    and step.input.dont_know not in self.steps:
                yield ["steps", name, "input", "dont_know"], step.input.dont_know
            for outcome, target in step.outcomes.items():
                if target not in self.steps:
                    yield ["steps", name, "outcomes", outcome], target
            if step.next and step.next not in self.steps:
                yield ["steps", name, "next"], step.next


class GlobalConfig(Strict):
    """dialogues/_global.yml: what is not a flow."""

    contextual_intents: list[str]
    fallback_intent: str = "nlu_fallback"
    language_intent: str = "change_language"
    menu_prompt: str = "menu.prompt"
    # conversational flows: answered when clearly asked, never proposed as a guess
    small_talk: list[str] = Field(default_factory=list)
    # two buttons on a row when both labels are at most this wide (bot/layout.py); 0: one
    two_per_row: int = Field(default=0, ge=0)
    # the slash commands, in the order /help and Telegram's command menu list them
    commands: list[str] = Field(default_factory=list)
    # message key → the note the test shell says right after it (it sends no reminder)
    shell_notes: dict[str, str] = Field(default_factory=dict)
    # flows that are not topics (a list of links, settings): no "Was this useful?" at their
    # end; small talk never has one either
    no_feedback: list[str] = Field(default_factory=list)
