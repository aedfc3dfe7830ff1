from __future__ import annotations

import numpy as np

from bot.nlu.embedded import EmbeddedNlu
from bot.nlu.language import _probabilities, script


def test_scripts() -> None:
    assert script("bonjour") == "latin"
    assert script("مرحبا") == "arabic"
    assert script("Привіт") == "cyrillic"
    assert script("ሰላም") == "ethiopic"
    assert script("123 !!") is None


def test_french_words_inside_another_script_do_not_make_it_latin() -> None:
    assert script("який телефон у france travail?") == "cyrillic"
    assert script("نسيت mot de passe تبع france travail") == "arabic"
    assert script("j'ai un récépissé, on m'a dit مرحبا") == "latin"  # a borrowed word only


def test_fast_probabilities_equal_the_pipeline(nlu: EmbeddedNlu) -> None:
    for model in nlu.detector.models.values():
        for text in ["je veux m'inscrire", "i forgot my password", "مرحبا كيف الحال",
                     "как зарегистрироваться", "як зареєструватися"]:
            assert np.allclose(_probabilities(model, text), model.predict_proba([text])[0])


def test_detection_of_long_clear_messages(nlu: EmbeddedNlu) -> None:
    detector = nlu.detector
    assert detector.detect("je voudrais m'inscrire à France Travail").lang == "fr"
    assert detector.detect("I would like to register with France Travail").lang == "en"
    assert detector.detect("ሰላም ከመይ ኣለኹም ኣብ France Travail ክምዝገብ ደልየ").lang == "ti"
    assert not detector.detect("hello").sure()  # one short word: never
