"""What looks like a secret (never stored, deleted on Telegram) and what does not."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.privacy import looks_secret
from bot.secret_words import read_password_words
from rules_engine.yamlfile import DataFileError


@pytest.mark.parametrize("text", [
    "Ahmed2023",                       # a password alone
    "mon mdp c'est soleil75",
    "mon mdp c Samira2024",
    "Samira2024 c'est mon mdp",        # the password before the cue
    "password: Kabul!2024",
    "mdp:123456",                      # the old six-digit code
    "my password is sunshine99",
    "كلمة السر تبعي sunshine99",
    "رمزي sunshine۹۹",                 # Persian digits
    "پسوردم sunshine99",
    "رمز من sunshine99 است",
    "мой пароль sunshine99",
    "мій пароль Kyiv2024",
    # link words between the cue and the password: "changed to", "that I chose", "of my space"
    "j'ai changé mon mot de passe en Lyon2023",
    "le mot de passe que j'ai mis est Marseille13",
    "I changed my password to Kabul77",
    "رمز ورود من Tabriz77 است",
    "كلمة السر ديالي Fes2019",
    "parol Olga1985",                  # Russian in Latin letters
    "mon code c'est 739204",
    "ምስጢራዊ ቃለይ Keren2021 እዩ",
    "the password I chose is Hope2025!",
    "je tape Refugie#2025 et ça marche pas",  # letters, digits and a symbol: in any sentence
    "Paris2024!",
    "ba3ref2024",                      # a run of digits: not Arabic in Latin letters
    "ma3lomat12",
    "185127510809542",                 # social security number, wrong key: still flagged
    "1 85 12 75 108 095 42",
    "2 85 02 99 123 456 06",           # valid key
    "2.85.02.99.123.456.06",
    "2-85-02-99-123-456-06",
    "٢٨٥٠٢٩٩١٢٣٤٥٦٠٦",                 # Arabic-Indic digits
    "رقمي ۲ ۸۵ ۰۲ ۹۹ ۱۲۳ ۴۵۶ ۰۶",      # Persian digits
    "FR76 3000 6000 0112 3456 7890 189",  # IBAN
    "FR76.3000.6000.0112.3456.7890.189 merci",
    "FR۷۶ ۳۰۰۰ ۶۰۰۰ ۰۱۱۲ ۳۴۵۶ ۷۸۹۰ ۱۸۹",
    "FR76 3000 6000 0112 3456 7890 188",  # IBAN with a typo in it: still flagged
    "1234567A",                        # France Travail identifier
    "1234 567 A",
    "mon identifiant 1234 567 A merci",
    "mon identifiant est 12345678",    # a number after the word for the identifier
    "мой идентификатор 12345678901",
])
def test_secrets(text: str) -> None:
    assert looks_secret(text)


@pytest.mark.parametrize("text", [
    # a sentence ABOUT a password
    "my password is wrong",
    "mon mot de passe est trop court",
    "mon mot de passe est refusé",
    "mon mdp est bloqué",
    "mon mdp est bloqué!!!",
    "le mot de passe c'est quoi ?",
    "mot de passe refusé/bloqué",
    "je n'ai pas de mot de passe",
    "j'ai oublié mon mdp",             # a cue at the very end
    "comment changer mon mot de passe ?",
    "mon mot de passe doit avoir 8 caractères",
    "mot de passe 8caractères minimum",
    "كلمة السر غلط",
    "пароль неправильный",
    "مرحبا، نسيت كلمة السر، شو أعمل؟",   # Arabic comma and question mark are no symbols
    "ፓስዎርደይ ረሲዐዮ፡ እንታይ ክገብር?",      # nor is the Ethiopic word separator
    "j'ai perdu mon mot de passe!!!",
    "CV_Ahmed2024.pdf",                # a file name
    "code postal 93200",
    # words people write with a number
    "Covid19", "Covid-19", "Master2", "RSA2024", "Pass2Emploi", "ATTESTATION2024",
    "j'ai eu le Covid-19 en 2021",
    # Arabic in Latin letters, quantities, hours, addresses, numbers
    "ma ba3ref", "mesh 3aref", "7abibi", "sa2al", "ta3ban",
    "1200heures", "130j", "9h00-17h00", "rdv à 14h30",
    "ahmed@example.org", "https://www.francetravail.fr/Espace2024",
    "mon numéro est 06 12 34 56 78 ?", "+33 6 12 34 56 78", "75012 Paris",
    "le 12.03.2024 à 10.30", "j'ai reçu 1 234,56 € le 05/11/2024",
    "le dossier 1234 567 a été refusé",
    "j'ai oublié mon identifiant",
    "mon identifiant 3 fois refusé",
])
def test_not_secrets(text: str) -> None:
    assert not looks_secret(text)


def test_a_broken_privacy_file_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "privacy.yml"
    path.write_text("fr:\n  cues: [mdp]\n  links: [\"?\"]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=r"privacy.yml:3: fr.links.0: no letters"):
        read_password_words(path, ["fr"])


def test_every_language_needs_cues(tmp_path: Path) -> None:
    path = tmp_path / "privacy.yml"
    path.write_text("fr:\n  cues: [mdp]\n", encoding="utf-8")
    with pytest.raises(DataFileError, match="no cues for en"):
        read_password_words(path, ["fr", "en"])
