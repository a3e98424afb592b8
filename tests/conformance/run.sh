#!/usr/bin/env bash
# ./build.sh conformance: the irctest server suite (progval/irctest) against a fresh node started from
# config/conformance.conf with the published binary. Usage: tests/conformance/run.sh [extra pytest args]
#   IRCTEST_DIR     irctest checkout to use (default: the one beside ../shared/irctest-run.sh)
#   IRCTEST_RUNNER  the runner script (default: ../shared/irctest-run.sh relative to the repo)
#   ACTORNET_BIN    the node binary (default: artifacts/actornet/actornet, published first if missing)
# irctest runs every test against one shared server, so tests whose results depend on server-wide counts
# or history (lusers.py: LUSERS max/current users; whowas.py: WHOWAS expects no history of nicks that earlier
# tests used) get a node restarted before each of them (IRCTEST_RESTART_CMD); the
# rest run against one node (a restart per test would take ~6 minutes instead of ~3). The two runs together
# are exactly the runner's default marker selection; the last line sums them: 'N passed, N failed, N skipped'.
# Exit 0 only when nothing failed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
REPO=$PWD

stop_node() {
    [ -f "$CONFORMANCE_STATE/pid" ] || return 0
    local pid; pid=$(cat "$CONFORMANCE_STATE/pid")
    kill "$pid" 2>/dev/null
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    rm -f "$CONFORMANCE_STATE/pid"
}

start_node() {
    "$CONFORMANCE_BIN" run --config "$CONFORMANCE_CONFIG" \
        --set "actornet.listeners.irc.bind=\"127.0.0.1:$CONFORMANCE_PORT\"" \
        --set "actornet.listeners.irc-password.bind=\"127.0.0.1:$CONFORMANCE_PW_PORT\"" \
        >>"$CONFORMANCE_STATE/node.log" 2>&1 &
    echo $! >"$CONFORMANCE_STATE/pid"
    for _ in $(seq 300); do   # up to 30 s for both listeners
        if python3 -c 'import socket,sys; [socket.create_connection(("127.0.0.1", int(p)), 1).close() for p in sys.argv[1:]]' \
            "$CONFORMANCE_PORT" "$CONFORMANCE_PW_PORT" 2>/dev/null; then return 0; fi
        kill -0 "$(cat "$CONFORMANCE_STATE/pid")" 2>/dev/null || { echo "conformance: node exited:" >&2; tail -20 "$CONFORMANCE_STATE/node.log" >&2; return 1; }
        sleep 0.1
    done
    echo "conformance: node did not listen within 30 s" >&2
    return 1
}

if [ "${1:-}" = "--restart" ]; then   # IRCTEST_RESTART_CMD: the node of the run that exported CONFORMANCE_*
    stop_node
    start_node
    exit $?
fi


# ../shared beside the clone; a git worktree one level deeper (wt/NAME) finds it one level up.
RUNNER=${IRCTEST_RUNNER:-}
if [ -z "$RUNNER" ]; then
    for candidate in "$REPO/../shared/irctest-run.sh" "$REPO/../../shared/irctest-run.sh"; do
        [ -f "$candidate" ] && { RUNNER=$candidate; break; }
    done
    RUNNER=${RUNNER:-$REPO/../shared/irctest-run.sh}
fi
[ -x "$RUNNER" ] || [ -f "$RUNNER" ] || { echo "conformance: no runner at $RUNNER (set IRCTEST_RUNNER)" >&2; exit 2; }
SUITE_ARGS=()
[ -n "${IRCTEST_DIR:-}" ] && SUITE_ARGS=("$IRCTEST_DIR")
SUITE_DIR=${IRCTEST_DIR:-$(dirname "$(readlink -f "$RUNNER")")/irctest}
[ -d "$SUITE_DIR/irctest" ] || { echo "conformance: no irctest checkout at $SUITE_DIR (set IRCTEST_DIR)" >&2; exit 2; }

# The suite's Debian dependencies, installed only when missing (CI runs on a fresh machine).
missing=()
for pkg in python3-pytest python3-pytest-timeout python3-yaml python3-ecdsa python3-filelock; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "ok installed" || missing+=("$pkg")
done
if (( ${#missing[@]} )); then
    echo "conformance: installing ${missing[*]}" >&2
    SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
    for attempt in 1 2 3 4 5; do   # dpkg may be locked by another apt run on a shared machine
        $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" && break
        [ $attempt = 3 ] && $SUDO apt-get update
        sleep 5
    done
fi

BIN=${ACTORNET_BIN:-$REPO/artifacts/actornet/actornet}
if [ ! -x "$BIN" ]; then
    dotnet publish src/ActorNet.Node -c Release -o artifacts/actornet -nodeReuse:false || exit 2
    BIN=$REPO/artifacts/actornet/actornet
fi


# Two free loopback ports (the node's plain listener and its PASS testpassword listener).
read -r PORT PW_PORT < <(python3 - <<'PY'
import socket
socks = [socket.socket() for _ in range(2)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in socks))
for s in socks:
    s.close()
PY
)
STATE=$(mktemp -d /tmp/actornet-conformance.XXXXXX)
export CONFORMANCE_BIN=$BIN CONFORMANCE_STATE=$STATE CONFORMANCE_PORT=$PORT CONFORMANCE_PW_PORT=$PW_PORT
export CONFORMANCE_CONFIG=$REPO/config/conformance.conf

trap 'stop_node; rm -rf "$STATE"' EXIT
start_node || exit 2

export IRCTEST_PASSWORD_PORT=$PW_PORT
RESTARTED=(irctest/server_tests/lusers.py irctest/server_tests/whowas.py)
OUT1=$STATE/run1.out OUT2=$STATE/run2.out
IRCTEST_JUNIT=$STATE/junit1.xml bash "$RUNNER" "${SUITE_ARGS[@]}" 127.0.0.1 "$PORT" "${RESTARTED[@]/#/--ignore=}" "$@" | tee "$OUT1"
rc1=${PIPESTATUS[0]}
IRCTEST_JUNIT=$STATE/junit2.xml IRCTEST_RESTART_CMD="$REPO/tests/conformance/run.sh --restart" \
    bash "$RUNNER" "${SUITE_ARGS[@]}" 127.0.0.1 "$PORT" "${RESTARTED[@]}" "$@" | tee "$OUT2"
rc2=${PIPESTATUS[0]}

# Per module and the skip reasons (docs/CONFORMANCE.md is written from these), then the two summary lines summed.
python3 - "$OUT1" "$OUT2" "$STATE/junit1.xml" "$STATE/junit2.xml" <<'PY'
import collections, re, sys
import xml.etree.ElementTree as ET
mods = collections.defaultdict(lambda: [0, 0, 0])
reasons = collections.Counter()
for path in sys.argv[3:]:
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        continue
    for tc in root.iter("testcase"):
        mod = tc.get("classname", "?").replace("irctest.server_tests.", "").rsplit(".", 1)[0]
        kids = {c.tag: c for c in tc}
        if "failure" in kids or "error" in kids:
            mods[mod][1] += 1
        elif "skipped" in kids:
            mods[mod][2] += 1
            reasons[(mod, (kids["skipped"].get("message") or "").split("\n")[0][:150])] += 1
        else:
            mods[mod][0] += 1
print("conformance: by module (passed failed skipped):")
for mod in sorted(mods):
    print("  %-28s %4d %4d %4d" % (mod, *mods[mod]))
print("conformance: skip reasons:")
for (mod, why), n in sorted(reasons.items()):
    print("  %3d %s: %s" % (n, mod, why))
tot = {"passed": 0, "failed": 0, "skipped": 0}
for path in sys.argv[1:3]:
    last = ""
    for line in open(path, errors="replace"):
        if re.match(r"^\d+ passed, \d+ failed", line):
            last = line
    for n, k in re.findall(r"(\d+) (passed|failed|skipped)", last):
        tot[k] += int(n)
    if not last:
        tot["failed"] += 1  # a run without a summary is a failure
print("conformance: %(passed)d passed, %(failed)d failed, %(skipped)d skipped" % tot)
PY
if (( rc1 == 0 || rc1 == 3 )) && (( rc2 == 0 || rc2 == 3 )); then exit 0; fi
exit 1
