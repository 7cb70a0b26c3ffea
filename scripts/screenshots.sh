#!/usr/bin/env bash
# Takes the screenshots in screenshots/ from the real window under a virtual display.
# Needs: bash scripts/setup-debian.sh shots; a built binary (cargo build, or BIN=target/release/nianbao).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/debug/nianbao}
work=$(mktemp -d)
cp assets/samples/*.txt tests/fixtures/scans/r17_page.png "$work"/
export DISPLAY=:97
Xvfb :97 -screen 0 1600x1000x24 >/dev/null 2>&1 & xvfb=$!
trap 'kill $app $xvfb 2>/dev/null; rm -rf "$work"' EXIT
sleep 1
"$bin" review "$work" >/dev/null 2>&1 & app=$!
sleep 5
win=$(xdotool search --name nianbao | head -1)
shot() { sleep 1.5; xdotool mousemove 700 885; sleep 0.5; import -window "$win" "screenshots/$1.png"; }
key() { for k in "$@"; do xdotool key "$k"; sleep 0.3; done; }
xdotool windowfocus "$win" 2>/dev/null || true
xdotool mousemove 700 885 click 1
key Next; shot clean-report                                   # 001: every cell read, every check holds
key Next Next; sleep 1.5
xdotool mousemove 900 806 click 1                             # 003: click the 表四 finding
shot failed-check-suggestion
key Prior Prior Prior Down Down Down Down Down Down Down Down # 000: down to 表三's first row
for v in 2 0 0 0 0 0; do xdotool type --delay 150 "$v"; sleep 0.3; key Return; done
xdotool type --delay 150 2                                    # typing the total, from the prose
shot ocr-being-corrected
key Escape Next Next Next Next Next; sleep 6                         # the scanned page (OCR takes a few seconds)
xdotool mousemove 1100 850 click 1; sleep 0.5
key n n n
shot scan-page-beside-tables
ls -l screenshots
