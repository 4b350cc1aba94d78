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
#
# Why several shapes: with few connections the pipeline runs in lock-step (one wave of requests
# bouncing between the two cores, each cross-core wake-up paying the scheduler's delay), so any proxy
# on the other core is bounded by latency there, HAProxy as much as MeshEdge; more connections overlap
# the waves. The haproxy row shows what a plain relay gets out of the same shape on the same machine.
#
# Both .NET peers (generator and server) run with DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0: their
# thread pools otherwise spin (sched_yield) while waiting for the next completion, which costs nothing
# when the answer comes from the same core (direct) but burns the load core while the answer is on
# its way through the proxy's core (~5x the generator's sched_yield calls per request, measured).
#
# Environment (all optional):
#   SHAPES="2x64 8x64 16x64"  load shapes, CONNSxINFLIGHT (connections x requests in flight on each)
#   CONNS, INFLIGHT  when set and SHAPES is not: the single shape ${CONNS:-2}x${INFLIGHT:-64}
#   PEERS="direct haproxy meshedge meshedge-bp"  which peers, in first-round order
#   BUSY_POLL=50us  runtime.busy_poll of the meshedge-bp peer
#   DURATION=10 seconds per run   RUNS=3 rounds per shape   WARMUP=2 seconds of unrecorded load per
#   peer and shape (0: none)   PAYLOAD=64 bytes of content   PROXY_CPU=1   LOAD_CPU=0
#   MESHEDGE=artifacts/linux-x64/meshedge   RESULTS_DIR=bench/results
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C

if [[ -z ${SHAPES:-} ]]; then
    if [[ -n ${CONNS:-}${INFLIGHT:-} ]]; then SHAPES="${CONNS:-2}x${INFLIGHT:-64}"; else SHAPES="2x64 8x64 16x64"; fi
fi
PEERS=${PEERS:-direct haproxy meshedge meshedge-bp}
BUSY_POLL=${BUSY_POLL:-50us}
DURATION=${DURATION:-10}; RUNS=${RUNS:-3}; WARMUP=${WARMUP:-2}; PAYLOAD=${PAYLOAD:-64}
PROXY_CPU=${PROXY_CPU:-1}; LOAD_CPU=${LOAD_CPU:-0}
RESULTS_DIR=${RESULTS_DIR:-$REPO_ROOT/bench/results}
MESHEDGE=${MESHEDGE:-artifacts/linux-x64/meshedge}
[[ $MESHEDGE == /* ]] || MESHEDGE="$REPO_ROOT/$MESHEDGE"

TARGET_RATIO=0.8          # meshedge / direct requests/s, at least
HAPROXY_MAXCONN=1000      # higher needs more descriptors than this machine's limit lets HAProxy raise to

# Logging, process bookkeeping (PIDS, TMP) and cleanup on any exit.
# shellcheck source=bench/lib.sh
source "$SCRIPT_DIR/../lib.sh"

# --------------------------------------------------------------------------------------------------
# Arguments.
for shape in $SHAPES; do
    [[ $shape =~ ^[1-9][0-9]*x[1-9][0-9]*$ ]] || die "bad shape '$shape' in SHAPES (want CONNSxINFLIGHT, e.g. 8x64)"
    ((${shape%x*} <= HAPROXY_MAXCONN)) || die "shape $shape: more connections than HAProxy's maxconn $HAPROXY_MAXCONN"
done
ACTIVE=()
for peer in $PEERS; do
    case $peer in
        direct | haproxy | meshedge | meshedge-bp) ACTIVE+=("$peer") ;;
        *) die "unknown peer '$peer' in PEERS (direct, haproxy, meshedge, meshedge-bp)" ;;
    esac
done
((${#ACTIVE[@]} > 0)) || die "no peers in PEERS"
uses() { [[ " ${ACTIVE[*]} " == *" $1 "* ]]; }
if { uses meshedge || uses meshedge-bp; } && [[ ! -x $MESHEDGE ]]; then
    die "no meshedge binary at $MESHEDGE (run make build, or leave meshedge out of PEERS)"
fi
if ! taskset -c "$PROXY_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
    die "cannot pin to CPUs $PROXY_CPU and $LOAD_CPU ($(nproc) CPUs): this bench needs two cores"
fi
if uses haproxy; then command -v haproxy >/dev/null || install_missing haproxy; fi

# --------------------------------------------------------------------------------------------------
# /proc readings.
HZ=$(getconf CLK_TCK)
ticks() {   # utime + stime of PID in clock ticks (all threads)
    local s f
    s=$(<"/proc/$1/stat")
    s=${s##*) }          # the comm field may contain spaces and parentheses
    read -r -a f <<<"$s"
    echo $((f[11] + f[12]))   # fields 14 and 15 of stat(5)
}
PROXY_PIDS=()
proxy_ticks() {   # all our proxies' ticks together: they all sit on PROXY_CPU, busy or idle
    local pid sum=0
    for pid in "${PROXY_PIDS[@]}"; do sum=$((sum + $(ticks "$pid"))); done
    echo "$sum"
}
core() {   # "busy total" jiffies of CPU N (busy: user nice system irq softirq; total adds idle iowait)
    awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat
}
forget_pid() {   # drop a PID we have already waited for from the cleanup list
    local p keep=()
    for p in "${PIDS[@]}"; do [[ $p == "$1" ]] || keep+=("$p"); done
    PIDS=("${keep[@]}")
}

# --------------------------------------------------------------------------------------------------
# Peers.
PEER_ENV=(env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)
ON_PROXY=(taskset -c "$PROXY_CPU")
ON_LOAD=(taskset -c "$LOAD_CPU")
declare -A PORT_OF PID_OF

start_server() {
    pick_port SERVER_PORT
    "${PEER_ENV[@]}" "${ON_LOAD[@]}" "$LOAD" server "$SERVER_PORT" "$PAYLOAD" >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    PIDS+=("$SERVER_PID")
    wait_port "$SERVER_PORT" "$SERVER_PID" "echo server" "$TMP/server.log" || die "the echo server did not start"
    expect_comm "$SERVER_PID" BoltLoad
}

start_haproxy() {
    local port cfg="$TMP/haproxy.cfg"
    pick_port port
    cat >"$cfg" <<EOF
global
    nbthread 1
    maxconn $HAPROXY_MAXCONN
defaults
    mode tcp
    maxconn $HAPROXY_MAXCONN
    timeout connect 5s
    timeout client 1h
    timeout server 1h
listen bolt
    bind 127.0.0.1:$port
    server echo 127.0.0.1:$SERVER_PORT
EOF
    launch_haproxy "$cfg" "$TMP/haproxy.log" "$port"
    PORT_OF[haproxy]=$port; PID_OF[haproxy]=$STARTED_PID; PROXY_PIDS+=("$STARTED_PID")
}

start_meshedge() {   # start_meshedge PEER BUSY_POLL
    local peer=$1 port pid cfg="$TMP/$1.toml"
    pick_port port
    cat >"$cfg" <<EOF
[runtime]
workers = 1
log_level = "warn"
busy_poll = "$2"
[[listeners]]
name = "bolt"
address = "127.0.0.1:$port"
protocol = "bolt"
[listeners.rpc_proxy]
routes = [ { match = { service = "com.meshedge.Bench:1.0" }, cluster = "bench" } ]
[[clusters]]
name = "bench"
hosts = ["127.0.0.1:$SERVER_PORT"]
EOF
    "${ON_PROXY[@]}" "$MESHEDGE" run -c "$cfg" >"$TMP/$peer.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_port "$port" "$pid" "$peer" "$TMP/$peer.log" || die "$peer did not start"
    expect_comm "$pid" "$(basename "$MESHEDGE" | cut -c1-15)"
    PORT_OF[$peer]=$port; PID_OF[$peer]=$pid; PROXY_PIDS+=("$pid")
}

# run_load PORT CONNS INFLIGHT SECONDS: sets LOAD_LINE to the generator's one line. Not called in a
# command substitution: the generator runs in the background of this shell and is listed in PIDS, so
# Ctrl-C or a failure stops it too. A time limit guards against a peer that stops answering (the
# generator waits for every request in flight).
LOAD_LINE=""
run_load() {
    local out="$TMP/load.out" pid rc=0
    timeout -k 5 "$(awk -v s="$4" 'BEGIN { print s + 60 }')" \
        "${PEER_ENV[@]}" "${ON_LOAD[@]}" "$LOAD" load "127.0.0.1:$1" "$2" "$3" "$4" "$PAYLOAD" >"$out" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait "$pid" || rc=$?
    forget_pid "$pid"
    ((rc == 0)) || { cat "$out" >&2; die "the load generator failed (exit $rc) against 127.0.0.1:$1"; }
    LOAD_LINE=$(tail -n 1 "$out")
}
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

check_peer() {   # a short load through PEER must be answered, without errors
    run_load "${PORT_OF[$1]}" 1 1 0.5
    [[ $(field requests "$LOAD_LINE") -gt 0 && $(field errors "$LOAD_LINE") == 0 ]] \
        || die "$1 does not answer Bolt requests correctly: $LOAD_LINE"
}

# measure PEER SHAPE ROUND CONNS INFLIGHT: one recorded run, appended to $TMP/rows.tsv.
# Columns: shape round peer rps p99_us cpu_us_per_req load_core_busy_% other_on_proxy_core_% requests errors
#          proxy_busy_% (of one core, while the generator measured)
measure() {
    local peer=$1 shape=$2 round=$3 line pid t0 t1 p0 p1 lb0 la0 lb1 la1 pb0 pa0 pb1 pa1 own="-"
    [[ -n ${PID_OF[$peer]} ]] && own=${PID_OF[$peer]}
    for pid in "${PROXY_PIDS[@]}"; do kill -0 "$pid" 2>/dev/null || die "proxy pid $pid has exited"; done
    t0=0; [[ $own != - ]] && t0=$(ticks "$own")
    p0=$(proxy_ticks); read -r pb0 pa0 < <(core "$PROXY_CPU"); read -r lb0 la0 < <(core "$LOAD_CPU")
    run_load "${PORT_OF[$peer]}" "$4" "$5" "$DURATION"; line=$LOAD_LINE
    p1=$(proxy_ticks); read -r pb1 pa1 < <(core "$PROXY_CPU"); read -r lb1 la1 < <(core "$LOAD_CPU")
    t1=0; [[ $own != - ]] && t1=$(ticks "$own")
    awk -v shape="$shape" -v round="$round" -v peer="$peer" -v hz="$HZ" -v own="$own" \
        -v req="$(field requests "$line")" -v rps="$(field rps "$line")" -v p99="$(field p99_us "$line")" \
        -v err="$(field errors "$line")" -v cpu=$((t1 - t0)) \
        -v lbusy=$((lb1 - lb0)) -v lall=$((la1 - la0)) -v pbusy=$((pb1 - pb0 - (p1 - p0))) -v pall=$((pa1 - pa0)) \
        -v secs="$(field seconds "$line")" 'BEGIN {
            if (req + 0 == 0) { print "no requests served: " peer > "/dev/stderr"; exit 1 }
            c = (own == "-") ? "-" : sprintf("%.2f", cpu / hz * 1e6 / req)
            lcore = lall > 0 ? 100 * lbusy / lall : 0
            other = pall > 0 ? 100 * pbusy / pall : 0
            if (other < 0) other = 0   # tick rounding between the two counters
            # The proxy process over the seconds the generator measured (core counters would also take
            # in the generator start-up, when the proxy idles). Near 100 the proxy core bounded the run.
            pcore = (own == "-" || secs + 0 == 0) ? "-" : sprintf("%.0f", 100 * cpu / hz / secs)
            printf "%s\t%s\t%s\t%.0f\t%.0f\t%s\t%.0f\t%.0f\t%s\t%s\t%s\n", shape, round, peer, rps, p99, c, lcore, other, req, err, pcore
        }' >>"$TMP/rows.tsv" || die "the load generator served no requests through $peer: $line"
    log "$(tail -n 1 "$TMP/rows.tsv" | awk -F'\t' '{ printf "%s round %s %-8s rps=%s p99_us=%s proxy_cpu_us_per_req=%s proxy_busy=%s%% load_core_busy=%s%% other_on_proxy_core=%s%% errors=%s", $1, $2, $3, $4, $5, $6, $11, $7, $8, $10 }')"
}

# --------------------------------------------------------------------------------------------------
# Report helpers.
median() {   # median SHAPE PEER COLUMN -> median over rounds, "-" if none or any is "-"
    awk -F'\t' -v s="$1" -v p="$2" -v c="$3" '$1 == s && $3 == p { print $c }' "$TMP/rows.tsv" | sort -g | awk '
        $1 == "-" { dash = 1 } { v[NR] = $1 }
        END {
            if (NR == 0 || dash) { print "-"; exit }
            print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        }'
}
fmt() {   # fmt VALUE DECIMALS
    awk -v v="$1" -v d="$2" 'BEGIN { if (v == "-" || v == "") print "-"; else printf "%.*f", d, v }'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
verdict() { awk -v r="$1" -v t="$TARGET_RATIO" 'BEGIN { if (r == "-") print "n/a"; else print (r + 0 >= t + 0) ? "PASS" : "MISS" }'; }

report() {
    local shape conns inflight peer md_rps bp_rps hp_rps di_rps me_ratio bp_ratio hp_ratio noisy errs
    local hpver="not installed"
    command -v haproxy >/dev/null && hpver=$(haproxy -v 2>/dev/null | head -n 1 | awk '{ print $3 }')
    echo "# Bolt RPC: MeshEdge (1 worker) vs HAProxy (mode tcp) vs direct, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "Machine: $(nproc) CPUs, Linux $(uname -r), HAProxy $hpver."
    echo
    local bp_note=""
    uses meshedge-bp && bp_note=" (meshedge-bp: busy_poll = \"$BUSY_POLL\")"
    echo "Peers ${ACTIVE[*]}$bp_note; $PAYLOAD-byte content, ${DURATION}s x $RUNS rounds per shape (peers interleaved, order rotated" \
        "per round), ${WARMUP}s warm-up per peer and shape; proxy on CPU $PROXY_CPU, load generator and server on CPU $LOAD_CPU."
    SUMMARY=()
    for shape in $SHAPES; do
        conns=${shape%x*}; inflight=${shape#*x}
        echo
        echo "## $conns connections x $inflight in flight ($shape)"
        echo
        echo "| peer | req/s | p99 us | proxy CPU us/req | proxy busy % | load core busy % | other load on proxy core % |"
        echo "|---|---:|---:|---:|---:|---:|---:|"
        for peer in "${ACTIVE[@]}"; do
            echo "| $peer | $(fmt "$(median "$shape" "$peer" 4)" 0) | $(fmt "$(median "$shape" "$peer" 5)" 0)" \
                "| $(fmt "$(median "$shape" "$peer" 6)" 2) | $(fmt "$(median "$shape" "$peer" 11)" 0)" \
                "| $(fmt "$(median "$shape" "$peer" 7)" 0) | $(fmt "$(median "$shape" "$peer" 8)" 0) |"
        done
        echo
        di_rps=$(median "$shape" direct 4); hp_rps=$(median "$shape" haproxy 4); md_rps=$(median "$shape" meshedge 4)
        bp_rps=$(median "$shape" meshedge-bp 4)
        me_ratio=$(ratio "$md_rps" "$di_rps"); hp_ratio=$(ratio "$hp_rps" "$di_rps"); bp_ratio=$(ratio "$bp_rps" "$di_rps")
        uses meshedge && echo "- meshedge / direct requests/s: **$me_ratio** (target: at least $TARGET_RATIO): $(verdict "$me_ratio")"
        uses meshedge-bp && echo "- meshedge-bp / direct requests/s: **$bp_ratio** (target: at least $TARGET_RATIO): $(verdict "$bp_ratio")"
        uses haproxy && echo "- haproxy / direct requests/s: $hp_ratio (reference: a plain relay on the same core)"
        uses meshedge && uses haproxy \
            && echo "- meshedge / haproxy CPU per request: $(ratio "$(median "$shape" meshedge 6)" "$(median "$shape" haproxy 6)")"
        uses meshedge-bp && uses haproxy \
            && echo "- meshedge-bp / haproxy CPU per request: $(ratio "$(median "$shape" meshedge-bp 6)" "$(median "$shape" haproxy 6)")"
        noisy=$(awk -F'\t' -v s="$shape" '$1 == s && $8 > 5 { printf "%s%s round %s (%s%%)", (n++ ? ", " : ""), $3, $2, $8 }' "$TMP/rows.tsv")
        [[ -z $noisy ]] || echo "- other load above 5% on the proxy's core in: $noisy"
        errs=$(awk -F'\t' -v s="$shape" '$1 == s && $10 > 0 { printf "%s%s round %s: %s", (n++ ? ", " : ""), $3, $2, $10 }' "$TMP/rows.tsv")
        [[ -z $errs ]] || echo "- ERRORS (error responses counted by the load generator): $errs"
        SUMMARY+=("| $shape | $me_ratio ($(verdict "$me_ratio")) | $bp_ratio ($(verdict "$bp_ratio")) | $hp_ratio |")
    done
    echo
    echo "## Summary (requests/s ratios, medians)"
    echo
    echo "| shape | meshedge/direct | meshedge-bp/direct | haproxy/direct (reference) |"
    echo "|---|---:|---:|---:|"
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
    TMP=$(mktemp -d /tmp/meshedge-bench-bolt.XXXXXX)
    log "building BoltLoad"
    # No build servers: they would outlive the script.
    dotnet build "$SCRIPT_DIR/BoltLoad" -c Release -o "$TMP/bolt-load" -nologo -v quiet --disable-build-servers >"$TMP/build.log" 2>&1 \
        || { cat "$TMP/build.log" >&2; die "building bench/bolt/BoltLoad failed"; }
    LOAD="$TMP/bolt-load/BoltLoad"

    start_server
    PORT_OF[direct]=$SERVER_PORT; PID_OF[direct]=""
    uses haproxy && start_haproxy
    uses meshedge && start_meshedge meshedge 0s
    uses meshedge-bp && start_meshedge meshedge-bp "$BUSY_POLL"
    local peer
    for peer in "${ACTIVE[@]}"; do
        check_peer "$peer"
        log "$peer on 127.0.0.1:${PORT_OF[$peer]}${PID_OF[$peer]:+ (pid ${PID_OF[$peer]})}"
    done

    : >"$TMP/rows.tsv"
    local shape conns inflight r i n=${#ACTIVE[@]}
    for shape in $SHAPES; do
        conns=${shape%x*}; inflight=${shape#*x}
        if [[ $WARMUP != 0 ]]; then
            log "shape $shape: warm-up, ${WARMUP}s per peer"
            for peer in "${ACTIVE[@]}"; do run_load "${PORT_OF[$peer]}" "$conns" "$inflight" "$WARMUP"; done
        fi
        for ((r = 1; r <= RUNS; r++)); do
            for ((i = 0; i < n; i++)); do
                measure "${ACTIVE[$(((i + r - 1) % n))]}" "$shape" "$r" "$conns" "$inflight"
            done
        done
    done

    report >"$TMP/report.md"
    mkdir -p "$RESULTS_DIR"
    local out
    out="$RESULTS_DIR/bolt-$(date -u +%Y%m%dT%H%M%SZ).md"
    cp "$TMP/report.md" "$out"
    cat "$TMP/report.md"
    log "report written to $out"
}

main "$@"
