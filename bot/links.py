"""Link buttons: the pages people open to act (register, log in, do the monthly update,
read réfugiés.info), from rules_engine/parameters/links/, for the day and the language.

A link's label is the message key `links.<id>`; its address is the parameter `links.<id>`
(unit `url`): one address, or one per language where the page exists in that language (a
user whose language has none gets no button rather than a page they cannot read).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from rules_engine.parameters import default_store

PREFIX = "links."


@dataclass(frozen=True)
class WebLink:
    label: str  # message key
    url: str


LinkLookup = Callable[[str, str, date], WebLink | None]


def find_link(link_id: str, lang: str, on: date) -> WebLink | None:
    """The page `link_id` opens for a user reading `lang` on `on`; None: no button."""
    store = default_store()
    name = PREFIX + link_id
    if name not in store.parameters or not store.in_force(name, on):
        return None  # lint names a flow's unknown link; the bot shows no button
    value = store.value(name, on)
    url = value.get(lang) if isinstance(value, dict) else value
    return WebLink(PREFIX + link_id, url) if isinstance(url, str) else None


def link_ids() -> list[str]:
    """Every link the data defines (lint checks flows name only these)."""
    store = default_store()
    return sorted(name.removeprefix(PREFIX) for name, file in store.parameters.items()
                  if name.startswith(PREFIX) and file.unit == "url")
