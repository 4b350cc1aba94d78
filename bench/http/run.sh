#!/usr/bin/env bash
# bench/http/run.sh - side-by-side HTTP/1.1 load benchmark: MeshEdge `protocol = "http"` vs HAProxy
# `mode http` vs nginx `proxy_pass` vs direct (issue 4).
#
# The same rig as bench/tcp/run.sh (see bench/README.md): an nginx backend returning a 64-byte body
# over HTTP/1.1 keep-alive, `wrk -t1 -c32 --latency`, each proxy (one worker, keep-alive to the
# backend) pinned to one core and wrk + the backend pinned to the other. Peers are interleaved
# within each round (the order rotates per round) so machine drift hits them alike. Only ratios
# between peers of the same run are meaningful.
#
# Environment (all optional):
#   MESHEDGE=artifacts/linux-x64/meshedge  binary to test (relative to the repo root); skipped if absent
#   DURATION=10    seconds per wrk run          RUNS=3       rounds
#   CONNS=32       wrk connections              WARMUP=2     seconds of unrecorded load per peer first
#   PEERS="direct nginx haproxy meshedge"       subset / order of peers
#   PROXY_CPU=1    core for the proxy           LOAD_CPU=0   core for wrk and the nginx backend
#   FORWARD_HEADERS=1  every proxy adds x-forwarded-for, x-forwarded-proto and x-request-id (kept if
#                  present), MeshEdge's defaults; 0: none of them does (MeshEdge configured off)
#   PERF=0         1: one extra, unrecorded round under `perf stat` counting system calls and
#                  context switches per request of each proxy
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
PEERS=${PEERS:-direct nginx haproxy meshedge}
PROXY_CPU=${PROXY_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
FORWARD_HEADERS=${FORWARD_HEADERS:-1}
PERF=${PERF:-0}
RESULTS_DIR=${RESULTS_DIR:-$REPO_ROOT/bench/results}
MESHEDGE=${MESHEDGE:-artifacts/linux-x64/meshedge}
[[ $MESHEDGE == /* ]] || MESHEDGE="$REPO_ROOT/$MESHEDGE"

# Targets of issue 4 (MeshEdge against the better of nginx and HAProxy, medians of the same run).
TARGET_CPU_RATIO=0.85     # CPU per request, at most
TARGET_RPS_RATIO=1.0      # requests/s on one core, at least
TARGET_P99_RATIO=1.0      # p99 latency, at most
TARGET_ALLOC_BYTES=64     # managed bytes allocated per proxied request, under

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
    command -v curl >/dev/null || missing+=(curl)
    install_missing "${missing[@]}"
}

# --------------------------------------------------------------------------------------------------
# Checks and pinning (ports and readiness are in bench/lib.sh).

# http_get PORT PATH: one GET; the body on stdout. curl, not bash's /dev/tcp: bash writes a request
# line by line (its stdout is line-buffered), and MeshEdge's admin server loses the path of a request
# whose head arrives in more than one read (it answers 404 "no admin endpoint ; see /help").
http_get() {
    curl -sS --max-time 5 -H 'Host: bench' "http://127.0.0.1:$1$2" 2>/dev/null
}

# http_check PORT: two GETs on one keep-alive connection, then a third that asks to close; each must
# be answered `200` with exactly the backend's 64-byte body. Sets CHECK_ERROR on failure. A proxy
# that serves errors or another body would otherwise be measured at its error-path speed.
CHECK_ERROR=""
http_check() {
    local out
    # shellcheck disable=SC2016  # the inner script's variables expand in the inner shell
    out=$(timeout 10 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || { echo "cannot connect"; exit 1; }
        for i in 1 2 3; do
            conn=keep-alive; ((i == 3)) && conn=close
            printf "GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: meshedge-bench\r\nConnection: %s\r\n\r\n" "$conn" >&3
            IFS= read -r -t 5 status <&3 || { echo "request $i: no status line"; exit 1; }
            status=${status%"$3"}
            [[ $status == "HTTP/1.1 200 "* || $status == "HTTP/1.1 200" ]] || { echo "request $i: status \"$status\""; exit 1; }
            len="" chunked=0
            while IFS= read -r -t 5 line <&3; do
                line=${line%"$3"}
                [[ -z $line ]] && break
                lower=${line,,}
                [[ $lower == content-length:* ]] && len=${lower#content-length:} && len=${len// /}
                [[ $lower == transfer-encoding:*chunked* ]] && chunked=1
            done
            ((chunked == 0)) || { echo "request $i: chunked response (expected Content-Length)"; exit 1; }
            [[ -n $len ]] || { echo "request $i: no Content-Length"; exit 1; }
            body=""
            ((len == 0)) || IFS= read -r -t 5 -N "$len" body <&3 || { echo "request $i: body cut short"; exit 1; }
            [[ $body == "$2" ]] || { echo "request $i: body \"$body\" is not the backend body"; exit 1; }
        done
        echo ok' _ "$1" "$BODY" $'\r' 2>&1) || true
    [[ $out == ok ]] && return 0
    CHECK_ERROR=${out:-no answer within 10s}
    return 1
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
# The backend: nginx, 1 worker, `return 200` with the 64-byte body. A second server on its own port
# serves stub_status, so each run can count the connections the proxy opened to the backend (a proxy
# that does not reuse its upstream connections would show one per request).
NGINX_PID="" NGINX_PORT="" NGINX_STATUS_PORT=""
start_nginx() {
    local status_server=""
    pick_port NGINX_PORT
    if nginx -V 2>&1 | grep -q -- --with-http_stub_status_module; then
        pick_port NGINX_STATUS_PORT
        status_server="server { listen 127.0.0.1:$NGINX_STATUS_PORT; location / { stub_status; } }"
    fi
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
    $status_server
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
    http_check "$NGINX_PORT" || die "the nginx backend does not return 200 with the 64-byte body: $CHECK_ERROR"
}

backend_accepts() {   # connections the backend has accepted so far ("-" without stub_status)
    [[ -n $NGINX_STATUS_PORT ]] || { echo "-"; return 0; }
    http_get "$NGINX_STATUS_PORT" / | awk '/^ *[0-9]+ +[0-9]+ +[0-9]+ *\r?$/ { print $1; found = 1; exit } END { if (!found) print "-" }'
}

# --------------------------------------------------------------------------------------------------
# The proxies. Each: one worker/thread/process, pinned to PROXY_CPU, keep-alive on both sides with no
# request limit per connection, no access log, and (FORWARD_HEADERS=1) the same three added headers.

start_nginx_proxy() {   # start_nginx_proxy LISTEN_PORT BACKEND_PORT -> sets STARTED_PID
    local port=$1 backend=$2 dir="$TMP/nginx-proxy" headers=""
    mkdir -p "$dir"
    if ((FORWARD_HEADERS)); then
        headers="proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Request-ID \$bench_request_id;"
    fi
    # master_process off: nginx serves from the one process we started, so /proc/PID/stat is the
    # process doing the work (with a master, the worker is a child and its CPU is not in the master's
    # utime/stime). The event loop is the same code a worker runs.
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 3600s;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    map \$http_x_request_id \$bench_request_id { "" \$request_id; default \$http_x_request_id; }
    upstream backend {
        server 127.0.0.1:$backend;
        keepalive 64;
        keepalive_requests 1000000000;
        keepalive_timeout 3600s;
    }
    server {
        listen 127.0.0.1:$port backlog=4096;
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            $headers
        }
    }
}
EOF
    nginx -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || die "nginx (proxy) rejected its config"
    "${ON_PROXY[@]}" nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
    wait_port "$port" "$STARTED_PID" "nginx (proxy)" "$dir/error.log" || die "nginx (proxy) did not start"
    expect_comm "$STARTED_PID" nginx
}

start_haproxy() {   # start_haproxy LISTEN_PORT BACKEND_PORT -> sets STARTED_PID
    local port=$1 backend=$2 cfg="$TMP/haproxy.cfg" headers="" maxconn nofile
    # HAProxy refuses to start when 2 x maxconn exceeds the descriptor limit: as high as it allows.
    nofile=$(ulimit -n)
    maxconn=100000
    [[ $nofile == unlimited ]] || ((maxconn = (nofile - 200) / 2 < 100000 ? (nofile - 200) / 2 : 100000))
    if ((FORWARD_HEADERS)); then
        headers="    option forwardfor
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Request-ID %[uuid] unless { req.hdr(x-request-id) -m found }"
    fi
    cat >"$cfg" <<EOF
global
    nbthread 1
    maxconn $maxconn
defaults
    mode http
    option http-keep-alive
    maxconn $maxconn
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout http-keep-alive 1h
    timeout http-request 1h
frontend bench
    bind 127.0.0.1:$port
$headers
    default_backend nginx
backend nginx
    http-reuse always
    server s1 127.0.0.1:$backend
EOF
    launch_haproxy "$cfg" "$TMP/haproxy.log" "$port"
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

MESHEDGE_ADMIN_PORT=""
start_meshedge() {   # start_meshedge LISTEN_PORT BACKEND_PORT -> sets STARTED_PID; 1 on failure
    local port=$1 backend=$2 cfg="$TMP/meshedge.toml" fwd=false
    ((FORWARD_HEADERS)) && fwd=true
    pick_port MESHEDGE_ADMIN_PORT
    cat >"$cfg" <<EOF
[runtime]
workers = 1
log_level = "warn"

[admin]
address = "127.0.0.1:$MESHEDGE_ADMIN_PORT"

[[listeners]]
name = "bench"
address = "127.0.0.1:$port"
protocol = "http"

[listeners.http]
add_forwarded_headers = $fwd
generate_request_id = $fwd

[[listeners.http.virtual_hosts]]
name = "all"
domains = ["*"]
routes = [{ match = { prefix = "/" }, cluster = "nginx" }]

[[clusters]]
name = "nginx"
hosts = ["127.0.0.1:$backend"]
EOF
    "${ON_PROXY[@]}" "$MESHEDGE" run -c "$cfg" >"$TMP/meshedge.log" 2>&1 &
    STARTED_PID=$!
    PIDS+=("$STARTED_PID")
    if ! wait_port "$port" "$STARTED_PID" meshedge "$TMP/meshedge.log" \
        || ! wait_port "$MESHEDGE_ADMIN_PORT" "$STARTED_PID" "meshedge admin" "$TMP/meshedge.log"; then
        MESHEDGE_SKIP_REASON="meshedge did not start listening (config $cfg); see its log above"
        stop_pid "$STARTED_PID"
        return 1
    fi
    expect_comm "$STARTED_PID" "$(basename "$MESHEDGE" | cut -c1-15)"
}

# MeshEdge's admin /stats: "gc_allocated_bytes gc_collections_gen0 rq_total cx_total", the last two
# of the bench listener. Dies when a figure is missing: without them the allocation per request cannot be given.
# Call it as VAR=$(meshedge_stats): under `set -e` a failure then stops the script.
meshedge_stats() {
    local json
    json=$(http_get "$MESHEDGE_ADMIN_PORT" /stats) || true
    awk -v s="$json" 'function num(text, key) {
            if (!match(text, "\"" key "\" *: *[0-9]+")) return ""
            v = substr(text, RSTART, RLENGTH); sub(/.*: */, "", v); return v
        }
        BEGIN {
            a = num(s, "gc_allocated_bytes"); g = num(s, "gc_collections_gen0")
            i = index(s, "\"bench\""); q = i ? num(substr(s, i), "rq_total") : ""; c = i ? num(substr(s, i), "cx_total") : ""
            if (a == "" || g == "" || q == "" || c == "") exit 1
            print a, g, q, c
        }' || { log "error: meshedge /stats on 127.0.0.1:$MESHEDGE_ADMIN_PORT lacks gc_allocated_bytes, gc_collections_gen0 or the bench listener's rq_total/cx_total: ${json:0:300}"; return 1; }
}

STATS_COST=0
# The bytes one /stats request allocates itself: the smallest difference of consecutive readings
# (a few, spaced out as around a run). Now and then a reading costs about a KiB more; taking the
# smallest leaves that in the runs' figures, not out of them.
measure_stats_cost() {
    local s prev="" cur d min=""
    s=$(meshedge_stats)   # the first ones start the admin's thread-pool work: not representative
    sleep 0.3
    s=$(meshedge_stats)
    for _ in 1 2 3 4 5; do
        sleep 0.3
        s=$(meshedge_stats)
        cur=${s%% *}
        if [[ -n $prev ]]; then
            d=$((cur - prev))
            if [[ -z $min ]] || ((d < min)); then min=$d; fi
        fi
        prev=$cur
    done
    STATS_COST=$min
    log "meshedge: one /stats request allocates $STATS_COST bytes (subtracted from each run)"
}

IDLE_ALLOC="-" IDLE_SECS=0
measure_idle_alloc() {   # bytes MeshEdge allocates with no traffic (timers, housekeeping) over SECONDS
    local s1 s2
    IDLE_SECS=$1
    s1=$(meshedge_stats)
    sleep "$IDLE_SECS"
    s2=$(meshedge_stats)
    IDLE_ALLOC=$((${s2%% *} - ${s1%% *} - STATS_COST))
    log "meshedge: allocated $IDLE_ALLOC bytes in ${IDLE_SECS}s while idle (net of one /stats request)"
}

# --------------------------------------------------------------------------------------------------
# One wrk run against PEER; appends a row to $TMP/rows.tsv when RECORD=1.
# Columns: 1 peer 2 round 3 rps 4 p50us 5 p99us 6 cpu_us 7 usr_us 8 sys_us 9 req_per_cpus
#          10 rss_before_kb 11 rss_load_kb 12 hwm_kb 13 errors 14 requests 15 core_us
#          16 backend connections opened during the run
# MeshEdge rows also go to $TMP/alloc.tsv: round alloc_bytes proxied bytes_per_req gen0 wrk_requests
#          client_connections_accepted
declare -A PORT_OF PID_OF IDLE_RSS_KB
wrk_parse() {   # wrk_parse FILE -> "requests rps p50us p99us errors"
    awk '
        function us(v) {
            if (v ~ /us$/) { sub(/us$/, "", v); return v }
            if (v ~ /ms$/) { sub(/ms$/, "", v); return v * 1000 }
            if (v ~ /m$/) { sub(/m$/, "", v); return v * 60000000 }
            if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000000 }
            return "-"
        }
        / requests in / { req = $1 }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = us($2) }
        $1 == "99%" { p99 = us($2) }
        /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { err += $NF }
        END { printf "%s %s %s %s %d\n", (req == "" ? 0 : req), (rps == "" ? 0 : rps), (p50 == "" ? "-" : p50), (p99 == "" ? "-" : p99), err }
    ' "$1"
}

run_wrk() {   # run_wrk PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 secs=$3 record=$4 port pid out
    port=${PORT_OF[$peer]}
    pid=${PID_OF[$peer]:-}
    out="$TMP/wrk-$peer-$round.txt"
    local t0u=0 t0s=0 t1u=0 t1s=0 rss_before="-" rss_load="-" hwm="-" sampler="" c0=0 c1=0
    local acc0 acc1 st0="" st1="" is_me=0
    [[ $peer == meshedge ]] && ((record)) && is_me=1
    acc0=$(backend_accepts)
    # /stats is read outside the CPU window: its own CPU is not charged to the requests.
    ((is_me)) && st0=$(meshedge_stats)
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
    ((is_me)) && st1=$(meshedge_stats)
    acc1=$(backend_accepts)
    ((record)) || return 0
    local requests rps p50 p99 errors opened="-"
    read -r requests rps p50 p99 errors < <(wrk_parse "$out")
    ((requests > 0)) || { cat "$out" >&2; die "wrk served no requests through $peer"; }
    ((errors == 0)) || log "warning: $peer round $round had $errors socket errors / non-2xx responses"
    # The second status reading opened one connection of its own.
    [[ $acc0 != "-" && $acc1 != "-" ]] && opened=$((acc1 - acc0 - 1))
    awk -v peer="$peer" -v round="$round" -v req="$requests" -v rps="$rps" -v p50="$p50" -v p99="$p99" -v err="$errors" \
        -v hz="$CLK_TCK" -v u="$((t1u - t0u))" -v s="$((t1s - t0s))" -v haspid="${pid:+1}" -v opened="$opened" \
        -v rb="$rss_before" -v rl="$rss_load" -v hwm="$hwm" -v core="$((c1 - c0))" -v pinned="$PIN" 'BEGIN {
            if (haspid) {
                cpu = (u + s) / hz
                cpu_us = sprintf("%.2f", cpu * 1e6 / req)
                usr_us = sprintf("%.2f", (u / hz) * 1e6 / req)
                sys_us = sprintf("%.2f", (s / hz) * 1e6 / req)
                rpc = cpu > 0 ? sprintf("%.0f", req / cpu) : "-"
                core_us = pinned ? sprintf("%.2f", (core / hz) * 1e6 / req) : "-"
            } else { cpu_us = usr_us = sys_us = rpc = core_us = "-" }
            if (p50 != "-") p50 = sprintf("%.0f", p50)
            if (p99 != "-") p99 = sprintf("%.0f", p99)
            printf "%s\t%s\t%.0f\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n",
                peer, round, rps, p50, p99, cpu_us, usr_us, sys_us, rpc, rb, rl, hwm, err, req, core_us, opened
        }' >>"$TMP/rows.tsv"
    local extra=""
    if ((is_me)); then
        local a0 g0 q0 x0 a1 g1 q1 x1
        read -r a0 g0 q0 x0 <<<"$st0"
        read -r a1 g1 q1 x1 <<<"$st1"
        # Bytes allocated over the run, less what the closing /stats request allocated itself,
        # divided by the requests the listener served (wrk's count leaves out those in flight at the end).
        awk -v r="$round" -v a="$((a1 - a0 - STATS_COST))" -v q="$((q1 - q0))" -v g="$((g1 - g0))" -v w="$requests" -v x="$((x1 - x0))" 'BEGIN {
            printf "%s\t%d\t%d\t%s\t%d\t%d\t%d\n", r, a, q, (q > 0 ? sprintf("%.1f", a / q) : "-"), g, w, x }' >>"$TMP/alloc.tsv"
        extra=$(tail -n1 "$TMP/alloc.tsv" | awk -F'\t' '{printf ", %s B allocated/req", $4}')
    fi
    log "$(printf '%-9s round %s: %s%s' "$peer" "$round" "$(tail -n1 "$TMP/rows.tsv" | awk -F'\t' '{printf "%s req/s, p50 %s us, p99 %s us, %s us CPU/req, %s backend conns", $3, $4, $5, $6, $16}')" "$extra")"
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
median_col() {   # median_col FILE COLUMN -> median of a column over all rows
    awk -F'\t' -v c="$2" '{ print $c }' "$1" | sort -g | awk '
        $1 == "-" { dash = 1 } { v[NR] = $1 }
        END {
            if (NR == 0 || dash) { print "-"; exit }
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            print m
        }'
}
fmt_num() { awk -v m="$1" 'BEGIN{ if (m == "-") print "-"; else if (m >= 100) printf "%.0f", m; else printf "%.3g", m }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.3f", a / b }'; }
verdict() {   # verdict VALUE OP TARGET -> PASS / MISS / n/a
    awk -v v="$1" -v op="$2" -v t="$3" 'BEGIN{
        if (v == "-" || v == "") { print "n/a"; exit }
        if (op == "<=") ok = v + 0 <= t + 0; else if (op == "<") ok = v + 0 < t + 0; else ok = v + 0 >= t + 0
        print (ok ? "PASS" : "MISS") }'
}
best_of() {   # best_of min|max VALUE... -> the smallest or largest value that is not "-" (or "-")
    local how=$1; shift
    printf '%s\n' "$@" | awk -v how="$how" '$1 != "-" && $1 != "" { if (!n++ || (how == "min" ? $1 + 0 < b + 0 : $1 + 0 > b + 0)) b = $1 }
        END { print (n ? b : "-") }'
}
is_active() { local p; for p in "${ACTIVE[@]}"; do [[ $p == "$1" ]] && return 0; done; return 1; }

# --------------------------------------------------------------------------------------------------
main() {
    ensure_packages
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    TMP=$(mktemp -d /tmp/meshedge-bench-http.XXXXXX)
    chmod 755 "$TMP"   # nginx workers may run as nobody

    local ncpu
    ncpu=$(nproc)
    if ((ncpu < 2)) || ! taskset -c "$PROXY_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
        PIN=0 ON_PROXY=() ON_LOAD=()
        log "warning: cannot pin to cores $PROXY_CPU/$LOAD_CPU ($ncpu CPUs); running unpinned, figures are noisier"
    fi

    start_nginx
    log "nginx backend on 127.0.0.1:$NGINX_PORT (pid $NGINX_PID, cpus $(affinity_of "$NGINX_PID"))"
    [[ -n $NGINX_STATUS_PORT ]] || log "warning: nginx lacks stub_status; backend connections per run are not counted"

    ACTIVE=()
    local peer port
    for peer in $PEERS; do
        case $peer in
            direct)
                PORT_OF[direct]=$NGINX_PORT; PID_OF[direct]=""; ACTIVE+=(direct) ;;
            nginx)
                pick_port port; start_nginx_proxy "$port" "$NGINX_PORT"
                http_check "$port" || die "nginx (proxy) does not answer 200 with the backend's body: $CHECK_ERROR"
                PORT_OF[nginx]=$port; PID_OF[nginx]=$STARTED_PID; ACTIVE+=(nginx)
                log "nginx proxy on 127.0.0.1:$port (pid $STARTED_PID, cpus $(affinity_of "$STARTED_PID"))" ;;
            haproxy)
                pick_port port; start_haproxy "$port" "$NGINX_PORT"
                http_check "$port" || die "haproxy does not answer 200 with the backend's body: $CHECK_ERROR"
                PORT_OF[haproxy]=$port; PID_OF[haproxy]=$STARTED_PID; ACTIVE+=(haproxy)
                log "haproxy on 127.0.0.1:$port (pid $STARTED_PID, cpus $(affinity_of "$STARTED_PID"))" ;;
            meshedge)
                # MeshEdge is the subject: a binary that is absent is skipped (the peers still run),
                # but one that starts and then does not proxy correctly fails the whole benchmark.
                if ! meshedge_usable; then
                    log "SKIPPING meshedge: $MESHEDGE_SKIP_REASON"
                    continue
                fi
                pick_port port
                if ! start_meshedge "$port" "$NGINX_PORT"; then
                    log "SKIPPING meshedge: $MESHEDGE_SKIP_REASON"
                    continue
                fi
                if ! http_check "$port"; then
                    tail -n 20 "$TMP/meshedge.log" >&2 || true
                    die "meshedge does not answer 200 with the backend's body: $CHECK_ERROR"
                fi
                PORT_OF[meshedge]=$port; PID_OF[meshedge]=$STARTED_PID; ACTIVE+=(meshedge)
                log "meshedge on 127.0.0.1:$port, admin on $MESHEDGE_ADMIN_PORT (pid $STARTED_PID, cpus $(affinity_of "$STARTED_PID"))" ;;
            *) die "unknown peer '$peer' in PEERS" ;;
        esac
    done
    ((${#ACTIVE[@]} > 0)) || die "no peers to measure"

    # Idle RSS: after start and the check's requests, before any load.
    sleep 1
    for peer in "${ACTIVE[@]}"; do
        [[ -n ${PID_OF[$peer]} ]] && IDLE_RSS_KB[$peer]=$(status_kb "${PID_OF[$peer]}" VmRSS)
    done

    if ((WARMUP > 0)); then
        log "warm-up: ${WARMUP}s per peer (not recorded)"
        for peer in "${ACTIVE[@]}"; do run_wrk "$peer" 0 "$WARMUP" 0; done
    fi
    if is_active meshedge; then
        measure_stats_cost
        measure_idle_alloc "$((DURATION < 5 ? DURATION : 5))"
    fi

    : >"$TMP/rows.tsv"
    : >"$TMP/alloc.tsv"
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

    report >"$TMP/report.md"
    mkdir -p "$RESULTS_DIR"
    local out
    out="$RESULTS_DIR/http-$(date +%Y%m%d-%H%M%S).md"
    cp "$TMP/report.md" "$out"
    cat "$TMP/report.md"
    log "report written to $out"
}

report() {
    local peer c med row hz=$CLK_TCK mever="" fwd="none added"
    # The tree's VERSION file, not `meshedge --version`: running the binary with unknown flags
    # could start it on its embedded default config.
    [[ -r $REPO_ROOT/VERSION ]] && mever="tree version $(head -n1 "$REPO_ROOT/VERSION")"
    ((FORWARD_HEADERS)) && fwd="x-forwarded-for, x-forwarded-proto and x-request-id added by every proxy"
    echo "# HTTP/1.1 proxy benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    echo "- host: $(uname -srm), $(nproc) CPUs ($(awk -F: '/model name/{gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)), CLK_TCK=$hz"
    echo "- peers: ${ACTIVE[*]}; backend: $(nginx -v 2>&1 | sed 's/^nginx version: //'), 1 worker, 64-byte body"
    is_active nginx && echo "- nginx proxy: proxy_pass to an upstream with keepalive 64, proxy_http_version 1.1, one process (master_process off)"
    is_active haproxy && echo "- haproxy: $(haproxy -v 2>/dev/null | head -n1 | awk '{print $3}'), mode http, nbthread 1, http-reuse always"
    if [[ -n ${PID_OF[meshedge]:-} ]]; then
        echo "- meshedge: $MESHEDGE${mever:+ ($mever)}, workers = 1, protocol = \"http\", one route to the backend cluster"
    else
        echo "- meshedge: SKIPPED - $MESHEDGE_SKIP_REASON"
    fi
    echo "- headers: $fwd"
    echo "- load: wrk -t1 -c$CONNS -d${DURATION}s --latency (keep-alive), $RUNS rounds, peers interleaved (order rotates per round), ${WARMUP}s warm-up each"
    if ((PIN)); then
        echo "- pinning: proxy on CPU $PROXY_CPU, wrk + backend nginx on CPU $LOAD_CPU (taskset)"
    else
        echo "- pinning: none (taskset unavailable or fewer than 2 CPUs)"
    fi
    echo "- CPU = utime+stime of the proxy process over the run (/proc/PID/stat); core = all busy time of the proxy's core"
    echo "  (/proc/stat, includes softirq work not charged to the process); RSS from /proc/PID/status;"
    echo "  backend conns = connections the backend accepted during the run (stub_status; keep-alive to it keeps this near 0)"
    echo
    echo "## Request/response (HTTP/1.1 keep-alive through an HTTP proxy)"
    echo
    echo "| peer | run | req/s | p50 us | p99 us | CPU us/req | usr us/req | sys us/req | core us/req | req per CPU-s | RSS before MiB | RSS under load MiB | VmHWM MiB | backend conns | errors |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do
        awk -F'\t' -v p="$peer" '$1 == p {
            rb = ($10 == "-") ? "-" : sprintf("%.1f", $10 / 1024)
            rl = ($11 == "-") ? "-" : sprintf("%.1f", $11 / 1024)
            hw = ($12 == "-") ? "-" : sprintf("%.1f", $12 / 1024)
            printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $15, $9, rb, rl, hw, $16, $13 }' "$TMP/rows.tsv"
        row="| **$peer** | **median** |"
        for c in 3 4 5 6 7 8 15 9; do
            med=$(median_of "$TMP/rows.tsv" "$peer" "$c")
            row+=" **$(fmt_num "$med")** |"
        done
        for c in 10 11 12; do row+=" **$(mib "$(median_of "$TMP/rows.tsv" "$peer" "$c")")** |"; done
        row+=" | |"
        echo "$row"
    done
    echo

    local noisy
    noisy=$(awk -F'\t' '$6 != "-" && $15 != "-" && $15 > 1.25 * $6 + 1 { printf "%s%s %s (%.0f%%)", (n++ ? ", " : ""), $1, $2, 100 * ($15 / $6 - 1) }' "$TMP/rows.tsv")
    if [[ -n $noisy ]]; then
        echo "Other load shared the proxy core (core busy time more than 25% above the proxy's own CPU) in: $noisy."
        echo "Those runs are noisier; the paired per-round ratios below show how much it moved them."
        echo
    fi
    local reused
    reused=$(awk -F'\t' '$1 != "direct" && $16 != "-" && $16 > '"$CONNS"' * 2 { printf "%s%s %s (%s)", (n++ ? ", " : ""), $1, $2, $16 }' "$TMP/rows.tsv")
    if [[ -n $reused ]]; then
        echo "**Upstream keep-alive not effective** (the backend accepted more than 2 x $CONNS connections during the run) in: $reused."
        echo
    fi

    local alloc_med="-"
    if [[ -s $TMP/alloc.tsv ]]; then
        echo "## MeshEdge managed allocation per proxied request"
        echo
        echo "From the admin API's \`GET /stats\` (\`gc_allocated_bytes\` = GC.GetTotalAllocatedBytes(precise)), read just"
        echo "before and after each recorded run, less one /stats request's own allocation ($STATS_COST bytes, the smallest"
        echo "difference of consecutive readings before the rounds), divided by the requests the listener served (\`rq_total\` delta)."
        echo
        echo "| run | bytes allocated | requests (listener) | requests (wrk) | client connections | bytes/req | gen0 GCs |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $6, $7, $4, $5 }' "$TMP/alloc.tsv"
        alloc_med=$(median_col "$TMP/alloc.tsv" 4)
        echo "| **median** | | | | | **$alloc_med** | |"
        echo
        echo "The figure includes what each run's $CONNS new client connections cost (wrk connects afresh per run), spread"
        echo "over the run's requests. With no traffic MeshEdge allocated $IDLE_ALLOC bytes in ${IDLE_SECS}s (net of one /stats"
        echo "request; a few hundred bytes either way is the /stats request's own variation)."
        echo
    fi

    echo "## Ratios and the targets of issue 4 (medians of this run)"
    echo
    local m_cpu m_rps m_p99 m_rpc n_cpu n_rps n_p99 h_cpu h_rps h_p99 b_cpu b_rps b_p99 d_rps
    m_cpu=$(median_of "$TMP/rows.tsv" meshedge 6); m_rps=$(median_of "$TMP/rows.tsv" meshedge 3)
    m_p99=$(median_of "$TMP/rows.tsv" meshedge 5); m_rpc=$(median_of "$TMP/rows.tsv" meshedge 9)
    n_cpu=$(median_of "$TMP/rows.tsv" nginx 6); n_rps=$(median_of "$TMP/rows.tsv" nginx 3); n_p99=$(median_of "$TMP/rows.tsv" nginx 5)
    h_cpu=$(median_of "$TMP/rows.tsv" haproxy 6); h_rps=$(median_of "$TMP/rows.tsv" haproxy 3); h_p99=$(median_of "$TMP/rows.tsv" haproxy 5)
    d_rps=$(median_of "$TMP/rows.tsv" direct 3)
    b_cpu=$(best_of min "$n_cpu" "$h_cpu"); b_rps=$(best_of max "$n_rps" "$h_rps"); b_p99=$(best_of min "$n_p99" "$h_p99")
    echo "| | MeshEdge/nginx | MeshEdge/HAProxy | MeshEdge/better of the two | target | |"
    echo "|---|---:|---:|---:|---|---|"
    local rc rr rp
    rc=$(ratio "$m_cpu" "$b_cpu"); rr=$(ratio "$m_rps" "$b_rps"); rp=$(ratio "$m_p99" "$b_p99")
    echo "| CPU us per request | $(ratio "$m_cpu" "$n_cpu") | $(ratio "$m_cpu" "$h_cpu") | **$rc** | <= $TARGET_CPU_RATIO | **$(verdict "$rc" "<=" "$TARGET_CPU_RATIO")** |"
    echo "| requests/s (one core each) | $(ratio "$m_rps" "$n_rps") | $(ratio "$m_rps" "$h_rps") | **$rr** | >= $TARGET_RPS_RATIO | **$(verdict "$rr" ">=" "$TARGET_RPS_RATIO")** |"
    echo "| p99 latency | $(ratio "$m_p99" "$n_p99") | $(ratio "$m_p99" "$h_p99") | **$rp** | <= $TARGET_P99_RATIO | **$(verdict "$rp" "<=" "$TARGET_P99_RATIO")** |"
    echo "| managed bytes per proxied request | | | **$alloc_med** | < $TARGET_ALLOC_BYTES | **$(verdict "$alloc_med" "<" "$TARGET_ALLOC_BYTES")** |"
    echo
    if [[ -n ${PID_OF[meshedge]:-} ]]; then
        local against per_round
        for against in nginx haproxy; do
            is_active "$against" || continue
            per_round=$(awk -F'\t' -v a="$against" '$1 == a { h[$2] = $6 } $1 == "meshedge" { m[$2] = $6 }
                END { for (r = 1; r in h; r++) if (r in m && h[r] > 0) printf "%s%.3f", (r > 1 ? " / " : ""), m[r] / h[r] }' "$TMP/rows.tsv")
            echo "- MeshEdge/$against CPU per request per round (paired): $per_round"
        done
    fi
    echo "- requests per CPU-second: meshedge $(fmt_num "$m_rpc"), nginx $(fmt_num "$(median_of "$TMP/rows.tsv" nginx 9)"), haproxy $(fmt_num "$(median_of "$TMP/rows.tsv" haproxy 9)")"
    echo "- requests/s against direct: meshedge $(ratio "$m_rps" "$d_rps"), nginx $(ratio "$n_rps" "$d_rps"), haproxy $(ratio "$h_rps" "$d_rps")" \
         "(wrk and the backend share one core, so req/s is partly bounded by that core: CPU per request is the headline)"
    for peer in nginx haproxy meshedge; do
        if [[ -n ${IDLE_RSS_KB[$peer]:-} ]]; then
            echo "- idle RSS $peer (after start and the check's three requests, before load): $(mib "${IDLE_RSS_KB[$peer]}") MiB"
        fi
    done
    if ((PERF)) && [[ -s $TMP/perf.tsv ]]; then
        echo
        echo "## System calls and context switches per request (one extra round under perf stat)"
        echo
        echo "| peer | syscalls/req | context switches/req |"
        echo "|---|---:|---:|"
        awk -F'\t' 'NR > 1 { printf "| %s | %s | %s |\n", $1, $2, $3 }' "$TMP/perf.tsv"
        echo
    fi
    if [[ -n ${PID_OF[meshedge]:-} && -s $TMP/meshedge.log ]]; then
        local nwarn
        nwarn=$(grep -c -E 'level=(warn|error)' "$TMP/meshedge.log" || true)
        echo "- meshedge log: $(wc -l <"$TMP/meshedge.log") lines, $nwarn at warn/error"
    fi
    echo
    echo "Figures are only comparable as ratios between peers measured in this same run on this machine."
}

main "$@"
