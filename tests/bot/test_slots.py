"""The facts a message says, per language (bot/slots.py, bot/days_said.py, nlu_data/slots.yml)."""

from __future__ import annotations

from datetime import date

import pytest

from bot import paths
from bot.days_said import day_named
from bot.dialogue.loader import load_dialogues
from bot.dialogue.schema import Step
from bot.i18n import declared
from bot.nlu.data import read_negations
from bot.numbers import read_units
from bot.slots import SlotReader, read_slots

TODAY = date(2026, 11, 27)  # a Friday


@pytest.fixture(scope="module")
def reader() -> SlotReader:
    languages = declared(paths.translations_dir())
    return read_slots(paths.nlu_data_dir() / "slots.yml", languages,
                      read_units(paths.nlu_data_dir() / "units.yml", languages),
                      read_negations(paths.nlu_data_dir() / "negations.yml"))


@pytest.mark.parametrize(("lang", "text", "when"), [
    ("fr", "j'ai raté mon rdv hier", "past"),
    ("fr", "je ne peux pas venir demain", "future"),
    ("fr", "mardi", "unknown"),
    ("fr", "je suis réfugié", "none"),
    ("en", "I missed my appointment yesterday", "past"),
    ("en", "can I come today", "today"),
    ("ar", "فاتني موعدي أمس", "past"),
    ("ar", "ما بقدر اجي بكرة", "future"),  # a spoken form of ours (nlu_data/slots.yml)
    ("fa", "ديروز", "past"),  # typed with the Arabic yeh
    ("ps", "پرون", "past"),
    ("ru", "вчера", "past"),
    ("ru", "во вторник", "unknown"),
    ("uk", "завтра", "future"),
    ("ti", "ትማሊ", "past"),
])
def test_day_named(reader: SlotReader, lang: str, text: str, when: str) -> None:
    assert reader.hear(text, lang, TODAY).when == when


def test_short_weekday_forms_are_not_days() -> None:
    # dateparser's "je" (jeudi) and "sam" (samedi) are everyday words
    assert day_named("je sais pas sam", "fr", TODAY) == "none"


@pytest.mark.parametrize(("lang", "text", "cue"), [
    ("fr", "j'ai raté mon rendez-vous", "missed"),
    ("fr", "je ne peux pas venir", "cannot_come"),
    ("en", "I'm a refugee", "refugee"),
    ("ar", "أنا لاجئ", "refugee"),
    ("ar", "فاتني الموعد", "missed"),
    ("fa", "پناهنده هستم", "refugee"),
    ("ps", "زه کډوال یم", "refugee"),
    ("ru", "я беженка", "refugee"),
    ("ru", "я пропустил встречу", "missed"),
    ("uk", "я не зможу прийти", "cannot_come"),
    ("ti", "ስደተኛ እየ", "refugee"),
    ("ar", "عندي récépissé", "receipt"),  # French words off the papers, in any language
])
def test_cues(reader: SlotReader, lang: str, text: str, cue: str) -> None:
    assert cue in reader.hear(text, lang, TODAY).cues


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "I'm not a refugee"),
    ("fr", "je ne suis pas réfugié, j'ai raté mon rdv"),
    ("ru", "я не беженец"),
    ("ar", "أنا مش لاجئ"),
])
def test_a_negated_part_says_nothing(reader: SlotReader, lang: str, text: str) -> None:
    assert "refugee" not in reader.hear(text, lang, TODAY).cues


@pytest.mark.parametrize(("lang", "text", "second"), [
    ("en", "I'm a refugee, can I register and what do I bring?", "what do I bring?"),
    ("fr", "je peux m'inscrire et quels papiers apporter ?", "quels papiers apporter ?"),
    ("ar", "هل أستطيع التسجيل وماذا أحضر معي؟", "وماذا أحضر معي؟"),
    ("ar", "هل أستطيع التسجيل؟ وما الأوراق المطلوبة؟", "وما الأوراق المطلوبة؟"),
    ("ru", "могу ли я зарегистрироваться и какие документы нужны?", "какие документы нужны?"),
    ("en", "Can I register? What do I bring?", "What do I bring?"),
])
def test_second_question(reader: SlotReader, lang: str, text: str, second: str) -> None:
    halves = reader.split_question(text, lang)
    assert halves is not None and halves[1] == second


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "I missed my appointment and I am worried"),
    ("fr", "j'ai raté mon rdv et je suis malade"),
    ("ru", "я беженка и ищу работу"),
    ("ar", "نسيت الباسوورد وما اكدر ادخل"),  # "ما" is also "not"
])
def test_one_question(reader: SlotReader, lang: str, text: str) -> None:
    assert reader.split_question(text, lang) is None


def _answers(reader: SlotReader, flow: str, text: str, lang: str) -> dict[str, object]:
    dialogues = load_dialogues(paths.dialogues_dir())
    found = reader.told(dialogues.flows[flow], text, lang, TODAY, lambda key: [key])
    return {slot: told.value for slot, told in found.items()}


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("en", "I missed my appointment yesterday", {"already_missed": True}),
    ("en", "I can't come tomorrow", {"already_missed": False}),
    ("en", "I can't come", {}),  # when? not said: asked
    ("en", "I can't come on Tuesday", {}),  # last Tuesday or next?
    ("fr", "je n'ai pas pu venir hier", {"already_missed": True}),
    ("ru", "не смогу прийти завтра", {"already_missed": False}),
    ("ar", "فاتني الموعد امبارح", {"already_missed": True}),
])
def test_reschedule(reader: SlotReader, lang: str, text: str, expected: dict[str, object]) -> None:
    assert _answers(reader, "reschedule", text, lang) == expected


@pytest.mark.parametrize(("lang", "text", "expected"), [
    ("fr", "j'ai travaillé 910h", {"unit": "hours", "hours_worked": 910}),
    ("ar", "اشتغلت ٩١٠ ساعة", {"unit": "hours", "hours_worked": 910}),
    ("ru", "работала 130 дней", {"unit": "days", "days_worked": 130}),
    ("fr", "j'ai un rendez-vous à 10h pour le chômage", {}),  # no work said: not hours worked
    ("fr", "j'ai travaillé 7 mois", {}),  # converted and confirmed at the question instead
])
def test_allowance(reader: SlotReader, lang: str, text: str, expected: dict[str, object]) -> None:
    assert _answers(reader, "allowance", text, lang) == expected


def test_two_statuses_are_not_guessed(reader: SlotReader) -> None:
    found = _answers(reader, "eligibility", "I was an asylum seeker, now I am a refugee", "en")
    assert "status" not in found


def test_from_message_values_are_options() -> None:
    with pytest.raises(ValueError, match="options"):
        Step.model_validate({"ask": "q", "slot": "s", "options": [
            {"label": "l", "value": True, "next": "x"}],
            "from_message": [{"value": "maybe", "said": ["missed"]}]})
