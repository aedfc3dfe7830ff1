"""What every rule returns: an outcome, the reasons as message keys, and the sources."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

ParamValue = str | int | float | date


class Source(BaseModel):
    """A public text a rule relies on."""

    model_config = ConfigDict(frozen=True)

    id: str
    title: str
    url: str
    checked: date
    # who publishes it (parameter_schema.SourceKind): official pages are listed first
    kind: str = "official"
    # the same page in other languages: language code → address
    pages: dict[str, str] = Field(default_factory=dict)


class Reason(BaseModel):
    """One thing to tell the user: a message key and the values it needs.

    `uncertain` marks a statement that sources disagree on: the bot must not state it as sure.
    """

    model_config = ConfigDict(frozen=True)

    key: str
    params: dict[str, ParamValue] = Field(default_factory=dict)
    uncertain: bool = False


class Decision(BaseModel):
    """The result of one rule for one set of facts on one date."""

    rule: str
    outcome: str
    on: date
    reasons: list[Reason] = Field(default_factory=list)
    sources: list[Source] = Field(default_factory=list)
    answers: dict[str, int] = Field(default_factory=dict)
    """Values the rule worked out for the questions that follow (e.g. the reference period
    in months); the dialogue keeps them with the answers, as placeholders."""
