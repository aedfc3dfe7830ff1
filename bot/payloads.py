"""What a button says when it is pressed: one small typed codec instead of hand-built strings.

Telegram carries at most 64 bytes of callback data per button, so every payload is packed
here and checked once; `guide lint` packs every option of every flow, so a long flow or step
name fails in CI rather than on a user's phone. The packed forms are also what the shell
shows and what conversation tests press ("o:eligibility.status:0").
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.digits import whole_number

# Telegram's limit for callback_data, in bytes of UTF-8
MAX_BYTES = 64


@dataclass(frozen=True)
class Option:
    """The index-th answer of the question at `where` ("flow.step")."""

    where: str
    index: int


@dataclass(frozen=True)
class Goto:
    """Open a flow ("documents") or one of its steps ("eligibility.status")."""

    target: str


@dataclass(frozen=True)
class Command:
    """A command, as typed with a slash ("menu", "back") or internal ("keep_language")."""

    name: str


@dataclass(frozen=True)
class Language:
    code: str


@dataclass(frozen=True)
class GuessAnswer:
    """Yes or no to "Do you mean …?"."""

    yes: bool


@dataclass(frozen=True)
class NumberChoice:
    """A button under "7 months is about 152 days of work?": a value's index, or "change"."""

    where: str
    choice: str


@dataclass(frozen=True)
class Sources:
    """The list of sources behind the answer that ended at `where` ("flow.step")."""

    where: str


@dataclass(frozen=True)
class Feedback:
    """👍 (`up`) or 👎 to "Was this useful?" at the end of a topic (a flow's name)."""

    topic: str
    up: bool


Payload = (Option | Goto | Command | Language | GuessAnswer | NumberChoice | Sources
           | Feedback)

CHANGE = "change"


class PayloadTooLong(ValueError):
    pass


def pack(payload: Payload) -> str:
    match payload:
        case Option(where, index):
            data = f"o:{where}:{index}"
        case Goto(target):
            data = f"g:{target}"
        case Command(name):
            data = f"c:{name}"
        case Language(code):
            data = f"l:{code}"
        case GuessAnswer(yes):
            data = "f:yes" if yes else "f:no"
        case NumberChoice(where, choice):
            data = f"n:{where}:{choice}"
        case Sources(where):
            data = f"s:{where}"
        case Feedback(topic, up):
            data = f"r:{topic}:{'up' if up else 'down'}"
    if len(data.encode()) > MAX_BYTES:
        raise PayloadTooLong(f"{data!r} is {len(data.encode())} bytes; Telegram allows "
                             f"{MAX_BYTES}: shorten the flow or step name")
    return data


def unpack(data: str) -> Payload | None:
    """The payload a pressed button carries, or None for anything malformed or unknown
    (an old button from before an update, or data a client made up)."""
    kind, _, rest = data.partition(":")
    if not rest or len(data.encode()) > MAX_BYTES:
        return None
    if kind in ("o", "n"):
        where, _, last = rest.rpartition(":")
        if not where:
            return None
        if kind == "n":
            return NumberChoice(where, last)
        index = whole_number(last)
        return None if index is None else Option(where, index)
    if kind == "g":
        return Goto(rest)
    if kind == "c":
        return Command(rest)
    if kind == "l":
        return Language(rest)
    if kind == "s":
        return Sources(rest)
    if kind == "f" and rest in ("yes", "no"):
        return GuessAnswer(rest == "yes")
    if kind == "r":
        topic, _, vote = rest.rpartition(":")
        return Feedback(topic, vote == "up") if topic and vote in ("up", "down") else None
    return None
