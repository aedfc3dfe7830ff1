"""Translators' tools: status per language, sync of missing keys, stamping, PO export/import.

Files are edited with ruamel.yaml's round trip, so translators' comments and key order stay.
A translated entry records the fingerprint of the French text it translates
(`{text: ..., source: <hash>}`); when the French changes, the entry shows as "to review".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import StringIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.pofile import read_po, write_po
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap

from bot.i18n import SOURCE_LANG, Catalog, Entry, Text, load_catalog, placeholders, source_hash
from rules_engine.yamlfile import DataFileError

PLURAL_SEPARATOR = "#"


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


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


def _load_rt(path: Path) -> CommentedMap:
    if not path.exists():
        return CommentedMap()
    data = _yaml().load(path.read_text(encoding="utf-8"))
    if data is None:
        return CommentedMap()
    if not isinstance(data, CommentedMap):
        raise DataFileError(path, 1, "expected a mapping of message keys to texts")
    return data


def _dump_rt(data: CommentedMap, path: Path) -> None:
    out = StringIO()
    _yaml().dump(data, out)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(out.getvalue(), encoding="utf-8")
    temporary.replace(path)


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
            data = _load_rt(path)
            french_keys = [k for k, e in source.items() if Path(e.file).name == french_file.name]
            changed = False
            for key in french_keys:
                if key in data:
                    continue
                position = _position_after_previous(data, french_keys, key)
                data.insert(position, key, None, comment=_comment_for(source[key].text))
                count += 1
                changed = True
            if changed:
                _dump_rt(data, path)
        added[lang] = count
    return added


def _position_after_previous(data: CommentedMap, order: list[str], key: str) -> int:
    keys = list(data.keys())
    for previous in reversed(order[: order.index(key)]):
        if previous in data:
            return keys.index(previous) + 1
    return len(keys)


def stamp(root: Path, lang: str) -> int:
    """Record, on each entry with no fingerprint, that it translates the current French."""
    catalog = load_catalog(root)
    source = catalog.entries[SOURCE_LANG]
    count = 0
    for path in sorted((root / lang).glob("*.yml")):
        data = _load_rt(path)
        changed = False
        for key in list(data.keys()):
            value = data[key]
            if value is None or key not in source:
                continue
            if isinstance(value, dict) and "text" in value:
                if value.get("source") is None:
                    value["source"] = source_hash(source[key].text)
                    changed = True
                    count += 1
                continue
            entry = CommentedMap([("text", value), ("source", source_hash(source[key].text))])
            entry.fa.set_flow_style()
            data[key] = entry
            changed = True
            count += 1
        if changed:
            _dump_rt(data, path)
    return count


# ---- gettext PO ----------------------------------------------------------------------


def _forms(text: Text) -> dict[str, str]:
    return {"": text} if isinstance(text, str) else dict(text)


def export_po(root: Path, lang: str) -> str:
    catalog = load_catalog(root)
    po = PoCatalog(locale=lang, project="france-travail-guide",
                   creation_date=datetime(2026, 1, 1), fuzzy=False)
    translations = catalog.entries.get(lang, {})
    for key, french in catalog.entries[SOURCE_LANG].items():
        entry = translations.get(key)
        current = entry is not None and entry.source == source_hash(french.text)
        theirs = _forms(entry.text) if entry is not None else {}
        for form, text in _forms(french.text).items():
            context = key if not form else f"{key}{PLURAL_SEPARATOR}{form}"
            flags = [] if current or entry is None else ["fuzzy"]
            po.add(text, string=theirs.get(form, ""), context=context,
                   auto_comments=[key], flags=flags)
    out = StringIO()
    buffer = _BytesSink(out)
    write_po(buffer, po, width=0, sort_output=False)
    return out.getvalue()


class _BytesSink:
    """write_po writes bytes; keep them as text for the caller."""

    def __init__(self, out: StringIO) -> None:
        self.out = out

    def write(self, data: bytes) -> int:
        self.out.write(data.decode("utf-8"))
        return len(data)


def import_po(root: Path, lang: str, po_text: str) -> int:
    """Write a translator's PO file back into translations/<lang>/; refuse bad placeholders."""
    catalog = load_catalog(root)
    source = catalog.entries[SOURCE_LANG]
    po = read_po(StringIO(po_text), locale=lang)
    collected: dict[str, dict[str, str]] = {}
    for message in po:
        if not message.id or not message.context or not message.string:
            continue
        key, _, form = str(message.context).partition(PLURAL_SEPARATOR)
        if key not in source:
            raise DataFileError(f"{lang}.po", message.lineno,
                                f"{key}: no such key in the French source")
        collected.setdefault(key, {})[form] = str(message.string)
    for key, forms in collected.items():
        text: Text = forms.get("", forms)
        expected, found = placeholders(source[key].text), placeholders(text)
        if expected != found:
            raise DataFileError(f"{lang}.po", None,
                                f"{key}: placeholders {sorted(found)} differ from French "
                                f"{sorted(expected)}; nothing was imported")
    return _write_entries(root, lang, source, collected)


def _write_entries(root: Path, lang: str, source: dict[str, Entry],
                   collected: dict[str, dict[str, str]]) -> int:
    by_file: dict[str, list[str]] = {}
    for key in collected:
        by_file.setdefault(Path(source[key].file).name, []).append(key)
    for name, keys in by_file.items():
        path = root / lang / name
        data = _load_rt(path)
        order = [k for k, e in source.items() if Path(e.file).name == name]
        for key in keys:
            forms = collected[key]
            text: Any = forms[""] if "" in forms else CommentedMap(forms)
            entry = CommentedMap([("text", text), ("source", source_hash(source[key].text))])
            entry.fa.set_flow_style()
            if key in data:
                data[key] = entry
            else:
                data.insert(_position_after_previous(data, order, key), key, entry)
        _dump_rt(data, path)
    return len(collected)
