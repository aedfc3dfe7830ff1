"""Read a parameters directory into a ParameterStore that answers "what value on that date?".

A parameter's name is its path under the directory, without `.yml`, with dots for slashes:
`allowance/min_days_worked.yml` is `allowance.min_days_worked`. `sources.yml` at the top is
the registry of sources, not a parameter.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rules_engine.decision import Source
from rules_engine.parameter_schema import (
    ParameterFile,
    Scalar,
    SourcesFile,
    Unit,
    Value,
    ValueEntry,
)
from rules_engine.yamlfile import DataFileError, line_of, load_model

SOURCES_FILE = "sources.yml"
_NAME_PART = re.compile(r"^[a-z][a-z0-9_]*$")


class ParameterError(LookupError):
    """A rule asked for a parameter that cannot answer."""


class UnknownParameter(ParameterError):
    """No file defines this parameter."""


class NoValueInForce(ParameterError):
    """The parameter exists but none of its values is in force on the date asked."""


def _period(entry: ValueEntry, next_start: date | None) -> str:
    if entry.end is not None:
        return f"{entry.start.isoformat()}..{entry.end.isoformat()}"
    if next_start is not None:
        return f"{entry.start.isoformat()}..(next value)"
    return f"{entry.start.isoformat()}.."


@dataclass(frozen=True)
class ParameterStore:
    """All parameters and sources of one directory, validated, ready to be asked by date."""

    parameters: Mapping[str, ParameterFile]
    sources: Mapping[str, Source]

    def entry(self, name: str, on: date) -> ValueEntry:
        """The value entry of `name` in force on `on`."""
        try:
            values = self.parameters[name].values
        except KeyError:
            raise UnknownParameter(f"unknown parameter {name!r}") from None
        for index in range(len(values) - 1, -1, -1):
            entry = values[index]
            if entry.start > on:
                continue
            if entry.end is not None and on > entry.end:
                break
            return entry
        periods = ", ".join(
            _period(v, values[i + 1].start if i + 1 < len(values) else None)
            for i, v in enumerate(values)
        )
        raise NoValueInForce(
            f"parameter {name!r} has no value in force on {on.isoformat()} (values: {periods})"
        )

    def value(self, name: str, on: date) -> Value:
        """The value of `name` in force on `on`."""
        return self.entry(name, on).value

    def in_force(self, name: str, on: date) -> bool:
        """Whether `name` has a value in force on `on` (an unknown name is an error)."""
        try:
            self.entry(name, on)
        except NoValueInForce:
            return False
        return True

    def sources_of(self, name: str, on: date) -> list[Source]:
        """The sources behind the value of `name` in force on `on`, in file order."""
        return [self.sources[source_id] for source_id in self.entry(name, on).sources]

    def source(self, source_id: str) -> Source:
        """One source of the registry."""
        try:
            return self.sources[source_id]
        except KeyError:
            raise ParameterError(f"unknown source {source_id!r}") from None


def parameter_name(directory: Path, path: Path) -> str:
    """The dotted name of the parameter file `path` under `directory`."""
    return ".".join(path.relative_to(directory).with_suffix("").parts)


# "39 49", "115", or "+33 800 858 858": a full number written "0 800…" is not tappable
PHONE = re.compile(r"^(?:\d{2,4}(?: \d{2})?|\+\d{1,3}(?: \d{1,4}){2,5})$")
URL = re.compile(r"^https://\S+$")
_UNIT_HINTS: dict[str, str] = {
    "phone": " (a short number like \"39 49\", or a full one in international form like "
             "\"+33 800 858 858\", which Telegram makes tappable)",
    "url": " (an address starting with https://)",
}


def _fits(unit: Unit, value: Scalar) -> bool:
    if unit == "mapping":
        return True
    if unit == "phone":
        return isinstance(value, str) and PHONE.match(value) is not None
    if unit == "url":
        return isinstance(value, str) and URL.match(value) is not None
    if unit == "date":
        return isinstance(value, date)
    if unit == "text":
        return isinstance(value, str)
    if unit == "boolean":
        return isinstance(value, bool)
    return isinstance(value, int) and not isinstance(value, bool)


def _value_fits(unit: Unit, value: Value) -> bool:
    """A mapping's items must each fit the unit; unit "mapping" is for mixed mappings only."""
    if isinstance(value, dict):
        return all(_fits(unit, item) for item in value.values())
    return unit != "mapping" and _fits(unit, value)


def _entry_problems(
    file: ParameterFile, known_sources: Mapping[str, Source]
) -> list[tuple[Sequence[int | str], str]]:
    """Problems across a file's values, each with its location in the file."""
    problems: list[tuple[Sequence[int | str], str]] = []
    previous: ValueEntry | None = None
    for index, entry in enumerate(file.values):
        if entry.end is not None and entry.end < entry.start:
            problems.append((["values", index, "end"], "end is before start"))
        if previous is not None:
            if entry.start <= previous.start:
                problems.append(
                    (["values", index, "start"], "values must be in order of start date")
                )
            elif previous.end is not None and entry.start <= previous.end:
                problems.append(
                    (["values", index, "start"], "starts before the previous value ends")
                )
        if not _value_fits(file.unit, entry.value):
            problems.append((["values", index, "value"], f"value does not fit unit {file.unit!r}"
                             + _UNIT_HINTS.get(file.unit, "")))
        for position, source_id in enumerate(entry.sources):
            if source_id not in known_sources:
                problems.append(
                    (
                        ["values", index, "sources", position],
                        f"unknown source {source_id!r} (add it to {SOURCES_FILE})",
                    )
                )
        previous = entry
    return problems


def _read_sources(directory: Path) -> tuple[dict[str, Source], list[DataFileError]]:
    path = directory / SOURCES_FILE
    try:
        registry = load_model(SourcesFile, path)
    except DataFileError as error:
        return {}, [error]
    sources = {
        source_id: Source(id=source_id, title=entry.title, url=entry.url, checked=entry.checked,
                          kind=entry.kind, pages=dict(entry.pages))
        for source_id, entry in registry.root.items()
    }
    return sources, []


def _read_parameter(
    directory: Path, path: Path, sources: Mapping[str, Source]
) -> tuple[ParameterFile | None, list[DataFileError]]:
    parts = path.relative_to(directory).with_suffix("").parts
    bad = [part for part in parts if not _NAME_PART.match(part)]
    if bad:
        message = f"name part {bad[0]!r} must be snake_case (a-z, 0-9, _)"
        return None, [DataFileError(path, None, message)]
    try:
        file = load_model(ParameterFile, path)
    except DataFileError as error:
        return None, [error]
    errors = [
        DataFileError(path, line_of(path, loc), message)
        for loc, message in _entry_problems(file, sources)
    ]
    return (None if errors else file), errors


def read_directory(directory: Path) -> tuple[ParameterStore, list[DataFileError]]:
    """Read every file; the store holds the good ones, the list says what is wrong elsewhere."""
    sources, errors = _read_sources(directory)
    parameters: dict[str, ParameterFile] = {}
    for path in sorted(directory.rglob("*.yaml")):
        errors.append(DataFileError(path, None, "parameter files end in .yml"))
    for path in sorted(directory.rglob("*.yml")):
        if path == directory / SOURCES_FILE:
            continue
        file, file_errors = _read_parameter(directory, path, sources)
        errors.extend(file_errors)
        if file is not None:
            parameters[parameter_name(directory, path)] = file
    return ParameterStore(parameters=parameters, sources=sources), errors


def load_store(directory: Path) -> ParameterStore:
    """The store of `directory`; the first broken file raises its DataFileError."""
    store, errors = read_directory(directory)
    if errors:
        raise errors[0]
    return store
