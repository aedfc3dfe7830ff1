"""Greetings and thanks around a question, per language, from nlu_data/courtesy.yml."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot import paths
from bot.courtesy import Courtesy, parse_question, read_courtesy
from bot.dialogue.loader import Dialogues, load_dialogues
from bot.languages import declared_languages
from bot.nlu.types import IntentResult
from rules_engine.yamlfile import DataFileError
from tests.bot.test_lint import edit, messages

ACT, FLOOR = 0.45, 0.15


@pytest.fixture(scope="module")
def courtesy() -> Courtesy:
    return read_courtesy(paths.nlu_data_dir() / "courtesy.yml", declared_languages())


@pytest.fixture(scope="module")
def dialogues() -> Dialogues:
    return load_dialogues(paths.dialogues_dir())


# the message → what is left once the courtesy around it is taken off, as typed
QUESTIONS = {
    "fr": [("bonjour je cherche du boulot", "je cherche du boulot"),
           ("salam, j'ai raté mon rdv", "j'ai raté mon rdv"),
           ("Bonjour madame, comment ça va ? Je suis radié svp merci", "Je suis radié"),
           ("merci, et pour l'actualisation ?", "pour l'actualisation ?"),
           ("slt jai raté mon rdv merci d'avance", "jai raté mon rdv")],
    "en": [("hi i lost my password thanks", "i lost my password"),
           ("Hello sir, how do I register? Thank you so much!", "how do I register"),
           ("good morning, what papers do i need please", "what papers do i need")],
    "ar": [("السلام عليكم نسيت كلمة السر", "نسيت كلمة السر"),
           ("مرحبا يا اخي، كيف أسجل؟ شكرا", "كيف أسجل"),
           ("salam 3alaykom, nsit mot de passe", "nsit mot de passe")],
    "fa": [("سلام، خسته نباشید. رمزم را فراموش کردم، ممنون", "رمزم را فراموش کردم"),
           ("درود، چطور ثبت نام کنم؟ لطفا", "چطور ثبت نام کنم")],
    "ps": [("سلام ورور، ستړي مه شئ، پټنوم مې هیر شوی", "پټنوم مې هیر شوی"),
           ("سلام، څنګه نوم ولیکم؟ مننه", "څنګه نوم ولیکم")],
    "ru": [("Здравствуйте! Как зарегистрироваться? Спасибо", "Как зарегистрироваться"),
           ("добрый день, подскажите пожалуйста, я забыл пароль", "я забыл пароль")],
    "uk": [("добрий день, як зареєструватися?", "як зареєструватися?"),
           ("Вітаю! Я забула пароль, дякую", "Я забула пароль")],
    "ti": [("ሰላም ከመይ ኣለኹም፡ ከመይ ጌረ ክምዝገብ?", "ከመይ ጌረ ክምዝገብ?"),
           ("ሰላም ሓወይ፡ ፓስዎርድ ረሲዐ የቐንየለይ", "ፓስዎርድ ረሲዐ")],
}

# only courtesy: read whole, as before (a greeting is greeted, a thank-you thanked)
BARE = {
    "fr": ["bonjour", "Bonjour madame !", "salam", "merci", "merci beaucoup", "bonjour à tous",
           "slt ça va ?", "merci, bonne journée"],
    "en": ["hi", "Hello!", "thanks a lot", "good morning sir", "thank you so much"],
    "ar": ["السلام عليكم", "سلام", "مرحبا", "شكرا جزيلا", "salam", "chokran"],
    "fa": ["سلام", "درود", "ممنون", "مرسی", "سلام خسته نباشید"],
    "ps": ["سلام", "ستړي مه شئ", "مننه", "ډېره مننه"],
    "ru": ["здравствуйте", "добрый день", "привет", "спасибо большое"],
    "uk": ["добрий день", "вітаю", "привіт", "дуже дякую"],
    "ti": ["ሰላም", "ከመይ ኣለኹም", "የቐንየለይ"],
}


@pytest.mark.parametrize(("lang", "text", "rest"),
                         [(lang, text, rest) for lang, pairs in QUESTIONS.items()
                          for text, rest in pairs])
def test_the_question_is_left(courtesy: Courtesy, lang: str, text: str, rest: str) -> None:
    assert courtesy.question(text, lang) == rest


@pytest.mark.parametrize(("lang", "text"),
                         [(lang, text) for lang, texts in BARE.items() for text in texts])
def test_bare_courtesy_is_read_whole(courtesy: Courtesy, lang: str, text: str) -> None:
    assert courtesy.question(text, lang) is None


def test_every_language_has_its_courtesy(courtesy: Courtesy) -> None:
    assert set(courtesy.phrases) == set(declared_languages())


def test_nothing_to_take_off_is_read_whole(courtesy: Courtesy) -> None:
    assert courtesy.question("je suis radié", "fr") is None
    assert courtesy.question("", "fr") is None


def test_words_in_the_middle_stay(courtesy: Courtesy) -> None:
    # "merci" inside the sentence is part of it
    assert courtesy.question("bonjour, je dis merci pour quoi ?", "fr") == (
        "je dis merci pour quoi ?")


def test_french_and_english_in_every_language(courtesy: Courtesy) -> None:
    assert courtesy.question("bonjour, نسيت كلمة السر", "ar") == "نسيت كلمة السر"
    assert courtesy.question("hi, як зареєструватися", "uk") == "як зареєструватися"


def test_another_languages_courtesy_is_not_taken_off(courtesy: Courtesy) -> None:
    assert courtesy.question("спасибо, je suis radié", "fr") is None


class FakeNlu:
    """The intents of a few texts, as the language model would give them."""

    def __init__(self, answers: dict[str, IntentResult]) -> None:
        self.answers = answers

    async def parse(self, text: str, lang: str | None = None) -> IntentResult:
        return self.answers[text]


def _parse(courtesy: Courtesy, dialogues: Dialogues, text: str,
           answers: dict[str, IntentResult]) -> str:
    result = asyncio.run(parse_question(FakeNlu(answers), courtesy, text, "fr", ACT, FLOOR,
                                        dialogues))
    return result.name


def test_the_question_seen_behind_the_greeting_wins(courtesy: Courtesy,
                                                    dialogues: Dialogues) -> None:
    answers = {"bonjour, rdv raté": IntentResult("greet", 0.5, [("greet", 0.5),
                                                                ("reschedule_appointment", 0.4)]),
               "rdv raté": IntentResult("reschedule_appointment", 0.9)}
    assert _parse(courtesy, dialogues, "bonjour, rdv raté", answers) == "reschedule_appointment"


def test_a_topic_sure_alone_wins(courtesy: Courtesy, dialogues: Dialogues) -> None:
    answers = {"bonjour, inscription": IntentResult("greet", 0.9, [("greet", 0.9)]),
               "inscription": IntentResult("how_to_register", 0.9)}
    assert _parse(courtesy, dialogues, "bonjour, inscription", answers) == "how_to_register"


def test_an_unclear_rest_leaves_the_greeting(courtesy: Courtesy, dialogues: Dialogues) -> None:
    answers = {"bonjour, je suis nouveau": IntentResult("greet", 0.9, [("greet", 0.9)]),
               "je suis nouveau": IntentResult("agir_programme", 0.3)}
    assert _parse(courtesy, dialogues, "bonjour, je suis nouveau", answers) == "greet"


def test_small_talk_or_out_of_scope_alone_leaves_the_greeting(courtesy: Courtesy,
                                                              dialogues: Dialogues) -> None:
    answers = {"merci pour l'aide": IntentResult("thanks", 0.9, [("thanks", 0.9)]),
               "pour l'aide": IntentResult("help", 0.9),
               "bonjour, je suis nouveau": IntentResult("greet", 0.9, [("greet", 0.9)]),
               "je suis nouveau": IntentResult("out_of_scope", 0.6)}
    assert _parse(courtesy, dialogues, "merci pour l'aide", answers) == "thanks"
    assert _parse(courtesy, dialogues, "bonjour, je suis nouveau", answers) == "greet"


def test_the_rest_never_makes_a_cry_for_help(courtesy: Courtesy, dialogues: Dialogues) -> None:
    answers = {"salut, moi c'est Oksana": IntentResult("greet", 0.7, [("greet", 0.7),
                                                                      ("distress", 0.2)]),
               "moi c'est Oksana": IntentResult("distress", 0.8)}
    assert _parse(courtesy, dialogues, "salut, moi c'est Oksana", answers) == "greet"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "courtesy.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_phrase_without_letters_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n  greetings: [bonjour]\n  thanks: [merci, '!!']\n")
    with pytest.raises(DataFileError) as error:
        read_courtesy(path, ["fr"])
    assert error.value.line == 3 and "fr.thanks.1" in error.value.message


def test_an_empty_list_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n  greetings: [bonjour]\n  thanks: [merci]\n"
                            "en:\n  greetings: []\n  thanks: [thanks]\n")
    with pytest.raises(DataFileError) as error:
        read_courtesy(path, ["fr", "en"])
    assert error.value.line == 5 and "en.greetings" in error.value.message


def test_a_missing_language_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n  greetings: [bonjour]\n  thanks: [merci]\n")
    with pytest.raises(DataFileError) as error:
        read_courtesy(path, ["fr", "ti"])
    assert "ti" in error.value.message


def test_lint_names_the_file_and_line_of_a_broken_courtesy_file(project: Path) -> None:
    edit(project / "nlu_data/courtesy.yml",
         lambda t: t.replace("thanks: [የቐንየለይ,", "thanks: ['...',", 1))
    found = messages(project)
    broken = [m for m in found if m.startswith("nlu_data/courtesy.yml:")]
    assert broken and "ti.thanks.0" in broken[0], found
    line = int(broken[0].split(":")[1])
    assert "'...'" in (project / "nlu_data/courtesy.yml").read_text(
        encoding="utf-8").splitlines()[line - 1]
