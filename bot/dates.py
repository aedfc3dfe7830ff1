"""A day typed as digits: "12/01", "12.01.2027", "12-1-27" or "2027-01-12"."""

from __future__ import annotations

import re
from datetime import date

_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})|(\d{1,2})\s*[/.\-]\s*(\d{1,2})"
                   r"(?:\s*[/.\-]\s*(\d{2,4}))?")


def parse_date(text: str, today: date) -> date | None:
    """Day first, as in France; without a year, the next such day from today."""
    found = _DATE.search(text)
    if found is None:
        return None
    iso_year, iso_month, iso_day, day, month, year = found.groups()
    try:
        if iso_year:
            return date(int(iso_year), int(iso_month), int(iso_day))
        if year:
            full = int(year) + (2000 if len(year) == 2 else 0)
            return date(full, int(month), int(day))
        guess = date(today.year, int(month), int(day))
        return guess if guess >= today else date(today.year + 1, int(month), int(day))
    except ValueError:
        return None  # 31/02 and the like
