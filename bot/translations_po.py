"""gettext PO export/import, the way Poedit, Weblate and Crowdin expect it.

One PO entry per message key: `msgctxt` is the key, `msgid` the French text (a plural key is a
gettext plural: `msgid` French "one", `msgid_plural` French "other", one `msgstr[i]` per CLDR
category of the language, in the order of the `Plural-Forms` Babel derives from CLDR).
"To review" (the French changed since) is the standard `fuzzy` flag; "unsure" is the
translator comment `# unsure`, which every PO editor keeps.

An import changes only the entries whose text or state changed (the YAML round trip keeps
every other byte), and takes the good entries while reporting each one it refuses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog as PoCatalog
from babel.messages.catalog import Message
from babel.messages.pofile import PoFileError, read_po, write_po
from babel.plural import to_gettext
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from bot.glossary import Glossary, entry_notes, read_glossary
from bot.i18n import (
    SOURCE_LANG,
    Entry,
    Text,
    load_catalog,
    locale,
    placeholders,
    source_hash,
)
from bot.translations_context import Limits, button_labels, label_limit, read_limits, too_long
from bot.translations_yaml import dump_rt, load_rt, position_after_previous
from rules_engine.yamlfile import DataFileError

UNSURE = "unsure"  # the translator comment (or flag) that marks an entry unsure
FUZZY = "fuzzy"


def gettext_categories(lang: str) -> list[str]:
    """CLDR categories in the order of the msgstr[i] of `plural_forms(lang)`."""
    tags = locale(lang).plural_form.tags
    return [c for c in ("zero", "one", "two", "few", "many", "other") if c in tags or c == "other"]


def plural_forms(lang: str) -> str:
    """The `Plural-Forms` header, from the language's CLDR rule (Babel)."""
    return to_gettext(locale(lang).plural_form)


@dataclass(frozen=True)
class _Context:
    """What the PO tells a translator beside the French, and what an import checks."""

    labels: frozenset[str]
    limits: Limits | None
    glossary: Glossary

    @classmethod
    def read(cls, root: Path) -> _Context:
        return cls(button_labels(), read_limits(root), read_glossary(root))

    def comments(self, key: str, french: Entry, lang: str) -> list[str]:
        found = [f"{Path(french.file).parent.name}/{Path(french.file).name}: {key}"]
        if key in self.labels and self.limits is not None:
            found.append(f"button label: at most {label_limit(self.limits, french.text)} "
                         "characters (a phone cuts longer ones)")
        return found + entry_notes(self.glossary, french, lang)

    def length_problem(self, key: str, french: Text, text: Text) -> tuple[bool, str] | None:
        """(refused?, why) for a button label longer than its limit."""
        if key not in self.labels or self.limits is None:
            return None
        over = too_long(self.limits, french, text)
        if over is None:
            return None
        length, limit = over
        refused = length > limit * self.limits.refuse_over
        return refused, (f"{length} characters for a button label of at most {limit} "
                         "(translations/limits.yml)")


def export_po(root: Path, lang: str) -> str:
    catalog = load_catalog(root)
    context = _Context.read(root)
    po = PoCatalog(locale=lang, project="france-travail-guide",
                   creation_date=datetime(2026, 1, 1), fuzzy=False)
    po.mime_headers = [("Plural-Forms", plural_forms(lang))]
    categories = gettext_categories(lang)
    translations = catalog.entries.get(lang, {})
    for key, french in catalog.entries[SOURCE_LANG].items():
        entry = translations.get(key)
        flags = [FUZZY] if entry is not None and entry.source != source_hash(french.text) else []
        comments = [UNSURE] if entry is not None and entry.unsure else []
        msgid: str | tuple[str, str]
        string: str | tuple[str, ...]
        if isinstance(french.text, dict):
            msgid = (french.text.get("one", french.text["other"]), french.text["other"])
            theirs = entry.text if entry is not None and isinstance(entry.text, dict) else {}
            string = tuple(theirs.get(c, "") for c in categories)
        else:
            msgid = french.text
            string = entry.text if entry is not None and isinstance(entry.text, str) else ""
        po.add(msgid, string=string, context=key, flags=flags, user_comments=comments,
               auto_comments=context.comments(key, french, lang))
    out = BytesIO()
    write_po(out, po, width=0, sort_output=False)
    return out.getvalue().decode("utf-8")


@dataclass
class Refused:
    line: int | None
    key: str
    reason: str


@dataclass
class ImportReport:
    """What an import did, entry by entry."""

    name: str
    taken: list[str] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    warned: list[Refused] = field(default_factory=list)  # taken, with a warning
    unchanged: int = 0

    def lines(self) -> list[str]:
        warned = {w.key: w.reason for w in self.warned}
        shown = [f"{self.name}: {key}: taken" + (f", but {warned[key]}" if key in warned else "")
                 for key in self.taken]
        shown += [f"{self.name}:{r.line}: {r.key}: refused, {r.reason}" if r.line
                  else f"{self.name}: {r.key}: refused, {r.reason}" for r in self.refused]
        shown.append(f"{len(self.taken)} entrie(s) taken, {len(self.refused)} refused, "
                     f"{self.unchanged} unchanged")
        return shown


@dataclass(frozen=True)
class _Wanted:
    text: Text
    fuzzy: bool
    unsure: bool


def _msgstr_line(po_lines: list[str], lineno: int | None) -> int | None:
    """The line of the entry's (first) msgstr: where the translator's mistake is."""
    if lineno is None:
        return None
    for number in range(lineno, len(po_lines) + 1):
        if po_lines[number - 1].startswith("msgstr"):
            return number
    return lineno


def _read(message: Message, french: Text, lang: str) -> Text | str | None:
    """The translation in a message; None if untranslated; a str reason if refused (prefixed)."""
    if isinstance(french, dict):
        if not isinstance(message.string, list | tuple):
            return "\0the French is a plural: expected msgid_plural and one msgstr per form"
        forms = dict(zip(gettext_categories(lang), message.string, strict=False))
        if not any(forms.values()):
            return None
        empty = [c for c, text in forms.items() if not text]
        if empty or len(message.string) != len(forms):
            return f"\0plural form(s) {empty} empty (needs {list(forms)})"
        return forms
    if isinstance(message.string, list | tuple):
        return "\0the French is not a plural: expected one msgstr"
    return message.string or None


def _check(text: Text, french: Text) -> str | None:
    try:
        found = placeholders(text)
    except ValueError as exc:
        return f"broken placeholder braces ({exc})"
    expected = placeholders(french)
    if found != expected:
        return f"placeholders {sorted(found)} differ from French {sorted(expected)}"
    return None


def import_po(root: Path, lang: str, po_text: str, name: str | None = None) -> ImportReport:
    """Write a translator's PO file back into translations/<lang>/, entry by entry."""
    name = name or f"{lang}.po"
    catalog = load_catalog(root)
    context = _Context.read(root)
    source = catalog.entries[SOURCE_LANG]
    current = catalog.entries.get(lang, {})
    try:
        po = read_po(BytesIO(po_text.encode("utf-8")), locale=lang, abort_invalid=True)
    except PoFileError as exc:
        raise DataFileError(name, exc.lineno + 1, f"not a valid PO file: {exc}") from exc
    po_lines = po_text.splitlines()
    report = ImportReport(name)
    wanted: dict[str, _Wanted] = {}
    for message in po:
        if not message.id:
            continue  # the header
        key = str(message.context or "")
        line = _msgstr_line(po_lines, message.lineno)
        if key not in source:
            report.refused.append(Refused(line, key or str(message.id),
                                          "no such key in the French source (msgctxt)"))
            continue
        french = source[key].text
        read = _read(message, french, lang)
        if read is None:
            continue
        if isinstance(read, str) and read.startswith("\0"):
            report.refused.append(Refused(line, key, read[1:]))
            continue
        problem = _check(read, french)
        if problem:
            report.refused.append(Refused(line, key, problem))
            continue
        unsure = UNSURE in message.user_comments or UNSURE in message.flags
        state = _Wanted(read, message.fuzzy, unsure)
        old = current.get(key)
        if old is not None and (old.text, old.unsure, old.source != source_hash(french)) == (
                read, unsure, message.fuzzy):
            report.unchanged += 1
            continue
        length = context.length_problem(key, french, read)
        if length is not None and (old is None or old.text != read):
            refused, why = length
            if refused:
                report.refused.append(Refused(line, key, why))
                continue
            report.warned.append(Refused(line, key, why))
        wanted[key] = state
    _write(root, lang, source, current, wanted)
    report.taken = list(wanted)
    return report


def _quoted(text: Text, old: Any) -> Any:
    if isinstance(text, str):
        return DoubleQuotedScalarString(text)
    forms = old if isinstance(old, CommentedMap) else CommentedMap()
    for category in list(forms):
        if category not in text:
            del forms[category]
    for category in ("zero", "one", "two", "few", "many", "other"):
        if category in text and forms.get(category) != text[category]:
            forms[category] = DoubleQuotedScalarString(text[category])
    return forms


def _write(root: Path, lang: str, source: dict[str, Entry], current: dict[str, Entry],
           wanted: dict[str, _Wanted]) -> None:
    by_file: dict[str, list[str]] = {}
    for key in wanted:
        by_file.setdefault(Path(source[key].file).name, []).append(key)
    for name, keys in by_file.items():
        path = root / lang / name
        data = load_rt(path)
        order = [k for k, e in source.items() if Path(e.file).name == name]
        for key in keys:
            want, old = wanted[key], current.get(key)
            fingerprint = source_hash(source[key].text)
            if not want.fuzzy:
                new_source: str | None = fingerprint
            elif old is not None and old.source != fingerprint:
                new_source = old.source  # still to review against the same French
            else:
                new_source = None  # marked fuzzy by the translator: to review
            value = data.get(key)
            if not (isinstance(value, CommentedMap) and "text" in value):
                value = CommentedMap([("text", None)])
                value.fa.set_flow_style()
                if key in data:
                    data[key] = value
                else:
                    data.insert(position_after_previous(data, order, key), key, value)
            if old is None or old.text != want.text or value["text"] is None:
                value["text"] = _quoted(want.text, value["text"])
            _set_field(value, "unsure", True if want.unsure else None)
            _set_field(value, "source", new_source)
        dump_rt(data, path)


def _set_field(value: CommentedMap, name: str, wanted: Any) -> None:
    if wanted is None:
        value.pop(name, None)
    elif value.get(name) != wanted:
        if name == "unsure" and "source" in value:
            value.insert(list(value).index("source"), name, wanted)
        else:
            value[name] = wanted
