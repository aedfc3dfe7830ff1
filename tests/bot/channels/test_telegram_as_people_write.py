"""Messages as people write them (issue 9), through the real python-telegram-bot Application
over HTTP against the fake Bot API: a complaint about a password is answered, never deleted;
a password is deleted; a greeting does not hide the question; the words on people's papers
press their button; facts in the first message are not asked again."""

from __future__ import annotations

from pathlib import Path

from bot.nlu.embedded import EmbeddedNlu
from tests.bot.channels.test_telegram_e2e import CHAT, _settle, press, say
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide


async def test_a_complaint_about_a_password_is_answered_and_kept(tmp_path: Path,
                                                                nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "fr")
        for complaint in ("mon mot de passe est refusé", "le mdp c'est quoi ?"):
            replies = await say(fake, complaint, "fr")
            assert not any("ressemble à un mot de passe" in r for r in replies), replies
        assert fake.calls("deleteMessage") == []
        english = await say(fake, "my password is wrong", "en", chat=CHAT + 1)
        assert any("password" in r.lower() for r in english)
        assert fake.calls("deleteMessage") == []
        # a real password, in chat spelling, is deleted
        warned = await say(fake, "mon mdp c Samira2024", "fr")
        assert any("mot de passe" in r for r in warned)
        deleted = await fake.wait_for("deleteMessage", chat_id=CHAT)
        assert deleted[0].ok


async def test_a_greeting_before_the_question_in_arabic(tmp_path: Path,
                                                       nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        replies = await say(fake, "السلام عليكم نسيت كلمة السر", "ar")
        text = "\n".join(replies)
        assert "identifiant oublié" in text  # the forgotten-login answer, not the menu


async def test_a_paper_word_presses_its_button_and_facts_are_not_asked_again(
        tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "ru")
        await press(fake, "нужны документы")
        await press(fake, "Беженец")
        # "карта резидента" is how people say the French "carte de résident"
        after = await say(fake, "карта резидента", "ru")
        assert not any("Какой у вас документ" in r for r in after), after
        replies = await say(fake, "I missed my appointment yesterday", "en", chat=CHAT + 2)
        text = "\n".join(replies)
        assert "From your message, I noted:" in text
        assert "Is the appointment already past?" not in text


async def _send_photo(fake: FakeTelegram, caption: str | None) -> list[str]:
    before = len(fake.sent_texts(CHAT))
    fake.send_non_text(CHAT, "photo", language_code="en", caption=caption)
    await fake.wait_for("sendMessage", chat_id=CHAT, count=before + 1)
    await _settle(fake, CHAT)
    return fake.sent_texts(CHAT)[before:]


async def test_the_words_under_a_photo_are_read(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "/start", "en")
        bare = await _send_photo(fake, None)
        assert "I can only read text" in bare[0]
        asked = await _send_photo(fake, "I forgot my password, what do I do?")
        text = "\n".join(asked)
        assert "I read the words you wrote with it" in text
        assert "identifiant oublié" in text or "forgot" in text.lower()
        assert fake.calls("deleteMessage") == []
        # a password written under a photo is deleted like a typed one
        secret = await _send_photo(fake, "my password is Sunshine99!")
        assert any("Never send it here" in r for r in secret), secret
        deleted = await fake.wait_for("deleteMessage", chat_id=CHAT)
        assert deleted[0].ok


async def test_answers_come_without_link_previews(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    # a preview card under an answer with a link pushes its buttons off a small screen
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        await say(fake, "how do I register?", "en")
        calls = fake.calls("sendMessage")
        assert calls and all(c.params.get("link_preview_options") == {"is_disabled": True}
                             for c in calls), [c.params.get("link_preview_options")
                                               for c in calls]
