#!/usr/bin/env bash
# usage: e.sh BIN TAG [--set ...]: echo C=50 x3 after 3 warm-ups
BIN=$1; TAG=$2; shift 2
P=$((36000 + RANDOM % 2000))
$BIN run --config /work/main/config/bench.conf --set actornet.logging.level=warning --set actornet.listeners.chat.bind=127.0.0.1:$P --set actornet.listeners.echo.bind=127.0.0.1:$((P+1)) --set actornet.listeners.udp-relay.bind=127.0.0.1:$((P+2)) "$@" > /dev/null 2>&1 & NP=$!
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$((P+1))) 2>/dev/null && break; sleep 0.1; done
for _ in 1 2 3; do $BIN bench echo --port $((P+1)) -c 10 -m 20000 --quiet >/dev/null; done
r=""; for _ in 1 2 3; do r="$r $($BIN bench echo --port $((P+1)) -c 50 -m 10000 --quiet --json | python3 -c 'import json,sys; print(round(json.load(sys.stdin)["msgs_per_s"]/1e6,2))')"; done
echo "$TAG $r"; kill $NP; wait $NP 2>/dev/null
