"""The YAML case loader (tests/rules_engine/conftest.py): bad files name their line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rules_engine.yamlfile import DataFileError


def test_a_malformed_case_file_names_its_line(tmp_path: Path, case_file_loader: Any) -> None:
    path = tmp_path / "cases.yml"
    path.write_text(
        "- case: fine\n"
        "  date: 2026-11-27\n"
        "  rule: monthly_update\n"
        "  expect: {outcome: open}\n"
        "- case: a rule that does not exist\n"
        "  date: 2026-11-27\n"
        "  rule: monthly_updates\n"
        "  expect: {outcome: open}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        case_file_loader(path)
    assert str(caught.value).startswith(f"{path}:7: ")
    assert "unknown rule 'monthly_updates'" in str(caught.value)


def test_an_unknown_input_names_its_line(tmp_path: Path, case_file_loader: Any) -> None:
    path = tmp_path / "cases.yml"
    path.write_text(
        "- case: a typo in an answer name\n"
        "  date: 2026-11-27\n"
        "  rule: reschedule\n"
        "  inputs:\n"
        "    already_mised: true\n"
        "  expect: {outcome: missed}\n",
        encoding="utf-8",
    )
    with pytest.raises(DataFileError, match=r":5: reschedule has no input 'already_mised'"):
        case_file_loader(path)
