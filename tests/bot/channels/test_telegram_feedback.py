""""Was this useful? 👍 👎" over Telegram: the press takes the answer's keyboard away, the
thanks brings the end's buttons back, and the counts are written with the turn in the
bot's own database (the real Application against the fake Bot API)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bot.nlu.embedded import EmbeddedNlu
from tests.bot.channels.test_telegram_e2e import CHAT, press, say
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide


async def test_a_press_is_thanked_keeps_the_way_on_and_is_counted(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu) as running:
        await say(fake, "/start", "en")
        answer = await say(fake, "What is France Travail", "en")
        assert answer[-1].endswith("Did this answer help you?")
        end_labels = [label for row in fake.buttons(CHAT) for label in row]
        assert end_labels[-2:] == ["👍", "👎"]
        edits = len(fake.calls("editMessageReplyMarkup"))
        thanks = await press(fake, "👍")
        assert thanks == ["Thank you! 🙏"]
        # the pressed keyboard went; the thanks carries the end's buttons again
        assert len(fake.calls("editMessageReplyMarkup")) == edits + 1
        assert [label for row in fake.buttons(CHAT) for label in row] == end_labels[:-2]
        await press(fake, "Can I register")
        counts = {(c.topic, c.lang, c.what): c.n
                  for c in await running.store.usage_counts(date(2026, 11, 1))}
    assert counts == {
        ("what_is_france_travail", "en", "started"): 1,
        ("what_is_france_travail", "en", "ended"): 1,
        ("what_is_france_travail", "en", "up"): 1,
        ("eligibility", "en", "started"): 1,
        ("", "en", "understood"): 1,
    }
