"""The conversation core: one input in, the replies out, for any channel.

Loads the user's state, picks the language, reads a pressed button or asks NLU what free
text means, lets the dialogue engine take a step, and saves the state.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any, Protocol

from bot import payloads, sources_shown
from bot.budget import message_budgets
from bot.courtesy import Courtesy
from bot.dates import parse_date
from bot.dialogue.loader import Dialogues
from bot.digits import whole_number
from bot.distress import DISTRESS_INTENT, Distress, lines_for
from bot.dont_know import DontKnow
from bot.engine import Engine, Turn
from bot.feedback import answer_feedback
from bot.i18n import SOURCE_LANG, Catalog, language_name
from bot.interpreters import MAX_READ, Said, interpret
from bot.language_offer import keep_language, offered_question
from bot.layout import lay_out
from bot.matching import fold
from bot.messages import Incoming, Reply
from bot.nlu.language import LanguageDetector
from bot.nlu.types import FALLBACK_INTENT, IntentResult, NluBackend
from bot.numbers import Units
from bot.privacy import looks_secret
from bot.slots import SlotReader
from bot.state import KEPT_DAYS, UserState
from bot.synonyms import Synonyms
from bot.usage import (
    GUESSED,
    LEFT,
    NOT_UNDERSTOOD,
    RESUMED,
    NoUsage,
    UsageSink,
    on_day,
    typed_message,
)
from bot.yes_no import YesNo
from rules_engine.parameters import public_parameters

log = logging.getLogger(__name__)

MAX_TEXT = 4000
# the confirmed "forget me": handled before the state is used, since it deletes it
FORGET_YES = "forget_yes"


# the referral directory says "I can only help with France Travail": not after a cry for help
OUT_OF_SCOPE_INTENT = "out_of_scope"


class Store(Protocol):
    async def load(self, user_id: str) -> UserState: ...
    async def save(self, state: UserState) -> None: ...
    async def delete(self, user_id: str) -> None: ...


@dataclass
class Result:
    replies: list[Reply]
    intent: IntentResult | None = None
    # the message looked like a password, an IBAN…: the channel deletes it where it can
    secret: bool = False
    # the user asked to be forgotten: nothing of them is stored any more
    forgotten: bool = False


@dataclass
class Thresholds:
    act: float
    guess: float
    # the `distress` intent from this probability gives the emergency numbers
    distress: float = 1.1
    # the language model this sure of another topic: the binary distress model is not asked
    distress_veto: float = 1.1


@functools.lru_cache(maxsize=4)
def _language_names(languages: tuple[str, ...]) -> dict[str, str]:
    """Folded names of each language (its own, English, French) → its code."""
    names: dict[str, str] = {}
    for lang in languages:
        for name in (lang, language_name(lang), language_name(lang, "en"),
                     language_name(lang, SOURCE_LANG)):
            names.setdefault(fold(name), lang)
    return names


@dataclass
class Conversation:
    catalog: Catalog
    dialogues: Dialogues
    engine: Engine
    nlu: NluBackend
    store: Store
    thresholds: Thresholds
    default_lang: str = SOURCE_LANG
    today: Callable[[], date] = field(default=date.today)
    detector: LanguageDetector | None = None
    negations: dict[str, frozenset[str]] = field(default_factory=dict)
    dont_know: DontKnow = field(default_factory=DontKnow)
    units: Units = field(default_factory=Units)
    distress: Distress = field(default_factory=Distress)
    courtesy: Courtesy = field(default_factory=Courtesy)
    yes_no: YesNo = field(default_factory=YesNo)
    synonyms: Synonyms = field(default_factory=Synonyms)
    slots: SlotReader = field(default_factory=SlotReader)
    usage: UsageSink = field(default_factory=NoUsage)
    # days a user's state is kept after their last message (GUIDE_STATE_TTL_DAYS): /privacy
    kept_days: int = KEPT_DAYS
    # message key → a note said right after it, where this channel does not do what the
    # message says (the shell sends no reminder: dialogues/_global.yml `shell_notes`)
    notes: Mapping[str, str] = field(default_factory=dict)

    async def handle(self, incoming: Incoming) -> Result:
        state = await self.store.load(incoming.user_id)
        pick_language = False
        payload = self._start_payload(incoming.text)
        if payload.startswith("lang_") and payload[5:] in self.catalog.entries:
            state.lang = payload[5:]  # a printed QR code chose the language
        if state.lang is None:
            hinted = self._first_language(incoming.language_hint)
            state.lang = hinted or self.default_lang
            # no usable hint: let the user choose, each language named in its own script
            pick_language = hinted is None and not isinstance(
                payloads.unpack(incoming.data or ""), payloads.Language)
        today = self.today()
        turn = self.new_turn(state, today)
        # the question the user was at: going elsewhere from it is counted (bot/usage.py)
        was_at = state.here() if self.engine.at_question(state) else None
        intent: IntentResult | None = None
        result = Result([])
        incoming = self._number_to_press(state, incoming)
        if incoming.data == payloads.pack(payloads.Command(FORGET_YES)):
            await self.store.delete(incoming.user_id)
            turn.say("privacy.forgotten")
            turn.flush()
            return Result(turn.replies, forgotten=True)
        if incoming.kind != "text" and not (incoming.text or "").strip():
            turn.say("common.non_text")
            self.engine.reshow(state, turn, today)
        elif incoming.data is not None:
            self._press(state, incoming.data, turn, today)
        elif payload.startswith("topic_") and payload[6:] in self.dialogues.flows:
            self.engine.leave(state)
            self.engine.start_flow(state, payload[6:], turn, today)
        else:
            text = (incoming.text or "")[:MAX_TEXT]
            result.secret = looks_secret(text)
            # before anything else, even a secret or a too long message: a person in danger
            # gets the emergency numbers at once (the secret is still deleted by the channel)
            kinds = self.distress.kinds_in(text[:MAX_READ])
            if kinds:
                read = text[:MAX_READ]
                # a secret is never sent to the language model
                beside = None if result.secret else await self.nlu.parse(read, state.lang)
                self.give_emergency_numbers(state, kinds, turn, today, read, beside)
            else:
                if incoming.kind != "text":
                    # a photo or a file with words under it: the words are read
                    turn.say("common.caption_read")
                intent = await self._text(state, text, turn, today, result.secret)
            if not text.lstrip().startswith("/"):  # commands are not sentences to read
                typed_message(turn.counted, turn.lang)
        turn.flush()
        if state.guess is None and state.pending_intent is None:
            state.held_for, state.held = None, {}
        if pick_language and not payload.startswith("lang_"):
            self._language_picker(turn)
        lay_out(turn.replies, self.dialogues.config.two_per_row)
        # a link button opens a page: it is not pressed, typed numbers skip it
        state.last_buttons = [b.data for r in turn.replies for b in r.buttons
                              if b.data is not None]
        sources_shown.remember(state, turn)
        if was_at is not None and state.flow != was_at.flow:
            turn.count(LEFT, was_at.flow, was_at.step)
        # before the save: a store that writes a turn at once writes both together
        await self.usage.count_usage(on_day(today, turn.counted))
        await self.store.save(state)
        result.replies, result.intent = turn.replies, intent
        return result

    def _number_to_press(self, state: UserState, incoming: Incoming) -> Incoming:
        """A typed button number is that button's press, on every channel."""
        typed = (incoming.text or "").strip()
        number = whole_number(typed)
        if incoming.data is not None or number is None:
            return incoming
        step = self.engine.current_step(state)
        if (step is not None and step.input is not None) or not (
                1 <= number <= len(state.last_buttons)):
            return incoming
        return replace(incoming, text=None, data=state.last_buttons[number - 1])

    @staticmethod
    def _start_payload(text: str | None) -> str:
        """The deep-link parameter of "/start topic_documents" (QR codes, links)."""
        if not text or not text.startswith("/start"):
            return ""
        parts = text.split()
        return parts[1].lower() if len(parts) == 2 and parts[0].split("@")[0] == "/start" \
            else ""

    # ---- helpers -----------------------------------------------------------------------

    def _first_language(self, hint: str | None) -> str | None:
        if hint:
            code = hint.replace("_", "-").split("-")[0].lower()
            if code in self.catalog.entries:
                return code
        return None

    def negations_for(self, lang: str | None) -> frozenset[str]:
        return self.negations.get(lang or "", frozenset())

    def typed_language(self, text: str) -> str | None:
        """A message that is only a language's name ("français", "English", "عربي")."""
        return _language_names(tuple(self.catalog.languages())).get(fold(text))

    def new_turn(self, state: UserState, today: date) -> Turn:
        params: dict[str, Any] = dict(public_parameters(today))
        return Turn(self.catalog, state.lang or self.default_lang, params,
                    budgets=message_budgets(), on=today, notes=self.notes)

    # ---- buttons ---------------------------------------------------------------------

    def _press(self, state: UserState, data: str, turn: Turn, today: date) -> None:
        state.fallback_count = 0
        guess, state.guess = state.guess, None
        match payloads.unpack(data):
            case payloads.Option(where, index):
                self._press_option(state, where, index, turn, today)
            case payloads.Goto(target):
                self._goto(state, target, turn, today)
            case payloads.Command(name):
                self.run_command(state, name, turn, today)
            case payloads.Language(code):
                self.set_language(state, code, turn, today)
            case payloads.GuessAnswer(yes):
                self.answer_guess(state, guess, yes, turn, today)
            case payloads.NumberChoice(where, choice):
                self._press_number(state, where, choice, turn, today)
            case payloads.Sources(where):
                sources_shown.show(self.engine, state, where, turn, today)
            case payloads.Feedback(topic, up):
                answer_feedback(self.engine, state, topic, up, turn, today)
            case None:
                self._stale(state, turn, today)

    def _press_number(self, state: UserState, where: str, choice: str, turn: Turn,
                      today: date) -> None:
        """A button of "7 months is about 152 days of work?": that value, or ask again."""
        choices, state.number_choices = state.number_choices, []
        step = self.engine.current_step(state)
        if step is None or step.input is None or where != f"{state.flow}.{state.step}":
            self._stale(state, turn, today)
        elif (index := whole_number(choice)) is not None and index < len(choices):
            self.engine.answer_number(state, choices[index], turn, today)
        else:
            self.engine.reshow(state, turn, today)

    def _press_option(self, state: UserState, where: str, index: int, turn: Turn,
                      today: date) -> None:
        step = self.engine.current_step(state)
        if step is None or where != f"{state.flow}.{state.step}" or index >= len(step.options):
            self._stale(state, turn, today)
            return
        self.engine.choose(state, index, turn, today)

    def _stale(self, state: UserState, turn: Turn, today: date) -> None:
        turn.say("common.stale_button")
        self.engine.reshow(state, turn, today)

    def _goto(self, state: UserState, target: str, turn: Turn, today: date) -> None:
        flow_name, _, step_name = target.partition(".")
        flow = self.dialogues.flows.get(flow_name)
        if flow is None or (step_name and step_name not in flow.steps):
            self._stale(state, turn, today)
            return
        if flow_name != state.flow:
            self.engine.leave(state)
        if step_name:
            self.engine.enter(state, flow, step_name, turn, today, force_ask=True)
        else:
            self.engine.start_flow(state, flow_name, turn, today)

    def run_command(self, state: UserState, name: str, turn: Turn, today: date) -> None:
        if name == "start":
            turn.say("welcome.text")
            if not state.privacy_told:
                state.privacy_told = True
                turn.say("privacy.first_start", self._kept(turn))
            self.engine.show_menu(state, turn)
        elif name == "menu":
            self.engine.show_menu(state, turn)
        elif name == "help":
            turn.say("help.text")
            self.engine.say_commands(turn)
            self.engine.show_menu(state, turn)
        elif name == "privacy":
            turn.say("privacy.text", self._kept(turn))
            self.engine.reshow(state, turn, today)
        elif name == "language":
            self._language_picker(turn)
        elif name == "back":
            if not self.engine.back(state, turn, today):
                # before a topic's first question are the topics ("▶️ Continue" comes back)
                first = self.engine.at_question(state)
                turn.say("common.back_at_first" if first else "common.nothing_to_go_back")
                self.engine.show_menu(state, turn)
        elif name == "restart":
            if not self.engine.restart(state, turn, today):
                self.engine.show_menu(state, turn)
        elif name == "resume":
            self._resume(state, turn, today)
        elif name in ("reminders", "checklist") and name in self.dialogues.flows:
            self.engine.leave(state)
            self.engine.start_flow(state, name, turn, today)
        elif name == "forget":
            turn.say("privacy.forget_confirm")
            turn.button("privacy.forget_yes", payloads.Command(FORGET_YES))
            turn.button("privacy.forget_no", payloads.Command("forget_no"))
            turn.flush()
        elif name == "forget_no":
            turn.say("common.ok")
            self.engine.reshow(state, turn, today)
        elif name == "keep_language":
            self._answer_pending(state, keep_language(state), turn, today)
        else:
            self._stale(state, turn, today)

    def _kept(self, turn: Turn) -> dict[str, str]:
        """How long what a user tells is kept, in words ("90 days")."""
        return {"days": turn.text("privacy.days", {"count": self.kept_days})}

    def _resume(self, state: UserState, turn: Turn, today: date) -> None:
        frame, history = state.resume, state.resume_history
        state.resume, state.resume_history = None, []
        if frame is None or frame.flow not in self.dialogues.flows:
            self.engine.reshow(state, turn, today)
            return
        flow = self.dialogues.flows[frame.flow]
        if frame.step not in flow.steps:
            self.engine.start_flow(state, flow.flow, turn, today)
            return
        state.history = history
        turn.count(RESUMED, flow.flow, frame.step)
        self.engine.enter(state, flow, frame.step, turn, today, force_ask=True)

    def _language_picker(self, turn: Turn) -> None:
        turn.say("language.prompt")
        for lang in self.catalog.languages():
            turn.raw_button(language_name(lang), payloads.Language(lang))
        turn.flush()

    def set_language(self, state: UserState, lang: str, turn: Turn, today: date) -> None:
        if lang not in self.catalog.entries:
            self._language_picker(turn)
            return
        state.lang = lang
        turn.lang = lang
        turn.say("language.changed", {"language": language_name(lang)})
        self._answer_pending(state, offered_question(state), turn, today)

    def _answer_pending(self, state: UserState, pending: str | None, turn: Turn,
                        today: date) -> None:
        """After an offer to switch language, whatever the choice: the question that
        triggered it, now in the chosen language; else the user's place."""
        if pending is not None and self.dialogues.flow_for_intent(pending) is not None:
            self._open_topic(state, pending, turn, today)
        elif self.engine.at_question(state):
            self.engine.reshow(state, turn, today)
        else:
            self.engine.show_menu(state, turn)

    # ---- free text -------------------------------------------------------------------

    async def _text(self, state: UserState, text: str, turn: Turn,
                    today: date, secret: bool) -> IntentResult | None:
        # a "Do you mean …?" is answered by the very next message, or forgotten
        guess, state.guess = state.guess, None
        said = Said(self, state, text.strip(), turn, today, secret, guess,
                    self.engine.current_step(state))
        return await interpret(said)

    def give_emergency_numbers(self, state: UserState, kinds: list[str], turn: Turn,
                               today: date, text: str, beside: IntentResult | None) -> None:
        """The emergency numbers for what the message shows, then the topic the message also
        asks about ("radié et je dors dehors": the deregistration), when the language model
        is sure of one; else the user's place again: the question asked before, with the
        answers given so far, or the menu.

        The numbers come in the language the cry for help was written in, when it is clearly
        another of the guide's languages: a new user's first message may not be in the
        language the guide guessed for them."""
        state.guess = None  # a pending "Do you mean …?" is forgotten
        current = turn.lang
        turn.lang = self._written_in(text) or current
        turn.say("distress.intro")
        for line in lines_for(kinds):
            turn.say(f"distress.{line}")
        turn.say("distress.go_on")
        turn.flush()
        turn.lang = current
        topic = self._topic_beside_distress(beside)
        if topic is not None:
            self._open_topic(state, topic, turn, today)
        else:
            self.engine.reshow(state, turn, today)

    def _topic_beside_distress(self, intent: IntentResult | None) -> str | None:
        """A guide topic the message clearly asks about too; small talk, out-of-scope and
        the distress intent itself are not topics to open after the numbers.

        The model's share for distress is set aside: in "radié et je dors dehors" it gives
        distress 0.59 and deregistered 0.39, which is sure of the deregistration once the
        cry for help is answered; a topic also needs a share of its own (the guess level)."""
        config = self.dialogues.config
        if intent is None:
            return None
        ranking = intent.ranking or [(intent.name, intent.confidence)]
        rest = 1.0 - sum(p for name, p in ranking if name == DISTRESS_INTENT)
        for name, probability in ranking:
            if name == DISTRESS_INTENT:
                continue
            sure = probability >= self.thresholds.guess and probability >= (
                self.thresholds.act * rest)
            flow = self.dialogues.flow_for_intent(name)
            if (not sure or flow is None or flow.flow in config.small_talk
                    or name in (config.fallback_intent, OUT_OF_SCOPE_INTENT)):
                return None
            return name
        return None

    def _written_in(self, text: str) -> str | None:
        """The guide's language the text is clearly written in, if the detector is sure."""
        if self.detector is None:
            return None
        detected = self.detector.detect(text)
        if detected.sure() and detected.lang in self.catalog.entries:
            return detected.lang
        return None

    def offer_language(self, state: UserState, text: str, intent: IntentResult, turn: Turn,
                       today: date) -> bool:
        """Written in another of the guide's languages: offer to switch, in that language."""
        if self.detector is None:
            return False
        detected = self.detector.detect(text)
        other = detected.lang
        if (not detected.sure() or other is None or other == state.lang
                or other not in self.catalog.entries or other in state.declined_langs
                or intent.name == self.dialogues.config.language_intent):
            return False
        confident = intent.confidence >= self.thresholds.act
        state.offered_lang = other
        state.pending_intent = intent.name if confident else None
        if confident:
            self._hold_facts(state, intent.name, text, today, other)
        current = state.lang or self.default_lang
        turn.lang = other
        turn.say("language.offer", {"language": language_name(other)})
        turn.raw_button(language_name(other), payloads.Language(other))
        turn.raw_button(language_name(current), payloads.Command("keep_language"))
        turn.flush()
        turn.lang = current
        return True

    def understand(self, state: UserState, intent: IntentResult, turn: Turn,
                   today: date, said: str | None = None, then: str | None = None) -> None:
        config = self.dialogues.config
        name = intent.name
        confident = intent.confidence >= self.thresholds.act and name != FALLBACK_INTENT
        guess, state.guess = state.guess, None
        if guess is not None and confident and name in ("affirm", "deny"):
            self.answer_guess(state, guess, name == "affirm", turn, today)
            return
        step = self.engine.current_step(state)
        if step is not None and step.input is not None and not (
                confident and self.dialogues.flow_for_intent(name) is not None):
            # a number was asked for and none was given
            turn.say(step.input.invalid, {"min": step.input.min, "max": step.input.max})
            self.engine.reshow(state, turn, today)
            return
        if confident and name in config.contextual_intents:
            if self.contextual(state, name, turn, today):
                return
            state.fallback_count = 0
            if self.engine.at_question(state):
                turn.say("common.choose_button")
                self.engine.reshow(state, turn, today)
                return
            turn.say("common.ok")
            self.engine.show_menu(state, turn)
            return
        if confident and name == config.language_intent:
            state.fallback_count = 0
            self._language_picker(turn)
            return
        if confident and self.dialogues.flow_for_intent(name) is not None:
            state.fallback_count = 0
            self._open_topic(state, name, turn, today, said, then)
            return
        self._fallback(state, intent, turn, today, said)

    def contextual(self, state: UserState, name: str, turn: Turn, today: date) -> bool:
        step = self.engine.current_step(state)
        if step is None:
            return False
        for index, option in enumerate(step.options):
            if option.intent == name:
                state.fallback_count = 0
                self.engine.choose(state, index, turn, today)
                return True
        return False

    def _open_topic(self, state: UserState, intent: str, turn: Turn, today: date,
                    said: str | None = None, then: str | None = None) -> None:
        """`said`: the message asking, whose facts answer the flow's questions
        (bot/slots.py); `then`: a second topic it asked about, offered at the end."""
        # a flow's `openers` may say a first sentence, or open another flow once answers are
        # known ("I want to work": "Can I register?", or "How to register" once it said yes)
        flow, first = self.dialogues.opening(intent, state.answers)
        lang = state.lang or self.default_lang
        if said is not None:
            told = self.slots.told(flow, said, lang, today, self._label_texts(lang))
        else:
            # "Do you mean …?" → yes, or a language chosen: the facts of the message that
            # asked, kept until now
            told = state.held if state.held_for == intent else {}
        state.held_for, state.held = None, {}
        if flow.flow == state.flow and self.engine.at_question(state):
            # asking about the topic one is already in: the question again, with what the
            # message said for the questions ahead
            self.engine.tell(state, told, turn, today)
            return
        self.engine.leave(state)
        state.then_topic = then
        for message in first:
            turn.say(message.key, message.params)
        self.engine.start_flow(state, flow.flow, turn, today, told)

    def _hold_facts(self, state: UserState, intent: str, said: str | None, today: date,
                    lang: str | None = None) -> None:
        """Keep what `said` (written in `lang`, else the user's language) tells the flow of
        `intent`, for when that topic opens."""
        flow = self.dialogues.flow_for_intent(intent)
        lang = lang or state.lang or self.default_lang
        state.held_for, state.held = intent, {}
        if flow is not None and said:
            state.held = self.slots.told(flow, said, lang, today, self._label_texts(lang))

    def _label_texts(self, lang: str) -> Callable[[str], list[str]]:
        """A button's label in the user's language, then in French (words off the papers)."""
        return lambda key: [self.catalog.render(key, lang), self.catalog.render(key, SOURCE_LANG)]

    def _fallback(self, state: UserState, intent: IntentResult, turn: Turn,
                  today: date, said: str | None = None) -> None:
        flow = self.dialogues.flow_for_intent(intent.name)
        can_guess = (flow is not None and intent.confidence >= self.thresholds.guess
                     and state.fallback_count == 0
                     and flow.flow not in self.dialogues.config.small_talk)
        state.fallback_count += 1
        turn.count(GUESSED if can_guess else NOT_UNDERSTOOD, "")
        if can_guess and flow is not None:
            state.guess = intent.name
            self._hold_facts(state, intent.name, said, today)
            turn.say("fallback.confirm", {"topic": turn.text(flow.label)})
            turn.button("common.yes", payloads.GuessAnswer(yes=True))
            turn.button("common.no", payloads.GuessAnswer(yes=False))
            turn.flush()
            return
        if state.fallback_count <= 2:
            turn.say("fallback.rephrase")
            if self.engine.at_question(state):
                self.engine.reshow(state, turn, today)
            else:
                turn.button("common.menu", payloads.Command("menu"))
            return
        state.fallback_count = 0
        turn.say("fallback.human")
        human = self.dialogues.flow_for_intent("human_help")
        if human is not None:
            turn.button(human.label, payloads.Goto(human.flow))
        if self.engine.at_question(state):
            # the offer of help comes first, the question stays last: the place is kept
            turn.flush()
            self.engine.reshow(state, turn, today)
        else:
            self.engine.show_menu(state, turn)

    def answer_guess(self, state: UserState, guess: str | None, yes: bool, turn: Turn,
                     today: date) -> None:
        if yes and guess is not None and self.dialogues.flow_for_intent(guess) is not None:
            state.fallback_count = 0
            self._open_topic(state, guess, turn, today)
            return
        state.fallback_count = max(state.fallback_count, 1)
        turn.say("fallback.rephrase")
        if self.engine.at_question(state):
            self.engine.reshow(state, turn, today)
        else:
            turn.button("common.menu", payloads.Command("menu"))

__all__ = ["Conversation", "Result", "Store", "Thresholds", "parse_date"]
