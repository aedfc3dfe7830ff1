"""translations/glossary.yml: the approved word for each term of the procedure, per language.

`guide lint` warns where a translation of a French text using a term contains none of the
language's approved words; the PO export shows an entry's terms to the translator.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from bot.i18n import SOURCE_LANG, Catalog, Entry, Text
from bot.translations_yaml import key_lines
from rules_engine.yamlfile import line_of, load_model

GLOSSARY_FILE = "glossary.yml"


class Glossary(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    # term -> language -> approved words (for `fr`: what marks the term in the French)
    terms: dict[str, dict[str, list[str]]] = Field(default_factory=dict)

    def in_french(self, text: Text) -> list[str]:
        """The glossary terms a French text uses."""
        return [term for term, langs in self.terms.items()
                if any(word.casefold() in _flat(text) for word in langs.get(SOURCE_LANG, []))]


def _flat(text: Text) -> str:
    return (text if isinstance(text, str) else " ".join(text.values())).casefold()


def read_glossary(root: Path) -> Glossary:
    """The glossary of translations/; an empty one when the file is not there."""
    path = root / GLOSSARY_FILE
    return load_model(Glossary, path) if path.exists() else Glossary()


def entry_notes(glossary: Glossary, french: Entry, lang: str) -> list[str]:
    """`glossary: actualisation = ወርሓዊ ጸብጻብ`, for each term of the entry with words in lang."""
    return [f"glossary: {term} = {' / '.join(glossary.terms[term][lang])}"
            for term in glossary.in_french(french.text) if glossary.terms[term].get(lang)]


def glossary_warnings(catalog: Catalog, glossary: Glossary, root: Path) -> Iterator[str]:
    path = root / GLOSSARY_FILE
    lines: dict[Path, dict[str, int]] = {}
    for key, french in catalog.entries[SOURCE_LANG].items():
        terms = glossary.in_french(french.text)
        if not terms:
            continue
        for lang in catalog.languages():
            entry = catalog.entries[lang].get(key)
            if lang == SOURCE_LANG or entry is None:
                continue
            for term in terms:
                approved = glossary.terms[term].get(lang)
                if approved and not any(w.casefold() in _flat(entry.text) for w in approved):
                    file = Path(entry.file)
                    if file not in lines:
                        lines[file] = key_lines(file)
                    yield (f"{file}:{lines[file].get(key)}: {key}: glossary: '{term}' is "
                           f"written here without {approved} ({path}:"
                           f"{line_of(path, ['terms', term, lang])})")
