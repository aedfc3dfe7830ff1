"""Translators' tools: status per language, sync of missing keys, stamping, PO export/import.

Files are edited with ruamel.yaml's round trip, so translators' comments and key order stay.
A translated entry records the fingerprint of the French text it translates
(`{text: ..., source: <hash>}`); when the French changes, the entry shows as "to review".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.i18n import SOURCE_LANG, Catalog, Text, load_catalog, source_hash
from bot.translations_po import ImportReport, export_po, import_po
from bot.translations_state import stamp
from bot.translations_yaml import dump_rt, load_rt, position_after_previous

__all__ = ["ImportReport", "export_po", "import_po", "stamp", "status", "sync"]


@dataclass
class LanguageStatus:
    lang: str
    total: int
    translated: int
    missing: int
    to_review: int
    unsure: int

    def as_dict(self) -> dict[str, int | str]:
        return {"lang": self.lang, "total": self.total, "translated": self.translated,
                "missing": self.missing, "to_review": self.to_review, "unsure": self.unsure}


def status(catalog: Catalog, languages: list[str]) -> list[LanguageStatus]:
    source = catalog.entries[SOURCE_LANG]
    found = []
    for lang in languages:
        entries = catalog.entries.get(lang, {})
        translated = missing = to_review = unsure = 0
        for key, french in source.items():
            entry = entries.get(key)
            if entry is None:
                missing += 1
                continue
            if lang == SOURCE_LANG or entry.source == source_hash(french.text):
                translated += 1
            else:
                to_review += 1
            unsure += entry.unsure
        found.append(LanguageStatus(lang, len(source), translated, missing, to_review, unsure))
    return found


def format_status(rows: list[LanguageStatus]) -> str:
    lines = [f"{'lang':<5} {'translated':>10} {'missing':>8} {'to review':>9} {'unsure':>7}"]
    for r in rows:
        lines.append(f"{r.lang:<5} {r.translated:>10} {r.missing:>8} {r.to_review:>9} "
                     f"{r.unsure:>7}")
    return "\n".join(lines)


def _french_files(root: Path) -> list[Path]:
    return sorted((root / SOURCE_LANG).glob("*.yml"))


def _comment_for(text: Text) -> str:
    shown = text if isinstance(text, str) else text.get("other", "")
    return "fr: " + " ".join(shown.split())[:300]


def sync(root: Path, languages: list[str]) -> dict[str, int]:
    """Add every French key missing in a language, empty, with the French as a comment."""
    catalog = load_catalog(root)
    source = catalog.entries[SOURCE_LANG]
    added: dict[str, int] = {}
    for lang in languages:
        if lang == SOURCE_LANG:
            continue
        count = 0
        for french_file in _french_files(root):
            path = root / lang / french_file.name
            data = load_rt(path)
            french_keys = [k for k, e in source.items() if Path(e.file).name == french_file.name]
            changed = False
            for key in french_keys:
                if key in data:
                    continue
                position = position_after_previous(data, french_keys, key)
                data.insert(position, key, None, comment=_comment_for(source[key].text))
                count += 1
                changed = True
            if changed:
                dump_rt(data, path)
        added[lang] = count
    return added
