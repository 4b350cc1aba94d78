# bench/rig/readings.sh - what /proc says about a measured run: the proxy process's CPU time
# (utime/stime, all threads), the busy time of the proxy's and the load's cores, RSS and VmHWM,
# voluntary context switches. A run is framed by window_open / window_close, which read them all.
# shellcheck shell=bash disable=SC2034  # the globals set here are read by the scenarios

CLK_TCK=$(getconf CLK_TCK)

cpu_ticks() {   # cpu_ticks PID -> "utime stime" in clock ticks (all threads)
    local s f
    s=$(<"/proc/$1/stat")
    s=${s##*) }          # the comm field may contain spaces and parentheses
    read -r -a f <<<"$s"
    echo "${f[11]} ${f[12]}"   # fields 14 and 15 of stat(5)
}
proxies_ticks() {   # utime + stime of all the peers' proxy processes together (they all sit on PROXY_CPU)
    local pid u s sum=0
    for pid in "${PID_OF[@]}"; do
        [[ -n $pid ]] || continue
        read -r u s < <(cpu_ticks "$pid")
        sum=$((sum + u + s))
    done
    echo "$sum"
}
core_busy() {   # core_busy N -> busy ticks of CPU N (user nice system irq softirq steal) from /proc/stat
    awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8 + $9 }' /proc/stat
}
core_times() {   # core_times N -> "busy total" ticks of CPU N (busy: user nice system irq softirq; total adds idle iowait)
    awk -v c="cpu$1" '$1 == c { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat
}
status_kb() { awk -v k="$2:" '$1==k{print $2}' "/proc/$1/status" 2>/dev/null || echo 0; }   # status_kb PID VmRSS|VmHWM
voluntary_switches() {   # voluntary_switches PID -> voluntary context switches of all its threads so far
    cat /proc/"$1"/task/*/status 2>/dev/null | awk '$1 == "voluntary_ctxt_switches:" { n += $2 } END { print n + 0 }'
}

# window_open PEER PID [RSS_AT]: the readings before a run of PEER whose proxy process is PID (empty:
# none, only the cores are read). RSS_AT: seconds into the run at which to sample its RSS under load.
# Every peer's proxy must still be running.
window_open() {
    local pid
    W_PEER=$1 W_PID=$2 W_SAMPLER="" W_RSS_BEFORE="-" W_RSS_LOAD="-" W_HWM="-" W_U0=0 W_S0=0 W_C0=0
    for pid in "${PID_OF[@]}"; do [[ -z $pid ]] || kill -0 "$pid" 2>/dev/null || die "proxy pid $pid has exited"; done
    if [[ -n $W_PID ]]; then
        kill -0 "$W_PID" 2>/dev/null || die "$W_PEER (pid $W_PID) died"
        W_RSS_BEFORE=$(status_kb "$W_PID" VmRSS)
        if [[ -n ${3:-} ]]; then
            (sleep "$3"; status_kb "$W_PID" VmRSS >"$TMP/rss-load") 2>/dev/null &
            W_SAMPLER=$!
        fi
    fi
    W_P0=$(proxies_ticks)
    read -r W_PB0 W_PA0 < <(core_times "$PROXY_CPU")
    read -r W_LB0 W_LA0 < <(core_times "$LOAD_CPU")
    [[ -n $W_PID ]] && read -r W_U0 W_S0 < <(cpu_ticks "$W_PID")
    ((PIN)) && W_C0=$(core_busy "$PROXY_CPU")
    return 0
}

# window_close: the readings after the run, as differences: W_USR W_SYS W_OWN (ticks of the peer's
# proxy), W_CORE (busy ticks of the proxy's core, with steal; 0 unpinned), W_PROXIES (ticks of all the
# proxies), W_PCORE_BUSY W_PCORE_ALL and W_LCORE_BUSY W_LCORE_ALL (busy and all ticks of the proxy's
# and the load's core, without steal); W_RSS_BEFORE W_RSS_LOAD W_HWM in KiB ("-" without a PID).
window_close() {
    local u1=0 s1=0 c1=0 p1 pb1 pa1 lb1 la1
    if [[ -n $W_PID ]]; then
        kill -0 "$W_PID" 2>/dev/null || die "$W_PEER (pid $W_PID) exited during the run"
        read -r u1 s1 < <(cpu_ticks "$W_PID")
    fi
    ((PIN)) && c1=$(core_busy "$PROXY_CPU")
    p1=$(proxies_ticks)
    read -r pb1 pa1 < <(core_times "$PROXY_CPU")
    read -r lb1 la1 < <(core_times "$LOAD_CPU")
    if [[ -n $W_PID ]]; then
        if [[ -n $W_SAMPLER ]]; then
            wait "$W_SAMPLER" 2>/dev/null || true
            W_RSS_LOAD=$(cat "$TMP/rss-load" 2>/dev/null || echo "-")
            rm -f "$TMP/rss-load"
        fi
        W_HWM=$(status_kb "$W_PID" VmHWM)
    fi
    W_USR=$((u1 - W_U0)) W_SYS=$((s1 - W_S0))
    W_OWN=$((W_USR + W_SYS))
    W_CORE=$((c1 - W_C0))
    W_PROXIES=$((p1 - W_P0))
    W_PCORE_BUSY=$((pb1 - W_PB0)) W_PCORE_ALL=$((pa1 - W_PA0))
    W_LCORE_BUSY=$((lb1 - W_LB0)) W_LCORE_ALL=$((la1 - W_LA0))
}

# cpu_per_request REQUESTS -> "cpu_us usr_us sys_us req_per_cpu_s core_us" of the last window ("-" without a PID)
cpu_per_request() {
    awk -v req="$1" -v hz="$CLK_TCK" -v u="$W_USR" -v s="$W_SYS" -v haspid="${W_PID:+1}" \
        -v core="$W_CORE" -v pinned="$PIN" 'BEGIN {
            if (haspid && req > 0) {
                cpu = (u + s) / hz
                cpu_us = sprintf("%.2f", cpu * 1e6 / req)
                usr_us = sprintf("%.2f", (u / hz) * 1e6 / req)
                sys_us = sprintf("%.2f", (s / hz) * 1e6 / req)
                rpc = cpu > 0 ? sprintf("%.0f", req / cpu) : "-"
                core_us = pinned ? sprintf("%.2f", (core / hz) * 1e6 / req) : "-"
            } else { cpu_us = usr_us = sys_us = rpc = core_us = "-" }
            print cpu_us, usr_us, sys_us, rpc, core_us
        }'
}

declare -gA IDLE_RSS_KB=()
read_idle_rss() {   # IDLE_RSS_KB[peer]: each proxy's RSS a second after its start and check, before any load
    local peer
    sleep 1
    for peer in "${ACTIVE[@]}"; do
        [[ -n ${PID_OF[$peer]} ]] && IDLE_RSS_KB[$peer]=$(status_kb "${PID_OF[$peer]}" VmRSS)
    done
    return 0
}
