# bench/bolt/bolt.sh - what the Bolt scenarios (run.sh, percall.sh) share, sourced after bench/rig/rig.sh:
# the BoltLoad build, its echo server, the HAProxy and MeshEdge configs that relay Bolt to it, and
# reading the generator's result line.
# shellcheck shell=bash

BOLT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BOLT_SERVICE="com.meshedge.Bench:1.0"

# Both .NET peers (generator and server) run with DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0: their
# thread pools otherwise spin (sched_yield) while waiting for the next completion, which costs nothing
# when the answer comes from the same core (direct) but burns the load core while the answer is on
# its way through the proxy's core (~5x the generator's sched_yield calls per request, measured).
PEER_ENV=(env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)

build_bolt_load() {   # builds bench/bolt/BoltLoad into $TMP; sets LOAD
    log "building BoltLoad"
    # No build servers: they would outlive the script.
    dotnet build "$BOLT_DIR/BoltLoad" -c Release -o "$TMP/bolt-load" -nologo -v quiet --disable-build-servers >"$TMP/build.log" 2>&1 \
        || { cat "$TMP/build.log" >&2; die "building bench/bolt/BoltLoad failed"; }
    LOAD="$TMP/bolt-load/BoltLoad"
}

start_bolt_server() {   # start_bolt_server PAYLOAD: BoltLoad's echo server on the load core; sets SERVER_PORT
    pick_port SERVER_PORT
    "${PEER_ENV[@]}" "${ON_LOAD[@]}" "$LOAD" server "$SERVER_PORT" "$1" >"$TMP/server.log" 2>&1 &
    started $! "echo server" BoltLoad "$TMP/server.log" "$SERVER_PORT" || die "the echo server did not start"
}

# bolt_haproxy_config MAXCONN: HAProxy's global and defaults for a plain `mode tcp` relay, to stdout.
bolt_haproxy_config() {
    cat <<EOF
global
    nbthread 1
    maxconn $1
defaults
    mode tcp
    maxconn $1
    timeout connect 5s
    timeout client 1h
    timeout server 1h
EOF
}

# bolt_haproxy_listen NAME SERVER PORT SERVER_PORT: a `listen` section relaying 127.0.0.1:PORT to the
# server at 127.0.0.1:SERVER_PORT, to stdout.
bolt_haproxy_listen() {
    printf 'listen %s\n    bind 127.0.0.1:%s\n    server %s 127.0.0.1:%s\n' "$1" "$3" "$2" "$4"
}

# bolt_meshedge_runtime [BUSY_POLL]: MeshEdge's [runtime] for the benches (one worker, quiet log), to stdout.
bolt_meshedge_runtime() {
    printf '[runtime]\nworkers = 1\nlog_level = "warn"\n'
    [[ -z ${1:-} ]] || printf 'busy_poll = "%s"\n' "$1"
}

# bolt_meshedge_route LISTENER CLUSTER PORT SERVER_PORT: a Bolt listener on 127.0.0.1:PORT routing
# BOLT_SERVICE to a cluster of the one host 127.0.0.1:SERVER_PORT, to stdout. CONNECTIONS_PER_HOST, when
# set, is the listener's connections_per_host (default 4: each client connection has its own upstream
# connection, as the relay gives it, up to 4 per host; 1 shares one among all client connections). RPC_EXTRA, when set, is more
# lines for the rpc_proxy table (a second MeshEdge peer's settings in an A/B: MESHEDGE_B_RPC).
bolt_meshedge_route() {
    cat <<EOF
[[listeners]]
name = "$1"
address = "127.0.0.1:$3"
protocol = "bolt"
[listeners.rpc_proxy]
${CONNECTIONS_PER_HOST:+connections_per_host = $CONNECTIONS_PER_HOST}
${RPC_EXTRA:-}
routes = [ { match = { service = "$BOLT_SERVICE" }, cluster = "$2" } ]
[[clusters]]
name = "$2"
hosts = ["127.0.0.1:$4"]
EOF
}

field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }   # field NAME LINE: NAME=value from the generator's line
