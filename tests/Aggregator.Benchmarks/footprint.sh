#!/usr/bin/env bash
# Idle footprint of the real `aggregator serve`: resident set size (VmRSS) after 30 s idle,
# for `serve --demo` and for a store of N stories (default 10,000), after one request each to /,
# /feeds/world.rss and /api/stories (so the renderers and caches are in), then idle. The demo is
# measured once its first polls are stored (the story count held for 5 s), so a slow machine does not flatter it.
#   tests/Aggregator.Benchmarks/footprint.sh [--stories 10000] [--wait 30] [--no-build]
# Environment variables (DOTNET_TieredPGO=0, DOTNET_GCgen0size=…) pass through to serve, to try settings.
# AGGREGATOR_SERVE_BIN=path measures a native-AOT build instead (dotnet publish src/Aggregator -c Release
# -r linux-x64 -p:PublishAot=true -o DIR; then AGGREGATOR_SERVE_BIN=DIR/aggregator).
set -euo pipefail
stories=10000 wait=30 build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --stories) stories=$2; shift 2 ;;
    --wait) wait=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "footprint.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
root=$(cd "$(dirname "$0")/../.." && pwd)
[ "$build" = 1 ] && dotnet build "$root/tests/Aggregator.Benchmarks" -c Release -nologo -v q >/dev/null
bench=${AGGREGATOR_BENCH_DLL:-$root/tests/Aggregator.Benchmarks/bin/Release/net10.0/Aggregator.Benchmarks.dll}
serve=${AGGREGATOR_SERVE_DLL:-$root/src/Aggregator/bin/Release/net10.0/aggregator.dll}
if [ -n "${AGGREGATOR_SERVE_BIN:-}" ]; then run=("$AGGREGATOR_SERVE_BIN"); else run=(dotnet "$serve"); fi
work=$(mktemp -d /tmp/aggregator-rss.XXXXXX)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

measure() { # label, serve arguments…
  local label=$1; shift
  local port; port=$(free_port)
  (cd "$work" && exec "${run[@]}" serve --urls "http://127.0.0.1:$port" "$@" >"$work/serve.log" 2>&1) &
  pid=$!
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
  # The demo's first polls: wait until the story count has held for 5 s (at most 3 min on a busy machine).
  local last=-1 same=0
  for _ in $(seq 1 180); do
    local now; now=$(curl -sf "http://127.0.0.1:$port/health" | sed 's/.*"stories":\([0-9]*\).*/\1/')
    if [ "$now" = "$last" ] && [ "$now" != 0 ]; then same=$((same + 1)); else same=0; fi
    [ "$same" -ge 5 ] && break
    last=$now; sleep 1
  done
  for p in / /feeds/world.rss /api/stories; do curl -sf "http://127.0.0.1:$port$p" -o /dev/null || true; done
  sleep "$wait"
  local health; health=$(curl -sf "http://127.0.0.1:$port/health")
  printf '%-28s VmRSS %4.0f MiB  (VmHWM %4.0f MiB)  %s\n' "$label" \
    "$(awk '/VmRSS/ {print $2 / 1024}' /proc/$pid/status)" "$(awk '/VmHWM/ {print $2 / 1024}' /proc/$pid/status)" "$health"
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
}
measure "serve --demo, ${wait} s" --demo
dotnet "$bench" seed --stories "$stories" --out "$work/store" >/dev/null
measure "serve, $stories stories, ${wait} s" --config "$work/store/feeds.json"
