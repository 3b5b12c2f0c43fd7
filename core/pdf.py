"""PDFs of the tracker (request letters, compliance reports) with fpdf2 and harfbuzz shaping.

Only Python packages are needed: fpdf2 draws, uharfbuzz shapes (Urdu letters joined, runs of
Arabic script laid right to left by fpdf2's bidi), and the fonts are TrueType files from npm
(`@expo-google-fonts/noto-sans` for Latin, `@expo-google-fonts/noto-naskh-arabic` for Urdu),
installed with the rest of the front-end libraries and never downloaded at run time.
"""

import re
from collections.abc import Sequence
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from fpdf import FPDF, FontFace
from fpdf.enums import TableCellFillMode

# family -> style -> file under settings.PDF_FONT_DIR
FONTS = {
    "sans": {
        "": "noto-sans/400Regular/NotoSans_400Regular.ttf",
        "B": "noto-sans/700Bold/NotoSans_700Bold.ttf",
    },
    "naskh": {
        "": "noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf",
        "B": "noto-naskh-arabic/700Bold/NotoNaskhArabic_700Bold.ttf",
    },
}
_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN = re.compile(r"[A-Za-z]")

INK = (24, 33, 47)
MUTED = (102, 112, 133)
RULE = (205, 210, 218)
HEAD_FILL = (238, 240, 244)
# One colour per series in the charts, the UI's palette.
PALETTE = [(36, 81, 199), (6, 118, 71), (180, 35, 24), (161, 92, 7), (77, 88, 105), (107, 63, 194)]


def is_rtl(text: str) -> bool:
    """True when the text is in Arabic script with no Latin letter (a name, not a sentence)."""
    return bool(_ARABIC_SCRIPT.search(text)) and not _LATIN.search(text)


class Document(FPDF):
    """An A4 page set with the tracker's fonts, shaping on, a running footer and helpers for
    headings, label/value blocks, tables and bar charts."""

    def __init__(self, *, title: str, footer: str = ""):
        super().__init__(orientation="portrait", unit="mm", format="A4")
        font_dir = Path(settings.PDF_FONT_DIR)
        for family, styles in FONTS.items():
            for style, name in styles.items():
                path = font_dir / name
                if not path.is_file():
                    raise ImproperlyConfigured(
                        f"PDF font {path} is missing: run `make install` (npm ci) first."
                    )
                self.add_font(family, style, str(path))
        self.set_fallback_fonts(["naskh"], exact_match=False)
        self.set_text_shaping(True)
        self.set_title(title)
        self.set_creator("Takedown tracker")
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)
        self.footer_text = footer
        self.alias_nb_pages()
        self.add_page()
        self.set_text_color(*INK)

    def footer(self):
        self.set_y(-12)
        self.set_font("sans", size=7.5)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.footer_text, align="L")
        self.set_x(self.l_margin)
        self.cell(0, 5, f"{self.page_no()} / {{nb}}", align="R")
        self.set_text_color(*INK)

    def heading(self, text: str, *, size: float = 15) -> None:
        self.set_font("sans", "B", size)
        self.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
        self.ln(1.5)

    def subheading(self, text: str) -> None:
        if self.will_page_break(20):
            self.add_page()
        self.ln(2)
        self.set_font("sans", "B", 11)
        self.cell(0, 6, text, new_x="LMARGIN", new_y="NEXT")
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y(), self.w - self.r_margin, self.get_y())
        self.ln(2)

    def paragraph(self, text: str, *, size: float = 10) -> None:
        self.set_font("sans", size=size)
        for block in text.strip().split("\n\n"):
            block = block.strip()
            if block:
                align = "R" if is_rtl(block) else "L"
                self.multi_cell(0, size * 0.5, block, align=align, new_x="LMARGIN", new_y="NEXT")
                self.ln(size * 0.25)

    def fields(self, pairs: Sequence[tuple[str, str]], *, label_width: float = 42) -> None:
        """Label: value lines, the value wrapping under itself."""
        for label, value in pairs:
            self.set_font("sans", "B", 9.5)
            self.cell(label_width, 5.5, label)
            self.set_font("sans", size=9.5)
            value = str(value)
            self.multi_cell(
                0, 5.5, value, align="R" if is_rtl(value) else "L", new_x="LMARGIN", new_y="NEXT"
            )
        self.ln(1)

    def data_table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        widths: Sequence[float] | None = None,
        size: float = 8.5,
    ) -> None:
        """A table with a repeated heading row; cells in Arabic script align to the right."""
        self.set_font("sans", size=size)
        self.set_draw_color(*RULE)
        self.set_fill_color(255, 255, 255)
        self.set_text_color(*INK)
        with self.table(
            col_widths=widths,
            headings_style=FontFace(emphasis="BOLD", fill_color=HEAD_FILL),
            cell_fill_mode=TableCellFillMode.NONE,
            line_height=size * 0.55,
            padding=1.2,
            repeat_headings=1,
            first_row_as_headings=True,
            text_align="LEFT",
        ) as table:
            heading = table.row()
            for text in headers:
                heading.cell(str(text))
            for values in rows:
                row = table.row()
                for value in values:
                    text = "" if value is None else str(value)
                    row.cell(text, align="RIGHT" if is_rtl(text) else "LEFT")
        self.ln(2)

    def bar_chart(
        self,
        *,
        title: str,
        categories: Sequence[str],
        series: Sequence[tuple[str, Sequence[float]]],
        height: float = 55,
    ) -> None:
        """Grouped bars: one group per category, one bar per series, drawn with rectangles."""
        width = self.w - self.l_margin - self.r_margin
        if self.will_page_break(height + 22):
            self.add_page()
        self.set_font("sans", "B", 9.5)
        self.cell(0, 6, title, new_x="LMARGIN", new_y="NEXT")
        top, left = self.get_y() + 2, self.l_margin + 10
        plot_w, plot_h = width - 10, height
        peak = max([v for _name, values in series for v in values] + [1])
        step = _nice_step(peak)
        top_value = step * -(-peak // step)
        self.set_font("sans", size=7)
        self.set_draw_color(*RULE)
        tick = 0
        while tick <= top_value:
            y = top + plot_h - plot_h * tick / top_value
            self.line(left, y, left + plot_w, y)
            self.set_xy(self.l_margin, y - 2)
            self.cell(9, 4, f"{tick:g}", align="R")
            tick += step
        groups = max(len(categories), 1)
        group_w = plot_w / groups
        bar_w = group_w * 0.8 / max(len(series), 1)
        for g, category in enumerate(categories):
            x0 = left + g * group_w + group_w * 0.1
            for s, (_name, values) in enumerate(series):
                value = values[g]
                bar_h = plot_h * value / top_value
                self.set_fill_color(*PALETTE[s % len(PALETTE)])
                if bar_h > 0:
                    self.rect(x0 + s * bar_w, top + plot_h - bar_h, bar_w * 0.92, bar_h, style="F")
            self.set_xy(left + g * group_w, top + plot_h + 1)
            self.set_text_color(*MUTED)
            self.cell(group_w, 4, category, align="C")
            self.set_text_color(*INK)
        self.set_xy(left, top + plot_h + 6)
        for s, (name, _values) in enumerate(series):
            self.set_fill_color(*PALETTE[s % len(PALETTE)])
            self.rect(self.get_x(), self.get_y() + 1, 3, 3, style="F")
            self.set_x(self.get_x() + 4)
            self.cell(self.get_string_width(name) + 6, 5, name)
        self.set_xy(self.l_margin, top + plot_h + 13)


def _nice_step(peak: float) -> float:
    """A round gridline step giving about four lines up to `peak`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if peak / step <= 5:
            return step
    return 10 ** len(str(int(peak)))
