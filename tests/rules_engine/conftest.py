"""Collect the YAML cases in cases/*.yml: one test per case, named by its sentence.

A case names a date, a rule (a name in rules_engine.registry.RULES), the answers given, and
what the decision must contain. A malformed file fails collection with `file:line: message`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ConfigDict, Field, RootModel, field_validator

from rules_engine.decision import Decision, ParamValue
from rules_engine.registry import FACTS, RULES
from rules_engine.yamlfile import DataFileError, line_of, load_yaml, validate

CASES_DIR = Path(__file__).parent / "cases"


class Expect(BaseModel):
    """What the decision must contain; every field but `outcome` is optional."""

    model_config = ConfigDict(extra="forbid")

    outcome: str
    reasons: list[str] | None = None
    """The exact message keys, in order."""
    reasons_include: list[str] = Field(default_factory=list)
    reasons_exclude: list[str] = Field(default_factory=list)
    params: dict[str, ParamValue] = Field(default_factory=dict)
    """Each must appear, with this value, on some reason."""
    uncertain: list[str] = Field(default_factory=list)
    """Message keys that must be present and marked uncertain."""
    answers: dict[str, ParamValue] = Field(default_factory=dict)
    """Values the rule works out for the next questions (Decision.answers), each as given."""


class Case(BaseModel):
    """One readable example: on this date, with these answers, this rule decides that."""

    model_config = ConfigDict(extra="forbid")

    case: Annotated[str, Field(min_length=1)]
    date: dt.date
    rule: str
    inputs: dict[str, Any] = Field(default_factory=dict)
    expect: Expect

    @field_validator("rule")
    @classmethod
    def _known_rule(cls, rule: str) -> str:
        if rule not in RULES:
            raise ValueError(f"unknown rule {rule!r}; known: {', '.join(RULES)}")
        return rule


class CaseList(RootModel[list[Case]]):
    """A case file: a list of cases."""


def load_case_file(path: Path) -> list[Case]:
    """Read and check a case file; any problem raises DataFileError with its line."""
    cases = validate(CaseList, load_yaml(path), path).root
    seen: set[str] = set()
    for index, case in enumerate(cases):
        if case.case in seen:
            raise DataFileError(path, line_of(path, [index, "case"]), "two cases have this name")
        seen.add(case.case)
        model = FACTS[case.rule]
        if model is None:
            if case.inputs:
                line = line_of(path, [index, "inputs"])
                raise DataFileError(path, line, f"rule {case.rule!r} takes no inputs")
            continue
        for name in case.inputs:
            if name not in model.model_fields:
                line = line_of(path, [index, "inputs", name])
                raise DataFileError(path, line, f"{case.rule} has no input {name!r}")
        validate(model, case.inputs, path, loc_prefix=[index, "inputs"])
    return cases


def _problems(case: Case, decision: Decision) -> list[str]:
    expect = case.expect
    keys = [reason.key for reason in decision.reasons]
    problems: list[str] = []
    if decision.outcome != expect.outcome:
        problems.append(f"outcome is {decision.outcome!r}, expected {expect.outcome!r}")
    if expect.reasons is not None and keys != expect.reasons:
        problems.append(f"reasons are {keys}, expected exactly {expect.reasons}")
    problems += [f"missing reason {key}" for key in expect.reasons_include if key not in keys]
    problems += [f"unexpected reason {key}" for key in expect.reasons_exclude if key in keys]
    for name, value in expect.params.items():
        if not any(reason.params.get(name) == value for reason in decision.reasons):
            found = [reason.params[name] for reason in decision.reasons if name in reason.params]
            problems.append(f"no reason has {name}={value!r} (found: {found})")
    for key in expect.uncertain:
        if not any(reason.key == key and reason.uncertain for reason in decision.reasons):
            problems.append(f"{key} is not present as an uncertain reason")
    for name, value in expect.answers.items():
        if decision.answers.get(name) != value:
            problems.append(f"answer {name} is {decision.answers.get(name)!r}, "
                            f"expected {value!r}")
    if decision.reasons and not decision.sources:
        # a decision that states something must say where it comes from; one that only
        # asks for more facts states nothing yet
        problems.append("the decision cites no source")
    return problems


def _describe(decision: Decision) -> str:
    lines = [f"  outcome: {decision.outcome}"]
    for reason in decision.reasons:
        mark = " (uncertain)" if reason.uncertain else ""
        params = " ".join(f"{name}={value}" for name, value in reason.params.items())
        params = f" ({params})" if params else ""
        lines.append(f"  - {reason.key}{params}{mark}")
    return "\n".join(lines)


class CaseMismatch(Exception):
    """A decision differs from what its case expects."""


class CaseItem(pytest.Item):
    """One case run through the registry, as the dialogue engine would call it."""

    def __init__(self, *, case: Case, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.case = case

    def runtest(self) -> None:
        decision = RULES[self.case.rule](self.case.inputs, self.case.date)
        problems = _problems(self.case, decision)
        if problems:
            raise CaseMismatch("\n".join(problems) + "\ndecision:\n" + _describe(decision))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, CaseMismatch):
            return f"{self.case.case} ({self.case.rule}, {self.case.date}):\n{excinfo.value}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"case: {self.name}"


class CaseFile(pytest.File):
    """A cases/*.yml file."""

    def collect(self) -> Iterator[CaseItem]:
        for case in load_case_file(self.path):
            yield CaseItem.from_parent(self, name=case.case, case=case)

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style: Any = None) -> str:
        if isinstance(excinfo.value, DataFileError):
            return str(excinfo.value)
        return str(super().repr_failure(excinfo))


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> CaseFile | None:
    if file_path.suffix == ".yml" and file_path.parent == CASES_DIR:
        return CaseFile.from_parent(parent, path=file_path)
    return None


@pytest.fixture
def case_file_loader() -> Callable[[Path], list[Case]]:
    """The case file loader, for tests of the loader itself."""
    return load_case_file
