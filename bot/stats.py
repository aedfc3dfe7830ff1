"""`guide stats`: what the usage counts say, as plain text tables, for the association that
runs the bot. Only the counts are read (bot/usage.py): nothing in them names a person."""

from __future__ import annotations

import asyncio
import os
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

from bot import paths
from bot.usage import (
    DOWN,
    ENDED,
    GUESSED,
    LEFT,
    NOT_UNDERSTOOD,
    RESUMED,
    STARTED,
    UNDERSTOOD,
    UP,
    Count,
)


def default_state_url() -> str:
    """The bot's own database: GUIDE_STATE_URL, or its default (README, "Settings")."""
    return os.environ.get("GUIDE_STATE_URL") or f"sqlite:///{paths.ROOT / 'data' / 'state.db'}"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], names: int = 1
          ) -> list[str]:
    """Columns padded to their widest cell: the first `names` on the left, the numbers on
    the right."""
    cells = [[str(h) for h in headers]] + [[str(c) for c in row] for row in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for row in cells:
        parts = [cell.ljust(width) if i < names else cell.rjust(width)
                 for i, (cell, width) in enumerate(zip(row, widths, strict=True))]
        lines.append("  ".join(parts).rstrip())
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines


# a step's name → what the association reads for it (its question, in French)
StepName = Callable[[str, str], str]


def _plain(topic: str, step: str) -> str:
    return step


def step_names(day: date) -> StepName:
    """Each question named by its step and its short French label ("age: Âge minimum
    atteint"), from dialogues/ and translations/; the step alone when they cannot be read."""
    from bot.dialogue.loader import load_dialogues
    from bot.i18n import SOURCE_LANG, load_catalog
    from rules_engine.parameters import public_parameters
    from rules_engine.yamlfile import DataFileError

    try:
        dialogues = load_dialogues(paths.dialogues_dir())
        catalog = load_catalog(paths.translations_dir(), skip_broken=True)
    except DataFileError:
        return _plain
    params = dict(public_parameters(day))

    def name(topic: str, step: str) -> str:
        flow = dialogues.flows.get(topic)
        asked = flow.steps.get(step) if flow is not None else None
        key = asked.short or asked.ask if asked is not None else None
        return f"{step}: {catalog.render(key, SOURCE_LANG, params)}" if key else step

    return name


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "-"


def report(counts: Sequence[Count], first: date, last: date, names: StepName = _plain) -> str:
    days = (last - first).days + 1
    head = f"Usage from {first.isoformat()} to {last.isoformat()} ({days} days)"
    totals: Counter[tuple[str, str, str, str]] = Counter()
    for c in counts:
        if first <= c.day <= last:
            totals[c.topic, c.lang, c.what, c.step] += c.n
    if not totals:
        return f"{head}: nothing counted.\n"
    out = [head, "", *_topics(totals), "", *_feedback(totals), "", *_understood(totals), "",
           *_leaves(totals, names)]
    return "\n".join(out) + "\n"


Totals = Counter[tuple[str, str, str, str]]


def _sum(totals: Totals, what: str, topic: str | None = None, lang: str | None = None,
         step: str | None = None) -> int:
    return sum(n for (t, la, w, s), n in totals.items() if w == what
               and (topic is None or t == topic) and (lang is None or la == lang)
               and (step is None or s == step))


def _topics(totals: Totals) -> list[str]:
    pairs = {(t, la) for (t, la, w, _) in totals if w in (STARTED, ENDED)}
    rows = []
    for topic, lang in pairs:
        started, ended = (_sum(totals, w, topic, lang) for w in (STARTED, ENDED))
        rows.append((topic, lang, started, ended, _percent(ended, started)))
    # the most used topics first, then each topic's languages, most used first
    by_topic = Counter({t: _sum(totals, STARTED, t) for t, _ in pairs})
    rows.sort(key=lambda r: (-by_topic[r[0]], r[0], -int(r[2]), r[1]))
    return ["Topics per language (started: the topic opened; ended: its answer shown)",
            *table(["topic", "language", "started", "ended", "ended share"], rows, names=2)]


def _feedback(totals: Totals) -> list[str]:
    topics = sorted({t for (t, _, w, _) in totals if w in (UP, DOWN)})
    rows = []
    for topic in topics:
        up, down = _sum(totals, UP, topic), _sum(totals, DOWN, topic)
        rows.append((topic, up, down, _percent(up, up + down)))
    rows.sort(key=lambda r: (-(int(r[1]) + int(r[2])), r[0]))
    if not rows:
        return ['"Was this useful?": no answer yet']
    return ['"Was this useful?" per topic (all languages)',
            *table(["topic", "useful", "not useful", "useful share"], rows)]


def _understood(totals: Totals) -> list[str]:
    whats = (UNDERSTOOD, GUESSED, NOT_UNDERSTOOD)
    langs = sorted({la for (_, la, w, _) in totals if w in whats})
    rows = []
    for lang in langs:
        understood, guessed, lost = (_sum(totals, w, lang=lang) for w in whats)
        typed = understood + guessed + lost
        rows.append((lang, typed, understood, guessed, lost, _percent(guessed + lost, typed)))
    rows.sort(key=lambda r: (-int(r[1]), r[0]))
    if not rows:
        return ["Typed messages: none"]
    return ['Typed messages per language (not understood: "Do you mean …?", or asked to say '
            "it another way)",
            *table(["language", "typed", "understood", "do you mean", "not understood",
                    "share not understood"], rows)]


def _leaves(totals: Totals, names: StepName) -> list[str]:
    left: dict[str, Counter[str]] = defaultdict(Counter)
    back: dict[str, Counter[str]] = defaultdict(Counter)
    for (topic, _, what, step), n in totals.items():
        if what == LEFT:
            left[topic][step] += n
        elif what == RESUMED:
            back[topic][step] += n
    if not left:
        return ["Where people leave a flow: nobody left one at a question"]
    rows = []
    for topic in sorted(left, key=lambda t: (-left[t].total(), t)):
        for step, n in sorted(left[topic].items(), key=lambda item: (-item[1], item[0])):
            rows.append((topic, names(topic, step), n, back[topic][step]))
    return ["Where people leave a flow (at a question, for the menu, another topic or /start; "
            "came back: with \"Continue\")",
            *table(["topic", "question (step)", "left", "came back"], rows, names=2)]


async def _read(url: str, first: date) -> list[Count]:
    from bot.store import SqliteStore, parse_state_url

    path = parse_state_url(url)
    if not path.exists() or path.stat().st_size == 0:
        raise FileNotFoundError(f"no state database at {path} (GUIDE_STATE_URL or --state-url)")
    store = SqliteStore.open(path)
    try:
        return await store.usage_counts(first)
    finally:
        store.close()


def run_stats(days: int, last: date, url: str) -> int:
    from bot.store import StoreError

    first = last - timedelta(days=days - 1)
    try:
        counts = asyncio.run(_read(url, first))
    except (FileNotFoundError, StoreError, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report(counts, first, last, step_names(last)), end="")
    return 0
