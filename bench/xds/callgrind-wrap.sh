#!/usr/bin/env bash
# bench/xds/callgrind-wrap.sh: MESHEDGE for a callgrind count of one push (with HOOK=bench/xds/profile-hook.sh,
# PROFILE=callgrind): the AOT binary without its debug info (valgrind 3.19 cannot read the DWARF the
# build emits; function names stay), under callgrind with collection on, dumps into $CALLGRIND_DIR.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=${CALLGRIND_BIN:-$here/artifacts/linux-x64/meshedge}
dir=${CALLGRIND_DIR:-/tmp/xds-callgrind}
mkdir -p "$dir"
objcopy --strip-debug "$bin" "$dir/meshedge-cg"
exec valgrind --tool=callgrind --callgrind-out-file="$dir/callgrind.out.%p" "$dir/meshedge-cg" "$@"
