"""Translations: load translations/<lang>/*.yml and render a message key in a language.

French is the source language. A translated entry is either a plain text, a mapping of CLDR
plural categories (chosen by the `count` parameter), or a mapping
`{text: ..., source: <hash of the French text it translates>, unsure: true}`.
Dates and numbers are formatted by Babel for the user's locale.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

from rules_engine.parameters import PhoneNumber
from rules_engine.yamlfile import DataFileError, line_of, load_yaml

log = logging.getLogger(__name__)

SOURCE_LANG = "fr"
# `<label key>.synonyms: [...]`: other names of a button, read by bot/synonyms.py, not texts
SYNONYMS_SUFFIX = ".synonyms"
PLURAL_CATEGORIES = frozenset({"zero", "one", "two", "few", "many", "other"})
# First Strong Isolate / Pop Directional Isolate: keeps numbers, dates and Latin words in
# their order inside right-to-left sentences.
FSI, PDI = "\u2068", "\u2069"
# Left-to-Right Isolate: a phone number is read left to right whatever surrounds it
LRI = "\u2066"


def without_isolates(text: str) -> str:
    """The text without the invisible isolates (for a terminal or a test that reads words)."""
    return text.replace(FSI, "").replace(LRI, "").replace(PDI, "")


Text = str | dict[str, str]
# a run of Latin-script words (French terms, site names, URLs) inside a right-to-left text:
# words, and French terms in guillemets taken whole, both « and » (an isolate holding only
# one of them showed «identifiant oublié»»), with the spaces between them; punctuation at
# the end (a full stop, a colon) stays outside, with the right-to-left sentence
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿŒœ"
_WORD = rf"[{_LETTER}](?:[{_LETTER}0-9'’.:/\-–]*[{_LETTER}0-9])?"
_QUOTED = rf"«[ \u00a0\u202f]?{_WORD}(?:[ \u00a0\u202f,]+{_WORD})*[ \u00a0\u202f]?»"
_TERM = rf"(?:{_QUOTED}|{_WORD})"
_LATIN_RUN = re.compile(rf"{_TERM}(?:[ \u00a0\u202f]+{_TERM})*")
# symbols Unicode classes as left-to-right letters: flags (🇫🇷, two regional indicators),
# ℹ️, 🆘… First in a right-to-left label they turned it left to right (🇫🇷 on the left, the
# other buttons' emoji on the right): isolated, they no longer choose the direction
_LTR_SYMBOLS = "".join(
    chr(c) for c in [*range(0x2100, 0x2C00), *range(0x1F000, 0x1FB00)]
    if unicodedata.bidirectional(chr(c)) == "L"
    # ℹ is a letter-like symbol (Ll), not So
    and (unicodedata.category(chr(c)) == "So" or 0x2100 <= c < 0x2150))
_LTR_SYMBOL = re.compile(f"[{re.escape(_LTR_SYMBOLS)}]+\ufe0f?")


@dataclass(frozen=True)
class Entry:
    text: Text
    source: str | None = None
    unsure: bool = False
    file: str = ""


@dataclass
class Catalog:
    """All message entries, by language then key."""

    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)

    def languages(self) -> list[str]:
        """Languages with a catalogue, in the declared order."""
        return list(self.entries)

    def has(self, key: str, lang: str = SOURCE_LANG) -> bool:
        return key in self.entries.get(lang, {})

    def lookup(self, key: str, lang: str, second: str | None = None) -> Entry | None:
        """The entry in `lang`, else in the user's second language, else in French."""
        found = self.find(key, lang, second)
        return found[1] if found else None

    def find(self, key: str, lang: str, second: str | None = None) -> tuple[str, Entry] | None:
        for candidate in (lang, second, SOURCE_LANG):
            if candidate and key in self.entries.get(candidate, {}):
                return candidate, self.entries[candidate][key]
        return None

    def render(
        self,
        key: str,
        lang: str,
        params: Mapping[str, Any] | None = None,
        second: str | None = None,
    ) -> str:
        # a fallback text is formatted in its own language: plural rules, digits, direction
        found = self.find(key, lang, second) or self.find("common.missing_text", lang, second)
        if found is None:
            return "…"  # lint prevents this; never show a raw key to a user
        text_lang, entry = found
        return format_text(entry.text, text_lang, params or {})


def source_hash(text: Text) -> str:
    """A short, stable fingerprint of a French text, recorded by the entries translating it."""
    flat = text if isinstance(text, str) else "\n".join(f"{k}:{text[k]}" for k in sorted(text))
    return hashlib.sha256(flat.encode("utf-8")).hexdigest()[:10]


@functools.lru_cache(maxsize=64)
def locale(lang: str) -> Locale:
    return Locale.parse(lang)


@functools.lru_cache(maxsize=64)
def is_rtl(lang: str) -> bool:
    return bool(locale(lang).character_order == "right-to-left")


@functools.lru_cache(maxsize=64)
def plural_categories(lang: str) -> tuple[str, ...]:
    """The CLDR categories a count takes in `lang` (Babel), in CLDR order, `other` included.

    Counts here are whole numbers of days, characters or months: a category only fractions or
    millions reach (French "many" is 1 000 000) is left out; `other` is always there, as the
    fallback of every plural text.
    """
    rule = locale(lang).plural_form
    reached = {rule(n) for n in range(1001)} | {"other"}
    return tuple(c for c in ("zero", "one", "two", "few", "many", "other") if c in reached)


def language_name(lang: str, in_lang: str | None = None) -> str:
    """The language's name in its own script (or in `in_lang`), capitalised (Babel)."""
    name = locale(lang).get_display_name(in_lang or lang) or lang
    return name[:1].upper() + name[1:]


def format_value(value: Any, lang: str) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        shown = format_date(value, format="long", locale=locale(lang))
        # French writes the first day of a month "1er"; CLDR has no ordinal day
        return "1er" + shown[1:] if lang == "fr" and value.day == 1 else shown
    if isinstance(value, int | float):
        return format_decimal(value, locale=locale(lang))
    return str(value)


def placeholders(text: Text) -> set[str]:
    forms = [text] if isinstance(text, str) else list(text.values())
    names: set[str] = set()
    for form in forms:
        names |= _names_in(form)
    return names


@functools.lru_cache(maxsize=8192)
def _names_in(form: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(form) if name)


class _Params(dict[str, str]):
    def __missing__(self, key: str) -> str:
        # a value missing on this date (e.g. a parameter not yet in force): say nothing
        # rather than show braces; lint checks that every placeholder has a source
        log.warning("no value for placeholder %s", key)
        return "…"


@functools.lru_cache(maxsize=4096)
def isolate_latin(template: str) -> str:
    """Wrap Latin-script runs of a right-to-left template in isolates, placeholders aside."""
    parts = []
    for literal, name, spec, conversion in string.Formatter().parse(template):
        escaped = literal.replace("{", "{{").replace("}", "}}")
        escaped = _LTR_SYMBOL.sub(lambda m: f"{FSI}{m.group()}{PDI}", escaped)
        parts.append(_LATIN_RUN.sub(lambda m: f"{FSI}{m.group()}{PDI}", escaped))
        if name is not None:
            parts.append("{" + name + (f"!{conversion}" if conversion else "")
                         + (f":{spec}" if spec else "") + "}")
    return "".join(parts)


def format_text(text: Text, lang: str, params: Mapping[str, Any]) -> str:
    rtl = is_rtl(lang)
    if isinstance(text, dict):
        count = params.get("count", 0)
        category = locale(lang).plural_form(count if isinstance(count, int | float) else 0)
        text = text.get(category) or text["other"]
    if rtl:
        try:
            text = isolate_latin(text)
        except ValueError:
            return text
    try:
        wanted = _names_in(text)
    except ValueError:
        return text
    values = _Params()
    for name in wanted:
        if name not in params:
            continue
        value = params[name]
        shown = format_value(value, lang)
        opening = LRI if isinstance(value, PhoneNumber) else FSI
        values[name] = f"{opening}{shown}{PDI}" if rtl else shown
    try:
        return text.format_map(values)
    except (ValueError, IndexError, KeyError):
        # a translator's stray brace; lint reports it, users still get the words
        return text


def _parse_entry(raw: Any, path: Path, key: str) -> Entry:
    def bad(message: str) -> DataFileError:
        return DataFileError(path, line_of(path, [key]), f"{key}: {message}")

    source: str | None = None
    unsure = False
    if isinstance(raw, dict) and "text" in raw:
        extra = set(raw) - {"text", "source", "unsure"}
        if extra:
            raise bad(f"unknown field(s) {sorted(extra)}; allowed: text, source, unsure")
        source = None if raw.get("source") is None else str(raw["source"])
        unsure = bool(raw.get("unsure", False))
        raw = raw["text"]
    if isinstance(raw, str):
        text: Text = raw
    elif isinstance(raw, dict):
        if not raw or not set(raw) <= PLURAL_CATEGORIES or "other" not in raw:
            raise bad("plural forms need 'other' and only CLDR categories "
                      "(zero, one, two, few, many, other)")
        if not all(isinstance(v, str) for v in raw.values()):
            raise bad("every plural form must be a text")
        text = {str(k): str(v) for k, v in raw.items()}
    else:
        raise bad("expected a text, plural forms, or {text, source, unsure}")
    try:
        placeholders(text)
    except ValueError as exc:
        raise bad(f"broken placeholder braces ({exc})") from exc
    return Entry(text=text, source=source, unsure=unsure, file=str(path))


def _load_file(path: Path, earlier: dict[str, Entry]) -> dict[str, Entry]:
    data = load_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise DataFileError(path, 1, "expected a mapping of message keys to texts")
    entries: dict[str, Entry] = {}
    for key, raw in data.items():
        key = str(key)
        if key.endswith(SYNONYMS_SUFFIX):
            continue
        if key in earlier:
            raise DataFileError(path, line_of(path, [key]),
                                f"{key}: already defined in {earlier[key].file}")
        if raw is None:
            continue  # added by `guide translations sync`, not translated yet
        entries[key] = _parse_entry(raw, path, key)
    return entries


def load_language(folder: Path, skip_broken: bool = False) -> dict[str, Entry]:
    """A language's entries; with `skip_broken`, a broken file is left out (logged once)."""
    entries: dict[str, Entry] = {}
    for path in sorted(folder.glob("*.yml")):
        try:
            entries.update(_load_file(path, entries))
        except DataFileError as exc:
            if not skip_broken:
                raise
            # the message names file, line and the kind of mistake, never a user's text
            log.error("translation file left out, its texts are shown in French: %s", exc)
    return entries


def declared(root: Path) -> list[str]:
    """translations/languages.yml, or every folder when there is none (translators' tests)."""
    listed = root / "languages.yml"
    if not listed.exists():
        return sorted(p.name for p in root.iterdir() if p.is_dir())
    data = load_yaml(listed)
    languages = data.get("languages") if isinstance(data, dict) else None
    if not isinstance(languages, list) or not all(isinstance(x, str) for x in languages):
        raise DataFileError(listed, 1, "languages: expected a list of language codes")
    return [str(x) for x in languages]


def load_catalog(root: Path, skip_broken: bool = False) -> Catalog:
    """Every declared language, in the declared order (the order of the language picker).

    The bot passes `skip_broken`: a translator's broken file then costs its own texts (shown
    in French), not the whole bot; `guide lint` and the tests load strictly and fail.
    """
    catalog = Catalog()
    for lang in declared(root):
        folder = root / lang
        if not folder.is_dir():
            raise DataFileError(root / "languages.yml", None,
                                f"language '{lang}' is declared but {folder.name}/ is missing")
        catalog.entries[lang] = load_language(folder, skip_broken and lang != SOURCE_LANG)
    if SOURCE_LANG not in catalog.entries:
        raise DataFileError(root, None, f"the source language folder '{SOURCE_LANG}' is missing")
    return catalog
