"""Read NLU examples in Rasa's YAML format (nlu_data/<lang>/*.yml, held-back test files)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rules_engine.yamlfile import DataFileError, line_of, load_yaml

# Rasa entity annotations: [text](entity) or [text]{"entity": ...}
_ANNOTATION = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")


@dataclass(frozen=True)
class Example:
    text: str
    intent: str
    lang: str
    file: str


def read_examples(path: Path, lang: str | None = None) -> list[Example]:
    """Every example of one Rasa NLU file, in file order."""
    data = load_yaml(path)
    language = lang or path.parent.name
    if not isinstance(data, dict) or not isinstance(data.get("nlu", []), list):
        raise DataFileError(path, 1, "expected Rasa NLU format: a mapping with an 'nlu' list")
    examples: list[Example] = []
    for index, item in enumerate(data.get("nlu") or []):
        if not isinstance(item, dict) or "intent" not in item:
            continue  # synonyms, regexes and lookups are Rasa's business
        block = item.get("examples")
        if not isinstance(block, str):
            raise DataFileError(path, line_of(path, ["nlu", index]),
                                f"intent '{item['intent']}': 'examples' must be a '|' block")
        for raw in block.splitlines():
            line = raw.strip()
            if not line:
                continue
            if not line.startswith("- "):
                raise DataFileError(path, line_of(path, ["nlu", index, "examples"]),
                                    f"intent '{item['intent']}': each example starts with '- ' "
                                    f"(found: {line[:40]!r})")
            text = _ANNOTATION.sub(r"\1", line[2:].strip())
            if text:
                examples.append(Example(text, str(item["intent"]), language, str(path)))
    return examples


def training_files(root: Path) -> list[Path]:
    return sorted(p for p in root.glob("*/*.yml"))


def read_training_data(root: Path) -> list[Example]:
    return [ex for path in training_files(root) for ex in read_examples(path)]


def read_negations(path: Path) -> dict[str, frozenset[str]]:
    """nlu_data/negations.yml: per language, the words that turn an answer into a no."""
    from pydantic import RootModel

    from bot.matching import fold
    from rules_engine.yamlfile import load_model

    table = load_model(RootModel[dict[str, list[str]]], path).root
    return {lang: frozenset(fold(w) for w in words) for lang, words in table.items()}
