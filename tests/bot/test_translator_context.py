"""What a translator gets beside the French: button label lengths and the glossary."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot import paths
from bot.i18n import load_catalog
from bot.lint import glossary_lint
from bot.translations_tool import export_po, import_po

ROOT = Path(__file__).parents[2]


@pytest.fixture
def real(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    shutil.copytree(ROOT / "translations", tmp_path / "translations")
    shutil.copytree(ROOT / "dialogues", tmp_path / "dialogues")
    monkeypatch.setattr(paths, "ROOT", tmp_path)
    return tmp_path / "translations"


def block(po: str, key: str) -> str:
    end = po.index(f'msgctxt "{key}"')
    return po[po.rindex("\n\n", 0, end): end]


def test_a_button_label_says_its_limit_and_a_far_too_long_one_is_refused(real: Path) -> None:
    po = export_po(real, "ru")
    assert "#. button label: at most 25 characters" in block(po, "common.yes")
    assert "button label" not in block(po, "contact.intro")
    before = load_catalog(real).entries["ru"]
    long_yes = "✅ Да, " + "очень " * 10
    edited = po.replace(f'msgstr "{before["common.yes"].text}"', f'msgstr "{long_yes}"', 1)
    edited = edited.replace(f'msgstr "{before["common.no"].text}"', 'msgstr "❌ Нет-нет"', 1)
    report = import_po(real, "ru", edited)
    assert report.taken == ["common.no"]
    assert [r.key for r in report.refused] == ["common.yes"]
    assert "characters for a button label of at most 25" in report.refused[0].reason
    assert load_catalog(real).entries["ru"]["common.yes"].text == before["common.yes"].text


def test_the_glossary_word_is_shown_and_its_absence_warned(real: Path) -> None:
    po = export_po(real, "uk")
    assert "#. glossary: actualisation = щомісячн" in block(po, "menu.monthly_update")
    warned = glossary_lint()
    path = real / "uk" / "common.yml"
    text = path.read_text(encoding="utf-8")
    label = str(load_catalog(real).entries["uk"]["menu.monthly_update"].text)
    assert "щомісячн" in label.casefold()
    path.write_text(text.replace(label, "📅 Актуалізація", 1), encoding="utf-8")
    new = [w for w in glossary_lint() if w not in warned]
    assert len(new) == 1 and "menu.monthly_update: glossary: 'actualisation'" in new[0], new
