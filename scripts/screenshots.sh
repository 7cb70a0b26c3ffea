#!/usr/bin/env bash
# Takes the screenshots in screenshots/ from the real window under a virtual display, typing
# into it as a reviewer does (xdotool, 30 ms between keys).
# Needs: bash scripts/setup-debian.sh shots ocr; a built binary (cargo build, or BIN=...).
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${BIN:-target/debug/nianbao}
work=$(mktemp -d)
cp assets/samples/*.txt tests/fixtures/scans/r17_page.png "$work"/
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

# Starts a virtual screen of WIDTHxHEIGHT on display $1 and the window on the samples. With fresh
# settings the window asks for the reviewer's name first; with a third argument the settings
# already name 张三 (xdotool types Chinese by remapping a key, and winit now and then misses the
# first remapped key, so the name is not typed).
start() {
  export DISPLAY=:$1 HOME="$work/home$1"
  mkdir -p "$HOME/.local/share/nianbao"
  if [ $# -gt 2 ]; then
    printf '{"nianbao.settings":"(reviewer:\\"张三\\")"}' >"$HOME/.local/share/nianbao/app.ron"
  fi
  Xvfb ":$1" -screen 0 "$2x24" >/dev/null 2>&1 & pids+=($!)
  sleep 1
  "$bin" review "${work}" >/dev/null 2>&1 & pids+=($!)
  sleep 6
  win=$(xdotool search --onlyvisible --name nianbao | head -1)
  xdotool windowfocus --sync "$win"
}
shot() { sleep 1.5; xdotool mousemove 5 5; sleep 0.3; import -window root "screenshots/$1.png"; }
key() { xdotool key --delay 300 "$@"; }
stop() { kill "${pids[@]}" 2>/dev/null || true; pids=(); sleep 1; }

# The first start asks for the reviewer's name.
start 96 1280x720
shot ask-reviewer-name
stop

# 1280×720: 003's blank 表三 typed into at a clerk's pace.
start 97 1280x720 named
key Next Next Next; sleep 1.5
xdotool key --delay 30 1 1 Return 2 2 Return 3 3 Return 5 Return
xdotool key --delay 30 1
shot window-1280x720
key Escape
stop

# 1920×1080: 003 with its blanks filled (B), a value corrected, and the changes view (Ctrl+D).
start 98 1920x1080 named
key Next Next Next; sleep 1.5
key b
xdotool key --delay 30 4 shift+Return
key ctrl+d
shot window-1920x1080
stop

# 1600×1000, the figures of the README.
start 99 1600x1000 named
key Next; shot clean-report                                    # 001: every cell read, every check holds
key Next Next; sleep 1.5
key n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n n
shot failed-check-suggestion                                   # 003: 表四's doubled 11, the suggestion
key Prior Prior Prior                                          # 000: garbled OCR text
xdotool key --delay 30 2 Return 0 Return 0 Return
xdotool key --delay 30 2
shot ocr-being-corrected
key Escape Next Next Next Next Next; sleep 8                   # the scanned page (OCR takes seconds)
key n n n
shot scan-page-beside-tables
xdotool key F1; shot keys-help
stop

# 1600×1000: the r03 office scan (6 pages, 300 dpi, turned and noisy), read once by `check` (the
# reading is kept in nianbao-records/ocr/, so the window opens it at once), a cell selected:
# the page magnified on it, the cell as scanned above the tables.
scan=$(mktemp -d)
cp tests/fixtures/corpus/r03_huaian_2024_scan.pdf "$scan"/
"$bin" check "$scan" >/dev/null 2>&1 || true
work=$scan start 95 1600x1000 named
sleep 20
key n n
shot scan-zoomed-beside-tables
stop
rm -rf "$scan"

# 1600×1000: r03 through a PDF-to-Markdown converter, a cell of 表三 selected: its number marked
# in the written-out pipe tables, its place named.
md=$(mktemp -d)
cp tests/fixtures/corpus/r03_huaian_2024_md.md "$md"/
work=$md start 96 1600x1000 named
key Down Down Down Down Down Down Down Down Down
shot markdown-beside-tables
stop
rm -rf "$md"
# 1600×1000: r03's PDF (a text layer): its pages drawn beside the tables, a cell of 表三 selected
# and its box outlined on the page.
pdf=$(mktemp -d)
cp tests/fixtures/corpus/r03_huaian_2024.pdf "$pdf"/
work=$pdf start 94 1600x1000 named
sleep 4
key Down Down Down Down Down Down Down Down Down
shot pdf-page-beside-tables
stop
rm -rf "$pdf"
# 1600×1000: an office's folder — the samples, Pingtan's reports of 2019, 2020 (its 2019 report
# again under the next year's title) and 2021, r03 as a PDF, and three townships of 2023 —
# with the clean reports approved straight through: the overview (Ctrl+2), one body chosen, its
# years charted; the totals (Ctrl+3); the workbook and a letter as LibreOffice prints them.
office=$(mktemp -d)
cp assets/samples/*.txt tests/fixtures/corpus/r10_pingtan_2019.txt \
  tests/fixtures/corpus/r12_pingtan_2021.txt tests/fixtures/corpus/r03_huaian_2024.pdf "$office"/
sed 's/2019年/2020年/g' tests/fixtures/corpus/r10_pingtan_2019.txt >"$office/r11_pingtan_2020.txt"
for n in 1 2 3; do
  sed "s/华容县插旗镇人民政府/测试县第${n}镇人民政府/g" assets/samples/002_9042ac2a28d37d4e.txt \
    >"$office/town$n.txt"
done
"$bin" approve --auto "$office" >/dev/null
work=$office start 93 1600x1000 named
key ctrl+2
shot overview
key ctrl+3; sleep 3
shot totals
stop
exports=$(mktemp -d)
"$bin" export "$office" --totals "$exports/汇总.xlsx" >/dev/null 2>&1
"$bin" export "$office" --letters "$exports/letters" >/dev/null 2>&1
(cd "$exports" && libreoffice --headless --convert-to pdf 汇总.xlsx >/dev/null 2>&1 &&
  pdftoppm -r 80 -f 2 -l 2 -png 汇总.pdf totals-page)
letter=$(ls "$exports"/letters/*.docx | head -1)
(cd "$exports" && libreoffice --headless --convert-to pdf "$letter" >/dev/null 2>&1 &&
  pdftoppm -r 80 -f 1 -l 1 -png "$(basename "${letter%.docx}").pdf" letter-page)
cp "$(ls "$exports"/totals-page*.png | head -1)" screenshots/totals-xlsx-in-libreoffice.png
cp "$(ls "$exports"/letter-page*.png | head -1)" screenshots/letter-docx-in-libreoffice.png
rm -rf "$office" "$exports"
ls -l screenshots
