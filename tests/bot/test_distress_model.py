"""The binary distress model (bot/distress_model.py): what it trains on, how it scores, its
cache, and how bot/distress.py uses it behind the phrase lists."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot import distress_model as dm
from bot.distress import Distress, read_distress
from bot.distress_eval import model_net, nets_say_distress
from bot.nlu.types import IntentResult
from rules_engine.yamlfile import DataFileError

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
    (root / "distress_lookalikes.yml").write_text("en:\n  - the form is killing me\n",
                                                  encoding="utf-8")
    return root


def test_training_set_has_examples_not_and_lookalikes(tmp_path: Path) -> None:
    texts, labels = dm.training_set(_root(tmp_path))
    assert ("i want to die tonight", 1) in zip(texts, labels, strict=True)
    assert ("hello how are you", 0) in zip(texts, labels, strict=True)
    # the phrases are not positives (short fragments taught "short message = distress")
    assert "suicide phrase" not in texts
    assert ("the form is killing me", 0) in zip(texts, labels, strict=True)  # a look-alike
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


def test_the_model_reads_folded_messages_without_not_expressions(tmp_path: Path) -> None:
    lists = read_distress(_root(tmp_path) / "distress.yml", ["en"])
    seen: list[str] = []

    def model(text: str) -> bool:
        seen.append(text)
        return True

    with_model = Distress(lists.kinds, lists.false_alarms, model)
    # the kinds come from the phrases only: the conversation asks the model later, once a
    # step's own answers are ruled out
    assert with_model.kinds_in("I'm Dying to start!") == []
    assert not with_model.model_says("I'm Dying to start!")  # a look-alike, recognised
    assert with_model.model_says("I'm so Scared!")
    assert seen == ["im so scared"]  # folded
    assert not with_model.model_says("  ?! ")
    assert not lists.model_says("i want to die")  # no model, no opinion


def test_a_clear_topic_vetoes_the_model(tmp_path: Path) -> None:
    lists = read_distress(_root(tmp_path) / "distress.yml", ["en"])
    always = Distress(lists.kinds, lists.false_alarms, lambda _text: True)
    family = IntentResult("out_of_scope", 0.92, [])
    unsure = IntentResult("out_of_scope", 0.5, [])
    assert not model_net(always, "bring my wife and children", family, veto=0.85)
    assert model_net(always, "bring my wife and children", unsure, veto=0.85)
    assert model_net(always, "so scared tonight", IntentResult("distress", 0.9, []), 0.85)
    assert model_net(always, "so scared tonight", None, veto=0.85)


def test_lookalikes_file_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "distress_lookalikes.yml"
    path.write_text("en:\n  - fine\n  - '?!'\n", encoding="utf-8")
    with pytest.raises(DataFileError) as error:
        dm.read_lookalikes(path, ["en"])
    assert error.value.line == 3
    path.write_text("xx:\n  - fine\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="xx"):
        dm.read_lookalikes(path, ["en"])


def test_no_net_judges_a_recognised_look_alike(tmp_path: Path) -> None:
    lists = read_distress(_root(tmp_path) / "distress.yml", ["en"])
    always = Distress(lists.kinds, lists.false_alarms, lambda _text: True)
    sure = IntentResult("distress", 0.9, [])
    assert not nets_say_distress(always, "I'm dying to start", sure, 0.35, 0.85)
    assert nets_say_distress(always, "I'm so scared", None, 0.35, 0.85)
    assert nets_say_distress(lists, "I'm so scared", sure, 0.35, 0.85)  # the intent alone
