"""The conversation core: one input in, the replies out, for any channel.

Loads the user's state, picks the language, reads a pressed button or asks NLU what free
text means, lets the dialogue engine take a step, and saves the state.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Protocol

from bot.courtesy import Courtesy, parse_question
from bot.dialogue.loader import Dialogues
from bot.distress import DISTRESS_INTENT, UNKNOWN_KIND, Distress, lines_for
from bot.distress_eval import nets_say_distress
from bot.dont_know import DONT_KNOW_INTENT, DontKnow
from bot.engine import Engine, Turn
from bot.i18n import SOURCE_LANG, Catalog, language_name
from bot.matching import best_option, fold
from bot.messages import Incoming, Reply
from bot.nlu.language import LanguageDetector
from bot.nlu.types import FALLBACK_INTENT, IntentResult, NluBackend
from bot.numbers import NATIVE, Quantity, Units, confirm_below, convert
from bot.privacy import looks_secret
from bot.slots import SlotReader, second_topic
from bot.state import UserState
from rules_engine.parameters import public_parameters

log = logging.getLogger(__name__)

MAX_TEXT = 4000
# longer than this is a pasted letter or noise, not a question the guide can read
MAX_READ = 600
COMMANDS = {"start", "menu", "language", "help", "back", "restart", "forget", "reminders"}
NAVIGATION = ("back", "menu", "restart", "help", "language", "resume")


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


_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\s*[/.\-]\s*(\d{1,2})"
                   r"(?:\s*[/.\-]\s*(\d{2,4}))?")


def parse_date(text: str, today: date) -> date | None:
    """A day typed as 12/01, 12.01.2027, 12-1-27 or 2027-01-12 (day first, as in France);
    without a year, the next such day from today."""
    found = _DATE.search(text)
    if found is None:
        return None
    iso_year, iso_month, iso_day, day, month, year = found.groups()
    try:
        if iso_year:
            return date(int(iso_year), int(iso_month), int(iso_day))
        if year:
            full = int(year) + (2000 if len(year) == 2 else 0)
            return date(full, int(month), int(day))
        guess = date(today.year, int(month), int(day))
        return guess if guess >= today else date(today.year + 1, int(month), int(day))
    except ValueError:
        return None  # 31/02 and the like


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
    slots: SlotReader = field(default_factory=SlotReader)

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
            pick_language = hinted is None and not (incoming.data or "").startswith("l:")
        today = self.today()
        turn = self._turn(state, today)
        intent: IntentResult | None = None
        result = Result([])
        incoming = self._number_to_press(state, incoming)
        if incoming.data == "c:forget_yes":
            await self.store.delete(incoming.user_id)
            turn.say("privacy.forgotten")
            turn.flush()
            return Result(turn.replies, forgotten=True)
        if incoming.kind != "text":
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
                self._distress(state, kinds, turn, today, read, beside)
            else:
                intent = await self._text(state, text, turn, today, result.secret)
        turn.flush()
        if pick_language and not payload.startswith("lang_"):
            self._language_picker(turn)
        state.last_buttons = [b.data for r in turn.replies for b in r.buttons]
        await self.store.save(state)
        result.replies, result.intent = turn.replies, intent
        return result

    def _number_to_press(self, state: UserState, incoming: Incoming) -> Incoming:
        """A typed button number is that button's press, on every channel."""
        typed = (incoming.text or "").strip()
        if incoming.data is not None or not typed.isdigit():
            return incoming
        step = self.engine.current_step(state)
        number = int(typed)
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

    def _turn(self, state: UserState, today: date) -> Turn:
        params: dict[str, Any] = dict(public_parameters(today))
        return Turn(self.catalog, state.lang or self.default_lang, params)

    # ---- buttons ---------------------------------------------------------------------

    def _press(self, state: UserState, data: str, turn: Turn, today: date) -> None:
        kind, _, rest = data.partition(":")
        state.fallback_count = 0
        guess, state.guess = state.guess, None
        if kind == "o":
            self._press_option(state, rest, turn, today)
        elif kind == "g":
            self._goto(state, rest, turn, today)
        elif kind == "c":
            self._command(state, rest, turn, today)
        elif kind == "l":
            self._set_language(state, rest, turn, today)
        elif kind == "f":
            self._answer_guess(state, guess, rest == "yes", turn, today)
        elif kind == "n":
            self._press_number(state, rest, turn, today)
        else:
            self._stale(state, turn, today)

    def _press_number(self, state: UserState, rest: str, turn: Turn, today: date) -> None:
        """A button of "7 months is about 152 days of work?": that value, or ask again."""
        choices, state.number_choices = state.number_choices, []
        where, _, choice = rest.rpartition(":")
        step = self.engine.current_step(state)
        if step is None or step.input is None or where != f"{state.flow}.{state.step}":
            self._stale(state, turn, today)
        elif choice.isdigit() and int(choice) < len(choices):
            self.engine.answer_number(state, choices[int(choice)], turn, today)
        else:
            self.engine.reshow(state, turn, today)

    def _press_option(self, state: UserState, rest: str, turn: Turn, today: date) -> None:
        where, _, index_text = rest.rpartition(":")
        step = self.engine.current_step(state)
        here = f"{state.flow}.{state.step}"
        if step is None or where != here or not index_text.isdigit():
            self._stale(state, turn, today)
            return
        index = int(index_text)
        if index >= len(step.options):
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

    def _command(self, state: UserState, name: str, turn: Turn, today: date) -> None:
        if name == "start":
            turn.say("welcome.text")
            self.engine.show_menu(state, turn)
        elif name == "menu":
            self.engine.show_menu(state, turn)
        elif name == "help":
            turn.say("help.text")
            self.engine.show_menu(state, turn)
        elif name == "language":
            self._language_picker(turn)
        elif name == "back":
            if not self.engine.back(state, turn, today):
                turn.say("common.nothing_to_go_back")
                self.engine.reshow(state, turn, today)
        elif name == "restart":
            if not self.engine.restart(state, turn, today):
                self.engine.show_menu(state, turn)
        elif name == "resume":
            self._resume(state, turn, today)
        elif name == "reminders" and "reminders" in self.dialogues.flows:
            self.engine.leave(state)
            self.engine.start_flow(state, "reminders", turn, today)
        elif name == "forget":
            turn.say("privacy.forget_confirm")
            turn.button("privacy.forget_yes", "c:forget_yes")
            turn.button("privacy.forget_no", "c:forget_no")
            turn.flush()
        elif name == "forget_no":
            turn.say("common.ok")
            self.engine.reshow(state, turn, today)
        elif name == "keep_language":
            if state.offered_lang and state.offered_lang not in state.declined_langs:
                state.declined_langs.append(state.offered_lang)
            state.offered_lang, state.pending_intent = None, None
            self.engine.reshow(state, turn, today)
        else:
            self._stale(state, turn, today)

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
        self.engine.enter(state, flow, frame.step, turn, today, force_ask=True)

    def _language_picker(self, turn: Turn) -> None:
        turn.say("language.prompt")
        for lang in self.catalog.languages():
            turn.raw_button(language_name(lang), f"l:{lang}")
        turn.flush()

    def _set_language(self, state: UserState, lang: str, turn: Turn, today: date) -> None:
        if lang not in self.catalog.entries:
            self._language_picker(turn)
            return
        state.lang = lang
        turn.lang = lang
        turn.say("language.changed", {"language": language_name(lang)})
        pending, state.pending_intent, state.offered_lang = state.pending_intent, None, None
        if pending is not None and self.dialogues.flow_for_intent(pending) is not None:
            # the question asked in that language is answered now, in that language
            self._open_topic(state, pending, turn, today)
        elif self.engine.at_question(state):
            self.engine.reshow(state, turn, today)
        else:
            self.engine.show_menu(state, turn)

    # ---- free text -------------------------------------------------------------------

    async def _text(self, state: UserState, text: str, turn: Turn,
                    today: date, secret: bool) -> IntentResult | None:
        stripped = text.strip()
        # a "Do you mean …?" is answered by the very next message, or forgotten
        guess, state.guess = state.guess, None
        if not stripped:
            turn.say("common.empty")
            self.engine.reshow(state, turn, today)
            return None
        if len(stripped) > MAX_READ:
            turn.say("common.too_long")
            self.engine.reshow(state, turn, today)
            return None
        command = self._slash_command(stripped)
        if command is not None:
            state.fallback_count = 0
            self._command(state, command, turn, today)
            return None
        if stripped.startswith("/") and len(stripped.split()) == 1:
            # an unknown command is not a sentence: list the commands, keep the place
            turn.say("help.text")
            self.engine.reshow(state, turn, today)
            return None
        if secret:
            turn.say("privacy.secret_warning")
            self.engine.reshow(state, turn, today)
            return None
        step = self.engine.current_step(state)
        if step is not None and step.input is not None and step.input.type == "date":
            self._answer_date(state, stripped, turn, today)
            return None
        if step is not None and step.input is not None:
            choices, state.number_choices = state.number_choices, []
            if len(choices) == 1 and self._typed_yes(state, stripped, turn):
                # "oui" to "7 mois, cela fait environ 152 jours de travail. C'est bien ça ?"
                self._answer_number(state, choices[0], turn, today)
                return None
            quantity = self.units.parse(stripped, state.lang)
            if quantity is not None:
                self._answer_quantity(state, quantity, turn, today)
                return None
            if self.dont_know.mentioned(stripped, state.lang):
                self._dont_know_number(state, turn, today)
                return None
        if step is not None and step.options and self._quantity_for_option(state, stripped,
                                                                           turn, today):
            return None
        if stripped.isdigit():
            # a number in the buttons' range was a press already (_number_to_press)
            turn.say("common.choose_button")
            self.engine.reshow(state, turn, today)
            return None
        if guess is not None:
            yes_no = best_option(stripped, [turn.text("common.yes"), turn.text("common.no")],
                                 self.negations.get(state.lang or "", frozenset()))
            if yes_no is not None:
                self._answer_guess(state, guess, yes_no == 0, turn, today)
                return None
        # before the buttons' labels: "لا أدري" or "نه پوهیږم" would press "❌ لا" / "❌ نه",
        # whose one word they contain
        if (guess is None and step is not None and step.options
                and self.dont_know.answers(stripped, state.lang)):
            self._dont_know(state, turn, today)
            return None
        if step is not None and step.options and self._typed_label(state, stripped, turn,
                                                                     today):
            return None
        command = self._typed_command(stripped, turn)
        if command is not None:
            state.fallback_count = 0
            self._command(state, command, turn, today)
            return None
        lang = self._typed_language(stripped)
        if lang is not None:
            self._set_language(state, lang, turn, today)
            return None
        # "bonjour, j'ai raté mon rdv": read past the greeting, or the menu answers it
        intent = await parse_question(self.nlu, self.courtesy, stripped, state.lang,
                                      self.thresholds.act, self.thresholds.guess,
                                      self.dialogues)
        if nets_say_distress(self.distress, stripped, intent, self.thresholds.distress,
                             self.thresholds.distress_veto):
            # the second and third nets: the language model's `distress` intent and the
            # binary distress model read distress the phrase lists missed
            self._distress(state, [UNKNOWN_KIND], turn, today, stripped, intent)
            return intent
        if self._offer_language(state, stripped, intent, turn, today):
            return intent
        if (guess is None and step is not None and step.options
                and intent.name in self.dialogues.config.contextual_intents
                and self.dont_know.mentioned(stripped, state.lang)):
            # "مش عارف والله يا اخي" read as `deny`: a message that says "I don't know" is
            # never a yes or a no, whatever words are around it; a longer one about a topic
            # ("I don't know my password") got that topic's intent and goes on
            self._dont_know(state, turn, today)
            return intent
        state.guess = guess
        then = await second_topic(self.nlu, self.dialogues, self.slots, stripped, state.lang
                                  or self.default_lang, intent, self.thresholds.act)
        self._understand(state, intent, turn, today, said=stripped, then=then)
        return intent

    def _distress(self, state: UserState, kinds: list[str], turn: Turn, today: date,
                  text: str, beside: IntentResult | None) -> None:
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

    def _dont_know(self, state: UserState, turn: Turn, today: date) -> None:
        """A typed "I don't know" at a question: its 🤷 button, or the question again."""
        if self._contextual(state, DONT_KNOW_INTENT, turn, today):
            return
        # no 🤷 button: never guess "No" for the user; the closest answer is theirs to choose
        state.fallback_count = 0
        turn.say("common.unsure_choose")
        self.engine.reshow(state, turn, today)

    def _offer_language(self, state: UserState, text: str, intent: IntentResult, turn: Turn,
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
        current = state.lang or self.default_lang
        turn.lang = other
        turn.say("language.offer", {"language": language_name(other)})
        turn.raw_button(language_name(other), f"l:{other}")
        turn.raw_button(language_name(current), "c:keep_language")
        turn.flush()
        turn.lang = current
        return True

    def _typed_language(self, text: str) -> str | None:
        """A message that is only a language's name ("français", "English", "عربي")."""
        return _language_names(tuple(self.catalog.languages())).get(fold(text))

    def _answer_date(self, state: UserState, text: str, turn: Turn, today: date) -> None:
        step = self.engine.current_step(state)
        assert step is not None and step.input is not None
        limits = step.input
        day = parse_date(text, today)
        if day is not None and limits.min <= (day - today).days <= limits.max:
            state.fallback_count = 0
            self.engine.answer_number(state, day.isoformat(), turn, today)
            return
        turn.say(limits.invalid, {"min": today + timedelta(days=limits.min),
                                  "max": today + timedelta(days=limits.max)})
        self.engine.reshow(state, turn, today)

    def _answer_number(self, state: UserState, value: int, turn: Turn, today: date) -> None:
        step = self.engine.current_step(state)
        assert step is not None and step.input is not None
        limits = step.input
        if limits.min <= value <= limits.max:
            state.fallback_count = 0
            self.engine.answer_number(state, value, turn, today)
            return
        turn.say(limits.invalid, {"min": limits.min, "max": limits.max})
        self.engine.reshow(state, turn, today)

    def _answer_quantity(self, state: UserState, quantity: Quantity, turn: Turn,
                         today: date) -> None:
        """A typed number: in another unit than asked ("7 months" for days worked) it is
        converted and said back to confirm; a bare number so small it may be months is
        asked back; otherwise it is the answer."""
        step = self.engine.current_step(state)
        assert step is not None and step.input is not None
        asked = step.input.unit
        value = int(quantity.value)
        if asked is None or quantity.unit == NATIVE[asked]:
            self._answer_number(state, value, turn, today)
            return
        where = f"n:{state.flow}.{state.step}"
        if quantity.unit is not None:
            converted = convert(quantity, asked, today)
            if converted is None:
                turn.say("numbers.wrong_unit", {"typed": quantity.typed})
                self.engine.reshow(state, turn, today)
            elif not step.input.min <= converted <= step.input.max:
                self._answer_number(state, converted, turn, today)  # says the limits
            else:
                state.number_choices = [converted]
                shown = turn.text(f"numbers.in.{asked}", {"count": converted})
                turn.say("numbers.converted", {"typed": quantity.typed, "converted": shown})
                turn.button("numbers.yes", f"{where}:0")
                turn.button("numbers.change", f"{where}:change")
                turn.flush()
            return
        if not 0 < value < confirm_below(asked, today):
            self._answer_number(state, value, turn, today)
            return
        as_months = convert(Quantity(quantity.value, "month", quantity.typed), asked, today)
        assert as_months is not None  # days and hours worked convert from months
        state.number_choices = [value, as_months]
        turn.say("numbers.which_unit", {"count": value})
        turn.raw_button(turn.text(f"numbers.in.{asked}", {"count": value}), f"{where}:0")
        turn.raw_button(turn.text("numbers.as_months", {
            "count": value, "converted": turn.text(f"numbers.in.{asked}", {"count": as_months})}),
            f"{where}:1")
        turn.button("numbers.change", f"{where}:change")
        turn.flush()

    def _quantity_for_option(self, state: UserState, text: str, turn: Turn,
                             today: date) -> bool:
        """"7 mois" or "910h" typed at a question whose buttons lead to number questions
        ("in days or in hours?"): the button whose question counts in that unit (else the
        first that can convert it) is pressed, and the number answers that question, said
        back and confirmed as if typed there. Only with a unit word: a bare "2" is a button's
        number."""
        step = self.engine.current_step(state)
        flow = self.dialogues.flows.get(state.flow or "")
        quantity = self.units.parse(text, state.lang)
        if step is None or flow is None or quantity is None or quantity.unit is None:
            return False
        native: int | None = None
        convertible: int | None = None
        for index, option in enumerate(step.options):
            target = flow.steps.get(option.next or step.next or "")
            asked = target.input.unit if target and target.input else None
            if asked is None:
                continue
            if native is None and NATIVE[asked] == quantity.unit:
                native = index
            if convertible is None and convert(quantity, asked, today) is not None:
                convertible = index
        chosen = native if native is not None else convertible
        if chosen is None:
            return False
        target_name = step.options[chosen].next or step.next
        state.fallback_count = 0
        # the number answers the next question at once: that question is not shown
        self.engine.choose(state, chosen, self._turn(state, today), today)
        if state.step != target_name:
            self.engine.reshow(state, turn, today)  # the flow went elsewhere: show where
            return True
        self._answer_quantity(state, quantity, turn, today)
        return True

    def _typed_yes(self, state: UserState, text: str, turn: Turn) -> bool:
        labels = [turn.text("numbers.yes"), turn.text("common.no")]
        negations = self.negations.get(state.lang or "", frozenset())
        return best_option(text, labels, negations) == 0

    def _dont_know_number(self, state: UserState, turn: Turn, today: date) -> None:
        """A typed "I don't know" at a number question: the step that helps to count, or
        the question again, kindly; never the end of the conversation."""
        step = self.engine.current_step(state)
        assert step is not None and step.input is not None
        state.fallback_count = 0
        if step.input.dont_know:
            self.engine.follow(state, step.input.dont_know, turn, today)
            return
        turn.say("numbers.unsure")
        self.engine.reshow(state, turn, today)

    @staticmethod
    def _slash_command(text: str) -> str | None:
        if not text.startswith("/") or len(text) < 2:
            return None
        command = text[1:].split()[0].split("@")[0].lower()
        return command if command in COMMANDS else None

    def _typed_command(self, text: str, turn: Turn) -> str | None:
        """'back', 'menu'… typed as the navigation buttons read, in the user's language."""
        typed = fold(text)
        for name in NAVIGATION:
            labels = {fold(turn.text(f"common.{name}")),
                      fold(self.catalog.render(f"common.{name}", SOURCE_LANG))}
            if typed and typed in labels:
                return name
        return None

    def _typed_label(self, state: UserState, text: str, turn: Turn, today: date) -> bool:
        """A typed text that clearly names one button of the current question presses it."""
        step = self.engine.current_step(state)
        if step is None or not step.options:
            return False
        lang = state.lang or self.default_lang
        negations = self.negations.get(lang, frozenset()) | self.negations.get(SOURCE_LANG,
                                                                             frozenset())
        index = best_option(text, [turn.text(o.label) for o in step.options], negations)
        if index is None and lang != SOURCE_LANG:
            # users often type the French words they read on their papers
            french = [self.catalog.render(o.label, SOURCE_LANG, turn.params)
                      for o in step.options]
            index = best_option(text, french, negations)
        if index is None:
            return False
        state.fallback_count = 0
        self.engine.choose(state, index, turn, today)
        return True

    def _understand(self, state: UserState, intent: IntentResult, turn: Turn,
                    today: date, said: str | None = None, then: str | None = None) -> None:
        config = self.dialogues.config
        name = intent.name
        confident = intent.confidence >= self.thresholds.act and name != FALLBACK_INTENT
        guess, state.guess = state.guess, None
        if guess is not None and confident and name in ("affirm", "deny"):
            self._answer_guess(state, guess, name == "affirm", turn, today)
            return
        step = self.engine.current_step(state)
        if step is not None and step.input is not None and not (
                confident and self.dialogues.flow_for_intent(name) is not None):
            # a number was asked for and none was given
            turn.say(step.input.invalid, {"min": step.input.min, "max": step.input.max})
            self.engine.reshow(state, turn, today)
            return
        if confident and name in config.contextual_intents:
            if self._contextual(state, name, turn, today):
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
        self._fallback(state, intent, turn, today)

    def _contextual(self, state: UserState, name: str, turn: Turn, today: date) -> bool:
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
        told = self.slots.told(flow, said, lang, today, self._label_texts(lang)) if said else {}
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

    def _label_texts(self, lang: str) -> Callable[[str], list[str]]:
        """A button's label in the user's language, then in French (words off the papers)."""
        return lambda key: [self.catalog.render(key, lang), self.catalog.render(key, SOURCE_LANG)]

    def _fallback(self, state: UserState, intent: IntentResult, turn: Turn,
                  today: date) -> None:
        flow = self.dialogues.flow_for_intent(intent.name)
        can_guess = (flow is not None and intent.confidence >= self.thresholds.guess
                     and state.fallback_count == 0
                     and flow.flow not in self.dialogues.config.small_talk)
        state.fallback_count += 1
        if can_guess and flow is not None:
            state.guess = intent.name
            turn.say("fallback.confirm", {"topic": turn.text(flow.label)})
            turn.button("common.yes", "f:yes")
            turn.button("common.no", "f:no")
            turn.flush()
            return
        if state.fallback_count <= 2:
            turn.say("fallback.rephrase")
            if self.engine.at_question(state):
                self.engine.reshow(state, turn, today)
            else:
                turn.button("common.menu", "c:menu")
            return
        state.fallback_count = 0
        turn.say("fallback.human")
        human = self.dialogues.flow_for_intent("human_help")
        if human is not None:
            turn.button(human.label, f"g:{human.flow}")
        if self.engine.at_question(state):
            # the offer of help comes first, the question stays last: the place is kept
            turn.flush()
            self.engine.reshow(state, turn, today)
        else:
            self.engine.show_menu(state, turn)

    def _answer_guess(self, state: UserState, guess: str | None, yes: bool, turn: Turn,
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
            turn.button("common.menu", "c:menu")
