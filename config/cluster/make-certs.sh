#!/usr/bin/env bash
# Makes the certificates for a TLS cluster of local nodes with openssl: one private CA, and per node a certificate
# (P-256 key, serverAuth + clientAuth: Akka.Remote's mutual TLS uses it both ways) signed by that CA.
#   config/cluster/make-certs.sh [OUT_DIR] [NODE...]     defaults: artifacts/cluster/certs node-a node-b node-c
# Writes OUT_DIR/ca.pem (what every member trusts: actornet.cluster.tls.ca-certificate), OUT_DIR/NODE.p12 (that
# node's certificate and key: actornet.cluster.tls.certificate, no password: the file is readable by you only), and
# OUT_DIR/ca.key (keep it to add nodes later: a second run reuses it; delete the folder to start over).
# Nothing here is committed: artifacts/ is ignored. The private keys never leave OUT_DIR.
set -euo pipefail
command -v openssl >/dev/null || { echo "make-certs.sh: openssl is needed (apt-get install -y openssl)" >&2; exit 2; }
out="${1:-artifacts/cluster/certs}"
shift || true
nodes=("$@")
[ ${#nodes[@]} -gt 0 ] || nodes=(node-a node-b node-c)
mkdir -p "$out"
chmod 700 "$out"
umask 077
days=825

if [ ! -f "$out/ca.key" ]; then
  openssl ecparam -name prime256v1 -genkey -noout -out "$out/ca.key"
  openssl req -x509 -new -key "$out/ca.key" -sha256 -days "$days" -subj "/CN=ActorNet local cluster CA" \
    -addext "basicConstraints=critical,CA:TRUE,pathlen:0" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -out "$out/ca.pem" 2>/dev/null
  echo "CA: $out/ca.pem"
fi

for node in "${nodes[@]}"; do
  key="$out/$node.key"
  openssl ecparam -name prime256v1 -genkey -noout -out "$key"
  openssl req -new -key "$key" -subj "/CN=$node" -out "$out/$node.csr" 2>/dev/null
  printf '%s\n' "basicConstraints=CA:FALSE" "keyUsage=critical,digitalSignature,keyAgreement" \
    "extendedKeyUsage=serverAuth,clientAuth" "subjectAltName=DNS:$node,DNS:localhost,IP:127.0.0.1,IP:::1" > "$out/$node.ext"
  openssl x509 -req -in "$out/$node.csr" -CA "$out/ca.pem" -CAkey "$out/ca.key" -CAcreateserial -sha256 \
    -days "$days" -extfile "$out/$node.ext" -out "$out/$node.pem" 2>/dev/null
  openssl pkcs12 -export -inkey "$key" -in "$out/$node.pem" -certfile "$out/ca.pem" -name "$node" \
    -passout pass: -out "$out/$node.p12"
  rm -f "$out/$node.csr" "$out/$node.ext" "$key"
  openssl verify -CAfile "$out/ca.pem" "$out/$node.pem" >/dev/null
  echo "$node: $out/$node.p12"
done
