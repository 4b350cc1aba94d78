#!/usr/bin/env bash
# bench/tls/run.sh - TLS termination (issue 17): MeshEdge `[listeners.tls]` vs nginx `listen ... ssl`
# vs HAProxy `bind ... ssl`, each proxying to the rig's nginx backend (plaintext, 64-byte body).
#
# The rig of bench/http (see bench/README.md): each proxy with one worker/thread/process pinned to
# PROXY_CPU, the load and the backend on LOAD_CPU, peers interleaved within each round (order rotated
# per round), /proc readings around each run. For each key type (ECDSA P-256, RSA 2048; one
# certificate made with openssl at the start, the same file for every proxy), three figures:
#   - full handshakes: HS_CLIENTS `openssl s_time -new -www /` at once (a new session for every
#     connection, never resumed: one handshake and one HTTP/1.0 request per connection); the proxy's
#     CPU per handshake from /proc, and handshakes per second;
#   - keep-alive HTTPS: `wrk -t1 -cCONNS` over https (one handshake per connection, then requests);
#     the proxy's CPU per request;
#   - memory per idle TLS connection: IDLE_CONNS connections (bench/tls/idle_tls.py), each through its
#     handshake and one request, then idle; (RSS held - RSS before) / IDLE_CONNS, once per peer, and
#     the same over the second half alone (RSS read again with half of them open): what each further
#     connection costs, without what the first ones fault in once (code, heap growth; for MeshEdge
#     all that its idle trim gave back while the other peers were measured).
# Every proxy speaks only TLS_VERSION (1.3 by default), with its own default groups, ciphers and
# tickets: nginx and HAProxy keep OpenSSL's (TLS 1.3 suites with AES-256-GCM first, two tickets),
# MeshEdge its own (AES-128-GCM first, its order deciding; one ticket; session_tickets in README.md).
# The machine may be shared: only ratios between peers of the same run mean anything.
#
# Environment (all optional), besides the rig's DURATION RUNS WARMUP PROXY_CPU LOAD_CPU RESULTS_DIR MESHEDGE:
#   KEYS="ecdsa rsa"    key types          PEERS="nginx haproxy meshedge"
#   CONNS=32            wrk connections    HS_CLIENTS=4  parallel s_time clients
#   HS_RUNS=2*RUNS HS_DURATION=DURATION/2  the handshake rounds: twice as many, half as long (the same
#                       time), so that the median of a rate the load core bounds moves less from round to round
#   IDLE_CONNS=2000     idle TLS connections per peer (0: skip)     TLS_VERSION=1.3
# shellcheck disable=SC2119  # the rig's functions with optional arguments, called without
set -euo pipefail

FORWARD_HEADERS=${FORWARD_HEADERS:-0}   # the TLS cost alone: no proxy adds headers
# shellcheck source=bench/rig/rig.sh
source "$(dirname "${BASH_SOURCE[0]}")/../rig/rig.sh"
TLS_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

CONNS=${CONNS:-32}
HS_CLIENTS=${HS_CLIENTS:-4}
HS_RUNS=${HS_RUNS:-$((RUNS * 2))}
HS_DURATION=${HS_DURATION:-$(((DURATION + 1) / 2))}
IDLE_CONNS=${IDLE_CONNS:-2000}
KEYS=${KEYS:-ecdsa rsa}
PEERS=${PEERS:-nginx haproxy meshedge}
TLS_VERSION=${TLS_VERSION:-1.3}
# shellcheck disable=SC2034  # read by the rig's wrk_load
WRK_SCHEME=https

# Targets of issue 17 (MeshEdge against the better of nginx and HAProxy, medians of the same run).
TARGET_HS_RATIO=1.0       # handshakes/s on one core, at least (read as CPU per handshake, at most 1.0)
TARGET_CPU_RATIO=0.9      # keep-alive CPU per request, at most
TARGET_IDLE_BYTES=16384   # RSS per idle TLS connection, under

# --------------------------------------------------------------------------------------------------
make_certificate() {   # make_certificate KEY -> $TMP/KEY.pem, $TMP/KEY.key, $TMP/KEY.both (HAProxy's: chain then key)
    local key=$1 args
    case $key in
        ecdsa) args=(-newkey ec -pkeyopt ec_paramgen_curve:P-256) ;;
        rsa) args=(-newkey rsa:2048) ;;
        *) die "unknown key type '$key' in KEYS (ecdsa, rsa)" ;;
    esac
    openssl req -x509 "${args[@]}" -nodes -keyout "$TMP/$key.key" -out "$TMP/$key.pem" -days 2 \
        -subj "/CN=bench" -addext "subjectAltName=DNS:bench" 2>/dev/null || die "openssl could not make the $key certificate"
    cat "$TMP/$key.pem" "$TMP/$key.key" >"$TMP/$key.both"
}

# The proxies of bench/http, with TLS on their listener (the same certificate file, versions pinned).
start_tls_proxy() {   # start_tls_proxy PEER (start_peers' FN) for the key in KEY
    local port v=TLSv$TLS_VERSION
    pick_port port
    case $1 in
        nginx)
            NGINX_LISTEN_OPTS="ssl" NGINX_SERVER_EXTRA="ssl_certificate $TMP/$KEY.pem; ssl_certificate_key $TMP/$KEY.key; ssl_protocols $v;" \
                start_nginx_proxy "$port" "$NGINX_PORT" ;;
        haproxy)
            HAPROXY_BIND_OPTS="ssl crt $TMP/$KEY.both ssl-min-ver $v ssl-max-ver $v" start_haproxy "$port" "$NGINX_PORT" ;;
        meshedge)
            meshedge_usable || { skip_peer meshedge "$MESHEDGE_SKIP_REASON"; return 0; }
            MESHEDGE_LISTENER_TABLES="
[listeners.tls]
min_version = \"$TLS_VERSION\"
max_version = \"$TLS_VERSION\"
[[listeners.tls.certificates]]
certificate_chain = \"$TMP/$KEY.pem\"
private_key = \"$TMP/$KEY.key\"
" start_meshedge "$port" "$NGINX_PORT" "meshedge-$KEY" || { skip_peer meshedge "$MESHEDGE_SKIP_REASON"; return 0; } ;;
    esac
    local body
    body=$(curl -sk --max-time "${CHECK_SECONDS:-5}" "https://127.0.0.1:$port/") || true
    # shellcheck disable=SC2153  # BODY: the rig's backend body
    [[ $body == "$BODY" ]] || die "$1 over TLS does not return the backend's body (got '${body:0:80}')"
    add_peer "$1" "$port" "$STARTED_PID"
}

stop_peers() {   # the peers of one key type, before the next one starts
    local peer
    for peer in "${ACTIVE[@]}"; do [[ -z ${PID_OF[$peer]:-} ]] || stop_pid "${PID_OF[$peer]}"; done
    ACTIVE=() PORT_OF=() PID_OF=()
}

# --------------------------------------------------------------------------------------------------
# Full handshakes: HS_CLIENTS s_time processes on the load core for SECONDS; appends to $TMP/hs-KEY.tsv:
#   1 peer 2 round 3 handshakes/s 4 cpu_us/handshake 5 usr 6 sys 7 handshakes per CPU-s 8 core_us 9 handshakes
#   10 client_us: the s_time clients' own CPU (user + system) per handshake. The load core, not the
#      proxy's, bounds the rate (the client verifies the server's signature and reads each record the
#      server sends), so what a proxy makes its clients pay shows here and decides handshakes/s.
#   11 load_busy: the load core's busy share over the run, in percent (near 100: the rate is what
#      that core can do, and the clients' CPU per handshake is the figure that decides it)
run_handshakes() {   # run_handshakes PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 secs=$3 record=$4 i total=0 n pids=() ticks=0 t
    window_open "$peer" "${PID_OF[$peer]}"
    for ((i = 0; i < HS_CLIENTS; i++)); do
        # The wrapper shell prints its reaped child's CPU ticks (cutime + cstime of /proc/PID/stat).
        # shellcheck disable=SC2016  # expanded by the inner shell
        "${ON_LOAD[@]}" sh -c 'openssl s_time -connect "$1" -new -www / -time "$2" >"$3" 2>&1; out=$4; read -r stat <"/proc/$$/stat"; set -- ${stat##*) }; echo "$((${14} + ${15}))" >"$out"' \
            _ "127.0.0.1:${PORT_OF[$peer]}" "$secs" "$TMP/stime-$peer-$round-$i.txt" "$TMP/stime-$peer-$round-$i.ticks" &
        pids+=($!)
    done
    for i in "${pids[@]}"; do wait "$i" || true; done
    window_close
    ((record)) || return 0
    for ((i = 0; i < HS_CLIENTS; i++)); do
        n=$(awk '/connections in [0-9.]+ real seconds/ { print $1; exit }' "$TMP/stime-$peer-$round-$i.txt")
        [[ -n $n ]] || { cat "$TMP/stime-$peer-$round-$i.txt" >&2; die "s_time against $peer gave no count"; }
        total=$((total + n))
        t=$(cat "$TMP/stime-$peer-$round-$i.ticks" 2>/dev/null) || t=0
        ticks=$((ticks + t))
    done
    ((total > 0)) || die "no handshake completed against $peer"
    local cpu usr sys rpc core
    read -r cpu usr sys rpc core < <(cpu_per_request "$total")
    local client busy
    client=$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" -v n="$total" 'BEGIN{printf "%.0f", t * 1e6 / hz / n}')
    busy=$(awk -v b="$W_LCORE_BUSY" -v a="$W_LCORE_ALL" 'BEGIN{ if (a > 0) printf "%.0f", 100 * b / a; else print "-" }')
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$round" "$(awk -v n="$total" -v s="$secs" 'BEGIN{printf "%.0f", n/s}')" \
        "$cpu" "$usr" "$sys" "$rpc" "$core" "$total" "$client" "$busy" >>"$TMP/hs-$KEY.tsv"
    log "$(printf '%-9s %s round %s: %s handshakes, %s us CPU per handshake, the clients %s us, the load core %s%% busy' "$peer" "$KEY" "$round" "$total" "$cpu" "$client" "$busy")"
}

handshake_rounds() {   # HS_RUNS rounds of HS_DURATION seconds (the rig's rounds read DURATION), after the warm-up
    local DURATION=$HS_DURATION
    warm_up run_handshakes
    rounds "$HS_RUNS" run_handshakes
}

# Keep-alive HTTPS: wrk; appends to $TMP/ka-KEY.tsv: 1 peer 2 round 3 rps 4 cpu_us/req 5 usr 6 sys 7 req per CPU-s 8 core_us 9 requests 10 errors
run_keepalive() {   # run_keepalive PEER ROUND SECONDS RECORD
    local peer=$1 round=$2 out="$TMP/wrk-$1-$2-$KEY.txt"
    wrk_window "$peer" "$3" "$out"
    (($4)) || return 0
    wrk_result "$peer" "$round" "$out"
    local cpu usr sys rpc core
    read -r cpu usr sys rpc core < <(cpu_per_request "$WRK_REQUESTS")
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$round" "$WRK_RPS" "$cpu" "$usr" "$sys" "$rpc" "$core" "$WRK_REQUESTS" "$WRK_ERRORS" >>"$TMP/ka-$KEY.tsv"
    log "$(printf '%-9s %s round %s: %s req/s, %s us CPU per request' "$peer" "$KEY" "$round" "$WRK_RPS" "$cpu")"
}

# Idle TLS connections, once per peer; appends to $TMP/idle.tsv: 1 peer 2 key 3 rss_before_kb 4 rss_held_kb
#   5 bytes_per_conn 6 rss_half_kb 7 bytes_per_conn of the second half
measure_idle() {   # measure_idle PEER
    local peer=$1 pid=${PID_OF[$1]} fifo="$TMP/hold-$1" out="$TMP/idle-$1.txt" before half held fd hold first=$((IDLE_CONNS / 2))
    [[ -n $pid ]] || return 0
    mkfifo "$fifo"
    before=$(status_kb "$pid" VmRSS)
    "${ON_LOAD[@]}" python3 "$TLS_DIR/idle_tls.py" "${PORT_OF[$peer]}" "$IDLE_CONNS" "$first" <"$fifo" >"$out" 2>&1 &
    hold=$!
    PIDS+=("$hold")
    exec {fd}>"$fifo"
    wait_idle_ready "$peer" "$hold" "$out" "$first"
    half=$(status_kb "$pid" VmRSS)
    echo more >&"$fd"
    wait_idle_ready "$peer" "$hold" "$out" "$IDLE_CONNS"
    held=$(status_kb "$pid" VmRSS)
    exec {fd}>&-
    wait "$hold" || die "the idle TLS client ended with status $?"
    forget_pid "$hold"
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$peer" "$KEY" "$before" "$held" "$(awk -v a="$before" -v b="$held" -v n="$IDLE_CONNS" 'BEGIN{printf "%.0f", (b - a) * 1024 / n}')" \
        "$half" "$(awk -v a="$half" -v b="$held" -v n="$((IDLE_CONNS - first))" 'BEGIN{printf "%.0f", (b - a) * 1024 / n}')" >>"$TMP/idle.tsv"
    log "$peer ($KEY): RSS $before KiB before, $half KiB with $first idle TLS connections, $held KiB with $IDLE_CONNS"
}

wait_idle_ready() {   # wait_idle_ready PEER HOLD_PID OUT N: until idle_tls.py says "ready N" (1 s after, the reading)
    local peer=$1 hold=$2 out=$3 n=$4
    for _ in $(seq 1 1800); do
        grep -q "^ready $n\$" "$out" && break
        kill -0 "$hold" 2>/dev/null || { cat "$out" >&2; die "the idle TLS connections to $peer failed"; }
        sleep 0.1
    done
    grep -q "^ready $n\$" "$out" || die "the idle TLS connections to $peer were not ready within 180s"
    sleep 1
}

# --------------------------------------------------------------------------------------------------
main() {
    need_commands haproxy:haproxy nginx:nginx-light wrk:wrk taskset:util-linux curl:curl openssl:openssl python3:python3
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    want_peers nginx haproxy meshedge
    rig_tmp tls
    pin_cores
    start_nginx_backend ""
    : >"$TMP/idle.tsv"
    for KEY in $KEYS; do
        make_certificate "$KEY"
        : >"$TMP/hs-$KEY.tsv"
        : >"$TMP/ka-$KEY.tsv"
        start_peers start_tls_proxy
        if ((IDLE_CONNS > 0)) && [[ $KEY == "${KEYS%% *}" ]]; then
            for peer in "${ACTIVE[@]}"; do measure_idle "$peer"; done
        fi
        handshake_rounds
        run_rounds run_keepalive
        stop_peers
    done
    publish_report report "tls-$(date +%Y%m%d-%H%M%S).md"
}

target_rows() {   # target_rows KEY: the ratio lines of one key type
    local key=$1 hs="$TMP/hs-$1.tsv" ka="$TMP/ka-$1.tsv" m n h b r
    m=$(median_of "$hs" meshedge 3); n=$(median_of "$hs" nginx 3); h=$(median_of "$hs" haproxy 3); b=$(best_of max "$n" "$h")
    r=$(ratio "$m" "$b")
    echo "| $key | handshakes/s | $(ratio "$m" "$n") | $(ratio "$m" "$h") | **$r** | >= $TARGET_HS_RATIO | **$(verdict "$r" ">=" "$TARGET_HS_RATIO")** |"
    m=$(median_of "$hs" meshedge 4); n=$(median_of "$hs" nginx 4); h=$(median_of "$hs" haproxy 4); b=$(best_of min "$n" "$h")
    r=$(ratio "$m" "$b")
    echo "| $key | CPU per handshake | $(ratio "$m" "$n") | $(ratio "$m" "$h") | **$r** | <= $TARGET_HS_RATIO | **$(verdict "$r" "<=" "$TARGET_HS_RATIO")** |"
    m=$(median_of "$ka" meshedge 4); n=$(median_of "$ka" nginx 4); h=$(median_of "$ka" haproxy 4); b=$(best_of min "$n" "$h")
    r=$(ratio "$m" "$b")
    echo "| $key | keep-alive CPU per request | $(ratio "$m" "$n") | $(ratio "$m" "$h") | **$r** | <= $TARGET_CPU_RATIO | **$(verdict "$r" "<=" "$TARGET_CPU_RATIO")** |"
}

report() {
    local key peer
    echo "# TLS termination benchmark $(date '+%Y-%m-%d %H:%M:%S %Z')"
    echo
    host_line
    echo "- peers: $PEERS; backend: $(nginx_version), plaintext, 64-byte body; TLS $TLS_VERSION; keys: $KEYS (one self-signed certificate each, the same files for every proxy)"
    echo "- nginx: $(nginx_version), one process; haproxy: $(haproxy_version), nbthread 1; meshedge: $(meshedge_label), workers = 1; none adds headers"
    echo "- handshakes: $HS_CLIENTS x \`openssl s_time -new -www /\` ($(openssl version)), a full handshake and one HTTP/1.0 request per connection; $HS_RUNS rounds of ${HS_DURATION}s, peers interleaved"
    echo "- keep-alive: wrk -t1 -c$CONNS -d${DURATION}s over https; $RUNS rounds, peers interleaved (order rotates per round), ${WARMUP}s warm-up each"
    pinning_line "the load (s_time, wrk, idle_tls.py) + backend nginx"
    readings_lines
    for key in $KEYS; do
        echo
        echo "## $key: full handshakes"
        echo
        echo "| peer | run | handshakes/s | CPU us/handshake | usr us | sys us | handshakes per CPU-s | core us/handshake | handshakes | clients' CPU us/handshake | load core busy % |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
        for peer in "${WANTED[@]}"; do peer_rows "$TMP/hs-$key.tsv" "$peer" 3 4 5 6 7 8 9:- 10 11; done
        echo
        noisy_note "$TMP/hs-$key.tsv" 4 8
        echo "## $key: keep-alive HTTPS requests"
        echo
        echo "| peer | run | req/s | CPU us/req | usr us | sys us | req per CPU-s | core us/req | requests | errors |"
        echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
        for peer in "${WANTED[@]}"; do peer_rows "$TMP/ka-$key.tsv" "$peer" 3 4 5 6 7 8 9:- 10:-; done
        echo
        noisy_note "$TMP/ka-$key.tsv" 4 8
    done
    if [[ -s $TMP/idle.tsv ]]; then
        echo "## Memory per idle TLS connection ($IDLE_CONNS connections, each after its handshake and one request)"
        echo
        echo "| peer | key | RSS before MiB | RSS with half MiB | RSS held MiB | bytes per connection | bytes per connection, second half |"
        echo "|---|---|---:|---:|---:|---:|---:|"
        awk -F'\t' '{ printf "| %s | %s | %.1f | %.1f | %.1f | %s | %s |\n", $1, $2, $3 / 1024, $6 / 1024, $4 / 1024, $5, $7 }' "$TMP/idle.tsv"
        echo
        echo "The second half's figure leaves out what the first connections fault in once (code pages, heap growth after an idle trim); the target row reads the stricter figure over all of them."
        echo
    fi
    echo "## Ratios and the targets of issue 17 (medians of this run; MeshEdge against the better peer)"
    echo
    echo "| key | figure | MeshEdge/nginx | MeshEdge/HAProxy | MeshEdge/better | target | |"
    echo "|---|---|---:|---:|---:|---|---|"
    for key in $KEYS; do target_rows "$key"; done
    local idle
    idle=$(awk -F'\t' '$1 == "meshedge" { print $5; exit }' "$TMP/idle.tsv")
    echo "| ${KEYS%% *} | bytes per idle TLS connection | | | **${idle:--}** | < $TARGET_IDLE_BYTES | **$(verdict "${idle:--}" "<" "$TARGET_IDLE_BYTES")** |"
    echo
    echo "Handshakes/s is bounded by the load core too (s_time's own handshake work); CPU per handshake on the proxy's core is the figure to read."
    echo "The clients' CPU per handshake (last column of the handshake tables) is what each proxy makes the load core pay; the handshakes/s ratios per round, peers measured back to back, move less than the medians of rounds far apart:"
    echo
    for key in $KEYS; do
        echo "- $key handshakes/s, MeshEdge/nginx per round: $(paired_ratios "$TMP/hs-$key.tsv" 3 meshedge nginx); MeshEdge/HAProxy: $(paired_ratios "$TMP/hs-$key.tsv" 3 meshedge haproxy)"
        echo "- $key clients' CPU per handshake, medians: nginx $(fmt_num "$(median_of "$TMP/hs-$key.tsv" nginx 10)") us, HAProxy $(fmt_num "$(median_of "$TMP/hs-$key.tsv" haproxy 10)") us, MeshEdge $(fmt_num "$(median_of "$TMP/hs-$key.tsv" meshedge 10)") us"
        echo "- $key load core busy during the handshake runs, medians: nginx $(median_of "$TMP/hs-$key.tsv" nginx 11)%, HAProxy $(median_of "$TMP/hs-$key.tsv" haproxy 11)%, MeshEdge $(median_of "$TMP/hs-$key.tsv" meshedge 11)% (near 100: the rate is the load core's, not the proxy's)"
    done
    echo
    same_run_line
}

# Sourced (bench/tls/count.sh takes its certificates and proxies from here): define only.
[[ ${BASH_SOURCE[0]} != "$0" ]] || main "$@"
