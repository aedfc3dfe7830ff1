"""`guide lint` checks on the translations themselves: plural forms, missing keys."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from bot.i18n import SOURCE_LANG, Catalog, plural_categories
from rules_engine.yamlfile import DataFileError, line_of, load_yaml


def check_plurals(catalog: Catalog) -> Iterator[DataFileError]:
    """A plural text has every CLDR category its language gives whole numbers (Babel), or a
    Russian "8 символа" slips through: the `other` fallback is wrong for few and many."""
    source = catalog.entries[SOURCE_LANG]
    for lang in catalog.languages():
        needed = plural_categories(lang)
        for key, entry in catalog.entries[lang].items():
            french = source.get(key)
            if french is None:
                continue  # reported as an unknown key
            path = Path(entry.file)
            if isinstance(french.text, dict) != isinstance(entry.text, dict):
                kind = "plural forms" if isinstance(french.text, dict) else "a single text"
                yield DataFileError(path, line_of(path, [key]),
                                    f"{key}: the French is {kind}; so must the translation be")
                continue
            if isinstance(entry.text, dict):
                missing = [c for c in needed if c not in entry.text]
                if missing:
                    yield DataFileError(path, line_of(path, [key]),
                                        f"{key}: plural form(s) {missing} missing "
                                        f"({lang} needs {', '.join(needed)})")


def check_missing(catalog: Catalog) -> Iterator[DataFileError]:
    """Every French key is translated in every language (an empty entry left by
    `guide translations sync` counts as missing: the user would read French)."""
    source = catalog.entries[SOURCE_LANG]
    for lang in catalog.languages():
        if lang == SOURCE_LANG:
            continue
        entries = catalog.entries[lang]
        for key, french in source.items():
            if key in entries:
                continue
            french_path = Path(french.file)
            path = french_path.parent.parent / lang / french_path.name
            # a key left empty by `sync` has a line; an absent one has none
            empty = path.exists() and key in (load_yaml(path) or {})
            line = line_of(path, [key]) if empty else None
            yield DataFileError(path, line, f"{key}: missing (French: {SOURCE_LANG}/"
                                f"{french_path.name}:{line_of(french_path, [key])}); "
                                "`guide translations sync` adds it to translate")
