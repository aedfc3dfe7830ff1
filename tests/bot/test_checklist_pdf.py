"""The checklist PDF in the eight languages, made by the conversation core as a person gets
it (the documents topic's buttons, then /checklist), rendered to images and read back.

For each language: every paper is there in the user's language and in French, in the
list's order; the user's half is in its script (Arabic letters for ar, fa, ps, Ethiopic for
ti, Cyrillic for ru, uk) and every character has a glyph in the fonts; right-to-left text
reads in logical order; and the image has ink where the text is, on the right of the page
for a right-to-left line and on the left for the others.

Set GUIDE_CHECKLIST_PNG_DIR to keep the pages as PNG files, to look at them.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c
import pytest
from fontTools.ttLib import TTFont
from PIL import Image

from bot import payloads
from bot.checklist import Sheet
from bot.checklist_pdf import BOX, GAP, MARGIN, MissingFont, pdf_of, read_fonts, render
from bot.conversation import Conversation
from bot.i18n import is_rtl
from bot.messages import Document, Incoming

LANGUAGES = ("fr", "en", "ar", "fa", "ps", "ru", "uk", "ti")
DAY = date(2026, 12, 4)
# a refugee with a residence permit, who worked in France and has no carte Vitale
ANSWERS = (("status", "refugee"), ("document", "residence_permit"), ("has_worked", True),
           ("has_vitale_card", False))
# the papers that situation needs, in the rule's order (rules_engine/documents.py)
PAPERS = ("identity_protection", "no_consulate_passport", "residence_permit",
          "social_security_attestation", "work_papers", "rib", "cv")
SCRIPTS = {"ar": "ARABIC", "fa": "ARABIC", "ps": "ARABIC", "ti": "ETHIOPIC",
           "ru": "CYRILLIC", "uk": "CYRILLIC"}
# letters only that language's half can hold (Persian, Pashto, Ukrainian letters)
OWN_LETTERS = {"fa": "پگی", "ps": "ټډړښګې", "uk": "іїє"}
SCALE = 2.0  # pixels per PDF point in the rendered image
MM = 72 / 25.4  # PDF points per millimetre
DARK = 170  # a pixel darker than this is ink (the grey lines too)


def script_of(char: str) -> str:
    name = unicodedata.name(char, "")
    return next((s for s in ("ARABIC", "ETHIOPIC", "CYRILLIC", "LATIN") if s in name), "")


def norm(text: str) -> str:
    """Without combining marks and format characters (isolates, joiners), one space between
    words: how a text is compared with what the PDF gives back."""
    kept = "".join(c for c in text if unicodedata.category(c) not in ("Mn", "Cf"))
    return " ".join(kept.split())


async def checklist_of(conversation: Conversation, lang: str) -> tuple[Document, list[str]]:
    """The document /checklist gives after the documents topic answered with ANSWERS, and
    the keys of the first message of the topic's last turn (the list)."""
    state = await conversation.store.load("u")
    state.lang = lang
    await conversation.store.save(state)
    flow = conversation.dialogues.flows["documents"]
    steps = {s.slot: (name, s) for name, s in flow.steps.items() if s.slot}
    presses = [payloads.Goto("documents")]
    for slot, value in ANSWERS:
        name, step = steps[slot]
        index = next(i for i, o in enumerate(step.options) if o.value == value)
        presses.append(payloads.Option(f"documents.{name}", index))
    keys: list[str] = []
    for press in presses:
        result = await conversation.handle(Incoming("u", data=payloads.pack(press)))
        # the list alone, without buttons: forwarded, it is the list and nothing else
        keys = result.replies[0].keys if not result.replies[0].buttons else []
    result = await conversation.handle(Incoming("u", text="/checklist"))
    [document] = [r.document for r in result.replies if r.document is not None]
    return document, keys


@dataclass
class Page:
    text: str  # as the PDF gives it back
    # each char, its box (left, bottom, right, top, in points) and its baseline's height
    chars: list[tuple[str, tuple[float, float, float, float], float]]
    size: tuple[float, float]
    image: Image.Image


def read_pdf(content: bytes) -> Page:
    pdf = pdfium.PdfDocument(content)
    assert len(pdf) == 1, "the list fits one page"
    page = pdf[0]
    textpage = page.get_textpage()
    chars = []
    x, y = ctypes.c_double(), ctypes.c_double()
    for i in range(textpage.count_chars()):
        pdfium_c.FPDFText_GetCharOrigin(textpage, i, x, y)
        chars.append((textpage.get_text_range(i, 1), textpage.get_charbox(i), y.value))
    return Page(textpage.get_text_range(), chars, page.get_size(),
                page.render(scale=SCALE).to_pil().convert("L"))


def lines_of(page: Page, keep: Callable[[str], bool]) -> list[tuple[float, float, float, float]]:
    """The box (left, bottom, right, top, in points) of each line holding a character that
    `keep` accepts, every visible character of the line counted (a letter with a mark on its
    own, as pdfium gives "أُ", is no line)."""
    rows: dict[float, list[tuple[str, tuple[float, float, float, float]]]] = {}
    for char, box, baseline in page.chars:
        if not char.strip() or unicodedata.category(char) in ("Cf", "Cc", "Mn"):
            continue
        # the letters of a line share its baseline, whatever their height or font
        at = next((b for b in rows if abs(b - baseline) < 1), baseline)
        rows.setdefault(at, []).append((char, box))
    return [(min(b[0] for _, b in row), min(b[1] for _, b in row),
             max(b[2] for _, b in row), max(b[3] for _, b in row))
            for row in rows.values() if len(row) > 2 and any(keep(c) for c, _ in row)]


def ink(page: Page, left: float, bottom: float, right: float, top: float) -> int:
    """Dark pixels of the image inside a box given in PDF points."""
    height = page.size[1]
    crop = page.image.crop((int(left * SCALE), int((height - top) * SCALE),
                            int(right * SCALE) + 1, int((height - bottom) * SCALE) + 1))
    return sum(crop.point(lambda v: 255 if v < DARK else 0).histogram()[255:])


@cache
def glyphs(path: Path) -> frozenset[int]:
    return frozenset(TTFont(path).getBestCmap())


def signature(text: str, others: list[str]) -> str | None:
    """The longest word of `text` found in no other text: it places `text` in the PDF."""
    words = sorted(set(re.findall(r"\w+", norm(text))), key=len, reverse=True)
    return next((w for w in words if len(w) > 2 and not any(w in norm(o) for o in others)),
                None)


@pytest.fixture(scope="module")
def sheets(nlu: object) -> dict[str, tuple[Document, list[str]]]:
    import asyncio

    from bot.app import build_conversation
    from bot.state import MemoryStore

    made = {}
    for lang in LANGUAGES:
        conversation = build_conversation(store=MemoryStore(), nlu=nlu,  # type: ignore[arg-type]
                                          today=lambda: DAY)
        made[lang] = asyncio.run(checklist_of(conversation, lang))
    return made


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_checklist_pdf_reads_right_in_each_language(
        lang: str, sheets: dict[str, tuple[Document, list[str]]], tmp_path: Path) -> None:
    document, message_keys = sheets[lang]
    # the topic ended with one message of the list, a line per paper
    assert message_keys == ["documents.list_intro",
                            *(f"rules.documents.line.{p}" for p in PAPERS)]
    sheet = Sheet.model_validate(document.data)
    assert sheet.lang == lang and len(sheet.items) == len(PAPERS)
    assert [i.warn for i in sheet.items] == [p == "no_consulate_passport" for p in PAPERS]
    content = pdf_of(document)
    page = read_pdf(content)
    shown = Path(os.environ.get("GUIDE_CHECKLIST_PNG_DIR") or tmp_path)
    shown.mkdir(parents=True, exist_ok=True)
    page.image.save(shown / f"checklist-{lang}.png")
    text = norm(page.text)

    # the date, in the user's language and in French (Babel), and the answers given
    assert norm(sheet.date.fr) in text and "4 décembre 2026" in sheet.date.fr
    assert len(sheet.answers) == len(ANSWERS)
    assert "Situation : Réfugié(e)" in norm(page.text)
    assert "Carte Vitale : Non" in norm(page.text)

    # every paper in French, in the list's order
    positions = [text.find(norm(item.text.fr)) for item in sheet.items]
    assert -1 not in positions, [i.text.fr for i, p in zip(sheet.items, positions,
                                                         strict=True) if p < 0]
    assert positions == sorted(positions)

    mine = [item.text.mine for item in sheet.items]
    # every word of the user's half is there; the papers in the list's order
    for line in mine + [sheet.title.mine, sheet.note.mine] + [a.mine for a in sheet.answers]:
        missing = [w for w in re.findall(r"\w+", norm(line)) if w not in text]
        assert not missing, f"{lang}: {missing} of {line!r} not in the PDF"
    french = [i.text.fr for i in sheet.items] + [sheet.title.fr, sheet.date.fr] \
        if lang != "fr" else []
    placed = [(signature(m, [o for o in mine if o != m] + french), m) for m in mine]
    found = [text.find(word) for word, _ in placed if word is not None]
    assert len(found) >= 4 and -1 not in found and found == sorted(found), placed

    # every character has a glyph in the fonts the sheet uses (no box in its place)
    fonts = read_fonts()
    covered = set().union(*(glyphs(p) for script in {"latin", fonts.script(lang)}
                            for p in fonts.files(script)))
    every = "".join(mine) + sheet.title.mine + sheet.note.mine + sheet.date.mine
    assert not {c for c in every if unicodedata.category(c) not in ("Cf", "Zs")
                and ord(c) not in covered}

    script = SCRIPTS.get(lang)
    if script is not None:
        # the user's half is in its own script
        letters = [c for c in "".join(page.text) if script_of(c) == script]
        assert len(letters) > 150, f"{lang}: {len(letters)} letters of {script}"
        for letter in OWN_LETTERS.get(lang, ""):
            if letter in "".join(mine):
                assert letter in page.text
    if is_rtl(lang):
        # right to left, given back in logical order: a line of that script alone reads as
        # it was written
        pure = [norm(m) for m in [*mine, sheet.title.mine]
                if all(script_of(c) == "ARABIC" or c == " " for c in norm(m))
                and len(norm(m).split()) >= 3]
        assert len(pure) >= 2, pure
        for phrase in pure:
            assert phrase in text, f"{lang}: {phrase!r} not in logical order in {text!r}"

    # ink where the text is; a right-to-left line against the right margin, the others
    # against the left one, and a short line's ink on that half only
    width = page.size[0]
    if script is not None:
        lines = lines_of(page, lambda c: script_of(c) == script)
    else:
        lines = lines_of(page, lambda c: script_of(c) == "LATIN")
    assert len(lines) >= len(PAPERS) + len(ANSWERS)
    short = 0
    for left, bottom, right, top in lines:
        area = (right - left) * (top - bottom) * SCALE ** 2
        assert ink(page, left, bottom, right, top) > 0.03 * area, (lang, left, bottom)
        if is_rtl(lang):
            assert right > width - (MARGIN + BOX + GAP + 2) * MM, (lang, right)
        else:
            assert left < (MARGIN + BOX + GAP + 2) * MM, (lang, left)
        if right - left < 0.35 * width:
            short += 1
            first, second = (ink(page, 0, bottom, width / 2, top),
                             ink(page, width / 2, bottom, width, top))
            near, far = (second, first) if is_rtl(lang) else (first, second)
            assert near > 20 and far == 0, (lang, left, right, near, far)
    assert short >= 3


def test_the_same_document_gives_the_same_file_after_the_outbox(
        sheets: dict[str, tuple[Document, list[str]]]) -> None:
    """What the outbox keeps (JSON) makes the very file the turn would have sent."""
    document, _ = sheets["fa"]
    stored = json.loads(json.dumps({"filename": document.filename, "data": document.data}))
    again = Document(stored["filename"], stored["data"])
    assert pdf_of(again) == pdf_of(document)


def test_a_missing_font_is_named_with_the_package_that_brings_it(
        sheets: dict[str, tuple[Document, list[str]]], tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GUIDE_FONTS_DIR", str(tmp_path))
    sheet = Sheet.model_validate(sheets["ti"][0].data)
    with pytest.raises(MissingFont) as raised:
        render(sheet, read_fonts())
    message = str(raised.value)
    assert str(tmp_path / "NotoSans-Regular.ttf") in message
    assert "fonts-noto-core" in message
