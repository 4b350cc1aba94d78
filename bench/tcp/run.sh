#!/usr/bin/env bash
# bench/tcp/run.sh - side-by-side load benchmark: MeshEdge TCP proxy vs HAProxy `mode tcp` vs direct.
#
# Reproduces the engine calibration rig (see bench/README.md): an nginx backend returning a 64-byte body over
# HTTP/1.1 keep-alive, `wrk -t1 -c32 --latency`, each proxy pinned to one core and wrk + nginx pinned
# to the other. Peers are interleaved within each round (and the order rotates per round) so machine
# drift hits them alike. Only ratios between peers of the same run are meaningful.
#
# Environment (all optional):
#   MESHEDGE=artifacts/linux-x64/meshedge  binary to test (relative to the repo root); skipped if absent
#   DURATION=10    seconds per wrk run          RUNS=3       rounds
#   CONNS=32       wrk connections              WARMUP=2     seconds of unrecorded load per peer first
#   PEERS="direct haproxy meshedge"             subset / order of peers
#   PROXY_CPU=1    core for the proxy           LOAD_CPU=0   core for wrk, nginx and the bulk source/sink
#   BULK=1         also run the bulk-stream scenario (0 to skip)
#   BULK_MB=1024   MiB streamed per bulk run    BULK_RUNS=$RUNS
#   PERF=0         1: one extra, unrecorded round under `perf stat` counting system calls and
#                  context switches per request of each proxy
#   HAPROXY_SPLICE=0  1: add `option splice-auto` to HAProxy (default off, as in the calibration)
#   RESULTS_DIR=bench/results                 where the markdown report is written
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C

DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
CONNS=${CONNS:-32}
WARMUP=${WARMUP:-2}
PEERS=${PEERS:-direct haproxy meshedge}
PROXY_CPU=${PROXY_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
BULK=${BULK:-1}
BULK_MB=${BULK_MB:-1024}
BULK_RUNS=${BULK_RUNS:-$RUNS}
PERF=${PERF:-0}
HAPROXY_SPLICE=${HAPROXY_SPLICE:-0}
RESULTS_DIR=${RESULTS_DIR:-$REPO_ROOT/bench/results}
MESHEDGE=${MESHEDGE:-artifacts/linux-x64/meshedge}
[[ $MESHEDGE == /* ]] || MESHEDGE="$REPO_ROOT/$MESHEDGE"

# Targets (MeshEdge against HAProxy, medians of the same run).
TARGET_CPU_RATIO=0.9      # CPU per request, at most
TARGET_RPCPU_RATIO=1.0    # requests per CPU-second, at least
TARGET_BIN_BYTES=$((12 * 1000 * 1000))

BODY="meshedge-bench-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"   # 64 bytes
((${#BODY} == 64)) || { echo "internal: body is ${#BODY} bytes, not 64" >&2; exit 2; }

# Logging, process bookkeeping and cleanup on any exit.
# shellcheck source=bench/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

# --------------------------------------------------------------------------------------------------
# Dependencies: install only what is missing; apt-get update only when installing.
ensure_packages() {
    local missing=()
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v nginx >/dev/null || missing+=(nginx-light)
    command -v wrk >/dev/null || missing+=(wrk)
    command -v taskset >/dev/null || missing+=(util-linux)
    if ((BULK)); then command -v socat >/dev/null || missing+=(socat); fi
    install_missing "${missing[@]}"
}

# --------------------------------------------------------------------------------------------------
# Checks and pinning (ports and readiness are in bench/lib.sh).

http_check() {   # one GET through PORT must return the 64-byte body
    local resp
    # shellcheck disable=SC2016  # $1 expands in the inner shell
    resp=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n" >&3; cat <&3' _ "$1" 2>/dev/null) || true
    [[ $resp == *"$BODY"* ]]
}

# Command prefixes that pin to a core. Arrays, not a shell function: a backgrounded function would
# run in a subshell and $! would be that subshell, not the proxy (taskset execs, keeping the PID).
PIN=1
ON_PROXY=(taskset -c "$PROXY_CPU")
ON_LOAD=(taskset -c "$LOAD_CPU")

affinity_of() { awk '/^Cpus_allowed_list:/{print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# --------------------------------------------------------------------------------------------------
# /proc readings.
CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() {   # "utime stime" of PID in clock ticks (all threads)
    local s f
    s=$(<"/proc/$1/stat")
    s=${s##*) }          # the comm field may contain spaces and parentheses
    read -r -a f <<<"$s"
    echo "${f[11]} ${f[12]}"   # fields 14 and 15 of stat(5)
}
core_busy() {   # busy ticks of CPU N (user nice system irq softirq steal) from /proc/stat
    awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
status_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { awk -v kb="$1" 'BEGIN{ if (kb == "-" || kb == "") print "-"; else printf "%.1f", kb/1024 }'; }

# --------------------------------------------------------------------------------------------------
# Servers.
NGINX_PID="" NGINX_PORT=""
start_nginx() {
    pick_port NGINX_PORT
    mkdir -p "$TMP/nginx/logs"
    cat >"$TMP/nginx/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process on;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 3600s;
    client_body_temp_path $TMP/nginx/client_body;
    proxy_temp_path $TMP/nginx/proxy;
    default_type text/plain;
    server {
        listen 127.0.0.1:$NGINX_PORT backlog=4096;
        location / { return 200 "$BODY"; }
    }
}
EOF
    nginx -t -q -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
        || die "nginx rejected its config"
    "${ON_LOAD[@]}" nginx -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" \
        >"$TMP/nginx/stdout.log" 2>&1 &
    NGINX_PID=$!
    PIDS+=("$NGINX_PID")
    wait_port "$NGINX_PORT" "$NGINX_PID" nginx "$TMP/nginx/error.log" || die "nginx did not start"
    expect_comm "$NGINX_PID" nginx
    http_check "$NGINX_PORT" || die "nginx does not return the 64-byte body"
}

start_haproxy() {   # start_haproxy TAG LISTEN_PORT BACKEND_PORT -> sets STARTED_PID
    local tag=$1 port=$2 backend=$3 cfg="$TMP/haproxy-$1.cfg" splice="" maxconn nofile
    # HAProxy refuses to start when 2 x maxconn exceeds the descriptor limit: as high as it allows.
    nofile=$(ulimit -n)
    maxconn=100000
    [[ $nofile == unlimited ]] || ((maxconn = (nofile - 200) / 2 < 100000 ? (nofile - 200) / 2 : 100000))
    ((HAPROXY_SPLICE)) && splice="    option splice-auto"
    cat >"$cfg" <<EOF
global
    nbthread 1
    maxconn $maxconn
defaults
    mode tcp
    maxconn $maxconn
    timeout connect 5s
    timeout client 1h
    timeout server 1h
$splice
frontend bench
    bind 127.0.0.1:$port
    default_backend nginx
backend nginx
    server s1 127.0.0.1:$backend
EOF
    launch_haproxy "$cfg" "$TMP/haproxy-$tag.log" "$port"
}

MESHEDGE_SKIP_REASON=""
meshedge_usable() {
    if [[ ! -e $MESHEDGE ]]; then
        MESHEDGE_SKIP_REASON="binary not found at $MESHEDGE (build it, or set MESHEDGE=/path/to/meshedge)"
    elif [[ ! -x $MESHEDGE ]]; then
        MESHEDGE_SKIP_REASON="$MESHEDGE is not executable"
    else
        return 0
    fi
    return 1
}

start_meshedge() {   # start_meshedge TAG LISTEN_PORT BACKEND_PORT -> sets STARTED_PID; 1 on failure
    local tag=$1 port=$2 backend=$3 cfg="$TMP/meshedge-$1.toml"
    cat >"$cfg" <<EOF
[runtime]
workers = 1
log_level = "warn"

[[listeners]]
name = "bench"
address = "127.0.0.1:$port"

[listeners.tcp_proxy]
cluster = "nginx"

[[clusters]]
name = "nginx"
hosts = ["127.0.0.1:$backend"]
EOF
    "${ON_PROXY[@]}" "$MESHEDGE" run -c "$cfg" >"$TMP/meshedge-$tag.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
    if ! wait_port "$port" "$STARTED_PID" meshedge "$TMP/meshedge-$tag.log"; then
        MESHEDGE_SKIP_REASON="meshedge did not start listening (config $cfg); see its log above"
        stop_pid "$STARTED_PID"
        return 1
    fi
    expect_comm "$STARTED_PID" "$(basename "$MESHEDGE" | cut -c1-15)"
}

# --------------------------------------------------------------------------------------------------
# One wrk run against PEER; appends a row to $TMP/rows.tsv when RECORD=1.
# Columns: peer round rps p99us cpu_us usr_us sys_us req_per_cpus rss_before_kb rss_load_kb hwm_kb errors requests
#          core_us (all busy time of the proxy's core per request, including softirq work the kernel
#          does not charge to the process; only when pinned)
declare -A PORT_OF PID_OF IDLE_RSS_KB
wrk_parse() {   # wrk_parse FILE -> "requests rps p99us errors"
    awk '
        / requests in / { req = $1 }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "99%" {
            v = $2
            if (v ~ /us$/) { sub(/us$/, "", v); p99 = v }
            else if (v ~ /ms$/) { sub(/ms$/, "", v); p99 = v * 1000 }
            else if (v ~ /m$/) { sub(/m$/, "", v); p99 = v * 60000000 }
            else if (v ~ /s$/) { sub(/s$/, "", v); p99 = v * 1000000 }
        }
        /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { err += $NF }
        END { printf "%s %s %s %d\n", (req == "" ? 0 : req), (rps == "" ? 0 : rps), (p99 == "" ? "-" : p99), err }
    ' "$1"
}

run_wrk() {   # run_wrk PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 secs=$3 record=$4 port pid out
    port=${PORT_OF[$peer]}
    pid=${PID_OF[$peer]:-}
    out="$TMP/wrk-$peer-$round.txt"
    local t0u=0 t0s=0 t1u=0 t1s=0 rss_before="-" rss_load="-" hwm="-" sampler="" c0=0 c1=0
    if [[ -n $pid ]]; then
        kill -0 "$pid" 2>/dev/null || die "$peer (pid $pid) died"
        rss_before=$(status_kb "$pid" VmRSS)
        # Sample RSS while the load is still on (90% of the way through the run).
        (sleep "$(awk -v d="$secs" 'BEGIN{print d*0.9}')"; status_kb "$pid" VmRSS >"$TMP/rss-load") 2>/dev/null &
        sampler=$!
        read -r t0u t0s < <(cpu_ticks "$pid")
        ((PIN)) && c0=$(core_busy "$PROXY_CPU")
    fi
    "${ON_LOAD[@]}" wrk -t1 -c"$CONNS" -d"${secs}s" --latency "http://127.0.0.1:$port/" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed against $peer"; }
    if [[ -n $pid ]]; then
        kill -0 "$pid" 2>/dev/null || die "$peer (pid $pid) exited during the run"
        read -r t1u t1s < <(cpu_ticks "$pid")
        ((PIN)) && c1=$(core_busy "$PROXY_CPU")
        wait "$sampler" 2>/dev/null || true
        rss_load=$(cat "$TMP/rss-load" 2>/dev/null || echo "-")
        rm -f "$TMP/rss-load"
        hwm=$(status_kb "$pid" VmHWM)
    fi
    ((record)) || return 0
    local requests rps p99 errors
    read -r requests rps p99 errors < <(wrk_parse "$out")
    ((requests > 0)) || { cat "$out" >&2; die "wrk served no requests through $peer"; }
    ((errors == 0)) || log "warning: $peer round $round had $errors socket errors / non-2xx responses"
    awk -v peer="$peer" -v round="$round" -v req="$requests" -v rps="$rps" -v p99="$p99" -v err="$errors" \
        -v hz="$CLK_TCK" -v u="$((t1u - t0u))" -v s="$((t1s - t0s))" -v haspid="${pid:+1}" \
        -v rb="$rss_before" -v rl="$rss_load" -v hwm="$hwm" -v core="$((c1 - c0))" -v pinned="$PIN" 'BEGIN {
            if (haspid) {
                cpu = (u + s) / hz
                cpu_us = sprintf("%.2f", cpu * 1e6 / req)
                usr_us = sprintf("%.2f", (u / hz) * 1e6 / req)
                sys_us = sprintf("%.2f", (s / hz) * 1e6 / req)
                rpc = cpu > 0 ? sprintf("%.0f", req / cpu) : "-"
                core_us = pinned ? sprintf("%.2f", (core / hz) * 1e6 / req) : "-"
            } else { cpu_us = usr_us = sys_us = rpc = core_us = "-" }
            if (p99 != "-") p99 = sprintf("%.0f", p99)
            printf "%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
                peer, round, rps, p99, cpu_us, usr_us, sys_us, rpc, rb, rl, hwm, err, req, core_us
        }' >>"$TMP/rows.tsv"
    log "$(printf '%-9s round %s: %s' "$peer" "$round" "$(tail -n1 "$TMP/rows.tsv" | awk -F'\t' '{printf "%s req/s, p99 %s us, %s us CPU/req", $3, $4, $5}')")"
}

# One extra round with `perf stat` attached: system calls and context switches per request.
perf_round() {
    local peer pid out perfpid requests
    printf 'peer\tsyscalls_per_req\tctxsw_per_req\n' >"$TMP/perf.tsv"
    for peer in "${ACTIVE[@]}"; do
        pid=${PID_OF[$peer]:-}
        [[ -n $pid ]] || continue
        out="$TMP/perf-$peer.txt"
        perf stat -x, -o "$out" -e raw_syscalls:sys_enter,context-switches -p "$pid" &
        perfpid=$!
        PIDS+=("$perfpid")
        sleep 0.3
        "${ON_LOAD[@]}" wrk -t1 -c"$CONNS" -d"${DURATION}s" --latency "http://127.0.0.1:${PORT_OF[$peer]}/" \
            >"$TMP/wrk-perf-$peer.txt" 2>&1 || die "wrk failed under perf against $peer"
        kill -INT "$perfpid" 2>/dev/null || true
        wait "$perfpid" 2>/dev/null || true
        stop_pid "$perfpid"
        read -r requests _ < <(wrk_parse "$TMP/wrk-perf-$peer.txt")
        awk -F, -v peer="$peer" -v req="$requests" '
            $3 == "raw_syscalls:sys_enter" { sc = $1 }
            $3 == "context-switches" { cs = $1 }
            END { printf "%s\t%.2f\t%.3f\n", peer, sc / req, cs / req }' "$out" >>"$TMP/perf.tsv"
    done
}

# --------------------------------------------------------------------------------------------------
# Bulk stream: a socat source sends BULK_MB MiB per connection; dd reads it through each peer.
# Columns: peer round mb_s cpu_s_per_gib bytes core_s_per_gib
run_bulk_one() {   # run_bulk_one PEER ROUND PORT PID
    local peer=$1 round=$2 port=$3 pid=$4 t0 t1 t0u=0 t0s=0 t1u=0 t1s=0 bytes c0=0 c1=0
    if [[ -n $pid ]]; then
        read -r t0u t0s < <(cpu_ticks "$pid")
        ((PIN)) && c0=$(core_busy "$PROXY_CPU")
    fi
    t0=$(date +%s%N)
    # bash opens the socket; dd reads it directly (1 MiB reads, no pipe in between).
    "${ON_LOAD[@]}" timeout 300 dd of=/dev/null bs=1M <"/dev/tcp/127.0.0.1/$port" 2>"$TMP/dd.txt" \
        || { cat "$TMP/dd.txt" >&2; die "bulk transfer through $peer failed"; }
    t1=$(date +%s%N)
    if [[ -n $pid ]]; then
        kill -0 "$pid" 2>/dev/null || die "$peer (pid $pid) exited during the bulk run"
        read -r t1u t1s < <(cpu_ticks "$pid")
        ((PIN)) && c1=$(core_busy "$PROXY_CPU")
    fi
    bytes=$(awk '/bytes/ && /copied/ {print $1}' "$TMP/dd.txt")
    [[ $bytes == "$((BULK_MB * 1048576))" ]] \
        || { log "warning: bulk through $peer delivered ${bytes:-?} of $((BULK_MB * 1048576)) bytes"; }
    awk -v peer="$peer" -v round="$round" -v b="${bytes:-0}" -v ns="$((t1 - t0))" -v hz="$CLK_TCK" \
        -v cpu="$((t1u - t0u + t1s - t0s))" -v haspid="${pid:+1}" -v core="$((c1 - c0))" -v pinned="$PIN" 'BEGIN {
            mbs = b / (ns / 1e9) / 1e6
            per = (haspid && b > 0) ? sprintf("%.3f", (cpu / hz) / (b / 1073741824)) : "-"
            cper = (haspid && pinned && b > 0) ? sprintf("%.3f", (core / hz) / (b / 1073741824)) : "-"
            printf "%s\t%s\t%.0f\t%s\t%s\t%s\n", peer, round, mbs, per, b, cper
        }' >>"$TMP/bulk.tsv"
    log "$(printf '%-9s bulk %s: %s' "$peer" "$round" "$(tail -n1 "$TMP/bulk.tsv" | awk -F'\t' '{printf "%s MB/s, %s CPU s/GiB", $3, $4}')")"
}

run_bulk() {
    local src_port peer r i n port pid
    declare -A bport bpid
    pick_port src_port
    "${ON_LOAD[@]}" socat -U -b 1048576 "TCP-LISTEN:$src_port,bind=127.0.0.1,reuseaddr,fork,backlog=64" \
        "OPEN:/dev/zero,readbytes=$((BULK_MB * 1048576))" >"$TMP/socat.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_port "$src_port" "$pid" socat "$TMP/socat.log" || die "socat source did not start"
    bport[direct]=$src_port
    bpid[direct]=""
    for peer in "${ACTIVE[@]}"; do
        case $peer in
            haproxy)
                pick_port port; start_haproxy bulk "$port" "$src_port"
                bport[haproxy]=$port; bpid[haproxy]=$STARTED_PID ;;
            meshedge)
                pick_port port
                start_meshedge bulk "$port" "$src_port" || die "meshedge (bulk instance) failed: $MESHEDGE_SKIP_REASON"
                bport[meshedge]=$port; bpid[meshedge]=$STARTED_PID ;;
        esac
    done
    : >"$TMP/bulk.tsv"
    n=${#ACTIVE[@]}
    for ((r = 1; r <= BULK_RUNS; r++)); do
        for ((i = 0; i < n; i++)); do
            peer=${ACTIVE[$(((i + r - 1) % n))]}
            run_bulk_one "$peer" "$r" "${bport[$peer]}" "${bpid[$peer]}"
        done
    done
    for peer in haproxy meshedge; do [[ -n ${bpid[$peer]:-} ]] && stop_pid "${bpid[$peer]}"; done
    return 0
}

# --------------------------------------------------------------------------------------------------
# Report helpers.
median_of() {   # median_of FILE PEER COLUMN -> median of numeric values, "-" if any is "-"
    awk -F'\t' -v p="$2" -v c="$3" '$1 == p { print $c }' "$1" | sort -g | awk '
        $1 == "-" { dash = 1 } { v[NR] = $1 }
        END {
            if (NR == 0 || dash) { print "-"; exit }
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            print m
        }'
}
fmt_num() { awk -v m="$1" 'BEGIN{ if (m == "-") print "-"; else if (m >= 100) printf "%.0f", m; else printf "%.3g", m }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.3f", a / b }'; }
verdict() {   # verdict VALUE OP TARGET
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN{
        if (v == "-") { print "n/a"; exit }
        ok = (op == "<=") ? (v + 0 <= t + 0) : (v + 0 >= t + 0)
        print (ok ? "PASS" : "FAIL") }'
}

# --------------------------------------------------------------------------------------------------
main() {
    ensure_packages
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    TMP=$(mktemp -d /tmp/meshedge-bench-tcp.XXXXXX)
    chmod 755 "$TMP"   # nginx workers may run as nobody

    local ncpu
    ncpu=$(nproc)
    if ((ncpu < 2)) || ! taskset -c "$PROXY_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
        PIN=0 ON_PROXY=() ON_LOAD=()
        log "warning: cannot pin to cores $PROXY_CPU/$LOAD_CPU ($ncpu CPUs); running unpinned, figures are noisier"
    fi

    start_nginx
    log "nginx backend on 127.0.0.1:$NGINX_PORT (pid $NGINX_PID, cpus $(affinity_of "$NGINX_PID"))"

    ACTIVE=()
    local peer port
    for peer in $PEERS; do
        case $peer in
            direct)
                PORT_OF[direct]=$NGINX_PORT; PID_OF[direct]=""; ACTIVE+=(direct) ;;
            haproxy)
                pick_port port; start_haproxy main "$port" "$NGINX_PORT"
                http_check "$port" || die "haproxy does not proxy the 64-byte body"
                PORT_OF[haproxy]=$port; PID_OF[haproxy]=$STARTED_PID; ACTIVE+=(haproxy)
                log "haproxy on 127.0.0.1:$port (pid $STARTED_PID, cpus $(affinity_of "$STARTED_PID"))" ;;
            meshedge)
                if ! meshedge_usable; then
                    log "SKIPPING meshedge: $MESHEDGE_SKIP_REASON"
                    continue
                fi
                pick_port port
                if ! start_meshedge main "$port" "$NGINX_PORT"; then
                    log "SKIPPING meshedge: $MESHEDGE_SKIP_REASON"
                    continue
                fi
                if ! http_check "$port"; then
                    MESHEDGE_SKIP_REASON="meshedge listens on $port but did not proxy a GET to the 64-byte body"
                    log "SKIPPING meshedge: $MESHEDGE_SKIP_REASON"
                    tail -n 20 "$TMP/meshedge-main.log" >&2 || true
                    stop_pid "$STARTED_PID"
                    continue
                fi
                PORT_OF[meshedge]=$port; PID_OF[meshedge]=$STARTED_PID; ACTIVE+=(meshedge)
                log "meshedge on 127.0.0.1:$port (pid $STARTED_PID, cpus $(affinity_of "$STARTED_PID"))" ;;
            *) die "unknown peer '$peer' in PEERS" ;;
        esac
    done
    ((${#ACTIVE[@]} > 0)) || die "no peers to measure"

    # Idle RSS: after start and one request, before any load.
    sleep 1
    for peer in "${ACTIVE[@]}"; do
        [[ -n ${PID_OF[$peer]} ]] && IDLE_RSS_KB[$peer]=$(status_kb "${PID_OF[$peer]}" VmRSS)
    done

    if ((WARMUP > 0)); then
        log "warm-up: ${WARMUP}s per peer (not recorded)"
        for peer in "${ACTIVE[@]}"; do run_wrk "$peer" 0 "$WARMUP" 0; done
    fi

    : >"$TMP/rows.tsv"
    local r i n
    n=${#ACTIVE[@]}
    for ((r = 1; r <= RUNS; r++)); do
        for ((i = 0; i < n; i++)); do
            run_wrk "${ACTIVE[$(((i + r - 1) % n))]}" "$r" "$DURATION" 1
        done
    done

    if ((PERF)); then
        if command -v perf >/dev/null && perf stat -e raw_syscalls:sys_enter -- true >/dev/null 2>&1; then
            log "perf round: ${DURATION}s per proxy under perf stat (not in the medians)"
            perf_round
        else
            log "warning: PERF=1 but perf stat with raw_syscalls tracepoints does not work here; skipped"
            PERF=0
        fi
    fi

    if ((BULK)); then
        log "bulk stream: $BULK_MB MiB per run, $BULK_RUNS rounds"
        run_bulk
    fi

    report >"$TMP/report.md"
    mkdir -p "$RESULTS_DIR"
    local out
    out="$RESULTS_DIR/tcp-$(date +%Y%m%d-%H%M%S).md"
    cp "$TMP/report.md" "$out"
    cat "$TMP/report.md"
    log "report written to $out"
}

report() {
    local peer c med row hz=$CLK_TCK mever=""
    # The tree's VERSION file, not `meshedge --version`: running the binary with unknown flags
    # could start it on its embedded default config.
    [[ -r $REPO_ROOT/VERSION ]] && mever="tree version $(head -n1 "$REPO_ROOT/VERSION")"
    echo "# TCP proxy benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    echo "- host: $(uname -srm), $(nproc) CPUs ($(awk -F: '/model name/{gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)), CLK_TCK=$hz"
    echo "- peers: ${ACTIVE[*]}; backend: $(nginx -v 2>&1 | sed 's/^nginx version: //'), 1 worker, 64-byte body"
    echo "- haproxy: $(haproxy -v 2>/dev/null | head -n1 | awk '{print $3}'), mode tcp, nbthread 1$( ((HAPROXY_SPLICE)) && echo ', splice-auto')"
    if [[ -n ${PID_OF[meshedge]:-} ]]; then
        echo "- meshedge: $MESHEDGE${mever:+ ($mever)}, workers = 1"
    else
        echo "- meshedge: SKIPPED - $MESHEDGE_SKIP_REASON"
    fi
    echo "- load: wrk -t1 -c$CONNS -d${DURATION}s --latency, $RUNS rounds, peers interleaved (order rotates per round), ${WARMUP}s warm-up each"
    if ((PIN)); then
        echo "- pinning: proxy on CPU $PROXY_CPU, wrk + nginx on CPU $LOAD_CPU (taskset)"
    else
        echo "- pinning: none (taskset unavailable or fewer than 2 CPUs)"
    fi
    echo "- CPU = utime+stime of the proxy process over the run (/proc/PID/stat); core = all busy time of the proxy's core"
    echo "  (/proc/stat, includes softirq work not charged to the process); RSS from /proc/PID/status"
    echo
    echo "## Request/response (HTTP/1.1 keep-alive through a TCP proxy)"
    echo
    echo "| peer | run | req/s | p99 us | CPU us/req | usr us/req | sys us/req | core us/req | req per CPU-s | RSS before MiB | RSS under load MiB | VmHWM MiB | errors |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do
        awk -F'\t' -v p="$peer" '$1 == p {
            rb = ($9 == "-") ? "-" : sprintf("%.1f", $9 / 1024)
            rl = ($10 == "-") ? "-" : sprintf("%.1f", $10 / 1024)
            hw = ($11 == "-") ? "-" : sprintf("%.1f", $11 / 1024)
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $14, $8, rb, rl, hw, $12 }' "$TMP/rows.tsv"
        row="| **$peer** | **median** |"
        for c in 3 4 5 6 7 14 8; do
            med=$(median_of "$TMP/rows.tsv" "$peer" "$c")
            row+=" **$(fmt_num "$med")** |"
        done
        for c in 9 10 11; do row+=" **$(mib "$(median_of "$TMP/rows.tsv" "$peer" "$c")")** |"; done
        row+=" |"
        echo "$row"
    done
    echo

    local noisy
    noisy=$(awk -F'\t' '$5 != "-" && $14 != "-" && $14 > 1.25 * $5 + 1 { printf "%s%s %s (%.0f%%)", (n++ ? ", " : ""), $1, $2, 100 * ($14 / $5 - 1) }' "$TMP/rows.tsv")
    if [[ -n $noisy ]]; then
        echo "Other load shared the proxy core (core busy time more than 25% above the proxy's own CPU) in: $noisy."
        echo "Those runs are noisier; the paired per-round ratios below show how much it moved them."
        echo
    fi

    local ha_cpu me_cpu ha_rpc me_rpc r_cpu r_rpc ha_rps me_rps dir_rps
    ha_cpu=$(median_of "$TMP/rows.tsv" haproxy 5); me_cpu=$(median_of "$TMP/rows.tsv" meshedge 5)
    ha_rpc=$(median_of "$TMP/rows.tsv" haproxy 8); me_rpc=$(median_of "$TMP/rows.tsv" meshedge 8)
    ha_rps=$(median_of "$TMP/rows.tsv" haproxy 3); me_rps=$(median_of "$TMP/rows.tsv" meshedge 3)
    dir_rps=$(median_of "$TMP/rows.tsv" direct 3)
    r_cpu=$(ratio "$me_cpu" "$ha_cpu"); r_rpc=$(ratio "$me_rpc" "$ha_rpc")
    echo "## Ratios (medians of this run)"
    echo
    echo "- MeshEdge/HAProxy CPU per request: **$r_cpu** (target <= $TARGET_CPU_RATIO): $(verdict "$r_cpu" "<=" "$TARGET_CPU_RATIO")"
    if [[ -n ${PID_OF[meshedge]:-} && -n ${PID_OF[haproxy]:-} ]]; then
        local per_round
        per_round=$(awk -F'\t' '$1 == "haproxy" { h[$2] = $5 } $1 == "meshedge" { m[$2] = $5 }
            END { for (r = 1; r in h; r++) if (r in m) printf "%s%.3f", (r > 1 ? " / " : ""), m[r] / h[r] }' "$TMP/rows.tsv")
        echo "  - per round (paired): $per_round"
    fi
    echo "- MeshEdge/HAProxy requests per CPU-second: **$r_rpc** (target >= $TARGET_RPCPU_RATIO): $(verdict "$r_rpc" ">=" "$TARGET_RPCPU_RATIO")"
    echo "- MeshEdge/HAProxy requests/s: $(ratio "$me_rps" "$ha_rps"); HAProxy/direct: $(ratio "$ha_rps" "$dir_rps"); MeshEdge/direct: $(ratio "$me_rps" "$dir_rps")"
    for peer in haproxy meshedge; do
        if [[ -n ${IDLE_RSS_KB[$peer]:-} ]]; then
            echo "- idle RSS $peer (after start and one request, before load): $(mib "${IDLE_RSS_KB[$peer]}") MiB"
        else
            echo "- idle RSS $peer: n/a"
        fi
    done
    if [[ -e $MESHEDGE ]]; then
        local size
        size=$(stat -c %s "$MESHEDGE")
        echo "- meshedge binary size: $size bytes ($(awk -v s="$size" 'BEGIN{printf "%.2f MB, %.2f MiB", s / 1e6, s / 1048576}')) (target < 12 MB): $( ((size < TARGET_BIN_BYTES)) && echo PASS || echo FAIL)"
    else
        echo "- meshedge binary size: n/a (no binary at $MESHEDGE)"
    fi

    if ((PERF)) && [[ -s $TMP/perf.tsv ]]; then
        echo
        echo "## System calls and context switches per request (one extra round under perf stat)"
        echo
        echo "| peer | syscalls/req | context switches/req |"
        echo "|---|---:|---:|"
        awk -F'\t' 'NR > 1 { printf "| %s | %s | %s |\n", $1, $2, $3 }' "$TMP/perf.tsv"
    fi

    if ((BULK)) && [[ -s $TMP/bulk.tsv ]]; then
        echo
        echo "## Bulk stream ($BULK_MB MiB per connection, socat source -> proxy -> dd sink, both on CPU $LOAD_CPU)"
        echo
        echo "| peer | run | MB/s | proxy CPU s per GiB | core s per GiB |"
        echo "|---|---|---:|---:|---:|"
        for peer in "${ACTIVE[@]}"; do
            awk -F'\t' -v p="$peer" '$1 == p { printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $6 }' "$TMP/bulk.tsv"
            echo "| **$peer** | **median** | **$(fmt_num "$(median_of "$TMP/bulk.tsv" "$peer" 3)")** | **$(fmt_num "$(median_of "$TMP/bulk.tsv" "$peer" 4)")** | **$(fmt_num "$(median_of "$TMP/bulk.tsv" "$peer" 6)")** |"
        done
        echo
        echo "- MeshEdge/HAProxy CPU per GiB: $(ratio "$(median_of "$TMP/bulk.tsv" meshedge 4)" "$(median_of "$TMP/bulk.tsv" haproxy 4)");" \
             "MB/s: $(ratio "$(median_of "$TMP/bulk.tsv" meshedge 3)" "$(median_of "$TMP/bulk.tsv" haproxy 3)")"
    fi

    if [[ -n ${PID_OF[meshedge]:-} && -s $TMP/meshedge-main.log ]]; then
        local nwarn
        nwarn=$(grep -c -E 'level=(warn|error)' "$TMP/meshedge-main.log" || true)
        echo
        echo "- meshedge log: $(wc -l <"$TMP/meshedge-main.log") lines, $nwarn at warn/error"
    fi
    echo
    echo "Figures are only comparable as ratios between peers measured in this same run on this machine."
}

main "$@"
