#!/usr/bin/env bash
# bench/tcp/run.sh - side-by-side load benchmark: MeshEdge TCP proxy vs HAProxy `mode tcp` vs direct.
#
# Reproduces the engine calibration rig (see bench/README.md): an nginx backend returning a 64-byte body over
# HTTP/1.1 keep-alive, `wrk -t1 -c32 --latency`, each proxy pinned to one core and wrk + nginx pinned
# to the other. Peers are interleaved within each round (and the order rotates per round) so machine
# drift hits them alike. Only ratios between peers of the same run are meaningful. The rig (peers,
# pinning, rounds, /proc readings, report) is bench/rig; this script holds what is the TCP scenario's own.
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
# shellcheck disable=SC2119  # the rig's functions with optional arguments, called without
set -euo pipefail

# shellcheck source=bench/rig/rig.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rig/rig.sh"

CONNS=${CONNS:-32}
PEERS=${PEERS:-direct haproxy meshedge}
BULK=${BULK:-1}
BULK_MB=${BULK_MB:-1024}
BULK_RUNS=${BULK_RUNS:-$RUNS}
HAPROXY_SPLICE=${HAPROXY_SPLICE:-0}

# Targets (MeshEdge against HAProxy, medians of the same run).
TARGET_CPU_RATIO=0.9      # CPU per request, at most
TARGET_RPCPU_RATIO=1.0    # requests per CPU-second, at least
TARGET_BIN_BYTES=$((12 * 1000 * 1000))

http_check() {   # one GET through PORT must return the 64-byte body
    local resp
    # shellcheck disable=SC2016  # $1 expands in the inner shell
    resp=$(timeout 5 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1"; printf "GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n" >&3; cat <&3' _ "$1" 2>/dev/null) || true
    [[ $resp == *"$BODY"* ]]
}

# --------------------------------------------------------------------------------------------------
# The proxies: HAProxy `mode tcp` and MeshEdge's tcp_proxy; TAG main for the request/response rounds,
# bulk for the bulk stream.
start_haproxy() {   # start_haproxy TAG LISTEN_PORT BACKEND_PORT -> sets STARTED_PID
    local tag=$1 port=$2 backend=$3 cfg="$TMP/haproxy-$1.cfg" splice="" maxconn
    maxconn=$(haproxy_maxconn)
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
    launch_meshedge "$cfg" "$TMP/meshedge-$tag.log" "$port"
}

start_peer() {   # start_peer PEER (start_peers' FN): start it, check that it proxies the body
    local port
    case $1 in
        direct) add_peer direct "$NGINX_PORT" ;;
        haproxy)
            pick_port port; start_haproxy main "$port" "$NGINX_PORT"
            http_check "$port" || die "haproxy does not proxy the 64-byte body"
            add_peer haproxy "$port" "$STARTED_PID" ;;
        meshedge)
            meshedge_usable || { skip_peer meshedge "$MESHEDGE_SKIP_REASON"; return 0; }
            pick_port port
            start_meshedge main "$port" "$NGINX_PORT" || { skip_peer meshedge "$MESHEDGE_SKIP_REASON"; return 0; }
            if ! http_check "$port"; then
                MESHEDGE_SKIP_REASON="meshedge listens on $port but did not proxy a GET to the 64-byte body"
                skip_peer meshedge "$MESHEDGE_SKIP_REASON"
                tail -n 20 "$TMP/meshedge-main.log" >&2 || true
                stop_pid "$STARTED_PID"
                return 0
            fi
            add_peer meshedge "$port" "$STARTED_PID" ;;
    esac
}

# --------------------------------------------------------------------------------------------------
# One wrk run against PEER (the rounds' FN); appends a row to $TMP/rows.tsv when RECORD=1.
# Columns: peer round rps p99us cpu_us usr_us sys_us req_per_cpus rss_before_kb rss_load_kb hwm_kb errors requests
#          core_us (all busy time of the proxy's core per request, including softirq work the kernel
#          does not charge to the process; only when pinned)
run_wrk() {   # run_wrk PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 secs=$3 record=$4 out="$TMP/wrk-$1-$2.txt"
    wrk_window "$peer" "$secs" "$out"
    ((record)) || return 0
    local cpu usr sys rpc core
    wrk_result "$peer" "$round" "$out"
    read -r cpu usr sys rpc core < <(cpu_per_request "$WRK_REQUESTS")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$round" "$WRK_RPS" "$WRK_P99" "$cpu" "$usr" "$sys" \
        "$rpc" "$W_RSS_BEFORE" "$W_RSS_LOAD" "$W_HWM" "$WRK_ERRORS" "$WRK_REQUESTS" "$core" >>"$TMP/rows.tsv"
    log "$(printf '%-9s round %s: %s req/s, p99 %s us, %s us CPU/req' "$peer" "$round" "$WRK_RPS" "$WRK_P99" "$cpu")"
}

# --------------------------------------------------------------------------------------------------
# Bulk stream: a socat source sends BULK_MB MiB per connection; dd reads it through each peer.
# Columns: peer round mb_s cpu_s_per_gib bytes core_s_per_gib
declare -A BULK_PORT BULK_PID
run_bulk_one() {   # run_bulk_one PEER ROUND (the rounds' FN)
    local peer=$1 round=$2 port=${BULK_PORT[$1]} t0 t1 bytes
    window_open "$peer" "${BULK_PID[$peer]}"
    t0=$(date +%s%N)
    # bash opens the socket; dd reads it directly (1 MiB reads, no pipe in between).
    "${ON_LOAD[@]}" timeout 300 dd of=/dev/null bs=1M <"/dev/tcp/127.0.0.1/$port" 2>"$TMP/dd.txt" \
        || { cat "$TMP/dd.txt" >&2; die "bulk transfer through $peer failed"; }
    t1=$(date +%s%N)
    window_close
    bytes=$(awk '/bytes/ && /copied/ {print $1}' "$TMP/dd.txt")
    [[ $bytes == "$((BULK_MB * 1048576))" ]] \
        || { log "warning: bulk through $peer delivered ${bytes:-?} of $((BULK_MB * 1048576)) bytes"; }
    awk -v peer="$peer" -v round="$round" -v b="${bytes:-0}" -v ns="$((t1 - t0))" -v hz="$CLK_TCK" \
        -v cpu="$W_OWN" -v haspid="${W_PID:+1}" -v core="$W_CORE" -v pinned="$PIN" 'BEGIN {
            mbs = b / (ns / 1e9) / 1e6
            per = (haspid && b > 0) ? sprintf("%.3f", (cpu / hz) / (b / 1073741824)) : "-"
            cper = (haspid && pinned && b > 0) ? sprintf("%.3f", (core / hz) / (b / 1073741824)) : "-"
            printf "%s\t%s\t%.0f\t%s\t%s\t%s\n", peer, round, mbs, per, b, cper
        }' >>"$TMP/bulk.tsv"
    log "$(printf '%-9s bulk %s: %s' "$peer" "$round" "$(tail -n1 "$TMP/bulk.tsv" | awk -F'\t' '{printf "%s MB/s, %s CPU s/GiB", $3, $4}')")"
}

run_bulk() {
    local src_port peer port
    pick_port src_port
    "${ON_LOAD[@]}" socat -U -b 1048576 "TCP-LISTEN:$src_port,bind=127.0.0.1,reuseaddr,fork,backlog=64" \
        "OPEN:/dev/zero,readbytes=$((BULK_MB * 1048576))" >"$TMP/socat.log" 2>&1 &
    started $! socat socat "$TMP/socat.log" "$src_port" || die "socat source did not start"
    BULK_PORT[direct]=$src_port
    BULK_PID[direct]=""
    for peer in "${ACTIVE[@]}"; do
        case $peer in
            haproxy)
                pick_port port; start_haproxy bulk "$port" "$src_port"
                BULK_PORT[haproxy]=$port; BULK_PID[haproxy]=$STARTED_PID ;;
            meshedge)
                pick_port port
                start_meshedge bulk "$port" "$src_port" || die "meshedge (bulk instance) failed: $MESHEDGE_SKIP_REASON"
                BULK_PORT[meshedge]=$port; BULK_PID[meshedge]=$STARTED_PID ;;
        esac
    done
    : >"$TMP/bulk.tsv"
    rounds "$BULK_RUNS" run_bulk_one
    for peer in haproxy meshedge; do [[ -n ${BULK_PID[$peer]:-} ]] && stop_pid "${BULK_PID[$peer]}"; done
    return 0
}

# --------------------------------------------------------------------------------------------------
main() {
    need_commands haproxy:haproxy nginx:nginx-light wrk:wrk taskset:util-linux
    if ((BULK)); then need_commands socat:socat; fi
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    want_peers direct haproxy meshedge
    rig_tmp tcp
    pin_cores

    start_nginx_backend
    http_check "$NGINX_PORT" || die "nginx does not return the 64-byte body"
    start_peers start_peer
    read_idle_rss   # after start and one request, before any load

    : >"$TMP/rows.tsv"
    run_rounds run_wrk
    maybe_perf_round wrk_perf_load
    if ((BULK)); then
        log "bulk stream: $BULK_MB MiB per run, $BULK_RUNS rounds"
        run_bulk
    fi
    publish_report report "tcp-$(date +%Y%m%d-%H%M%S).md"
}

report() {
    local peer rows="$TMP/rows.tsv"
    echo "# TCP proxy benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    host_line
    echo "- peers: ${ACTIVE[*]}; backend: $(nginx_version), 1 worker, 64-byte body"
    echo "- haproxy: $(haproxy_version), mode tcp, nbthread 1$( ((HAPROXY_SPLICE)) && echo ', splice-auto')"
    if [[ -n ${PID_OF[meshedge]:-} ]]; then
        echo "- meshedge: $(meshedge_label), workers = 1"
    else
        echo "- meshedge: SKIPPED - $MESHEDGE_SKIP_REASON"
    fi
    echo "- load: wrk -t1 -c$CONNS -d${DURATION}s --latency, $RUNS rounds, peers interleaved (order rotates per round), ${WARMUP}s warm-up each"
    pinning_line "wrk + nginx"
    readings_lines
    echo
    echo "## Request/response (HTTP/1.1 keep-alive through a TCP proxy)"
    echo
    echo "| peer | run | req/s | p99 us | CPU us/req | usr us/req | sys us/req | core us/req | req per CPU-s | RSS before MiB | RSS under load MiB | VmHWM MiB | errors |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do peer_rows "$rows" "$peer" 3 4 5 6 7 14 8 9:mib 10:mib 11:mib 12:-; done
    echo
    noisy_note "$rows" 5 14

    local ha_cpu me_cpu ha_rpc me_rpc r_cpu r_rpc ha_rps me_rps dir_rps
    ha_cpu=$(median_of "$rows" haproxy 5); me_cpu=$(median_of "$rows" meshedge 5)
    ha_rpc=$(median_of "$rows" haproxy 8); me_rpc=$(median_of "$rows" meshedge 8)
    ha_rps=$(median_of "$rows" haproxy 3); me_rps=$(median_of "$rows" meshedge 3)
    dir_rps=$(median_of "$rows" direct 3)
    r_cpu=$(ratio "$me_cpu" "$ha_cpu"); r_rpc=$(ratio "$me_rpc" "$ha_rpc")
    echo "## Ratios (medians of this run)"
    echo
    echo "- MeshEdge/HAProxy CPU per request: **$r_cpu** (target <= $TARGET_CPU_RATIO): $(verdict "$r_cpu" "<=" "$TARGET_CPU_RATIO" FAIL)"
    if [[ -n ${PID_OF[meshedge]:-} && -n ${PID_OF[haproxy]:-} ]]; then
        echo "  - per round (paired): $(paired_ratios "$rows" 5 meshedge haproxy)"
    fi
    echo "- MeshEdge/HAProxy requests per CPU-second: **$r_rpc** (target >= $TARGET_RPCPU_RATIO): $(verdict "$r_rpc" ">=" "$TARGET_RPCPU_RATIO" FAIL)"
    echo "- MeshEdge/HAProxy requests/s: $(ratio "$me_rps" "$ha_rps"); HAProxy/direct: $(ratio "$ha_rps" "$dir_rps"); MeshEdge/direct: $(ratio "$me_rps" "$dir_rps")"
    for peer in haproxy meshedge; do
        idle_rss_line "$peer" "after start and one request, before load" || echo "- idle RSS $peer: n/a"
    done
    if [[ -e $MESHEDGE ]]; then
        local size
        size=$(stat -c %s "$MESHEDGE")
        echo "- meshedge binary size: $size bytes ($(awk -v s="$size" 'BEGIN{printf "%.2f MB, %.2f MiB", s / 1e6, s / 1048576}')) (target < 12 MB): $( ((size < TARGET_BIN_BYTES)) && echo PASS || echo FAIL)"
    else
        echo "- meshedge binary size: n/a (no binary at $MESHEDGE)"
    fi
    perf_table

    if ((BULK)) && [[ -s $TMP/bulk.tsv ]]; then
        echo
        echo "## Bulk stream ($BULK_MB MiB per connection, socat source -> proxy -> dd sink, both on CPU $LOAD_CPU)"
        echo
        echo "| peer | run | MB/s | proxy CPU s per GiB | core s per GiB |"
        echo "|---|---|---:|---:|---:|"
        for peer in "${ACTIVE[@]}"; do peer_rows "$TMP/bulk.tsv" "$peer" 3 4 6; done
        echo
        echo "- MeshEdge/HAProxy CPU per GiB: $(ratio "$(median_of "$TMP/bulk.tsv" meshedge 4)" "$(median_of "$TMP/bulk.tsv" haproxy 4)");" \
             "MB/s: $(ratio "$(median_of "$TMP/bulk.tsv" meshedge 3)" "$(median_of "$TMP/bulk.tsv" haproxy 3)")"
    fi

    if [[ -n ${PID_OF[meshedge]:-} && -s $TMP/meshedge-main.log ]]; then
        echo
        meshedge_log_line "$TMP/meshedge-main.log"
    fi
    same_run_line
}

main "$@"
