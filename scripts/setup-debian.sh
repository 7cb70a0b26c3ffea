#!/usr/bin/env bash
# System packages for nianbao on Debian. Building and testing need none (only the Rust toolchain).
#   bash scripts/setup-debian.sh            # what the review window needs at run time (X11/Wayland, OpenGL)
#   bash scripts/setup-debian.sh shots      # plus a virtual display and tools to take screenshots
#   bash scripts/setup-debian.sh ocr        # plus the OCR engine and its Chinese model, to read scans
#   bash scripts/setup-debian.sh font       # plus what scripts/make-font.sh needs to rebuild the CJK font
set -euo pipefail
packages=(libgl1 libegl1 libxkbcommon-x11-0 libxcursor1 libxrandr2 libxi6 libwayland-client0)
for extra in "$@"; do
  case "$extra" in
    shots) packages+=(xvfb imagemagick xdotool) ;;
    ocr) packages+=(tesseract-ocr tesseract-ocr-chi-sim poppler-utils) ;;
    font) packages+=(fonts-noto-cjk python3-pip) ;;
    *) echo "unknown option: $extra (shots, ocr, font)" >&2; exit 2 ;;
  esac
done
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo apt-get install -y --no-install-recommends "${packages[@]}"
if printf '%s\n' "$@" | grep -qx font; then pip install fonttools pillow; fi
