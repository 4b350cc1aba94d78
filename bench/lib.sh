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

expect_comm() {   # expect_comm PID NAME: PID must be the program itself (taskset and env exec it), not a wrapper
    local comm
    comm=$(cat "/proc/$1/comm" 2>/dev/null || echo "?")
    [[ $comm == "$2"* ]] || die "pid $1 is '$comm', expected '$2' (its CPU figures would be wrong)"
}

launch_haproxy() {   # launch_haproxy CFG LOG PORT: check CFG, run HAProxy on it in the foreground pinned by ON_PROXY; sets STARTED_PID
    haproxy -c -q -f "$1" || die "haproxy rejected its config"
    "${ON_PROXY[@]}" haproxy -db -f "$1" >"$2" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
    wait_port "$3" "$STARTED_PID" haproxy "$2" || die "haproxy did not start"
    expect_comm "$STARTED_PID" haproxy
}

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

# install_missing PKG...: apt-get install the named Debian packages (none: nothing to do), with
# apt-get update only when installing and no daemon started system-wide by the packages.
install_missing() {
    local missing=("$@")
    ((${#missing[@]} == 0)) && return 0
    log "installing: ${missing[*]}"
    local sudo=()
    ((EUID == 0)) || sudo=(sudo)
    # Keep the packages' init scripts from starting system-wide daemons during the install.
    if [[ ! -e /usr/sbin/policy-rc.d ]]; then
        printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
        "${sudo[@]}" chmod +x /usr/sbin/policy-rc.d
        CREATED_POLICY_RC=1
    fi
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    if ((CREATED_POLICY_RC)); then "${sudo[@]}" rm -f /usr/sbin/policy-rc.d; CREATED_POLICY_RC=0; fi
}

# --------------------------------------------------------------------------------------------------
# Ports and readiness.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

USED_PORTS=" "
pick_port() {   # pick_port VAR: a free port below the ephemeral range, not handed out before
    local var=$1 lo p
    lo=$(awk '{print $1}' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
    ((lo > 20000)) || lo=61000   # odd ephemeral range: fall back to above it
    for _ in $(seq 1 500); do
        if ((lo == 61000)); then p=$((61000 + RANDOM % 4000)); else p=$((15000 + RANDOM % (lo - 15000))); fi
        [[ $USED_PORTS == *" $p "* ]] && continue
        port_open "$p" && continue
        if command -v ss >/dev/null && ss -Htan "sport = :$p" 2>/dev/null | grep -q .; then continue; fi
        USED_PORTS+="$p "
        printf -v "$var" '%s' "$p"
        return 0
    done
    die "no free port found"
}

wait_port() {   # wait_port PORT PID NAME LOGFILE
    local port=$1 pid=$2 name=$3 logf=$4
    for _ in $(seq 1 150); do
        port_open "$port" && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name exited before listening on $port; last log lines:"
            tail -n 20 "$logf" >&2 2>/dev/null || true
            return 1
        fi
        sleep 0.1
    done
    log "$name did not listen on $port within 15s; last log lines:"
    tail -n 20 "$logf" >&2 2>/dev/null || true
    return 1
}
