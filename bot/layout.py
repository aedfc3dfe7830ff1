"""How buttons sit on the screen: two on a row when both labels are short, else one.

The rule is data (`two_per_row` in dialogues/_global.yml). It is worked out once, in the
conversation core, so that Telegram's keyboard and the shell's numbered list show the same
rows. Buttons keep their order: the n-th button, reading left to right and top to bottom, is
the one typing "n" presses.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from bot import payloads
from bot.messages import Button, Reply

# marks, joiners, variation selectors and isolates take no room; emoji take two places
_NO_WIDTH = frozenset({"Mn", "Me", "Cf"})


def label_width(label: str) -> int:
    """About how many Latin letters' room a label takes on the screen."""
    width = 0
    for char in label:
        category = unicodedata.category(char)
        if category in _NO_WIDTH:
            continue
        wide = category == "So" or unicodedata.east_asian_width(char) in ("W", "F")
        width += 2 if wide else 1
    return width


def kind(button: Button) -> str:
    """What a button does (an answer, a topic, a command, a language…): buttons side by
    side do the same kind of thing, so a question's answers never share a row with Menu."""
    if button.data is None:
        return "url"  # a link button opens a page
    payload = payloads.unpack(button.data)
    return type(payload).__name__ if payload is not None else button.data


def row_sizes(buttons: Sequence[Button], two_per_row: int) -> list[int]:
    """How many buttons go on each row, in order."""
    sizes: list[int] = []
    index = 0
    while index < len(buttons):
        pair = buttons[index:index + 2]
        if (len(pair) == 2 and kind(pair[0]) == kind(pair[1])
                and all(label_width(b.label) <= two_per_row for b in pair)):
            sizes.append(2)
        else:
            sizes.append(1)
        index += sizes[-1]
    return sizes


def lay_out(replies: Sequence[Reply], two_per_row: int) -> None:
    """Give each reply the rows its buttons sit on."""
    for reply in replies:
        reply.row_sizes = row_sizes(reply.buttons, two_per_row)
