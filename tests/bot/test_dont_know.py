"""Typed "I don't know" answers, per language, from the project's nlu_data/dont_know.yml."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import paths
from bot.dont_know import DontKnow, read_dont_know
from bot.languages import declared_languages
from rules_engine.yamlfile import DataFileError


@pytest.fixture(scope="module")
def dont_know() -> DontKnow:
    return read_dont_know(paths.nlu_data_dir() / "dont_know.yml", declared_languages())


ANSWERS = {
    "fr": ["je sais pas", "je ne sais pas", "Je ne sais pas.", "jsp", "chais pas",
           "j'en sais rien", "j’en sais rien", "aucune idée", "Aucune idee !", "pas sûr",
           "pas sure", "je ne sais toujours pas"],
    "en": ["i don't know", "I dont know", "dont know", "idk", "IDK", "dunno", "not sure",
           "no idea", "I'm not sure"],
    "ar": ["لا أعرف", "لا اعرف", "ما بعرف", "ما اعرف", "مش عارف", "مش عارفة", "مو عارف",
           "ماني عارف", "مدري", "ما أدري", "لا أدري", "مش متأكد", "مش عارفه", "مش عارف؟"],
    "fa": ["نمیدانم", "نمی دانم", "نمی‌دانم", "نمیدونم", "نمی‌دونم", "مطمئن نیستم", "خبر ندارم",
           "نمي دانم"],  # Arabic yeh, typed on an Arabic keyboard
    "ps": ["نه پوهیږم", "نه پوهېږم", "نه یم خبر", "خبر نه یم"],
    "ru": ["не знаю", "Не знаю", "хз", "не уверен", "не уверена", "без понятия"],
    "uk": ["не знаю", "хз", "не впевнений", "не впевнена", "гадки не маю"],
    "ti": ["ኣይፈልጥን", "ኣይፈለጥኩን"],
}

WITH_FILLERS = {
    "fr": ["je sais pas trop", "franchement je sais pas", "euh... jsp", "non je sais pas",
           "je ne sais pas du tout"],
    "en": ["honestly i dont know", "i really dont know", "sorry, no idea", "not sure at all",
           "idk tbh"],
    "ar": ["والله ما بعرف", "والله مش عارف", "انا مش عارف", "مدري والله", "صراحة ما اعرف"],
    "fa": ["واقعا نمیدونم", "راستش نمیدانم", "من مطمئن نیستم"],
    "ps": ["زه نه پوهیږم", "رښتیا نه پوهېږم"],
    "ru": ["честно не знаю", "ну я не знаю", "вообще без понятия"],
    "uk": ["чесно не знаю", "я справді не знаю"],
    "ti": ["ብሓቂ ኣይፈልጥን", "ኣነ ኣይፈልጥን"],
}

# questions and sentences that contain the phrase: the language model reads them
LONGER = {
    "fr": ["je ne sais pas comment m'inscrire", "je sais pas mon mot de passe",
           "je ne sais pas quels papiers apporter", "je sais pas trop quoi faire"],
    "en": ["I don't know my password", "I don't know how to register",
           "i dont know what to bring", "not sure about the appointment"],
    "ar": ["مش عارف كلمة السر", "ما بعرف كيف سجل بفرانس ترافاي", "لا أعرف ما هي الأوراق"],
    "fa": ["نمیدانم چطور ثبت نام کنم", "رمزم را نمی‌دانم"],
    "ps": ["نه پوهیږم چې څنګه نوم ولیکم"],
    "ru": ["не знаю свой пароль", "не знаю как зарегистрироваться"],
    "uk": ["не знаю свій пароль", "не знаю як зареєструватися"],
    "ti": ["ኣይፈልጥን ከመይ ጌረ ክምዝገብ"],
}


def _cases(table: dict[str, list[str]]) -> list[tuple[str, str]]:
    return [(lang, text) for lang, texts in table.items() for text in texts]


@pytest.mark.parametrize(("lang", "text"), _cases(ANSWERS))
def test_the_phrases_are_answers(dont_know: DontKnow, lang: str, text: str) -> None:
    assert dont_know.answers(text, lang)
    assert dont_know.mentioned(text, lang)


@pytest.mark.parametrize(("lang", "text"), _cases(WITH_FILLERS))
def test_two_filler_words_around_are_still_answers(dont_know: DontKnow, lang: str,
                                                   text: str) -> None:
    assert dont_know.answers(text, lang)


@pytest.mark.parametrize(("lang", "text"), _cases(LONGER))
def test_a_longer_message_is_not_an_answer(dont_know: DontKnow, lang: str, text: str) -> None:
    assert not dont_know.answers(text, lang)
    assert dont_know.mentioned(text, lang)  # but after the NLU it is never a yes or a no


@pytest.mark.parametrize("lang", declared_languages())
def test_french_and_english_are_understood_in_every_language(dont_know: DontKnow,
                                                             lang: str) -> None:
    assert dont_know.answers("je sais pas", lang)
    assert dont_know.answers("idk", lang)


def test_a_phrase_of_another_language_is_not_read(dont_know: DontKnow) -> None:
    # "не знаю" is Russian and Ukrainian, not Arabic: the user's language decides
    assert dont_know.answers("не знаю", "ru")
    assert not dont_know.answers("не знаю", "ar")


@pytest.mark.parametrize("text", ["no", "non", "لا", "نه", "нет", "ኣይፋል", "yes", "",
                                  "the words don t know", "i know", "je sais"])
def test_yes_no_and_partial_words_are_not_answers(dont_know: DontKnow, text: str) -> None:
    assert not any(dont_know.answers(text, lang) for lang in declared_languages())


def test_three_fillers_are_too_many(dont_know: DontKnow) -> None:
    assert dont_know.answers("honestly sorry i dont know", "en")
    assert not dont_know.answers("well honestly sorry i dont know", "en")


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "dont_know.yml"
    path.write_text(text, encoding="utf-8")
    return path


def test_an_empty_phrase_list_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n  phrases: [je sais pas]\nen:\n  phrases: []\n")
    with pytest.raises(DataFileError) as error:
        read_dont_know(path, ["fr", "en"])
    assert error.value.line == 4 and "en.phrases" in error.value.message


def test_an_unknown_language_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n  phrases: [je sais pas]\nxx:\n  phrases: [abc]\n")
    with pytest.raises(DataFileError) as error:
        read_dont_know(path, ["fr"])
    assert error.value.line == 3 and "xx" in error.value.message


def test_a_missing_language_is_named(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n  phrases: [je sais pas]\n")
    with pytest.raises(DataFileError) as error:
        read_dont_know(path, ["fr", "ar"])
    assert "ar" in error.value.message


def test_an_unquoted_no_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "en:\n  phrases: [idk]\n  fillers: [well,\n            no]\n")
    with pytest.raises(DataFileError) as error:
        read_dont_know(path, ["en"])
    assert error.value.line == 4
