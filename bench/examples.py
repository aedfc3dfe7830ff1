"""The messages issue 9 reported, replayed through a checkout's conversation core.

Prints, for each example, what the guide did: the intent it read, whether it took the message
for a secret, and the start of its last reply. Run it on two checkouts to compare:

    .venv/bin/python bench/examples.py                       # this checkout
    PYTHONPATH=/path/to/old/checkout .venv/bin/python bench/examples.py --markdown

The examples start where the issue saw them: a new conversation in a language, or at a
question reached by pressing its button ("g:eligibility.document").
"""

from __future__ import annotations

import argparse
import asyncio
from datetime import date

from bot.app import build_conversation, load_nlu
from bot.messages import Incoming
from bot.state import MemoryStore

TODAY = date(2026, 12, 4)

# (language, buttons pressed or messages typed first, the message)
EXAMPLES: list[tuple[str, list[str], str]] = [
    ("en", [], "I want to work"),
    ("fr", [], "je cherche du travail"),
    ("uk", [], "шукаю роботу"),
    ("ar", [], "بدي اشتغل"),
    ("ar", [], "السلام عليكم نسيت كلمة السر"),
    ("fr", [], "bonjour je cherche du boulot"),
    ("uk", [], "добрий день, я забула пароль"),
    ("fr", [], "mon mot de passe est refusé"),
    ("en", [], "my password is wrong"),
    ("en", [], "the password is refused"),
    ("fr", [], "my mdp est bloqué"),
    ("fr", [], "mon mdp c Samira2024"),
    ("ar", ["g:eligibility.document"], "ريسيبيسيه"),
    ("fa", ["g:eligibility.document"], "رسپیسه"),
    ("ru", ["g:eligibility.document"], "карта резидента"),
    ("en", ["g:eligibility.document"], "i have the receipt"),
    ("en", ["g:eligibility.document"], "no"),
    ("fr", ["g:allowance.days"], "aucune idée"),
    ("en", [], "I missed my appointment yesterday"),
    ("en", [], "I'm a refugee, I only have the récépissé, can I register and what do I bring?"),
    ("fr", [], "j'ai travaillé 910h"),
    ("en", [], "Learn French"),
    ("en", [], "they cut my money"),
    ("en", [], "salam bdi sajel bi pole emploi"),
    ("en", [], "salam mikham too pole emploi sabtenam konam"),
    ("en", [], "selam kemey geyre ab pole emploi ktmezgeb"),
]


def _short(text: str, width: int = 90) -> str:
    line = " / ".join(p.strip() for p in text.splitlines() if p.strip())
    return line if len(line) <= width else line[:width - 1] + "…"


async def run(markdown: bool) -> None:
    nlu = load_nlu(progress=None)
    for number, (lang, before, text) in enumerate(EXAMPLES):
        conversation = build_conversation(store=MemoryStore(), nlu=nlu, today=lambda: TODAY,
                                          default_lang=lang)
        user = f"u{number}"
        await conversation.handle(Incoming(user, text="/start", language_hint=lang))
        for step in before:
            incoming = (Incoming(user, data=step) if step[1:2] == ":"
                        else Incoming(user, text=step))
            await conversation.handle(incoming)
        result = await conversation.handle(Incoming(user, text=text))
        intent = f"{result.intent.name} {result.intent.confidence:.2f}" if result.intent else "-"
        buttons = [b.label for r in result.replies for b in r.buttons][:4]
        texts = [r.text for r in result.replies if r.text]
        said = _short(texts[-1] if texts else "")
        secret = "SECRET " if result.secret else ""
        where = f" (at {before[-1]})" if before else ""
        if markdown:
            print(f"| {lang} | {text}{where} | {secret}{intent} | {said} {buttons} |")
        else:
            print(f"[{lang}] {text}{where}\n    {secret}{intent}: {said}\n    {buttons}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--markdown", action="store_true")
    asyncio.run(run(parser.parse_args().markdown))


if __name__ == "__main__":
    main()
