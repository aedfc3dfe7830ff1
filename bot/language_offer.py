"""The answer to an offer to switch language ("Would you like to continue in Arabic?").

The offer comes instead of the answer to the question that triggered it: whichever button
the user presses, that question is answered next, in the language chosen. An offer left for
another message is stale: pressing its old buttons later changes the language or keeps it,
but does not bring back a question the user has since moved on from.
"""

from __future__ import annotations

from bot import payloads
from bot.state import UserState

# the data of the offer's button that keeps the current language
KEEP = payloads.pack(payloads.Command("keep_language"))


def offered_question(state: UserState) -> str | None:
    """Close the offer; the intent of the question that triggered it, if the offer was the
    guide's last message with buttons (so the press answers it)."""
    pending, state.pending_intent, state.offered_lang = state.pending_intent, None, None
    return pending if KEEP in state.last_buttons else None


def keep_language(state: UserState) -> str | None:
    """The user keeps their language: the offered one is not offered again, and the question
    is answered in the kept language (`offered_question`)."""
    if state.offered_lang and state.offered_lang not in state.declined_langs:
        state.declined_langs.append(state.offered_lang)
    return offered_question(state)
