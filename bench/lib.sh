# Shared by the bench scripts (sourced, not run): loopback ports, servers started in the background and stopped on
# exit. The caller sets OUT (its results folder) and declares PIDS=() before sourcing; its EXIT trap calls cleanup.
log() { printf '== %s\n' "$*" >&2; }

# A free 127.0.0.1 port below the ephemeral range (32768+), where 10,000 client sockets would collide with it.
free_port() {
    local p
    while :; do
        p=$(( 10000 + RANDOM % 20000 ))
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { echo "$p"; return; }
    done
}

wait_port() {
    local i
    for i in $(seq 1 150); do
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
        sleep 0.1
    done
    log "nothing listens on 127.0.0.1:$1"; return 1
}

# start NAME CMD...: runs CMD in the background (log $OUT/NAME-N.log), records its PID in PIDS and in $LAST_PID
STARTS=0
start() {
    local name="$1"; shift
    STARTS=$((STARTS + 1))
    "$@" >"$OUT/$name-$STARTS.log" 2>&1 &
    LAST_PID=$!
    PIDS+=("$LAST_PID")
}

stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}

# apt_install CMD... : installs the Debian packages of the same names when a command is missing
apt_install() {
    local missing=() c
    for c in "$@"; do command -v "$c" >/dev/null || missing+=("$c"); done
    (( ${#missing[@]} == 0 )) && return 0
    log "installing ${missing[*]} with apt-get"
    local sudo=""; if (( $(id -u) != 0 )); then sudo="sudo"; fi
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
