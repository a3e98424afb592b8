#!/usr/bin/env bash
# TLS cost on 127.0.0.1 only (issue 16): one node with plain and TLS twins of the bench's chat and echo listeners,
# and haproxy terminating TLS in front of the raw baseline echo server, measured side by side in one run.
#   echo MB/s:        actornet echo vs echo-tls; haproxy (TLS) -> baseline echo
#   fanout deliveries: actornet chat vs chat-tls (C = 50)
# Usage: bench/tls-bench.sh   (env: BENCH_RUNS=3, BENCH_QUICK=1, BENCH_OUT=dir); ./build.sh bench runs it last.
# Certificates are made for the run (openssl) and never leave $OUT. Every server started is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS="${BENCH_RUNS:-3}"
QUICK="${BENCH_QUICK:-0}"
OUT="${BENCH_OUT:-artifacts/bench/tls-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT/tls"
OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/tls-results.jsonl"
: > "$RESULTS"
PUB=artifacts/bench/actornet
PIDS=()
source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ ! -x "$PUB/actornet" ]]; then
    log "building Release -> $PUB"
    dotnet publish src/ActorNet.Node -c Release -o "$PUB" -nodeReuse:false -v quiet >/dev/null
fi
BIN="$PWD/$PUB/actornet"
apt_install haproxy openssl

bench() { local label="$1"; shift; log "$label: actornet bench $*"; "$BIN" bench "$@" --json --quiet --label "$label" >>"$RESULTS" || log "$label: run reported errors (kept in results)"; }

# one self-signed certificate (P-256) for both servers: the same handshake and cipher work on each side
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -keyout "$OUT/tls/bench.key" -out "$OUT/tls/bench.crt" >/dev/null 2>&1
cat "$OUT/tls/bench.crt" "$OUT/tls/bench.key" > "$OUT/tls/haproxy.pem"

CHAT=$(free_port); CHAT_TLS=$(free_port); ECHO=$(free_port); ECHO_TLS=$(free_port); BL=$(free_port); HA=$(free_port)
# the same listener settings as config/bench.conf's chat and echo (flood lifted, 16 MiB queues), twice
listener() { # name port handler plain|tls  (one key per line: Akka's HOCON parser wants no comma after an object)
    echo "$1 {"
    echo "  transport = tcp"
    echo "  bind = \"127.0.0.1:$2\""
    echo "  max-connections = 20000"
    echo "  write-queue-limit-bytes = 16MiB"
    if [[ "$3" == irc ]]; then
        echo "  handler = irc"
        echo "  line-ending = crlf"
        echo "  max-frame-bytes = 8704"
        echo "  options.flood { burst = 10000, per-second = 10000, max-queued = 10000 }"
    else
        echo "  handler = echo"
        echo "  framing = line"
    fi
    if [[ "$4" == tls ]]; then
        echo "  tls { certificate = \"$OUT/tls/bench.crt\", private-key = \"$OUT/tls/bench.key\" }"
    fi
    echo "}"
}
cat > "$OUT/tls-node.conf" <<CONF
actornet {
  node.name = "actornet-tls-bench"
  listeners {
    $(listener chat "$CHAT" irc plain)
    $(listener chat-tls "$CHAT_TLS" irc tls)
    $(listener echo "$ECHO" echo plain)
    $(listener echo-tls "$ECHO_TLS" echo tls)
  }
}
CONF
cat > "$OUT/haproxy.cfg" <<CONF
global
    maxconn 4000
    nbthread 2
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
frontend tls_in
    bind 127.0.0.1:$HA ssl crt $OUT/tls/haproxy.pem
    default_backend echo
backend echo
    server baseline 127.0.0.1:$BL
CONF

"$BIN" check --config "$OUT/tls-node.conf" >/dev/null
start node "$BIN" run --config "$OUT/tls-node.conf"
start baseline "$BIN" bench baseline --mode echo --port "$BL"
for p in $CHAT $CHAT_TLS $ECHO $ECHO_TLS $BL; do wait_port "$p"; done
haproxy -c -f "$OUT/haproxy.cfg" >/dev/null
start haproxy haproxy -db -f "$OUT/haproxy.cfg"
wait_port "$HA"

ECHO_M=20000; FAN_M=2000; SIZE=512
if (( QUICK )); then ECHO_M=2000; FAN_M=100; fi
log "warm-up (not recorded)"
for _ in 1 2 3; do
    "$BIN" bench echo --port "$ECHO" -c 10 -m 5000 --quiet >/dev/null || true
    "$BIN" bench echo --port "$ECHO_TLS" --tls -c 10 -m 5000 --quiet >/dev/null || true
    "$BIN" bench echo --port "$HA" --tls -c 10 -m 5000 --quiet >/dev/null || true
    "$BIN" bench fanout --port "$CHAT" -c 50 -m 200 --quiet --timeout 30 >/dev/null || true
    "$BIN" bench fanout --port "$CHAT_TLS" --tls -c 50 -m 200 --quiet --timeout 30 >/dev/null || true
done
for run in $(seq 1 "$RUNS"); do
    bench "echo-c10-s$SIZE|actornet" echo --port "$ECHO" -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
    bench "echo-c10-s$SIZE|actornet-tls" echo --port "$ECHO_TLS" --tls -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
    bench "echo-c10-s$SIZE|haproxy-tls" echo --port "$HA" --tls -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
    bench "echo-c10-s$SIZE|baseline" echo --port "$BL" -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
    bench "fanout-c50|actornet" fanout --port "$CHAT" -c 50 -m "$FAN_M" --timeout 120
    bench "fanout-c50|actornet-tls" fanout --port "$CHAT_TLS" --tls -c 50 -m "$FAN_M" --timeout 120
done
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" bench summarize "$RESULTS" | tee "$OUT/tls-summary.txt" # ratios are to plain actornet
echo "results: $RESULTS"
