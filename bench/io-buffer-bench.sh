#!/usr/bin/env bash
# io-buffer-bytes A/B on 127.0.0.1 only (issue 12, item 8): idle-connection memory, IRC fan-out and proxy RSS growth
# at several per-listener receive-buffer sizes, interleaved (size after size, round after round) on fresh nodes.
# Usage: bench/io-buffer-bench.sh   (env: BENCH_RUNS=3, BENCH_SIZES="128KiB 4KiB 16KiB 64KiB", BENCH_CASES="connect fanout
# proxy", BENCH_OUT=dir, BIN=path of a published actornet: skips the publish)
# 128KiB = akka.io.tcp.maximum-frame-size, what 0 means on every listener but forward (0 there = 64KiB). Results: $OUT/results.jsonl, $OUT/summary.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS="${BENCH_RUNS:-3}"
SIZES="${BENCH_SIZES:-128KiB 4KiB 16KiB 64KiB}"
CASES="${BENCH_CASES:-connect fanout proxy}"
OUT="${BENCH_OUT:-artifacts/bench/io-buffer-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"

PIDS=()
source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${BIN:-}" ]]; then
    log "building Release -> artifacts/bench/actornet"
    dotnet publish src/ActorNet.Node -c Release -o artifacts/bench/actornet -nodeReuse:false -v quiet >/dev/null
    BIN="$PWD/artifacts/bench/actornet/actornet"
fi
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# start_chat SIZE: config/bench.conf's IRC listener with io-buffer-bytes = SIZE on $CHAT_PORT (others moved away)
start_chat() {
    CHAT_PORT=$(free_port)
    start actornet "$BIN" run --config config/bench.conf \
        --set "actornet.listeners.chat.bind=127.0.0.1:$CHAT_PORT" \
        --set "actornet.listeners.chat.io-buffer-bytes=$1" \
        --set "actornet.listeners.echo.bind=127.0.0.1:$(free_port)" \
        --set "actornet.listeners.udp-relay.bind=127.0.0.1:$(free_port)" \
        --set actornet.admin.enabled=false --set actornet.logging.level=warning
    NODE_PID=$LAST_PID
    wait_port "$CHAT_PORT"
}

# start_proxy SIZE: config/forward.conf's proxy listener with io-buffer-bytes = SIZE, to the bench's sink on $SINK_PORT
start_proxy() {
    PROXY_PORT=$(free_port); SINK_PORT=$(free_port)
    start actornet "$BIN" run --config config/forward.conf \
        --set "actornet.listeners.proxy.bind=127.0.0.1:$PROXY_PORT" \
        --set "actornet.listeners.proxy.upstream=127.0.0.1:$SINK_PORT" \
        --set "actornet.listeners.proxy.io-buffer-bytes=$1" \
        --set "actornet.listeners.echo.bind=127.0.0.1:$(free_port)" \
        --set actornet.admin.enabled=false --set actornet.logging.level=warning
    NODE_PID=$LAST_PID
    wait_port "$PROXY_PORT"
}

run() { # LABEL ARGS...: one bench client run, its JSON line appended to the results
    local label="$1"; shift
    log "$label (load $(cut -d' ' -f1 /proc/loadavg))"
    "$BIN" bench "$@" --json --quiet --label "$label" >>"$RESULTS" || log "$label: run reported errors (kept in results)"
}

log "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for round in $(seq 1 "$RUNS"); do
    for size in $SIZES; do
        if [[ " $CASES " == *" connect "* ]]; then
        start_chat "$size"
        run "connect-irc-n3000|io-$size" connect -p "$CHAT_PORT" -c 3000 --server-pid "$NODE_PID" --hold 2 --timeout 120
        stop "$NODE_PID"
        fi
        if [[ " $CASES " == *" fanout "* ]]; then
        start_chat "$size"
        "$BIN" bench fanout --port "$CHAT_PORT" -c 20 -m 100 --quiet --timeout 30 >/dev/null || true # warm-up
        run "fanout-c50|io-$size" fanout --port "$CHAT_PORT" -c 50 -m 400 --timeout 120
        run "fanout-c200|io-$size" fanout --port "$CHAT_PORT" -c 200 -m 100 --timeout 120
        stop "$NODE_PID"
        fi
        if [[ " $CASES " == *" proxy "* ]]; then
        start_proxy "$size"
        run "proxy-c1-1024mib|io-$size" proxy --port "$PROXY_PORT" --sink-port "$SINK_PORT" -c 1 --mib 1024 --server-pid "$NODE_PID" --timeout 600
        stop "$NODE_PID"
        fi
        if [[ " $CASES " == *" proxy "* ]]; then
        start_proxy "$size"
        run "proxy-c10-256mib|io-$size" proxy --port "$PROXY_PORT" --sink-port "$SINK_PORT" -c 10 --mib 256 --server-pid "$NODE_PID" --timeout 600
        stop "$NODE_PID"
        fi
    done
done
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" bench summarize "$RESULTS" | tee "$OUT/summary.txt"
echo "results: $RESULTS"
