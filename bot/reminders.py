"""Reminders of the monthly update, for users who asked for them with /reminders.

The dates come from the rules engine (the window opening day, the deadline) and a dated
parameter (how many days before the deadline to remind). Reminders live in the state
database, so a restart loses none; each is claimed before it is sent, so none goes twice.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta

from bot.conversation import Conversation
from bot.store import StateStore
from rules_engine.deadlines import monthly_update_deadline
from rules_engine.parameters import PARIS, parameter, public_parameters

log = logging.getLogger(__name__)

OPEN, SOON, APPOINTMENT = "monthly_open", "monthly_soon", "appointment"
Send = Callable[[int, str], Awaitable[object]]
# (reminder id, chat id, text) → claimed and queued in the outbox; False when taken already
Queue = Callable[[int, int, str], Awaitable[bool]]


def _at(day: date) -> datetime:
    """The moment to remind on `day`: the hour is a dated parameter, in Paris time."""
    hour = int(parameter("monthly_update.reminder_hour", day))
    return datetime.combine(day, time(hour, 0), tzinfo=PARIS)


def next_monthly(today: date) -> list[tuple[str, datetime, date]]:
    """(kind, when, deadline) of the next monthly-update reminders after `today`."""
    found: list[tuple[str, datetime, date]] = []
    day = today
    while not found:
        decision = monthly_update_deadline(day)
        params = decision.reasons[0].params
        deadline = params["deadline"]
        assert isinstance(deadline, date)
        opens = params.get("window_opens")
        before = int(parameter("monthly_update.reminder_days_before", day))
        if isinstance(opens, date) and opens > today:
            found.append((OPEN, _at(opens), deadline))
        soon = deadline - timedelta(days=before)
        if soon > today:
            found.append((SOON, _at(soon), deadline))
        day = deadline + timedelta(days=1)  # this cycle is over: look at the next one
    return found


async def sync_monthly(store: StateStore, user_id: str, today: date) -> None:
    """Make the stored reminders follow the user's choice (answer `remind_monthly`)."""
    state = await store.load(user_id)
    wanted = state.answers.get("remind_monthly")
    pending = [r for r in await store.pending_reminders(user_id) if r.kind in (OPEN, SOON)]
    if wanted is True and not pending:
        for kind, when, deadline in next_monthly(today):
            await store.add_reminder(user_id, kind, when, {"deadline": deadline.isoformat()})
    elif wanted is not True and pending:
        await store.cancel_reminders(user_id, OPEN)
        await store.cancel_reminders(user_id, SOON)


async def sync_appointment(store: StateStore, user_id: str) -> None:
    """The day before the appointment date the user gave, at the usual hour."""
    state = await store.load(user_id)
    given = state.answers.get("appointment_date")
    if not isinstance(given, str):
        return
    day = date.fromisoformat(given)
    await store.cancel_reminders(user_id, APPOINTMENT)  # one appointment reminder at a time
    await store.add_reminder(user_id, APPOINTMENT, _at(day - timedelta(days=1)),
                             {"appointment_date": day.isoformat()})


async def send_due(store: StateStore, conversation: Conversation, send: Send,
                   now: datetime, queue: Queue | None = None) -> int:
    """Send the reminders due at `now`, each at most once; schedule the next ones.

    With `queue` (a durable store's outbox), a reminder is claimed and queued in one step,
    then sent by the outbox, retried until Telegram takes it: a crash or an error of
    Telegram's no longer loses a reminder already claimed."""
    sent = 0
    for reminder in await store.due_reminders(now):
        state = await store.load(reminder.user_id)
        monthly = reminder.kind in (OPEN, SOON)
        if monthly and state.answers.get("remind_monthly") is not True:
            await store.claim(reminder.id)
            continue  # opted out since: claimed, so never sent
        lang = state.lang or conversation.default_lang
        today = now.astimezone(PARIS).date()
        deadline = date.fromisoformat(str(reminder.data.get("deadline", today.isoformat())))
        params: dict[str, object] = {**public_parameters(today), "deadline": deadline}
        if "appointment_date" in reminder.data:
            params["appointment_date"] = date.fromisoformat(str(reminder.data["appointment_date"]))
        text = conversation.catalog.render(f"reminders.{reminder.kind}", lang, params)
        if queue is not None:
            if not await queue(reminder.id, int(reminder.user_id), text):
                continue  # another process, or an earlier run, took it
            sent += 1
        else:
            if not await store.claim(reminder.id):
                continue
            try:
                await send(int(reminder.user_id), text)
                sent += 1
            except Exception as exc:  # one failed chat must not stop the others
                log.warning("reminder %s not sent: %s", reminder.id, type(exc).__name__)
        if reminder.kind == SOON:
            for kind, when, next_deadline in next_monthly(deadline):
                await store.add_reminder(reminder.user_id, kind, when,
                                         {"deadline": next_deadline.isoformat()})
    return sent
