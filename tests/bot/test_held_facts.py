"""What a message says is kept when its topic does not open at once: after "Do you mean …?"
→ yes, or after an offer to switch language, the flow still skips the questions the message
answered (issue 9: "I missed my appointment yesterday" must not be asked "has it passed?").
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.conversation import Conversation
from bot.messages import Incoming
from bot.payloads import Command, GuessAnswer, Language, pack

TODAY = date(2026, 11, 27)
Make = Callable[..., Conversation]


def _keys(result: object) -> list[str]:
    return [k for r in result.replies for k in r.keys]  # type: ignore[attr-defined]


async def _guessing(make_conversation: Make, lang: str) -> Conversation:
    conversation = make_conversation(TODAY, lang)
    # every reading becomes a "Do you mean …?": the real model, made unsure on purpose
    conversation.thresholds.act = 1.01
    await conversation.handle(Incoming("u", text="/start", language_hint=lang))
    return conversation


async def test_yes_to_do_you_mean_keeps_the_facts(make_conversation: Make) -> None:
    conversation = await _guessing(make_conversation, "en")
    asked = await conversation.handle(Incoming("u", text="I missed my appointment yesterday"))
    assert "fallback.confirm" in _keys(asked)
    opened = await conversation.handle(Incoming("u", data=pack(GuessAnswer(yes=True))))
    keys = _keys(opened)
    assert "slots.noted" in keys and "reschedule.q.missed" not in keys, keys
    assert "deregistered.q.income" in keys


async def test_a_typed_yes_to_do_you_mean_keeps_them_too(make_conversation: Make) -> None:
    conversation = await _guessing(make_conversation, "fr")
    await conversation.handle(Incoming("u", text="j'ai raté mon rdv hier"))
    opened = await conversation.handle(Incoming("u", text="oui"))
    keys = _keys(opened)
    assert "slots.noted" in keys and "reschedule.q.missed" not in keys, keys


async def test_facts_are_dropped_once_the_guess_is_not_taken(make_conversation: Make) -> None:
    conversation = await _guessing(make_conversation, "en")
    await conversation.handle(Incoming("u", text="I missed my appointment yesterday"))
    assert (await conversation.store.load("u")).held
    await conversation.handle(Incoming("u", data=pack(GuessAnswer(yes=False))))
    state = await conversation.store.load("u")
    assert state.held == {} and state.held_for is None


async def test_keeping_the_language_keeps_the_facts(make_conversation: Make) -> None:
    conversation = make_conversation(TODAY, "en")
    await conversation.handle(Incoming("u", text="/start", language_hint="en"))
    offer = await conversation.handle(Incoming("u", text="فاتني الموعد امبارح"))
    assert "language.offer" in _keys(offer)
    kept = await conversation.handle(Incoming("u", data=pack(Command("keep_language"))))
    keys = _keys(kept)
    assert "slots.noted" in keys and "reschedule.q.missed" not in keys, keys


async def test_switching_language_keeps_the_facts(make_conversation: Make) -> None:
    conversation = make_conversation(TODAY, "en")
    await conversation.handle(Incoming("u", text="/start", language_hint="en"))
    await conversation.handle(Incoming("u", text="فاتني الموعد امبارح"))
    switched = await conversation.handle(Incoming("u", data=pack(Language("ar"))))
    keys = _keys(switched)
    assert "slots.noted" in keys and "reschedule.q.missed" not in keys, keys
    assert any("\u0600" <= c <= "\u06ff" for c in switched.replies[-1].text)  # in Arabic
    assert (await conversation.store.load("u")).lang == "ar"


async def test_a_typed_yes_to_the_offer_switches_and_answers(make_conversation: Make) -> None:
    conversation = make_conversation(TODAY, "en")
    await conversation.handle(Incoming("u", text="/start", language_hint="en"))
    await conversation.handle(Incoming("u", text="فاتني الموعد امبارح"))
    switched = await conversation.handle(Incoming("u", text="نعم"))
    assert "language.changed" in _keys(switched)
    assert "slots.noted" in _keys(switched)
    assert (await conversation.store.load("u")).lang == "ar"


async def test_a_typed_no_to_the_offer_keeps_the_language_and_answers(
        make_conversation: Make) -> None:
    conversation = make_conversation(TODAY, "en")
    await conversation.handle(Incoming("u", text="/start", language_hint="en"))
    await conversation.handle(Incoming("u", text="فاتني الموعد امبارح"))
    kept = await conversation.handle(Incoming("u", text="no"))
    assert "slots.noted" in _keys(kept) and "reschedule.intro" in _keys(kept)
    state = await conversation.store.load("u")
    assert state.lang == "en" and "ar" in state.declined_langs
