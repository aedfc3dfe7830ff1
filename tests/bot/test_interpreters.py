"""The free-text interpreters, one by one, and the order they read a message in.

Each interpreter gets a real conversation (the embedded NLU, the real flows), placed at a
real question, and either answers the message or leaves it to the next one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from bot import interpreters
from bot.conversation import Conversation
from bot.interpreters import INTERPRETERS, ORDER, Said
from bot.messages import Incoming
from bot.payloads import Goto, GuessAnswer, pack

TODAY = date(2026, 11, 27)

# (earlier, later, why): the order is data, and these are the reasons it is what it is
MUST_COME_BEFORE = [
    ("too_long", "model", "a pasted letter is never read"),
    ("secret", "date", "a password is never read further"),
    ("secret", "typed_label", "a password is never read further"),
    ("secret", "model", "a password is never sent to the language model"),
    ("date", "number", "'12/01' at a date question is a date, not the number 12"),
    ("number_confirm", "guess_answer", "'oui' to '7 mois = 152 jours ?' confirms the number"),
    ("number", "bare_number", "'45' at a number question is the answer"),
    ("quantity_for_option", "bare_number", "'910h' at 'days or hours?' answers both"),
    ("dont_know", "typed_label", "'لا أدري' does not press '❌ لا'"),
    ("guess_answer", "typed_label", "'oui' answers 'Do you mean …?', not a 'Oui' option"),
    ("typed_label", "model", "'refugie' presses 'Réfugié(e)' without the model's guess"),
    ("bare_yes_no", "typed_label", "a bare 'non' does not press '❌ Pas de document'"),
    ("guess_answer", "bare_yes_no", "'oui' to 'Do you mean …?' is an answer"),
    ("offer_answer", "bare_yes_no", "'نعم' to 'Continue in Arabic?' is an answer"),
    ("offer_answer", "typed_label", "'no' to the offer keeps the language, presses nothing"),
]


def test_every_interpreter_is_in_the_order_once_and_the_model_is_last() -> None:
    assert sorted(ORDER) == sorted(INTERPRETERS)
    assert len(set(ORDER)) == len(ORDER)
    assert ORDER[-1] == "model"


@pytest.mark.parametrize(("earlier", "later", "why"), MUST_COME_BEFORE)
def test_the_order_keeps_its_reasons(earlier: str, later: str, why: str) -> None:
    assert ORDER.index(earlier) < ORDER.index(later), why


async def _at(conversation: Conversation, target: str | None, lang: str = "fr") -> None:
    await conversation.handle(Incoming("u", text="/start", language_hint=lang))
    if target is not None:
        await conversation.handle(Incoming("u", data=pack(Goto(target))))


async def _said(conversation: Conversation, text: str, secret: bool = False,
                guess: str | None = None) -> Said:
    state = await conversation.store.load("u")
    return Said(conversation, state, text, conversation.new_turn(state, TODAY), TODAY,
                secret, guess, conversation.engine.current_step(state))


def _keys(said: Said) -> list[str]:
    said.turn.flush()
    return [k for r in said.turn.replies for k in r.keys]


Make = Callable[..., Conversation]

# name, where the conversation stands, the text, whether it is answered, a key said
CASES = [
    ("empty", None, "", True, "common.empty"),
    ("empty", None, "bonjour", False, None),
    ("too_long", None, "mot " * 200, True, "common.too_long"),
    ("too_long", None, "bonjour", False, None),
    ("slash_command", None, "/help", True, "help.text"),
    ("slash_command", None, "/inconnue", False, None),
    ("unknown_command", None, "/inconnue", True, "help.text"),
    ("unknown_command", None, "/ je veux", False, None),
    ("date", "reminders.appointment_date", "12/01", True, "reminders.appointment_done"),
    ("date", "reminders.appointment_date", "n'importe quoi", True, "reminders.invalid_date"),
    ("date", "allowance.days", "12/01", False, None),
    ("number", "allowance.days", "45", True, None),
    ("number", "allowance.days", "je ne sais pas", False, None),
    ("number", "documents.status", "45", False, None),
    ("number_dont_know", "allowance.days", "aucune idée", True, "allowance.how_to_count"),
    ("number_dont_know", "allowance.days", "45", False, None),
    ("quantity_for_option", "allowance.unit", "910h", True, None),
    ("quantity_for_option", "allowance.unit", "2", False, None),
    ("bare_number", "documents.status", "9", True, "common.choose_button"),
    ("bare_number", "documents.status", "neuf", False, None),
    ("dont_know", "allowance.unit", "je sais pas", True, None),
    ("dont_know", None, "je sais pas", False, None),
    ("bare_yes_no", "documents.status", "non", True, "common.yes_no_choose"),
    ("bare_yes_no", "documents.status", "refugie", False, None),
    ("typed_label", "documents.status", "refugie", True, None),
    ("typed_label", "documents.status", "bonjour", False, None),
    ("typed_label", None, "refugie", False, None),
    ("navigation_word", "documents.status", "menu", True, None),
    ("navigation_word", "documents.status", "menu svp je veux", False, None),
    ("language_name", None, "English", True, "language.changed"),
    ("language_name", None, "je parle anglais", False, None),
    ("model", None, "j'ai oublié mon mot de passe", True, None),
]


@pytest.mark.parametrize(("name", "where", "text", "answered", "key"), CASES,
                         ids=[f"{c[0]}-{c[2][:12]}" for c in CASES])
async def test_each_interpreter_answers_its_messages_and_leaves_the_rest(
        make_conversation: Make, name: str, where: str | None, text: str, answered: bool,
        key: str | None) -> None:
    conversation = make_conversation(TODAY)
    await _at(conversation, where)
    said = await _said(conversation, text)
    before = said.state.model_dump()
    assert await INTERPRETERS[name](said) is answered
    keys = _keys(said)
    if answered:
        assert keys, "an interpreter that answers says something"
        if key is not None:
            assert key in keys
    else:
        assert keys == [] and said.state.model_dump() == before, "declined but acted"


async def test_a_secret_is_answered_with_a_warning_and_never_reaches_the_model(
        make_conversation: Make) -> None:
    conversation = make_conversation(TODAY)
    await _at(conversation, "documents.status")
    said = await _said(conversation, "refugie", secret=True)
    assert await interpreters.interpret(said) is None  # the model was not asked
    assert "privacy.secret_warning" in _keys(said)


async def test_a_typed_yes_answers_the_pending_guess(make_conversation: Make) -> None:
    conversation = make_conversation(TODAY)
    await _at(conversation, None)
    said = await _said(conversation, "oui", guess="forgot_login")
    assert await interpreters.guess_answer(said)
    assert said.state.flow == "forgot_login"
    said = await _said(conversation, "oui")
    assert not await interpreters.guess_answer(said)  # no pending guess: not its message


async def test_the_model_says_what_it_read(make_conversation: Make) -> None:
    conversation = make_conversation(TODAY)
    await _at(conversation, None)
    said = await _said(conversation, "j'ai oublié mon mot de passe")
    intent = await interpreters.interpret(said)
    assert intent is not None and intent.name == "forgot_login"
    assert said.state.flow == "forgot_login"


def test_the_guess_payload_is_the_one_the_buttons_carry() -> None:
    assert pack(GuessAnswer(yes=True)) == "f:yes"
