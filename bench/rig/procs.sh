# bench/rig/procs.sh - logging, the bookkeeping of the processes a benchmark starts, and a cleanup
# that stops them (and their children) on any exit: normal end, failure, Ctrl-C, TERM.
# Sourced by rig.sh. A script sets TMP with rig_tmp; cleanup removes it (and /usr/sbin/policy-rc.d
# when packages.sh wrote it, CREATED_POLICY_RC=1).
# shellcheck shell=bash

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

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

rig_tmp() {   # rig_tmp NAME: the scratch directory /tmp/meshedge-bench-NAME.XXXXXX as TMP (removed on exit)
    TMP=$(mktemp -d "/tmp/meshedge-bench-$1.XXXXXX")
    chmod 755 "$TMP"   # nginx workers may run as nobody
}

forget_pid() {   # drop a PID we have already waited for from the cleanup list
    local p keep=()
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

stop_pid() {   # stop one process we started and forget it
    local pid=$1
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    forget_pid "$pid"
}

expect_comm() {   # expect_comm PID NAME: PID must be the program itself (taskset and env exec it), not a wrapper
    local comm
    comm=$(cat "/proc/$1/comm" 2>/dev/null || echo "?")
    [[ $comm == "$2"* ]] || die "pid $1 is '$comm', expected '$2' (its CPU figures would be wrong)"
}
