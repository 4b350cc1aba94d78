#!/usr/bin/env bash
# bench/footprint/run.sh - memory footprint: MeshEdge `protocol = "http"` beside HAProxy `mode http`
# and nginx `proxy_pass` (issue 20): RSS idle, with IDLE_CONNS idle keep-alive connections (memory per
# idle connection), and under wrk load, each proxy pinned as the rig pins and configured as in
# bench/http (bench/rig/http_proxies.sh). See bench/README.md.
#
# Environment (all optional):
#   MESHEDGE=artifacts/linux-x64/meshedge  binary to test (relative to the repo root); skipped if absent
#   IDLE_CONNS=10000  idle keep-alive connections held per run   CONNS=32  wrk connections (and the
#                  most requests in flight while the idle connections each make their one request)
#   DURATION=10    seconds per wrk run          RUNS=3       rounds (each starts every peer afresh)
#   SETTLE=2       seconds between the start, the last response or the close and an RSS reading
#   PEERS="nginx haproxy meshedge"  subset / order of peers (GC_VARIANTS adds its own)
#   GC_VARIANTS="NAME:VAR=VALUE,VAR=VALUE ..."  more MeshEdge peers, meshedge-NAME, each started with
#                  that environment (DOTNET_GCgen0size=..., DOTNET_GCConserveMemory=...), measured in
#                  the same rounds, to compare runtime settings against the plain meshedge peer
#   PROXY_CPU=1    core for the proxy           LOAD_CPU=0   core for the clients and the nginx backend
#   FORWARD_HEADERS=1  as in bench/http         RESULTS_DIR=bench/results  where the report is written
# shellcheck disable=SC2119  # the rig's functions with optional arguments, called without
set -euo pipefail

# shellcheck source=bench/rig/rig.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rig/rig.sh"

FOOTPRINT_DIR="$REPO_ROOT/bench/footprint"
IDLE_CONNS=${IDLE_CONNS:-10000}
CONNS=${CONNS:-32}
SETTLE=${SETTLE:-2}
GC_VARIANTS=${GC_VARIANTS:-}
PEERS=${PEERS:-nginx haproxy meshedge}
# Every idle connection, the wrk load's and a margin for the upstream side.
NGINX_PROXY_CONNECTIONS=$((IDLE_CONNS + CONNS + 1024))

# Targets of issue 20 (bytes; "12 MB" and "4 KB" read as decimal, the stricter reading).
TARGET_IDLE_BYTES=12000000      # RSS after start, no traffic: under
TARGET_CONN_BYTES=4000          # RSS per idle keep-alive connection: under

# --------------------------------------------------------------------------------------------------
# Peers: those of bench/http without direct (the backend is not a proxy), plus the GC variants.
KNOWN_PEERS=(nginx haproxy meshedge)
add_gc_variants() {
    local spec name
    for spec in $GC_VARIANTS; do
        name="meshedge-${spec%%:*}"
        [[ $spec == *:* && $name != meshedge- ]] || die "GC_VARIANTS entry '$spec' is not NAME:VAR=VALUE[,VAR=VALUE...]"
        MESHEDGE_ENV_OF[$name]=${spec#*:}
        MESHEDGE_ENV_OF[$name]=${MESHEDGE_ENV_OF[$name]//,/ }
        KNOWN_PEERS+=("$name")
        [[ " $PEERS " == *" $name "* ]] || PEERS+=" $name"
    done
}

# HAProxy wants about two descriptors per connection (the rig sizes its maxconn from the limit), the
# client one per connection: raise the soft limit to the hard one, and the hard one where we may.
raise_fd_limit() {
    local want=$((2 * (IDLE_CONNS + CONNS) + 1024))
    if [[ $(ulimit -Hn) != unlimited ]] && (($(ulimit -Hn) < want)); then
        ulimit -Hn "$want" 2>/dev/null || true
    fi
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    # Idle client connections hold no server connection: one descriptor each is enough.
    (($(haproxy_maxconn) >= IDLE_CONNS + CONNS)) || HAPROXY_MAXCONN=$((IDLE_CONNS + CONNS + 256))
    (($(ulimit -n) > IDLE_CONNS + CONNS + 512)) \
        || die "descriptor limit $(ulimit -n) is too low for $IDLE_CONNS idle + $CONNS connections"
}

# --------------------------------------------------------------------------------------------------
# The idle connections: bench/footprint/idle_conns.py on the load core connects IDLE_CONNS times, makes
# one request on each and holds them until its stdin (a FIFO this script holds open) closes.

HOLD_FD="" HOLD_PID=""
open_idle_conns() {   # open_idle_conns PEER ROUND: returns once all are connected, answered and idle
    local fifo="$TMP/hold-$1-$2" out="$TMP/idle-$1-$2.txt"
    mkfifo "$fifo"
    "${ON_LOAD[@]}" python3 "$FOOTPRINT_DIR/idle_conns.py" "${PORT_OF[$1]}" "$IDLE_CONNS" "$CONNS" <"$fifo" >"$out" 2>&1 &
    HOLD_PID=$!
    PIDS+=("$HOLD_PID")
    exec {HOLD_FD}>"$fifo"
    for _ in $(seq 1 1200); do
        grep -q '^ready' "$out" && return 0
        kill -0 "$HOLD_PID" 2>/dev/null || { cat "$out" >&2; die "the idle connections to $1 failed"; }
        sleep 0.1
    done
    cat "$out" >&2
    die "the idle connections to $1 were not ready within 120s"
}

close_idle_conns() {
    exec {HOLD_FD}>&-
    wait "$HOLD_PID" || die "the idle-connection client ended with status $?"
    forget_pid "$HOLD_PID"
}

# meshedge_memory PEER -> "buffers_in_use_kib managed_kib" (GC.GetTotalMemory) from a MeshEdge peer's /stats "memory"
# ("- -" for other peers, or a binary without it).
meshedge_memory() {
    [[ $1 == meshedge* ]] || { echo "- -"; return 0; }
    local json
    json=$(http_get "${MESHEDGE_ADMIN_OF[$1]}" /stats) || true
    awk -v s="$json" 'function kib(key) {
            if (!match(s, "\"" key "\" *: *[0-9]+")) return "-"
            v = substr(s, RSTART, RLENGTH); sub(/.*: */, "", v); return sprintf("%.0f", v / 1024)
        }
        BEGIN { print kib("buffers_in_use_bytes"), kib("managed_live_bytes") }'
}

# standby_readings PEER -> "rss_active_kb rss_standby_kb to_standby_ms to_active_ms": for a MeshEdge peer
# after its load, RSS as it stands (active), RSS after POST /mode?value=standby, and each switch's own
# time (its /mode answer's switch_ms: posting to the workers, their release, the GC and malloc_trim);
# "- - - -" for other peers.
standby_readings() {
    [[ $1 == meshedge* ]] || { echo "- - - -"; return 0; }
    local pid=${PID_OF[$1]} admin=${MESHEDGE_ADMIN_OF[$1]} active standby to_standby to_active
    active=$(status_kb "$pid" VmRSS)
    to_standby=$(switch_ms "$admin" standby)
    sleep "$SETTLE"
    standby=$(status_kb "$pid" VmRSS)
    to_active=$(switch_ms "$admin" active)
    echo "$active $standby $to_standby $to_active"
}

switch_ms() {   # switch_ms ADMIN_PORT MODE -> the switch's switch_ms, or "-"
    curl -sS --max-time 10 -X POST "http://127.0.0.1:$1/mode?value=$2" 2>/dev/null \
        | awk '{ if (match($0, /"switch_ms" *: *[0-9.]+/)) { v = substr($0, RSTART, RLENGTH); sub(/.*: */, "", v); print v; exit } } END { if (!v) print "-" }'
}

# --------------------------------------------------------------------------------------------------
# One round of PEER (the rounds' FN): the peer started afresh (memory a process once touched mostly
# stays in its RSS, so a second round on the same process would measure nothing), its idle RSS, the
# idle connections, then the wrk load. Columns of $TMP/rows.tsv:
#   1 peer 2 round 3 idle_rss_kb 4 rss_idle_conns_kb 5 bytes_per_conn 6 rss_after_close_kb
#   7 rss_load_kb 8 rps 9 errors 10 buffers_in_use_kib 11 managed_kib (both with the idle
#   connections held; MeshEdge only) 12 rss_active_after_load_kb 13 rss_standby_kb 14 to_standby_ms
#   15 to_active_ms (MeshEdge only: standby_readings after the load)
run_one() {   # run_one PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 pid idle held per_conn after in_use heap
    restart_peer start_http_proxy "$peer"
    pid=${PID_OF[$peer]}
    sleep "$SETTLE"
    idle=$(status_kb "$pid" VmRSS)
    open_idle_conns "$peer" "$round"
    sleep "$SETTLE"
    held=$(status_kb "$pid" VmRSS)
    read -r in_use heap < <(meshedge_memory "$peer")
    close_idle_conns
    sleep "$SETTLE"
    after=$(status_kb "$pid" VmRSS)
    per_conn=$(awk -v a="$idle" -v b="$held" -v n="$IDLE_CONNS" 'BEGIN { printf "%.0f", (b - a) * 1024 / n }')
    local out="$TMP/wrk-$peer-$round.txt"
    wrk_window "$peer" "$3" "$out"
    wrk_result "$peer" "$round" "$out"
    sleep "$SETTLE"
    local rss_active rss_standby to_standby to_active
    read -r rss_active rss_standby to_standby to_active < <(standby_readings "$peer")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$round" "$idle" "$held" "$per_conn" "$after" \
        "$W_RSS_LOAD" "$WRK_RPS" "$WRK_ERRORS" "$in_use" "$heap" "$rss_active" "$rss_standby" "$to_standby" "$to_active" >>"$TMP/rows.tsv"
    log "$(printf '%-9s round %s: RSS %s KiB idle, %s with %s idle connections (%s B each), %s after closing them, %s under load (%s req/s)' \
        "$peer" "$round" "$idle" "$held" "$IDLE_CONNS" "$per_conn" "$after" "$W_RSS_LOAD" "$WRK_RPS")"
}

# --------------------------------------------------------------------------------------------------
main() {
    need_commands haproxy:haproxy nginx:nginx-light wrk:wrk taskset:util-linux curl:curl python3:python3
    raise_fd_limit
    add_gc_variants
    want_peers "${KNOWN_PEERS[@]}"
    rig_tmp footprint
    pin_cores
    start_nginx_backend
    http_check "$NGINX_PORT" || die "the nginx backend does not return 200 with the 64-byte body: $CHECK_ERROR"
    start_peers start_http_proxy   # each round starts them again: this checks them once up front
    : >"$TMP/rows.tsv"
    rounds "$RUNS" run_one
    publish_report report "footprint-$(date +%Y%m%d-%H%M%S).md"
}

# summary_row PEER: idle RSS, the medians, and (for a MeshEdge peer) the targets' verdicts
summary_row() {
    local rows="$TMP/rows.tsv"
    printf '| %s | %s | %s | %s | %s | %s |\n' "$1" "$(mib "$(median_of "$rows" "$1" 3)")" "$(fmt_num "$(median_of "$rows" "$1" 5)")" \
        "$(mib "$(median_of "$rows" "$1" 6)")" "$(mib "$(median_of "$rows" "$1" 7)")" "$(fmt_num "$(median_of "$rows" "$1" 8)")"
}

ratio_line() {   # ratio_line PEER AGAINST
    local rows="$TMP/rows.tsv"
    local col line="| $1 / $2 |"
    for col in 3 5 7; do line+=" $(ratio "$(median_of "$rows" "$1" $col)" "$(median_of "$rows" "$2" $col)" 2) |"; done
    echo "$line"
}

report() {
    local peer rows="$TMP/rows.tsv"
    echo "# Memory footprint benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    host_line
    echo "- peers: ${ACTIVE[*]}; backend: $(nginx_version), 1 worker, 64-byte body; the proxies configured as in bench/http"
    is_active haproxy && echo "- haproxy: $(haproxy_version), mode http, nbthread 1, maxconn ${HAPROXY_MAXCONN:-$(haproxy_maxconn)}"
    for peer in "${ACTIVE[@]}"; do
        [[ $peer == meshedge* ]] || continue
        echo "- $peer: $(meshedge_label), workers = 1${MESHEDGE_ENV_OF[$peer]:+, environment ${MESHEDGE_ENV_OF[$peer]}}"
    done
    echo "- each round starts every peer afresh; idle RSS ${SETTLE}s after the start and a check of three requests"
    echo "- idle connections: $IDLE_CONNS per run (bench/footprint/idle_conns.py on the load core), one GET on each"
    echo "  (at most $CONNS in flight), then held open and silent; RSS read ${SETTLE}s after the last response"
    echo "  and ${SETTLE}s after closing them; bytes per idle connection = RSS delta / $IDLE_CONNS"
    echo "- load: wrk -t1 -c$CONNS -d${DURATION}s --latency (keep-alive) after the idle connections; RSS under load at 90% of the run;"
    echo "  $RUNS rounds, peers interleaved (order rotates per round)"
    pinning_line "the clients + backend nginx"
    echo "- RSS = VmRSS of the proxy process (/proc/PID/status); descriptor limit $(ulimit -n)"
    echo
    echo "## Per run"
    echo
    echo "| peer | run | idle RSS MiB | RSS with $IDLE_CONNS idle conns MiB | bytes per idle conn | RSS after closing MiB | RSS under load MiB | req/s | errors | buffers in use KiB | managed KiB |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do peer_rows "$rows" "$peer" 3:mib 4:mib 5 6:mib 7:mib 8 9:- 10:- 11:-; done
    echo
    echo "Buffers in use and managed (GC.GetTotalMemory): MeshEdge's /stats \"memory\" while the idle connections are held."
    echo
    echo "## Summary (medians of the runs)"
    echo
    echo "| peer | idle RSS MiB | bytes per idle connection | RSS after closing them MiB | RSS under load MiB | req/s |"
    echo "|---|---:|---:|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do summary_row "$peer"; done
    echo
    echo "| ratio | idle RSS | per idle connection | RSS under load |"
    echo "|---|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do
        [[ $peer == meshedge* ]] || continue
        is_active nginx && ratio_line "$peer" nginx
        is_active haproxy && ratio_line "$peer" haproxy
    done
    for peer in "${ACTIVE[@]}"; do
        [[ $peer == meshedge-* ]] && is_active meshedge && ratio_line "$peer" meshedge
    done
    echo
    for peer in "${ACTIVE[@]}"; do
        [[ $peer == meshedge* ]] || continue
        local idle_b conn
        idle_b=$(awk -v k="$(median_of "$rows" "$peer" 3)" 'BEGIN { print (k == "-" ? "-" : k * 1024) }')
        conn=$(median_of "$rows" "$peer" 5)
        echo "- $peer, issue 20's targets: idle RSS $(fmt_num "$idle_b") B < $TARGET_IDLE_BYTES: **$(verdict "$idle_b" "<" "$TARGET_IDLE_BYTES")**;" \
            "per idle connection $(fmt_num "$conn") B < $TARGET_CONN_BYTES: **$(verdict "$conn" "<" "$TARGET_CONN_BYTES")**"
    done
    standby_report
    meshedge_log_line "$TMP/meshedge.log"
    same_run_line
}

# standby_report: for each MeshEdge peer, RSS after the load (active) against standby, and the switches' times.
standby_report() {
    local peer rows="$TMP/rows.tsv" active standby up down
    echo
    echo "## Standby (MeshEdge; after the load, POST /mode?value=standby, then back to active)"
    echo
    echo "| peer | RSS active after load MiB | RSS in standby MiB | standby / active | switch to standby ms | switch to active ms |"
    echo "|---|---:|---:|---:|---:|---:|"
    for peer in "${ACTIVE[@]}"; do
        [[ $peer == meshedge* ]] || continue
        active=$(median_of "$rows" "$peer" 12) standby=$(median_of "$rows" "$peer" 13)
        up=$(median_of "$rows" "$peer" 14) down=$(median_of "$rows" "$peer" 15)
        printf '| %s | %s | %s | %s | %s | %s |\n' "$peer" "$(mib "$active")" "$(mib "$standby")" "$(ratio "$standby" "$active" 2)" "$up" "$down"
        echo
        echo "- $peer, issue 20's targets: standby RSS at most half of active: **$(verdict "$(ratio "$standby" "$active" 3)" "<" 0.501)**;" \
            "a switch under 100 ms: **$(verdict "$up" "<" 100)** (to standby), **$(verdict "$down" "<" 100)** (to active)"
    done
}

main "$@"
