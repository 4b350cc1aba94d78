# bench/lib.sh - what the side-by-side benchmark scripts share: logging, the bookkeeping of the
# processes they start, and a cleanup that stops them (and their children) on any exit.
# Sourced, not run. A script sets TMP to its scratch directory and CREATED_POLICY_RC=1 when it
# wrote /usr/sbin/policy-rc.d; cleanup removes both.

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# --------------------------------------------------------------------------------------------------
# Process bookkeeping and cleanup (runs on normal exit, failure, Ctrl-C, TERM).
PIDS=()
TMP=""
CREATED_POLICY_RC=0
cleanup() {
    local rc=$? pid
    trap - EXIT INT TERM
    for pid in "${PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        pkill -TERM -P "$pid" 2>/dev/null || true   # children of our own processes (nginx workers, socat forks)
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            pkill -KILL -P "$pid" 2>/dev/null || true
            kill -KILL "$pid" 2>/dev/null || true
        fi
        wait "$pid" 2>/dev/null || true
    done
    ((CREATED_POLICY_RC)) && rm -f /usr/sbin/policy-rc.d
    [[ -n $TMP && -d $TMP ]] && rm -rf "$TMP"
    exit "$rc"
}
trap cleanup EXIT
trap 'log "interrupted"; exit 130' INT
trap 'log "terminated"; exit 143' TERM

stop_pid() {   # stop one process we started and forget it
    local pid=$1 p keep=()
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    for p in "${PIDS[@]}"; do [[ $p == "$pid" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}
