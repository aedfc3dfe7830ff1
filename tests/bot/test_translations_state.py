"""`guide translations status LANG --list STATE` and `stamp LANG [KEY...]`."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bot import paths
from bot.cli import main
from bot.i18n import load_catalog, source_hash

GIT = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git repository with the project's translations; the French of two keys changed."""
    shutil.copytree(paths.translations_dir(), tmp_path / "translations")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    french = tmp_path / "translations/fr/contact.yml"
    text = french.read_text(encoding="utf-8")
    french.write_text(text.replace("Pour joindre France Travail :",
                                   "Pour contacter France Travail :")
                      .replace("sur votre téléphone.", "sur votre smartphone."),
                      encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    subprocess.run([*GIT, "-C", str(tmp_path), "add", "-A"], check=True)
    subprocess.run([*GIT, "-C", str(tmp_path), "commit", "-qm", "start"], check=True)
    return tmp_path


def test_status_of_one_language_lists_keys_to_review(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["translations", "status", "ti"]) == 0
    out = capsys.readouterr().out
    entries = load_catalog(project / "translations").entries["ti"]
    unsure_ti = sum(1 for e in entries.values() if e.unsure)
    # translated, missing, to review, unsure: two keys are made "to review" by the fixture
    assert out.splitlines()[1].split()[:5] == ["ti", str(len(entries) - 2), "0", "2",
                                               str(unsure_ti)]
    assert main(["translations", "status", "ti", "--list", "to_review"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "translations/ti/contact.yml:4: contact.intro (to_review)",
        "translations/ti/contact.yml:8: contact.app (to_review)",
    ]
    assert main(["translations", "status", "ru", "--list", "unsure"]) == 0
    unsure = [k for k, e in load_catalog(project / "translations").entries["ru"].items()
              if e.unsure]
    assert [line.split()[1] for line in capsys.readouterr().out.splitlines()] == unsure


def test_stamp_clears_to_review_for_what_the_translator_edited(
        project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = project / "translations/ti/contact.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ምስ France Travail ንምርካብ:", "ምስ France Travail ንምራኻብ:"),
                    encoding="utf-8")
    assert main(["translations", "stamp", "ti"]) == 0
    out = capsys.readouterr().out
    assert "ti: contact.intro: stamped" in out
    assert "ti: contact.app: still to review" in out
    entries = load_catalog(project / "translations").entries
    assert entries["ti"]["contact.intro"].source == source_hash(entries["fr"]["contact.intro"].text)
    assert entries["ti"]["contact.app"].source != source_hash(entries["fr"]["contact.app"].text)
    # checked and right as it was: stamped by name; only that line changes
    before = path.read_text(encoding="utf-8").splitlines()
    assert main(["translations", "stamp", "ti", "contact.app"]) == 0
    after = path.read_text(encoding="utf-8").splitlines()
    assert [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b] == [7]
    assert "ti: contact.app: stamped" in capsys.readouterr().out
