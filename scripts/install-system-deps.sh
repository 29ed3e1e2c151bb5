#!/usr/bin/env bash
# Debian packages the assistant uses: speech (espeak-ng, sox, lame), PDF text
# (poppler-utils), OCR (tesseract + Vietnamese), browser tests (chromium).
# Installs what is missing when we are root or have passwordless sudo;
# otherwise prints the command to run and carries on (features degrade with a
# clear message, `chibo doctor` tells which).
set -u
PACKAGES=(espeak-ng sox lame poppler-utils tesseract-ocr tesseract-ocr-vie chromium fonts-dejavu-core)
missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo ">> system packages present"
    exit 0
fi
if ! command -v apt-get >/dev/null; then
    echo ">> not a Debian system: install ${missing[*]} with your package manager" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
        echo ">> run: sudo apt-get install -y ${missing[*]}   (needed for speech, OCR and browser tests)" >&2
        exit 0
    fi
fi
echo ">> installing ${missing[*]}"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
