#!/usr/bin/env python3
"""Makes tests/fixtures/scans/r17_ruled.pdf: the r17 web report typeset by fpdf2 with ruled,
merged tables (rowspan/colspan as in the page). fpdf2 places every glyph on its own, so the text
layer spaces every glyph ("2 0 2 5") and only the glyph positions and the table rules say which
digits belong to which cell: the case the position-based PDF reader exists for.

Needs: pip install fpdf2 (2.8) — uses the app's own font subset.
"""
import datetime
import html.parser
import pathlib

from fpdf import FPDF

ROOT = pathlib.Path(__file__).resolve().parent.parent
SOURCE = ROOT / "tests/fixtures/corpus/r17_fixture_hangzhou_style_2025.html"
TARGET = ROOT / "tests/fixtures/scans/r17_ruled.pdf"
FONT = ROOT / "assets/fonts/NotoSansSC-Regular-subset.otf"


class Blocks(html.parser.HTMLParser):
    """The page as paragraphs and tables of (text, colspan, rowspan) cells."""

    def __init__(self):
        super().__init__()
        self.blocks = []
        self.text = None
        self.span = (1, 1)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.blocks.append(("table", []))
        elif tag == "tr":
            self.blocks[-1][1].append([])
        elif tag in ("td", "th", "p", "title"):
            self.text = ""
            self.span = (int(attrs.get("colspan", 1)), int(attrs.get("rowspan", 1)))

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self.blocks[-1][1][-1].append((self.text.strip(), *self.span))
            self.text = None
        elif tag in ("p", "title"):
            self.blocks.append(("p", self.text.strip()))
            self.text = None

    def handle_data(self, data):
        if self.text is not None:
            self.text += data


def main():
    parser = Blocks()
    parser.feed(SOURCE.read_text(encoding="utf-8"))
    pdf = FPDF(format="A4")
    pdf.add_font("noto", fname=str(FONT))
    pdf.set_font("noto", size=9)
    pdf.set_creation_date(datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
    pdf.add_page()
    for kind, content in parser.blocks:
        if kind == "p":
            pdf.multi_cell(0, 6, content, new_x="LMARGIN", new_y="NEXT")
            continue
        columns = max(sum(c for _, c, _ in row) for row in content)
        # Label columns wide, number columns narrow, as printed reports do.
        if columns == 4:
            widths = [60, 40, 40, 40]
        elif columns == 10:
            widths = [16, 18, 44] + [16] * 7
        else:
            widths = [12.6] * columns
        with pdf.table(col_widths=widths, first_row_as_headings=False, line_height=5) as table:
            for row in content:
                cells = table.row()
                for text, colspan, rowspan in row:
                    cells.cell(text, colspan=colspan, rowspan=rowspan)
        pdf.ln(4)
    pdf.output(str(TARGET))
    print(TARGET, TARGET.stat().st_size)


if __name__ == "__main__":
    main()
