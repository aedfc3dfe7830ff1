"""Other names of a button, written by translators beside its label (the words on people's
papers: "récépissé", "ريسيبيسيه", "карта резидента"), so that typing them presses it.

In translations/<lang>/*.yml, under the label's key:

    eligibility.a.receipt: {text: "📄 إيصال (récépissé)", source: 4ea589fa8a}
    eligibility.a.receipt.synonyms: [ريسيبيسيه, رسيبيسه, وصل]

A list is not a translation of the French: it has no `source` fingerprint and each language
has its own (or none). French synonyms are understood in every language: people type the
French words they read on their papers. A synonym counts like the label, typos included
(bot/matching.py); `guide lint` checks that each one, typed alone, presses its own button.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bot.dialogue.loader import Dialogues
from bot.i18n import SOURCE_LANG, SYNONYMS_SUFFIX, Catalog, declared
from bot.matching import best_of, fold, option_score
from rules_engine.yamlfile import DataFileError, line_of, load_yaml

log = logging.getLogger(__name__)

SUFFIX = SYNONYMS_SUFFIX


def is_synonyms_key(key: str) -> bool:
    return key.endswith(SUFFIX)


@dataclass(frozen=True)
class Synonyms:
    """Per language, per label key, the synonyms as written; where each list is written."""

    by_lang: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    files: dict[tuple[str, str], Path] = field(default_factory=dict)

    def of(self, label: str, lang: str) -> tuple[str, ...]:
        return self.by_lang.get(lang, {}).get(label, ())

    def names(self, label: str, lang: str, shown: str, french: str) -> list[str]:
        """Every name a user of `lang` may type for the button `label`: its label as shown,
        its synonyms, and (in another language than French) the French label and synonyms."""
        found = [shown, *self.of(label, lang)]
        if lang != SOURCE_LANG:
            found += [french, *self.of(label, SOURCE_LANG)]
        return found


def read_synonyms(root: Path, skip_broken: bool = False) -> Synonyms:
    """Every `<label key>.synonyms` list of translations/<lang>/*.yml, checked: a list of
    texts with letters, one list per label and language. With `skip_broken` (the bot), a
    broken file of a translation is left out, as the catalogue leaves it out."""
    by_lang: dict[str, dict[str, tuple[str, ...]]] = {}
    files: dict[tuple[str, str], Path] = {}
    for lang in declared(root):
        table = by_lang.setdefault(lang, {})
        for path in sorted((root / lang).glob("*.yml")):
            skip = skip_broken and lang != SOURCE_LANG
            try:
                data = load_yaml(path)
            except DataFileError:
                if not skip:
                    raise
                continue  # the catalogue leaves the file out too, and logs it
            try:
                _read_file(path, data, table, files, lang)
            except DataFileError as exc:
                if not skip:
                    raise
                log.error("synonyms left out: %s", exc)
    return Synonyms(by_lang, files)


def _read_file(path: Path, data: Any, table: dict[str, tuple[str, ...]],
               files: dict[tuple[str, str], Path], lang: str) -> None:
    if not isinstance(data, dict):
        return  # the catalogue loader says what is wrong with such a file
    for key, value in data.items():
        key = str(key)
        if not is_synonyms_key(key):
            continue
        label = key.removesuffix(SUFFIX)
        if label in table:
            raise DataFileError(path, line_of(path, [key]), f"{key}: already "
                                f"written in {files[(lang, label)].name}")
        table[label] = _texts(path, key, value)
        files[(lang, label)] = path


def _texts(path: Path, key: str, value: object) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise DataFileError(path, line_of(path, [key]), f"{key}: expected a list of words, "
                            "e.g. [récépissé, recepisse]")
    for index, text in enumerate(value):
        if not isinstance(text, str) or not fold(text):
            raise DataFileError(path, line_of(path, [key, index]),
                                f"{key}: item {index + 1} ({text!r}) is not a word; quote "
                                "words YAML reads otherwise (\"yes\", \"no\", \"10\")")
    return tuple(value)


def check_synonyms(synonyms: Synonyms, catalog: Catalog, dialogues: Dialogues,
                   negations: dict[str, frozenset[str]], params: Mapping[str, Any]
                   ) -> Iterator[DataFileError]:
    """Each list is under a button's label; each synonym, typed alone, presses its own button
    at every question that shows it, in every language where it counts."""
    labels = {o.label for f in dialogues.flows.values() for s in f.steps.values()
              for o in s.options}
    for (_, label), path in sorted(synonyms.files.items()):
        if label not in labels:
            known = "is the label of no button in dialogues/" if catalog.has(label) \
                else "is no message key of the French source"
            yield DataFileError(path, line_of(path, [label + SUFFIX]),
                                f"{label}{SUFFIX}: '{label}' {known}")
    reported: set[tuple[str, str, str]] = set()
    for flow in dialogues.flows.values():
        for step_name, step in flow.steps.items():
            if not step.options:
                continue
            for lang in catalog.languages():
                if not any(synonyms.of(o.label, code) for o in step.options
                           for code in (lang, SOURCE_LANG)):
                    continue
                names = [synonyms.names(o.label, lang, catalog.render(o.label, lang, params),
                                        catalog.render(o.label, SOURCE_LANG, params))
                         for o in step.options]
                negative = negations.get(lang, frozenset()) | negations.get(SOURCE_LANG,
                                                                            frozenset())
                for index, option in enumerate(step.options):
                    for written_in in dict.fromkeys((lang, SOURCE_LANG)):
                        for text in synonyms.of(option.label, written_in):
                            if best_of(text, names, negative) == index:
                                continue
                            where = (written_in, option.label, text)
                            if where in reported:
                                continue
                            reported.add(where)
                            yield _ambiguous(synonyms, where, names, negative,
                                             [o.label for o in step.options],
                                             f"{flow.flow}.{step_name}", lang)


def _ambiguous(synonyms: Synonyms, where: tuple[str, str, str], names: list[list[str]],
               negations: frozenset[str], labels: list[str], step: str,
               lang: str) -> DataFileError:
    written_in, label, text = where
    path = synonyms.files[(written_in, label)]
    index = list(synonyms.of(label, written_in)).index(text)
    others = [labels[i] for i, texts in enumerate(names)
              if labels[i] != label and option_score(text, texts, negations) >= 1.0]
    reason = f"it also names {', '.join(others)}" if others else "it does not name it"
    return DataFileError(path, line_of(path, [label + SUFFIX, index]),
                         f"{label}{SUFFIX}: '{text}' would not press its button at {step} "
                         f"(language {lang}): {reason}")
