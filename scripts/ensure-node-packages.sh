#!/usr/bin/env bash
# Installs the npm packages of each named directory (package.json + package-lock.json) with `npm ci`
# when node_modules is missing or older than the lock file; does nothing otherwise. Idempotent, so
# `make test` and the functional tests can call it every time.
set -euo pipefail
for dir in "$@"; do
  lock="$dir/package-lock.json"
  stamp="$dir/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ ! "$lock" -nt "$stamp" ]; then
    continue
  fi
  command -v npm >/dev/null || { echo "npm is required for the interop tests in $dir (install Node.js 20)" >&2; exit 1; }
  echo "installing npm packages in $dir" >&2
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >&2)
  touch "$stamp"
done
