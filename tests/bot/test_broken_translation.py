"""A translator's broken file costs its own texts (French instead), not the whole bot."""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from bot import paths
from bot.conversation import Conversation, Incoming
from bot.i18n import load_catalog

Make = Callable[..., Conversation]


async def test_a_broken_file_falls_back_to_french_with_one_error_line(
        make_conversation: Make, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    root = tmp_path / "translations"
    shutil.copytree(paths.translations_dir(), root)
    common = root / "ti" / "common.yml"
    text = common.read_text(encoding="utf-8")
    common.write_text(text.replace('ምርካብ", source', 'ምርካብ, source', 1), encoding="utf-8")
    monkeypatch.setattr(paths, "translations_dir", lambda: root)
    french = load_catalog(paths.ROOT / "translations").entries["fr"]
    tigrinya = load_catalog(paths.ROOT / "translations").entries["ti"]
    with caplog.at_level(logging.WARNING):
        conversation = make_conversation(lang="ti")
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert len(errors) == 1
    line = errors[0].getMessage()
    assert "ti/common.yml:" in line and "ሰላም" not in line and "Bonjour" not in line
    welcome = await conversation.handle(Incoming("u", text="/start", language_hint="ti"))
    assert welcome.replies[0].text.startswith(str(french["welcome.text"].text)[:20])
    contact = await conversation.handle(Incoming("u", text="11"))
    shown = "\n".join(r.text for r in contact.replies)
    assert str(tigrinya["contact.intro"].text) in shown
