#!/usr/bin/env bash
# Cross-node fan-out (issue 17, item 3): the same `actornet bench fanout` client with its clients split over two
# cluster nodes (config/cluster/node-a.conf + node-b.conf) vs all on one node (config/bench.conf), interleaved
# (1 node, 2 nodes, 1 node, ...) so both see the same machine load; medians of BENCH_RUNS; prints the ratio.
# Usage: flock /work/wt/bench.lock bench/cluster-fanout-bench.sh
# env: BENCH_BIN=path/actornet (default artifacts/actornet/actornet, published first when missing),
#      BENCH_BASE_BIN=path/actornet (a baseline build: its 2-node and 1-node runs are interleaved with these),
#      BENCH_RUNS=3, C=50 M=400 S=64, BENCH_OUT=dir, BENCH_NODE_SETS="--set k=v ..." (extra settings, 2-node runs only). Loopback only; every process started here is stopped on exit.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS="${BENCH_RUNS:-3}"
C="${C:-50}"; M="${M:-400}"; S="${S:-64}"
OUT="${BENCH_OUT:-artifacts/bench/cluster-fanout-$(date +%Y%m%d-%H%M%S)}"
mkdir -p "$OUT"; OUT=$(cd "$OUT" && pwd)
RESULTS="$OUT/results.jsonl"; : > "$RESULTS"

PIDS=()
source bench/lib.sh
trap cleanup EXIT
trap 'exit 130' INT TERM

BIN="${BENCH_BIN:-$PWD/artifacts/actornet/actornet}"
if [[ ! -x "$BIN" ]]; then
    log "publishing Release -> artifacts/actornet"
    dotnet publish src/ActorNet.Node -c Release -o artifacts/actornet -nodeReuse:false -v quiet >/dev/null
fi
BUILDS=("new|$BIN")
if [[ -n "${BENCH_BASE_BIN:-}" ]]; then BUILDS+=("base|$BENCH_BASE_BIN"); fi

# what docs/BENCHMARKS.md "Cross-node fan-out" gives the cluster nodes: bench.conf's flood and sendq limits, quiet logs
NODE_SETS=(--set actornet.chat.flood.burst=10000 --set actornet.chat.flood.per-second=10000
    --set actornet.chat.flood.max-queued=10000 --set actornet.chat.sendq-bytes=16MiB
    --set actornet.logging.level=warning --set actornet.admin.enabled=false)
# shellcheck disable=SC2206 # word splitting wanted: "--set k=v --set k2=v2"
NODE_SETS+=(${BENCH_NODE_SETS:-})

# two_nodes BIN: starts node a and b on fresh ports, waits until b is a member (its chat port answers and a
# channel message crosses: the warm-up run below), sets PORT_A, PORT_B
two_nodes() {
    local bin="$1" seed; seed=$(free_port)
    local akka_b; akka_b=$(free_port)
    PORT_A=$(free_port); PORT_B=$(free_port)
    local n port akka
    for n in a b; do
        if [[ $n == a ]]; then port=$PORT_A; akka=$seed; else port=$PORT_B; akka=$akka_b; fi
        start "node-$n" "$bin" run --config "config/cluster/node-$n.conf" "${NODE_SETS[@]}" \
            --set "actornet.cluster.port=$akka" --set "actornet.cluster.seed-nodes=[\"127.0.0.1:$seed\"]" \
            --set "actornet.listeners.chat.bind=\"127.0.0.1:$port\"" \
            --set "actornet.listeners.relay.bind=\"127.0.0.1:$(free_port)\"" \
            --set "actornet.listeners.echo.bind=\"127.0.0.1:$(free_port)\""
        NODE_PIDS+=("$LAST_PID")
        wait_port "$port"
    done
}

one_node() {
    local bin="$1"
    PORT_ONE=$(free_port)
    start node-one "$bin" run --config config/bench.conf --set actornet.logging.level=warning \
        --set "actornet.listeners.chat.bind=\"127.0.0.1:$PORT_ONE\"" \
        --set "actornet.listeners.echo.bind=\"127.0.0.1:$(free_port)\"" \
        --set "actornet.listeners.udp-relay.bind=\"127.0.0.1:$(free_port)\""
    NODE_PIDS+=("$LAST_PID")
    wait_port "$PORT_ONE"
}

stop_nodes() { local p; for p in "${NODE_PIDS[@]}"; do stop "$p"; done; NODE_PIDS=(); }

# CPU seconds (user + system) the running nodes used so far: /proc/PID/stat fields 14 and 15, in clock ticks
node_cpu() {
    local p t=0
    for p in "${NODE_PIDS[@]}"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done
    echo "$t"
}

# run LABEL BIN ARGS...: one measured client run (JSON line in $RESULTS, the nodes' CPU time in $OUT/cpu.txt)
run() {
    local label="$1" bin="$2"; shift 2
    log "$label: actornet bench fanout $*"
    local before; before=$(node_cpu)
    "$bin" bench fanout "$@" --clients "$C" --messages "$M" --size "$S" --timeout 120 --json --quiet --label "$label" >>"$RESULTS" \
        || log "$label: run reported errors (kept in results)"
    echo "$label $(( $(node_cpu) - before )) $(getconf CLK_TCK)" >>"$OUT/cpu.txt"
}

NODE_PIDS=()
for i in $(seq 1 "$RUNS"); do
    for b in "${BUILDS[@]}"; do
        name="${b%%|*}"; bin="${b#*|}"
        one_node "$bin"
        "$bin" bench fanout --port "$PORT_ONE" -c 20 -m 100 --quiet --timeout 30 >/dev/null || true # warm-up
        run "$name|1-node" "$bin" --port "$PORT_ONE"
        stop_nodes
        two_nodes "$bin"
        # warm-up, and the proof that b joined a's cluster: it fails (no deliveries across) until both are members
        for _ in $(seq 1 30); do
            "$bin" bench fanout --port "$PORT_A" --extra-ports "$PORT_B" -c 20 -m 100 --quiet --timeout 10 >/dev/null 2>&1 && break
            sleep 1
        done
        run "$name|2-nodes" "$bin" --port "$PORT_A" --extra-ports "$PORT_B"
        stop_nodes
    done
done

# medians and ratios (python3: the JSON lines carry the metrics by name)
python3 - "$RESULTS" <<'PY' | tee "$OUT/summary.txt"
import json, statistics, sys
rows = {}
for line in open(sys.argv[1]):
    line = line.strip()
    if not line.startswith("{"): continue
    r = json.loads(line)
    rows.setdefault(r.get("label"), []).append(r)
def metric(r, name):
    for m in r.get("metrics", []):
        if m.get("name") == name: return m.get("value")
    return r.get(name)
cpu = {}
try:
    for line in open(sys.argv[1].rsplit("/", 1)[0] + "/cpu.txt"):
        label, ticks, hz = line.split()
        cpu.setdefault(label, []).append(int(ticks) / int(hz))
except FileNotFoundError:
    pass
med = {}
for label, rs in sorted(rows.items()):
    v = [metric(r, "deliveries_per_s") or 0 for r in rs]
    lost = [metric(r, "lost") for r in rs]
    p99 = [round((metric(r, "latency_p99_us") or 0) / 1e6, 2) for r in rs]
    per = [c * 1e6 / (metric(r, "delivered") or 1) for c, r in zip(cpu.get(label, []), rs)]
    med[label] = statistics.median(v)
    print(f"{label:14} runs " + ", ".join(f"{x/1e6:.3f}M" for x in v) + f"  median {med[label]/1e6:.3f}M"
          + f"  p99 {p99} s  lost {lost}"
          + (f"  server CPU/delivery median {statistics.median(per):.2f} us" if per else ""))
for build in sorted({l.split('|')[0] for l in med}):
    one, two = med.get(build + "|1-node"), med.get(build + "|2-nodes")
    if one and two: print(f"{build}: 2 nodes / 1 node = {two/one:.2f}x")
PY
