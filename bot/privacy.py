"""Spot messages that look like a secret the user should never send: a password, a French
social security number, an IBAN, a France Travail identifier. Such a message is not stored,
not logged, and the user is told why. It runs on every message: regular expressions first,
checksums (python-stdnum) only on the few candidates they find."""

from __future__ import annotations

import functools

from bot import paths
from bot.languages import declared_languages
from bot.secret_numbers import has_secret_number, normalise_digits
from bot.secret_words import PasswordWords, read_password_words

PRIVACY_FILE = "privacy.yml"


@functools.cache
def password_words() -> PasswordWords:
    return read_password_words(paths.nlu_data_dir() / PRIVACY_FILE, declared_languages())


def looks_secret(text: str) -> bool:
    normal = normalise_digits(text.strip())
    return has_secret_number(normal) or password_words().gives_password(normal)
