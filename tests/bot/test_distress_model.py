"""The binary distress model (bot/distress_model.py): what it trains on, how it scores, its
cache, and how bot/distress.py uses it behind the phrase lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import distress_model as dm
from bot.distress import UNKNOWN_KIND, Distress, read_distress

KINDS = ("suicide", "shelter", "violence", "women", "child", "medical", "urgent")


def _root(tmp_path: Path) -> Path:
    """A tiny nlu_data/: one language, a phrase per kind, a few examples."""
    root = tmp_path / "nlu_data"
    (root / "en").mkdir(parents=True)
    phrases = "\n".join(f"  {kind}: [{kind} phrase]" for kind in KINDS)
    (root / "distress.yml").write_text(f"en:\n{phrases}\n  not: [dying to]\n",
                                       encoding="utf-8")
    (root / "en" / "a.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: distress\n  examples: |\n'
        "    - i want to die tonight\n    - they beat me in the street\n"
        "    - i sleep outside with my kids\n    - my husband hits me every night\n"
        "- intent: greet\n  examples: |\n"
        "    - hello how are you\n    - good morning to you\n    - hi there friend\n"
        "    - i want to register\n    - where is my adviser\n", encoding="utf-8")
    return root


def test_training_set_has_examples_phrases_and_not(tmp_path: Path) -> None:
    texts, labels = dm.training_set(_root(tmp_path))
    assert ("i want to die tonight", 1) in zip(texts, labels, strict=True)
    assert ("hello how are you", 0) in zip(texts, labels, strict=True)
    assert ("suicide phrase", 1) in zip(texts, labels, strict=True)  # a phrase, `*` removed
    assert ("dying to", 0) in zip(texts, labels, strict=True)  # a `not:` expression


def test_scores_distress_above_ordinary(tmp_path: Path) -> None:
    model = dm.fit(*dm.training_set(_root(tmp_path)), threshold=0.5)
    assert model.probability("i want to die") > model.probability("hello good morning")
    assert model.says_distress("they beat me and i want to die")
    assert not model.says_distress("hello good morning friend")


def test_one_word_is_left_to_the_lists(tmp_path: Path) -> None:
    model = dm.fit(*dm.training_set(_root(tmp_path)), threshold=0.0)
    assert model.probability("die") == 0.0
    assert model.probability("   ") == 0.0


def test_cached_and_rebuilt_when_unreadable(tmp_path: Path) -> None:
    root, cache = _root(tmp_path), tmp_path / "cache"
    first = dm.load_or_train(root, cache, 0.4)
    [cached] = list(cache.glob("distress-model-*.joblib"))
    again = dm.load_or_train(root, cache, 0.7)
    assert again.threshold == 0.7  # the threshold comes from config.yml, not the cache
    assert again.probability("i want to die") == pytest.approx(first.probability("i want to die"))
    cached.write_bytes(b"not a model")
    rebuilt = dm.load_or_train(root, cache, 0.4)
    assert rebuilt.probability("i want to die") == pytest.approx(first.probability("i want to die"))


def test_new_training_data_means_a_new_cache(tmp_path: Path) -> None:
    root, cache = _root(tmp_path), tmp_path / "cache"
    dm.load_or_train(root, cache, 0.4)
    with (root / "en" / "a.yml").open("a", encoding="utf-8") as file:
        file.write("    - see you tomorrow\n")
    dm.load_or_train(root, cache, 0.4)
    assert len(list(cache.glob("distress-model-*.joblib"))) == 1  # the old one removed


def test_distress_asks_the_model_only_when_no_phrase_is_found(tmp_path: Path) -> None:
    lists = read_distress(_root(tmp_path) / "distress.yml", ["en"])
    seen: list[str] = []

    def model(text: str) -> bool:
        seen.append(text)
        return True

    with_model = Distress(lists.kinds, lists.false_alarms, model)
    assert with_model.kinds_in("the shelter phrase") == ["shelter"]
    assert seen == []
    assert with_model.kinds_in("I'm Dying to start!") == [UNKNOWN_KIND]
    assert seen == ["im start"]  # folded, without the `not:` expression
    assert with_model.kinds_in("  ?! ") == []
    assert Distress(lists.kinds, lists.false_alarms).kinds_in("im start") == []
