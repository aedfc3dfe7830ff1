"""What flows between a channel and the conversation core."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Incoming:
    """One user input: free text, or the data of a pressed button; for a photo or a file,
    `kind` says what it was and `text` is the caption written with it, if any."""

    user_id: str
    text: str | None = None
    data: str | None = None
    language_hint: str | None = None
    # "text" (typed or a button), or what else was sent: voice, photo, sticker, document…
    kind: str = "text"


@dataclass(frozen=True)
class Button:
    """A button: pressed, it sends `data` back to the core; or it opens the page at `url`
    (a link button: the core never hears of it). One or the other."""

    label: str
    data: str | None = None
    url: str | None = None

    def __post_init__(self) -> None:
        if (self.data is None) == (self.url is None):
            raise ValueError("a button has `data` or `url`, not both nor neither")


@dataclass(frozen=True)
class Document:
    """A file sent with a reply, kept as what it is made from (JSON data, no file): it goes
    through the outbox like a text, and the channel makes the file (bot/checklist_pdf.py)."""

    filename: str
    data: dict[str, Any]


@dataclass
class Reply:
    """One message to show, with its buttons and the message keys it was built from; with a
    `document`, the text goes with the file (a caption on Telegram)."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    expects_number: bool = False
    document: Document | None = None
    # how many buttons sit on each row, in order (bot/layout.py); empty: one per row
    row_sizes: list[int] = field(default_factory=list)

    def rows(self) -> list[list[Button]]:
        """The buttons, row by row; any not covered by `row_sizes` get a row each."""
        rows: list[list[Button]] = []
        start = 0
        for size in self.row_sizes:
            if start >= len(self.buttons):
                break
            rows.append(self.buttons[start:start + size])
            start += size
        rows += [[button] for button in self.buttons[start:]]
        return rows
