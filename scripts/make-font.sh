#!/usr/bin/env bash
# Rebuilds assets/fonts/NotoSansSC-Regular-subset.otf: Noto Sans CJK SC (Debian's fonts-noto-cjk,
# OFL-1.1) cut down to GB2312, ASCII, common punctuation and every character of the bundled
# reports, with kerning only and no hinting. Needs: apt-get install fonts-noto-cjk; pip install fonttools.
set -euo pipefail
cd "$(dirname "$0")/.."
ttc=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
[ -f "$ttc" ] || { echo "missing $ttc: apt-get install fonts-noto-cjk" >&2; exit 1; }
chars=$(mktemp)
python3 - "$chars" assets/samples/*.txt tests/fixtures/corpus/*.txt <<'PY'
import sys
out, *reports = sys.argv[1:]
chars = set()
for hi in range(0xA1, 0xF8):                      # every GB2312 character
    for lo in range(0xA1, 0xFF):
        try:
            chars.update(bytes([hi, lo]).decode("gb2312"))
        except UnicodeDecodeError:
            pass
chars.update(chr(c) for c in range(0x20, 0x7F))   # ASCII
chars.update("（）【】《》“”‘’、，。：；！？…—–·•√×÷±≤≥←→↑↓％＋－＝　")
for path in reports:                              # whatever the bundled reports print
    chars.update(open(path, encoding="utf-8").read())
chars = {c for c in chars if c.isprintable() or c == "\u3000"}
open(out, "w", encoding="utf-8").write("".join(sorted(chars)))
PY
pyftsubset "$ttc" --font-number=2 --text-file="$chars" --layout-features=kern --no-hinting \
  --name-IDs='*' --output-file=assets/fonts/NotoSansSC-Regular-subset.otf
rm -f "$chars"
ls -l assets/fonts/NotoSansSC-Regular-subset.otf
