#!/usr/bin/env bash
# bench/http/run.sh - side-by-side HTTP/1.1 load benchmark: MeshEdge `protocol = "http"` vs HAProxy
# `mode http` vs nginx `proxy_pass` vs direct (issue 4).
#
# The same rig as bench/tcp/run.sh (see bench/README.md): an nginx backend returning a 64-byte body
# over HTTP/1.1 keep-alive, `wrk -t1 -c32 --latency`, each proxy (one worker, keep-alive to the
# backend) pinned to one core and wrk + the backend pinned to the other. Peers are interleaved
# within each round (the order rotates per round) so machine drift hits them alike. Only ratios
# between peers of the same run are meaningful. The rig (peers, pinning, rounds, /proc readings,
# report, and the proxies' configs in bench/rig/http_proxies.sh) is bench/rig; this script holds what
# is the HTTP scenario's own.
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
# shellcheck disable=SC2119  # the rig's functions with optional arguments, called without
set -euo pipefail

# shellcheck source=bench/rig/rig.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rig/rig.sh"

CONNS=${CONNS:-32}
PEERS=${PEERS:-direct nginx haproxy meshedge}

# Targets of issue 4 (MeshEdge against the better of nginx and HAProxy, medians of the same run).
TARGET_CPU_RATIO=0.85     # CPU per request, at most
TARGET_RPS_RATIO=1.0      # requests/s on one core, at least
TARGET_P99_RATIO=1.0      # p99 latency, at most
TARGET_ALLOC_BYTES=64     # managed bytes allocated per proxied request, under

# --------------------------------------------------------------------------------------------------
# The backend (the rig's nginx) with, when the Debian build has it, a second server on its own port
# serving stub_status, so each run can count the connections the proxy opened to the backend (a proxy
# that does not reuse its upstream connections would show one per request).
NGINX_STATUS_PORT=""
start_backend() {
    local status_server=""
    if nginx -V 2>&1 | grep -q -- --with-http_stub_status_module; then
        pick_port NGINX_STATUS_PORT
        status_server="server { listen 127.0.0.1:$NGINX_STATUS_PORT; location / { stub_status; } }"
    fi
    start_nginx_backend "$status_server"
    http_check "$NGINX_PORT" || die "the nginx backend does not return 200 with the 64-byte body: $CHECK_ERROR"
    [[ -n $NGINX_STATUS_PORT ]] || log "warning: nginx lacks stub_status; backend connections per run are not counted"
}

backend_accepts() {   # connections the backend has accepted so far ("-" without stub_status)
    [[ -n $NGINX_STATUS_PORT ]] || { echo "-"; return 0; }
    http_get "$NGINX_STATUS_PORT" / | awk '/^ *[0-9]+ +[0-9]+ +[0-9]+ *\r?$/ { print $1; found = 1; exit } END { if (!found) print "-" }'
}

# --------------------------------------------------------------------------------------------------
# MeshEdge's managed allocation, from its admin /stats.

# meshedge_stats: "gc_allocated_bytes gc_collections_gen0 rq_total cx_total", the last two
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
# One wrk run against PEER (the rounds' FN); appends a row to $TMP/rows.tsv when RECORD=1.
# Columns: 1 peer 2 round 3 rps 4 p50us 5 p99us 6 cpu_us 7 usr_us 8 sys_us 9 req_per_cpus
#          10 rss_before_kb 11 rss_load_kb 12 hwm_kb 13 errors 14 requests 15 core_us
#          16 backend connections opened during the run
# MeshEdge rows also go to $TMP/alloc.tsv: round alloc_bytes proxied bytes_per_req gen0 wrk_requests
#          client_connections_accepted
run_wrk() {   # run_wrk PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 secs=$3 record=$4 out="$TMP/wrk-$1-$2.txt"
    local acc0 acc1 st0="" st1="" is_me=0
    [[ $peer == meshedge ]] && ((record)) && is_me=1
    acc0=$(backend_accepts)
    # /stats is read outside the CPU window: its own CPU is not charged to the requests.
    ((is_me)) && st0=$(meshedge_stats)
    wrk_window "$peer" "$secs" "$out"
    ((is_me)) && st1=$(meshedge_stats)
    acc1=$(backend_accepts)
    ((record)) || return 0
    local requests cpu usr sys rpc core opened="-"
    wrk_result "$peer" "$round" "$out"
    requests=$WRK_REQUESTS
    # The second status reading opened one connection of its own.
    [[ $acc0 != "-" && $acc1 != "-" ]] && opened=$((acc1 - acc0 - 1))
    read -r cpu usr sys rpc core < <(cpu_per_request "$requests")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$round" "$WRK_RPS" "$WRK_P50" "$WRK_P99" \
        "$cpu" "$usr" "$sys" "$rpc" "$W_RSS_BEFORE" "$W_RSS_LOAD" "$W_HWM" "$WRK_ERRORS" "$requests" "$core" "$opened" >>"$TMP/rows.tsv"
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
    log "$(printf '%-9s round %s: %s req/s, p50 %s us, p99 %s us, %s us CPU/req, %s backend conns%s' \
        "$peer" "$round" "$WRK_RPS" "$WRK_P50" "$WRK_P99" "$cpu" "$opened" "$extra")"
}

# --------------------------------------------------------------------------------------------------
main() {
    need_commands haproxy:haproxy nginx:nginx-light wrk:wrk taskset:util-linux curl:curl
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    want_peers direct nginx haproxy meshedge
    rig_tmp http
    pin_cores

    start_backend
    start_peers start_http_proxy
    read_idle_rss   # after start and the check's requests, before any load

    : >"$TMP/rows.tsv"
    : >"$TMP/alloc.tsv"
    warm_up run_wrk
    if is_active meshedge; then
        measure_stats_cost
        measure_idle_alloc "$((DURATION < 5 ? DURATION : 5))"
    fi
    rounds "$RUNS" run_wrk
    maybe_perf_round wrk_perf_load
    publish_report report "http-$(date +%Y%m%d-%H%M%S).md"
}

report() {
    local peer rows="$TMP/rows.tsv" fwd="none added"
    ((FORWARD_HEADERS)) && fwd="x-forwarded-for, x-forwarded-proto and x-request-id added by every proxy"
    echo "# HTTP/1.1 proxy benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    host_line
    echo "- peers: ${ACTIVE[*]}; backend: $(nginx_version), 1 worker, 64-byte body"
    is_active nginx && echo "- nginx proxy: proxy_pass to an upstream with keepalive 64, proxy_http_version 1.1, one process (master_process off)"
    is_active haproxy && echo "- haproxy: $(haproxy_version), mode http, nbthread 1, http-reuse always"
    if [[ -n ${PID_OF[meshedge]:-} ]]; then
        echo "- meshedge: $(meshedge_label), workers = 1, protocol = \"http\", one route to the backend cluster"
    else
        echo "- meshedge: SKIPPED - $MESHEDGE_SKIP_REASON"
    fi
    echo "- headers: $fwd"
    echo "- load: wrk -t1 -c$CONNS -d${DURATION}s --latency (keep-alive), $RUNS rounds, peers interleaved (order rotates per round), ${WARMUP}s warm-up each"
    pinning_line "wrk + backend nginx"
    readings_lines "backend conns = connections the backend accepted during the run (stub_status; keep-alive to it keeps this near 0)"
    echo
    echo "## Request/response (HTTP/1.1 keep-alive through an HTTP proxy)"
    echo
    echo "| peer | run | req/s | p50 us | p99 us | CPU us/req | usr us/req | sys us/req | core us/req | req per CPU-s | RSS before MiB | RSS under load MiB | VmHWM MiB | backend conns | errors |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do peer_rows "$rows" "$peer" 3 4 5 6 7 8 15 9 10:mib 11:mib 12:mib 16:- 13:-; done
    echo
    noisy_note "$rows" 6 15
    local reused
    reused=$(awk -F'\t' '$1 != "direct" && $16 != "-" && $16 > '"$CONNS"' * 2 { printf "%s%s %s (%s)", (n++ ? ", " : ""), $1, $2, $16 }' "$rows")
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
        alloc_med=$(median "$TMP/alloc.tsv" 4)
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
    m_cpu=$(median_of "$rows" meshedge 6); m_rps=$(median_of "$rows" meshedge 3)
    m_p99=$(median_of "$rows" meshedge 5); m_rpc=$(median_of "$rows" meshedge 9)
    n_cpu=$(median_of "$rows" nginx 6); n_rps=$(median_of "$rows" nginx 3); n_p99=$(median_of "$rows" nginx 5)
    h_cpu=$(median_of "$rows" haproxy 6); h_rps=$(median_of "$rows" haproxy 3); h_p99=$(median_of "$rows" haproxy 5)
    d_rps=$(median_of "$rows" direct 3)
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
        local against
        for against in nginx haproxy; do
            is_active "$against" || continue
            echo "- MeshEdge/$against CPU per request per round (paired): $(paired_ratios "$rows" 6 meshedge "$against")"
        done
    fi
    echo "- requests per CPU-second: meshedge $(fmt_num "$m_rpc"), nginx $(fmt_num "$(median_of "$rows" nginx 9)"), haproxy $(fmt_num "$(median_of "$rows" haproxy 9)")"
    echo "- requests/s against direct: meshedge $(ratio "$m_rps" "$d_rps"), nginx $(ratio "$n_rps" "$d_rps"), haproxy $(ratio "$h_rps" "$d_rps")" \
         "(wrk and the backend share one core, so req/s is partly bounded by that core: CPU per request is the headline)"
    for peer in nginx haproxy meshedge; do
        idle_rss_line "$peer" "after start and the check's three requests, before load" || true
    done
    if ((PERF)) && [[ -s $TMP/perf.tsv ]]; then
        perf_table
        echo
    fi
    meshedge_log_line "$TMP/meshedge.log"
    same_run_line
}

main "$@"
