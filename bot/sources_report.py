"""`guide sources` and the staleness warnings of `guide lint`: which facts to read again.

A fact is only as true as the last time someone read its source. A source whose `checked`
date, or a parameter value in force today whose `checked` date, is older than a setting
(GUIDE_STALE_MONTHS, default 6) is "stale": it is listed for the people who maintain the
content, with the file and line to update. Staleness never fails `guide lint`: the fact may
well still be true, someone just has to look.
"""

from __future__ import annotations

import calendar
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from bot import paths
from bot.dialogue.loader import load_dialogues
from rules_engine.parameter_schema import SourceEntry, SourcesFile
from rules_engine.parameter_store import SOURCES_FILE, NoValueInForce, read_directory
from rules_engine.yamlfile import DataFileError, line_of, load_model

STALE_MONTHS_VARIABLE = "GUIDE_STALE_MONTHS"
DEFAULT_STALE_MONTHS = 6
# a rule citing a source that no parameter names: `lookup.cite("service_public_domiciliation")`
_CITE = re.compile(r"""\.cite\(\s*["']([a-z][a-z0-9_]*)["']""")


def stale_months(environ: Mapping[str, str] = os.environ) -> int:
    """The setting: how many months after `checked` a fact must be read again."""
    text = environ.get(STALE_MONTHS_VARIABLE, "").strip()
    if not text:
        return DEFAULT_STALE_MONTHS
    if not text.isdigit() or int(text) < 1:
        raise ValueError(f"{STALE_MONTHS_VARIABLE} must be a whole number of months, 1 or "
                         f"more (got {text!r})")
    return int(text)


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day when that day does not exist)."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return date(year, month + 1, min(day.day, last))


@dataclass(frozen=True)
class SourceUse:
    """One source of sources.yml and everything that relies on it."""

    id: str
    entry: SourceEntry
    line: int | None
    parameters: list[str] = field(default_factory=list)  # "name (value from START)"
    steps: list[str] = field(default_factory=list)  # "flow.step"
    rules: list[str] = field(default_factory=list)  # "rules_engine/x.py:LINE", cite("id")


@dataclass(frozen=True)
class Stale:
    """A fact last checked before the cutoff, and where to update it."""

    kind: Literal["source", "parameter"]
    name: str
    checked: date
    urls: list[str]
    path: Path
    line: int | None


def _key_lines(path: Path, inner: str) -> dict[str, int]:
    """The line of each top-level key's `inner` field (or of the key), parsed once."""
    node: Any = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    if not isinstance(node, CommentedMap):
        return {}
    lines = {}
    for key, value in node.items():
        at = value.lc.key(inner) if isinstance(value, CommentedMap) and inner in value \
            else node.lc.key(key)
        lines[str(key)] = at[0] + 1
    return lines


def _read_sources(parameters_dir: Path, inner: str = ""
                  ) -> tuple[dict[str, SourceEntry], dict[str, int]]:
    path = parameters_dir / SOURCES_FILE
    return load_model(SourcesFile, path).root, _key_lines(path, inner)


def source_uses(parameters_dir: Path, dialogues_dir: Path,
                 rules_dir: Path | None = None) -> list[SourceUse]:
    """Every source, in file order, with the parameter values, flow steps and rules citing it."""
    sources, lines = _read_sources(parameters_dir)
    store, _ = read_directory(parameters_dir)  # broken files are lint's business
    uses = {sid: SourceUse(sid, entry, lines.get(sid)) for sid, entry in sources.items()}
    for name, file in sorted(store.parameters.items()):
        for value in file.values:
            for sid in value.sources:
                if sid in uses:
                    uses[sid].parameters.append(f"{name} (value from {value.start.isoformat()})")
    dialogues = load_dialogues(dialogues_dir)
    for flow_name, flow in sorted(dialogues.flows.items()):
        for step_name, step in flow.steps.items():
            for sid in step.sources:
                if sid in uses:
                    uses[sid].steps.append(f"{flow_name}.{step_name}")
    for rule_file in sorted((rules_dir or paths.ROOT / "rules_engine").glob("*.py")):
        for number, text in enumerate(rule_file.read_text(encoding="utf-8").splitlines(), 1):
            for sid in _CITE.findall(text):
                if sid in uses:
                    uses[sid].rules.append(_where(rule_file, number))
    return list(uses.values())


def stale_facts(parameters_dir: Path, today: date, months: int) -> list[Stale]:
    """Sources, and parameter values in force on `today`, checked more than `months` ago."""
    cutoff = months_before(today, months)
    sources, lines = _read_sources(parameters_dir, "checked")  # the line to update
    found = [
        Stale("source", sid, entry.checked, [entry.url], parameters_dir / SOURCES_FILE,
              lines.get(sid))
        for sid, entry in sources.items() if entry.checked < cutoff
    ]
    store, _ = read_directory(parameters_dir)
    for name, file in sorted(store.parameters.items()):
        try:
            entry = store.entry(name, today)
        except NoValueInForce:
            continue  # a value no longer (or not yet) in force says nothing today
        if entry.checked >= cutoff:
            continue
        index = next(i for i, value in enumerate(file.values) if value is entry)
        path = parameters_dir.joinpath(*name.split(".")).with_suffix(".yml")
        urls = [sources[sid].url for sid in entry.sources if sid in sources]
        found.append(Stale("parameter", name, entry.checked, urls, path,
                           line_of(path, ["values", index, "checked"])))
    return found


def _where(path: Path, line: int | None) -> str:
    shown = str(path).removeprefix(str(paths.ROOT) + "/")
    return shown if line is None else f"{shown}:{line}"


def lint_warnings(today: date, months: int, parameters_dir: Path | None = None) -> list[str]:
    """One `file:line: message` per stale fact, for `guide lint` to print as warnings."""
    try:
        items = stale_facts(parameters_dir or paths.parameters_dir(), today, months)
    except DataFileError:
        return []  # a broken sources.yml is already one of lint's errors
    warnings = []
    for item in items:
        what = (f"source '{item.name}'" if item.kind == "source"
                else f"parameter '{item.name}' (value in force on {today.isoformat()})")
        warnings.append(f"{_where(item.path, item.line)}: {what} was last checked on "
                        f"{item.checked.isoformat()}, more than {months} month(s) ago: read "
                        f"{', '.join(item.urls) or 'its sources'} again, then update `checked`")
    return warnings


def format_sources(uses: list[SourceUse]) -> str:
    blocks = []
    for use in uses:
        entry = use.entry
        lines = [f"{use.id}  (checked {entry.checked.isoformat()}, "
                 f"{_where(paths.parameters_dir() / SOURCES_FILE, use.line)})",
                 f"  {entry.title}", f"  {entry.url}"]
        for label, value in (("archived", entry.archived), ("published", entry.published),
                             ("version", entry.version), ("note", entry.note)):
            if value is not None:
                lines.append(f"  {label}: {value}")
        lines.append(f"  parameters: {', '.join(use.parameters) or '-'}")
        lines.append(f"  flow steps: {', '.join(use.steps) or '-'}")
        if use.rules:
            lines.append(f"  cited by rules: {', '.join(use.rules)}")
        if not use.parameters and not use.steps and not use.rules:
            lines.append("  (used by nothing: remove it, or cite it where it is relied on)")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def format_stale(items: list[Stale], today: date, months: int) -> str:
    when = (f"last checked before {months_before(today, months).isoformat()} "
            f"({months} month(s) before {today.isoformat()})")
    if not items:
        return f"no fact {when}"
    lines = [f"{len(items)} fact(s) {when}:"]
    for item in items:
        lines.append(f"{item.kind} {item.name}  checked {item.checked.isoformat()}  "
                     f"{_where(item.path, item.line)}")
        lines += [f"  {url}" for url in item.urls]
    return "\n".join(lines)


def run_sources(stale: bool, today: date, months: int) -> int:
    """`guide sources [--stale]`: print the listing; 0 even when facts are stale."""
    if stale:
        items = stale_facts(paths.parameters_dir(), today, months)
        print(format_stale(items, today, months))
    else:
        print(format_sources(source_uses(paths.parameters_dir(), paths.dialogues_dir())))
    sys.stdout.flush()
    return 0
