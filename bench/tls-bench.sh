#!/usr/bin/env bash
# TLS cost on 127.0.0.1 only (issue 16): one node with plain and TLS twins of the bench's chat and echo listeners,
# and haproxy terminating TLS in front of the raw baseline echo server, measured side by side in one run.
#   echo MB/s:        actornet echo vs echo-tls; haproxy (TLS) -> baseline echo
#   fanout deliveries: actornet chat vs chat-tls (C = 50)
# Usage: bench/tls-bench.sh   (env: BENCH_RUNS=3, BENCH_QUICK=1, BENCH_OUT=dir); ./build.sh bench runs it last.
#   BENCH_BIN=path/actornet     the node (and bench client) to measure instead of the published Release build
#   BENCH_BASE_BIN=path/actornet  A/B in one run: a second node from this binary gets the same listeners on its own
#                                 ports, and every round measures both (order alternating: ABBA), labels "base-..."
#   BENCH_CASES="echo fanout"   which workloads to run (default both)
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
: > "$OUT/server-cpu.jsonl"
PUB=artifacts/bench/actornet
PIDS=()
source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

if [[ -z "${BENCH_BIN:-}" && ! -x "$PUB/actornet" ]]; then
    log "building Release -> $PUB"
    dotnet publish src/ActorNet.Node -c Release -o "$PUB" -nodeReuse:false -v quiet >/dev/null
fi
BIN="${BENCH_BIN:-$PWD/$PUB/actornet}"
BASE_BIN="${BENCH_BASE_BIN:-}"
CASES="${BENCH_CASES:-echo fanout}"
apt_install haproxy openssl

# bench PID LABEL ARGS...: one recorded run against the server process PID, whose CPU time (user + system, from
# /proc) is recorded beside it: on a shared machine the server's CPU per delivery is what TLS costs the server, while
# deliveries/s also carry the bench client's own TLS work and everything else running.
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
bench() {
    local pid="$1" label="$2"; shift 2
    log "$label: actornet bench $*"
    local before; before=$(cpu_ticks "$pid")
    "$BIN" bench "$@" --json --quiet --label "$label" >>"$RESULTS" || log "$label: run reported errors (kept in results)"
    echo "{\"label\":\"$label\",\"server_cpu_ticks\":$(( $(cpu_ticks "$pid") - before )),\"tick\":$TICK}" >>"$OUT/server-cpu.jsonl"
}

# one self-signed certificate (P-256) for both servers: the same handshake and cipher work on each side
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=localhost \
    -keyout "$OUT/tls/bench.key" -out "$OUT/tls/bench.crt" >/dev/null 2>&1
cat "$OUT/tls/bench.crt" "$OUT/tls/bench.key" > "$OUT/tls/haproxy.pem"

CHAT=$(free_port); CHAT_TLS=$(free_port); ECHO=$(free_port); ECHO_TLS=$(free_port); BL=$(free_port); HA=$(free_port)
B_CHAT=$(free_port); B_CHAT_TLS=$(free_port); B_ECHO=$(free_port); B_ECHO_TLS=$(free_port)
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
node_conf() { # file name chat chat-tls echo echo-tls
cat > "$1" <<CONF
actornet {
  node.name = "$2"
  listeners {
    $(listener chat "$3" irc plain)
    $(listener chat-tls "$4" irc tls)
    $(listener echo "$5" echo plain)
    $(listener echo-tls "$6" echo tls)
  }
}
CONF
}
node_conf "$OUT/tls-node.conf" actornet-tls-bench "$CHAT" "$CHAT_TLS" "$ECHO" "$ECHO_TLS"
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
NODE_PID=$LAST_PID
start baseline "$BIN" bench baseline --mode echo --port "$BL"
BL_PID=$LAST_PID
for p in $CHAT $CHAT_TLS $ECHO $ECHO_TLS $BL; do wait_port "$p"; done
if [[ -n "$BASE_BIN" ]]; then
    node_conf "$OUT/tls-node-base.conf" actornet-tls-bench-base "$B_CHAT" "$B_CHAT_TLS" "$B_ECHO" "$B_ECHO_TLS"
    start node-base "$BASE_BIN" run --config "$OUT/tls-node-base.conf"
    BASE_PID=$LAST_PID
    for p in $B_CHAT $B_CHAT_TLS $B_ECHO $B_ECHO_TLS; do wait_port "$p"; done
fi
haproxy -c -f "$OUT/haproxy.cfg" >/dev/null
start haproxy haproxy -db -f "$OUT/haproxy.cfg"
HA_PID=$LAST_PID
wait_port "$HA"

ECHO_M=20000; FAN_M=2000; SIZE=512
if (( QUICK )); then ECHO_M=2000; FAN_M=100; fi
has() { [[ " $CASES " == *" $1 "* ]]; }
# one node's cases: prefix (actornet | base-actornet), then its ports
node_round() { # pid prefix chat chat-tls echo echo-tls
    if has echo; then
        bench "$1" "echo-c10-s$SIZE|$2" echo --port "$5" -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
        bench "$1" "echo-c10-s$SIZE|$2-tls" echo --port "$6" --tls -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
    fi
    if has fanout; then
        bench "$1" "fanout-c50|$2" fanout --port "$3" -c 50 -m "$FAN_M" --timeout 120
        bench "$1" "fanout-c50|$2-tls" fanout --port "$4" --tls -c 50 -m "$FAN_M" --timeout 120
    fi
}
warm() { # chat chat-tls echo echo-tls
    "$BIN" bench echo --port "$3" -c 10 -m 5000 --quiet >/dev/null || true
    "$BIN" bench echo --port "$4" --tls -c 10 -m 5000 --quiet >/dev/null || true
    "$BIN" bench fanout --port "$1" -c 50 -m 200 --quiet --timeout 30 >/dev/null || true
    "$BIN" bench fanout --port "$2" --tls -c 50 -m 200 --quiet --timeout 30 >/dev/null || true
}
log "warm-up (not recorded)"
for _ in 1 2 3; do
    warm "$CHAT" "$CHAT_TLS" "$ECHO" "$ECHO_TLS"
    if [[ -n "$BASE_BIN" ]]; then warm "$B_CHAT" "$B_CHAT_TLS" "$B_ECHO" "$B_ECHO_TLS"; fi
    "$BIN" bench echo --port "$HA" --tls -c 10 -m 5000 --quiet >/dev/null || true
done
for run in $(seq 1 "$RUNS"); do
    log "round $run, load average $(cut -d' ' -f1-3 /proc/loadavg)"
    if [[ -n "$BASE_BIN" ]] && (( run % 2 == 0 )); then
        node_round "$BASE_PID" base-actornet "$B_CHAT" "$B_CHAT_TLS" "$B_ECHO" "$B_ECHO_TLS"
        node_round "$NODE_PID" actornet "$CHAT" "$CHAT_TLS" "$ECHO" "$ECHO_TLS"
    else
        node_round "$NODE_PID" actornet "$CHAT" "$CHAT_TLS" "$ECHO" "$ECHO_TLS"
        if [[ -n "$BASE_BIN" ]]; then node_round "$BASE_PID" base-actornet "$B_CHAT" "$B_CHAT_TLS" "$B_ECHO" "$B_ECHO_TLS"; fi
    fi
    if has echo; then
        bench "$HA_PID" "echo-c10-s$SIZE|haproxy-tls" echo --port "$HA" --tls -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
        bench "$BL_PID" "echo-c10-s$SIZE|baseline" echo --port "$BL" -c 10 -m "$ECHO_M" -s "$SIZE" --timeout 120
    fi
done
log "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
"$BIN" bench summarize "$RESULTS" | tee "$OUT/tls-summary.txt" # ratios are to plain actornet
# server CPU per unit of work (fan-out: per delivery; echo: per message echoed; haproxy-tls: haproxy alone, without
# the baseline echo server behind it), median per label, in the order the runs were made
python3 - "$RESULTS" "$OUT/server-cpu.jsonl" <<'PY' | tee -a "$OUT/tls-summary.txt"
import json, statistics, sys
runs = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
cpus = [json.loads(l) for l in open(sys.argv[2]) if l.strip()]
per = {}
for run, cpu in zip(runs, cpus):
    units = run.get("delivered") or run.get("clients", 0) * run.get("messages_per_client", 0) or 1
    per.setdefault(run["label"], []).append(cpu["server_cpu_ticks"] / cpu["tick"] / units * 1e9)
print("server CPU per unit (ns; fan-out: per delivery, echo: per message), median")
for label, values in per.items():
    print(f"  {label:32} {statistics.median(values):10.1f}  runs={len(values)}")
PY
echo "results: $RESULTS"
