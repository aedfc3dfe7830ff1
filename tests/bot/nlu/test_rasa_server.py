"""RasaNlu against a REAL Rasa server (`bash scripts/rasa.sh up`), at $GUIDE_RASA_URL.

Skipped when no Rasa server answers there: the suite never needs Rasa installed.
"""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from bot.nlu.data import read_examples
from bot.nlu.evaluate import report, score
from bot.nlu.rasa import RasaNlu, default_url
from bot.nlu.types import FALLBACK_INTENT

HELDOUT = Path(__file__).parents[2] / "data" / "nlu_heldout"
TRAINING = Path(__file__).parents[3] / "nlu_data"


def _rasa_answers(url: str) -> str | None:
    """Why the tests cannot run, or None when a Rasa server with a model answers."""
    try:
        response = httpx.get(f"{url}/status", timeout=2.0, trust_env=False)
        response.raise_for_status()
        status = response.json()
    except (httpx.HTTPError, ValueError) as exc:
        return (f"no Rasa server answers at {url} ({type(exc).__name__}); start one with "
                f"'bash scripts/rasa.sh up' or set GUIDE_RASA_URL")
    if not isinstance(status, dict) or not status.get("model_file"):
        return f"the server at {url} has no model loaded"
    return None


@pytest.fixture(scope="module")
def url() -> str:
    address = default_url()
    reason = _rasa_answers(address)
    if reason:
        pytest.skip(reason)
    return address


async def test_parse_answers_with_a_ranking(url: str) -> None:
    async with RasaNlu(url) as rasa:  # no fallback: any failure raises
        result = await rasa.parse("hello", "en")
    assert result.name == "greet"
    assert 0.0 < result.confidence <= 1.0
    names = [name for name, _ in result.ranking]
    assert names[0] == "greet" and len(names) > 1
    confidences = [c for _, c in result.ranking]
    assert confidences == sorted(confidences, reverse=True)


async def test_training_examples_are_recognised(url: str) -> None:
    """Rasa has seen these: nearly all must come back as their own intent."""
    examples = [ex for path in sorted(TRAINING.glob("*/*.yml"))
                for ex in read_examples(path)][::50]  # ~180 of them, every language
    async with RasaNlu(url) as rasa:
        result = report(await score(rasa, examples, 0.0))
    assert result["accuracy"] >= 0.95, result["confusions"][:10]


@pytest.mark.parametrize("lang", ["fr", "en"])
async def test_heldout_accuracy(url: str, lang: str) -> None:
    examples = read_examples(HELDOUT / f"{lang}.yml", lang)
    async with RasaNlu(url) as rasa:
        result = report(await score(rasa, examples, 0.45))
    assert result["accuracy"] >= 0.85, result["confusions"][:10]


async def test_gibberish_and_empty_text(url: str) -> None:
    async with RasaNlu(url) as rasa:
        empty = await rasa.parse("")
        assert empty.name == FALLBACK_INTENT and empty.confidence == 0.0
        emoji = await rasa.parse("🙂🙂🙂")
        assert emoji.name == FALLBACK_INTENT and emoji.confidence == 0.0
        nonsense = await rasa.parse("xqzv wwkp")
    assert nonsense.name == FALLBACK_INTENT or nonsense.confidence < 0.9
