#!/usr/bin/env bash
# bench/bolt/run.sh - Bolt RPC load through MeshEdge (one worker), through HAProxy `mode tcp` and
# direct, for several load shapes, in one run.
#
# A C# Bolt echo server (bench/bolt/BoltLoad) answers every request at once; the load generator keeps
# INFLIGHT requests outstanding on each of CONNS connections (the multiplexing the proxy exists for).
# Peers: "direct" (load -> server), "haproxy" (load -> HAProxy 2.6 `mode tcp` -> server: a plain
# relay, one server connection per client connection, no byte parsed: the floor of any proxy) and
# "meshedge" (load -> meshedge -> server, default settings) and "meshedge-bp" (the same with
# runtime.busy_poll = BUSY_POLL: the worker polls instead of sleeping for that long after its last
# event, which saves the cross-core wake-ups). Each proxy is pinned to PROXY_CPU, load and server to
# LOAD_CPU. For each shape CONNSxINFLIGHT in SHAPES: a warm-up per peer, then RUNS rounds in which the
# peers are interleaved and their order rotates from round to round. Only ratios of one run mean much.
# The rig (peers, pinning, rounds, /proc readings, report) is bench/rig; this script holds what is the
# Bolt scenario's own.
#
# The same shapes up to 2x64 run again with the SOFA team's own peers (SOFA_SHAPES): sofa-rpc-node's
# RpcClient as the load (bench/bolt/sofa-load.js, pinned to LOAD_CPU) against a sofa-rpc-node server
# (tests/interop/bolt/server.js), through the same proxy processes (a second listener each). Their
# rows are named sofa:CONNSxINFLIGHT.
#
# Latency: the generator times every request from its send to its response; p50 and p99 per run. The
# "added" latency of a proxy is its median p50 (p99) minus direct's in the same shape: what one hop
# through it costs a call. Issue 21's bar, for the shapes an application runs (RELAY_SHAPES, a few
# calls in flight on one or two connections): with default settings MeshEdge carries at least the
# relay's calls/s and adds at most the relay's p50.
#
# Why several shapes: with few connections the pipeline runs in lock-step (one wave of requests
# bouncing between the two cores, each cross-core wake-up paying the scheduler's delay), so any proxy
# on the other core is bounded by latency there, HAProxy as much as MeshEdge; more connections overlap
# the waves. The haproxy row shows what a plain relay gets out of the same shape on the same machine.
#
# Both .NET peers (generator and server) run without thread-pool spinning (PEER_ENV, bench/bolt/bolt.sh
# says why).
#
# Environment (all optional):
#   SHAPES="1x1 1x8 1x32 2x64 8x64 16x64"  load shapes, CONNSxINFLIGHT (connections x requests in flight on each)
#   SOFA_SHAPES="1x1 1x8 1x32 2x64"  shapes for the sofa-rpc-node client and server ("" for none)
#   CONNS, INFLIGHT  when set and SHAPES is not: the single shape ${CONNS:-2}x${INFLIGHT:-64}
#   PEERS="direct haproxy meshedge meshedge-bp"  which peers, in first-round order
#   BUSY_POLL=50us  runtime.busy_poll of the meshedge-bp peer
#   DURATION=10 seconds per run   RUNS=3 rounds per shape   WARMUP=2 seconds of unrecorded load per
#   peer and shape (0: none)   PAYLOAD=64 bytes of content   PROXY_CPU=1   LOAD_CPU=0
#   MESHEDGE=artifacts/linux-x64/meshedge   RESULTS_DIR=bench/results
#   CONNECTIONS_PER_HOST  MeshEdge's rpc_proxy.connections_per_host (unset: its default, 4)
#   MESHEDGE_B_RPC, MESHEDGE_B  an A/B peer "meshedge-b" (add it to PEERS): MeshEdge with these lines
#   added to its rpc_proxy table (e.g. 'flush = "turn"'), and/or another binary; reported beside
#   meshedge, with its own verdict against the relay
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=bench/rig/rig.sh
source "$SCRIPT_DIR/../rig/rig.sh"
# shellcheck source=bench/bolt/bolt.sh
source "$SCRIPT_DIR/bolt.sh"

if [[ -z ${SHAPES:-} ]]; then
    if [[ -n ${CONNS:-}${INFLIGHT:-} ]]; then SHAPES="${CONNS:-2}x${INFLIGHT:-64}"; else SHAPES="1x1 1x8 1x32 2x64 8x64 16x64"; fi
fi
PEERS=${PEERS:-direct haproxy meshedge meshedge-bp}
SOFA_SHAPES=${SOFA_SHAPES-1x1 1x8 1x32 2x64}
BUSY_POLL=${BUSY_POLL:-50us}
MESHEDGE_B_RPC=${MESHEDGE_B_RPC:-}
MESHEDGE_B=${MESHEDGE_B:-$MESHEDGE}
[[ $MESHEDGE_B == /* ]] || MESHEDGE_B="$REPO_ROOT/$MESHEDGE_B"
PAYLOAD=${PAYLOAD:-64}

TARGET_RATIO=0.8          # meshedge / direct requests/s, at least
RELAY_SHAPES="1x1 1x8 1x32 2x64"   # where meshedge must match the relay: calls/s at least, added p50 at most
HAPROXY_MAXCONN=1000      # higher needs more descriptors than this machine's limit lets HAProxy raise to

# --------------------------------------------------------------------------------------------------
# Arguments.
for shape in $SHAPES $SOFA_SHAPES; do
    [[ $shape =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "bad shape '$shape' in SHAPES or SOFA_SHAPES (want CONNSxINFLIGHT, e.g. 8x64)"
    ((${shape%x*} <= HAPROXY_MAXCONN)) || die "shape $shape: more connections than HAProxy's maxconn $HAPROXY_MAXCONN"
done
want_peers direct haproxy meshedge meshedge-bp meshedge-b
if { wanted meshedge || wanted meshedge-bp; } && [[ ! -x $MESHEDGE ]]; then
    die "no meshedge binary at $MESHEDGE (run make build, or leave meshedge out of PEERS)"
fi
if wanted meshedge-b && [[ ! -x $MESHEDGE_B ]]; then die "no meshedge binary at $MESHEDGE_B (MESHEDGE_B)"; fi
pin_cores required
if wanted haproxy; then need_commands haproxy:haproxy; fi
if [[ -n $SOFA_SHAPES ]]; then
    command -v node >/dev/null || die "SOFA_SHAPES needs Node.js 20 (or set SOFA_SHAPES=\"\")"
    "$REPO_ROOT/scripts/ensure-node-packages.sh" "$REPO_ROOT/tests/interop/bolt"
fi
# Every shape of the run, the sofa ones prefixed: rows, rounds and report go through this list.
ALL_SHAPES="$SHAPES"
for shape in $SOFA_SHAPES; do ALL_SHAPES+=" sofa:$shape"; done
declare -A SOFA_PORT_OF=()
SOFA_SERVER_PORT=""

# --------------------------------------------------------------------------------------------------
# Peers.
# The sofa-rpc-node server: it picks its own port and prints it first ({"event":"listening","port":N}).
start_sofa_server() {
    local logf="$TMP/sofa-server.log"
    [[ -n $SOFA_SHAPES ]] || return 0
    "${ON_LOAD[@]}" node "$REPO_ROOT/tests/interop/bolt/server.js" '{"name":"sofa","services":["com.meshedge.Bench:1.0"],"quiet":true}' >"$logf" 2>&1 &
    PIDS+=("$!")
    for _ in $(seq 1 150); do
        SOFA_SERVER_PORT=$(sed -n 's/.*"event":"listening","port":\([0-9]*\).*/\1/p' "$logf")
        [[ -n $SOFA_SERVER_PORT ]] && return 0
        sleep 0.1
    done
    cat "$logf" >&2
    die "the sofa-rpc-node server did not start"
}

start_haproxy() {   # -> sets STARTED_PID, STARTED_PORT (and STARTED_SOFA_PORT with SOFA_SHAPES)
    local cfg="$TMP/haproxy.cfg"
    pick_port STARTED_PORT
    STARTED_SOFA_PORT=""
    { bolt_haproxy_config "$HAPROXY_MAXCONN"; bolt_haproxy_listen bolt echo "$STARTED_PORT" "$SERVER_PORT"; } >"$cfg"
    if [[ -n $SOFA_SHAPES ]]; then
        pick_port STARTED_SOFA_PORT
        bolt_haproxy_listen sofa sofa "$STARTED_SOFA_PORT" "$SOFA_SERVER_PORT" >>"$cfg"
    fi
    launch_haproxy "$cfg" "$TMP/haproxy.log" "$STARTED_PORT"
    [[ -z $STARTED_SOFA_PORT ]] || wait_port "$STARTED_SOFA_PORT" "$STARTED_PID" haproxy "$TMP/haproxy.log" || die "haproxy did not listen for sofa"
}

# start_meshedge PEER BUSY_POLL [RPC_LINES [BINARY]] -> sets STARTED_PID, STARTED_PORT (and STARTED_SOFA_PORT)
start_meshedge() {
    local peer=$1 cfg="$TMP/$1.toml" ports extra=${3:-} bin=${4:-$MESHEDGE}
    pick_port STARTED_PORT
    STARTED_SOFA_PORT=""
    { bolt_meshedge_runtime "$2"; RPC_EXTRA=$extra bolt_meshedge_route bolt bench "$STARTED_PORT" "$SERVER_PORT"; } >"$cfg"
    ports=("$STARTED_PORT")
    if [[ -n $SOFA_SHAPES ]]; then
        pick_port STARTED_SOFA_PORT
        ports+=("$STARTED_SOFA_PORT")
        RPC_EXTRA=$extra bolt_meshedge_route sofa sofa "$STARTED_SOFA_PORT" "$SOFA_SERVER_PORT" >>"$cfg"
    fi
    MESHEDGE=$bin launch_meshedge "$cfg" "$TMP/$peer.log" "${ports[@]}" || die "$peer did not start"
}

start_peer() {   # start_peer PEER (start_peers' FN): start it; a short load through it must be answered
    case $1 in
        direct) STARTED_PORT=$SERVER_PORT STARTED_SOFA_PORT=$SOFA_SERVER_PORT STARTED_PID="" ;;
        haproxy) start_haproxy ;;
        meshedge) start_meshedge meshedge 0s ;;
        meshedge-bp) start_meshedge meshedge-bp "$BUSY_POLL" ;;
        meshedge-b) start_meshedge meshedge-b 0s "$MESHEDGE_B_RPC" "$MESHEDGE_B" ;;
    esac
    run_load "$STARTED_PORT" 1 1 0.5
    [[ $(field requests "$LOAD_LINE") -gt 0 && $(field errors "$LOAD_LINE") == 0 ]] \
        || die "$1 does not answer Bolt requests correctly: $LOAD_LINE"
    if [[ -n $SOFA_SHAPES ]]; then
        SOFA_PORT_OF[$1]=$STARTED_SOFA_PORT
        run_load "sofa:$STARTED_SOFA_PORT" 1 1 0.5
        [[ $(field requests "$LOAD_LINE") -gt 0 && $(field errors "$LOAD_LINE") == 0 ]] \
            || die "$1 does not answer the sofa-rpc-node client correctly: $LOAD_LINE"
    fi
    add_peer "$1" "$STARTED_PORT" "$STARTED_PID"
}

# --------------------------------------------------------------------------------------------------
# The load.

# run_load PORT CONNS INFLIGHT SECONDS: sets LOAD_LINE to the generator's one line; PORT "sofa:N"
# drives the sofa-rpc-node client (sofa-load.js, the same line) instead of BoltLoad. Not called in a
# command substitution: the generator runs in the background of this shell and is listed in PIDS, so
# Ctrl-C or a failure stops it too. A time limit guards against a peer that stops answering (the
# generator waits for every request in flight).
LOAD_LINE=""
run_load() {
    local out="$TMP/load.out" pid rc=0
    local generator=("${PEER_ENV[@]}" "${ON_LOAD[@]}" "$LOAD" load) port=$1
    if [[ $port == sofa:* ]]; then
        generator=("${ON_LOAD[@]}" node "$SCRIPT_DIR/sofa-load.js") port=${port#sofa:}
    fi
    timeout -k 5 "$(awk -v s="$4" 'BEGIN { print s + 60 }')" \
        "${generator[@]}" "127.0.0.1:$port" "$2" "$3" "$4" "$PAYLOAD" >"$out" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    ((rc == 0)) || { cat "$out" >&2; die "the load generator failed (exit $rc) against 127.0.0.1:$1"; }
    LOAD_LINE=$(tail -n 1 "$out")
}

# bolt_run PEER ROUND SECONDS RECORD SHAPE CONNS INFLIGHT (the rounds' FN): the load at SHAPE through
# PEER; when RECORD=1 a row appended to $TMP/rows.tsv.
# Columns: shape round peer rps p99_us cpu_us_per_req load_core_busy_% other_on_proxy_core_% requests errors
#          proxy_busy_% (of one core, while the generator measured) p50_us
bolt_run() {
    local peer=$1 round=$2 secs=$3 shape=$5 line port=${PORT_OF[$1]}
    [[ $shape == sofa:* ]] && port="sofa:${SOFA_PORT_OF[$peer]}"
    if (($4 == 0)); then run_load "$port" "$6" "$7" "$secs"; return 0; fi
    window_open "$peer" "${PID_OF[$peer]}"
    run_load "$port" "$6" "$7" "$secs"; line=$LOAD_LINE
    window_close
    awk -v shape="$shape" -v round="$round" -v peer="$peer" -v hz="$CLK_TCK" -v own="${W_PID:--}" \
        -v req="$(field requests "$line")" -v rps="$(field rps "$line")" -v p99="$(field p99_us "$line")" -v p50="$(field p50_us "$line")" \
        -v err="$(field errors "$line")" -v cpu="$W_OWN" -v lbusy="$W_LCORE_BUSY" -v lall="$W_LCORE_ALL" \
        -v pbusy="$((W_PCORE_BUSY - W_PROXIES))" -v pall="$W_PCORE_ALL" \
        -v secs="$(field seconds "$line")" 'BEGIN {
            if (req + 0 == 0) { print "no requests served: " peer > "/dev/stderr"; exit 1 }
            c = (own == "-") ? "-" : sprintf("%.2f", cpu / hz * 1e6 / req)
            lcore = lall > 0 ? 100 * lbusy / lall : 0
            other = pall > 0 ? 100 * pbusy / pall : 0
            if (other < 0) other = 0   # tick rounding between the two counters
            # The proxy process over the seconds the generator measured (core counters would also take
            # in the generator start-up, when the proxy idles). Near 100 the proxy core bounded the run.
            pcore = (own == "-" || secs + 0 == 0) ? "-" : sprintf("%.0f", 100 * cpu / hz / secs)
            printf "%s\t%s\t%s\t%.0f\t%.0f\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%.0f\n", shape, round, peer, rps, p99, c, lcore, other, req, err, pcore, p50
        }' >>"$TMP/rows.tsv" || die "the load generator served no requests through $peer: $line"
    log "$(tail -n 1 "$TMP/rows.tsv" | awk -F'\t' '{ printf "%s round %s %-8s rps=%s p50_us=%s p99_us=%s proxy_cpu_us_per_req=%s proxy_busy=%s%% load_core_busy=%s%% other_on_proxy_core=%s%% errors=%s", $1, $2, $3, $4, $12, $5, $6, $11, $7, $8, $10 }')"
}

# --------------------------------------------------------------------------------------------------
# Report.
shape_median() { median "$TMP/rows.tsv" "$3" 1="$1" 3="$2"; }   # shape_median SHAPE PEER COLUMN
# added SHAPE PEER COLUMN -> PEER's median latency minus direct's in SHAPE ("-" when either is missing)
added() {
    awk -v a="$(shape_median "$1" "$2" "$3")" -v d="$(shape_median "$1" direct "$3")" \
        'BEGIN { if (a == "-" || d == "-" || a == "" || d == "") print "-"; else printf "%.0f", a - d }'
}
# shape_pairs SHAPE A B COLUMN -> A's COLUMN over B's, round by round ("0.98 / 1.03 / 1.01")
shape_pairs() {
    awk -F'\t' -v s="$1" -v a="$2" -v b="$3" -v c="$4" '$1 == s && $3 == a { m[$2] = $c } $1 == s && $3 == b { h[$2] = $c }
        END { for (r = 1; r in h; r++) if (r in m && h[r] > 0) printf "%s%.2f", (r > 1 ? " / " : ""), m[r] / h[r] }' "$TMP/rows.tsv"
}
# relay_verdict SHAPE [PEER] -> PASS when PEER's (meshedge's) calls/s is at least haproxy's and its added
# p50 at most haproxy's; MISS otherwise; n/a without both peers and direct
relay_verdict() {
    local me_rps hp_rps me_p50 hp_p50 peer=${2:-meshedge}
    me_rps=$(shape_median "$1" "$peer" 4); hp_rps=$(shape_median "$1" haproxy 4)
    me_p50=$(added "$1" "$peer" 12); hp_p50=$(added "$1" haproxy 12)
    awk -v a="$me_rps" -v b="$hp_rps" -v c="$me_p50" -v d="$hp_p50" 'BEGIN {
        if (a == "-" || b == "-" || c == "-" || d == "-") { print "n/a"; exit }
        print ((a + 0 >= b + 0 && c + 0 <= d + 0) ? "PASS" : "MISS") }'
}

report() {
    local shape conns inflight peer md_rps bp_rps hp_rps di_rps me_ratio bp_ratio hp_ratio noisy errs relay row
    local hpver="not installed"
    command -v haproxy >/dev/null && hpver=$(haproxy_version)
    echo "# Bolt RPC: MeshEdge (1 worker) vs HAProxy (mode tcp) vs direct, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) CPUs, Linux $(uname -r), HAProxy $hpver."
    echo
    local bp_note=""
    is_active meshedge-bp && bp_note=" (meshedge-bp: busy_poll = \"$BUSY_POLL\")"
    is_active meshedge-b && bp_note+=" (meshedge-b: $MESHEDGE_B, rpc_proxy lines: ${MESHEDGE_B_RPC:-none})"
    echo "Peers ${ACTIVE[*]}$bp_note; $PAYLOAD-byte content, ${DURATION}s x $RUNS rounds per shape (peers interleaved, order rotated" \
        "per round), ${WARMUP}s warm-up per peer and shape; proxy on CPU $PROXY_CPU, load generator and server on CPU $LOAD_CPU."
    SUMMARY=()
    for shape in $ALL_SHAPES; do
        conns=${shape#sofa:}; conns=${conns%x*}; inflight=${shape#*x}
        echo
        if [[ $shape == sofa:* ]]; then
            echo "## sofa-rpc-node client and server: $conns connections x $inflight in flight ($shape)"
        else
            echo "## $conns connections x $inflight in flight ($shape)"
        fi
        echo
        echo "| peer | req/s | p50 us | p99 us | added p50 us | added p99 us | proxy CPU us/req | proxy busy % | load core busy % | other load on proxy core % |"
        echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for peer in "${ACTIVE[@]}"; do
            echo "| $peer | $(fmt "$(shape_median "$shape" "$peer" 4)" 0) | $(fmt "$(shape_median "$shape" "$peer" 12)" 0)" \
                "| $(fmt "$(shape_median "$shape" "$peer" 5)" 0) | $(added "$shape" "$peer" 12) | $(added "$shape" "$peer" 5)" \
                "| $(fmt "$(shape_median "$shape" "$peer" 6)" 2) | $(fmt "$(shape_median "$shape" "$peer" 11)" 0)" \
                "| $(fmt "$(shape_median "$shape" "$peer" 7)" 0) | $(fmt "$(shape_median "$shape" "$peer" 8)" 0) |"
        done
        echo
        di_rps=$(shape_median "$shape" direct 4); hp_rps=$(shape_median "$shape" haproxy 4); md_rps=$(shape_median "$shape" meshedge 4)
        bp_rps=$(shape_median "$shape" meshedge-bp 4)
        me_ratio=$(ratio "$md_rps" "$di_rps" 2); hp_ratio=$(ratio "$hp_rps" "$di_rps" 2); bp_ratio=$(ratio "$bp_rps" "$di_rps" 2)
        is_active meshedge && echo "- meshedge / direct requests/s: **$me_ratio** (target: at least $TARGET_RATIO): $(verdict "$me_ratio" ">=" "$TARGET_RATIO")"
        is_active meshedge-bp && echo "- meshedge-bp / direct requests/s: **$bp_ratio** (target: at least $TARGET_RATIO): $(verdict "$bp_ratio" ">=" "$TARGET_RATIO")"
        is_active haproxy && echo "- haproxy / direct requests/s: $hp_ratio (reference: a plain relay on the same core)"
        is_active meshedge && is_active haproxy \
            && echo "- meshedge / haproxy CPU per request: $(ratio "$(shape_median "$shape" meshedge 6)" "$(shape_median "$shape" haproxy 6)" 2)"
        if is_active meshedge && is_active haproxy && [[ " $RELAY_SHAPES " == *" ${shape#sofa:} "* ]]; then
            echo "- against the relay (issue 21: calls/s at least haproxy's, added p50 at most haproxy's):" \
                "calls/s $(ratio "$md_rps" "$hp_rps" 2)x (paired by round: $(shape_pairs "$shape" meshedge haproxy 4))," \
                "added p50 $(added "$shape" meshedge 12) us vs $(added "$shape" haproxy 12) us: $(relay_verdict "$shape")"
        fi
        is_active meshedge-bp && is_active haproxy \
            && echo "- meshedge-bp / haproxy CPU per request: $(ratio "$(shape_median "$shape" meshedge-bp 6)" "$(shape_median "$shape" haproxy 6)" 2)"
        if is_active meshedge-b && is_active meshedge; then
            echo "- meshedge-b / meshedge calls/s: $(ratio "$(shape_median "$shape" meshedge-b 4)" "$md_rps" 2), paired by round:" \
                "$(shape_pairs "$shape" meshedge-b meshedge 4)"
            is_active haproxy && [[ " $RELAY_SHAPES " == *" ${shape#sofa:} "* ]] \
                && echo "- meshedge-b against the relay: calls/s $(ratio "$(shape_median "$shape" meshedge-b 4)" "$hp_rps" 2)x," \
                    "added p50 $(added "$shape" meshedge-b 12) us vs $(added "$shape" haproxy 12) us: $(relay_verdict "$shape" meshedge-b)"
        fi
        noisy=$(awk -F'\t' -v s="$shape" '$1 == s && $8 > 5 { printf "%s%s round %s (%s%%)", (n++ ? ", " : ""), $3, $2, $8 }' "$TMP/rows.tsv")
        [[ -z $noisy ]] || echo "- other load above 5% on the proxy's core in: $noisy"
        errs=$(awk -F'\t' -v s="$shape" '$1 == s && $10 > 0 { printf "%s%s round %s: %s", (n++ ? ", " : ""), $3, $2, $10 }' "$TMP/rows.tsv")
        [[ -z $errs ]] || echo "- ERRORS (error responses counted by the load generator): $errs"
        relay="-"
        [[ " $RELAY_SHAPES " == *" ${shape#sofa:} "* ]] && relay=$(relay_verdict "$shape")
        row="| $shape | $me_ratio ($(verdict "$me_ratio" ">=" "$TARGET_RATIO")) | $bp_ratio ($(verdict "$bp_ratio" ">=" "$TARGET_RATIO")) | $hp_ratio"
        SUMMARY+=("$row | $(added "$shape" meshedge 12) / $(added "$shape" haproxy 12) | $(ratio "$md_rps" "$hp_rps" 2) | $relay |")
    done
    echo
    echo "## Summary (medians)"
    echo
    echo "| shape | meshedge/direct req/s | meshedge-bp/direct req/s | haproxy/direct req/s (reference) | added p50 us meshedge / haproxy | meshedge/haproxy req/s | vs relay (shapes up to 2x64) |"
    echo "|---|---:|---:|---:|---:|---:|---|"
    printf '%s\n' "${SUMMARY[@]}"
    echo
    echo "\"Other load\" is the busy time of the proxy's core not spent by the proxies this script started"
    echo "(other jobs on this shared machine); well above a few percent, a proxied row measured the"
    echo "machine, not the proxy, and in a direct row it says other jobs were running (they may have"
    echo "shared the load core too, which its busy % cannot tell apart). \"Load core busy\" is the busy"
    echo "time of the core the load generator and the echo server share: near 100%, that core, not the"
    echo "path under test, bounded the run. \"Proxy busy\" is the proxy's CPU time over the measured seconds:"
    echo "near 100%, the proxy's core bounded the run; with both well below, wake-ups and latency did."
}

# --------------------------------------------------------------------------------------------------
main() {
    rig_tmp bolt
    build_bolt_load
    start_bolt_server "$PAYLOAD"
    start_sofa_server
    start_peers start_peer

    : >"$TMP/rows.tsv"
    local shape conns
    for shape in $ALL_SHAPES; do
        log "shape $shape"
        conns=${shape#sofa:}
        run_rounds bolt_run "$shape" "${conns%x*}" "${shape#*x}"
    done
    publish_report report "bolt-$(date -u +%Y%m%dT%H%M%SZ).md"
}

main "$@"
