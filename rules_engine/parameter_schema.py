"""The shape of the files under rules_engine/parameters/: one dated parameter, and the sources.

Checks that need several values at once (periods in order, sources that exist, values that
fit the unit) live in parameter_store.py, which knows the lines to point at.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, RootModel, StrictBool, StrictInt, StrictStr

SnakeCase = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]

Scalar = StrictBool | StrictInt | date | StrictStr
"""A single value. bool comes first: YAML `true` must not be read as the int 1."""

Value = Scalar | dict[SnakeCase, Scalar]
"""What a parameter holds on a date: a scalar, or a small mapping of named scalars."""

Unit = Literal[
    "days",
    "hours",
    "weeks",
    "months",
    "years",
    "day_of_month",
    "characters",
    "percent",
    "hours_per_week",
    "euros_per_month",
    "date",
    "text",
    "boolean",
    "mapping",
    # a phone number as written in messages: a short French service number ("39 49", "115")
    # or, for a full number, the international form Telegram makes tappable ("+33 800 …")
    "phone",
    # a web page's address (https://…): what a link button opens; a mapping gives one per
    # language (`fr: …`, `en: …`), where the page exists in that language
    "url",
]


class ValueEntry(BaseModel):
    """One value of a parameter and the period it is in force.

    The period runs from `start` to `end` inclusive; without `end`, until the next entry's
    start (or for ever, for the last one).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: date
    end: date | None = None
    value: Value
    sources: Annotated[list[SnakeCase], Field(min_length=1)]
    checked: date
    uncertain: bool = False
    note: str | None = None


class ParameterFile(BaseModel):
    """One file under parameters/: a described, dated value, as in OpenFisca."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    description: Annotated[str, Field(min_length=1)]
    unit: Unit
    values: Annotated[list[ValueEntry], Field(min_length=1)]


Url = Annotated[str, Field(pattern=r"^https://\S+$")]


SourceKind = Literal["official", "public", "association", "media", "law_firm"]
"""Who publishes a source, in the order they are listed to users: the bodies and texts that
decide first (France Travail, Unédic, service-public.fr, Légifrance, OFPRA, OFII, ministries,
EU law), then other public sites (réfugiés.info, a town hall's copy of a sheet, public
helplines), associations, the press and other third parties (copies of law texts
included), law firms last."""


class SourceEntry(BaseModel):
    """A public text parameters refer to by id, and what exactly was read of it.

    A page's address can later serve another text (a rewrite): `archived` (a dated copy that
    really exists, e.g. a web.archive.org snapshot), `published` or `version` (the date or
    version of the text read) and `note` let the next editor find the text the facts came from.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: Annotated[str, Field(min_length=1)]
    url: Url
    kind: SourceKind
    checked: date
    # the same page in other languages (language code → address), shown to users of that
    # language; only addresses someone opened (réfugiés.info publishes in the guide's eight)
    pages: dict[Annotated[str, Field(pattern=r"^[a-z]{2,3}$")], Url] = Field(default_factory=dict)
    archived: Url | None = None
    published: date | None = None
    version: Annotated[str, Field(min_length=1)] | None = None
    note: Annotated[str, Field(min_length=1)] | None = None


class SourcesFile(RootModel[dict[SnakeCase, SourceEntry]]):
    """parameters/sources.yml: source id → title, address and date last checked."""
