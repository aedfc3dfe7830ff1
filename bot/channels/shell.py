"""The terminal channel: a chat in the shell, numbered buttons, or JSON lines for tools."""

from __future__ import annotations

import asyncio
import io
import json
import logging
import os
import sys
import tempfile
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TextIO

from bot.checklist_pdf import MissingFont, pdf_of
from bot.conversation import Conversation, Result
from bot.i18n import without_isolates
from bot.messages import Button, Incoming, Reply

log = logging.getLogger(__name__)

USER_ID = "shell"
ERROR_KEY = "common.error"


def _visible(text: str) -> str:
    return without_isolates(text) if not sys.stdout.isatty() else text


def files_folder() -> Path:
    """Where the shell writes the files the guide sends (GUIDE_SHELL_FILES, else a folder
    of the system's temporary directory)."""
    return Path(os.environ.get("GUIDE_SHELL_FILES") or Path(tempfile.gettempdir()) / "guide")


def save_documents(result: Result, folder: Path) -> list[Path | None]:
    """Each reply's file written into `folder` (None for a reply without one, or a file
    that cannot be made: the reason is said on stderr)."""
    saved: list[Path | None] = []
    for reply in result.replies:
        if reply.document is None:
            saved.append(None)
            continue
        try:
            content = pdf_of(reply.document)
        except MissingFont as exc:
            print(f"(no PDF: {exc})", file=sys.stderr, flush=True)
            saved.append(None)
            continue
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / reply.document.filename
        path.write_bytes(content)
        saved.append(path)
    return saved


def render_plain(result: Result, files: list[Path | None] | None = None) -> str:
    lines: list[str] = []
    number = 0
    for index, reply in enumerate(result.replies):
        lines.append(reply.text)
        file = files[index] if files and index < len(files) else None
        if file is not None:
            lines.append(f"  📎 {file}")
        for row in reply.rows():
            shown = []
            for button in row:
                if button.url is not None:
                    # a page to open: not numbered, since typing a number presses a button
                    shown.append(f"{button.label} → {button.url}")
                    continue
                number += 1
                shown.append(f"[{number}] {button.label}")
            lines.append("  " + "    ".join(shown))
        lines.append("")
    return "\n".join(lines)


def render_json(result: Result, lang: str, files: list[Path | None] | None = None) -> str:
    intent = (None if result.intent is None else
              {"name": result.intent.name, "confidence": round(result.intent.confidence, 4)})
    replies: list[dict[str, object]] = [
        {"text": r.text, "buttons": [_button_json(b) for b in r.buttons]}
        for r in result.replies]
    for reply, file in zip(replies, files or [], strict=False):
        if file is not None:
            reply["document"] = str(file)
    return json.dumps({"lang": lang, "intent": intent, "replies": replies}, ensure_ascii=False)


def _button_json(button: Button) -> dict[str, str]:
    if button.url is not None:
        return {"label": button.label, "url": button.url}
    return {"label": button.label, "data": button.data or ""}


async def run_shell(conversation: Conversation, lang: str | None, as_json: bool,
                    stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
                    on: date | None = None) -> int:
    """Chat until stdin ends. `on`: the day the conversation's core answers for (`--date`),
    said once on stderr in a terminal so a volunteer never mistakes it for today."""
    interactive = stdin.isatty() and not as_json
    # the shell sends no reminder: where the guide promises one, a note says so
    conversation = replace(conversation, notes=conversation.dialogues.config.shell_notes)
    if interactive and on is not None:
        print(f"(the guide answers as on {on.isoformat()})", file=sys.stderr, flush=True)

    _forgiving(stdout)

    async def send(incoming: Incoming) -> None:
        # a typed number is sent as text: the core presses the button with that number,
        # exactly as it does for a Telegram user
        try:
            result = await conversation.handle(incoming)
            state_lang = (await conversation.store.load(USER_ID)).lang
        except Exception as exc:
            # the exception's text may quote the message: only its type is said
            log.error("the turn failed: %s", type(exc).__name__)
            state_lang = lang
            text = conversation.catalog.render(ERROR_KEY, lang or conversation.default_lang)
            result = Result([Reply(text, keys=[ERROR_KEY])])
        files = save_documents(result, files_folder())
        if as_json:
            print(render_json(result, state_lang or "", files), file=stdout, flush=True)
        else:
            print(_visible(render_plain(result, files)), file=stdout, flush=True)

    if lang:
        state = await conversation.store.load(USER_ID)
        state.lang = lang
        await conversation.store.save(state)
    if interactive:
        await send(Incoming(USER_ID, text="/start", language_hint=lang))
    loop = asyncio.get_running_loop()
    number = 0
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line, clean = await loop.run_in_executor(None, _read_line, stdin)
        if line is None:
            break
        number += 1
        if not clean:
            print(f"(line {number} is not valid UTF-8: read with \ufffd in place of the bytes "
                  f"that are not)", file=sys.stderr, flush=True)
        await send(Incoming(USER_ID, text=line.rstrip("\r\n")))
    return 0


def _read_line(stdin: TextIO) -> tuple[str | None, bool]:
    """The next line (None at the end), and False when it was not valid UTF-8. Bytes are
    decoded here, one line at a time, so that a byte that is not UTF-8 spoils only its own
    line (a strict text stream raised on the whole buffered block, ending the session)."""
    raw = getattr(stdin, "buffer", None)
    if not isinstance(raw, io.BufferedIOBase):
        return stdin.readline() or None, True
    data = raw.readline()
    if not data:
        return None, True
    try:
        return data.decode("utf-8"), True
    except UnicodeDecodeError:
        return data.decode("utf-8", errors="replace"), False


def _forgiving(stdout: TextIO) -> None:
    """A terminal that cannot show a character gets a '?' for it, not a crash."""
    if isinstance(stdout, io.TextIOWrapper):
        stdout.reconfigure(errors="replace")
