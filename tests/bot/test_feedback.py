""""Was this useful? 👍 👎" at the end of a topic: once per topic for each user, a press
thanked in one line without losing the end's buttons (issue 11)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot.conversation import Conversation, Result
from bot.messages import Incoming
from bot.payloads import Command, Feedback, Goto, Option, pack

TODAY = date(2026, 11, 27)
TOPIC = "what_is_france_travail"  # no question: the answer at once
Make = Callable[..., Conversation]
UP, DOWN = pack(Feedback(TOPIC, up=True)), pack(Feedback(TOPIC, up=False))


def _keys(result: Result) -> list[str]:
    return [k for r in result.replies for k in r.keys]


def _data(result: Result) -> list[str]:
    return [b.data for r in result.replies for b in r.buttons]


async def _press(conversation: Conversation, data: str) -> Result:
    return await conversation.handle(Incoming("u", data=data))


async def _new(make_conversation: Make, lang: str) -> Conversation:
    conversation = make_conversation(TODAY, lang)
    await conversation.handle(Incoming("u", text="/start", language_hint=lang))
    return conversation


async def test_a_topic_asks_once_then_never_again(make_conversation: Make) -> None:
    conversation = await _new(make_conversation, "en")
    first = await _press(conversation, pack(Goto(TOPIC)))
    assert "feedback.ask" in _keys(first)
    assert _data(first)[-2:] == [UP, DOWN]  # after the topic's own buttons
    assert first.replies[-1].text.endswith("Did this answer help you?")
    again = await _press(conversation, pack(Goto(TOPIC)))
    assert "what_is_france_travail.what" in _keys(again)
    assert "feedback.ask" not in _keys(again) and UP not in _data(again)
    # not answered, still not asked again: once is once
    assert (await conversation.store.load("u")).feedback == {TOPIC: False}


async def test_a_press_thanks_and_gives_the_end_buttons_back(make_conversation: Make) -> None:
    conversation = await _new(make_conversation, "fr")
    end = await _press(conversation, pack(Goto(TOPIC)))
    thanked = await _press(conversation, UP)
    assert _keys(thanked)[0] == "feedback.thanks_up"
    assert thanked.replies[0].text.startswith("Merci ! 🙏")
    # the press takes the keyboard away on Telegram: the end's buttons come back, without
    # the question
    assert _data(thanked) == [d for d in _data(end) if d not in (UP, DOWN)]
    assert "feedback.ask" not in _keys(thanked)
    state = await conversation.store.load("u")
    assert state.flow == TOPIC and state.feedback == {TOPIC: True}
    assert "feedback.thanks_down" in _keys(await _press(conversation, DOWN))


async def test_a_late_press_keeps_the_question_the_user_is_at(make_conversation: Make) -> None:
    conversation = await _new(make_conversation, "en")
    await _press(conversation, pack(Goto(TOPIC)))
    asked = await _press(conversation, pack(Goto("eligibility")))
    assert "eligibility.q.looking" in _keys(asked)
    thanked = await _press(conversation, DOWN)  # the old keyboard stayed (Telegram was busy)
    assert _keys(thanked)[:2] == ["feedback.thanks_down", "eligibility.q.looking"]
    assert pack(Option("eligibility.looking", 0)) in _data(thanked)


async def test_small_talk_and_lists_of_links_are_not_rated(make_conversation: Make) -> None:
    conversation = await _new(make_conversation, "en")
    for flow in ("thanks", "help", "more_topics", "greet"):
        result = await _press(conversation, pack(Goto(flow)))
        assert "feedback.ask" not in _keys(result), flow
    await _press(conversation, pack(Command("menu")))
    assert (await conversation.store.load("u")).feedback == {}


async def test_a_flow_with_questions_asks_at_its_answer(make_conversation: Make) -> None:
    conversation = await _new(make_conversation, "en")
    asked = await _press(conversation, pack(Goto("reschedule")))
    assert "feedback.ask" not in _keys(asked)
    answer = await _press(conversation, pack(Option("reschedule.missed", 1)))  # not missed yet
    assert "feedback.ask" in _keys(answer)
    assert pack(Feedback("reschedule", up=True)) in _data(answer)
