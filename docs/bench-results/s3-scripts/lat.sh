#!/usr/bin/env bash
# usage: lat.sh ROUNDS BIN... ; rate-capped fanout C=50 20 msg/s M=100 against baseline, nats and each node binary
R=$1; shift
B0=/work/s3/new2/actornet
P=$((33000 + RANDOM % 2000))
$B0 bench baseline --mode irc --port $P > /dev/null 2>&1 & BP=$!
nats-server -a 127.0.0.1 -p $((P+1)) > /dev/null 2>&1 & NP=$!
PIDS=(); k=0
for b in "$@"; do
  k=$((k+1)); Q=$((P+10*k))
  $b run --config /work/main/config/bench.conf --set actornet.logging.level=warning --set actornet.listeners.chat.bind=127.0.0.1:$Q --set actornet.listeners.echo.bind=127.0.0.1:$((Q+1)) --set actornet.listeners.udp-relay.bind=127.0.0.1:$((Q+2)) > /dev/null 2>&1 & PIDS+=($!)
done
sleep 3
k=0; for b in "$@"; do k=$((k+1)); Q=$((P+10*k)); for _ in 1 2 3; do $B0 bench fanout --port $Q -c 50 -m 400 --quiet >/dev/null; $B0 bench fanout --port $Q -c 200 -m 100 --quiet > /dev/null; done; done
$B0 bench fanout --port $P -c 20 -m 200 --quiet >/dev/null; $B0 bench nats-fanout --port $((P+1)) -c 20 -m 200 --quiet >/dev/null
for r in $(seq $R); do
  echo "base $($B0 bench fanout --port $P -c 50 -m 100 --rate 20 --quiet --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["latency_p50_us"], d["latency_p99_us"], d["latency_max_us"], d["bench_cpu_cores"], "" if d["ok"] else d["errors"][:3])')"
  echo "nats $($B0 bench nats-fanout --port $((P+1)) -c 50 -m 100 --rate 20 --quiet --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["latency_p50_us"], d["latency_p99_us"], d["latency_max_us"], d["bench_cpu_cores"], "" if d["ok"] else d["errors"][:3])')"
  k=0; for b in "$@"; do k=$((k+1)); Q=$((P+10*k)); pid=${PIDS[$((k-1))]}
    T0=$(awk '{print $14+$15}' /proc/$pid/stat)
    out=$($B0 bench fanout --port $Q -c 50 -m 100 --rate 20 --quiet --json | python3 -c 'import json,sys; d=json.load(sys.stdin); print(d["latency_p50_us"], d["latency_p99_us"], d["latency_max_us"], d["bench_cpu_cores"], "" if d["ok"] else d["errors"][:3])')
    T1=$(awk '{print $14+$15}' /proc/$pid/stat)
    echo "node$k $out server_cpu_ticks=$((T1-T0))"
  done
done
kill $BP $NP "${PIDS[@]}"
