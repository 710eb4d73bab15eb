"""The certificate of a winner or an honourable mention: one A4 landscape page, drawn with
reportlab from the facts of the published snapshot (`public_views.certificate_facts`).

The page follows the site: ink on warm paper, a lacquer-red band carrying the edition (the
wordmark, the year, the theme) and the QR code, and on the paper the award, the entry and its
creator, then the facts a reader checks — category, date of announcement, verification code.
Text is set in the award's own typefaces, Newsreader and Be Vietnam Pro, shipped as TTF in
`judging/fonts/` (the WOFF2 files of the site cannot be embedded by reportlab); reportlab
embeds only the glyphs used, so a certificate weighs tens of kilobytes.
"""

from __future__ import annotations

import io
import threading
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import segno
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from reportlab.lib.colors import HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONTS = {
    "HCDA-Serif": "Newsreader-Medium.ttf",
    "HCDA-Serif-Italic": "Newsreader-Italic.ttf",
    "HCDA-Sans": "BeVietnamPro-Regular.ttf",
    "HCDA-Sans-SemiBold": "BeVietnamPro-SemiBold.ttf",
}
SERIF, ITALIC, SANS, SANS_BOLD = FONTS

INK = HexColor("#17130e")
PAPER = HexColor("#f6f2ea")
RED = HexColor("#a8231b")
MUTED = HexColor("#5e5548")
PAPER_ON_RED = HexColor("#f3d9d3")  # secondary text on the red band, still AA-legible

PAGE_W, PAGE_H = landscape(A4)
BAND = 258  # width of the red band, a little under a third of the page
QR_NAME = "qr"  # the form XObject holding the QR code ("FormXob.qr" in the PDF)

_fonts_lock = threading.Lock()
_fonts_ready = False


def register_fonts() -> None:
    """Parse the TTF files once per process: every certificate after the first reuses them."""
    global _fonts_ready
    if _fonts_ready:
        return
    with _fonts_lock:
        if not _fonts_ready:
            for name, filename in FONTS.items():
                pdfmetrics.registerFont(TTFont(name, FONT_DIR / filename))
            _fonts_ready = True


@dataclass(frozen=True)
class CertificateText:
    """What is printed, already in the reader's language."""

    code: str
    year: int
    theme: str
    award: str
    title: str
    creator: str
    category: str
    reference_code: str
    announced: str
    verify_url: str


def certificate_text(facts: dict, *, verify_url: str) -> CertificateText:
    """The snapshot's facts (see `certificate_facts`) as the strings the page shows, in the
    active language. Text is normalised to NFC: the fonts have precomposed Vietnamese letters,
    and reportlab does not position combining marks, so "ệ" typed as e + ̣ + ̂ would print
    its accents beside the letter."""
    announced: datetime = facts["published_at"]
    return CertificateText(
        code=facts["code"],
        year=facts["year"],
        theme=_nfc(facts["theme"]),
        award=_nfc(facts["award"] or _("Honourable mention")),
        title=_nfc(facts["title"]),
        creator=_nfc(facts["creator"]),
        category=_nfc(facts["category"]),
        reference_code=facts["reference_code"],
        announced=formats.date_format(timezone.localtime(announced), "DATE_FORMAT"),
        verify_url=verify_url,
    )


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value or "")


def render_pdf(text: CertificateText, *, lang: str) -> bytes:
    register_fonts()
    out = io.BytesIO()
    # invariant=1: no creation time or random document id, so the same certificate is the
    # same bytes each time it is asked for (caches and checksums agree).
    pdf = Canvas(
        out,
        pagesize=(PAGE_W, PAGE_H),
        invariant=1,
        lang=lang,
        pageCompression=1,
        initialFontName=SANS,  # not Helvetica: every glyph on the page comes from our fonts
    )
    award_name = _("Hanoi Creative Design Award")
    pdf.setTitle(f"{_('Certificate')} {text.code} · {award_name} {text.year}")
    pdf.setAuthor("Hanoi Creative Design Award")
    pdf.setSubject(f"{text.award} · {text.title} · {text.creator}")
    pdf.setKeywords(f"HCDA {text.year}, {text.code}, {text.reference_code}")

    pdf.setFillColor(PAPER)
    pdf.rect(0, 0, PAGE_W, PAGE_H, stroke=0, fill=1)
    _band(pdf, text)
    _body(pdf, text)
    pdf.showPage()
    pdf.save()
    return out.getvalue()


# The red band: the edition ------------------------------------------------------------------


def _band(pdf: Canvas, text: CertificateText) -> None:
    margin = 36
    inner = BAND - 2 * margin
    pdf.setFillColor(RED)
    pdf.rect(0, 0, BAND, PAGE_H, stroke=0, fill=1)

    # The wordmark, as in the site's header: the stacked H / CD / A beside the award's name.
    pdf.setFillColor(PAPER)
    top = PAGE_H - margin
    pdf.setFont(SANS_BOLD, 11)
    for n, part in enumerate(("H", "CD", "A")):
        pdf.drawString(margin, top - 11 - n * 12.5, part)
    lines = simpleSplit(_("Hanoi Creative Design Award"), SERIF, 12.5, inner - 34)
    pdf.setFont(SERIF, 12.5)
    for n, line in enumerate(lines[:3]):
        pdf.drawString(margin + 34, top - 10.5 - n * 14.5, line)

    # The year, as large as the band allows, then the edition's theme.
    size = _fit_size(str(text.year), SERIF, 104, inner)
    year_base = PAGE_H - 236
    pdf.setFont(SERIF, size)
    pdf.drawString(margin - size * 0.04, year_base, str(text.year))
    y = year_base - 30
    pdf.setFillColor(PAPER_ON_RED)
    _tracked(pdf, margin, y, _("Theme").upper(), SANS_BOLD, 7.5)
    pdf.setFillColor(PAPER)
    theme_size, theme_lines = _fit_lines(text.theme, ITALIC, 19, 14, inner, max_lines=5)
    y -= theme_size * 1.25
    pdf.setFont(ITALIC, theme_size)
    for line in theme_lines:
        pdf.drawString(margin, y, line)
        y -= theme_size * 1.2

    # The QR code on a paper tile with its quiet zone: it opens the verification page.
    tile = 118
    tile_x, tile_y = margin, margin + 4
    pdf.setFillColor(PAPER_ON_RED)
    _tracked(pdf, tile_x, tile_y + tile + 10, _("Scan to verify").upper(), SANS_BOLD, 7.5)
    pdf.setFillColor(PAPER)
    pdf.rect(tile_x, tile_y, tile, tile, stroke=0, fill=1)
    _qr(pdf, text.verify_url, x=tile_x, y=tile_y, size=tile)
    pdf.linkURL(text.verify_url, (tile_x, tile_y, tile_x + tile, tile_y + tile), thickness=0)


def _qr(pdf: Canvas, url: str, *, x: float, y: float, size: float) -> None:
    """The QR code as vector squares, one rectangle per run of dark modules (a few hundred
    rectangles, crisp at any zoom and in print), inside a form drawn at module scale."""
    matrix = segno.make(url, error="m", micro=False).matrix
    count = len(matrix)
    quiet = 4  # modules of light margin the QR standard asks for
    module = size / (count + 2 * quiet)
    pdf.beginForm(QR_NAME, 0, 0, count, count)
    pdf.setFillColor(INK)
    path = pdf.beginPath()
    for row_index, row in enumerate(matrix):
        row_y = count - 1 - row_index  # PDF y grows upwards; the matrix's first row is the top
        col = 0
        while col < count:
            if row[col]:
                start = col
                while col < count and row[col]:
                    col += 1
                path.rect(start, row_y, col - start, 1)
            else:
                col += 1
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.endForm()
    pdf.saveState()
    pdf.translate(x + quiet * module, y + quiet * module)
    pdf.scale(module, module)
    pdf.doForm(QR_NAME)
    pdf.restoreState()


# The paper: the award, the entry, the creator, then the facts -----------------------------


def _body(pdf: Canvas, text: CertificateText) -> None:
    left = BAND + 56
    right = PAGE_W - 52
    width = right - left
    top = PAGE_H - 52

    pdf.setFillColor(RED)
    _tracked(pdf, left, top - 8, _("Certificate").upper(), SANS_BOLD, 8.5)
    pdf.setFillColor(MUTED)
    pdf.setFont(SANS, 8.5)
    pdf.drawRightString(right, top - 8, text.reference_code)
    pdf.setStrokeColor(INK)
    pdf.setLineWidth(0.75)
    pdf.line(left, top - 18, right, top - 18)

    # The award: the page's one loud line.
    y = top - 40
    # One line as large as it fits ("Giải Vàng" at full size); a long prize name takes more.
    if _split(text.award, SERIF, 46, width)[1:]:
        award_size, award_lines = _fit_lines(text.award, SERIF, 54, 28, width, max_lines=3)
    else:
        award_size, award_lines = _fit_size(text.award, SERIF, 76, width), [text.award]
    pdf.setFillColor(RED)
    pdf.setFont(SERIF, award_size)
    for line in award_lines:
        y -= award_size * 1.02
        pdf.drawString(left - award_size * 0.03, y, line)

    # The entry, then its creator: set just above the facts, so that a short title leaves
    # air under the award rather than a hole above the facts; a long title steps down in size
    # until the block fits between the award and the facts.
    facts_top = 128
    creator_size, creator_lines = _fit_lines(text.creator, SANS_BOLD, 18, 13, width, max_lines=2)
    room = (y - 36) - (facts_top + 40)

    def block_height(size: float, lines: list[str]) -> float:
        return 10 + len(lines) * size * 1.08 + 28 + 10 + len(creator_lines) * creator_size * 1.2

    title_size, title_lines = 38.0, []
    while True:
        title_size, title_lines = _fit_lines(text.title, ITALIC, title_size, 20, width, max_lines=4)
        if title_size <= 20 or block_height(title_size, title_lines) <= room:
            break
        title_size -= 1
    y = min(y - 36, facts_top + 40 + block_height(title_size, title_lines))
    y = _label(pdf, left, y, pgettext("certificate", "Entry"))
    pdf.setFillColor(INK)
    pdf.setFont(ITALIC, title_size)
    for line in title_lines:
        y -= title_size * 1.08
        pdf.drawString(left, y, line)
    y -= 28
    y = _label(pdf, left, y, pgettext("certificate", "Creator"))
    pdf.setFillColor(INK)
    pdf.setFont(SANS_BOLD, creator_size)
    for line in creator_lines:
        y -= creator_size * 1.2
        pdf.drawString(left, y, line)

    # The facts, in three columns over a rule, then the address the QR code opens.
    gap = 22
    column = (width - 2 * gap) / 3
    columns = [
        (_("Category"), text.category, SANS),
        (pgettext("certificate", "Announced"), text.announced, SANS),
        (_("Verification code"), text.code, SANS_BOLD),
    ]
    for n, (label, value, font) in enumerate(columns):
        x = left + n * (column + gap)
        pdf.setStrokeColor(INK)
        pdf.setLineWidth(0.75)
        pdf.line(x, facts_top, x + column, facts_top)
        value_y = _label(pdf, x, facts_top - 8, label)
        size, lines = _fit_lines(value, font, 11, 9, column, max_lines=3)
        pdf.setFillColor(INK)
        pdf.setFont(font, size)
        for line in lines:
            value_y -= size * 1.35
            pdf.drawString(x, value_y, line)

    pdf.setFillColor(MUTED)
    footer = _("Verify this certificate at %(url)s") % {"url": text.verify_url}
    size = _fit_size(footer, SANS, 8, width)
    pdf.setFont(SANS, size)
    pdf.drawString(left, 40, footer)
    url_x = left + pdfmetrics.stringWidth(footer.split(text.verify_url)[0], SANS, size)
    url_w = pdfmetrics.stringWidth(text.verify_url, SANS, size)
    pdf.linkURL(text.verify_url, (url_x, 37, url_x + url_w, 40 + size), thickness=0)


def _label(pdf: Canvas, x: float, y: float, label: str) -> float:
    """A small muted label; returns the baseline to continue below it."""
    pdf.setFillColor(MUTED)
    _tracked(pdf, x, y - 8, label.upper(), SANS_BOLD, 7.5)
    return y - 10


def _tracked(pdf: Canvas, x: float, y: float, value: str, font: str, size: float) -> None:
    """Capitals set with a little letter spacing, as the site's eyebrows are."""
    pdf.setFont(font, size)
    pdf.drawString(x, y, value, charSpace=size * 0.12)


def _fit_size(value: str, font: str, size: float, width: float) -> float:
    actual = pdfmetrics.stringWidth(value, font, size)
    return size if actual <= width else size * width / actual


def _fit_lines(
    value: str, font: str, largest: float, smallest: float, width: float, *, max_lines: int
) -> tuple[float, list[str]]:
    """The largest size (stepping down) at which the text fits in `max_lines` lines; at the
    smallest size a longer text is cut with an ellipsis rather than run off the page."""
    size = largest
    while True:
        lines = _split(value, font, size, width)
        if len(lines) <= max_lines or size <= smallest:
            break
        size = max(smallest, size - 1)
    if len(lines) > max_lines:
        lines = lines[:max_lines]
        last = lines[-1]
        while last and pdfmetrics.stringWidth(last + "…", font, size) > width:
            last = last[:-1].rstrip()
        lines[-1] = last + "…"
    return size, lines


def _split(value: str, font: str, size: float, width: float) -> list[str]:
    """Lines that fit `width`, breaking between words, and inside a word only when one word
    alone is wider than the line (a long URL-like title)."""
    lines = []
    for line in simpleSplit(value, font, size, width) or [""]:
        while pdfmetrics.stringWidth(line, font, size) > width and len(line) > 1:
            cut = len(line)
            while cut > 1 and pdfmetrics.stringWidth(line[:cut], font, size) > width:
                cut -= 1
            lines.append(line[:cut])
            line = line[cut:]
        lines.append(line)
    return lines
