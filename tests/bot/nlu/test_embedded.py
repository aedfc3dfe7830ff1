from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.nlu.data import read_examples
from bot.nlu.embedded import EmbeddedNlu, load_or_train, normalise
from bot.nlu.evaluate import report, score

HELDOUT = Path(__file__).parents[2] / "data" / "nlu_heldout"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_heldout_accuracy_is_at_least_90_percent(nlu: EmbeddedNlu, lang: str) -> None:
    examples = read_examples(HELDOUT / f"{lang}.yml", lang)
    assert len(examples) >= 23 * 10
    result = report(asyncio.run(score(nlu, examples, nlu.settings.threshold)))
    assert result["accuracy"] >= 0.90, result["confusions"][:10]


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
