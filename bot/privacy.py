"""Spot messages that look like a secret the user should never send: a password, a French
social security number, an IBAN, a France Travail identifier. Such a message is not stored,
not logged, and the user is told why."""

from __future__ import annotations

import re

_SOCIAL_SECURITY = re.compile(r"\b[12]\s?\d{2}\s?(0[1-9]|1[0-2]|[2-9]\d)\s?(\d{2}|2[AB])\s?"
                              r"\d{3}\s?\d{3}(\s?\d{2})?\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:\s?[A-Z0-9]{4}){3,7}(?:\s?[A-Z0-9]{1,4})?\b", re.I)
# France Travail identifier: 7 digits and a letter, sometimes with a leading digit more
_FT_IDENTIFIER = re.compile(r"\b\d{7,8}[A-Z]\b", re.I)
# one "word" mixing letters and digits (and often a symbol): how passwords look
_PASSWORD_WORD = re.compile(r"^(?=\S*[A-Za-z])(?=\S*\d)\S{6,}$")
_QUANTITY = re.compile(r"^\d+[^\W\d_]{0,8}$")  # "1200heures", "130j"
# Arabic written in Latin letters uses digits for sounds Latin lacks (3 ع, 7 ح, 2 ء, 5 خ...):
# "ma ba3ref" is "I don't know", not a password. A short lower-case word whose digits stand
# alone among letters reads that way; a password has upper case, a run of digits or a symbol
_ARABIZI_WORD = re.compile(r"^(?:[a-z]*[235679](?![0-9]))+[a-z]*$")
_ARABIZI_MAX = 8
_PASSWORD_SAID = re.compile(r"(mot de passe|mdp|password|pass)\s*(c'?est|est|is|:|=)\s*\S{4,}",
                            re.I)


# letters, digits and a symbol in one word of 8 or more: a password, in any sentence
_STRONG_PASSWORD = re.compile(r"^(?=\S*[A-Za-z])(?=\S*\d)(?=\S*[!?#@$%&*+=_\-])\S{8,}$")


def looks_secret(text: str) -> bool:
    stripped = text.strip()
    if any(_STRONG_PASSWORD.match(word.strip(".,;:()\"'«»")) for word in stripped.split()):
        return True
    if _SOCIAL_SECURITY.search(stripped) or _IBAN.search(stripped):
        return True
    if _FT_IDENTIFIER.search(stripped) or _PASSWORD_SAID.search(stripped):
        return True
    words = stripped.split()
    if len(words) > 3:
        return False
    return any(_PASSWORD_WORD.match(w) and not _QUANTITY.match(w) and "@" not in w
               and "." not in w.strip(".") and not _arabizi(w) for w in words)


def _arabizi(word: str) -> bool:
    return len(word) <= _ARABIZI_MAX and bool(_ARABIZI_WORD.match(word))
