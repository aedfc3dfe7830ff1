"""Public access to the dated parameters shipped in rules_engine/parameters/.

The files are read once per process (the store is cached); edit a file, restart the bot.
"""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from rules_engine.decision import Source
from rules_engine.parameter_store import ParameterStore, load_store, read_directory
from rules_engine.yamlfile import DataFileError

PARAMETERS_DIR = Path(__file__).resolve().parent / "parameters"

# France Travail's deadlines are days in France: "today" is the day in Paris, not in UTC.
PARIS = ZoneInfo("Europe/Paris")

# Flat names that any message may use as a placeholder → (parameter, key inside a mapping).
PUBLIC_NAMES: dict[str, tuple[str, str | None]] = {
    "min_age": ("registration.min_age", None),
    "asylum_work_authorisation_months": ("registration.asylum_work_authorisation_months", None),
    "temporary_protection_until": ("registration.temporary_protection_until", None),
    "automatic_registration_since": ("registration.automatic_registration_since", None),
    "young_min_age": ("young.min_age", None),
    "young_max_age": ("young.max_age", None),
    "cej_max_amount": ("young.cej_allowance_max", None),
    "rsa_min_age": ("rsa.min_age", None),
    "rsa_residence_years": ("rsa.foreign_residence_years", None),
    "agir_max_months": ("agir.support_max_months", None),
    "agir_protection_max_years": ("agir.protection_max_years", None),
    "phone": ("contact.phone", None),
    "website": ("contact.website", None),
    "app_name": ("contact.app_name", None),
    "refugies_info_website": ("contact.refugies_info_website", None),
    "anef_website": ("contact.anef_website", None),
    "licence_exchange_months": ("referral.licence_exchange_months", None),
    "caf_website": ("contact.caf_website", None),
    "password_min_length": ("account.password.min_length", None),
    "update_deadline_day": ("monthly_update.deadline_day", None),
    "update_window_start_day": ("monthly_update.window_start_day", "default"),
    "update_window_start_day_february": ("monthly_update.window_start_day", "february"),
    "contract_hours_per_week": ("engagement.activity_hours_per_week", None),
    "contract_signature_months": ("engagement.signature_delay_months", None),
    "are_min_days": ("allowance.min_days_worked", None),
    "are_min_hours": ("allowance.min_hours_worked", None),
    "are_reference_months": ("allowance.reference_period_months", None),
    "are_senior_reference_months": ("allowance.senior_reference_period_months", None),
    "are_senior_age": ("allowance.senior_age", None),
    "are_senior_rule_change": ("allowance.senior_rule_change", None),
    # allowance: how the job ended, when (--- allowance ---)
    "are_claim_months": ("allowance.claim_deadline_months", None),
    "reregister_online_max_months": ("deregistration.reregister_online_max_months", None),
    "suspension_min_percent": ("sanctions.suspension_remobilisation", "min_percent"),
    "suspension_min_months": ("sanctions.suspension_remobilisation", "min_months"),
    "suspension_max_months": ("sanctions.suspension_remobilisation", "max_months"),
    "suspension_repeat_max_months": ("sanctions.suspension_remobilisation", "repeat_max_months"),
    # --- distress: emergency numbers (rules_engine/parameters/emergency/) ---
    "emergency_shelter_phone": ("emergency.shelter", None),
    "suicide_prevention_phone": ("emergency.suicide_prevention", None),
    "samu_phone": ("emergency.samu", None),
    "emergency_phone": ("emergency.european", None),
    "police_phone": ("emergency.police", None),
    "emergency_sms": ("emergency.sms", None),
    "women_violence_phone": ("emergency.women_violence", None),
    "child_danger_phone": ("emergency.child_danger", None),
    "listening_line_phone": ("emergency.listening_line", None),
}


class PhoneNumber(str):
    """A phone number as messages write it (unit `phone`): always read left to right, so a
    right-to-left text isolates it (bot/i18n.py) and its digit groups are not reordered."""

    __slots__ = ()


@lru_cache(maxsize=1)
def default_store() -> ParameterStore:
    """The store of the shipped parameters; raises DataFileError if a file is broken."""
    return load_store(PARAMETERS_DIR)


def parameter(name: str, on: date) -> Any:
    """The value of `name` (e.g. "allowance.min_days_worked") in force on `on`.

    Raises UnknownParameter or NoValueInForce (both ParameterError, a LookupError).
    """
    return default_store().value(name, on)


def parameter_sources(name: str, on: date) -> list[Source]:
    """The sources behind the value of `name` in force on `on`."""
    return default_store().sources_of(name, on)


def parameter_uncertain(name: str, on: date) -> bool:
    """Whether the value in force on `on` is marked uncertain (sources disagree or are old)."""
    return default_store().entry(name, on).uncertain


def in_force(name: str, on: date) -> bool:
    """Whether `name` has a value in force on `on`."""
    return default_store().in_force(name, on)


def source(source_id: str) -> Source:
    """One entry of parameters/sources.yml."""
    return default_store().source(source_id)


def source_info(source_id: str) -> dict[str, Any] | None:
    """One source as a plain mapping (id, title, url, checked) for messages; None if unknown."""
    found = default_store().sources.get(source_id)
    return None if found is None else found.model_dump()


def today_in_paris(now: datetime | None = None) -> date:
    """The date in Paris at `now` (default: the current time); `now` must be timezone-aware."""
    if now is None:
        return datetime.now(PARIS).date()
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("today_in_paris needs a timezone-aware datetime")
    return now.astimezone(PARIS).date()


def public_parameters(on: date) -> dict[str, str | int | date]:
    """Values any message may quote by flat name, for those in force on `on`."""
    store = default_store()
    result: dict[str, str | int | date] = {}
    for flat_name, (name, key) in PUBLIC_NAMES.items():
        if not store.in_force(name, on):
            continue
        value = store.value(name, on)
        if key is not None:
            if not isinstance(value, dict):
                raise TypeError(f"parameter {name!r} is not a mapping")
            value = value[key]
        if isinstance(value, bool | dict):
            raise TypeError(f"parameter {name!r} cannot be quoted in a message")
        if store.parameters[name].unit == "phone" and isinstance(value, str):
            value = PhoneNumber(value)
        result[flat_name] = value
    return result


def check_parameters(directory: Path | None = None) -> list[DataFileError]:
    """Every problem in the parameter files (default: the shipped ones); empty when all is well."""
    _, errors = read_directory(directory or PARAMETERS_DIR)
    return errors
