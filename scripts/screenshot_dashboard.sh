#!/usr/bin/env bash
# Regenerate docs/img/dashboard-cpts.png: the top of the French dashboard of the CPTS
# scenario on the small synthetic territory (the run of the planners' guide).
#
#   scripts/screenshot_dashboard.sh            # python from PATH (activate the venv first)
#   PYTHON=/path/to/python scripts/screenshot_dashboard.sh
#
# Needs headless Chromium (Debian: apt-get install chromium; or BROWSER_PATH=...) and,
# to keep the file small, pngquant or ImageMagick (optional). About 15 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=$ROOT/docs/img/dashboard-cpts.png
PY=${PYTHON:-$(command -v python || command -v python3)}
BROWSER=${BROWSER_PATH:-$(command -v chromium || command -v chromium-browser || true)}
WIDTH=1280
HEIGHT=2400
if [ -z "$BROWSER" ]; then
  echo "screenshot_dashboard.sh: Chromium not found (apt-get install chromium, or set BROWSER_PATH)" >&2
  exit 2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "simulating (territory=exemple scenario=cpts)…"
(cd "$tmp" && "$PY" -m simsoins territory=exemple scenario=cpts run.replications=3 run.horizon_days=60 \
  run.warmup_days=14 dashboard.lang=fr "hydra.run.dir=$tmp/run" > "$tmp/sim.log" 2>&1) \
  || { tail -20 "$tmp/sim.log" >&2; exit 1; }

echo "screenshot (${WIDTH}x${HEIGHT})…"
"$BROWSER" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run --no-default-browser-check \
  --disable-background-networking --disable-component-update --disable-sync --disable-extensions --disable-dev-shm-usage \
  --hide-scrollbars --mute-audio "--host-resolver-rules=MAP * ~NOTFOUND" "--user-data-dir=$tmp/profile" \
  --virtual-time-budget=15000 --force-device-scale-factor=1 "--window-size=$WIDTH,$HEIGHT" \
  "--screenshot=$tmp/full.png" "file://$tmp/run/dashboard.html" > "$tmp/chromium.log" 2>&1 \
  || { tail -20 "$tmp/chromium.log" >&2; exit 1; }

# shrink: 256-colour palette (the page is flat colours and text)
if command -v pngquant > /dev/null; then
  pngquant --quality=70-95 --speed 1 --strip --force --output "$tmp/small.png" "$tmp/full.png"
elif command -v convert > /dev/null; then
  convert "$tmp/full.png" -strip -colors 256 "PNG8:$tmp/small.png"
else
  cp "$tmp/full.png" "$tmp/small.png"
fi
mkdir -p "$(dirname "$OUT")"
cp "$tmp/small.png" "$OUT"
echo "$OUT ($(( $(stat -c %s "$OUT") / 1024 )) KB)"
