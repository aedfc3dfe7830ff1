"""Numbers that are secrets: a French social security number (NIR, or the NIA a refugee gets
first), an IBAN, a France Travail identifier. Checksums come from python-stdnum; digits typed
in Arabic-Indic or Persian and groups cut by spaces, dots or dashes are read like any other.

A number with the shape of a NIR or an IBAN but a wrong key is flagged too: a typo in one's
own number is still one's own number, and deleting one innocent 15-digit number costs less
than keeping a real one.
"""

from __future__ import annotations

import re

from stdnum import iban
from stdnum.fr import nir

# Arabic-Indic ٠-٩ and Persian ۰-۹ are the digits many users type
DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_SEPARATORS = re.compile(r"[\s.\-‐‑–—_/]")
# a run of digits (and Corsica's 2A/2B) cut by single separators
_DIGIT_RUN = re.compile(r"(?<![\w])\d(?:[\s.\-‐‑–—]?[\dAB]){12,20}(?![\w])", re.I)
# NIR / NIA: sex or kind 1-8, year, month 01-12 or 20-99 (unknown months), department,
# commune, order number, then the two-digit key (often left out)
_NIR_SHAPE = re.compile(r"^[1-8]\d{2}(?:0[1-9]|1[0-2]|[2-9]\d)(?:\d{2}|2[AB])\d{6}(?:\d{2})?$")
_IBAN_RUN = re.compile(r"(?<![\w])[A-Z]{2}\s?\d{2}(?:[\s.\-]?[A-Z0-9]){10,30}", re.I)
# two letters, two check digits, then mostly digits: how an IBAN with a typo still looks
_IBAN_SHAPE = re.compile(r"^[A-Z]{2}\d{2}(?=(?:[A-Z]*\d){10})[A-Z0-9]{11,30}$")
# France Travail identifier: 7 digits and a letter ("1234567A", "1234 567 A"), sometimes
# one digit more. Spaced, the letter must be upper case: "1234 567 a été payé" is French
_FT_ID = re.compile(r"(?<![\w])(?:\d{7,8}[A-Za-z]|\d{4}[\s.\-]?\d{3}[\s.\-]?[A-Z])(?![\w])")


def normalise_digits(text: str) -> str:
    return text.translate(DIGITS)


def _compact(run: str) -> str:
    return _SEPARATORS.sub("", run).upper()


def has_nir(text: str) -> bool:
    for run in _DIGIT_RUN.findall(text):
        number = _compact(run)
        if _NIR_SHAPE.match(number) or nir.is_valid(number):
            return True
        # a longer run may hold a NIR with a valid key next to other digits
        if any(nir.is_valid(number[i:i + 15]) for i in range(len(number) - 14)):
            return True
    return False


def has_iban(text: str) -> bool:
    for run in _IBAN_RUN.findall(text):
        number = _compact(run)
        # the run may swallow a word after the IBAN: try each length, longest first
        if any(iban.is_valid(number[:end]) for end in range(len(number), 14, -1)):
            return True
        if _IBAN_SHAPE.match(number):
            return True
    return False


def has_ft_id(text: str) -> bool:
    return bool(_FT_ID.search(text))


def has_secret_number(text: str) -> bool:
    """`text` already went through normalise_digits."""
    return has_nir(text) or has_iban(text) or has_ft_id(text)
