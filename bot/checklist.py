"""The papers to prepare as a checklist people can use at the France Travail desk.

Two shapes of the documents rule's list (rules_engine/documents.py): one short message of
"☐ …" lines (each reason's `line`), to forward or show on the phone, and the sheet of a
PDF (`Sheet`, made into a file by bot/checklist_pdf.py), each line in the user's language
and in French, with the date and the answers that led to the list. No personal data: the
answers are the buttons pressed (a situation, a document, yes or no), never a name or a
number. The sheet holds texts already in both languages, so a document waiting in the
outbox gives the same file after a restart, whatever changed in the translations since.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, ValidationError

from bot import payloads
from bot.dialogue.loader import Dialogues
from bot.i18n import SOURCE_LANG
from bot.messages import Document
from bot.state import UserState
from rules_engine.decision import Decision

if TYPE_CHECKING:
    from bot.engine import Turn

RULE = "documents"  # the rule whose reasons are the list
TOPIC = "documents"  # the flow that asks the questions (and gives the list as a message)
OUTCOME = "checklist"  # the rule's outcome that has a list
BOX, WARNING = "☐", "⚠️"

SENT, NOT_READY, NO_LIST = "checklist.sent", "checklist.not_ready", "checklist.no_list"
TITLE, DATE, NOTE = "checklist.pdf.title", "checklist.pdf.date", "checklist.pdf.note"
ANSWERS_TITLE, ANSWER_LINE = "common.summary_intro", "common.summary_line"
# for `guide lint`: the keys and placeholders this module uses itself
KEYS = (SENT, NOT_READY, NO_LIST, TITLE, DATE, NOTE, "commands.checklist")
DATE_PARAM = "date"  # the day the list was made, in checklist.pdf.date
PLACEHOLDERS = frozenset({DATE_PARAM})

Rule = Callable[[dict[str, Any], date], Decision]


class Both(BaseModel):
    """One text in the user's language and in French (the same text for a French user)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    mine: str
    fr: str


class Item(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: Both
    warn: bool = False  # a thing not to do: no box to tick


class Sheet(BaseModel):
    """What the PDF shows, in reading order."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lang: str
    day: date
    title: Both
    date: Both
    items: list[Item]
    answers_title: Both
    answers: list[Both]
    note: Both


def say_lines(decision: Decision, turn: Turn) -> None:
    """The reasons that have a checklist line, one "☐ …" line each, in one part."""
    listed = [(reason, reason.line) for reason in decision.reasons if reason.line]
    turn.say_part("\n".join(f"{WARNING if r.warn else BOX} {turn.text(line, r.params)}"
                            for r, line in listed), [line for _, line in listed])


def attach(rule: Rule, dialogues: Dialogues, state: UserState, turn: Turn,
           today: date) -> None:
    """The checklist as a document with a short message; or, when the documents questions
    are not answered yet (or the person's situation has no list), why, with the topic's
    button."""
    topic = dialogues.flows.get(TOPIC)
    try:
        decision = rule(dict(state.answers), today)
    except ValidationError:
        decision = None
    if decision is None or decision.outcome != OUTCOME:
        turn.say(NOT_READY if decision is None else NO_LIST)
        if topic is not None and state.left_topic() != topic.flow:
            # left at one of its questions, the topic has "▶️ Continue" instead
            turn.button(topic.label, payloads.Goto(topic.flow))
        return
    questions = {s.slot: s.short or s.ask or s.slot
                 for s in (topic.steps.values() if topic else ()) if s.slot}
    sheet = make_sheet(decision, state, turn, questions, today)
    turn.say(SENT)
    turn.document = Document(f"papiers-france-travail-{today.isoformat()}.pdf",
                             sheet.model_dump(mode="json"))


def make_sheet(decision: Decision, state: UserState, turn: Turn,
               questions: Mapping[str, str], today: date) -> Sheet:
    """The sheet of the list `decision` gives, with the answers to `questions` (slot →
    the question's short label key) that the person gave by a button."""
    params = {**turn.params, DATE_PARAM: today}

    def both(key: str, extra: Mapping[str, Any] | None = None) -> Both:
        values = {**params, **(extra or {})}
        return Both(mine=_plain(turn.catalog.render(key, turn.lang, values)),
                    fr=_plain(turn.catalog.render(key, SOURCE_LANG, values)))

    items = [Item(text=both(r.line, r.params), warn=r.warn)
             for r in decision.reasons if r.line]
    answers = []
    for slot, question in questions.items():
        label = state.answer_labels.get(slot)
        if label is None or label == "#" or slot not in state.answers:
            continue  # not answered by a button (set by the flow, or a number)
        answers.append(Both(
            mine=_answer_line(turn, turn.lang, question, label),
            fr=_answer_line(turn, SOURCE_LANG, question, label)))
    return Sheet(lang=turn.lang, day=today, title=both(TITLE), date=both(DATE), items=items,
                 answers_title=both(ANSWERS_TITLE), answers=answers, note=both(NOTE))


def _answer_line(turn: Turn, lang: str, question: str, label: str) -> str:
    render = turn.catalog.render
    return _plain(render(ANSWER_LINE, lang, {"question": _plain(render(question, lang)),
                                             "answer": _plain(render(label, lang))}))


def _plain(text: str) -> str:
    """The text without emoji ("🛡️ Réfugié(e)" → "Réfugié(e)"): a PDF font has none of
    them, and a box or a gap in their place says nothing at the desk."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("So", "Sk")
                   and c not in "\ufe0f\u200d")
    return " ".join(kept.split())
