"""What a rule reads, with the sources behind it: one Lookup per rule call.

Each typed getter checks the kind of value, so that a parameter file holding text where a
number belongs fails at the rule that reads it, with the parameter's name.
"""

from __future__ import annotations

from datetime import date

from rules_engine.decision import Decision, Reason, Source
from rules_engine.parameter_schema import Value
from rules_engine.parameter_store import ParameterStore
from rules_engine.parameters import default_store


class Lookup:
    """Reads parameters in force on `on` (or on another date asked for) and cites sources."""

    def __init__(self, on: date, store: ParameterStore | None = None) -> None:
        self.on = on
        self._store = store or default_store()
        self._source_ids: list[str] = []

    def _read(self, name: str, at: date | None) -> Value:
        when = at or self.on
        entry = self._store.entry(name, when)
        self._remember(entry.sources)
        return entry.value

    def _remember(self, source_ids: list[str]) -> None:
        for source_id in source_ids:
            if source_id not in self._source_ids:
                self._source_ids.append(source_id)

    def integer(self, name: str, at: date | None = None) -> int:
        """A whole-number parameter."""
        return _integer(name, self._read(name, at))

    def day(self, name: str, at: date | None = None) -> date:
        """A date parameter."""
        value = self._read(name, at)
        if not isinstance(value, date):
            raise TypeError(f"parameter {name!r} is not a date")
        return value

    def flag(self, name: str, at: date | None = None) -> bool:
        """A yes/no parameter."""
        value = self._read(name, at)
        if not isinstance(value, bool):
            raise TypeError(f"parameter {name!r} is not true/false")
        return value

    def integers(self, name: str, at: date | None = None) -> dict[str, int]:
        """A mapping parameter whose items are all whole numbers."""
        value = self._read(name, at)
        if not isinstance(value, dict):
            raise TypeError(f"parameter {name!r} is not a mapping")
        return {key: _integer(f"{name}.{key}", item) for key, item in value.items()}

    def in_force(self, name: str, at: date | None = None) -> bool:
        """Whether `name` is in force; when it is, its sources are cited."""
        when = at or self.on
        if not self._store.in_force(name, when):
            return False
        self._remember(self._store.entry(name, when).sources)
        return True

    def uncertain(self, name: str, at: date | None = None) -> bool:
        """Whether the value in force is marked uncertain in its file."""
        return self._store.entry(name, at or self.on).uncertain

    def cite(self, *source_ids: str) -> None:
        """Cite sources for a statement that has no number of its own."""
        for source_id in source_ids:
            self._store.source(source_id)  # fail here, at the rule, on a typo
        self._remember(list(source_ids))

    def sources(self) -> list[Source]:
        """Every source read or cited so far, in first-use order."""
        return [self._store.source(source_id) for source_id in self._source_ids]

    def decision(self, rule: str, outcome: str, reasons: list[Reason]) -> Decision:
        """The Decision for this call, with the sources read or cited."""
        return Decision(
            rule=rule, outcome=outcome, on=self.on, reasons=reasons, sources=self.sources()
        )


def _integer(name: str, value: Value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"parameter {name!r} is not a whole number")
    return value
