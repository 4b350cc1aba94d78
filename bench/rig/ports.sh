# bench/rig/ports.sh - free ports on 127.0.0.1 and waiting for a server to listen.
# shellcheck shell=bash

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

wait_port() {   # wait_port PORT PID NAME LOGFILE: 0 once PORT listens; 1 (with the log's tail) when PID exits or PORT_WAIT_SECONDS (15) pass
    local port=$1 pid=$2 name=$3 logf=$4
    for _ in $(seq 1 $((${PORT_WAIT_SECONDS:-15} * 10))); do
        port_open "$port" && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            log "$name exited before listening on $port; last log lines:"
            tail -n 20 "$logf" >&2 2>/dev/null || true
            return 1
        fi
        sleep 0.1
    done
    log "$name did not listen on $port within ${PORT_WAIT_SECONDS:-15}s; last log lines:"
    tail -n 20 "$logf" >&2 2>/dev/null || true
    return 1
}
