"""A cry for help sent inside a flood is still answered with the emergency numbers: flood
control ignores the rest of a burst, never a person in danger (bot/channels/telegram.py)."""

from __future__ import annotations

from pathlib import Path

from bot.nlu.embedded import EmbeddedNlu
from tests.bot.channels.test_telegram_e2e import CHAT, _settle, say
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide


async def test_a_distress_message_inside_a_flood_gets_the_emergency_numbers(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "fr")
        before = len(fake.sent_texts(CHAT))
        for number in range(20):
            fake.send_text(CHAT, f"bonjour {number}", language_code="fr")
        fake.send_text(CHAT, "je veux mourir", language_code="fr")
        await _settle(fake, CHAT)
        burst = fake.sent_texts(CHAT)[before:]
        # the burst was a flood: warned once, the rest ignored…
        assert sum("beaucoup de messages" in t for t in burst) == 1
        assert len(burst) < 20, burst
        # …but the cry for help, sent last, was answered
        numbers = [t for t in burst if "3114" in t]
        assert numbers, burst
        assert "112" in "\n".join(burst)
