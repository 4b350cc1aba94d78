#!/usr/bin/env bash
# bench/xds/profile-hook.sh before|after PID: run.sh's HOOK, around exactly one bulk push.
#   PROFILE=perf      perf record -e cpu-clock -g on the proxy, into $PROFILE_OUT (default /tmp/xds-perf.data)
#   PROFILE=callgrind the proxy runs under callgrind (MESHEDGE=bench/xds/callgrind-wrap.sh): its counters
#                     are zeroed before the push and dumped after it (and after the collection that ends it)
set -euo pipefail
when=$1 pid=$2
case ${PROFILE:-perf} in
    perf)
        out=${PROFILE_OUT:-/tmp/xds-perf.data}
        if [[ $when == before ]]; then
            perf record -e cpu-clock -g -p "$pid" -o "$out" >/dev/null 2>&1 &
            echo $! >"$out.pid"
            sleep 1   # perf attached before the clock starts
        else
            sleep "${SETTLE_S:-1}"
            kill -INT "$(cat "$out.pid")"
            while kill -0 "$(cat "$out.pid")" 2>/dev/null; do sleep 0.1; done
        fi ;;
    callgrind)
        if [[ $when == before ]]; then
            callgrind_control -z "$pid" >/dev/null
        else
            sleep "${SETTLE_S:-10}"
            callgrind_control -d "$pid" >/dev/null
        fi ;;
    *) echo "PROFILE is perf or callgrind" >&2; exit 2 ;;
esac
