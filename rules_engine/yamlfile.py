"""Load YAML data files people edit, with errors that name the file and the line.

Loading uses PyYAML's C loader (fast start); only when a file is broken is it parsed again
with ruamel.yaml, whose round-trip nodes remember line numbers, to point at the culprit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

T = TypeVar("T", bound=BaseModel)

_FastLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class DuplicateKeyError(yaml.MarkedYAMLError):
    """A mapping names the same key twice: YAML would silently keep the later one."""

    def __init__(self, key: str, first: yaml.Mark, again: yaml.Mark) -> None:
        super().__init__(problem=f"defined twice (first on line {first.line + 1}); "
                         "the later one would silently win", problem_mark=again)
        self.key = key


class _Loader(_FastLoader):  # type: ignore[valid-type,misc]
    """The safe loader, refusing a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[str, yaml.Mark] = {}
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
                if key_node.value in seen:
                    raise DuplicateKeyError(key_node.value, seen[key_node.value],
                                            key_node.start_mark)
                seen[key_node.value] = key_node.start_mark
        return dict(super().construct_mapping(node, deep=deep))


def _open_quote_line(text: str, problem_line: int) -> int | None:
    """The line where a quote that runs over several lines opens, before a syntax error.

    An unclosed quote swallows the next lines until some later quote: the parser fails there,
    lines after the translator's mistake. Texts here are one-line quoted scalars, so a quoted
    scalar spanning lines just before the error is almost surely the culprit.
    """
    found: int | None = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line >= problem_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.end_mark.line > token.start_mark.line:
                found = token.start_mark.line + 1
    except yaml.YAMLError as exc:
        context = getattr(exc, "context_mark", None)
        if "quoted scalar" in str(getattr(exc, "context", "")) and context is not None:
            return int(context.line) + 1
    return found


class DataFileError(Exception):
    """A data file cannot be used; `str()` is `file:line: message`."""

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}:{line}" if line is not None else self.path
        super().__init__(f"{where}: {message}")


def load_yaml(path: Path) -> Any:
    """Parse one YAML file; a syntax error becomes a DataFileError with its line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DataFileError(path, None, f"cannot read file ({exc.strerror})") from exc
    except UnicodeDecodeError as exc:
        raise DataFileError(path, None, "file is not valid UTF-8") from exc
    try:
        return yaml.load(text, Loader=_Loader)  # a safe loader (CSafeLoader or SafeLoader)
    except DuplicateKeyError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark is not None else None
        raise DataFileError(path, line, f"{exc.key}: {exc.problem}") from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        opened = _open_quote_line(text, mark.line) if mark is not None else None
        if opened is not None and opened != line:
            raise DataFileError(path, opened, "YAML syntax error: this quote is not closed on "
                                f"its line (the parser stumbled on line {line}: "
                                f"{exc.problem})") from exc
        raise DataFileError(path, line, f"YAML syntax error: {exc.problem}") from exc
    except yaml.YAMLError as exc:
        raise DataFileError(path, None, f"YAML error: {exc}") from exc


def line_of(path: Path, loc: Sequence[int | str]) -> int | None:
    """The 1-based line of the node at `loc` (a pydantic error location) in `path`."""
    try:
        node: Any = YAML(typ="rt").load(path.read_text(encoding="utf-8"))
    except Exception:  # the fast loader accepted it; a failure here only loses the line
        return None
    line: int | None = None
    for part in loc:
        if isinstance(node, CommentedMap) and part in node:
            line = node.lc.key(part)[0] + 1
            node = node[part]
        elif isinstance(node, CommentedSeq) and isinstance(part, int) and part < len(node):
            line = node.lc.item(part)[0] + 1
            node = node[part]
        else:
            break
    if line is None and isinstance(node, CommentedMap | CommentedSeq):
        line = node.lc.line + 1
    return line


def describe(error: Mapping[str, Any]) -> str:
    """One pydantic error as a short sentence with its field path."""
    path = ".".join(str(p) for p in error["loc"] if not str(p).startswith("function-"))
    message = str(error["msg"])
    return f"{path}: {message}" if path else message


def validate(model: type[T], data: Any, path: Path, loc_prefix: Sequence[int | str] = ()) -> T:
    """Validate `data` (read from `path`) as `model`; the first error names its line."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [*loc_prefix, *first["loc"]]
        raise DataFileError(path, line_of(path, loc), describe(first)) from exc


def load_model(model: type[T], path: Path) -> T:
    """Load and validate one YAML file as `model`."""
    return validate(model, load_yaml(path), path)
