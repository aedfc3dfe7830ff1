"""Buttons side by side (bot/layout.py): two on a row when both labels are short and do the
same kind of thing; the rule's width is data (dialogues/_global.yml `two_per_row`)."""

from __future__ import annotations

from collections.abc import Callable

from bot import paths, payloads
from bot.conversation import Conversation
from bot.dialogue.loader import load_dialogues
from bot.layout import label_width, row_sizes
from bot.messages import Button, Incoming, Reply


def _topic(label: str) -> Button:
    return Button(label, payloads.pack(payloads.Goto(label.lower().replace(" ", "_"))))


def _command(label: str) -> Button:
    return Button(label, payloads.pack(payloads.Command(label.lower())))


def test_two_short_labels_share_a_row_a_long_one_has_its_own() -> None:
    buttons = [_topic("Yes"), _topic("No"), _topic("A label far too long for half a row"),
               _topic("Short"), _topic("Tiny")]
    assert row_sizes(buttons, 12) == [2, 1, 2]


def test_buttons_of_different_kinds_never_share_a_row() -> None:
    # the last answer and Menu are both short: still each on its own row
    buttons = [_topic("Yes"), _topic("No"), _topic("Maybe"), _command("Menu")]
    assert row_sizes(buttons, 12) == [2, 1, 1]


def test_emoji_take_two_places_marks_and_isolates_none() -> None:
    assert label_width("🔑 Password") == label_width("xx Password")
    assert label_width("\u2068ARE\u2069") == 3
    assert label_width("كَتَبَ") == 3  # the vowel marks sit on the letters


def test_rows_follow_the_sizes_and_keep_the_order() -> None:
    reply = Reply("?", [_topic(x) for x in "abcde"], row_sizes=[2, 1])
    assert [[b.label for b in row] for row in reply.rows()] == [["a", "b"], ["c"], ["d"], ["e"]]


def test_the_width_is_data() -> None:
    config = load_dialogues(paths.dialogues_dir()).config
    assert config.two_per_row > 0


async def test_the_english_menu_has_fewer_rows_than_buttons(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation(lang="en")
    result = await conversation.handle(Incoming("u", text="/menu", language_hint="en"))
    menu = result.replies[-1]
    rows = menu.rows()
    assert sum(len(row) for row in rows) == len(menu.buttons)
    assert any(len(row) == 2 for row in rows) and len(rows) < len(menu.buttons)
    limit = conversation.dialogues.config.two_per_row
    for row in rows:
        if len(row) == 2:
            assert all(label_width(b.label) <= limit for b in row)
