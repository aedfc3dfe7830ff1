"""Every message key a rule can emit has a text in every language, and every text renders.

Decisions are generated for every combination of answers (and many dates), so a key, a
placeholder or a plural form that only one odd case needs is still checked.
"""

from __future__ import annotations

import itertools
import re
import string
from collections.abc import Iterator
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any, get_args

import pytest
from babel import Locale
from babel.dates import format_date

from bot.i18n import load_language
from rules_engine import (
    AllowanceFacts,
    AppointmentFacts,
    Decision,
    DeregistrationFacts,
    DocumentsFacts,
    EligibilityFacts,
    PasswordFacts,
    check_allowance,
    check_eligibility,
    check_password,
    deregistration_recovery,
    documents_checklist,
    first_appointment,
    monthly_update_deadline,
    public_parameters,
    reschedule_appointment,
)
from rules_engine.decision import Reason
from rules_engine.deregistration import missed_update_recovery
from rules_engine.facts import (
    NO_CONTRACT_END,
    DeregistrationReason,
    Document,
    DomicileKind,
    Income,
    JobEnd,
    Status,
)
from rules_engine.referrals import rsa_registration, young_registration

ROOT = Path(__file__).resolve().parents[2]
LANGUAGES = ("fr", "en")
KEY_IN_SOURCE = re.compile(r"""["'](rules\.[a-z_]+\.[a-z0-9_.]+)["']""")
SOME_DATES = (date(2024, 11, 15), date(2025, 3, 10), date(2025, 6, 1), date(2026, 11, 27))

Text = str | dict[str, str]


@cache
def catalog(lang: str) -> dict[str, Text]:
    """The texts of rules.yml, read through the project's catalogue (entries may record the
    French they translate: {text: ..., source: ...})."""
    entries = load_language(ROOT / "translations" / lang)
    return {k: e.text for k, e in entries.items() if Path(e.file).name == "rules.yml"}


def forms(text: Text) -> list[str]:
    return [text] if isinstance(text, str) else list(text.values())


def placeholders(text: Text) -> set[str]:
    parsed = (string.Formatter().parse(form) for form in forms(text))
    return {name for fields in parsed for _, name, _, _ in fields if name}


def all_decisions() -> Iterator[Decision]:
    yes_no = (True, False)
    for on in (date(2024, 11, 15), date(2026, 11, 27), date(2027, 3, 5)):
        for looking, of_age, able, domicile, status, document, allows in itertools.product(
            yes_no,
            yes_no,
            yes_no,
            get_args(DomicileKind),
            get_args(Status),
            get_args(Document),
            (True, False, None),
        ):
            facts = EligibilityFacts(
                looking_for_job=looking,
                at_least_min_age=of_age,
                able_to_work=able,
                domicile=domicile,
                status=status,
                document=document,
                document_allows_work=allows,
            )
            yield check_eligibility(facts, on)
    for status, document, worked, vitale in itertools.product(
        get_args(Status), get_args(Document), yes_no, yes_no
    ):
        facts_d = DocumentsFacts(
            status=status, document=document, has_worked=worked, has_vitale_card=vitale
        )
        yield documents_checklist(facts_d, date(2026, 11, 27))
    for answers in itertools.product((True, False, None), repeat=4):
        facts_p = PasswordFacts(**dict(zip(PasswordFacts.model_fields, answers, strict=True)))
        yield check_password(facts_p, date(2026, 11, 27))
    day = date(2025, 1, 1)
    while day <= date(2028, 12, 31):
        yield monthly_update_deadline(day)
        day += timedelta(days=1)
    for on in SOME_DATES:
        yield first_appointment(on)
        yield missed_update_recovery(on)
        yield rsa_registration(on)
        yield young_registration(on)
        for missed, income in itertools.product(yes_no, get_args(Income)):
            yield reschedule_appointment(AppointmentFacts(already_missed=missed, income=income),
                                         on)
        for reason, income in itertools.product(get_args(DeregistrationReason), get_args(Income)):
            for months in range(14):
                facts_r = DeregistrationFacts(reason=reason, months_ago=months, income=income)
                yield deregistration_recovery(facts_r, on)
    for days, hours, age, end, before in itertools.product(
        (None, 0, 129, 130),
        (None, 909, 910),
        (30, 53, 54, 55, 60),
        (None, date(2025, 3, 31), date(2025, 4, 1)),
        (None, True, False),
    ):
        facts_a = AllowanceFacts(days_worked=days, hours_worked=hours, age=age, contract_end=end,
                                 ended_before_change=before, asked_end=True)
        yield check_allowance(facts_a, date(2026, 11, 27))
    for job_end, within, days, age_b in itertools.product(
        get_args(JobEnd), (None, True, False), (None, 60, 200), (None, 22, 40),
    ):
        if age_b is None and job_end not in NO_CONTRACT_END:
            continue
        facts_b = AllowanceFacts(job_end=job_end, ended_within_deadline=within,
                                 days_worked=days, age=age_b)
        yield check_allowance(facts_b, date(2026, 12, 4))


@cache
def decisions() -> tuple[Decision, ...]:
    return tuple(all_decisions())


def render(text: Text, lang: str, params: dict[str, Any]) -> str:
    """What the bot does: plural form by `count`, dates in the user's language."""
    if isinstance(text, dict):
        category = Locale.parse(lang).plural_form(params.get("count", 0))
        text = text.get(category, text["other"])
    values = {
        name: format_date(value, format="long", locale=lang) if isinstance(value, date) else value
        for name, value in params.items()
    }
    return text.format_map(values)


def test_both_languages_have_the_same_keys() -> None:
    assert set(catalog("fr")) == set(catalog("en"))


def test_every_key_in_the_rules_has_a_text_and_no_text_is_orphan() -> None:
    in_source = {
        key
        for path in (ROOT / "rules_engine").glob("*.py")
        for key in KEY_IN_SOURCE.findall(path.read_text("utf-8"))
    }
    assert in_source == set(catalog("fr"))


def emitted_keys(reason: Reason) -> list[str]:
    """The reason's message, and its short line for a checklist if it has one."""
    return [reason.key, *([reason.line] if reason.line else [])]


def test_every_text_is_emitted_by_some_decision() -> None:
    emitted = {key for decision in decisions() for reason in decision.reasons
               for key in emitted_keys(reason)}
    assert emitted == set(catalog("fr"))


# A rule may give another rule's answer word for word: the documents topic answers an asylum
# seeker as the eligibility topic does (rules_engine.eligibility.asylum_seeker_reasons).
SHARED_PREFIXES = {"documents": ("rules.eligibility.asylum_",)}
# Rules that say what another rule already says reuse its messages rather than copy them:
# the missed-update answer is the deregistration's for that reason (or the update's, while
# still open); a deregistration states the sanctions in the reschedule rule's short lines.
REUSES = {"missed_update": ("deregistration", "monthly_update"), "deregistration": ("reschedule",)}


def test_keys_start_with_their_rule() -> None:
    for decision in decisions():
        owners = (decision.rule, *REUSES.get(decision.rule, ()))
        allowed = (*(f"rules.{o}." for o in owners), *SHARED_PREFIXES.get(decision.rule, ()))
        for reason in decision.reasons:
            assert reason.key.startswith(allowed), reason.key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_plural_forms_are_cldr_categories_of_the_language(lang: str) -> None:
    allowed = set(Locale.parse(lang).plural_form.tags) | {"other"}
    for key, text in catalog(lang).items():
        if isinstance(text, dict):
            assert "other" in text, key
            assert set(text) <= allowed, key


def test_placeholders_are_the_same_in_both_languages() -> None:
    for key, text in catalog("fr").items():
        assert placeholders(text) == placeholders(catalog("en")[key]), key


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reason_renders_in_every_language(lang: str) -> None:
    seen: set[tuple[str, tuple[str, ...], date]] = set()
    for decision in decisions():
        public = public_parameters(decision.on)
        for reason in decision.reasons:
            for key in emitted_keys(reason):
                signature = (key, tuple(sorted(reason.params)), decision.on)
                if signature in seen:
                    continue
                seen.add(signature)
                text = catalog(lang)[key]
                if isinstance(text, dict):
                    assert "count" in reason.params, f"{key} has plural forms but no count"
                shown = render(text, lang, {**public, **reason.params})
                assert "{" not in shown and "}" not in shown, shown


def test_uncertain_statements_say_whom_to_ask() -> None:
    uncertain = {r.key for d in decisions() for r in d.reasons if r.uncertain}
    assert uncertain, "some statements are uncertain by the domain notes"
    for key in uncertain:
        for lang in LANGUAGES:
            assert "phone" in placeholders(catalog(lang)[key]), (lang, key)


def test_every_decision_cites_sources() -> None:
    for decision in decisions():
        assert decision.sources, decision


def test_asking_for_the_contract_end_cites_nothing_yet() -> None:
    facts = AllowanceFacts(days_worked=130, age=54)
    decision = check_allowance(facts, date(2026, 11, 27))
    assert (decision.outcome, decision.reasons, decision.sources) == ("need_contract_end", [], [])
