#!/usr/bin/env bash
# bench/xds/run.sh - a control plane pushes 10,000 clusters with their endpoints to MeshEdge over ADS
# (state of the world and delta): push to ACK, push to traffic, memory per cluster, then one endpoint
# change; beside Envoy's published figure and issue 19's targets (see bench/README.md).
# shellcheck disable=SC2119  # the rig's functions with optional arguments, called without
set -euo pipefail
# shellcheck source=bench/rig/rig.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rig/rig.sh"   # RUNS PROXY_CPU LOAD_CPU RESULTS_DIR MESHEDGE ...
CLUSTERS=${CLUSTERS:-10000}
VARIANTS=${VARIANTS:-sotw delta}
ENDPOINT_CHANGES=${ENDPOINT_CHANGES:-5}
KEEP_LOGS=${KEEP_LOGS:-}   # a directory to keep each run's proxy log in (its xds lines: alloc_kb, gcs, gc_pause_ms per response)
HOOK=${HOOK:-}   # a script run as "HOOK before|after PID" around the bulk push (bench/xds/profile-hook.sh)
XDSBENCH_DIR="$REPO_ROOT/bench/xds/XdsBench"
XDSBENCH_DLL="$XDSBENCH_DIR/bin/Release/net10.0/XdsBench.dll"
NEW_BODY="endpoint-b"

# Issue 19's targets, and Envoy's figure from envoy PR #15231 (an EDS cluster with one host).
TARGET_PUSH_MS=1000
TARGET_ENDPOINT_MS=10
TARGET_BYTES_PER_CLUSTER=4096
ENVOY_BYTES_PER_CLUSTER=45056   # ~44 KB
ENVOY_BYTES_NO_STATS=24576      # ~24 KB

build_control_plane() {
    log "building the control plane (bench/xds/XdsBench)"
    dotnet build "$XDSBENCH_DIR" -c Release -nologo -v quiet >"$TMP/xdsbench-build.log" 2>&1 \
        || { tail -30 "$TMP/xdsbench-build.log" >&2; die "bench/xds/XdsBench did not build"; }
}

run_one() {   # VARIANT ROUND: one run of the control plane against a fresh MeshEdge; a row in $TMP/rows.tsv
    local cpu=() hook=() out="$TMP/run-$1-$2.tsv"
    ((PIN)) && cpu=(--proxy-cpu "$PROXY_CPU")
    [[ -n $HOOK ]] && hook=(--hook "$HOOK")
    log "round $2: $1, $CLUSTERS clusters"
    "${ON_LOAD[@]}" dotnet "$XDSBENCH_DLL" --meshedge "$MESHEDGE" --variant "$1" --clusters "$CLUSTERS" \
        --backend-port "$NGINX_PORT" --new-endpoint-port "$NEW_PORT" --new-endpoint-body "$NEW_BODY" \
        --endpoint-changes "$ENDPOINT_CHANGES" --work "$TMP/work-$2" "${cpu[@]}" "${hook[@]}" >"$out" \
        || die "the $1 run failed (logs in $TMP/work-$2)"
    awk -F'\t' -v r="$2" 'BEGIN { OFS = "\t" } { $1 = $1 OFS r; print }' "$out" >>"$TMP/rows.tsv"
    cp "$TMP/work-$2/meshedge-$1.log" "$TMP/meshedge-$1-$2.log"
    [[ -z $KEEP_LOGS ]] || { mkdir -p "$KEEP_LOGS" && cp "$TMP/meshedge-$1-$2.log" "$KEEP_LOGS/"; }
}

report() {
    local v
    echo "# xDS push benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    host_line
    pinning_line "the control plane and nginx"
    echo "- $CLUSTERS EDS clusters with one host each, $CLUSTERS ClusterLoadAssignments, one listener whose routes name every hundredth cluster; pushed CDS, EDS, LDS, RDS back to back; $RUNS round(s), $ENDPOINT_CHANGES endpoint changes per round (median)"
    echo "- push to ACK: until the control plane reads the last ACK (RDS); to traffic: until a request through the last cluster reaches the backend; endpoint change: one ClusterLoadAssignment moved to another backend, to its ACK and to the first request that reaches the new endpoint"
    echo "- memory per cluster: VmRSS after the push (and 2 s) minus VmRSS before it, over $CLUSTERS"
    echo
    echo "- proxy CPU: the proxy's user + system time from the push to the last ACK (/proc/PID/stat, 10 ms ticks): what the push costs it whatever else the machine runs"
    echo
    echo "| variant | run | push to ACK ms | push to traffic ms | proxy CPU ms | RSS before MiB | RSS after MiB | B per cluster | endpoint ACK ms | endpoint traffic ms | endpoint apply ms |"
    echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for v in $VARIANTS; do peer_rows "$TMP/rows.tsv" "$v" 4 5 14 6:mib 7:mib 8 9 10 11; done
    echo
    echo "Per run: ACKs by type (ms since the push began); the proxy's apply_ms per config it applied; and per xDS response, its decode and whole handling time (type:decode/handle):"
    echo
    awk -F'\t' '{ printf "- %s round %s: %s; applies %s; responses %s\n", $1, $2, $12, $13, $15 }' "$TMP/rows.tsv"
    echo
    echo "| target (issue 19) | sotw | delta | target | Envoy |"
    echo "|---|---:|---:|---:|---:|"
    verdicts "whole push, to traffic (ms)" 5 "<" "$TARGET_PUSH_MS" "-"
    verdicts "one endpoint change, to traffic (ms)" 10 "<" "$TARGET_ENDPOINT_MS" "-"
    verdicts "memory per cluster (B)" 8 "<" "$TARGET_BYTES_PER_CLUSTER" "$ENVOY_BYTES_PER_CLUSTER ($ENVOY_BYTES_NO_STATS without stats)"
    echo
    local logs=("$TMP"/meshedge-*.log)
    meshedge_log_line "${logs[0]}"
}

verdicts() {   # verdicts LABEL COLUMN OP TARGET ENVOY: one row of the targets table
    local row="| $1 |" v m
    for v in sotw delta; do
        m=$(median_of "$TMP/rows.tsv" "$v" "$2")
        row+=" $(fmt_num "$m") $( [[ $m == - ]] || verdict "$m" "$3" "$4") |"
    done
    echo "$row $3 $4 | $5 |"
}

main() {
    need_commands nginx:nginx-light taskset:util-linux
    command -v dotnet >/dev/null || die "dotnet (the SDK) is needed to build and run the control plane"
    meshedge_usable || die "$MESHEDGE_SKIP_REASON"
    rig_tmp xds
    pin_cores
    pick_port NEW_PORT
    start_nginx_backend "server { listen 127.0.0.1:$NEW_PORT; location / { return 200 \"$NEW_BODY\"; } }"
    wait_port "$NEW_PORT" "$NGINX_PID" nginx "$TMP/nginx/error.log" || die "nginx did not listen on $NEW_PORT"
    build_control_plane
    : >"$TMP/rows.tsv"
    local round variants v
    read -ra variants <<<"$VARIANTS"
    for ((round = 1; round <= RUNS; round++)); do
        for v in "${variants[@]}"; do run_one "$v" "$round"; done
        variants=("${variants[@]:1}" "${variants[0]}")   # rotate the order between rounds
    done
    publish_report report "xds-$(date +%Y%m%d-%H%M%S).md"
}

main "$@"
