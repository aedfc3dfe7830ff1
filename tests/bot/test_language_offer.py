"""After an offer to switch language, the question that triggered it is answered whatever
the user picks (bot/language_offer.py, Conversation._answer_pending)."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Conversation
from bot.language_offer import KEEP, keep_language, offered_question
from bot.messages import Incoming
from bot.state import UserState


def keys(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [k for r in result.replies for k in r.keys]


def offer_state() -> UserState:
    return UserState(user_id="u", lang="en", offered_lang="ar", pending_intent="how_to_register",
                     last_buttons=["l:ar", KEEP])


def test_keeping_the_language_declines_it_and_gives_the_question() -> None:
    state = offer_state()
    assert keep_language(state) == "how_to_register"
    assert state.declined_langs == ["ar"]
    assert (state.offered_lang, state.pending_intent) == (None, None)


def test_an_offer_left_for_another_message_gives_no_question() -> None:
    state = offer_state()
    state.last_buttons = ["g:password", "c:menu"]  # the guide has answered something since
    assert offered_question(state) is None
    assert state.pending_intent is None


async def test_keeping_french_answers_the_english_question_in_french(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation(lang="fr")
    await conversation.handle(Incoming("u", text="/start", language_hint="fr"))
    offer = await conversation.handle(Incoming("u", text="I forgot my password, what can I do"))
    assert keys(offer) == ["language.offer"]
    kept = await conversation.handle(Incoming("u", data=KEEP))
    assert any(k.startswith("forgot_login.") for k in keys(kept)), keys(kept)
    assert "identifiant" in " ".join(r.text for r in kept.replies).lower()
    assert (await conversation.store.load("u")).lang == "fr"


async def test_an_old_offer_pressed_later_does_not_bring_its_question_back(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation(lang="fr")
    await conversation.handle(Incoming("u", text="/start", language_hint="fr"))
    await conversation.handle(Incoming("u", text="I forgot my password, what can I do"))
    await conversation.handle(Incoming("u", text="je veux m'inscrire à France Travail"))
    late = await conversation.handle(Incoming("u", data="l:en"))
    assert (await conversation.store.load("u")).lang == "en"
    assert not any(k.startswith("forgot_login.") for k in keys(late)), keys(late)
