# bench/h2/h2load.sh - the load of bench/h2: h2load (nghttp2) on the load core, h2c with prior
# knowledge, CONNS connections with STREAMS concurrent streams each, for a duration; for the grpc
# shape a POST of GRPC_BODY with gRPC's headers. Latencies come from h2load's per-request log (it
# prints no percentiles itself): one line per request, its duration in microseconds in column 3.
# shellcheck shell=bash disable=SC2034  # the globals set here are read by run.sh

h2load_args() {   # h2load_args PORT -> the URL and, for the grpc shape, the body and headers (one per line)
    if [[ $SHAPE == grpc ]]; then
        printf '%s\n' "http://127.0.0.1:$1$GRPC_PATH" -d "$GRPC_BODY" -H 'content-type: application/grpc' -H 'te: trailers'
    else
        printf '%s\n' "http://127.0.0.1:$1/"
    fi
}

h2load_load() {   # h2load_load PEER SECONDS OUT: one timed run against PEER; OUT.txt (summary), OUT.log (per request)
    local args
    mapfile -t args < <(h2load_args "${PORT_OF[$1]}")
    "${ON_LOAD[@]}" h2load -t1 -c"$CONNS" -m"$STREAMS" -D"$2" --log-file="$3.log" "${args[@]}" >"$3.txt" 2>&1 \
        || { cat "$3.txt" >&2; die "h2load failed against $1"; }
}

# h2load_burst PORT -> "" when REQUESTS requests of the shape through PORT were all answered 2xx, else
# h2load's summary; the check every peer passes before it is measured.
h2load_burst() {
    local args out
    mapfile -t args < <(h2load_args "$1")
    out=$(timeout 30 "${ON_LOAD[@]}" h2load -t1 -c2 -m4 -n200 "${args[@]}" 2>&1) || true
    [[ $out == *"200 succeeded"* && $out == *"status codes: 200 2xx"* ]] || echo "$out" | grep -E 'requests:|status codes:|error|fail' | head -n 5
}

# h2load_parse OUT -> "requests rps p50_us p99_us errors" (requests: those answered 2xx)
h2load_parse() {
    local p50 p99
    read -r p50 p99 < <(cut -f3 "$1.log" | sort -n | awk '{ d[NR] = $1 }
        END { if (NR) print d[int(0.50 * (NR - 1)) + 1], d[int(0.99 * (NR - 1)) + 1]; else print "-", "-" }')
    awk -v p50="$p50" -v p99="$p99" '
        /^finished in/ { secs = $3; sub(/s,$/, "", secs) }
        /^requests:/ { failed = $10 + $12 + $14 }
        /^status codes:/ { ok = $3; other = $5 + $7 + $9 }
        END { printf "%d %.0f %s %s %d\n", ok, (secs > 0 ? ok / secs : 0), p50, p99, failed + other }' "$1.txt"
}

# h2load_result PEER ROUND OUT: a recorded run's figures as H2_REQUESTS H2_RPS H2_P50 H2_P99 H2_ERRORS;
# stops when h2load was answered nothing, warns on errors.
h2load_result() {
    read -r H2_REQUESTS H2_RPS H2_P50 H2_P99 H2_ERRORS < <(h2load_parse "$3")
    ((H2_REQUESTS > 0)) || { cat "$3.txt" >&2; die "h2load was answered nothing through $1"; }
    ((H2_ERRORS == 0)) || log "warning: $1 round $2 had $H2_ERRORS failed or non-2xx requests"
    rm -f "$3.log"
}
