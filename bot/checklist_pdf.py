"""The checklist sheet (bot/checklist.py) as a PDF to show at the desk, with fpdf2.

Each line comes in the user's language, then in French. HarfBuzz (uharfbuzz, through
fpdf2's text shaping) joins Arabic, Persian and Pashto letters and lays them right to left,
with fpdf2's bidirectional algorithm; Ethiopic and Cyrillic need only the right font. The
fonts are free fonts of the distribution, named in translations/fonts.yml; a missing one
stops the document with an error that names the file and the package that brings it.

The same sheet gives the same bytes (the creation date is the sheet's day), so a document
rebuilt from the outbox after a restart is the one the person would have got.
"""

from __future__ import annotations

import functools
import os
from datetime import UTC, datetime, time
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from pydantic import BaseModel, ConfigDict, model_validator

from bot import paths
from bot.checklist import Both, Sheet
from bot.i18n import SOURCE_LANG, is_rtl
from bot.messages import Document
from rules_engine.yamlfile import load_model

FONTS_FILE = "fonts.yml"
LATIN = "latin"  # the script of the French half, and the fallback of every other

# layout, in millimetres and points
MARGIN = 18.0
BOX = 5.0  # the side of a box to tick
GAP = 3.0  # between the box and the text
GREY = (90, 90, 90)
SIZES = {"title": 18.0, "item": 13.0, "french": 11.0, "small": 9.0}


class FontPair(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    regular: str
    bold: str


class Fonts(BaseModel):
    """translations/fonts.yml: the font files of each script, and each language's script."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    package: str
    folder: Path
    scripts: dict[str, FontPair]
    languages: dict[str, str]

    @model_validator(mode="after")
    def _known_scripts(self) -> Fonts:
        if LATIN not in self.scripts:
            raise ValueError(f"scripts: '{LATIN}' is needed (the French half of every sheet)")
        for lang, script in self.languages.items():
            if script not in self.scripts:
                raise ValueError(f"languages: {lang}: no script '{script}' in `scripts`")
        return self

    def script(self, lang: str) -> str:
        return self.languages.get(lang, LATIN)

    def files(self, script: str) -> tuple[Path, Path]:
        """The regular and bold files of a script; MissingFont when one is not there."""
        folder = Path(os.environ.get("GUIDE_FONTS_DIR", self.folder))
        pair = self.scripts[script]
        found = (folder / pair.regular, folder / pair.bold)
        for path in found:
            if not path.is_file():
                raise MissingFont(path, self.package)
        return found


class MissingFont(RuntimeError):
    """A font file of translations/fonts.yml is not on this machine."""

    def __init__(self, path: Path, package: str) -> None:
        super().__init__(
            f"font file {path} is missing: install it (Debian or Ubuntu: apt-get install "
            f"--no-install-recommends {package}, or `make fonts`), or set `folder` in "
            f"translations/{FONTS_FILE} or GUIDE_FONTS_DIR to where it is")
        self.path = path


@functools.lru_cache(maxsize=4)
def read_fonts(root: Path | None = None) -> Fonts:
    """translations/fonts.yml, checked (errors name the file and line)."""
    return load_model(Fonts, (root or paths.translations_dir()) / FONTS_FILE)


def check_fonts(fonts: Fonts | None = None) -> None:
    """Every font file is there (MissingFont names the first one that is not)."""
    fonts = fonts or read_fonts()
    for script in fonts.scripts:
        fonts.files(script)


def pdf_of(document: Document, fonts: Fonts | None = None) -> bytes:
    """The file of a checklist document (as the core made it, or read back from the
    outbox)."""
    return render(Sheet.model_validate(document.data), fonts or read_fonts())


def render(sheet: Sheet, fonts: Fonts) -> bytes:
    return _Page(sheet, fonts).draw()


class _Page:
    def __init__(self, sheet: Sheet, fonts: Fonts) -> None:
        self.sheet = sheet
        self.rtl = is_rtl(sheet.lang)
        self.bilingual = sheet.lang != SOURCE_LANG
        self.mine = fonts.script(sheet.lang)
        pdf = FPDF(format="A4", unit="mm")
        pdf.set_margins(MARGIN, MARGIN, MARGIN)
        pdf.set_auto_page_break(True, margin=MARGIN)
        pdf.set_creation_date(datetime.combine(sheet.day, time(), tzinfo=UTC))
        pdf.set_lang(sheet.lang)
        pdf.set_title(sheet.title.fr)
        for script in dict.fromkeys((LATIN, self.mine)):
            regular, bold = fonts.files(script)
            pdf.add_font(script, "", regular)
            pdf.add_font(script, "B", bold)
        # a Latin word inside another script (API, ANEF, CV) is drawn by the Latin font
        pdf.set_fallback_fonts([LATIN], exact_match=False)
        self.pdf = pdf

    def draw(self) -> bytes:
        pdf, sheet = self.pdf, self.sheet
        pdf.add_page()
        self._both(sheet.title, SIZES["title"], bold=True)
        pdf.ln(1)
        self._both(sheet.date, SIZES["french"])
        pdf.ln(5)
        for item in sheet.items:
            self._item(item.text, item.warn)
        pdf.ln(4)
        self._both(sheet.answers_title, SIZES["french"], bold=True)
        for answer in sheet.answers:
            self._both(answer, SIZES["french"])
        pdf.ln(6)
        self._both(sheet.note, SIZES["small"], grey=True)
        return bytes(pdf.output())

    # ---- pieces ---------------------------------------------------------------------------

    def _both(self, text: Both, size: float, bold: bool = False, grey: bool = False,
              indent: float = 0.0) -> None:
        """The user's line, then the French one under it, in grey; on a right-to-left sheet
        both keep to the right, so that each French line stays beside its own."""
        self._line(text.mine, self.mine, self.rtl, size, bold, grey, indent)
        if self.bilingual:
            self._line(text.fr, LATIN, False, size - 2, False, True, indent)

    def _line(self, text: str, script: str, rtl: bool, size: float, bold: bool, grey: bool,
              indent: float) -> None:
        pdf = self.pdf
        pdf.set_font(script, "B" if bold else "", size)
        pdf.set_text_color(*(GREY if grey else (0, 0, 0)))
        pdf.set_text_shaping(True, direction="rtl" if rtl else "ltr")
        # the indent (room for a box) is on the side the sheet starts from
        pdf.set_x(MARGIN + (0.0 if self.rtl else indent))
        pdf.multi_cell(pdf.epw - indent, size * 0.5, text, align="R" if self.rtl else "L",
                       new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def _item(self, text: Both, warn: bool) -> None:
        pdf = self.pdf
        if pdf.will_page_break(2 * SIZES["item"] * 0.5 + 2):
            pdf.add_page()
        top = pdf.get_y() + 0.8
        x = pdf.w - MARGIN - BOX if self.rtl else MARGIN
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(0.4)
        if warn:
            # a warning sign: a thing not to do is no box to tick
            pdf.polygon([(x + BOX / 2, top), (x + BOX, top + BOX), (x, top + BOX)],
                        style="D")
            pdf.line(x + BOX / 2, top + 1.6, x + BOX / 2, top + BOX - 1.6)
        else:
            pdf.rect(x, top, BOX, BOX)
        self._both(text, SIZES["item"], bold=True, indent=BOX + GAP)
        pdf.ln(2.5)
