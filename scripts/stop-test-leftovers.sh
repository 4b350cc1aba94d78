#!/usr/bin/env bash
# Stops meshedge processes that functional or packaging tests started and did not stop (a hot-upgrade
# successor the test lost track of). Only processes whose config lies in a test's own temp directory
# (/tmp/meshedge-functional-*, /tmp/meshedge-packaging-*) are touched; each is named, so a leak is visible, not hidden.
set -uo pipefail
left=0
for dir in /proc/[0-9]*; do
  cmd=$(tr '\0' ' ' 2>/dev/null < "$dir/cmdline") || continue  # stderr first: a process may end between the glob and the read
  case "$cmd" in
    *meshedge*\ run*/meshedge-functional-* | *meshedge*\ run*/meshedge-packaging-*)
      pid=${dir#/proc/}
      echo "test leftover: pid $pid: $cmd" >&2
      kill -TERM "$pid" 2>/dev/null && left=$((left + 1))
      ;;
  esac
done
[ "$left" -gt 0 ] && echo "stopped $left meshedge process(es) left behind by the tests" >&2
exit 0
