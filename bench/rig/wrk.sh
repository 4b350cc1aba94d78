# bench/rig/wrk.sh - the HTTP/1.1 keep-alive load of the wrk scenarios: `wrk -t1 -cCONNS --latency`
# on the load core, and its output read back. WRK_SCHEME=https for a TLS listener (bench/tls).
# shellcheck shell=bash disable=SC2034  # the globals set here are read by the scenarios

wrk_load() {   # wrk_load PEER SECONDS OUT: one wrk run against PEER's port, its output in OUT
    "${ON_LOAD[@]}" wrk -t1 -c"$CONNS" -d"${2}s" --latency "${WRK_SCHEME:-http}://127.0.0.1:${PORT_OF[$1]}/" >"$3" 2>&1 \
        || { cat "$3" >&2; die "wrk failed against $1"; }
}

wrk_parse() {   # wrk_parse OUT -> "requests rps p50_us p99_us errors" (rps and latencies rounded; "-" when absent)
    awk '
        function us(v) {
            if (v ~ /us$/) { sub(/us$/, "", v); return v }
            if (v ~ /ms$/) { sub(/ms$/, "", v); return v * 1000 }
            if (v ~ /m$/) { sub(/m$/, "", v); return v * 60000000 }
            if (v ~ /s$/) { sub(/s$/, "", v); return v * 1000000 }
            return "-"
        }
        / requests in / { req = $1 }
        /^Requests\/sec:/ { rps = $2 }
        $1 == "50%" { p50 = us($2) }
        $1 == "99%" { p99 = us($2) }
        /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
        /Non-2xx or 3xx responses:/ { err += $NF }
        END {
            p50 = (p50 == "" || p50 == "-") ? "-" : sprintf("%.0f", p50)
            p99 = (p99 == "" || p99 == "-") ? "-" : sprintf("%.0f", p99)
            printf "%s %.0f %s %s %d\n", (req == "" ? 0 : req), rps, p50, p99, err
        }' "$1"
}

wrk_perf_load() {   # the load of perf_round: wrk_perf_load PEER SECONDS -> LOAD_REQUESTS
    wrk_load "$1" "$2" "$TMP/wrk-perf-$1.txt"
    read -r LOAD_REQUESTS _ < <(wrk_parse "$TMP/wrk-perf-$1.txt")
}

wrk_window() {   # wrk_window PEER SECONDS OUT: wrk_load framed by the readings (RSS under load sampled at 90% of the run)
    window_open "$1" "${PID_OF[$1]}" "$(awk -v d="$2" 'BEGIN{print d*0.9}')"
    wrk_load "$1" "$2" "$3"
    window_close
}

# wrk_result PEER ROUND OUT: a recorded run's figures as WRK_REQUESTS WRK_RPS WRK_P50 WRK_P99 WRK_ERRORS;
# stops when wrk was served nothing, warns on errors.
wrk_result() {
    read -r WRK_REQUESTS WRK_RPS WRK_P50 WRK_P99 WRK_ERRORS < <(wrk_parse "$3")
    ((WRK_REQUESTS > 0)) || { cat "$3" >&2; die "wrk served no requests through $1"; }
    ((WRK_ERRORS == 0)) || log "warning: $1 round $2 had $WRK_ERRORS socket errors / non-2xx responses"
}
