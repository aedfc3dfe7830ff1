"""Link buttons on Telegram: sent as URL buttons, and kept as such by the durable outbox."""

from __future__ import annotations

from pathlib import Path

from telegram import Bot

from bot.channels.outbox import Outbox
from bot.channels.telegram import keyboard, sends_of
from bot.conversation import Result
from bot.messages import Button, Reply
from bot.store import DurableSqliteStore
from bot.store.turns import open_turn
from tests.helpers.fake_telegram import FakeTelegram

CHAT = 5151
PAGE = "https://candidat.francetravail.fr/espacepersonnel/"
REPLY = Reply("Connectez-vous.", [Button("🔑 Mon espace personnel", url=PAGE),
                                  Button("🏠 Menu", data="c:menu")])


def test_a_link_button_is_a_url_button_and_a_pressed_button_keeps_its_data() -> None:
    markup = keyboard(REPLY)
    assert markup is not None
    (link,), (menu,) = markup.inline_keyboard
    assert (link.text, link.url, link.callback_data) == ("🔑 Mon espace personnel", PAGE, None)
    assert (menu.url, menu.callback_data) == (None, "c:menu")


async def test_a_link_button_survives_the_outbox_to_telegram(tmp_path: Path) -> None:
    """Written with the turn, read back after a restart, sent: still a URL button."""
    store = DurableSqliteStore.open(tmp_path / "state.db")
    with open_turn(1, str(CHAT)) as turn:
        for text, markup, _ in sends_of(Result([REPLY])):
            turn.send(CHAT, text, markup.to_dict() if markup is not None else None)
    await store.finish_turn(turn)
    store.close()
    store = DurableSqliteStore.open(tmp_path / "state.db")  # a restart between
    async with FakeTelegram() as fake:
        fake.add_chat(CHAT)
        async with Bot(fake.token, base_url=fake.base_url) as bot:
            outbox = Outbox(store, bot)
            await outbox.start()
            assert await outbox.idle(10)
        sent = fake.calls("sendMessage", chat_id=CHAT)
    store.close()
    assert [c.text for c in sent] == ["Connectez-vous."]
    rows = (sent[0].reply_markup or {})["inline_keyboard"]
    assert rows == [[{"text": "🔑 Mon espace personnel", "url": PAGE}],
                    [{"text": "🏠 Menu", "callback_data": "c:menu"}]]
