"""Sources behind a button (bot/sources_shown.py): one line under the answer, the list when
the button is pressed, then the user's place again."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from bot import payloads
from bot.conversation import Conversation
from bot.messages import Incoming
from bot.sources_shown import address, month, ordered, site
from bot.state import ShownSources
from rules_engine.parameters import source_info

TODAY = date(2026, 12, 4)
Make = Callable[..., Conversation]


def test_official_pages_come_first_law_firms_last_each_source_once() -> None:
    cited = [{"id": i, "kind": k} for i, k in (("firm", "law_firm"), ("assoc", "association"),
                                                ("ft", "official"), ("info", "public"),
                                                ("press", "media"), ("ft", "official"))]
    assert [s["id"] for s in ordered(cited)] == ["ft", "info", "assoc", "press", "firm"]


def test_a_source_is_shown_by_its_site_never_its_maintainers_title() -> None:
    assert site("https://www.service-public.fr/particuliers/vosdroits/F2689") == \
        "service-public.fr"
    assert site("https://ofpra.gouv.fr./mes-documents-detat-civil") == "ofpra.gouv.fr"
    register = source_info("refugies_info_register")
    assert register is not None and "source page, before 2024" in register["title"]


def test_the_page_in_the_users_language_when_there_is_one() -> None:
    source = {"url": "https://refugies.info/fr/demarche/x",
              "pages": {"ar": "https://refugies.info/ar/demarche/x"}}
    assert address(source, "ar") == "https://refugies.info/ar/demarche/x"
    assert address(source, "ti") == "https://refugies.info/fr/demarche/x"


def test_the_month_checked_is_written_as_each_language_writes_it() -> None:
    assert month(date(2026, 11, 15), "fr") == "novembre 2026"
    assert month(date(2026, 11, 15), "en") == "November 2026"


def test_the_payload_fits_and_reads_back() -> None:
    data = payloads.pack(payloads.Sources("deregistered.contest"))
    assert data == "s:deregistered.contest"
    assert payloads.unpack(data) == payloads.Sources("deregistered.contest")


async def test_no_title_in_english_in_any_language(make_conversation: Make) -> None:
    """The answer's line and the list name sites, in the user's language: no maintainer's
    title ("source page, before 2024") in Arabic."""
    conversation = make_conversation(TODAY, "ar")
    await conversation.handle(Incoming("u", text="/start"))
    answer = await conversation.handle(Incoming("u", data="g:how_to_register.finish"))
    line = [r for r in answer.replies if "common.source_line" in r.keys]
    assert line and "https://" not in "".join(r.text for r in answer.replies)
    button = next(b for r in answer.replies for b in r.buttons
                  if b.data is not None and b.data.startswith("s:"))
    listed = await conversation.handle(Incoming("u", data=button.data))
    text = "\n".join(r.text for r in listed.replies)
    assert "https://refugies.info" in text and "before 2024" not in text
    assert "Register at the job centre" not in text


async def test_at_a_question_the_list_then_the_question_again(make_conversation: Make) -> None:
    conversation = make_conversation(TODAY, "en")
    await conversation.handle(Incoming("u", text="/start"))
    asked = await conversation.handle(Incoming("u", data="g:eligibility"))
    question = asked.replies[-1]
    state = await conversation.store.load("u")
    where = f"{state.flow}.{state.step}"
    state.shown_sources = [ShownSources(where=where, ids=["francetravail_inscription"])]
    await conversation.store.save(state)
    result = await conversation.handle(Incoming("u", data=f"s:{where}"))
    listed, again = result.replies[0], result.replies[-1]
    assert listed.keys[0] == "common.sources_intro" and not listed.buttons
    assert "francetravail.fr" in listed.text
    assert again.keys[-1] == question.keys[-1]
    assert [b.data for b in again.buttons] == [b.data for b in question.buttons]
    after = await conversation.store.load("u")
    assert (after.flow, after.step) == (state.flow, state.step)


async def test_an_unknown_sources_button_is_answered_kindly(make_conversation: Make) -> None:
    conversation = make_conversation(TODAY, "en")
    await conversation.handle(Incoming("u", text="/start"))
    result = await conversation.handle(Incoming("u", data="s:eligibility.nowhere"))
    assert result.replies[0].keys[0] == "common.stale_button"
