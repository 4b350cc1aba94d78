# bench/h2/proxies.sh - the peers of bench/h2 for the current SHAPE: each h2 (h2c, prior knowledge) from
# the client, one worker/thread/process pinned to PROXY_CPU, keep-alive on both sides, no access log;
# the nginx, HAProxy and MeshEdge configs are the rig's (bench/rig/http_proxies.sh) with h2 switched on.
#   peer         get (to nginx)           grpc (to @grpc/grpc-js)
#   direct       h2load -> nginx h2c      h2load -> grpc-js
#   nginx        h2 in, HTTP/1.1 out      h2 in, grpc_pass (h2) out
#   haproxy      h2 in, HTTP/1.1 out      skipped (gRPC needs h2 to the origin: haproxy-h2)
#   haproxy-h2   h2 in, h2 out            h2 in, h2 out
#   nghttpx      h2 in, HTTP/1.1 out      h2 in, h2 out (backend proto=h2)
#   meshedge     h2 in, HTTP/1.1 out      skipped (gRPC needs h2 to the origin: meshedge-h2)
#   meshedge-h2  h2 in, h2 out            h2 in, h2 out (MESHEDGE_H2_CLUSTER)
# shellcheck shell=bash

skip_h2_peer() {   # skip_h2_peer PEER REASON: skipped, and named in the report
    skip_peer "$1" "$2"
    echo "- $1: $2" >>"$TMP/skipped-$SHAPE.txt"
}

start_nghttpx() {   # start_nghttpx LISTEN_PORT BACKEND_PORT [;;proto=h2] -> sets STARTED_PID
    # --single-process --single-thread: the process started is the one serving, so its /proc/PID/stat
    # is the proxy's whole CPU (as nginx with master_process off); --conf=/dev/null: not the system's file.
    "${ON_PROXY[@]}" nghttpx --conf=/dev/null --single-process --single-thread --workers=1 \
        --frontend="127.0.0.1,$1;no-tls" --backend="127.0.0.1,$2${3:-}" --no-via \
        --frontend-keep-alive-timeout=3600s --frontend-read-timeout=3600s \
        --backend-keep-alive-timeout=3600s --backend-read-timeout=3600s \
        --log-level=WARN --errorlog-file="$TMP/nghttpx.log" >"$TMP/nghttpx.out" 2>&1 &
    started $! nghttpx nghttpx "$TMP/nghttpx.log" "$1" || die "nghttpx did not start"
}

# check_h2_peer PORT: the shape's check (get: GET / over HTTP/2 with the body; grpc: a real unary call
# with its trailer) and an h2load burst, all 2xx. Sets CHECK_ERROR on failure.
check_h2_peer() {
    local got burst
    if [[ $SHAPE == grpc ]]; then
        grpc_check "$1" || return 1
    else
        got=$(h2_get "$1")
        [[ $got == "2 $BODY" ]] || { CHECK_ERROR="GET / over h2c answered \"${got:0:120}\" (want: HTTP/2 and the 64-byte body)"; return 1; }
    fi
    burst=$(h2load_burst "$1")
    [[ -z $burst ]] || { CHECK_ERROR="an h2load burst of 200 requests: $burst"; return 1; }
}

# start_h2_peer PEER (start_peers' FN) for SHAPE: start it, check it, add_peer or skip it.
start_h2_peer() {
    local peer=$1 port origin=$NGINX_PORT h2origin=$NGINX_H2_PORT
    if [[ $SHAPE == grpc ]]; then origin=$GRPC_PORT h2origin=$GRPC_PORT; fi
    case $peer in
        direct) add_peer direct "$h2origin"; return 0 ;;
        haproxy | meshedge)
            [[ $SHAPE == grpc ]] && { skip_h2_peer "$peer" "HTTP/1.1 to the origin; gRPC needs h2 there (see $peer-h2)"; return 0; } ;;
    esac
    pick_port port
    case $peer in
        nginx)
            local pass=""
            [[ $SHAPE == grpc ]] && pass="grpc_pass grpc://backend;"
            # An idle upstream connection for every stream in flight (CONNS x STREAMS), as HAProxy's
            # http-reuse keeps them: with fewer, nginx closes and reopens one per request above it.
            NGINX_LISTEN_OPTS=http2 NGINX_PASS=$pass NGINX_UPSTREAM_KEEPALIVE=$((CONNS * STREAMS)) start_nginx_proxy "$port" "$origin" ;;
        haproxy) HAPROXY_BIND_OPTS="proto h2" start_haproxy "$port" "$origin" ;;
        haproxy-h2) HAPROXY_BIND_OPTS="proto h2" HAPROXY_SERVER_OPTS="proto h2" start_haproxy "$port" "$h2origin" ;;
        nghttpx)
            if [[ $SHAPE == grpc ]]; then start_nghttpx "$port" "$h2origin" ";;proto=h2"; else start_nghttpx "$port" "$origin"; fi ;;
        meshedge | meshedge-h2)
            start_meshedge_h2 "$peer" "$port" "$origin" "$h2origin"
            return 0 ;;
    esac
    check_h2_peer "$port" || die "$peer does not pass the $SHAPE check: $CHECK_ERROR"
    add_peer "$peer" "$port" "$STARTED_PID"
}

# MeshEdge is the subject, and its h2 session and h2 upstream pool are being written: a binary that is
# absent, does not serve h2c, refuses the upstream key or fails the check is skipped with the reason
# (the other peers still run), never measured at its error path.
start_meshedge_h2() {   # start_meshedge_h2 PEER PORT ORIGIN H2ORIGIN
    local peer=$1 port=$2 backend=$3 keys="" version
    meshedge_usable || { skip_h2_peer "$peer" "$MESHEDGE_SKIP_REASON"; return 0; }
    [[ $peer == meshedge-h2 ]] && backend=$4 keys=$MESHEDGE_H2_CLUSTER
    if ! MESHEDGE_CLUSTER_KEYS=$keys start_meshedge "$port" "$backend" "$peer-$SHAPE"; then
        skip_h2_peer "$peer" "it did not start on its config (cluster keys \`$keys\`; is that the h2 upstream key? set MESHEDGE_H2_CLUSTER); log: $(tail -n 3 "$TMP/$peer-$SHAPE.log" | tr '\n' ' ')"
        return 0
    fi
    version=$(curl -sS --max-time 5 --http2-prior-knowledge -o /dev/null -w 'http_version=%{http_version}' "http://127.0.0.1:$port/" 2>&1) || true
    if [[ ${version##*http_version=} != 2 ]]; then
        stop_pid "$STARTED_PID"
        skip_h2_peer "$peer" "the binary does not serve h2c yet: curl --http2-prior-knowledge got $(echo "${version:0:160}" | tr '\n' ' ')"
        return 0
    fi
    if ! check_h2_peer "$port"; then
        tail -n 20 "$TMP/$peer-$SHAPE.log" >&2 || true
        stop_pid "$STARTED_PID"
        skip_h2_peer "$peer" "it serves h2c but fails the $SHAPE check: $CHECK_ERROR"
        return 0
    fi
    add_peer "$peer" "$port" "$STARTED_PID"
}
