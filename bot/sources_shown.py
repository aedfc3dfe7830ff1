"""What a user sees of the sources behind an answer: one short line under the answer
("Source: francetravail.fr, checked November 2026") and a "📚 Sources" button; pressing it
sends the whole list (site, date checked, address) as its own message, then the user's place
again, so the buttons they had still work.

Sources are listed official pages first (`kind` in rules_engine/parameters/sources.yml) and
shown by their site, never by the maintainers' title (French or English, whatever the
user's language); a source with a page in the user's language (`pages:`) shows that page.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from babel.dates import format_skeleton

from bot import payloads
from bot.i18n import locale
from bot.messages import Button
from bot.state import ShownSources, UserState

if TYPE_CHECKING:
    from bot.engine import Engine, Turn

# who publishes a source, in the order users see them (rules_engine/parameter_schema.py)
KIND_ORDER = ("official", "public", "association", "media", "law_firm")
# the answers whose sources a user can still open: the latest few
KEPT = 5


def ordered(sources: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """Each source once, official pages first; within a kind, in the order cited."""
    unique = list({s["id"]: s for s in sources}.values())
    rank = {kind: n for n, kind in enumerate(KIND_ORDER)}
    return sorted(unique, key=lambda s: rank.get(str(s.get("kind")), len(KIND_ORDER)))


def site(url: str) -> str:
    """The site a user recognises: the address's host without "www." ("service-public.fr")."""
    host = (urlsplit(url).hostname or url).rstrip(".")
    return host.removeprefix("www.")


def address(source: Mapping[str, Any], lang: str) -> str:
    """The page in the user's language when the source has one, else its address."""
    pages: Mapping[str, str] = source.get("pages") or {}
    return str(pages.get(lang) or source["url"])


def month(day: date, lang: str) -> str:
    """"November 2026", as the language writes a month (Babel)."""
    return str(format_skeleton("yMMMM", day, locale=locale(lang)))


def source_line(turn: Turn, sources: list[Mapping[str, Any]]) -> str:
    first = sources[0]
    return turn.text("common.source_line", {
        "site": site(address(first, turn.lang)), "month": month(first["checked"], turn.lang)})


def close(turn: Turn) -> None:
    """At the end of a message that cited sources: the line where they were cited, the
    button before the navigation ones, and what the button will show, kept for the state."""
    cited, turn.cited = ordered(turn.cited), []
    at, turn.source_at = turn.source_at, None
    if not cited:
        return
    line = source_line(turn, cited)
    if at is None:
        turn.parts.append(line)
        at = len(turn.parts) - 1
    else:
        turn.parts[at] = line
    turn.keys.append("common.source_line")
    turn.said_in.append(at)
    kept = [(b.label, b.data, b.url) for b in turn.buttons]
    if turn.place is None:
        return  # not in a flow: the line alone
    _add_button(turn, turn.place)
    turn.shown_sources.append(ShownSources(where=turn.place, ids=[str(s["id"]) for s in cited],
                                           buttons=kept))


def _add_button(turn: Turn, where: str) -> None:
    """The Sources button, before the navigation ones (Restart, Back, Menu)."""
    button = Button(turn.text("common.sources_button"), payloads.pack(payloads.Sources(where)))
    navigation = next((i for i, b in enumerate(turn.buttons) if (b.data or "").startswith("c:")),
                      len(turn.buttons))
    turn.buttons.insert(navigation, button)


def remember(state: UserState, turn: Turn) -> None:
    """The answers whose Sources button the user may press, the latest last."""
    if turn.shown_sources:
        newer = {s.where for s in turn.shown_sources}
        older = [s for s in state.shown_sources if s.where not in newer]
        state.shown_sources = (older + turn.shown_sources)[-KEPT:]


def buttons_again(state: UserState, turn: Turn, without: tuple[str, ...] = ()) -> bool:
    """At the end of a topic whose answer had a Sources button: that answer's buttons again
    (but those whose data starts with one of `without`), under what the turn said; False
    when the user is not at such an end."""
    here = state.here()
    where = f"{here.flow}.{here.step}" if here is not None else None
    shown = next((s for s in reversed(state.shown_sources) if s.where == where), None)
    if shown is None or not shown.buttons:
        return False
    turn.buttons.extend(Button(label, data, url) for label, data, url in shown.buttons
                        if not (data or "").startswith(without))
    _add_button(turn, shown.where)
    turn.flush()
    return True


def show(engine: Engine, state: UserState, where: str, turn: Turn, today: date) -> None:
    """The list behind a Sources button, as its own message(s), then the user's place: at
    the end of a topic, the buttons that were under the answer (unchanged, so they work as
    before); at a question, the question again; for an older answer, the place as it is."""
    shown = next((s for s in reversed(state.shown_sources) if s.where == where), None)
    if shown is None:
        turn.say("common.stale_button")
        engine.reshow(state, turn, today)
        return
    found = ordered(s for s in (engine.sources(i) for i in shown.ids) if s is not None)
    turn.say("common.sources_intro")
    for source in found:
        turn.say("common.source_item", {"site": site(address(source, turn.lang)),
                                        "checked": source["checked"],
                                        "url": address(source, turn.lang)})
    here = state.here()
    at_end = (here is not None and f"{here.flow}.{here.step}" == where
              and not engine.at_question(state))
    if at_end and shown.buttons:
        for label, data, url in shown.buttons:
            turn.buttons.append(Button(label, data, url))
        turn.flush()
        return
    turn.flush()
    engine.reshow(state, turn, today)
