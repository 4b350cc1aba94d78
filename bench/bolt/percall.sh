#!/usr/bin/env bash
# bench/bolt/percall.sh - what one Bolt call costs each proxy, in counts that do not depend on how
# busy the machine is: system calls (by kind), context switches and CPU time (user, kernel) per call, from the kernel's
# tracepoints (perf stat) over one BoltLoad run, for MeshEdge and HAProxy `mode tcp` side by side;
# with CALLGRIND=1, MeshEdge's user-space instructions per call instead (valgrind's callgrind,
# instrumented only during the load run). See bench/README.md, "Per call, whatever else the machine runs".
#
# Environment (all optional):
#   SHAPES="1x32 2x64"  load shapes, CONNSxINFLIGHT    SECONDS_PER_RUN=4    RUNS=3 (peers interleaved)
#   PEERS="haproxy meshedge"   MESHEDGE (the binary under test)   MESHEDGE_B (a second binary: peer meshedge-b)
#   MESHEDGE_B_RPC (lines added to meshedge-b's rpc_proxy table, e.g. 'flush = "turn"'; its binary is
#                   MESHEDGE unless MESHEDGE_B is set): an A/B of settings in one binary
#   CALLGRIND=0  1: callgrind on MeshEdge (one run per shape; the file is kept in RESULTS_DIR for
#                callgrind_annotate; function names need the unstripped binary, see the README)
#   CALLGRIND_OPTS  more valgrind options, e.g. "--dump-instr=yes" for counts per instruction
#                (callgrind_annotate --auto=yes, or the dump read beside objdump -d of the binary)
#   TRACE=0      1: instead of the counts, each peer's system calls traced for TRACE_SECONDS (1) in the
#                middle of a load run (perf trace): the worker's turns, writes per turn, and how long
#                a forwarded byte waited from the wake-up that brought it to the write that sent it
#   PROXY_CPU=1 LOAD_CPU=0
set -euo pipefail
SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/rig/rig.sh
source "$SCRIPT_DIR/../rig/rig.sh"
# shellcheck source=bench/bolt/bolt.sh
source "$SCRIPT_DIR/bolt.sh"

SHAPES=${SHAPES:-1x32 2x64}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-4}
PEERS=${PEERS:-haproxy meshedge}
CALLGRIND=${CALLGRIND:-0}
CALLGRIND_OPTS=${CALLGRIND_OPTS:-}
TRACE=${TRACE:-0}
TRACE_SECONDS=${TRACE_SECONDS:-1}
MESHEDGE_B_RPC=${MESHEDGE_B_RPC:-}
MESHEDGE_B=${MESHEDGE_B:-${MESHEDGE_B_RPC:+$MESHEDGE}}
EVENTS=raw_syscalls:sys_enter,syscalls:sys_enter_epoll_wait,syscalls:sys_enter_epoll_ctl
for call in read readv recvfrom recvmsg write writev sendto sendmsg; do EVENTS+=",syscalls:sys_enter_$call"; done
EVENTS+=",context-switches"
declare -A PORT_OF=() PID_OF=()

start_peer() {   # start_peer PEER [WRAPPER...]
    local peer=$1 port bin
    shift
    pick_port port
    case $peer in
        haproxy)
            { bolt_haproxy_config 1000; bolt_haproxy_listen bolt echo "$port" "$SERVER_PORT"; } >"$TMP/haproxy.cfg"
            launch_haproxy "$TMP/haproxy.cfg" "$TMP/haproxy.log" "$port" ;;
        meshedge | meshedge-b)
            bin=$MESHEDGE
            [[ $peer == meshedge-b ]] && bin=$MESHEDGE_B
            [[ -x $bin ]] || die "no meshedge binary at '$bin'"
            local extra=""
            [[ $peer == meshedge-b ]] && extra=$MESHEDGE_B_RPC
            { bolt_meshedge_runtime ""; RPC_EXTRA=$extra bolt_meshedge_route bolt bench "$port" "$SERVER_PORT"; } >"$TMP/$peer.toml"
            "${ON_PROXY[@]}" "$@" "$bin" run -c "$TMP/$peer.toml" >"$TMP/$peer.log" 2>&1 &
            PIDS+=("$!")
            STARTED_PID=$!
            # Under valgrind the start takes far longer than wait_port's 15 s on a busy machine.
            for _ in 1 2 3 4 5 6; do ! kill -0 "$STARTED_PID" 2>/dev/null || wait_port "$port" "$STARTED_PID" "$peer" "$TMP/$peer.log" 2>/dev/null && break; done
            wait_port "$port" "$STARTED_PID" "$peer" "$TMP/$peer.log" || die "$peer did not start" ;;
        *) die "unknown peer $peer" ;;
    esac
    PORT_OF[$peer]=$port
    PID_OF[$peer]=$STARTED_PID
}

load() {   # load PORT SHAPE SECONDS -> the generator's line
    "${PEER_ENV[@]}" "${ON_LOAD[@]}" "$LOAD" load "127.0.0.1:$1" "${2%x*}" "${2#*x}" "$3" 64 | tail -n 1
}

cpu_ticks() {   # cpu_ticks PID -> "user system": the process's CPU time so far, in clock ticks (/proc/PID/stat)
    # The command name (field 2) may hold spaces: fields are counted after its closing parenthesis.
    sed 's/^.*) //' "/proc/$1/stat" | awk '{ print $12, $13 }'
}

count_run() {   # count_run PEER SHAPE: one load run under perf stat, one line per call
    local peer=$1 shape=$2 perf_pid line before after
    perf stat -x, -e "$EVENTS" -p "${PID_OF[$peer]}" -o "$TMP/perf.csv" &
    perf_pid=$!
    sleep 0.3
    before=$(cpu_ticks "${PID_OF[$peer]}")
    line=$(load "${PORT_OF[$peer]}" "$shape" "$SECONDS_PER_RUN")
    after=$(cpu_ticks "${PID_OF[$peer]}")
    kill -INT "$perf_pid"
    wait "$perf_pid" || true
    # CPU time per call split into user and kernel (the clock ticks of /proc, 10 ms each: a 4 s run
    # at 100k calls/s reads to about 0.03 us per call, a starved one at 2k calls/s to 1.25 us).
    awk -F, -v req="$(field requests "$line")" -v rps="$(field rps "$line")" -v shape="$shape" -v peer="$peer" \
        -v before="$before" -v after="$after" -v hz="$(getconf CLK_TCK)" '
        $3 == "raw_syscalls:sys_enter" { all = $1 }
        $3 ~ /epoll_wait$/ { wait = $1 } $3 ~ /epoll_ctl$/ { ctl = $1 }
        $3 ~ /enter_(read|readv|recvfrom|recvmsg)$/ { rd += $1 }
        $3 ~ /enter_(write|writev|sendto|sendmsg)$/ { wr += $1 }
        $3 == "context-switches" { cs = $1 }
        END {
            if (req + 0 == 0) { print "no calls through " peer > "/dev/stderr"; exit 1 }
            split(before, b, " "); split(after, a, " ")
            printf "| %s | %s | %d | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.4f | %.2f | %.2f |\n", shape, peer, rps,
                all / req, wait / req, ctl / req, rd / req, wr / req, (all - wait - ctl - rd - wr) / req, cs / req,
                1e6 * (a[1] - b[1]) / hz / req, 1e6 * (a[2] - b[2]) / hz / req
        }' "$TMP/perf.csv"
}

callgrind_run() {   # callgrind_run SHAPE: MeshEdge under callgrind, instrumented for one load run
    local shape=$1 out line pid total file
    out="$RESULTS_DIR/callgrind-meshedge-$1-$(date -u +%Y%m%dT%H%M%SZ)"
    # shellcheck disable=SC2086  # CALLGRIND_OPTS: options, split on spaces
    start_peer meshedge valgrind --tool=callgrind --instr-atstart=no --allow-mismatched-debuginfo=yes $CALLGRIND_OPTS --callgrind-out-file="$out.%p"
    pid=${PID_OF[meshedge]}
    load "${PORT_OF[meshedge]}" "$shape" 2 >/dev/null
    callgrind_control -i on "$pid" >/dev/null 2>&1
    line=$(load "${PORT_OF[meshedge]}" "$shape" "$SECONDS_PER_RUN")
    callgrind_control -i off "$pid" >/dev/null 2>&1
    callgrind_control -d "$pid" >/dev/null 2>&1
    stop_pid "$pid"
    # The dump after the run is the largest file (the one at exit holds nothing: instrumentation was off).
    file=$(find "$(dirname "$out")" -name "$(basename "$out").*" -printf '%s %p\n' | sort -rn | head -n 1 | cut -d' ' -f2-)
    total=$(callgrind_annotate "$file" 2>/dev/null | awk '/PROGRAM TOTALS/ { gsub(",", "", $1); print $1; exit }')
    printf '| %s | %d | %d | %.0f | %s |\n' "$shape" "$(field requests "$line")" "$total" \
        "$(awk -v t="$total" -v r="$(field requests "$line")" 'BEGIN { print t / r }')" "$file"
}

# trace_run PEER SHAPE: a load run with perf trace attached to PEER for TRACE_SECONDS in its middle;
# one line: turns (epoll waits that returned), writes per turn, and the byte-weighted time from the
# end of the epoll wait that started a turn to each write of that turn (how long a forwarded byte
# waited inside the proxy once it had been woken for it). perf trace's own cost is in the times.
trace_run() {
    local peer=$1 shape=$2 load_pid line
    load "${PORT_OF[$peer]}" "$shape" "$((SECONDS_PER_RUN))" >"$TMP/trace-load.txt" &
    load_pid=$!
    sleep "$(awk -v s="$SECONDS_PER_RUN" -v t="$TRACE_SECONDS" 'BEGIN { print (s - t) / 2 }')"
    perf trace -T -p "${PID_OF[$peer]}" -e 'epoll_wait,epoll_pwait,recvfrom,recvmsg,read,readv,sendto,sendmsg,write,writev' \
        -o "$TMP/trace.txt" -- sleep "$TRACE_SECONDS" 2>/dev/null || true
    wait "$load_pid" || true
    line=$(tail -n 1 "$TMP/trace-load.txt")
    # Lines look like "34507762.500 ( 0.019 ms): meshedge-worke/20687 sendto(fd: 13, ...) = 8320" (one
    # thread: no "comm/tid").
    awk -v shape="$shape" -v peer="$peer" -v rps="$(field rps "$line")" '
        !match($0, /\( *[0-9.]+ ms\)/) { next }
        {
            t = $1 + 0; d = substr($0, RSTART + 1, RLENGTH - 5) + 0; r = $NF + 0
            call = $0; sub(/^[^)]*\): /, "", call); sub(/^[^ (]+\/[0-9]+ /, "", call); sub(/\(.*/, "", call)
            if (call ~ /^epoll_p?wait$/) { if (r > 0) { wake = t + d; turns++ } }
            else if (call ~ /^(sendto|sendmsg|write|writev)$/ && wake > 0 && r > 0) { bytes += r; sum += r * (t - wake); writes++ }
        }
        END {
            if (turns == 0 || bytes == 0) { printf "| %s | %s | - | - | - | - |\n", shape, peer; exit }
            printf "| %s | %s | %d | %d | %.2f | %.0f |\n", shape, peer, rps, turns, writes / turns, 1000 * sum / bytes
        }' "$TMP/trace.txt"
}

main() {
    need_commands perf:linux-perf taskset:util-linux
    [[ $CALLGRIND == 1 ]] && need_commands valgrind:valgrind
    [[ " $PEERS " == *" haproxy "* ]] && need_commands haproxy:haproxy
    rig_tmp percall
    mkdir -p "$RESULTS_DIR"
    pin_cores required
    build_bolt_load
    start_bolt_server 64
    if [[ $CALLGRIND == 1 ]]; then
        echo "| shape | calls | user-space instructions | per call | callgrind file |"
        echo "|---|---:|---:|---:|---|"
        for shape in $SHAPES; do callgrind_run "$shape"; done
        return 0
    fi
    local peer shape _round
    for peer in $PEERS; do start_peer "$peer"; load "${PORT_OF[$peer]}" 1x1 0.5 >/dev/null; done
    if [[ $TRACE == 1 ]]; then
        echo "| shape | peer | calls/s (traced run) | turns traced | writes per turn | wake-up to write, us per byte |"
        echo "|---|---|---:|---:|---:|---:|"
        for shape in $SHAPES; do
            for _round in $(seq 1 "$RUNS"); do
                for peer in $PEERS; do trace_run "$peer" "$shape"; done
            done
        done
        return 0
    fi
    echo "| shape | peer | calls/s | syscalls/call | epoll_wait | epoll_ctl | reads | writes | other | context switches/call | user us/call | kernel us/call |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for shape in $SHAPES; do
        for _round in $(seq 1 "$RUNS"); do
            for peer in $PEERS; do count_run "$peer" "$shape"; done
        done
    done
}

main "$@"
