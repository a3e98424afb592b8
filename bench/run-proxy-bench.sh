#!/usr/bin/env bash
# Proxy bench on 127.0.0.1 only: bulk uploads and downloads through ActorNet's `handler = forward` listener, socat
# and haproxy (Debian packages, installed with apt-get if missing), side by side in one run, to and from one sink
# (the bench client).
# Usage: ./build.sh bench proxy   (env: BENCH_RUNS=1, BENCH_PROXY_MIB=256, BENCH_PROXY_DIRECTIONS="up down",
# BENCH_OUT=dir; BENCH_SKIP_PUBLISH=1; BENCH_BASE_BIN=path/actornet: an A/B in one run, a baseline build's node as
# server "actornet-base" beside this one)
# Cases: per direction, 1 transfer and 10 parallel transfers of BENCH_PROXY_MIB MiB each. Every server started here is stopped on
# exit (trap). Results: $OUT/proxy-results.jsonl and $OUT/proxy-summary.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS="${BENCH_RUNS:-1}"
MIB="${BENCH_PROXY_MIB:-256}"
DIRECTIONS="${BENCH_PROXY_DIRECTIONS:-up down}"
OUT="${BENCH_OUT:-artifacts/bench/proxy-$(date +%Y%m%d-%H%M%S)}"
PUB=artifacts/bench/actornet
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/proxy-results.jsonl"
: > "$RESULTS"

PIDS=()
source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ "${BENCH_SKIP_PUBLISH:-0}" != 1 ]]; then
    log "building Release -> $PUB"
    dotnet publish src/ActorNet.Node -c Release -o "$PUB" -nodeReuse:false -v quiet >/dev/null
fi
BIN="$PWD/$PUB/actornet"

apt_install socat haproxy


# start_proxy SERVER: a fresh proxy on $PROXY_PORT forwarding to the bench's sink on $SINK_PORT; $PROXY_PID
start_proxy() {
    PROXY_PORT=$(free_port); SINK_PORT=$(free_port)
    case "$1" in
        actornet|actornet-base)
            # config/forward.conf's proxy listener, pointed at the sink; its echo listener moved out of the way
            local bin="$BIN"; if [[ $1 == actornet-base ]]; then bin="$BENCH_BASE_BIN"; fi
            start "$1" "$bin" run --config config/forward.conf \
                --set "actornet.listeners.proxy.bind=127.0.0.1:$PROXY_PORT" \
                --set "actornet.listeners.proxy.upstream=127.0.0.1:$SINK_PORT" \
                --set "actornet.listeners.echo.bind=127.0.0.1:$(free_port)" \
                --set actornet.admin.enabled=false --set actornet.logging.level=warning ;;
        socat)
            start socat socat "TCP-LISTEN:$PROXY_PORT,bind=127.0.0.1,fork,reuseaddr,backlog=64" "TCP:127.0.0.1:$SINK_PORT" ;;
        haproxy)
            cat >"$OUT/haproxy.cfg" <<CONF
global
    maxconn 1000
defaults
    mode tcp
    timeout connect 5s
    timeout client 60s
    timeout server 60s
frontend bench
    bind 127.0.0.1:$PROXY_PORT
    default_backend sink
backend sink
    server sink 127.0.0.1:$SINK_PORT
CONF
            start haproxy haproxy -db -f "$OUT/haproxy.cfg" ;;
    esac
    PROXY_PID=$LAST_PID
    wait_port "$PROXY_PORT"
}

SERVERS=(actornet socat haproxy)
if [[ -n "${BENCH_BASE_BIN:-}" ]]; then SERVERS=(actornet actornet-base socat haproxy); fi
log "load before: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
for run in $(seq 1 "$RUNS"); do
  for direction in $DIRECTIONS; do
    diropt=(); suffix=""
    if [[ $direction == down ]]; then diropt=(--download); suffix="-down"; fi
    for clients in 1 10; do
        for server in "${SERVERS[@]}"; do
            start_proxy "$server"
            label="proxy-c$clients-${MIB}mib$suffix|$server"
            log "$label (load $(cut -d' ' -f1 /proc/loadavg))"
            # socat forks per connection: its RSS is the parent's only, so growth is reported for actornet and haproxy
            pidopt=(); if [[ $server != socat ]]; then pidopt=(--server-pid "$PROXY_PID"); fi
            "$BIN" bench proxy --port "$PROXY_PORT" --sink-port "$SINK_PORT" -c "$clients" --mib "$MIB" "${diropt[@]}" "${pidopt[@]}" \
                --timeout 600 --json --quiet --label "$label" >>"$RESULTS" || log "$label: run reported errors (kept in results)"
            stop "$PROXY_PID"
        done
    done
  done
done
log "load after: $(cut -d' ' -f1-3 /proc/loadavg)"

{ "$BIN" bench summarize "$RESULTS"; echo "--- the same, as ratios to socat"; "$BIN" bench summarize "$RESULTS" --reference socat; } | tee "$OUT/proxy-summary.txt"
echo "results: $RESULTS"
