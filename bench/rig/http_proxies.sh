# bench/rig/http_proxies.sh - the HTTP/1.1 scenarios' proxies and their check: nginx `proxy_pass`,
# HAProxy `mode http` and MeshEdge `protocol = "http"`, each with one worker/thread/process pinned to
# PROXY_CPU, keep-alive on both sides, no access log, and (FORWARD_HEADERS=1) the same three added
# headers; `http_check`, which every proxy must pass before it is measured; `http_get` (curl).
# Used by bench/http (the CPU per request) and bench/footprint (the memory), so both measure the
# same configurations.
#
#   FORWARD_HEADERS=1          every proxy adds x-forwarded-for, x-forwarded-proto and x-request-id
#   NGINX_PROXY_CONNECTIONS    the nginx proxy's worker_connections (4096; footprint raises it)
#   HAPROXY_MAXCONN            HAProxy's maxconn when set (else as high as two descriptors each allow)
#   NGINX_LISTEN_OPTS, NGINX_SERVER_EXTRA, HAPROXY_BIND_OPTS, MESHEDGE_LISTENER_TABLES
#                              more of each proxy's listener config (bench/tls: "ssl" and certificates)
# shellcheck shell=bash disable=SC2034  # the globals set here are read by the scenarios

FORWARD_HEADERS=${FORWARD_HEADERS:-1}
NGINX_PROXY_CONNECTIONS=${NGINX_PROXY_CONNECTIONS:-4096}

# --------------------------------------------------------------------------------------------------
# Checks.

# http_get PORT PATH: one GET; the body on stdout. curl, not bash's /dev/tcp: bash writes a request
# line by line (its stdout is line-buffered), and MeshEdge's admin server loses the path of a request
# whose head arrives in more than one read (it answers 404 "no admin endpoint ; see /help").
http_get() {
    curl -sS --max-time 5 -H 'Host: bench' "http://127.0.0.1:$1$2" 2>/dev/null
}

# http_check PORT: two GETs on one keep-alive connection, then a third that asks to close; each must
# be answered `200` with exactly the backend's 64-byte body. Sets CHECK_ERROR on failure. A proxy
# that serves errors or another body would otherwise be measured at its error-path speed.
CHECK_ERROR=""
http_check() {
    local out
    # shellcheck disable=SC2016  # the inner script's variables expand in the inner shell
    out=$(timeout 10 bash -c '
        exec 3<>"/dev/tcp/127.0.0.1/$1" || { echo "cannot connect"; exit 1; }
        for i in 1 2 3; do
            conn=keep-alive; ((i == 3)) && conn=close
            printf "GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: meshedge-bench\r\nConnection: %s\r\n\r\n" "$conn" >&3
            IFS= read -r -t 5 status <&3 || { echo "request $i: no status line"; exit 1; }
            status=${status%"$3"}
            [[ $status == "HTTP/1.1 200 "* || $status == "HTTP/1.1 200" ]] || { echo "request $i: status \"$status\""; exit 1; }
            len="" chunked=0
            while IFS= read -r -t 5 line <&3; do
                line=${line%"$3"}
                [[ -z $line ]] && break
                lower=${line,,}
                [[ $lower == content-length:* ]] && len=${lower#content-length:} && len=${len// /}
                [[ $lower == transfer-encoding:*chunked* ]] && chunked=1
            done
            ((chunked == 0)) || { echo "request $i: chunked response (expected Content-Length)"; exit 1; }
            [[ -n $len ]] || { echo "request $i: no Content-Length"; exit 1; }
            body=""
            ((len == 0)) || IFS= read -r -t 5 -N "$len" body <&3 || { echo "request $i: body cut short"; exit 1; }
            [[ $body == "$2" ]] || { echo "request $i: body \"$body\" is not the backend body"; exit 1; }
        done
        echo ok' _ "$1" "$BODY" $'\r' 2>&1) || true
    [[ $out == ok ]] && return 0
    CHECK_ERROR=${out:-no answer within 10s}
    return 1
}

# --------------------------------------------------------------------------------------------------
# The proxies. Each: one worker/thread/process, pinned to PROXY_CPU, keep-alive on both sides with no
# request limit per connection, no access log, and (FORWARD_HEADERS=1) the same three added headers.

start_nginx_proxy() {   # start_nginx_proxy LISTEN_PORT BACKEND_PORT -> sets STARTED_PID
    local port=$1 backend=$2 dir="$TMP/nginx-proxy" headers=""
    mkdir -p "$dir"
    if ((FORWARD_HEADERS)); then
        headers="proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_set_header X-Request-ID \$bench_request_id;"
    fi
    # master_process off: nginx serves from the one process we started, so /proc/PID/stat is the
    # process doing the work (with a master, the worker is a child and its CPU is not in the master's
    # utime/stime). The event loop is the same code a worker runs.
    cat >"$dir/nginx.conf" <<EOF
worker_processes 1;
daemon off;
master_process off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections $NGINX_PROXY_CONNECTIONS; }
http {
    access_log off;
    keepalive_requests 1000000000;
    keepalive_timeout 3600s;
    client_body_temp_path $dir/client_body;
    proxy_temp_path $dir/proxy;
    map \$http_x_request_id \$bench_request_id { "" \$request_id; default \$http_x_request_id; }
    upstream backend {
        server 127.0.0.1:$backend;
        keepalive 64;
        keepalive_requests 1000000000;
        keepalive_timeout 3600s;
    }
    server {
        listen 127.0.0.1:$port backlog=4096 ${NGINX_LISTEN_OPTS:-};
        ${NGINX_SERVER_EXTRA:-}
        location / {
            proxy_pass http://backend;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            $headers
        }
    }
}
EOF
    launch_nginx proxy "$dir" "$port" "nginx (proxy)"
}

start_haproxy() {   # start_haproxy LISTEN_PORT BACKEND_PORT -> sets STARTED_PID
    local port=$1 backend=$2 cfg="$TMP/haproxy.cfg" headers="" maxconn limits=""
    maxconn=$(haproxy_maxconn)
    # A scenario that holds more connections than two descriptors each allow (footprint's idle ones
    # need only one) sets HAPROXY_MAXCONN; HAProxy then warns about the descriptor limit but starts.
    if [[ -n ${HAPROXY_MAXCONN:-} ]]; then
        maxconn=$HAPROXY_MAXCONN
        limits="    no strict-limits"
    fi
    if ((FORWARD_HEADERS)); then
        headers="    option forwardfor
    http-request set-header X-Forwarded-Proto http
    http-request set-header X-Request-ID %[uuid] unless { req.hdr(x-request-id) -m found }"
    fi
    cat >"$cfg" <<EOF
global
    nbthread 1
    maxconn $maxconn
$limits
defaults
    mode http
    option http-keep-alive
    maxconn $maxconn
    timeout connect 5s
    timeout client 1h
    timeout server 1h
    timeout http-keep-alive 1h
    timeout http-request 1h
frontend bench
    bind 127.0.0.1:$port ${HAPROXY_BIND_OPTS:-}
$headers
    default_backend nginx
backend nginx
    http-reuse always
    server s1 127.0.0.1:$backend
EOF
    launch_haproxy "$cfg" "$TMP/haproxy.log" "$port"
}

# start_meshedge LISTEN_PORT BACKEND_PORT NAME: config $TMP/NAME.toml, log $TMP/NAME.log, the admin
# API on a free port (MESHEDGE_ADMIN_PORT); sets STARTED_PID; 1 on failure.
MESHEDGE_ADMIN_PORT=""
start_meshedge() {
    local port=$1 backend=$2 cfg="$TMP/$3.toml" fwd=false
    ((FORWARD_HEADERS)) && fwd=true
    pick_port MESHEDGE_ADMIN_PORT
    cat >"$cfg" <<EOF
[runtime]
workers = 1
log_level = "warn"

[admin]
address = "127.0.0.1:$MESHEDGE_ADMIN_PORT"

[[listeners]]
name = "bench"
address = "127.0.0.1:$port"
protocol = "http"

[listeners.http]
add_forwarded_headers = $fwd
generate_request_id = $fwd

[[listeners.http.virtual_hosts]]
name = "all"
domains = ["*"]
routes = [{ match = { prefix = "/" }, cluster = "nginx" }]
${MESHEDGE_LISTENER_TABLES:-}

[[clusters]]
name = "nginx"
hosts = ["127.0.0.1:$backend"]
EOF
    launch_meshedge "$cfg" "$TMP/$3.log" "$port" "$MESHEDGE_ADMIN_PORT"
}

# start_http_proxy PEER (start_peers' FN): direct (the backend itself), nginx, haproxy, meshedge or
# meshedge-NAME (the same binary and config, started with the environment MESHEDGE_ENV_OF[PEER]:
# "VAR=VALUE ...", to compare runtime settings in one run); start it, check that it answers 200 with
# the backend's body, add_peer it. A MeshEdge peer's admin port is MESHEDGE_ADMIN_OF[PEER].
declare -gA MESHEDGE_ENV_OF=() MESHEDGE_ADMIN_OF=()
start_http_proxy() {
    local port
    case $1 in
        direct) add_peer direct "$NGINX_PORT" ;;
        nginx)
            pick_port port; start_nginx_proxy "$port" "$NGINX_PORT"
            http_check "$port" || die "nginx (proxy) does not answer 200 with the backend's body: $CHECK_ERROR"
            add_peer nginx "$port" "$STARTED_PID" ;;
        haproxy)
            pick_port port; start_haproxy "$port" "$NGINX_PORT"
            http_check "$port" || die "haproxy does not answer 200 with the backend's body: $CHECK_ERROR"
            add_peer haproxy "$port" "$STARTED_PID" ;;
        meshedge | meshedge-*)
            # MeshEdge is the subject: a binary that is absent is skipped (the peers still run),
            # but one that starts and then does not proxy correctly fails the whole benchmark.
            meshedge_usable || { skip_peer "$1" "$MESHEDGE_SKIP_REASON"; return 0; }
            pick_port port
            read -r -a MESHEDGE_ENV <<<"${MESHEDGE_ENV_OF[$1]:-}"
            start_meshedge "$port" "$NGINX_PORT" "$1" || { skip_peer "$1" "$MESHEDGE_SKIP_REASON"; return 0; }
            if ! http_check "$port"; then
                tail -n 20 "$TMP/$1.log" >&2 || true
                die "$1 does not answer 200 with the backend's body: $CHECK_ERROR"
            fi
            log "$1 admin on 127.0.0.1:$MESHEDGE_ADMIN_PORT${MESHEDGE_ENV_OF[$1]:+, environment ${MESHEDGE_ENV_OF[$1]}}"
            MESHEDGE_ADMIN_OF[$1]=$MESHEDGE_ADMIN_PORT
            add_peer "$1" "$port" "$STARTED_PID" ;;
    esac
}
