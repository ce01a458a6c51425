#!/usr/bin/env bash
# Lighthouse (performance, accessibility, best practices, SEO) and first-load JavaScript
# (gzip) for every public page of the production build, served on one port with a fresh,
# migrated and seeded SQLite database. Needs `make deps-dev browser` and
# .tools/node_modules/.bin/lighthouse (`make bench-lighthouse` installs both).
#
#   bash bench/lighthouse.sh            # all pages in the sitemap
#   PAGES="/ /contact" bash bench/lighthouse.sh
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PY=$ROOT/.venv/bin/python
LIGHTHOUSE=$ROOT/.tools/node_modules/.bin/lighthouse
export PATH="$ROOT/.tools/node_modules/.bin:$ROOT/.venv/bin:$PATH"
export CHROME_PATH=${CHROME_PATH:-/usr/bin/chromium}
export REFLEX_TELEMETRY_ENABLED=false REFLEX_CHECK_LATEST_VERSION=false PYTHONDONTWRITEBYTECODE=1

PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
WORK=$(mktemp -d)
export FLUXENT_ENV=test FLUXENT_PORT=$PORT FLUXENT_BASE_URL=http://127.0.0.1:$PORT \
  FLUXENT_DATA_DIR=$WORK/data FLUXENT_DATABASE_URL=sqlite:///$WORK/data/bench.db FLUXENT_EMAIL_BACKEND=file
mkdir -p "$WORK/data" "$WORK/reports"
$PY -m fluxent migrate >/dev/null
$PY -m fluxent seed >/dev/null

setsid reflex run --env prod --single-port --backend-port "$PORT" >"$WORK/server.log" 2>&1 &
SERVER=$!
trap 'kill -- -$SERVER 2>/dev/null || true; rm -rf "$WORK"' EXIT
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:$PORT/api/v1/health/" >/dev/null 2>&1 && break
  sleep 1
done
curl -fsS "http://127.0.0.1:$PORT/api/v1/health/" >/dev/null || { cat "$WORK/server.log"; exit 1; }

if [ -z "${PAGES:-}" ]; then
  PAGES=$(curl -fsS "http://127.0.0.1:$PORT/sitemap.xml" | grep -o '<loc>[^<]*</loc>' | sed -e 's/<[^>]*>//g' -e "s#http://127.0.0.1:$PORT##")
fi

i=0
for page in $PAGES; do
  i=$((i + 1))
  "$LIGHTHOUSE" "http://127.0.0.1:$PORT$page" --quiet --output=json --output-path="$WORK/reports/$i.json" \
    --only-categories=performance,accessibility,best-practices,seo \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --no-first-run" \
    >/dev/null 2>>"$WORK/lighthouse.log" || echo "lighthouse failed on $page" >&2
done
$PY bench/lighthouse_report.py "$WORK/reports"
