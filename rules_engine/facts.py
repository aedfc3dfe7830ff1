"""The answers each rule needs, as validated models (built from the dialogue's answers)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Status = Literal[
    "french",
    "eu_citizen",
    "refugee",
    "subsidiary_protection",
    "temporary_protection",
    "stateless",
    "asylum_seeker",
    "other",
]
"""The person's situation in France; refugee, subsidiary_protection and stateless are the
beneficiaries of international protection this bot is for."""

Document = Literal["residence_permit", "receipt", "api", "aps", "none", "expired", "not_needed"]
"""The residence document held: a permit, a récépissé (receipt), an "attestation de prolongation
d'instruction" (API, downloaded from the ANEF site while a card is being made), an APS
(temporary protection), none, one that has expired, or none needed (French and EU citizens)."""

DomicileKind = Literal["own_address", "domiciliation", "none"]

DeregistrationReason = Literal[
    "missed_appointment",
    "missed_training",
    "no_answer",
    "missed_update",
    "document_expired",
    "unknown",
]

Income = Literal["are", "rsa", "none", "unknown"]
"""What the person receives: an allowance paid by France Travail (ARE and the like), the RSA
(paid by the CAF), nothing, or does not know. Since 2025-06-01 the sanction depends on it."""

_FACTS = ConfigDict(extra="forbid", frozen=True)


class EligibilityFacts(BaseModel):
    """What decides whether someone may register as a job seeker now."""

    model_config = _FACTS

    looking_for_job: bool
    at_least_min_age: bool
    able_to_work: bool
    domicile: DomicileKind
    status: Status
    document: Document
    document_allows_work: bool | None = None
    """What the document says about work; None when the person does not know."""


class DocumentsFacts(BaseModel):
    """What decides which papers to bring to registration and the first appointment."""

    model_config = _FACTS

    status: Status
    document: Document
    has_worked: bool | None = None
    has_vitale_card: bool | None = None
    """Both are asked of everyone but asylum seekers, who get no checklist (see _asked)."""

    @model_validator(mode="after")
    def _asked(self) -> DocumentsFacts:
        # an asylum seeker is pointed elsewhere before these questions; anyone else needs them
        unanswered = self.has_worked is None or self.has_vitale_card is None
        if self.status != "asylum_seeker" and unanswered:
            raise ValueError("has_worked and has_vitale_card are required for a checklist")
        return self


class PasswordFacts(BaseModel):
    """What the person says of the password they chose; None = not asked or does not know.

    The bot never sees the password itself: it only asks these yes/no questions.
    """

    model_config = _FACTS

    long_enough: bool | None = None
    has_letter: bool | None = None
    has_digit: bool | None = None
    has_symbol: bool | None = None


class AppointmentFacts(BaseModel):
    """Whether the appointment is still ahead or already missed."""

    model_config = _FACTS

    already_missed: bool
    income: Income = "unknown"
    """Asked only when the appointment was missed; "unknown" until then."""


class DeregistrationFacts(BaseModel):
    """Why the person was taken off the list, and how long ago."""

    model_config = _FACTS

    reason: DeregistrationReason
    months_ago: Annotated[int, Field(ge=0)]
    """Whole months since the letter; 0 means less than a month."""
    income: Income = "unknown"


JobEnd = Literal["dismissal", "fixed_term_end", "rupture_conventionnelle", "resignation",
                 "still_working", "never_worked", "unknown"]
"""How the last job ended: a dismissal, the end of a fixed-term (CDD) or temp (intérim)
contract, a rupture conventionnelle, a resignation; or no end yet, or no job in France."""

NO_CONTRACT_END: frozenset[str] = frozenset({"still_working", "never_worked"})
"""Answers with no contract end: the age and the work done are not needed."""


class AllowanceFacts(BaseModel):
    """Work done before the last contract ended, as the person remembers it."""

    model_config = _FACTS

    days_worked: Annotated[int, Field(ge=0)] | None = None
    hours_worked: Annotated[int, Field(ge=0)] | None = None
    age: Annotated[int, Field(ge=0, le=120)] | None = None
    """Age when the contract ended (the dialogue may use the current age); needed unless
    there is no contract end (`job_end` still_working or never_worked)."""
    job_end: JobEnd | None = None
    """How the last job ended; None: not asked."""
    ended_within_deadline: bool | None = None
    """Whether the contract ended within the claim deadline (12 months) before today; None:
    not asked, or not known."""
    contract_end: date | None = None
    """End of the last contract; None means the day of the conversation."""
    ended_before_change: bool | None = None
    """Whether the contract ended before the senior rules changed, when the exact day is
    not known; None: not asked (yet), or the person does not know."""
    asked_end: bool = False
    """The person was asked when the contract ended (None above then means "don't know")."""

    @model_validator(mode="after")
    def _age_when_needed(self) -> AllowanceFacts:
        if self.age is None and self.job_end not in NO_CONTRACT_END:
            raise ValueError("age is needed unless there is no contract end")
        return self
