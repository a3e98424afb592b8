#!/usr/bin/env bash
# ActorNet build script. Usage: ./build.sh <build|test|run|publish|check> [args]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# No MSBuild/Roslyn server processes left behind after the script ends (CI, 2-core machines).
export MSBUILDDISABLENODEREUSE=1
export DOTNET_CLI_USE_MSBUILD_SERVER=0
export UseSharedCompilation=false

SOLUTION=ActorNet.sln
NODE_PROJECT=src/ActorNet.Node
PUBLISH_DIR=artifacts/actornet
RESULTS_DIR=artifacts/test-results
DEFAULT_CONFIG=config/node.conf

usage() {
    cat <<USAGE
usage: ./build.sh <verb> [args]
  build            dotnet build -c Release
  test             build, publish artifacts/actornet, run every test project; last line: 'N passed, N failed, N skipped'
  run [args]       run the node: actornet run --config $DEFAULT_CONFIG [args]
  publish          publish a runnable $PUBLISH_DIR/actornet (framework-dependent)
  check [PATH]     validate a config file (default: $DEFAULT_CONFIG); exit 2 if invalid
  bench [proxy]    benchmark ActorNet vs raw baseline, ngircd, nats-server, socat, haproxy on 127.0.0.1
                   (docs/BENCHMARKS.md); proxy: only the forward-proxy cases (bench/run-proxy-bench.sh)
  conformance      publish, start a node on config/conformance.conf, run the irctest server suite
                   (../shared/irctest-run.sh or IRCTEST_DIR); last line 'N passed, N failed, N skipped' (docs/CONFORMANCE.md)
USAGE
}

build() {
    dotnet build "$SOLUTION" -c Release -nodeReuse:false
}

publish() {
    dotnet publish "$NODE_PROJECT" -c Release -o "$PUBLISH_DIR" -nodeReuse:false "$@"
}

# Sums one <Counters> attribute over every TRX file in $RESULTS_DIR.
sum_counter() {
    local name="$1"
    find "$RESULTS_DIR" -name '*.trx' -print0 2>/dev/null \
        | xargs -0 -r grep -ho "<Counters [^>]*" \
        | grep -o " $name=\"[0-9]*\"" \
        | grep -o '[0-9]*' \
        | awk '{ s += $1 } END { print s + 0 }'
}

# The tests drive programs nobody here wrote: headless Chromium (tests/ActorNet.IntegrationTests/Browser), Python's
# ssl module and openssl s_client (IrcTlsTests, TlsTests). They fail, not skip, without them, so a fresh Debian
# machine gets them from apt-get here; elsewhere the message says what to install.
ensure_test_tools() {
    local missing=()
    command -v chromium >/dev/null || [[ -n "${CHROMIUM_PATH:-}" ]] || missing+=(chromium)
    command -v python3 >/dev/null || missing+=(python3)
    command -v openssl >/dev/null || missing+=(openssl)
    (( ${#missing[@]} == 0 )) && return 0
    local sudo=""
    (( EUID == 0 )) || sudo="sudo -n"
    if command -v apt-get >/dev/null; then
        echo "installing test prerequisites: ${missing[*]}" >&2
        $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null \
            && return 0
    fi
    echo "warning: ${missing[*]} not installed and could not be installed here; the tests that need them will fail" >&2
}

run_tests() {
    ensure_test_tools
    build
    publish --no-build
    export ACTORNET_BIN="$PWD/$PUBLISH_DIR/actornet"
    rm -rf "$RESULTS_DIR"
    mkdir -p "$RESULTS_DIR"

    local status=0
    dotnet test "$SOLUTION" -c Release --no-build --logger trx --results-directory "$RESULTS_DIR" || status=$?

    local total passed failed skipped
    total=$(sum_counter total)
    passed=$(sum_counter passed)
    failed=$(( $(sum_counter failed) + $(sum_counter error) + $(sum_counter timeout) + $(sum_counter aborted) ))
    skipped=$(( total - passed - failed ))
    if (( skipped < 0 )); then skipped=0; fi

    if (( status != 0 && failed == 0 )); then
        echo "dotnet test exited with $status but no test failure was recorded (build or runner error)" >&2
    fi
    if (( total == 0 )); then
        echo "no test ran" >&2
    fi
    echo "$passed passed, $failed failed, $skipped skipped"
    if (( status != 0 || failed > 0 || total == 0 )); then
        return 1
    fi
}

run_node() {
    local has_config=0 arg
    for arg in "$@"; do
        case "$arg" in --config|-c|--config=*|-c=*) has_config=1 ;; esac
    done
    if (( has_config )); then
        exec dotnet run --project "$NODE_PROJECT" -c Release -- run "$@"
    fi
    exec dotnet run --project "$NODE_PROJECT" -c Release -- run --config "$DEFAULT_CONFIG" "$@"
}

check_config() {
    local path="${1:-$DEFAULT_CONFIG}"
    if (( $# > 0 )); then shift; fi
    exec dotnet run --project "$NODE_PROJECT" -c Release -- check --config "$path" "$@"
}

verb="${1:-}"
if (( $# > 0 )); then shift; fi
case "$verb" in
    build)   build ;;
    test)    run_tests ;;
    run)     run_node "$@" ;;
    publish) publish ;;
    check)   check_config "$@" ;;
    bench)   exec bench/run-bench.sh "$@" ;;
    conformance) publish && exec tests/conformance/run.sh "$@" ;;
    -h|--help|help) usage ;;
    *)       usage >&2; exit 64 ;;
esac
