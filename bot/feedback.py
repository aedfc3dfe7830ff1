""""Was this useful? 👍 👎" at the end of a topic, once per topic for each user.

The user's state remembers that the question was asked for a topic and whether it was
answered, never the answer: a 👍 or a 👎 is only counted (bot/usage.py), with no user id.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from bot import sources_shown
from bot.dialogue.schema import GlobalConfig
from bot.payloads import Feedback
from bot.state import UserState
from bot.usage import DOWN, UP

if TYPE_CHECKING:
    from bot.engine import Engine, Turn

FEEDBACK_KEYS = ["feedback.ask", "feedback.up", "feedback.down", "feedback.thanks_up",
                 "feedback.thanks_down"]


def asks_feedback(config: GlobalConfig, topic: str) -> bool:
    """Small talk, menus and settings are not topics to rate (dialogues/_global.yml)."""
    return topic not in config.small_talk and topic not in config.no_feedback


def offer_feedback(config: GlobalConfig, state: UserState, turn: Turn) -> None:
    """The question and its two buttons, at the end of the topic the user is in, the first
    time it ends for them."""
    topic = state.flow
    if topic is None or topic in state.feedback or not asks_feedback(config, topic):
        return
    state.feedback[topic] = False
    turn.say("feedback.ask")
    turn.button("feedback.up", Feedback(topic, True))
    turn.button("feedback.down", Feedback(topic, False))


def answer_feedback(engine: Engine, state: UserState, topic: str, up: bool, turn: Turn,
                    today: date) -> None:
    """A press: counted once (an old keyboard pressed again is thanked, not counted again),
    thanked in one line, and the user's place shown again: the end's buttons, which the
    press took away, or the question they went on to."""
    if state.feedback.get(topic) is False:
        state.feedback[topic] = True
        turn.count(UP if up else DOWN, topic)
    turn.say("feedback.thanks_up" if up else "feedback.thanks_down")
    if engine.at_question(state):
        engine.reshow(state, turn, today)
    elif not sources_shown.buttons_again(state, turn, without=("r:",)):
        engine.end_again(state, turn)
