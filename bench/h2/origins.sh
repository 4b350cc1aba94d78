# bench/h2/origins.sh - the origins of bench/h2, on the load core: the rig's nginx backend with a second,
# h2c-only port serving the same 64-byte body (NGINX_H2_PORT), and the @grpc/grpc-js echo server of
# tests/interop/grpc (GRPC_PORT, quiet: it reports nothing per call); the gRPC request body file.
# shellcheck shell=bash disable=SC2034  # the globals set here are read by run.sh

NGINX_H2_PORT="" GRPC_PORT="" GRPC_BODY=""

start_origins() {
    pick_port NGINX_H2_PORT
    # nginx's h2c listener speaks only HTTP/2 with prior knowledge; keepalive_requests (1e9 in the
    # rig's http block) also bounds the requests of one h2 connection, so neither h2load nor an h2
    # proxy is sent a GOAWAY every 1,000 requests.
    start_nginx_backend "server {
        listen 127.0.0.1:$NGINX_H2_PORT http2 backlog=4096;
        location / { return 200 \"$BODY\"; }
    }"
    wait_port "$NGINX_H2_PORT" "$NGINX_PID" "nginx (h2c)" "$TMP/nginx/error.log" || die "nginx's h2c port did not listen"
    [[ $(h2_get "$NGINX_H2_PORT") == "2 $BODY" ]] || die "nginx's h2c port does not answer GET / with the body over HTTP/2"
    [[ " $SHAPES " == *" grpc "* ]] || return 0
    # One EchoRequest {message = BODY}: field 1, wire type 2 (0x0a), length 64 (0x40), in a gRPC
    # message frame (not compressed, 4-byte big-endian length 66 = 0x42).
    GRPC_BODY="$TMP/echo-request.bin"
    printf '\x00\x00\x00\x00\x42\x0a\x40%s' "$BODY" >"$GRPC_BODY"
    (($(stat -c %s "$GRPC_BODY") == 71)) || die "internal: the gRPC body is $(stat -c %s "$GRPC_BODY") bytes, not 71"
    "${ON_LOAD[@]}" node "$GRPC_DIR/server.js" '{"name":"grpc-js","quiet":true}' >"$TMP/grpc-origin.log" 2>&1 &
    local pid=$!
    PIDS+=("$pid")
    for _ in $(seq 1 150); do
        GRPC_PORT=$(awk -F'"port":' '/"listening"/ { sub(/}.*/, "", $2); print $2; exit }' "$TMP/grpc-origin.log" 2>/dev/null || true)
        [[ -n $GRPC_PORT ]] && break
        kill -0 "$pid" 2>/dev/null || { cat "$TMP/grpc-origin.log" >&2; die "the grpc-js origin exited"; }
        sleep 0.1
    done
    [[ -n $GRPC_PORT ]] || die "the grpc-js origin did not listen within 15s"
    expect_comm "$pid" node
    log "grpc-js origin on 127.0.0.1:$GRPC_PORT (pid $pid, cpus $(affinity_of "$pid"))"
}

# h2_get PORT -> "HTTP_VERSION BODY" of one curl --http2-prior-knowledge GET / (empty when it failed)
h2_get() {
    curl -sS --max-time 5 --http2-prior-knowledge -H 'Host: bench' -w '\n%{http_version}' "http://127.0.0.1:$1/" 2>/dev/null |
        awk '{ line[NR] = $0 } END { if (NR >= 2) printf "%s %s", line[NR], line[1] }'
}

# grpc_call PORT -> the JSON result line of one @grpc/grpc-js unary call through PORT (client.js)
grpc_call() {
    timeout 20 "${ON_LOAD[@]}" node "$GRPC_DIR/client.js" \
        "{\"target\":\"127.0.0.1:$1\",\"method\":\"Unary\",\"requests\":[{\"message\":\"check\"}],\"deadlineMs\":10000}" 2>&1 || true
}

# grpc_check PORT: the call must end OK with the origin's reply and its custom trailer; else CHECK_ERROR
grpc_check() {
    local out
    out=$(grpc_call "$1")
    if [[ $out == *'"code":0,'* && $out == *'"message":"grpc-js:check"'* && $out == *'"x-trailer-server":"grpc-js"'* ]]; then
        return 0
    fi
    CHECK_ERROR="a @grpc/grpc-js unary call got ${out:0:300}"
    return 1
}
