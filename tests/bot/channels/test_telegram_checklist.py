"""/checklist on Telegram: the real python-telegram-bot Application, polling the fake Bot API
over HTTP with the durable store, sends the list as a PDF (sendDocument), and a document
waiting in the outbox is sent after a restart."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from pathlib import Path

import pypdfium2 as pdfium

from bot.i18n import load_catalog
from bot.nlu.embedded import EmbeddedNlu
from bot.paths import translations_dir
from tests.helpers.fake_telegram import FakeTelegram
from tests.helpers.guide import running_guide

CHAT = 5151
# a refugee with a residence permit, who worked in France and has a carte Vitale
PRESSES = ("g:documents", "o:documents.status:0", "o:documents.document:0",
           "o:documents.has_worked:0", "o:documents.has_vitale_card:0")


async def answer_the_documents_questions(fake: FakeTelegram, lang: str) -> None:
    for data in PRESSES:
        before = len(fake.calls("sendMessage", chat_id=CHAT))
        fake.press(CHAT, data, language_code=lang, check=False)
        await fake.wait_for("sendMessage", chat_id=CHAT, count=before + 1, timeout=15)
        await asyncio.sleep(0.3)  # a person reads before pressing (flood control)


def pdf_text(content: bytes) -> str:
    pdf = pdfium.PdfDocument(content)
    return "".join(page.get_textpage().get_text_range() for page in pdf)


async def test_checklist_sends_a_bilingual_pdf(tmp_path: Path, nlu: EmbeddedNlu) -> None:
    catalog = load_catalog(translations_dir())
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        fake.send_text(CHAT, "/start", language_code="uk")
        await fake.wait_for("sendMessage", chat_id=CHAT, timeout=15)
        await answer_the_documents_questions(fake, "uk")
        # the list itself came as one message of boxes, without buttons, to forward
        texts = fake.sent_texts(CHAT)
        listed = next(t for t in texts if "☐" in t)
        assert listed.startswith(catalog.render("documents.list_intro", "uk"))
        assert catalog.render("rules.documents.line.vitale_card", "uk") in listed
        fake.send_text(CHAT, "/checklist", language_code="uk")
        [call] = await fake.wait_for("sendDocument", chat_id=CHAT, timeout=30)
        [(name, content, caption)] = fake.sent_documents(CHAT)
        assert name.endswith(".pdf") and content.startswith(b"%PDF")
        assert caption == catalog.render("checklist.sent", "uk")
        assert call.button_rows() == [[catalog.render("common.menu", "uk")]]
        text = pdf_text(content)
        assert catalog.render("rules.documents.line.vitale_card", "uk") in text
        assert catalog.render("rules.documents.line.vitale_card", "fr") in text
        assert "Документи для France Travail" in text


async def test_checklist_before_the_questions_offers_the_topic(tmp_path: Path,
                                                               nlu: EmbeddedNlu) -> None:
    catalog = load_catalog(translations_dir())
    async with FakeTelegram() as fake, running_guide(fake, tmp_path / "s.db", nlu):
        fake.send_text(CHAT, "/checklist", language_code="en")
        [call] = await fake.wait_for("sendMessage", chat_id=CHAT, timeout=15)
        assert call.text == catalog.render("checklist.not_ready", "en")
        assert [catalog.render("menu.documents", "en")] in call.button_rows()
        assert not fake.calls("sendDocument")


async def test_a_document_in_the_outbox_is_sent_after_a_restart(tmp_path: Path,
                                                                nlu: EmbeddedNlu) -> None:
    db = tmp_path / "s.db"
    async with FakeTelegram() as fake:
        async with running_guide(fake, db, nlu):
            fake.send_text(CHAT, "/start", language_code="ar")
            await fake.wait_for("sendMessage", chat_id=CHAT, timeout=15)
            await answer_the_documents_questions(fake, "ar")
            # Telegram is busy: the document waits in the outbox when the bot stops
            fake.fail_next("sendDocument", status=429, retry_after=60)
            fake.send_text(CHAT, "/checklist", language_code="ar")
            await fake.wait_for("sendDocument", chat_id=CHAT, timeout=30, include_failed=True)
        with sqlite3.connect(db) as conn:
            [(method, params)] = conn.execute("SELECT method, params FROM outbox").fetchall()
        stored = json.loads(params)
        # the data the PDF is made from, in both languages; not the file
        assert method == "sendDocument" and len(params) < 8_000
        assert stored["document"]["data"]["lang"] == "ar"
        assert not fake.sent_documents(CHAT)
        async with running_guide(fake, db, nlu):
            await fake.wait_for("sendDocument", chat_id=CHAT, timeout=30)
        [(_, content, caption)] = fake.sent_documents(CHAT)
        assert content.startswith(b"%PDF") and caption
        assert "الأوراق التي يجب تحضيرها" in pdf_text(content)
