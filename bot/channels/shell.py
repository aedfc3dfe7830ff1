"""The terminal channel: a chat in the shell, numbered buttons, or JSON lines for tools."""

from __future__ import annotations

import asyncio
import json
import sys
from datetime import date
from typing import TextIO

from bot.conversation import Conversation, Result
from bot.i18n import FSI, PDI
from bot.messages import Incoming

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




async def run_shell(conversation: Conversation, lang: str | None, as_json: bool,
                    stdin: TextIO = sys.stdin, stdout: TextIO = sys.stdout,
                    on: date | None = None) -> int:
    """Chat until stdin ends. `on`: the day the conversation's core answers for (`--date`),
    said once on stderr in a terminal so a volunteer never mistakes it for today."""
    interactive = stdin.isatty() and not as_json
    if interactive and on is not None:
        print(f"(the guide answers as on {on.isoformat()})", file=sys.stderr, flush=True)

    async def send(incoming: Incoming) -> None:
        # a typed number is sent as text: the core presses the button with that number,
        # exactly as it does for a Telegram user
        result = await conversation.handle(incoming)
        state = await conversation.store.load(USER_ID)
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
        await send(Incoming(USER_ID, text=line.rstrip("\n")))
    return 0
