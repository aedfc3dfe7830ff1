"""A person in distress: the detector on nlu_data/distress.yml, its file checks, and the
conversation core answering it first (secret flag kept, too long messages read)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from bot import paths
from bot.conversation import Conversation
from bot.distress import Distress, lines_for, read_distress
from bot.languages import declared_languages
from bot.messages import Incoming
from rules_engine.yamlfile import DataFileError


@pytest.fixture(scope="module")
def distress() -> Distress:
    return read_distress(paths.nlu_data_dir() / "distress.yml", declared_languages())


CRIES = {
    "suicide": ["je veux mourir", "jveu mourir", "je vais me suicider", "j'ai envie d'en finir",
                "I want to die", "i wanna kill myself", "bghit nmout", "بدي انتحر",
                "الانتحار", "mikham bemiram", "میخواهم بمیرم", "غواړم مړ شم", "хочу умереть",
                "не хочу жити", "ክመውት እደሊ", "SUICIDE"],
    "shelter": ["je dors dehors aidez moi", "j'ai nulle part ou dormir", "nowhere to sleep",
                "I'm homeless", "نايم بالشارع", "جای خواب ندارم", "сплю на улице",
                "ніде спати", "ኣብ ጎደና እየ ዝሓድር", "kan n3es fzen9a"],
    "violence": ["I was attacked", "je me suis fait agresser", "il veut me tuer",
                 "on me menace de mort", "ضربوني", "меня избили", "ሃሪሞምኒ"],
    "women": ["mon mari me frappe", "my husband beats me", "جوزي بيضربني", "муж бьёт меня"],
    "child": ["mon enfant est en danger", "my child is in danger", "ابني في خطر"],
    "medical": ["mon ami ne respire plus", "je saigne", "he is not breathing", "اسعاف",
                "не могу дышать"],
    "urgent": ["au secours", "SOS"],
}

ORDINARY = ["je veux m'inscrire à France Travail", "je meurs de faim de travailler",
            "dying to start", "killer app", "je suis menacé de radiation",
            "j'ai travaillé 115 jours", "119", "115", "mot de passe oublié",
            "ça me tue ce site", "mdr", "I am dying to start my new job",
            "threatened with removal from the list", "je cherche un logement", "Paris2024!",
            "where is my agency", "كيف سجل بفرانس ترافاي", "хочу зарегистрироваться"]


@pytest.mark.parametrize(("kind", "text"), [(k, t) for k, texts in CRIES.items()
                                            for t in texts])
def test_cries_for_help_are_found_with_their_kind(distress: Distress, kind: str,
                                                  text: str) -> None:
    assert distress.detect(text) == kind


@pytest.mark.parametrize("text", ORDINARY)
def test_ordinary_messages_are_no_alarm(distress: Distress, text: str) -> None:
    assert distress.detect(text) is None


def test_a_phrase_inside_a_longer_phrase_of_another_kind_gives_way(distress: Distress) -> None:
    # "me tuer" is a suicide phrase; "veut me tuer" someone else's threat
    assert distress.kinds_in("il veut me tuer") == ["violence"]
    assert distress.kinds_in("mon mari me frappe") == ["women"]


def test_several_kinds_keep_their_order_and_lines(distress: Distress) -> None:
    kinds = distress.kinds_in("je dors dehors et je veux mourir")
    assert kinds == ["suicide", "shelter"]
    assert lines_for(kinds) == ["suicide", "medical", "shelter", "emergency", "sms",
                                "listening"]


def test_every_language_is_looked_for_whatever_the_users_language(distress: Distress) -> None:
    assert distress.detect("I want to die") == "suicide"  # any user, any language set


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "distress.yml"
    path.write_text(text, encoding="utf-8")
    return path


KINDS_OK = ("  suicide: [a]\n  child: [b]\n  women: [c]\n  violence: [d]\n  medical: [e]\n"
            "  shelter: [f]\n  urgent: [g]\n")


def test_an_empty_kind_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n" + KINDS_OK + "en:\n" + KINDS_OK.replace("[d]", "[]"))
    with pytest.raises(DataFileError) as error:
        read_distress(path, ["fr", "en"])
    assert error.value.line == 13 and "violence" in error.value.message


def test_a_phrase_without_letters_names_the_line(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n" + KINDS_OK + "en:\n"
                  + KINDS_OK.replace("  medical: [e]\n", "  medical:\n    - e\n    - '!!'\n"))
    with pytest.raises(DataFileError) as error:
        read_distress(path, ["fr", "en"])
    assert error.value.line == 16 and "en.medical.1" in error.value.message
    assert str(error.value).startswith(f"{path}:16:")


def test_an_unknown_language_and_a_missing_one(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n" + KINDS_OK + "xx:\n" + KINDS_OK)
    with pytest.raises(DataFileError) as error:
        read_distress(path, ["fr", "en"])
    assert error.value.line == 9 and "xx" in error.value.message
    path = _write(tmp_path, "fr:\n" + KINDS_OK)
    with pytest.raises(DataFileError) as error:
        read_distress(path, ["fr", "en"])
    assert "en" in error.value.message


def test_an_unknown_kind_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, "fr:\n" + KINDS_OK + "  flood: [x]\nen:\n" + KINDS_OK)
    with pytest.raises(DataFileError) as error:
        read_distress(path, ["fr", "en"])
    assert "flood" in str(error.value)


async def test_secret_and_distress_gets_the_numbers_and_stays_secret(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation()
    result = await conversation.handle(Incoming("u1", text="mdp: Paris2024! je veux mourir"))
    keys = [k for r in result.replies for k in r.keys]
    assert result.secret
    assert keys[:3] == ["distress.intro", "distress.suicide", "distress.medical"]
    assert "privacy.secret_warning" not in keys


async def test_a_too_long_message_is_read_for_distress_first(
        make_conversation: Callable[..., Conversation]) -> None:
    conversation = make_conversation(lang="en")
    text = "I sleep outside with my kids. " + "I lost everything and " * 60
    result = await conversation.handle(Incoming("u2", text=text))
    keys = [k for r in result.replies for k in r.keys]
    assert "distress.shelter" in keys and "common.too_long" not in keys


async def test_the_model_is_a_second_net(make_conversation: Callable[..., Conversation],
                                        distress: Distress) -> None:
    conversation = make_conversation(lang="en")
    text = "i feel so alone and scared tonight"
    assert distress.detect(text) is None  # not by the phrase lists
    assert conversation.distress.model is not None  # the binary model is behind them
    result = await conversation.handle(Incoming("u3", text=text))
    keys = [k for r in result.replies for k in r.keys]
    assert keys[0] == "distress.intro" and "distress.emergency" in keys
