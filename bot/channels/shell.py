"""The terminal channel: a chat in the shell, numbered buttons, or JSON lines for tools."""

from __future__ import annotations

import asyncio
import json
import sys
from typing import TextIO

from bot.conversation import Conversation, Result
from bot.i18n import FSI, PDI
from bot.messages import Button, Incoming

USER_ID = "shell"


def _visible(text: str) -> str:
    return text.replace(FSI, "").replace(PDI, "") if not sys.stdout.isatty() else text


def render_plain(result: Result) -> str:
    lines: list[str] = []
    number = 0
    for reply in result.replies:
        lines.append(reply.text)
        for button in reply.buttons:
            number += 1
            lines.append(f"  [{number}] {button.label}")
        lines.append("")
    return "\n".join(lines)


def render_json(result: Result, lang: str) -> str:
    intent = (None if result.intent is None else
              {"name": result.intent.name, "confidence": round(result.intent.confidence, 4)})
    replies = [{"text": r.text, "buttons": [{"label": b.label, "data": b.data}
                                            for b in r.buttons]} for r in result.replies]
    return json.dumps({"lang": lang, "intent": intent, "replies": replies}, ensure_ascii=False)


def to_incoming(line: str, buttons: list[Button], expects_number: bool) -> Incoming:
    """A typed number presses the button with that number, unless a number is asked for."""
    text = line.strip()
    if text.isdigit() and not expects_number and 1 <= int(text) <= len(buttons):
        return Incoming(USER_ID, data=buttons[int(text) - 1].data)
    return Incoming(USER_ID, text=line)


async def run_shell(conversation: Conversation, lang: str | None, as_json: bool,
                    stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout) -> int:
    interactive = stdin.isatty() and not as_json
    buttons: list[Button] = []
    expects_number = False

    async def send(incoming: Incoming) -> None:
        nonlocal buttons, expects_number
        result = await conversation.handle(incoming)
        state = await conversation.store.load(USER_ID)
        buttons = [b for r in result.replies for b in r.buttons]
        expects_number = any(r.expects_number for r in result.replies)
        if as_json:
            print(render_json(result, state.lang or ""), file=stdout, flush=True)
        else:
            print(_visible(render_plain(result)), file=stdout, flush=True)

    if lang:
        state = await conversation.store.load(USER_ID)
        state.lang = lang
        await conversation.store.save(state)
    if interactive:
        await send(Incoming(USER_ID, text="/start", language_hint=lang))
    loop = asyncio.get_running_loop()
    while True:
        if interactive:
            print("> ", end="", file=stdout, flush=True)
        line = await loop.run_in_executor(None, stdin.readline)
        if not line:
            break
        await send(to_incoming(line.rstrip("\n"), buttons, expects_number))
    return 0
