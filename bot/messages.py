"""What flows between a channel and the conversation core."""

from __future__ import annotations

from dataclasses import dataclass, field


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


@dataclass
class Reply:
    """One message to show, with its buttons and the message keys it was built from."""

    text: str
    buttons: list[Button] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    expects_number: bool = False
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
