"""Makes tests/fixtures/scans/r17_page.png and r17_scan.pdf (the same image as a PDF without a
text layer): the r17 web report's text, one table row per line, drawn as a page image in Noto
Sans CJK SC, for the OCR tests.
Needs: apt-get install fonts-noto-cjk; pip install pillow; a built nianbao (cargo build)."""
import subprocess
import sys

from PIL import Image, ImageDraw, ImageFont

text = subprocess.run(["target/debug/nianbao", "text", "tests/fixtures/corpus/r17_fixture_hangzhou_style_2025.html"],
                      check=True, capture_output=True, text=True).stdout
lines, row = [], []
for line in text.split("\n"):
    if line.startswith("\t"):
        if line[1:].strip():
            row.append(line[1:].strip())
        continue
    if row:
        lines.append("  ".join(row))
        row = []
    if line.strip():
        lines.append(line)
font = ImageFont.truetype("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 26, index=2)
width, wrapped = 2000, []
for line in lines:
    current = ""
    for ch in line:
        if font.getlength(current + ch) > width - 100:
            wrapped.append(current)
            current = ""
        current += ch
    wrapped.append(current)
page = Image.new("L", (width, 60 + 42 * len(wrapped)), 255)
draw = ImageDraw.Draw(page)
for i, line in enumerate(wrapped):
    draw.text((50, 30 + 42 * i), line, font=font, fill=0)
out = sys.argv[1] if len(sys.argv) > 1 else "tests/fixtures/scans/r17_page.png"
page.save(out, optimize=True)
page.save(out.replace("_page.png", "_scan.pdf"), resolution=200)
print(out, page.size)
