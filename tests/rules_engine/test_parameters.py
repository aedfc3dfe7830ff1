"""Dated parameters: lookup by date, ended values, and errors that name the file and line."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from textwrap import dedent

import pytest

from bot import paths
from bot.dialogue.loader import load_dialogues
from rules_engine.parameter_store import (
    NoValueInForce,
    UnknownParameter,
    load_store,
)
from rules_engine.parameters import (
    PUBLIC_NAMES,
    check_parameters,
    default_store,
    in_force,
    parameter,
    parameter_sources,
    parameter_uncertain,
    public_parameters,
    source_info,
    today_in_paris,
)
from rules_engine.yamlfile import DataFileError

SOURCES = """\
a_source:
  title: A source
  url: https://example.org/a
  kind: official
  checked: 2026-11-15
"""


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dedent(text), encoding="utf-8")
    return path


@pytest.fixture
def tmp_params(tmp_path: Path) -> Path:
    write(tmp_path, "sources.yml", SOURCES)
    return tmp_path


def test_shipped_parameters_are_valid() -> None:
    assert check_parameters() == []


def test_value_is_the_one_in_force_on_the_date() -> None:
    assert parameter("allowance.senior_age", date(2025, 3, 31)) == 53
    assert parameter("allowance.senior_age", date(2025, 4, 1)) == 55
    assert parameter("allowance.min_days_worked", date(2026, 11, 27)) == 130


def test_an_ended_value_is_not_in_force_after_its_end() -> None:
    old_regime = {"min_months": 1, "max_months": 12}
    assert parameter("sanctions.radiation", date(2025, 5, 31)) == old_regime
    assert not in_force("sanctions.radiation", date(2025, 6, 1))
    with pytest.raises(NoValueInForce, match=r"'sanctions.radiation'.*2025-06-01"):
        parameter("sanctions.radiation", date(2025, 6, 1))


def test_before_the_first_value_there_is_none() -> None:
    assert in_force("engagement.activity_hours_per_week", date(2025, 1, 1))
    with pytest.raises(NoValueInForce, match=r"2024-12-31 \(values: 2025-01-01\.\.\)"):
        parameter("engagement.activity_hours_per_week", date(2024, 12, 31))


def test_unknown_parameter_is_a_clear_error() -> None:
    with pytest.raises(UnknownParameter, match=r"'allowance\.min_days'"):
        parameter("allowance.min_days", date(2026, 11, 27))


def test_sources_and_uncertainty_come_with_the_value() -> None:
    sources = parameter_sources("allowance.senior_age", date(2025, 4, 1))
    assert [s.id for s in sources] == ["unedic_2025_rules", "lefebvre_dalloz_2025_04"]
    assert all(s.url.startswith("https://") for s in sources)
    assert parameter_uncertain("account.password.min_length", date(2026, 11, 27))
    assert not parameter_uncertain("allowance.min_days_worked", date(2026, 11, 27))


def test_every_source_in_the_registry_is_used() -> None:
    store = default_store()
    used = {sid for file in store.parameters.values() for v in file.values for sid in v.sources}
    cited_only = {
        "refugies_info_register",
        "service_public_domiciliation",
        "code_travail_r5221_48",
        "francetravail_phishing",
        "francetravail_actualisation",
        "francetravail_contact",
        # --- documents: cited by the eligibility and documents rules
        "ceseda_stateless_card",
        "service_public_f2689",
        "interieur_droits_proteges",
        "ofpra_etat_civil",
        "fta_consulate_renunciation",
        "ash_identity_documents",
        "service_public_ada",
        # --- documents: cited by the secret warning's wording (translations/*/common.yml)
        "francetravail_recruteurs_securite",
        "francetravail_inscription",
        "cgt_chomeurs_actualisation",
        "rtl_oubli_actualisation",
        "demission_legitime_rtl_2023",
        "gazette_rsa_5_ans",
        "francetravail_inscription_en_ligne",
    }
    # a flow's step may cite a page directly (the referral directory, the short topics)
    flows = load_dialogues(paths.dialogues_dir()).flows.values()
    in_flows = {sid for flow in flows for step in flow.steps.values() for sid in step.sources}
    assert set(store.sources) == used | cited_only | in_flows


def test_source_info_is_a_plain_mapping() -> None:
    info = source_info("decret_2025_478")
    assert info is not None
    assert info["title"].startswith("Décret n° 2025-478")
    assert source_info("no_such_source") is None


def test_public_parameters_on_a_day_of_2026() -> None:
    values = public_parameters(date(2026, 11, 27))
    assert set(values) == set(PUBLIC_NAMES)
    assert values["min_age"] == 16
    assert values["password_min_length"] == 8
    assert values["phone"] == "39 49"
    assert values["website"] == "francetravail.fr"
    assert values["app_name"] == "France Travail – Mon espace"
    assert values["update_deadline_day"] == 15
    assert values["update_window_start_day"] == 28
    assert values["update_window_start_day_february"] == 26
    assert values["asylum_work_authorisation_months"] == 6
    assert values["contract_hours_per_week"] == 15
    assert values["temporary_protection_until"] == date(2027, 3, 4)
    assert values["are_min_days"] == 130
    assert values["are_min_hours"] == 910
    assert values["reregister_online_max_months"] == 6


def test_public_parameters_leave_out_what_is_not_in_force() -> None:
    values = public_parameters(date(2024, 6, 1))
    assert "contract_hours_per_week" not in values
    assert "suspension_min_percent" not in values
    assert values["phone"] == "39 49"


def test_today_in_paris_follows_the_paris_day() -> None:
    # 23:30 UTC on 28 March 2026 is 00:30 on the 29th in Paris (winter time, UTC+1).
    assert today_in_paris(datetime(2026, 3, 28, 23, 30, tzinfo=UTC)) == date(2026, 3, 29)
    # 22:30 UTC on 1 July is 00:30 on 2 July in Paris (summer time, UTC+2).
    assert today_in_paris(datetime(2026, 7, 1, 22, 30, tzinfo=UTC)) == date(2026, 7, 2)
    new_york = timezone(timedelta(hours=-5))
    assert today_in_paris(datetime(2026, 11, 26, 20, 0, tzinfo=new_york)) == date(2026, 11, 27)
    assert isinstance(today_in_paris(), date)


def test_today_in_paris_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        today_in_paris(datetime(2026, 11, 27, 12, 0))


def test_a_later_value_ends_the_previous_one(tmp_params: Path) -> None:
    write(
        tmp_params,
        "group/threshold.yml",
        """\
        description: A threshold that changed
        unit: days
        values:
          - start: 2020-01-01
            value: 10
            sources: [a_source]
            checked: 2026-11-15
          - start: 2024-01-01
            value: 20
            sources: [a_source]
            checked: 2026-11-15
        """,
    )
    store = load_store(tmp_params)
    assert store.value("group.threshold", date(2023, 12, 31)) == 10
    assert store.value("group.threshold", date(2024, 1, 1)) == 20
    assert store.value("group.threshold", date(2099, 1, 1)) == 20
    with pytest.raises(NoValueInForce):
        store.value("group.threshold", date(2019, 12, 31))


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        pytest.param(
            """\
            description: Broken YAML
            unit: days
            values:
              - start: 2020-01-01
                value: [10
            """,
            6,
            "YAML syntax error",
            id="syntax",
        ),
        pytest.param(
            """\
            description: A number that is text
            unit: days
            values:
              - start: 2020-01-01
                value: ten
                sources: [a_source]
                checked: 2026-11-15
            """,
            5,
            "does not fit unit 'days'",
            id="unit",
        ),
        pytest.param(
            """\
            description: A source nobody registered
            unit: days
            values:
              - start: 2020-01-01
                value: 10
                sources: [a_source, nowhere]
                checked: 2026-11-15
            """,
            6,
            "unknown source 'nowhere'",
            id="source",
        ),
        pytest.param(
            """\
            description: Overlapping periods
            unit: days
            values:
              - start: 2020-01-01
                end: 2024-12-31
                value: 10
                sources: [a_source]
                checked: 2026-11-15
              - start: 2024-06-01
                value: 20
                sources: [a_source]
                checked: 2026-11-15
            """,
            9,
            "starts before the previous value ends",
            id="overlap",
        ),
        pytest.param(
            """\
            description: A field nobody knows
            unit: days
            values:
              - start: 2020-01-01
                value: 10
                sources: [a_source]
                checked: 2026-11-15
                chekced: 2026-11-15
            """,
            8,
            "chekced",
            id="extra-field",
        ),
        pytest.param(
            """\
            description: No source at all
            unit: days
            values:
              - start: 2020-01-01
                value: 10
                checked: 2026-11-15
            """,
            4,
            "sources: Field required",
            id="missing-sources",
        ),
    ],
)
def test_a_broken_parameter_file_names_file_and_line(
    tmp_params: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_params, "broken/value.yml", text)
    errors = check_parameters(tmp_params)
    assert len(errors) == 1
    error = errors[0]
    assert error.path == str(path)
    assert error.line == line
    assert message in error.message
    assert str(error).startswith(f"{path}:{line}: ")
    with pytest.raises(DataFileError):
        load_store(tmp_params)


def test_a_broken_sources_file_names_its_line(tmp_params: Path) -> None:
    write(
        tmp_params,
        "sources.yml",
        """\
        good:
          title: Fine
          url: https://example.org
          kind: official
          checked: 2026-11-15
        bad:
          title: No https
          url: http://example.org
          kind: official
          checked: 2026-11-15
        """,
    )
    errors = check_parameters(tmp_params)
    assert [(e.line, "url" in e.message) for e in errors] == [(8, True)]


def test_a_file_name_must_be_snake_case(tmp_params: Path) -> None:
    write(tmp_params, "Allowance/Min-days.yml", "description: x\n")
    errors = check_parameters(tmp_params)
    assert len(errors) == 1
    assert "snake_case" in errors[0].message
