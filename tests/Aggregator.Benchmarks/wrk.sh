#!/usr/bin/env bash
# Load test of the real `aggregator serve` with an external load generator (wrk), against a bare
# Kestrel peer that serves the very bodies the real server gave, in the same run, round by round.
#   tests/Aggregator.Benchmarks/wrk.sh [--stories 10000] [--seconds 15] [--rounds 3] [--connections 32] [--paths "/health /"]
# Needs wrk (apt-get install -y wrk). Prints one line per endpoint and round, then the RSS of serve.
set -euo pipefail
stories=10000 seconds=15 rounds=3 connections=32 paths="/feeds/world.rss /api/stories?limit=50 / /health" build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --stories) stories=$2; shift 2 ;;
    --seconds) seconds=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --paths) paths=$2; shift 2 ;;
    --no-build) build=0; shift ;;
    *) echo "wrk.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { echo "wrk.sh: wrk is not installed (apt-get install -y wrk)" >&2; exit 2; }
root=$(cd "$(dirname "$0")/../.." && pwd)
[ "$build" = 1 ] && dotnet build "$root/tests/Aggregator.Benchmarks" -c Release -nologo -v q >/dev/null
bench=${AGGREGATOR_BENCH_DLL:-$root/tests/Aggregator.Benchmarks/bin/Release/net10.0/Aggregator.Benchmarks.dll}
serve=${AGGREGATOR_SERVE_DLL:-$root/src/Aggregator/bin/Release/net10.0/aggregator.dll}
# AGGREGATOR_SERVE_BIN=path drives a native-AOT build instead (see footprint.sh).
if [ -n "${AGGREGATOR_SERVE_BIN:-}" ]; then run=("$AGGREGATOR_SERVE_BIN"); else run=(dotnet "$serve"); fi
work=$(mktemp -d /tmp/aggregator-wrk.XXXXXX)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

dotnet "$bench" seed --stories "$stories" --out "$work/store"
port=$(free_port) bare_port=$(free_port)
"${run[@]}" serve --config "$work/store/feeds.json" --urls "http://127.0.0.1:$port" >"$work/serve.log" 2>&1 &
pids+=($!) serve_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done

# One body file per endpoint, named after it, for the bare peer.
mkdir "$work/bodies"
name_of() { case "$1" in /) echo index.html ;; /health) echo health.json ;; /feeds/*) basename "$1" ;; *) echo "$1" | tr -c 'a-zA-Z0-9\n' '_' | sed 's/$/.json/' ;; esac; }
for p in $paths; do curl -sf "http://127.0.0.1:$port$p" -o "$work/bodies/$(name_of "$p")"; done
dotnet "$bench" bare --dir "$work/bodies" --urls "http://127.0.0.1:$bare_port" >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do curl -sf "http://127.0.0.1:$bare_port/$(name_of /health)" >/dev/null 2>&1 && break; curl -sf "http://127.0.0.1:$bare_port/$(name_of "${paths%% *}")" >/dev/null 2>&1 && break; sleep 0.5; done

run() { # url -> "req/s p99"
  local out; out=$(wrk -t1 -c"$connections" -d"${seconds}s" --latency "$1")
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(echo "$out" | awk '$1 == "99%" {print $2}')"
}
echo "stories=$stories wrk -t1 -c$connections -d${seconds}s --latency, $rounds rounds"
printf '%-24s %6s %10s %9s %10s %9s %7s\n' endpoint round serve p99 bare p99 ratio
for round in $(seq 1 "$rounds"); do
  for p in $paths; do
    wrk -t1 -c"$connections" -d2s "http://127.0.0.1:$port$p" >/dev/null # warm up
    read -r s sp < <(run "http://127.0.0.1:$port$p")
    read -r b bp < <(run "http://127.0.0.1:$bare_port/$(name_of "$p")")
    printf '%-24s %6s %10s %9s %10s %9s %6.0f%%  (%s bytes)\n' "$p" "$round" "$s" "$sp" "$b" "$bp" "$(echo "100 * $s / $b" | bc -l)" "$(stat -c %s "$work/bodies/$(name_of "$p")")"
  done
done
echo "serve RSS after the runs: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/$serve_pid/status)"
