# bench/rig/report.sh - the report: number formats, ratios and verdicts, the header lines every
# report has, the per-run table with its median rows, the notes on noisy runs, the perf table, and
# writing the report to RESULTS_DIR.
# shellcheck shell=bash

fmt_num() { awk -v m="$1" 'BEGIN{ if (m == "-" || m == "") print "-"; else if (m >= 100) printf "%.0f", m; else printf "%.3g", m }'; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN { if (v == "-" || v == "") print "-"; else printf "%.*f", d, v }'; }   # fmt VALUE DECIMALS
mib() { awk -v kb="$1" 'BEGIN{ if (kb == "-" || kb == "") print "-"; else printf "%.1f", kb/1024 }'; }   # mib KIB
ratio() {   # ratio A B [DECIMALS=3] -> A/B, "-" when either is missing or B is 0
    awk -v a="$1" -v b="$2" -v d="${3:-3}" 'BEGIN{ if (a == "-" || b == "-" || a == "" || b == "" || b + 0 == 0) print "-"; else printf "%.*f", d, a / b }'
}
verdict() {   # verdict VALUE <=|<|>= TARGET [MISS_WORD=MISS] -> PASS, MISS_WORD or n/a
    awk -v v="$1" -v op="$2" -v t="$3" -v miss="${4:-MISS}" 'BEGIN{
        if (v == "-" || v == "") { print "n/a"; exit }
        if (op == "<=") ok = v + 0 <= t + 0; else if (op == "<") ok = v + 0 < t + 0; else ok = v + 0 >= t + 0
        print (ok ? "PASS" : miss) }'
}
best_of() {   # best_of min|max VALUE... -> the smallest or largest value that is not "-" (or "-")
    local how=$1
    shift
    printf '%s\n' "$@" | awk -v how="$how" '$1 != "-" && $1 != "" { if (!n++ || (how == "min" ? $1 + 0 < b + 0 : $1 + 0 > b + 0)) b = $1 }
        END { print (n ? b : "-") }'
}

# --------------------------------------------------------------------------------------------------
# Header lines.
host_line() {
    echo "- host: $(uname -srm), $(nproc) CPUs ($(awk -F: '/model name/{gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)), CLK_TCK=$CLK_TCK"
}
nginx_version() { nginx -v 2>&1 | sed 's/^nginx version: //'; }
haproxy_version() { haproxy -v 2>/dev/null | awk 'NR == 1 { print $3 }'; }   # all of it read: head would leave haproxy a SIGPIPE (pipefail)
# The tree's VERSION file, not `meshedge --version`: running the binary with unknown flags could
# start it on its embedded default config.
meshedge_label() {   # "MESHEDGE (tree version X)"
    local v=""
    [[ -r $REPO_ROOT/VERSION ]] && v="tree version $(head -n1 "$REPO_ROOT/VERSION")"
    echo "$MESHEDGE${v:+ ($v)}"
}
pinning_line() {   # pinning_line LOAD_WHAT: "- pinning: proxy on CPU 1, LOAD_WHAT on CPU 0 (taskset)"
    if ((PIN)); then
        echo "- pinning: proxy on CPU $PROXY_CPU, $1 on CPU $LOAD_CPU (taskset)"
    else
        echo "- pinning: none (taskset unavailable or fewer than 2 CPUs)"
    fi
}
readings_lines() {   # readings_lines [MORE]: what the CPU, core and RSS columns are (MORE: a line of the scenario's own)
    echo "- CPU = utime+stime of the proxy process over the run (/proc/PID/stat); core = all busy time of the proxy's core"
    echo "  (/proc/stat, includes softirq work not charged to the process); RSS from /proc/PID/status${1:+;}"
    [[ -z ${1:-} ]] || echo "  $1"
}

# --------------------------------------------------------------------------------------------------
# Tables.

# peer_rows FILE PEER COLUMN...: PEER's rows of the TSV FILE (peer in column 1, round in 2) as
# markdown rows, then its median row. A COLUMN is a number (shown as is; median by fmt_num),
# N:mib (KiB shown in MiB; median likewise) or N:- (shown, no median: a count or a flag).
peer_rows() {
    local file=$1 peer=$2 spec row
    shift 2
    awk -F'\t' -v p="$peer" -v specs="$*" 'BEGIN { n = split(specs, s, " ") }
        $1 == p {
            line = "| " $1 " | " $2 " |"
            for (i = 1; i <= n; i++) {
                split(s[i], f, ":"); v = $(f[1])
                if (f[2] == "mib" && v != "-") v = sprintf("%.1f", v / 1024)
                line = line " " v " |"
            }
            print line
        }' "$file"
    row="| **$peer** | **median** |"
    for spec in "$@"; do
        case $spec in
            *:mib) row+=" **$(mib "$(median_of "$file" "$peer" "${spec%:*}")")** |" ;;
            *:-) row+=" |" ;;
            *) row+=" **$(fmt_num "$(median_of "$file" "$peer" "$spec")")** |" ;;
        esac
    done
    echo "$row"
}

# noisy_note FILE CPU_COLUMN CORE_COLUMN: the runs in which the proxy's core was busy more than 25%
# above the proxy's own CPU (other load shared it), as a paragraph; nothing when there are none.
noisy_note() {
    local noisy
    noisy=$(awk -F'\t' -v a="$2" -v b="$3" '$a != "-" && $b != "-" && $b > 1.25 * $a + 1 { printf "%s%s %s (%.0f%%)", (n++ ? ", " : ""), $1, $2, 100 * ($b / $a - 1) }' "$1")
    [[ -n $noisy ]] || return 0
    echo "Other load shared the proxy core (core busy time more than 25% above the proxy's own CPU) in: $noisy."
    echo "Those runs are noisier; the paired per-round ratios below show how much it moved them."
    echo
}

perf_table() {   # the perf round's table (PERF=1 and it ran)
    ((PERF)) && [[ -s $TMP/perf.tsv ]] || return 0
    echo
    echo "## System calls and context switches per request (one extra round under perf stat)"
    echo
    echo "| peer | syscalls/req | context switches/req |"
    echo "|---|---:|---:|"
    awk -F'\t' 'NR > 1 { printf "| %s | %s | %s |\n", $1, $2, $3 }' "$TMP/perf.tsv"
}

idle_rss_line() {   # idle_rss_line PEER WHEN: "- idle RSS PEER (WHEN): N MiB"; 1 when it was not read
    [[ -n ${IDLE_RSS_KB[$1]:-} ]] || return 1
    echo "- idle RSS $1 ($2): $(mib "${IDLE_RSS_KB[$1]}") MiB"
}

meshedge_log_line() {   # meshedge_log_line LOG: its length and warn/error lines (nothing without a meshedge peer)
    [[ -n ${PID_OF[meshedge]:-} && -s $1 ]] || return 0
    local nwarn
    nwarn=$(grep -c -E 'level=(warn|error)' "$1" || true)
    echo "- meshedge log: $(wc -l <"$1") lines, $nwarn at warn/error"
}

same_run_line() {
    echo
    echo "Figures are only comparable as ratios between peers measured in this same run on this machine."
}

# publish_report FN NAME: FN's output is the report: printed, and written to RESULTS_DIR/NAME.
publish_report() {
    local out="$RESULTS_DIR/$2"
    "$1" >"$TMP/report.md"
    mkdir -p "$RESULTS_DIR"
    cp "$TMP/report.md" "$out"
    cat "$TMP/report.md"
    log "report written to $out"
}
