#!/usr/bin/env bash
# Renders an HTML compliance report in a real headless browser (Debian's chromium) and saves a PNG,
# to check by eye that the self-contained page reads well offline.
#
#   scripts/report-screenshot.sh HTML PNG
#
# A sample report of a generated fleet (300 devices over two simulated years) comes from the tests:
#   SMETS1SIM_REPORT_DIR=/tmp/report dotnet test tests/Smets1Sim.Policy.Tests --filter Name~Html_GeneratedFleet
#   scripts/report-screenshot.sh /tmp/report/report.html /tmp/report/report.png
# Chromium is not a build dependency: install it with `apt-get install -y chromium`.
set -euo pipefail

if [[ $# -ne 2 ]]; then
    echo "usage: $0 HTML PNG" >&2
    exit 2
fi

html=$(realpath "$1")
png=$(realpath -m "$2")
browser=$(command -v chromium || command -v chromium-browser || true)
if [[ -z "$browser" ]]; then
    echo "$0: chromium not found (apt-get install -y chromium)" >&2
    exit 1
fi

# A throw-away profile, so the run neither reads nor leaves browser state; no network is needed
# because the page references nothing outside itself.
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
"$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --user-data-dir="$profile" \
    --screenshot="$png" --window-size="${REPORT_WINDOW_SIZE:-1280,2000}" "file://$html" 2>/dev/null
test -s "$png"
echo "$png"
