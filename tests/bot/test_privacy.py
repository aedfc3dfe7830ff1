"""What looks like a secret (never stored, deleted on Telegram) and what does not."""

from __future__ import annotations

import pytest

from bot.privacy import looks_secret


@pytest.mark.parametrize("text", [
    "Ahmed2023",                       # a password alone
    "mon mdp c'est soleil75",
    "password: Kabul!2024",
    "je tape Refugie#2025 et ça marche pas",  # letters, digits and a symbol: in any sentence
    "ba3ref2024",                      # a run of digits: not Arabic in Latin letters
    "Ba3ref",                          # upper case: not how Arabizi is typed
    "ma3lomat12",
    "185127510809542",                 # social security number
    "1 85 12 75 108 095 42",
    "FR76 3000 6000 0112 3456 7890 189",  # IBAN
    "1234567A",                        # France Travail identifier
])
def test_secrets(text: str) -> None:
    assert looks_secret(text)


@pytest.mark.parametrize("text", [
    "ma ba3ref",                       # Arabic in Latin letters: "I don't know"
    "mesh 3aref",
    "7abibi",
    "sa2al",
    "ta3ban",
    "1200heures",
    "130j",
    "je n'ai pas de mot de passe",
    "comment changer mon mot de passe ?",
    "ahmed@example.org",
    "mon numéro est 06 12 34 56 78 ?",
])
def test_not_secrets(text: str) -> None:
    assert not looks_secret(text)
