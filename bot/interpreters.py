"""Free text, read by an ordered list of small interpreters.

Each interpreter looks at one typed message (`Said`) and either answers it (says something,
moves the conversation on, returns True) or leaves it to the next one. The order is data:
`ORDER` below, which tests/bot/test_interpreters.py reads. It matters, and the reasons are
written beside it: a secret is never sent to the language model, a date question reads "12/01"
before anyone takes it for a number, "لا أدري" is "I don't know" before its one word "لا" can
press a "❌ لا" button, and the language model comes last, for whatever nobody else claimed.

The emergency numbers are not in this list: `Conversation.handle` gives them before any
interpreter runs, even for a secret or a message too long to read.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from bot.courtesy import parse_question
from bot.dates import parse_date
from bot.dialogue.schema import Step
from bot.digits import whole_number
from bot.distress import UNKNOWN_KIND
from bot.distress_eval import nets_say_distress
from bot.dont_know import DONT_KNOW_INTENT
from bot.engine import Turn
from bot.i18n import SOURCE_LANG
from bot.language_offer import KEEP
from bot.matching import best_of, best_option, fold
from bot.nlu.types import IntentResult
from bot.numbers import NATIVE, Quantity, confirm_below, convert
from bot.payloads import CHANGE, NumberChoice
from bot.slots import topics_in_order
from bot.state import UserState
from bot.yes_no import asks_yes_no
from rules_engine.lookup import Lookup

if TYPE_CHECKING:
    from bot.conversation import Conversation

# a typed age: the numbers read as one ("j'ai 3 ans de travail" is no age); how many words
# a message with an age in years may have ("I am 25 years old"): a longer one says more,
# for the language model (and its distress nets) to read; and with a bare number ("I'm 25")
MIN_AGE_SAID, MAX_AGE_SAID = 10, 110
MAX_WORDS_WITH_AGE = 6
MAX_WORDS_AROUND_AGE = 3
# longer than this is a pasted letter or noise, not a question the guide can read
MAX_READ = 600
NAVIGATION = ("back", "menu", "restart", "help", "language", "resume")


@dataclass
class Said:
    """One typed message being read, and what the interpreters need to act on it."""

    conv: Conversation
    state: UserState
    text: str  # stripped
    turn: Turn
    today: date
    secret: bool = False
    # the topic of a pending "Do you mean …?": answered by this message, or forgotten
    guess: str | None = None
    # the question being asked, if any
    step: Step | None = None
    # what the language model made of the message, once it was asked
    intent: IntentResult | None = None

    @property
    def lang(self) -> str:
        return self.state.lang or self.conv.default_lang

    @property
    def asks_number(self) -> bool:
        return self.step is not None and self.step.input is not None

    @property
    def has_options(self) -> bool:
        return self.step is not None and bool(self.step.options)

    def reshow(self) -> None:
        self.conv.engine.reshow(self.state, self.turn, self.today)

    def say_and_reshow(self, key: str) -> bool:
        self.turn.say(key)
        self.reshow()
        return True


Interpreter = Callable[[Said], Awaitable[bool]]


# ---- the message itself ----------------------------------------------------------------

async def empty(said: Said) -> bool:
    return not said.text and said.say_and_reshow("common.empty")


async def too_long(said: Said) -> bool:
    return len(said.text) > MAX_READ and said.say_and_reshow("common.too_long")


def slash_command_name(text: str, commands: Collection[str]) -> str | None:
    """The command typed ("/menu", "/menu@guide_bot"), if it is one of `commands`."""
    if not text.startswith("/") or len(text) < 2:
        return None
    command = text[1:].split()[0].split("@")[0].lower()
    return command if command in commands else None


async def slash_command(said: Said) -> bool:
    command = slash_command_name(said.text, said.conv.dialogues.config.commands)
    if command is None:
        return False
    said.state.fallback_count = 0
    said.conv.run_command(said.state, command, said.turn, said.today)
    return True


async def unknown_command(said: Said) -> bool:
    """An unknown command is not a sentence: list the commands, keep the place."""
    if not (said.text.startswith("/") and len(said.text.split()) == 1):
        return False
    said.turn.say("help.text")
    said.conv.engine.say_commands(said.turn)
    said.reshow()
    return True


async def secret(said: Said) -> bool:
    """A password or an IBAN is never read further, and never sent to the language model
    (the channel deletes the message where it can)."""
    return said.secret and said.say_and_reshow("privacy.secret_warning")


# ---- answers to a date or number question -----------------------------------------------

async def date_answer(said: Said) -> bool:
    """At a date question, whatever is typed is read as a date, or the question comes again."""
    step = said.step
    if step is None or step.input is None or step.input.type != "date":
        return False
    limits = step.input
    day = parse_date(said.text, said.today)
    if day is not None and limits.min <= (day - said.today).days <= limits.max:
        said.state.fallback_count = 0
        said.conv.engine.answer_number(said.state, day.isoformat(), said.turn, said.today)
        return True
    said.turn.say(limits.invalid, {"min": said.today + timedelta(days=limits.min),
                                   "max": said.today + timedelta(days=limits.max)})
    said.reshow()
    return True


async def number_confirm(said: Said) -> bool:
    """"oui" to "7 mois, cela fait environ 152 jours de travail. C'est bien ça ?"."""
    if not said.asks_number:
        return False
    choices, said.state.number_choices = said.state.number_choices, []
    if len(choices) == 1 and _typed_yes(said):
        answer_number(said, choices[0])
        return True
    return False


async def number(said: Said) -> bool:
    """A number at a number question, with or without its unit ("7 mois", "910h", "٧")."""
    if not said.asks_number:
        return False
    quantity = said.conv.units.parse(said.text, said.state.lang)
    if quantity is None:
        return False
    answer_quantity(said, quantity)
    return True


async def number_dont_know(said: Said) -> bool:
    """"I don't know" at a number question: the step that helps to count, or the question
    again, kindly; never the end of the conversation."""
    step = said.step
    if step is None or step.input is None or not said.conv.dont_know.mentioned(
            said.text, said.state.lang):
        return False
    said.state.fallback_count = 0
    if step.input.dont_know:
        said.conv.engine.follow(said.state, step.input.dont_know, said.turn, said.today)
        return True
    return said.say_and_reshow("numbers.unsure")


async def quantity_for_option(said: Said) -> bool:
    """"7 mois" or "910h" typed at a question whose buttons lead to number questions
    ("in days or in hours?"): the button whose question counts in that unit (else the
    first that can convert it) is pressed, and the number answers that question, said
    back and confirmed as if typed there. Only with a unit word: a bare "2" is a button's
    number."""
    conv, state, step = said.conv, said.state, said.step
    flow = conv.dialogues.flows.get(state.flow or "")
    if step is None or not step.options or flow is None:
        return False
    quantity = conv.units.parse(said.text, state.lang)
    if quantity is None or quantity.unit is None:
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
        if convertible is None and convert(quantity, asked, said.today) is not None:
            convertible = index
    chosen = native if native is not None else convertible
    if chosen is None:
        return False
    target_name = step.options[chosen].next or step.next
    state.fallback_count = 0
    # the number answers the next question at once: that question is not shown
    conv.engine.choose(state, chosen, conv.new_turn(state, said.today), said.today)
    if state.step != target_name:
        said.reshow()  # the flow went elsewhere: show where
        return True
    said.step = conv.engine.current_step(state)
    answer_quantity(said, quantity)
    return True


async def typed_age(said: Said) -> bool:
    """"j'ai 25 ans" or "25" at "Are you 16 or older?" answers it: yes from the step's
    parameter, no below. Only a number said in years, or one in a short message ("I'm 25"):
    in a longer one a bare number may be a date or a count ("rdv du 25 à 10h")."""
    step, conv, state = said.step, said.conv, said.state
    if step is None or step.typed_age is None:
        return False
    quantity = conv.units.parse(said.text, state.lang)
    words = len(said.text.split())
    if quantity is None or quantity.unit not in (None, "year") or words > MAX_WORDS_WITH_AGE \
            or (quantity.unit is None and words > MAX_WORDS_AROUND_AGE):
        return False
    if not MIN_AGE_SAID <= quantity.value <= MAX_AGE_SAID:
        return False  # "je suis en France depuis 2 ans": a time, not an age
    old_enough = quantity.value >= Lookup(said.today).integer(step.typed_age)
    state.fallback_count = 0
    index = next(i for i, o in enumerate(step.options) if o.value is old_enough)
    conv.engine.choose(state, index, said.turn, said.today)
    return True


async def bare_number(said: Said) -> bool:
    """A number out of the buttons' range (one in range was a press already)."""
    return whole_number(said.text) is not None and said.say_and_reshow("common.choose_button")


def answer_number(said: Said, value: int) -> None:
    step = said.conv.engine.current_step(said.state)
    assert step is not None and step.input is not None
    limits = step.input
    if limits.min <= value <= limits.max:
        said.state.fallback_count = 0
        said.conv.engine.answer_number(said.state, value, said.turn, said.today)
        return
    said.turn.say(limits.invalid, {"min": limits.min, "max": limits.max})
    said.reshow()


def answer_quantity(said: Said, quantity: Quantity) -> None:
    """A typed number: in another unit than asked ("7 months" for days worked) it is
    converted and said back to confirm; a bare number so small it may be months is
    asked back; otherwise it is the answer."""
    state, turn, today = said.state, said.turn, said.today
    step = said.conv.engine.current_step(state)
    assert step is not None and step.input is not None
    asked = step.input.unit
    value = int(quantity.value)
    if asked is None or quantity.unit == NATIVE[asked]:
        answer_number(said, value)
        return
    where = f"{state.flow}.{state.step}"
    if quantity.unit is not None:
        converted = convert(quantity, asked, today)
        if converted is None:
            turn.say("numbers.wrong_unit", {"typed": quantity.typed})
            said.reshow()
        elif not step.input.min <= converted <= step.input.max:
            answer_number(said, converted)  # says the limits
        else:
            state.number_choices = [converted]
            shown = turn.text(f"numbers.in.{asked}", {"count": converted})
            turn.say("numbers.converted", {"typed": quantity.typed, "converted": shown})
            turn.button("numbers.yes", NumberChoice(where, "0"))
            turn.button("numbers.change", NumberChoice(where, CHANGE))
            turn.flush()
        return
    if not 0 < value < confirm_below(asked, today):
        answer_number(said, value)
        return
    as_months = convert(Quantity(quantity.value, "month", quantity.typed), asked, today)
    assert as_months is not None  # days and hours worked convert from months
    state.number_choices = [value, as_months]
    turn.say("numbers.which_unit", {"count": value})
    turn.raw_button(turn.text(f"numbers.in.{asked}", {"count": value}),
                    NumberChoice(where, "0"))
    turn.raw_button(turn.text("numbers.as_months", {
        "count": value, "converted": turn.text(f"numbers.in.{asked}", {"count": as_months})}),
        NumberChoice(where, "1"))
    turn.button("numbers.change", NumberChoice(where, CHANGE))
    turn.flush()


def _typed_yes(said: Said) -> bool:
    labels = [said.turn.text("numbers.yes"), said.turn.text("common.no")]
    return (best_option(said.text, labels, said.conv.negations_for(said.state.lang)) == 0
            or said.conv.yes_no.said(said.text, said.state.lang) is True)


# ---- answers to the buttons shown -------------------------------------------------------

async def guess_answer(said: Said) -> bool:
    """Yes or no typed after "Do you mean …?"."""
    if said.guess is None:
        return False
    turn = said.turn
    yes = said.conv.yes_no.said(said.text, said.state.lang)  # "اي", "آره", "ага", "ok"
    if yes is None:
        index = best_option(said.text, [turn.text("common.yes"), turn.text("common.no")],
                            said.conv.negations_for(said.state.lang))
        yes = None if index is None else index == 0
    if yes is None:
        return False
    said.conv.answer_guess(said.state, said.guess, yes, turn, said.today)
    return True


async def offer_answer(said: Said) -> bool:
    """"نعم" or "yes" typed to "Continue in Arabic?": switch; "no" / "لا": keep the language.
    Either way the question that brought the offer is answered next."""
    state = said.state
    offered = state.offered_lang
    if offered is None or KEEP not in state.last_buttons:
        return False
    yes = said.conv.yes_no.said(said.text, offered)
    if yes is None:
        yes = said.conv.yes_no.said(said.text, state.lang)
    if yes is None:
        return False
    if yes:
        said.conv.set_language(state, offered, said.turn, said.today)
    else:
        said.conv.run_command(state, "keep_language", said.turn, said.today)
    return True


async def dont_know(said: Said) -> bool:
    """A typed "I don't know" at a question with buttons: its 🤷 button, or the question again.

    Before the buttons' labels: "لا أدري" or "نه پوهیږم" would press "❌ لا" / "❌ نه", whose
    one word they contain."""
    if (said.guess is not None or not said.has_options
            or not said.conv.dont_know.answers(said.text, said.state.lang)):
        return False
    dont_know_answer(said)
    return True


def dont_know_answer(said: Said) -> None:
    if said.conv.contextual(said.state, DONT_KNOW_INTENT, said.turn, said.today):
        return
    # no 🤷 button: never guess "No" for the user; the closest answer is theirs to choose
    said.state.fallback_count = 0
    said.say_and_reshow("common.unsure_choose")


async def bare_yes_no(said: Said) -> bool:
    """A bare "no" at "which document?" is not "❌ No document", whose one word it is: the
    guide asks for one of the buttons instead of guessing."""
    if (said.guess is not None or said.step is None or not said.step.options
            or asks_yes_no(said.step) or said.conv.yes_no.said(said.text, said.state.lang)
            is None):
        return False
    said.state.fallback_count = 0
    return said.say_and_reshow("common.yes_no_choose")


async def typed_label(said: Said) -> bool:
    """A typed text that clearly names one button of the current question presses it."""
    step, conv = said.step, said.conv
    if step is None or not step.options:
        return False
    lang = said.lang
    negations = conv.negations_for(lang) | conv.negations_for(SOURCE_LANG)
    # users often type the French words they read on their papers: French names count too,
    # and so do the synonyms the translation files list ("ريسيبيسيه" for the récépissé)
    names = [conv.synonyms.names(o.label, lang, said.turn.text(o.label),
                                 conv.catalog.render(o.label, SOURCE_LANG, said.turn.params))
             for o in step.options]
    index = best_of(said.text, names, negations)
    if index is None:
        return False
    said.state.fallback_count = 0
    conv.engine.choose(said.state, index, said.turn, said.today)
    return True


async def navigation_word(said: Said) -> bool:
    """'back', 'menu'… typed as the navigation buttons read, in the user's language or in
    French."""
    typed = fold(said.text)
    if not typed:
        return False
    for name in NAVIGATION:
        labels = {fold(said.turn.text(f"common.{name}")),
                  fold(said.conv.catalog.render(f"common.{name}", SOURCE_LANG))}
        if typed in labels:
            said.state.fallback_count = 0
            said.conv.run_command(said.state, name, said.turn, said.today)
            return True
    return False


async def language_name(said: Said) -> bool:
    """A message that is only a language's name ("français", "English", "عربي")."""
    lang = said.conv.typed_language(said.text)
    if lang is None:
        return False
    said.conv.set_language(said.state, lang, said.turn, said.today)
    return True


# ---- the language model, for everything else --------------------------------------------

async def model(said: Said) -> bool:
    conv, state, turn, today = said.conv, said.state, said.turn, said.today
    # "bonjour, j'ai raté mon rdv": read past the greeting, or the menu answers it
    thresholds = conv.thresholds
    intent = await parse_question(conv.nlu, conv.courtesy, said.text, state.lang,
                                  thresholds.act, thresholds.guess, conv.dialogues)
    said.intent = intent
    if nets_say_distress(conv.distress, said.text, intent, thresholds.distress,
                         thresholds.distress_veto):
        # the second and third nets: the language model's `distress` intent and the
        # binary distress model read distress the phrase lists missed
        conv.give_emergency_numbers(state, [UNKNOWN_KIND], turn, today, said.text, intent)
        return True
    if conv.offer_language(state, said.text, intent, turn, today):
        return True
    if (said.guess is None and said.has_options
            and intent.name in conv.dialogues.config.contextual_intents
            and conv.dont_know.mentioned(said.text, state.lang)):
        # "مش عارف والله يا اخي" read as `deny`: a message that says "I don't know" is
        # never a yes or a no, whatever words are around it; a longer one about a topic
        # ("I don't know my password") got that topic's intent and goes on
        dont_know_answer(said)
        return True
    state.guess = said.guess
    # "… can I register and what do I bring?": the questions are answered in the order
    # asked, the second offered when the first topic ends
    first, then = await topics_in_order(conv.nlu, conv.dialogues, conv.slots, said.text,
                                        said.lang, intent, thresholds.act)
    conv.understand(state, first, turn, today, said=said.text, then=then)
    return True


# The order free text is read in. Each name's reason is the one beside it.
ORDER: tuple[str, ...] = (
    "empty",
    "too_long",            # a pasted letter is not read at all
    "slash_command",
    "unknown_command",
    "secret",              # before anything that reads words: never sent to the model
    "date",                # "12/01" at a date question is a date, not a number
    "number_confirm",      # "oui" to "7 mois = 152 jours ?" before yes/no words
    "number",              # "7 mois", "910h" at a number question
    "number_dont_know",    # "aucune idée" at a number question: help to count
    "typed_age",           # "j'ai 25 ans" at "16 or older?", before the model reads "young"
    "quantity_for_option",  # "910h" at "in days or in hours?"
    "bare_number",         # "9" with 5 buttons: choose a button
    "guess_answer",        # "oui" to "Do you mean …?"
    "offer_answer",        # "نعم" to "Continue in Arabic?"
    "dont_know",           # "لا أدري" before its word "لا" presses "❌ لا"
    "bare_yes_no",         # a bare "no" does not press "❌ No document"
    "typed_label",         # "refugie" presses "🛡️ Réfugié(e)"
    "navigation_word",     # "menu", "retour"
    "language_name",       # "English", "عربي"
    "model",               # everything else: the language model decides (always answers)
)

INTERPRETERS: dict[str, Interpreter] = {
    "empty": empty,
    "too_long": too_long,
    "slash_command": slash_command,
    "unknown_command": unknown_command,
    "secret": secret,
    "date": date_answer,
    "number_confirm": number_confirm,
    "number": number,
    "number_dont_know": number_dont_know,
    "typed_age": typed_age,
    "quantity_for_option": quantity_for_option,
    "bare_number": bare_number,
    "guess_answer": guess_answer,
    "offer_answer": offer_answer,
    "dont_know": dont_know,
    "bare_yes_no": bare_yes_no,
    "typed_label": typed_label,
    "navigation_word": navigation_word,
    "language_name": language_name,
    "model": model,
}


async def interpret(said: Said) -> IntentResult | None:
    """Hand the message to each interpreter in ORDER until one answers it; the intent the
    language model found, if it was asked."""
    for name in ORDER:
        if await INTERPRETERS[name](said):
            break
    return said.intent
