#!/usr/bin/env bash
# usage: m.sh BIN MODE(plain|irc) SERVER(node|base) [extra node --set args...]
BIN=$1; MODE=$2; SRV=$3; shift 3
ulimit -n "$(ulimit -Hn)"
P0=$((26000 + RANDOM % 3000))
CONF=$(dirname $BIN)/../../config/bench.conf; [[ -f $CONF ]] || CONF=/work/main/config/bench.conf
if [[ $SRV == node ]]; then
  CHAT=$P0; ECHO=$((P0+1)); UDP=$((P0+2))
  $BIN run --config $CONF --set actornet.logging.level=${LEVEL:-warning} \
    --set actornet.listeners.chat.bind=127.0.0.1:$CHAT --set actornet.listeners.echo.bind=127.0.0.1:$ECHO \
    --set actornet.listeners.udp-relay.bind=127.0.0.1:$UDP "$@" > /tmp/s3-node-$P0.log 2>&1 &
  PID=$!
  if [[ $MODE == plain ]]; then PORT=$ECHO; else PORT=$CHAT; fi
else
  PORT=$P0
  $BIN bench baseline --mode $([[ $MODE == plain ]] && echo echo || echo irc) --port $PORT > /tmp/s3-base-$P0.log 2>&1 &
  PID=$!
fi
for i in $(seq 100); do (echo > /dev/tcp/127.0.0.1/$PORT) 2>/dev/null && break; sleep 0.1; done
sleep 1
EXTRA=""; [[ $MODE == plain ]] && EXTRA=--plain
T0=$(awk '{print $14+$15}' /proc/$PID/stat)
$BIN bench connect $EXTRA --port $PORT -c ${N:-10000} --server-pid $PID --timeout 120 --quiet --json > /tmp/s3-conn.json
T1=$(awk '{print $14+$15}' /proc/$PID/stat)
python3 - "$*" $((T1-T0)) ${N:-10000} <<'PY'
import json,sys
d=json.load(open('/tmp/s3-conn.json'))
m={x['name']:x['value'] for x in d['metrics']} if 'metrics' in d else d
print(f"{sys.argv[1][:60]:60s} est={m.get('established')} cps={m.get('connects_per_s'):.0f} rss/conn={m.get('server_rss_per_conn_kib'):.2f}KiB cpu/conn={int(sys.argv[2])*10000//int(sys.argv[3])}us")
PY
kill $PID; wait $PID 2>/dev/null
