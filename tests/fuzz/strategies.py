"""What people may type, for the fuzz tests: the guide's 8 languages' scripts, every kind of
digit (Nd, No, Nl: "٣", "²", "①", the Ethiopic "፩", "Ⅻ"), and what else a phone sends.

The budget is fixed for CI (a few seconds); GUIDE_FUZZ_EXAMPLES=5000 runs longer.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

EXAMPLES = int(os.environ.get("GUIDE_FUZZ_EXAMPLES", "25"))
BUDGET = settings(max_examples=EXAMPLES, deadline=None, derandomize=EXAMPLES <= 100,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                         HealthCheck.function_scoped_fixture])

SCRIPTS = [
    st.characters(min_codepoint=0x20, max_codepoint=0x7E),          # fr, en (ASCII)
    st.characters(min_codepoint=0xC0, max_codepoint=0x17F),         # French accents, œ
    st.characters(min_codepoint=0x600, max_codepoint=0x6FF),        # ar, fa, ps
    st.characters(min_codepoint=0x400, max_codepoint=0x4FF),        # ru, uk
    st.characters(min_codepoint=0x1200, max_codepoint=0x137F),      # ti (Ethiopic)
    st.characters(categories=("Nd", "No", "Nl")),                   # every kind of digit
    st.sampled_from(["\u200f", "\u200e", "\u2068", "\u2069", "\u202f", "\n", "\t", "😀",
                     "👍", "\U0001f3fd", "\ufffd", "\u0000", "’", "«", "»"]),
]
CHAR = st.one_of(*SCRIPTS)
# what str.isdigit() takes and int() refuses ("²", "①", the Ethiopic "፩"): they once crashed
# a turn, and are too rare among all No characters for a small budget to meet by chance
DIGIT_LIKE = [chr(c) for c in range(0x110000) if chr(c).isdigit() and not chr(c).isdecimal()]
WORDS = ["menu", "retour", "oui", "non", "/start", "/menu", "/language", "/help", "/forget",
         "/reminders", "/start lang_ar", "/start topic_documents", "mot de passe", "help",
         "مساعدة", "пароль", "ሓገዝ", "7 mois", "٧ شهور", "12/01", "I want to die"]
TYPED = st.one_of(
    st.text(CHAR, max_size=60),
    st.sampled_from(WORDS),
    st.integers(min_value=-5, max_value=10**6).map(str),
    st.text(st.characters(categories=("Nd", "No", "Nl")), min_size=1, max_size=6),
    st.text(st.sampled_from(DIGIT_LIKE), min_size=1, max_size=3),
    st.integers(min_value=4290, max_value=4400).map(lambda n: "7" * n),  # int()'s limit
    st.builds(lambda word, text: f"{word} {text}", st.sampled_from(WORDS), st.text(CHAR,
                                                                                  max_size=20)),
)
LANGUAGE_HINTS = st.one_of(st.none(), st.sampled_from(
    ["fr", "en", "ar", "fa", "ps", "ru", "uk", "ti", "de", "pt-br", "zh-hans", "", "xx-YY"]))
