"""Files on Telegram: a reply's document (the checklist PDF) sent with sendDocument.

The outbox keeps a document as the data it is made from (`Document.data`, JSON like every
other call's parameters, about 2 kB) rather than the file (40-50 kB of fonts and drawing per
PDF): the rows stay small, and the same data gives the same bytes (bot/checklist_pdf.py), so
a document sent after a restart is the one the turn made. The file is made in a worker
thread when it is sent, not to hold up the other chats.
"""

from __future__ import annotations

import asyncio
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputFile, Message

from bot.checklist_pdf import pdf_of
from bot.messages import Document


def document_params(document: Document) -> dict[str, Any]:
    """The document as an outbox parameter (JSON)."""
    return {"filename": document.filename, "data": document.data}


def document_from(params: dict[str, Any]) -> Document:
    return Document(filename=str(params["filename"]), data=dict(params["data"]))


async def send_document(bot: Bot, chat_id: int, document: Document, caption: str,
                        markup: InlineKeyboardMarkup | None) -> Message:
    content = await asyncio.to_thread(pdf_of, document)
    return await bot.send_document(chat_id, InputFile(content, filename=document.filename),
                                   caption=caption or None, reply_markup=markup)
