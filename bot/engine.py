"""The dialogue engine: walks the flows of dialogues/ for one user, one step at a time.

It writes into a `Turn` (the texts and buttons to send) and changes the user's state; it
knows nothing of channels or of NLU.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from pydantic import ValidationError

from bot import checklist, payloads, sources_shown
from bot.budget import group_parts
from bot.dialogue.loader import Dialogues
from bot.dialogue.schema import Flow, Option, Step
from bot.feedback import offer_feedback
from bot.i18n import Catalog
from bot.links import LinkLookup, find_link
from bot.messages import Button, Document, Reply
from bot.payloads import Payload, pack
from bot.state import Frame, ShownSources, Told, UserState
from bot.usage import ENDED, STARTED, Event
from rules_engine.decision import Decision

log = logging.getLogger(__name__)

RuleFunction = Callable[[dict[str, Any], date], Decision]
SourceLookup = Callable[[str], Mapping[str, Any] | None]
# a flow that loops back on itself without a question would otherwise never stop
MAX_AUTOMATIC_STEPS = 30


@dataclass
class Turn:
    """The reply being built for one user input."""

    catalog: Catalog
    lang: str
    params: dict[str, Any]
    parts: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    buttons: list[Button] = field(default_factory=list)
    expects_number: bool = False
    replies: list[Reply] = field(default_factory=list)
    document: Document | None = None  # sent with the next message
    # language → the most characters one message may hold (translations/limits.yml): a
    # longer answer is sent as a few messages, cut at its paragraphs (bot/budget.py)
    budgets: Mapping[str, int] = field(default_factory=dict)
    # the part each key was said in
    said_in: list[int] = field(default_factory=list)
    # the step being shown ("flow.step"), the sources its message cites and where their
    # line goes; the answers shown with a Sources button (bot/sources_shown.py)
    place: str | None = None
    cited: list[Mapping[str, Any]] = field(default_factory=list)
    source_at: int | None = None
    shown_sources: list[ShownSources] = field(default_factory=list)
    # what the turn did, for the usage counts (bot/usage.py)
    counted: list[Event] = field(default_factory=list)
    # the day of the conversation: which link addresses are in force
    on: date | None = None
    # message key → a note said right after it on this channel (Conversation.notes)
    notes: Mapping[str, str] = field(default_factory=dict)

    def text(self, key: str, extra: Mapping[str, Any] | None = None, prefix: str = "") -> str:
        params = {**self.params, **(extra or {})}
        return prefix + self.catalog.render(key, self.lang, params)

    def say(self, key: str, extra: Mapping[str, Any] | None = None, prefix: str = "") -> None:
        self.say_part(self.text(key, extra, prefix), [key])
        if key in self.notes:
            self.say(self.notes[key], extra)

    def say_part(self, text: str, keys: Sequence[str] = ()) -> None:
        """One paragraph of the message, made from the texts of `keys` (several for a list
        of lines, none for lines made of other values)."""
        for key in keys:
            self.keys.append(key)
            self.said_in.append(len(self.parts))
        self.parts.append(text)

    def cite(self, sources: Iterable[Mapping[str, Any]]) -> None:
        """Sources of what was just said: one line here, the list behind a button."""
        if self.source_at is None:
            self.parts.append("")
            self.source_at = len(self.parts) - 1
        self.cited += sources

    def button(self, key: str, payload: Payload) -> None:
        self.raw_button(self.text(key), payload)

    def raw_button(self, label: str, payload: Payload) -> None:
        data = pack(payload)
        if all(b.data != data for b in self.buttons):
            self.buttons.append(Button(label, data))

    def url_button(self, key: str, url: str) -> None:
        """A button that opens a page (the core never hears of its press)."""
        if all(b.url != url for b in self.buttons):
            self.buttons.append(Button(self.text(key), url=url))

    def flush(self) -> None:
        """The message(s) said so far: one, or a few when it is longer than a phone's
        screen, cut at paragraphs, the buttons under the last."""
        sources_shown.close(self)
        if self.parts or self.buttons or self.document:
            groups = group_parts(self.parts, self.budgets.get(self.lang)) or [[]]
            # each key goes with the first message its text is in (an empty text: the last)
            first: dict[int, int] = {}
            for number, group in enumerate(groups):
                for index, _ in group:
                    first.setdefault(index, number)
            for number, group in enumerate(groups):
                last = number == len(groups) - 1
                keys = [k for k, i in zip(self.keys, self.said_in, strict=True)
                        if first.get(i, len(groups) - 1) == number]
                self.replies.append(Reply("\n\n".join(piece for _, piece in group),
                                          list(self.buttons) if last else [], keys,
                                          self.expects_number and last,
                                          self.document if last else None))
        self.parts, self.keys, self.buttons, self.said_in = [], [], [], []
        self.expects_number = False
        self.document = None

    def count(self, what: str, topic: str, step: str = "") -> None:
        self.counted.append(Event(what, topic, self.lang, step))


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _shown(value: Any) -> Any:
    """An answered date (kept as ISO text in the state) is shown as a date, by Babel."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        return date.fromisoformat(value)
    return value


# symbols, spaces, variation selectors, and the joiner inside emoji sequences
_ICON_PARTS = frozenset({"So", "Sk", "Zs", "Mn"})
ZWJ = "\u200d"


def without_icon(label: str) -> str:
    """A button label without the emoji before its words ("📄 Papers" → "Papers")."""
    for index, char in enumerate(label):
        if unicodedata.category(char) not in _ICON_PARTS and char != ZWJ:
            return label[index:]
    return label


def option_payload(frame: Frame, index: int) -> Payload:
    return payloads.Option(f"{frame.flow}.{frame.step}", index)


@dataclass
class Engine:
    dialogues: Dialogues
    rules: Mapping[str, RuleFunction]
    sources: SourceLookup
    links: LinkLookup = find_link

    # ---- entering steps -------------------------------------------------------------

    def start_flow(self, state: UserState, flow_name: str, turn: Turn, today: date,
                   told: Mapping[str, Told] | None = None) -> None:
        """`told`: answers the message that opened the flow gave (bot/slots.py); their
        steps are passed, said back first so that the user can correct them (Back)."""
        flow = self.dialogues.flows[flow_name]
        turn.count(STARTED, flow.flow)
        state.history = []
        state.told = dict(told or {})
        if state.told:
            self._noted(flow, state.told, turn)
        self.enter(state, flow, flow.start, turn, today)

    def enter(self, state: UserState, flow: Flow, step_name: str, turn: Turn, today: date,
              force_ask: bool = False) -> None:
        """Show `step_name` and go on through automatic steps until a question or an end."""
        for _ in range(MAX_AUTOMATIC_STEPS):
            state.flow, state.step = flow.flow, step_name
            turn.place = f"{flow.flow}.{step_name}"
            step = flow.steps[step_name]
            self._set(state, step.set)
            turn.params.update({k: _shown(v) for k, v in state.answers.items() if v is not None})
            for message in step.say:
                turn.say(message.key, message.params)
            if step.commands:
                self.say_commands(turn)
            if step.summary:
                self._summary(state, flow, step, turn)
            following: str | None = None
            if step.rule:
                following = self._call_rule(state, step, turn, today)
            if step.document == "checklist":
                checklist.attach(self.rules[checklist.RULE], self.dialogues, state, turn, today)
            self._sources(step.sources, turn)
            if step.ask is not None:
                given = self._take_told(state, step) if not force_ask else None
                if given is not None:
                    step_name = given
                    continue
                known = step.slot in state.answers if step.slot else False
                if step.skip_if_known and known and not force_ask:
                    skipped = self._skip(state, step)
                    if skipped is not None:
                        step_name = skipped
                        continue
                self._ask(state, flow, step_name, step, turn)
                return
            following = following or step.next
            if following is None:
                turn.count(ENDED, flow.flow)
                self._end(state, step, turn)
                return
            step_name = following
            force_ask = False
        log.error("flow %s loops without a question at step %s", flow.flow, step_name)
        self.show_menu(state, turn)

    @staticmethod
    def _set(state: UserState, values: Mapping[str, Any]) -> None:
        """Record answers given by the data, not by a button: no label to show for them."""
        state.answers.update(values)
        for slot in values:
            state.answer_labels.pop(slot, None)

    def tell(self, state: UserState, told: Mapping[str, Told], turn: Turn,
             today: date) -> None:
        """Answers a message typed in the middle of the flow gave ("j'ai travaillé 910h" at
        its first question): kept for the questions ahead, said back, then the current
        question (answered at once when it is one of them)."""
        assert state.flow is not None and state.step is not None
        flow = self.dialogues.flows[state.flow]
        behind = {flow.steps[f.step].slot for f in state.history if f.flow == flow.flow}
        ahead = {slot: answer for slot, answer in told.items() if slot not in behind}
        if not ahead:
            self.reshow(state, turn, today)
            return
        state.told.update(ahead)
        self._noted(flow, ahead, turn)
        self.enter(state, flow, state.step, turn, today)

    def _take_told(self, state: UserState, step: Step) -> str | None:
        """The step the message's answer to this question leads to, the answer recorded as
        if given here (Back asks the question); None: the question is asked."""
        told = state.told.pop(step.slot, None) if step.slot else None
        if told is None:
            return None
        option = next((o for o in step.options if o.value == told.value), None)
        if option is None and step.input is None:
            return None
        self._record(state, step, told.value, told.label, option)
        return (option.next if option is not None else None) or step.next

    def _noted(self, flow: Flow, told: Mapping[str, Told], turn: Turn) -> None:
        questions = {s.slot: s for s in flow.steps.values() if s.slot and s.from_message}
        turn.say("slots.noted")
        lines = []
        for slot, answer in told.items():
            asked = questions[slot]
            shown = str(answer.value) if answer.label == "#" else turn.text(answer.label)
            lines.append(turn.text("common.summary_line", {
                "question": turn.text(asked.short or asked.ask or slot), "answer": shown}))
        turn.say_part("\n".join(lines))

    def _skip(self, state: UserState, step: Step) -> str | None:
        value = state.answers.get(step.slot or "")
        for option in step.options:
            if option.value == value:
                return option.next or step.next
        return step.next if step.input is not None else None

    def _ask(self, state: UserState, flow: Flow, step_name: str, step: Step, turn: Turn) -> None:
        assert step.ask is not None
        frame = Frame(flow=flow.flow, step=step_name)
        turn.say(step.ask)
        for index, option in enumerate(step.options):
            turn.button(option.label, option_payload(frame, index))
        if step.input is not None:
            turn.expects_number = True
        self.navigation(state, turn, back=bool(state.history))
        turn.flush()

    def _end(self, state: UserState, step: Step, turn: Turn) -> None:
        then = self.dialogues.flows.get(state.then_topic or "")
        if then is not None and then.flow != state.flow:
            # the message's second question, once the first is answered
            state.then_topic = None
            turn.say("slots.also_asked", {"topic": turn.text(then.label)})
            turn.button(then.label, payloads.Goto(then.flow))
        for link_id in step.links:
            page = self.links(link_id, turn.lang, turn.on or date.today())
            if page is not None:
                turn.url_button(page.label, page.url)
        left = state.left_topic()
        for link in step.buttons:
            if link.goto != left:
                # a topic left at a question has its "▶️ Continue" below: not a second
                # button that would start it over
                turn.button(link.label, payloads.Goto(link.goto))
        flow = self.dialogues.flows.get(state.flow or "")
        restarts = any(link.goto == state.flow for link in step.buttons)
        if flow is not None and not restarts and any(s.ask for s in flow.steps.values()):
            turn.button("common.restart", payloads.Command("restart"))
        if state.history:
            turn.button("common.back", payloads.Command("back"))
        if left is not None:
            turn.say("common.resume_prompt")
            self.resume_button(state, turn)
        if step.show_menu:
            self.menu_buttons(turn)
        else:  # the menu's topics are the way to the menu: no Menu button under them
            turn.button("common.menu", payloads.Command("menu"))
        offer_feedback(self.dialogues.config, state, turn)
        turn.flush()

    def end_again(self, state: UserState, turn: Turn) -> None:
        """The buttons of the end the user is at, again (after a 👍 or 👎 press took the
        keyboard they were under); the menu when the user is not at an end."""
        step = self.current_step(state)
        if step is None or step.ask is not None:
            self.show_menu(state, turn)
            return
        self._end(state, step, turn)

    # ---- pieces of a step ------------------------------------------------------------

    def _summary(self, state: UserState, flow: Flow, step: Step, turn: Turn) -> None:
        turn.say("common.summary_intro")
        questions = {s.slot: s for s in flow.steps.values() if s.slot}
        lines = []
        for slot in step.summary:
            asked = questions.get(slot)
            if asked is None or slot not in state.answer_labels:
                continue
            question = turn.text(asked.short or asked.ask or slot)
            label_key = state.answer_labels[slot]
            answer = (str(state.answers.get(slot)) if label_key == "#"
                      else turn.text(label_key))
            lines.append(turn.text("common.summary_line",
                                   {"question": question, "answer": answer}))
        turn.say_part("\n".join(lines))

    def _call_rule(self, state: UserState, step: Step, turn: Turn, today: date) -> str | None:
        assert step.rule is not None
        try:
            decision = self.rules[step.rule](dict(state.answers), today)
        except ValidationError as exc:
            log.error("rule %s: answers incomplete: %s", step.rule, exc.errors()[0]["loc"])
            turn.say("common.rule_failed")
            return None
        # values the rule worked out for the next questions ("{work_months} months")
        state.answers.update(decision.answers)
        uncertain = turn.text("common.uncertain_prefix") + " "
        if step.checklist:
            checklist.say_lines(decision, turn)
        for reason in decision.reasons:
            if step.checklist and reason.line:
                continue
            turn.say(reason.key, reason.params, prefix=uncertain if reason.uncertain else "")
        if step.checklist:
            turn.flush()  # the list alone in its message, to forward or show at the desk
        if decision.sources:
            turn.cite(source.model_dump() for source in decision.sources)
        return step.outcomes.get(decision.outcome) or step.next

    def _sources(self, ids: list[str], turn: Turn) -> None:
        found = [s for s in (self.sources(i) for i in ids) if s is not None]
        if found:
            turn.cite(found)

    def navigation(self, state: UserState, turn: Turn, back: bool) -> None:
        if back:
            turn.button("common.back", payloads.Command("back"))
        turn.button("common.menu", payloads.Command("menu"))

    def say_commands(self, turn: Turn) -> None:
        """Every slash command with what it does, in the order of dialogues/_global.yml."""
        lines = [turn.text("help.commands")]
        lines += [turn.text("help.command_line", {"command": f"/{name}",
                                                  "description": turn.text(f"commands.{name}")})
                  for name in self.dialogues.config.commands]
        turn.say_part("\n".join(lines), ["help.commands"])

    def menu_buttons(self, turn: Turn) -> None:
        for flow in self.dialogues.menu():
            turn.button(flow.label, payloads.Goto(flow.flow))

    def resume_button(self, state: UserState, turn: Turn) -> None:
        """"▶️ Continue: Papers to prepare": the topic left at a question, by its name."""
        flow = self.dialogues.flows.get(state.resume.flow) if state.resume else None
        if flow is None:
            return
        label = turn.text("common.resume_topic", {"topic": without_icon(turn.text(flow.label))})
        turn.raw_button(label, payloads.Command("resume"))

    def show_menu(self, state: UserState, turn: Turn) -> None:
        self.leave(state)
        turn.say(self.dialogues.config.menu_prompt)
        self.menu_buttons(turn)
        self.resume_button(state, turn)
        turn.button("common.language", payloads.Command("language"))
        turn.button("common.help", payloads.Command("help"))
        turn.flush()

    def leave(self, state: UserState) -> None:
        """Step out of the current flow, remembering an unanswered question to come back to."""
        if self.at_question(state):
            state.resume = state.here()
            state.resume_history = list(state.history)
        state.flow, state.step, state.history = None, None, []
        state.told = {}

    # ---- answers -------------------------------------------------------------------

    def current_step(self, state: UserState) -> Step | None:
        if state.flow is None or state.step is None:
            return None
        flow = self.dialogues.flows.get(state.flow)
        return flow.steps.get(state.step) if flow else None

    def at_question(self, state: UserState) -> bool:
        step = self.current_step(state)
        return step is not None and step.ask is not None

    def choose(self, state: UserState, index: int, turn: Turn, today: date) -> None:
        step = self.current_step(state)
        assert step is not None and state.flow is not None and state.step is not None
        option = step.options[index]
        self._record(state, step, option.value, option.label, option)
        target = option.next or step.next
        assert target is not None  # the schema guarantees every option leads somewhere
        self.enter(state, self.dialogues.flows[state.flow], target, turn, today)

    def answer_number(self, state: UserState, value: int | str, turn: Turn,
                      today: date) -> None:
        step = self.current_step(state)
        assert step is not None and step.next is not None and state.flow is not None
        self._record(state, step, value, "#", None)
        self.enter(state, self.dialogues.flows[state.flow], step.next, turn, today)

    def follow(self, state: UserState, target: str, turn: Turn, today: date) -> None:
        """Go to another step of the current flow without answering ("Back" returns)."""
        assert state.flow is not None and state.step is not None
        state.history.append(Frame(flow=state.flow, step=state.step))
        self.enter(state, self.dialogues.flows[state.flow], target, turn, today, force_ask=True)

    def _record(self, state: UserState, step: Step, value: Any, label: str,
                option: Option | None) -> None:
        assert state.flow is not None and state.step is not None
        state.history.append(Frame(flow=state.flow, step=state.step))
        if step.slot:
            state.answers[step.slot] = value
            state.answer_labels[step.slot] = label
        if option is not None:
            self._set(state, option.set)

    def back(self, state: UserState, turn: Turn, today: date) -> bool:
        if not state.history:
            return False
        frame = state.history.pop()
        self.enter(state, self.dialogues.flows[frame.flow], frame.step, turn, today,
                   force_ask=True)
        return True

    def restart(self, state: UserState, turn: Turn, today: date) -> bool:
        if state.flow is None:
            return False
        flow = self.dialogues.flows[state.flow]
        for step in flow.steps.values():
            if step.slot:
                state.answers.pop(step.slot, None)
                state.answer_labels.pop(step.slot, None)
        self.start_flow(state, flow.flow, turn, today)
        return True

    def reshow(self, state: UserState, turn: Turn, today: date) -> None:
        """Ask the current question again, or show the menu when there is none."""
        step = self.current_step(state)
        if step is None or state.flow is None or state.step is None or step.ask is None:
            self.show_menu(state, turn)
            return
        flow = self.dialogues.flows[state.flow]
        # a new message's turn knows only the public parameters: the question may name answers
        turn.params.update({k: _shown(v) for k, v in state.answers.items() if v is not None})
        if step.summary:
            self._summary(state, flow, step, turn)
        self._ask(state, flow, state.step, step, turn)
