from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.nlu.data import read_examples
from bot.nlu.embedded import EmbeddedNlu, load_or_train, normalise
from bot.nlu.evaluate import report, score

HELDOUT = Path(__file__).parents[2] / "data" / "nlu_heldout"
HELDOUT_NEW = HELDOUT.parent / "nlu_heldout_new"
# Accuracy on both held-back sets (written apart from nlu_data/, no line in common; at least
# 16 per intent and language), measured 2026-12-04 after the last training change: fr 96.1,
# en 93.7, ar 92.5, fa 93.8, ps 94.7, ru 94.3, uk 95.1, ti 94.3 %. The goal is 95 % in every
# language; these floors, about two points under, guard against a regression.
FLOORS = {"fr": 0.935, "en": 0.91, "ar": 0.90, "fa": 0.91, "ps": 0.92, "ru": 0.915,
          "uk": 0.925, "ti": 0.915}


@pytest.mark.parametrize("lang", sorted(FLOORS))
def test_heldout_accuracy_floor(nlu: EmbeddedNlu, lang: str) -> None:
    examples = (read_examples(HELDOUT / f"{lang}.yml", lang)
                + read_examples(HELDOUT_NEW / f"{lang}.yml", lang))
    assert len(examples) >= 600
    result = report(asyncio.run(score(nlu, examples, nlu.settings.threshold)))
    assert result["accuracy"] >= FLOORS[lang], result["confusions"][:10]


def test_normalise_folds_case_accents_and_spaces() -> None:
    assert normalise("  Déjà   INSCRIT à Pôle\u2019emploi ") == "deja inscrit a pole'emploi"
    assert normalise("") == ""


def test_low_confidence_is_reported_as_fallback(nlu: EmbeddedNlu) -> None:
    result = report(asyncio.run(score(nlu, [], nlu.settings.threshold)))
    assert result["n"] == 0
    parsed = nlu.parse_sync("🙂🙂🙂")
    assert parsed.confidence < nlu.settings.threshold


def _write(folder: Path, intent_examples: dict[str, list[str]]) -> None:
    (folder / "xx").mkdir(parents=True, exist_ok=True)
    body = "".join(f"- intent: {name}\n  examples: |\n" + "".join(f"    - {e}\n" for e in ex)
                   for name, ex in intent_examples.items())
    (folder / "xx" / "data.yml").write_text(f'version: "3.1"\nnlu:\n{body}', encoding="utf-8")
    (folder / "config.yml").write_text("threshold: 0.4\nfloor: 0.1\n", encoding="utf-8")


def test_model_is_cached_and_retrained_when_data_changes(tmp_path: Path) -> None:
    data, cache = tmp_path / "nlu", tmp_path / "cache"
    _write(data, {"greet": ["hello", "hi there", "good morning"],
                  "goodbye": ["bye", "see you later", "good night"]})
    messages: list[str] = []
    first = load_or_train(data, cache, messages.append)
    assert first.parse_sync("hello").name == "greet"
    assert any("Training" in m for m in messages)
    messages.clear()
    load_or_train(data, cache, messages.append)
    assert messages == []  # reused from the cache
    _write(data, {"greet": ["hello", "hi there"], "thanks": ["thank you", "thanks a lot"],
                  "goodbye": ["bye", "see you"]})
    retrained = load_or_train(data, cache, messages.append)
    assert any("Training" in m for m in messages)
    assert "thanks" in retrained.labels
    assert len(list(cache.glob("*.joblib"))) == 1


def test_fast_scoring_equals_the_pipeline(nlu: EmbeddedNlu) -> None:
    import numpy as np

    for text in ["je veux m'inscrire a pole emploi", "I forgot my password", "radiation ???"]:
        cleaned = normalise(text)
        expected = nlu.pipeline.predict_proba([cleaned])[0]
        assert np.allclose(nlu.probabilities(cleaned), expected)
