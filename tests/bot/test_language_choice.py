"""Choosing the language: Telegram's hint, the picker, and the offer to switch."""

from __future__ import annotations

from collections.abc import Callable

from bot.conversation import Conversation
from bot.messages import Incoming


def keys(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [k for r in result.replies for k in r.keys]


def buttons(result) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.data for r in result.replies for b in r.buttons]


async def test_hint_in_the_languages_is_used(make_conversation: Callable[..., Conversation]
                                             ) -> None:
    conversation = make_conversation()
    result = await conversation.handle(Incoming("u", text="/start", language_hint="en-GB"))
    assert (await conversation.store.load("u")).lang == "en"
    assert "language.prompt" not in keys(result)


async def test_unknown_hint_shows_the_picker_in_every_script(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation()
    result = await conversation.handle(Incoming("u", text="/start", language_hint="de"))
    assert "welcome.text" in keys(result) and "language.prompt" in keys(result)
    labels = [b.label for r in result.replies for b in r.buttons if (b.data or "").startswith("l:")]
    assert "Français" in labels and "English" in labels


async def test_english_text_in_french_is_offered_then_answered_in_english(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation(lang="fr")
    await conversation.handle(Incoming("u", text="/start", language_hint="fr"))
    offer = await conversation.handle(Incoming("u", text="I forgot my password, what can I do"))
    assert keys(offer) == ["language.offer"]
    assert "l:en" in buttons(offer) and "c:keep_language" in buttons(offer)
    assert "Would you like to continue in English" in offer.replies[0].text
    switched = await conversation.handle(Incoming("u", data="l:en"))
    assert (await conversation.store.load("u")).lang == "en"
    assert "forgot_login.intro" in keys(switched) or any(
        k.startswith("forgot_login.") for k in keys(switched))


async def test_declined_language_is_not_offered_again(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation(lang="fr")
    await conversation.handle(Incoming("u", text="/start", language_hint="fr"))
    await conversation.handle(Incoming("u", text="I forgot my password, what can I do"))
    await conversation.handle(Incoming("u", data="c:keep_language"))
    again = await conversation.handle(Incoming("u", text="I forgot my password, what can I do"))
    assert "language.offer" not in keys(again)
    assert (await conversation.store.load("u")).lang == "fr"


async def test_one_short_word_never_triggers_an_offer(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation(lang="fr")
    await conversation.handle(Incoming("u", text="/start", language_hint="fr"))
    result = await conversation.handle(Incoming("u", text="hello"))
    assert "language.offer" not in keys(result)
