"""Translation files read and written with ruamel.yaml's round trip: comments, key order,
quotes and layout stay, so a tool changes only the lines of the entries it changes."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from rules_engine.yamlfile import DataFileError, load_yaml


def round_trip_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load_rt(path: Path) -> CommentedMap:
    if not path.exists():
        return CommentedMap()
    load_yaml(path)  # a broken file is reported with its line, as everywhere else
    data = round_trip_yaml().load(path.read_text(encoding="utf-8"))
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise DataFileError(path, 1, "expected a mapping of message keys to texts")
    return data


def dump_rt(data: CommentedMap, path: Path) -> None:
    out = StringIO()
    round_trip_yaml().dump(data, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(out.getvalue(), encoding="utf-8")
    temporary.replace(path)


def position_after_previous(data: CommentedMap, order: list[str], key: str) -> int:
    """Where to insert `key` so the file follows the French order."""
    keys = list(data.keys())
    for previous in reversed(order[: order.index(key)]):
        if previous in data:
            return keys.index(previous) + 1
    return len(keys)


def key_lines(path: Path) -> dict[str, int]:
    """The 1-based line of each top-level key of a file (one parse for all its keys)."""
    if not path.exists():
        return {}
    data = round_trip_yaml().load(path.read_text(encoding="utf-8"))
    if not isinstance(data, CommentedMap):
        return {}
    return {str(k): data.lc.key(k)[0] + 1 for k in data}
