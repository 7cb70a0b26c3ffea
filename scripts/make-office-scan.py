"""Makes a test scan the way an office scan looks: each page of a PDF rendered at a resolution,
turned a little, blurred, given noise and saved as JPEG 70, the pages then put in a PDF without
a text layer (one JPEG image per page).
Usage: python3 scripts/make-office-scan.py IN.pdf OUT.pdf DPI ANGLE [ANGLE...]  (one angle per
page, in degrees, cycled). Needs: poppler-utils, imagemagick (bash scripts/setup-debian.sh shots ocr)."""
import glob
import os
import subprocess
import sys
import tempfile

source, target, dpi, angles = sys.argv[1], sys.argv[2], int(sys.argv[3]), [float(a) for a in sys.argv[4:]]
with tempfile.TemporaryDirectory() as tmp:
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", source, f"{tmp}/p"], check=True)
    pages = []
    for i, png in enumerate(sorted(glob.glob(f"{tmp}/p-*.png"))):
        jpg = f"{tmp}/s-{i}.jpg"
        subprocess.run(["convert", png, "-background", "white", "-rotate", str(angles[i % len(angles)]),
                        "-blur", "0x0.8", "-attenuate", "0.4", "+noise", "Gaussian", "-colorspace", "Gray", "-type", "Grayscale", "-quality", "70", jpg],
                       check=True)
        width, height = map(int, subprocess.run(["identify", "-format", "%w %h", jpg], check=True,
                                                capture_output=True, text=True).stdout.split())
        pages.append((open(jpg, "rb").read(), width, height))

# A PDF with one image per page, the page the image's size at its resolution.
objects = []
kids = []
for n, (jpeg, width, height) in enumerate(pages):
    w, h = width * 72 / dpi, height * 72 / dpi
    image = len(objects) + 3
    content = f"q {w:.2f} 0 0 {h:.2f} 0 0 cm /Im0 Do Q".encode()
    objects.append(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceGray "
                   b"/BitsPerComponent 8 /Filter /DCTDecode /Length %d >>\nstream\n" % (width, height, len(jpeg))
                   + jpeg + b"\nendstream")
    objects.append(b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream")
    objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %.2f %.2f] /Resources << /XObject << /Im0 %d 0 R >> >> "
                   b"/Contents %d 0 R >>" % (w, h, image, image + 1))
    kids.append(image + 2)
header = [b"<< /Type /Catalog /Pages 2 0 R >>",
          b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))]
out = bytearray(b"%PDF-1.4\n")
offsets = []
for number, body in enumerate(header + objects, start=1):
    offsets.append(len(out))
    out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
xref = len(out)
out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(offsets) + 1, xref)
with open(target, "wb") as f:
    f.write(out)
print(f"{target}: {len(pages)} pages, {os.path.getsize(target)} bytes")
