# bench/rig/rounds.sh - the rounds: a warm-up per peer, then rounds in which the peers are interleaved
# and their order rotates by one from round to round (so drift hits them alike), the medians over the
# rounds, the paired per-round ratios, and the optional extra round under `perf stat`.
#
# A scenario's run function is called as FN PEER ROUND SECONDS RECORD [ARG...]: ROUND 0 and RECORD 0
# for the warm-up (load only), RECORD 1 for a measured run, which appends its row to the scenario's TSV.
# shellcheck shell=bash

positive() { awk -v v="$1" 'BEGIN { exit !(v + 0 > 0) }'; }

warm_up() {   # warm_up FN [ARG...]: FN PEER 0 WARMUP 0 ARG... for each active peer (none when WARMUP is 0)
    local fn=$1 peer
    shift
    positive "$WARMUP" || return 0
    log "warm-up: ${WARMUP}s per peer (not recorded)"
    for peer in "${ACTIVE[@]}"; do "$fn" "$peer" 0 "$WARMUP" 0 "$@"; done
}

rounds() {   # rounds N FN [ARG...]: N rounds of FN PEER ROUND DURATION 1 ARG..., peers interleaved, order rotated
    local count=$1 fn=$2 r i n=${#ACTIVE[@]}
    shift 2
    for ((r = 1; r <= count; r++)); do
        for ((i = 0; i < n; i++)); do "$fn" "${ACTIVE[$(((i + r - 1) % n))]}" "$r" "$DURATION" 1 "$@"; done
    done
}

run_rounds() {   # run_rounds FN [ARG...]: warm_up, then RUNS rounds
    warm_up "$@"
    rounds "$RUNS" "$@"
}

# median FILE COLUMN [KEYCOLUMN=VALUE...] -> the median of COLUMN over the rows of the TSV FILE whose
# key columns hold those values; "-" when there is none or any is "-".
median() {
    local file=$1 col=$2
    shift 2
    awk -F'\t' -v c="$col" -v keys="$*" '
        BEGIN { n = split(keys, k, " "); for (i = 1; i <= n; i++) { j = index(k[i], "="); kc[i] = substr(k[i], 1, j - 1); kv[i] = substr(k[i], j + 1) } }
        { for (i = 1; i <= n; i++) if ($(kc[i]) != kv[i]) next; print $c }' "$file" | sort -g | awk '
        $1 == "-" { dash = 1 } { v[NR] = $1 }
        END {
            if (NR == 0 || dash) { print "-"; exit }
            if (NR % 2) m = v[(NR + 1) / 2]; else m = (v[NR / 2] + v[NR / 2 + 1]) / 2
            print m
        }'
}
median_of() { median "$1" "$3" 1="$2"; }   # median_of FILE PEER COLUMN: rows whose first column is PEER

# paired_ratios FILE COLUMN A B -> "A/B of round 1 / of round 2 / ..." (peer in column 1, round in 2)
paired_ratios() {
    awk -F'\t' -v c="$2" -v a="$3" -v b="$4" '$1 == b { h[$2] = $c } $1 == a { m[$2] = $c }
        END { for (r = 1; r in h; r++) if (r in m && h[r] > 0) printf "%s%.3f", (r > 1 ? " / " : ""), m[r] / h[r] }' "$1"
}

# perf_round LOAD_FN: one extra, unrecorded round with `perf stat` attached to each proxy, giving its
# system calls and context switches per request in $TMP/perf.tsv. LOAD_FN PEER SECONDS runs the
# scenario's load against PEER and sets LOAD_REQUESTS. Skipped (PERF=0) where perf cannot count them.
maybe_perf_round() {
    ((PERF)) || return 0
    if command -v perf >/dev/null && perf stat -e raw_syscalls:sys_enter -- true >/dev/null 2>&1; then
        log "perf round: ${DURATION}s per proxy under perf stat (not in the medians)"
        perf_round "$1"
    else
        log "warning: PERF=1 but perf stat with raw_syscalls tracepoints does not work here; skipped"
        PERF=0
    fi
}
perf_round() {
    local peer pid out perfpid
    printf 'peer\tsyscalls_per_req\tctxsw_per_req\n' >"$TMP/perf.tsv"
    for peer in "${ACTIVE[@]}"; do
        pid=${PID_OF[$peer]:-}
        [[ -n $pid ]] || continue
        out="$TMP/perf-$peer.txt"
        perf stat -x, -o "$out" -e raw_syscalls:sys_enter,context-switches -p "$pid" &
        perfpid=$!
        PIDS+=("$perfpid")
        sleep 0.3
        "$1" "$peer" "$DURATION"
        kill -INT "$perfpid" 2>/dev/null || true
        wait "$perfpid" 2>/dev/null || true
        stop_pid "$perfpid"
        awk -F, -v peer="$peer" -v req="$LOAD_REQUESTS" '
            $3 == "raw_syscalls:sys_enter" { sc = $1 }
            $3 == "context-switches" { cs = $1 }
            END { printf "%s\t%.2f\t%.3f\n", peer, sc / req, cs / req }' "$out" >>"$TMP/perf.tsv"
    done
}
