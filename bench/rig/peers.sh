# bench/rig/peers.sh - the peers: pinning to cores, starting nginx / HAProxy / MeshEdge (and any other
# server) pinned and waiting for their ports, and the list of peers a run measures.
#
# A scenario lists its peers with want_peers, starts them with start_peers and its own start_peer
# function, which calls add_peer (measured) or skip_peer (left out, with the reason) for each.
# shellcheck shell=bash disable=SC2034  # the globals set here are read by the scenarios

# --------------------------------------------------------------------------------------------------
# Pinning. Command prefixes, arrays rather than shell functions: a backgrounded function would run in
# a subshell and $! would be that subshell, not the server (taskset execs, keeping the PID).
PIN=1
ON_PROXY=(taskset -c "$PROXY_CPU")
ON_LOAD=(taskset -c "$LOAD_CPU")

pin_cores() {   # pin_cores [required]: without two usable cores run unpinned (PIN=0) and say so, or (required) stop
    local ncpu
    ncpu=$(nproc)
    if ((ncpu < 2)) || ! taskset -c "$PROXY_CPU" true 2>/dev/null || ! taskset -c "$LOAD_CPU" true 2>/dev/null; then
        [[ ${1:-} == required ]] && die "cannot pin to CPUs $PROXY_CPU and $LOAD_CPU ($ncpu CPUs): this bench needs two cores"
        PIN=0 ON_PROXY=() ON_LOAD=()
        log "warning: cannot pin to cores $PROXY_CPU/$LOAD_CPU ($ncpu CPUs); running unpinned, figures are noisier"
    fi
}

affinity_of() { awk '/^Cpus_allowed_list:/{print $2}' "/proc/$1/status" 2>/dev/null || echo "?"; }

# --------------------------------------------------------------------------------------------------
# Starting servers.

# started PID NAME COMM LOG PORT...: book PID (just started in the background) for cleanup and wait
# until it listens on each PORT; it must then be COMM itself, not a wrapper. Sets STARTED_PID.
# Returns 1 when it did not listen (LOG's tail shown, the process stopped).
started() {
    local pid=$1 name=$2 comm=$3 logf=$4 port
    shift 4
    STARTED_PID=$pid
    PIDS+=("$pid")
    for port in "$@"; do
        wait_port "$port" "$pid" "$name" "$logf" || { stop_pid "$pid"; return 1; }
    done
    expect_comm "$pid" "$comm"
}

launch_haproxy() {   # launch_haproxy CFG LOG PORT: check CFG, run HAProxy on it in the foreground on the proxy core; sets STARTED_PID
    haproxy -c -q -f "$1" || die "haproxy rejected its config"
    "${ON_PROXY[@]}" haproxy -db -f "$1" >"$2" 2>&1 &
    started $! haproxy haproxy "$2" "$3" || die "haproxy did not start"
}

haproxy_maxconn() {   # HAProxy refuses to start when 2 x maxconn exceeds the descriptor limit: as high as it allows
    local nofile maxconn=100000
    nofile=$(ulimit -n)
    [[ $nofile == unlimited ]] || ((maxconn = (nofile - 200) / 2 < 100000 ? (nofile - 200) / 2 : 100000))
    echo "$maxconn"
}

# launch_nginx proxy|load DIR PORT NAME: check DIR/nginx.conf, run nginx on it (prefix DIR, error log
# DIR/error.log) on the proxy's or the load's core; sets STARTED_PID.
launch_nginx() {
    local on=("${ON_LOAD[@]}") dir=$2 port=$3 name=$4
    [[ $1 == proxy ]] && on=("${ON_PROXY[@]}")
    nginx -t -q -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" || die "$name rejected its config"
    "${on[@]}" nginx -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" >"$dir/stdout.log" 2>&1 &
    started $! "$name" nginx "$dir/error.log" "$port" || die "$name did not start"
}

# The backend of the HTTP-over-TCP scenarios: nginx, 1 worker, access log off, keep-alive effectively
# unlimited, `return 200` with the 64-byte BODY, on the load core. start_nginx_backend [SERVER_BLOCK]
# (an extra server { } of the scenario's own) sets NGINX_PORT and NGINX_PID.
BODY="meshedge-bench-0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLM"   # 64 bytes
((${#BODY} == 64)) || { echo "internal: body is ${#BODY} bytes, not 64" >&2; exit 2; }
NGINX_PID="" NGINX_PORT=""
start_nginx_backend() {
    pick_port NGINX_PORT
    mkdir -p "$TMP/nginx/logs"
    cat >"$TMP/nginx/nginx.conf" <<CONF
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
    ${1:-}
}
CONF
    launch_nginx load "$TMP/nginx" "$NGINX_PORT" nginx
    NGINX_PID=$STARTED_PID
    log "nginx backend on 127.0.0.1:$NGINX_PORT (pid $NGINX_PID, cpus $(affinity_of "$NGINX_PID"))"
}

MESHEDGE_SKIP_REASON=""
meshedge_usable() {   # 0 when MESHEDGE is an executable; else 1 with MESHEDGE_SKIP_REASON
    if [[ ! -e $MESHEDGE ]]; then
        MESHEDGE_SKIP_REASON="binary not found at $MESHEDGE (build it, or set MESHEDGE=/path/to/meshedge)"
    elif [[ ! -x $MESHEDGE ]]; then
        MESHEDGE_SKIP_REASON="$MESHEDGE is not executable"
    else
        return 0
    fi
    return 1
}

# launch_meshedge CFG LOG PORT...: `meshedge run -c CFG` on the proxy core, with the environment
# MESHEDGE_ENV (an array of VAR=VALUE, empty by default), until it listens on every PORT; sets
# STARTED_PID. 1 with MESHEDGE_SKIP_REASON (the process stopped) when it does not listen.
MESHEDGE_ENV=()
launch_meshedge() {
    local cfg=$1 logf=$2
    shift 2
    env "${MESHEDGE_ENV[@]}" "${ON_PROXY[@]}" "$MESHEDGE" run -c "$cfg" >"$logf" 2>&1 &
    started $! meshedge "$(basename "$MESHEDGE" | cut -c1-15)" "$logf" "$@" && return 0
    MESHEDGE_SKIP_REASON="meshedge did not start listening (config $cfg); see its log above"
    return 1
}

# --------------------------------------------------------------------------------------------------
# The peers of a run. WANTED: PEERS, checked; ACTIVE: those started, in PEERS order (the first
# round's order); PORT_OF: where the load goes; PID_OF: the proxy process whose CPU is measured
# (empty for direct).
declare -gA PORT_OF=() PID_OF=()
WANTED=() ACTIVE=()

want_peers() {   # want_peers KNOWN...: PEERS into WANTED; an unknown name, or none, stops the script
    local peer known
    known=$(printf '%s, ' "$@")
    WANTED=()
    for peer in $PEERS; do
        [[ " $* " == *" $peer "* ]] || die "unknown peer '$peer' in PEERS (${known%, })"
        WANTED+=("$peer")
    done
    ((${#WANTED[@]} > 0)) || die "no peers in PEERS"
}
wanted() { [[ " ${WANTED[*]} " == *" $1 "* ]]; }
is_active() { [[ " ${ACTIVE[*]} " == *" $1 "* ]]; }

start_peers() {   # start_peers FN: FN PEER for each wanted peer, in order; FN calls add_peer or skip_peer
    local peer
    for peer in "${WANTED[@]}"; do "$1" "$peer"; done
    ((${#ACTIVE[@]} > 0)) || die "no peers to measure"
}

add_peer() {   # add_peer PEER PORT [PID]
    PORT_OF[$1]=$2
    PID_OF[$1]=${3:-}
    ACTIVE+=("$1")
    if [[ -n ${3:-} ]]; then
        log "$1 on 127.0.0.1:$2 (pid $3, cpus $(affinity_of "$3"))"
    else
        log "$1 on 127.0.0.1:$2"
    fi
}
skip_peer() { log "SKIPPING $1: $2"; }   # skip_peer PEER REASON

# restart_peer FN PEER: stop PEER's process and start it afresh with FN PEER (start_peers' FN),
# keeping its place in ACTIVE; for scenarios that measure a process from its start (footprint).
restart_peer() {
    local keep=("${ACTIVE[@]}")
    [[ -z ${PID_OF[$2]:-} ]] || stop_pid "${PID_OF[$2]}"
    "$1" "$2"
    ACTIVE=("${keep[@]}")
    [[ -z ${PID_OF[$2]:-} ]] || kill -0 "${PID_OF[$2]}" 2>/dev/null || die "$2 did not start again"
}
