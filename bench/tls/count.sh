#!/usr/bin/env bash
# bench/tls/count.sh - what TLS termination costs each proxy in instructions and system calls rather
# than in time: bench/tls/run.sh reads CPU time from /proc, which swings with whatever else the
# machine runs; these counts do not. The proxies, certificates and backend are run.sh's (the same
# configs); for each key type and peer, over a fixed amount of work:
#   - keep-alive: REQUESTS requests on one connection, one at a time (each request pays its own
#     event-loop turns: the same worst case for every peer);
#   - handshakes: HANDSHAKES connections, each a full handshake and one HTTP/1.0 request;
# two figures per unit of work:
#   - user-space instructions, split by where they ran (libcrypto, libssl, libc, the proxy's own
#     code), counted by valgrind's callgrind with the proxy under it: counts zeroed before the work
#     and dumped after, so start-up is not in them (callgrind_split.py reads the dump);
#   - system calls, by name, from perf's syscall tracepoints on the proxy running natively.
#   - the client's side of a handshake (CLIENT_SECONDS > 0): one `openssl s_time -new -www /` (run.sh's
#     client) under callgrind against each proxy running natively, counting only inside libssl's
#     per-connection calls (SSL_new, SSL_connect, SSL_write, SSL_read, SSL_shutdown, SSL_free; so
#     not its start-up), divided by its connections (the first one's one-time set-up is in the count:
#     read it with the number of handshakes shown); and its read() calls per connection (strace).
#     run.sh's handshake rate is bounded by the clients' core: this is what each proxy makes it pay.
#   - TCP segments per handshake (SEGMENT_SECONDS > 0): tcpdump on lo while one `s_time -new -www /`
#     runs against each proxy natively: segments each way, and how many of them are pure ACKs (no
#     data, no SYN, FIN or RST). On loopback the core that sends a segment also takes it in, so a
#     pure ACK the server sends in answer to a client's segment costs the client's core both ends.
# Kernel instructions are not counted (perf's hardware counters are often missing in VMs): the system
# calls stand for them. See bench/README.md (bench/tls).
#
# Environment (all optional), besides run.sh's KEYS PEERS TLS_VERSION and the rig's MESHEDGE RESULTS_DIR:
#   REQUESTS=500   HANDSHAKES=50   SYSCALLS=1 (0: skip the perf pass)
#   CLIENT_SECONDS=20  how long s_time runs under callgrind per peer (0: skip the client's side)
#   SEGMENT_SECONDS=3  how long s_time runs under tcpdump per peer (0: skip the segment count)
#   KEEP_DUMPS=DIR  keep each peer's callgrind dump (the event loop's thread) there, as
#                   PEER-KEY-MODE.callgrind, for callgrind_annotate (function by function)
# shellcheck disable=SC2119  # the rig's functions with optional arguments, called without
set -euo pipefail

# shellcheck source=bench/tls/run.sh
source "$(dirname "${BASH_SOURCE[0]}")/run.sh"

REQUESTS=${REQUESTS:-500}
HANDSHAKES=${HANDSHAKES:-50}
SYSCALLS=${SYSCALLS:-1}
CLIENT_SECONDS=${CLIENT_SECONDS:-20}
SEGMENT_SECONDS=${SEGMENT_SECONDS:-3}
KEEP_DUMPS=${KEEP_DUMPS:-}
SYSCALL_NAMES="accept4 brk clock_gettime close epoll_ctl epoll_pwait epoll_wait fcntl futex getpeername getpid getsockopt ioctl madvise mmap munmap read recvfrom recvmsg sendmsg sendto setsockopt shutdown write writev"

# work PEER MODE N BEFORE AFTER: the client's fixed work against PEER, with the functions BEFORE and
# AFTER (given PEER) around the counted part: keep-alive, after the connection's first request;
# handshakes, around all of them. MODE and UNITS are set for AFTER.
work() {
    local peer=$1 mode=$2 n=$3 before=$4 after=$5 line
    MODE=$mode UNITS=$n
    if [[ $mode == keepalive ]]; then
        coproc CLIENT { "${ON_LOAD[@]}" python3 "$TLS_DIR/count_client.py" keepalive "${PORT_OF[$peer]}" "$n"; }
        read -r line <&"${CLIENT[0]}" || die "the keep-alive client against $peer did not get ready"
        "$before" "$peer"
        echo go >&"${CLIENT[1]}"
        read -r line <&"${CLIENT[0]}" || true
        wait "$CLIENT_PID" || die "the keep-alive client against $peer failed"
        [[ $line == "done $n" ]] || die "the keep-alive client against $peer said '$line'"
    else
        "$before" "$peer"
        "${ON_LOAD[@]}" python3 "$TLS_DIR/count_client.py" handshake "${PORT_OF[$peer]}" "$n" >/dev/null \
            || die "the handshake client against $peer failed"
    fi
    "$after" "$peer"
}
MODE="" UNITS=1

# --- system calls: perf stat on the native proxy; appends "peer key mode name per-unit" to $TMP/syscalls.tsv
perf_start() {
    local events="raw_syscalls:sys_enter" name
    for name in $SYSCALL_NAMES; do events+=",syscalls:sys_enter_$name"; done
    perf stat -x, -o "$TMP/perf-$1.txt" -e "$events" -p "${PID_OF[$1]}" &
    PERF_PID=$!
    PIDS+=("$PERF_PID")
    sleep 0.5
}
perf_stop() {
    sleep 0.2
    kill -INT "$PERF_PID" 2>/dev/null || true
    wait "$PERF_PID" 2>/dev/null || true
    forget_pid "$PERF_PID"
    awk -F, -v p="$1" -v k="$KEY" -v m="$MODE" -v n="$UNITS" '
        $1 ~ /^[0-9]+$/ { e = $3; sub(/^(raw_)?syscalls:sys_enter_?/, "", e); if (e == "") e = "all"; printf "%s\t%s\t%s\t%s\t%.2f\n", p, k, m, e, $1 / n }' \
        "$TMP/perf-$1.txt" >>"$TMP/syscalls.tsv"
}

# --- the client's side: appends "peer key instructions reads" per handshake to $TMP/client.tsv
client_pass() {
    local peer=$1 port=${PORT_OF[$1]} out="$TMP/client-$1" n ir reads
    "${ON_LOAD[@]}" valgrind --tool=callgrind --collect-atstart=no --callgrind-out-file="$out.callgrind" \
        --toggle-collect=SSL_new --toggle-collect=SSL_connect --toggle-collect=SSL_write --toggle-collect=SSL_read \
        --toggle-collect=SSL_shutdown --toggle-collect=SSL_free \
        openssl s_time -connect "127.0.0.1:$port" -new -www / -time "$CLIENT_SECONDS" >"$out.txt" 2>"$out.err" \
        || die "s_time under callgrind against $peer failed"
    n=$(awk '/connections in [0-9.]+ real seconds/ { print $1; exit }' "$out.txt")
    ir=$(awk '/Collected/ { print $4; exit }' "$out.err")
    [[ -n $n && $n -gt 0 && -n $ir ]] || die "no count from s_time under callgrind against $peer"
    # read() calls per connection, between one connect() and the next (the last connection may be cut short).
    "${ON_LOAD[@]}" strace -o "$out.strace" -e trace=connect,read openssl s_time -connect "127.0.0.1:$port" -new -www / -time 2 >/dev/null 2>&1 || true
    reads=$(awk '/^connect\(/ { if (c) { k[r]++ } c = 1; r = 0; next } c && /^read\(/ { r++ }
        END { for (v in k) if (k[v] > best) { best = k[v]; mode = v } print mode }' "$out.strace")
    printf '%s\t%s\t%s\t%s\t%s\n' "$peer" "$KEY" "$((ir / n))" "${reads:--}" "$n" >>"$TMP/client.tsv"
    log "$peer ($KEY): the client's side, $((ir / n)) instructions and ${reads:--} reads per handshake ($n handshakes)"
}

# --- segments: appends "peer key client_segments client_pure_acks server_segments server_pure_acks handshakes" to $TMP/segments.tsv
segment_pass() {
    local peer=$1 port=${PORT_OF[$1]} out="$TMP/segments-$1" dump n
    tcpdump -i lo -nn -w "$out.pcap" "tcp port $port" 2>"$out.tcpdump" &
    dump=$!
    PIDS+=("$dump")
    sleep 1
    "${ON_LOAD[@]}" openssl s_time -connect "127.0.0.1:$port" -new -www / -time "$SEGMENT_SECONDS" >"$out.txt" 2>&1 \
        || die "s_time under tcpdump against $peer failed"
    sleep 0.5
    stop_pid "$dump"
    n=$(awk '/connections in [0-9.]+ real seconds/ { print $1; exit }' "$out.txt")
    [[ -n $n && $n -gt 0 ]] || die "no handshake counted under tcpdump against $peer"
    # Per connection (a SYN each): segments from the client and from the server, and the pure ACKs among them.
    tcpdump -nn -r "$out.pcap" 2>/dev/null | awk -v sp=".$port" -v p="$peer" -v k="$KEY" '
        $2 == "IP" {
            server = substr($3, length($3) - length(sp) + 1) == sp
            pure = / length 0/ && /Flags \[\.\]/
            if (/Flags \[S\]/) syn++
            if (server) { s++; sp_ += pure } else { c++; cp += pure }
        }
        END { if (syn) printf "%s\t%s\t%.2f\t%.2f\t%.2f\t%.2f\t%d\n", p, k, c / syn, cp / syn, s / syn, sp_ / syn, syn }' >>"$TMP/segments.tsv"
    log "$peer ($KEY): segments per handshake (client, its pure ACKs, server, its pure ACKs): $(tail -n 1 "$TMP/segments.tsv" | cut -f3-6 | tr '\t' ' ') ($n handshakes)"
}

# --- instructions: callgrind; appends "peer key mode total libcrypto libssl libc own other" to $TMP/instructions.tsv
callgrind_zero() { callgrind_control -z "${PID_OF[$1]}" >/dev/null || die "callgrind_control could not reach $1"; }
# One dump file per thread (--separate-threads): the event loop's is the one with the most
# instructions (MeshEdge's single worker; nginx's and HAProxy's only thread). MeshEdge's other
# threads (the certificate and config watchers, admin) do time-based work that has nothing to do
# with the requests; counted in, it grew with how long the run took under load (thousands of
# instructions per handshake from one run to the next).
callgrind_dump() {
    local files file best="" best_file="" line
    callgrind_control -d "$MODE" "${PID_OF[$1]}" >/dev/null || die "callgrind_control could not dump $1"
    files=("$TMP/callgrind.${PID_OF[$1]}".*)   # the dump just made (each is removed once read)
    [[ -f ${files[0]} ]] || die "no callgrind dump from $1"
    for file in "${files[@]}"; do
        line=$(python3 "$TLS_DIR/callgrind_split.py" "$file" "$UNITS")
        if [[ -z $best ]] || ((${line%%$'\t'*} > ${best%%$'\t'*})); then best=$line best_file=$file; fi
    done
    printf '%s\t%s\t%s\t%s\n' "$1" "$KEY" "$MODE" "$best" >>"$TMP/instructions.tsv"
    if [[ -n $KEEP_DUMPS ]]; then mkdir -p "$KEEP_DUMPS" && cp "$best_file" "$KEEP_DUMPS/$1-$KEY-$MODE.callgrind"; fi
    rm -f "${files[@]}"
}
# Under valgrind the process is valgrind's tool (comm "callgrind-amd64"), exec'd in place of the proxy.
expect_comm() {
    local comm
    comm=$(cat "/proc/$1/comm" 2>/dev/null || echo "?")
    [[ $comm == callgrind* || $comm == "$2"* ]] || die "pid $1 is '$comm', expected '$2' under callgrind"
}

measure() {   # measure KEY: both passes for one key type
    local peer native_on=("${ON_PROXY[@]}")
    make_certificate "$KEY"
    if ((SYSCALLS || CLIENT_SECONDS > 0 || SEGMENT_SECONDS > 0)); then
        start_peers start_tls_proxy
        for peer in "${ACTIVE[@]}"; do
            if ((SYSCALLS)); then
                work "$peer" keepalive "$REQUESTS" perf_start perf_stop
                work "$peer" handshake "$HANDSHAKES" perf_start perf_stop
            fi
            ((CLIENT_SECONDS == 0)) || client_pass "$peer"
            ((SEGMENT_SECONDS == 0)) || segment_pass "$peer"
        done
        stop_peers
    fi
    ON_PROXY=("${native_on[@]}" valgrind --tool=callgrind --separate-threads=yes "--callgrind-out-file=$TMP/callgrind.%p")
    PORT_WAIT_SECONDS=180 CHECK_SECONDS=60 start_peers start_tls_proxy
    for peer in "${ACTIVE[@]}"; do
        log "$peer ($KEY): $REQUESTS keep-alive requests and $HANDSHAKES handshakes under callgrind"
        work "$peer" keepalive "$REQUESTS" callgrind_zero callgrind_dump
        work "$peer" handshake "$HANDSHAKES" callgrind_zero callgrind_dump
    done
    stop_peers
    ON_PROXY=("${native_on[@]}")
}

count_main() {
    need_commands haproxy:haproxy nginx:nginx-light taskset:util-linux curl:curl openssl:openssl python3:python3 valgrind:valgrind
    ((SYSCALLS == 0)) || need_commands perf:linux-perf
    ((CLIENT_SECONDS == 0)) || need_commands strace:strace
    ((SEGMENT_SECONDS == 0)) || need_commands tcpdump:tcpdump
    want_peers nginx haproxy meshedge
    rig_tmp tls-count
    pin_cores
    start_nginx_backend ""
    : >"$TMP/instructions.tsv"
    : >"$TMP/syscalls.tsv"
    : >"$TMP/client.tsv"
    : >"$TMP/segments.tsv"
    for KEY in $KEYS; do measure; done
    publish_report count_report "tls-count-$(date +%Y%m%d-%H%M%S).md"
}

count_report() {
    local key mode peer
    echo "# TLS termination: instructions and system calls per unit of work $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    host_line
    echo "- peers: $PEERS (run.sh's configs: one worker/thread/process each, the nginx backend in plaintext); TLS $TLS_VERSION; keys: $KEYS"
    echo "- keep-alive: $REQUESTS requests on one connection, one at a time; handshakes: $HANDSHAKES connections, each a full handshake and one HTTP/1.0 request"
    echo "- instructions: user space, callgrind (valgrind $(valgrind --version | sed 's/valgrind-//')), self cost by object, the event loop's thread only; 'own' is the proxy's executable (for MeshEdge with its managed code)"
    for key in $KEYS; do
        for mode in keepalive handshake; do
            echo
            echo "## $key, $mode: user-space instructions per $([[ $mode == keepalive ]] && echo request || echo handshake)"
            echo
            echo "| peer | total | libcrypto | libssl | libc | own | other | total / MeshEdge's |"
            echo "|---|---:|---:|---:|---:|---:|---:|---:|"
            awk -F'\t' -v k="$key" -v m="$mode" '
                $2 == k && $3 == m { row[$1] = $0; if ($1 == "meshedge") me = $4 }
                END { for (p in row) { split(row[p], f, "\t"); printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", p, f[4], f[5], f[6], f[7], f[8], f[9], (me ? sprintf("%.3f", f[4] / me) : "-") } }' \
                "$TMP/instructions.tsv" | sort
        done
        if [[ -s $TMP/client.tsv ]]; then
            echo
            echo "## $key, handshake: what the client pays (one \`openssl s_time -new -www /\`, inside libssl's calls)"
            echo
            echo "| peer | client instructions per handshake | client read() calls per handshake | instructions / MeshEdge's | handshakes counted |"
            echo "|---|---:|---:|---:|---:|"
            awk -F'\t' -v k="$key" '$2 == k { row[$1] = $0; if ($1 == "meshedge") me = $3 }
                END { for (p in row) { split(row[p], f, "\t"); printf "| %s | %s | %s | %s | %s |\n", p, f[3], f[4], (me ? sprintf("%.3f", f[3] / me) : "-"), f[5] } }' \
                "$TMP/client.tsv" | sort
        fi
        if [[ -s $TMP/segments.tsv ]]; then
            echo
            echo "## $key, handshake: TCP segments per connection (one \`openssl s_time -new -www /\`, tcpdump on lo)"
            echo
            echo "| peer | from the client | of which pure ACKs | from the server | of which pure ACKs | connections |"
            echo "|---|---:|---:|---:|---:|---:|"
            awk -F'\t' -v k="$key" '$2 == k { printf "| %s | %s | %s | %s | %s | %s |\n", $1, $3, $4, $5, $6, $7 }' "$TMP/segments.tsv" | sort
        fi
        if [[ -s $TMP/syscalls.tsv ]]; then
            for mode in keepalive handshake; do
                echo
                echo "## $key, $mode: system calls per $([[ $mode == keepalive ]] && echo request || echo handshake) (natively, perf tracepoints)"
                echo
                echo "| peer | all | by name |"
                echo "|---|---:|---|"
                for peer in "${WANTED[@]}"; do
                    awk -F'\t' -v p="$peer" -v k="$key" -v m="$mode" '
                        $1 == p && $2 == k && $3 == m { if ($4 == "all") all = $5; else if ($5 > 0) by = by (by ? ", " : "") $4 " " $5 }
                        END { if (all != "") printf "| %s | %s | %s |\n", p, all, by }' "$TMP/syscalls.tsv"
                done
            done
        fi
    done
    echo
    echo "Counts, not time: they hold on a loaded machine, and the ratios between peers are the figures to read."
}

count_main "$@"
