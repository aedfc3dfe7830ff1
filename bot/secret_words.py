"""Passwords in a message, by shape AND context (cue words in nlu_data/privacy.yml).

A sentence ABOUT a password ("mon mot de passe est refusé", "my password is wrong") is no
secret; a message that GIVES one is ("mon mdp c Samira2024", "پسوردم sunshine99"): a cue word,
maybe a few link words, then a token shaped like a password. Without a cue, only a token with
the full typical shape (upper and lower case, digit, symbol, 8 or more) is one, or a message
that is a single letters-and-digits token of 8 or more ("Ahmed2023").
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, RootModel

from bot.languages import check_languages
from bot.matching import fold
from rules_engine.yamlfile import DataFileError, line_of, load_model

STRONG_MIN = 8   # the typical password: upper, lower, digit, symbol, this long
LONE_MIN = 8     # a message of one letters-and-digits token this long
CUE_MIN = 4      # after a cue, a token this long is enough
DIGITS_CODE_MIN = 6  # "mdp: 123456": a numeric code, after a cue only
MAX_LINKS = 4    # link words skipped between a cue and the password
_EDGES = "\"'«»“”„()[]{}<>"
# sentence marks of every script: "؟" "،" (Arabic), "።" "፡" "፧" "፣" (Ethiopic)
_TRAILING = ".,;:?…؟،؛።፡፧፣"
_TRAILING_ABOUT = _TRAILING + "!"  # "bloqué!!!" says something; "Paris2024!" is the password
_LETTER_RUN = re.compile(r"[^\W\d_]+")
_QUANTITY = re.compile(r"^\d+[^\W\d_]{0,8}$")  # "1200heures", "8caractères", "2ème"
# Arabic written in Latin letters uses digits for sounds Latin lacks (3 ع, 7 ح, 2 ء…):
# "ba3ref" is "I know". A short lower-case word whose digits stand alone among letters
_ARABIZI = re.compile(r"^(?:[a-z]*[235679](?![0-9]))+[a-z]*$")
_ARABIZI_MAX = 8
# addresses and file names ("ATTESTATION2024.pdf") are no passwords
_WEB = re.compile(r"@\S*\.|https?:|www\.|\.(?:fr|com|org|net|gouv)\b"
                  r"|\.(?:pdf|jpe?g|png|heic|docx?|txt)$", re.I)
_PAD = re.compile(r"([:=])")
_IDENTIFIER = re.compile(r"^\d{7,11}[A-Za-z]?$")


class LanguageWords(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cues: list[str] = Field(min_length=1)
    links: list[str] = Field(default_factory=list)
    not_passwords: list[str] = Field(default_factory=list)
    # words naming the France Travail identifier: then a number of 7 digits or more is one
    identifier_cues: list[str] = Field(default_factory=list)


class PrivacyFile(RootModel[dict[str, LanguageWords]]):
    pass


@dataclass(frozen=True)
class PasswordWords:
    """The folded cues (as word tuples), links and not-password words of all languages."""

    cues: frozenset[tuple[str, ...]] = field(default_factory=frozenset)
    links: frozenset[str] = field(default_factory=frozenset)
    not_passwords: frozenset[str] = field(default_factory=frozenset)
    identifier_cues: frozenset[tuple[str, ...]] = field(default_factory=frozenset)

    def password_like(self, token: str, after_cue: bool) -> bool:
        word = token.strip(_EDGES).rstrip(_TRAILING_ABOUT).strip(_EDGES)
        if len(word) < CUE_MIN or _WEB.search(word):
            return False
        runs = _LETTER_RUN.findall(word)
        if not runs:  # "123456" after "mdp:" is the old six-digit code
            return after_cue and word.isdigit() and len(word) >= DIGITS_CODE_MIN
        has_digit = any(c.isdigit() for c in word)
        has_symbol = any(not c.isalnum() and c not in "'’" for c in word)
        if not (has_digit or has_symbol) or _QUANTITY.match(word):
            return False
        if len(word) <= _ARABIZI_MAX and _ARABIZI.match(word):
            return False
        # "Covid19", "Pass2Emploi", "9h00-17h00", "refusé/bloqué": only known words
        return not all(len(r) == 1 or fold(r) in self.not_passwords for r in runs)

    def strong(self, token: str) -> bool:
        word = token.strip(_EDGES).rstrip(_TRAILING).strip(_EDGES)
        return (len(word) >= STRONG_MIN and any(c.isupper() for c in word)
                and any(c.islower() for c in word) and any(c.isdigit() for c in word)
                # a hyphen joins names and hours ("Jean-Pierre", "9h-17h"): no symbol here
                and any(not c.isalnum() and c not in "'’-" for c in word)
                and self.password_like(word, after_cue=False))

    def gives_password(self, text: str) -> bool:
        tokens = _PAD.sub(r" \1 ", text).split()
        if len(tokens) == 1:
            word = tokens[0]
            if (len(word) >= LONE_MIN and any(c.isdigit() for c in word)
                    and any(c.islower() for c in word) and self.password_like(word, False)):
                return True
        if any(self.strong(t) for t in tokens):
            return True
        # each folded word, with the token it comes from ("mot-de-passe" gives three)
        words: list[tuple[str, int]] = [(w, i) for i, t in enumerate(tokens)
                                        for w in fold(t).split()]
        plain = [w for w, _ in words]
        longest = max((len(c) for c in self.cues | self.identifier_cues), default=0)
        for start in range(len(plain)):
            for size in range(1, min(longest, len(plain) - start) + 1):
                cue = tuple(plain[start:start + size])
                test = (self.password_like if cue in self.cues
                        else _identifier if cue in self.identifier_cues else None)
                if test is None:
                    continue
                first, last = words[start][1], words[start + size - 1][1]
                if (self._given(tokens, range(last + 1, len(tokens)), test)
                        or self._given(tokens, range(first - 1, -1, -1), test)):
                    return True
        return False

    def _given(self, tokens: list[str], order: range,
               test: Callable[[str, bool], bool]) -> bool:
        """The first token past the link words, in `order`, passes `test`."""
        skipped = 0
        for i in order:
            folded = fold(tokens[i])
            if not folded or folded in self.links:
                skipped += 1
                if skipped > MAX_LINKS:
                    return False
                continue
            return test(tokens[i], True)
        return False


def _identifier(token: str, after_cue: bool) -> bool:
    """After "mon identifiant": 7 digits or more, maybe a letter ("12345678", "1234567A")."""
    return bool(_IDENTIFIER.match(token.strip(_EDGES).rstrip(_TRAILING)))


def read_password_words(path: Path, languages: list[str]) -> PasswordWords:
    """nlu_data/privacy.yml, checked: exactly the guide's languages, each with cues."""
    table = load_model(PrivacyFile, path).root
    check_languages(path, table, languages, "cues")
    cues: set[tuple[str, ...]] = set()
    links: set[str] = set()
    not_passwords: set[str] = set()
    identifiers: set[tuple[str, ...]] = set()
    for lang, entry in table.items():
        for name, values in (("cues", entry.cues), ("links", entry.links),
                             ("not_passwords", entry.not_passwords),
                             ("identifier_cues", entry.identifier_cues)):
            for index, value in enumerate(values):
                if not fold(value):
                    raise DataFileError(path, line_of(path, [lang, name, index]),
                                        f"{lang}.{name}.{index}: no letters in {value!r}")
        cues.update(tuple(fold(c).split()) for c in entry.cues)
        identifiers.update(tuple(fold(c).split()) for c in entry.identifier_cues)
        links.update(fold(w) for w in entry.links)
        not_passwords.update(w for n in entry.not_passwords for w in fold(n).split())
    return PasswordWords(frozenset(cues), frozenset(links), frozenset(not_passwords),
                         frozenset(identifiers))
