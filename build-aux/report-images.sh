#!/usr/bin/env bash
# Remakes the README's images of the reports from the current build:
#   build-aux/report-images.sh
# docs/report-html.png   the HTML report of the demo logs in headless Chromium
# docs/report-pdf.png    the first page of the PDF report (pdftoppm, 60 dpi)
# Needs chromium and poppler-utils (apt-get install chromium poppler-utils).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
top="$(dirname "$here")"
build="${DNSHUNT_BUILD_DIR:-$top/_build}"
out="$(mktemp -d)"
profile="$(mktemp -d)"
trap 'rm -rf "$out" "$profile"' EXIT

meson compile -C "$build" >/dev/null
cd "$top"
"$build/src/dnshunt" scan -f html -o "$out/report.html" data/demo
"$build/src/dnshunt" scan -f pdf -o "$out/report.pdf" data/demo

chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
  --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
  --screenshot="$top/docs/report-html.png" --window-size=1200,1600 \
  "file://$out/report.html" 2>/dev/null
pdftoppm -png -r 60 -f 1 -l 1 -singlefile "$out/report.pdf" "$top/docs/report-pdf"
echo "report-images.sh: wrote docs/report-html.png and docs/report-pdf.png"
