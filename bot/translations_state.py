"""Which keys are translated, missing, to review or unsure; stamping what a translator edited.

"To review" means the French changed since the entry was translated (its `source`
fingerprint is not the French's). A translator clears it by editing the text and running
`guide translations stamp LANG`: an entry to review whose text differs from the committed one
(git) is stamped; an entry checked and left as it was is stamped by naming it.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml.comments import CommentedMap

from bot.i18n import SOURCE_LANG, Catalog, Entry, Text, load_catalog, source_hash
from bot.translations_yaml import dump_rt, key_lines, load_rt

STATES = ("translated", "missing", "to_review", "unsure")


def state_of(entry: Entry | None, french: Entry) -> list[str]:
    if entry is None:
        return ["missing"]
    found = ["translated" if entry.source == source_hash(french.text) else "to_review"]
    return [*found, "unsure"] if entry.unsure else found


@dataclass(frozen=True)
class Listed:
    key: str
    path: Path
    line: int | None
    states: list[str]


def list_keys(catalog: Catalog, lang: str, state: str) -> list[Listed]:
    """Keys of `lang` in `state`, in the French order, with the file and line to edit."""
    entries = catalog.entries.get(lang, {})
    lines: dict[Path, dict[str, int]] = {}
    listed = []
    for key, french in catalog.entries[SOURCE_LANG].items():
        entry = entries.get(key)
        states = state_of(entry, french)
        if state not in states:
            continue
        path = Path(entry.file) if entry else Path(french.file).parent.parent / lang / Path(
            french.file).name
        if path not in lines:
            lines[path] = key_lines(path)
        listed.append(Listed(key, path, lines[path].get(key), states))
    return listed


@dataclass
class Stamped:
    stamped: list[str]
    kept: list[str]  # to review, text as committed: not stamped
    refused: list[str]  # named keys that cannot be stamped, with why

    def lines(self, lang: str) -> list[str]:
        shown = [f"{lang}: {key}: stamped" for key in self.stamped]
        shown += [f"{lang}: {key}: still to review (not edited since the last commit; "
                  f"if it is right as it is: guide translations stamp {lang} {key})"
                  for key in self.kept]
        shown += [f"{lang}: {reason}" for reason in self.refused]
        shown.append(f"{lang}: {len(self.stamped)} entrie(s) stamped, {len(self.kept)} still to "
                     f"review")
        return shown


def _committed_texts(path: Path) -> dict[str, Any] | None:
    """The file as last committed (git), key to text; None when git cannot tell."""
    try:
        shown = subprocess.run(["git", "-C", str(path.parent), "show", f"HEAD:./{path.name}"],
                               capture_output=True, check=True, timeout=30)
        data = yaml.safe_load(shown.stdout.decode("utf-8"))
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    return {str(k): v.get("text") if isinstance(v, dict) and "text" in v else v
            for k, v in data.items()}


def _plain(text: Any) -> Text | None:
    if isinstance(text, str):
        return str(text)
    if isinstance(text, dict):
        return {str(k): str(v) for k, v in text.items()}
    return None


def stamp(root: Path, lang: str, keys: list[str] | None = None) -> Stamped:
    """Record that entries translate the current French.

    Without `keys`: entries with no fingerprint, and entries to review whose text was edited
    since the last commit. With `keys`: exactly those (a translator checked them)."""
    catalog = load_catalog(root)
    source = catalog.entries[SOURCE_LANG]
    entries = catalog.entries.get(lang, {})
    result = Stamped([], [], [])
    named = set(keys or [])
    for key in sorted(named):
        if key not in source:
            result.refused.append(f"{key}: no such key in the French source")
        elif key not in entries:
            result.refused.append(f"{key}: not translated yet, nothing to stamp")
    for path in sorted((root / lang).glob("*.yml")):
        data = load_rt(path)
        committed: dict[str, Any] | None = None
        changed = False
        for key in list(data.keys()):
            value, entry = data[key], entries.get(key)
            if value is None or key not in source or entry is None:
                continue
            fingerprint = source_hash(source[key].text)
            if entry.source == fingerprint or (keys is not None and key not in named):
                continue
            if keys is None and entry.source is not None:
                if committed is None:
                    committed = _committed_texts(path) or {}  # no git: nothing looks edited
                if key not in committed or _plain(committed[key]) == entry.text:
                    result.kept.append(key)
                    continue
            if isinstance(value, CommentedMap) and "text" in value:
                value["source"] = fingerprint
            else:
                value = CommentedMap([("text", value), ("source", fingerprint)])
                value.fa.set_flow_style()
                data[key] = value
            result.stamped.append(key)
            changed = True
        if changed:
            dump_rt(data, path)
    for key in sorted(named & set(entries)):
        if key in source and key not in result.stamped:
            result.refused.append(f"{key}: already translates the current French")
    return result
