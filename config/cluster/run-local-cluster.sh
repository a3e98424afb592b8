#!/usr/bin/env bash
# Starts the three example cluster nodes (config/cluster/node-{a,b,c}.conf) on this machine, loopback only.
# Ctrl+C stops all three. Logs: artifacts/cluster/node-*.log
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
./build.sh publish >/dev/null
mkdir -p artifacts/cluster
# mutual TLS between the members (README: Cluster TLS) unless ACTORNET_CLUSTER_TLS=off
tls=()
certs=artifacts/cluster/certs
if [ "${ACTORNET_CLUSTER_TLS:-on}" != off ]; then
  [ -f "$certs/node-a.p12" ] && [ -f "$certs/node-b.p12" ] && [ -f "$certs/node-c.p12" ] || config/cluster/make-certs.sh "$certs"
fi
pids=()
trap 'kill -TERM "${pids[@]}" 2>/dev/null; wait' EXIT INT TERM
for n in a b c; do
  if [ "${ACTORNET_CLUSTER_TLS:-on}" != off ]; then
    tls=(--set actornet.cluster.tls.enabled=on --set "actornet.cluster.tls.certificate=\"$certs/node-$n.p12\""
         --set "actornet.cluster.tls.ca-certificate=\"$certs/ca.pem\"")
  fi
  artifacts/actornet/actornet run --config "config/cluster/node-$n.conf" "${tls[@]}" > "artifacts/cluster/node-$n.log" 2>&1 &
  pids+=($!)
  echo "node-$n: pid $! (log artifacts/cluster/node-$n.log)"
done
echo "relay on 127.0.0.1:7101 (node-a), :7201 (node-b), :7301 (node-c)"
echo "IRC on 127.0.0.1:6101 (node-a), :6201 (node-b), :6301 (node-c); admin on :8101, :8201, :8301"
echo "Ctrl+C stops the cluster"
wait
