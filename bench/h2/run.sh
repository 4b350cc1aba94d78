#!/usr/bin/env bash
# bench/h2/run.sh - HTTP/2 and gRPC through a proxy (issue 18): MeshEdge vs nginx vs HAProxy 2.6 vs
# nghttpx, h2load (nghttp2) as the client, each proxy pinned to PROXY_CPU with one worker/thread,
# h2load and the origins on LOAD_CPU, peers interleaved within each round (order rotated per round),
# /proc readings around each run (the rig: bench/rig, see bench/README.md). Two shapes:
#   get   h2load GET / (h2c, prior knowledge) to the rig's nginx origin (64-byte body): over HTTP/1.1
#         keep-alive (nginx, haproxy, nghttpx, meshedge) or h2c (haproxy-h2, meshedge-h2: the
#         origin's second, h2c-only port); direct = h2load straight to that h2c port
#   grpc  h2load POST of one gRPC-framed EchoRequest (tests/interop/grpc/echo.proto) to
#         /meshedge.echo.Echo/Unary with content-type application/grpc and te: trailers, to the
#         @grpc/grpc-js echo server (tests/interop/grpc/server.js, quiet); h2 on both sides: nginx
#         grpc_pass, haproxy-h2, nghttpx (backend proto=h2), meshedge-h2; direct = to the server
# Before measuring, each peer must answer: `get` a curl --http2-prior-knowledge request with the body
# over HTTP/2; `grpc` a real @grpc/grpc-js unary call (status OK, the reply and the server's custom
# trailer); both an h2load burst with every response 2xx. A MeshEdge that does not serve h2c (curl
# --http2-prior-knowledge fails) or refuses the upstream protocol key is skipped with the reason.
#
# Environment (all optional), besides the rig's DURATION RUNS WARMUP PROXY_CPU LOAD_CPU RESULTS_DIR MESHEDGE:
#   SHAPES="get grpc"   CONNS=16 h2 connections   STREAMS=8 concurrent streams each (h2load -c -m)
#   PEERS="direct nginx haproxy haproxy-h2 nghttpx meshedge meshedge-h2"
#   MESHEDGE_H2_CLUSTER='protocol = "h2"'   the cluster key(s) that make MeshEdge speak h2 upstream
#   FORWARD_HEADERS=0   1: nginx, HAProxy and MeshEdge add x-forwarded-for/-proto, x-request-id
# shellcheck disable=SC2119  # the rig's functions with optional arguments, called without
set -euo pipefail

FORWARD_HEADERS=${FORWARD_HEADERS:-0}   # the protocol's cost alone: no proxy adds headers
# shellcheck source=bench/rig/rig.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rig/rig.sh"
GRPC_DIR="$REPO_ROOT/tests/interop/grpc"

CONNS=${CONNS:-16}
STREAMS=${STREAMS:-8}
SHAPES=${SHAPES:-get grpc}
PEERS=${PEERS:-direct nginx haproxy haproxy-h2 nghttpx meshedge meshedge-h2}
MESHEDGE_H2_CLUSTER=${MESHEDGE_H2_CLUSTER:-protocol = \"h2\"}
GRPC_PATH=/meshedge.echo.Echo/Unary

# Targets of issue 18 (MeshEdge against the best of the other proxies, medians of the same run).
TARGET_CPU_RATIO=0.9   # CPU per request, at most
TARGET_RPS_RATIO=1.0   # requests/s, at least

# shellcheck source=bench/h2/origins.sh
source "$(dirname "${BASH_SOURCE[0]}")/origins.sh"
# shellcheck source=bench/h2/proxies.sh
source "$(dirname "${BASH_SOURCE[0]}")/proxies.sh"
# shellcheck source=bench/h2/h2load.sh
source "$(dirname "${BASH_SOURCE[0]}")/h2load.sh"

# --------------------------------------------------------------------------------------------------
# One measured run: appends to $TMP/rows-SHAPE.tsv:
#   1 peer 2 round 3 rps 4 p50_us 5 p99_us 6 cpu_us/req 7 usr 8 sys 9 req per CPU-s 10 core_us 11 VmHWM KiB 12 requests 13 errors
run_one() {   # run_one PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 out="$TMP/h2load-$SHAPE-$1-$2"
    window_open "$peer" "${PID_OF[$peer]}" "$(awk -v d="$3" 'BEGIN { print d * 0.9 }')"
    h2load_load "$peer" "$3" "$out"
    window_close
    (($4)) || return 0
    h2load_result "$peer" "$round" "$out"
    local cpu usr sys rpc core
    read -r cpu usr sys rpc core < <(cpu_per_request "$H2_REQUESTS")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$round" "$H2_RPS" "$H2_P50" "$H2_P99" \
        "$cpu" "$usr" "$sys" "$rpc" "$core" "$W_HWM" "$H2_REQUESTS" "$H2_ERRORS" >>"$TMP/rows-$SHAPE.tsv"
    log "$(printf '%-12s %s round %s: %s req/s, p99 %s us, %s us CPU per request' "$peer" "$SHAPE" "$round" "$H2_RPS" "$H2_P99" "$cpu")"
}

stop_peers() {   # the peers of one shape, before the next one starts
    local peer
    for peer in "${ACTIVE[@]}"; do [[ -z ${PID_OF[$peer]:-} ]] || stop_pid "${PID_OF[$peer]}"; done
    ACTIVE=() PORT_OF=() PID_OF=()
}

main() {
    need_commands haproxy:haproxy nginx:nginx-light h2load:nghttp2-client nghttpx:nghttp2-proxy \
        taskset:util-linux curl:curl node:nodejs
    "$REPO_ROOT/scripts/ensure-node-packages.sh" "$GRPC_DIR"
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    want_peers direct nginx haproxy haproxy-h2 nghttpx meshedge meshedge-h2
    local shape
    for shape in $SHAPES; do [[ $shape == get || $shape == grpc ]] || die "unknown shape '$shape' in SHAPES (get, grpc)"; done
    rig_tmp h2
    pin_cores
    start_origins
    for SHAPE in $SHAPES; do
        log "shape $SHAPE"
        : >"$TMP/rows-$SHAPE.tsv"
        start_peers start_h2_peer
        run_rounds run_one
        stop_peers
    done
    publish_report report "h2-$(date +%Y%m%d-%H%M%S).md"
}

# --------------------------------------------------------------------------------------------------
# The report.
OTHERS=(nginx haproxy haproxy-h2 nghttpx)   # the peers MeshEdge is judged against

best_peer() {   # best_peer FILE COLUMN min|max -> "PEER VALUE": the best of OTHERS' medians ("- -" without one)
    local file=$1 col=$2 how=$3 peer v best="-" bestv="-"
    for peer in "${OTHERS[@]}"; do
        v=$(median_of "$file" "$peer" "$col")
        [[ $v == "-" ]] && continue
        if [[ $bestv == "-" ]] || awk -v a="$v" -v b="$bestv" -v how="$how" 'BEGIN { exit !(how == "min" ? a + 0 < b + 0 : a + 0 > b + 0) }'; then
            best=$peer bestv=$v
        fi
    done
    echo "$best $bestv"
}

ratio_rows() {   # ratio_rows SHAPE: each peer's medians against the best other peer's
    local file="$TMP/rows-$1.tsv" peer rps p99 cpu brp brpv bp9 bp9v bcp bcpv r_rps r_cpu verdicts
    read -r brp brpv < <(best_peer "$file" 3 max)
    read -r bp9 bp9v < <(best_peer "$file" 5 min)
    read -r bcp bcpv < <(best_peer "$file" 6 min)
    echo "Best of the other proxies: req/s $(fmt_num "$brpv") ($brp), p99 $(fmt_num "$bp9v") us ($bp9), CPU $(fmt_num "$bcpv") us/req ($bcp)."
    echo
    echo "| peer | req/s / best | p99 / best | CPU per request / best | targets (CPU <= $TARGET_CPU_RATIO, req/s >= $TARGET_RPS_RATIO) |"
    echo "|---|---:|---:|---:|---|"
    for peer in "${WANTED[@]}"; do
        [[ $peer == direct ]] && continue
        grep -q "^$peer	" "$file" || continue
        rps=$(median_of "$file" "$peer" 3) p99=$(median_of "$file" "$peer" 5) cpu=$(median_of "$file" "$peer" 6)
        r_rps=$(ratio "$rps" "$brpv" 2) r_cpu=$(ratio "$cpu" "$bcpv" 2)
        verdicts=""
        [[ $peer == meshedge* ]] && verdicts="CPU **$(verdict "$r_cpu" "<=" "$TARGET_CPU_RATIO")**, req/s **$(verdict "$r_rps" ">=" "$TARGET_RPS_RATIO")**"
        echo "| $peer | $r_rps | $(ratio "$p99" "$bp9v" 2) | $r_cpu | $verdicts |"
    done
    for peer in "${WANTED[@]}"; do
        if [[ $peer != meshedge* || $bcp == "-" ]] || ! grep -q "^$peer	" "$file"; then continue; fi
        echo
        echo "- $peer/$bcp CPU per request, per round (paired): $(paired_ratios "$file" 6 "$peer" "$bcp")"
    done
    return 0
}

report() {
    local shape peer
    echo "# HTTP/2 and gRPC proxy benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    host_line
    echo "- load: $(h2load --version | head -n1), -t1 -c$CONNS -m$STREAMS -D$DURATION (h2c, prior knowledge); $RUNS rounds, peers interleaved (order rotates per round), ${WARMUP}s warm-up each; p50/p99 from h2load's per-request log"
    echo "- origins: $(nginx_version) (64-byte body; HTTP/1.1 keep-alive port and h2c port), @grpc/grpc-js $(node -p "require('$GRPC_DIR/node_modules/@grpc/grpc-js/package.json').version") echo server (node $(node --version))"
    echo "- proxies, one worker/thread/process each, no access log, $( ((FORWARD_HEADERS)) && echo "forwarding headers added" || echo "no added headers"): nginx $(nginx_version) (master_process off), haproxy $(haproxy_version) (nbthread 1), $(nghttpx --version | head -n1) (--single-process --single-thread), meshedge $(meshedge_label) (workers = 1; h2 upstream: \`$MESHEDGE_H2_CLUSTER\`)"
    pinning_line "h2load + the origins"
    readings_lines
    for shape in $SHAPES; do
        echo
        case $shape in
            get) echo "## get: GET / (64-byte body), h2 from the client" ;;
            grpc) echo "## grpc: unary $GRPC_PATH (one 66-byte EchoRequest), h2 both sides" ;;
        esac
        echo
        echo "| peer | run | req/s | p50 us | p99 us | CPU us/req | usr us | sys us | req per CPU-s | core us/req | VmHWM MiB | requests | errors |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for peer in "${WANTED[@]}"; do
            grep -q "^$peer	" "$TMP/rows-$shape.tsv" || continue
            peer_rows "$TMP/rows-$shape.tsv" "$peer" 3 4 5 6 7 8 9 10 11:mib 12:- 13:-
        done
        echo
        noisy_note "$TMP/rows-$shape.tsv" 6 10
        ratio_rows "$shape"
        if [[ -s $TMP/skipped-$shape.txt ]]; then
            echo
            echo "Skipped in this shape:"
            echo
            cat "$TMP/skipped-$shape.txt"
        fi
    done
    echo
    echo "h2load and the origins share the load core: req/s is partly bounded by it; CPU per request on the proxy's core is the figure to read."
    same_run_line
}

main "$@"
