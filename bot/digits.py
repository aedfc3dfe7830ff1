"""Whole numbers written in decimal digits of any script, read without ever raising.

str.isdigit() also accepts digits that are not decimal ("²", "①", the Ethiopic "፩" that
Tigrinya users type) and int() refuses them; int() also refuses more than 4,300 digits
(sys.int_info.default_max_str_digits). Both once crashed the handler.
"""

from __future__ import annotations

import unicodedata

# no question's answer, no button number comes close: a longer number is read as this one,
# past every limit, so that it is answered like any number out of range
MAX_DIGITS = 18
TOO_BIG = 10**MAX_DIGITS


def digits_value(digits: str) -> int:
    """The value of decimal digits of any script ("12", "١٢", "𝟏𝟐"), at most TOO_BIG.
    Raises ValueError for anything else, as int() does."""
    if not digits.isdecimal():
        raise ValueError("not decimal digits")
    ascii_digits = "".join(str(unicodedata.decimal(c)) for c in digits).lstrip("0") or "0"
    return int(ascii_digits) if len(ascii_digits) <= MAX_DIGITS else TOO_BIG


def whole_number(text: str) -> int | None:
    """`text`'s value when it is only decimal digits (any script), else None."""
    return digits_value(text) if text.isdecimal() else None
