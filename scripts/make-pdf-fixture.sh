#!/usr/bin/env bash
# Makes tests/fixtures/scans/r17_text_layer.pdf: the r17 web report printed to a PDF with a text
# layer by LibreOffice, for the "same report in every format" test.
# Needs: apt-get install libreoffice-writer-nogui fonts-noto-cjk
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp tests/fixtures/corpus/r17_fixture_hangzhou_style_2025.html "$work/r17.html"
soffice --headless --convert-to pdf:writer_web_pdf_Export --outdir "$work" "$work/r17.html" >/dev/null
cp "$work/r17.pdf" tests/fixtures/scans/r17_text_layer.pdf
ls -l tests/fixtures/scans/r17_text_layer.pdf
