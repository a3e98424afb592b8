#!/usr/bin/env bash
# usage: f.sh BIN TAG ROUNDS [extra node --set args...]   -> appends json lines to /work/s3/f-TAG.jsonl
BIN=$1; TAG=$2; R=$3; shift 3
ulimit -n "$(ulimit -Hn)"
P0=$((29000 + RANDOM % 3000)); CHAT=$P0; ECHO=$((P0+1)); UDP=$((P0+2))
$BIN run --config /work/main/config/bench.conf --set actornet.logging.level=warning \
    --set actornet.listeners.chat.bind=127.0.0.1:$CHAT --set actornet.listeners.echo.bind=127.0.0.1:$ECHO \
    --set actornet.listeners.udp-relay.bind=127.0.0.1:$UDP "$@" > /tmp/s3-fnode-$P0.log 2>&1 &
PID=$!
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$CHAT) 2>/dev/null && break; sleep 0.1; done
for _ in 1 2 3; do $BIN bench echo --port $ECHO -c 10 -m 20000 --quiet >/dev/null; done
for _ in 1 2 3 4 5; do $BIN bench fanout --port $CHAT -c 50 -m 400 --quiet --timeout 30 >/dev/null; $BIN bench fanout --port $CHAT -c 200 -m 100 --quiet --timeout 30 >/dev/null; done
OUT=/work/s3/f-$TAG.jsonl
for r in $(seq $R); do
  for cm in "50 400" "200 100"; do set -- $cm
    T0=$(awk '{print $14+$15}' /proc/$PID/stat)
    $BIN bench fanout --port $CHAT -c $1 -m $2 --quiet --json --label "c$1" --timeout 60 > /tmp/s3-f.json
    T1=$(awk '{print $14+$15}' /proc/$PID/stat)
    python3 -c "import json,sys; d=json.load(open('/tmp/s3-f.json')); d['server_ticks']=$((T1-T0)); d['tag']='$TAG'; print(json.dumps(d))" >> $OUT
  done
  [[ -n $RATE ]] && { $BIN bench fanout --port $CHAT -c 50 -m 100 --rate 20 --quiet --json --label rate --timeout 60 | python3 -c "import json,sys; d=json.load(sys.stdin); d['tag']='$TAG'; print(json.dumps(d))" >> $OUT; }
  [[ -n $ECHOB ]] && { $BIN bench echo --port $ECHO -c 50 -m 10000 --quiet --json --label echo50 --timeout 60 | python3 -c "import json,sys; d=json.load(sys.stdin); d['tag']='$TAG'; print(json.dumps(d))" >> $OUT; }
done
kill $PID; wait $PID 2>/dev/null
