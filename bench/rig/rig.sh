# bench/rig/rig.sh - the benchmark rig, sourced by each scenario (bench/*/run.sh) after `set -euo pipefail`:
#   procs.sh     logging, process bookkeeping, cleanup on any exit, the scratch directory
#   packages.sh  the Debian packages a scenario needs, installed only when missing
#   ports.sh     free ports, waiting for a server to listen
#   peers.sh     pinning, starting nginx / HAProxy / MeshEdge pinned, the list of peers measured
#   readings.sh  /proc: process CPU, core busy time, RSS / VmHWM, context switches, around each run
#   rounds.sh    warm-up, interleaved rounds with rotated peer order, medians, the perf round
#   report.sh    formats, ratios, verdicts, header lines, per-run tables, writing the report
#   wrk.sh       the wrk load (HTTP/1.1 keep-alive) of the wrk scenarios
#   http_proxies.sh  the HTTP/1.1 scenarios' nginx, HAProxy and MeshEdge configs and their check
# bench/README.md ("The rig") says how a scenario plugs in.
# shellcheck shell=bash

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$RIG_DIR/../.." && pwd)
export PATH="$PATH:/usr/sbin:/sbin"
export LC_ALL=C

# The knobs every scenario has (a scenario may set its own default before sourcing the rig).
DURATION=${DURATION:-10}
RUNS=${RUNS:-3}
WARMUP=${WARMUP:-2}
PROXY_CPU=${PROXY_CPU:-1}
LOAD_CPU=${LOAD_CPU:-0}
PERF=${PERF:-0}
RESULTS_DIR=${RESULTS_DIR:-$REPO_ROOT/bench/results}
MESHEDGE=${MESHEDGE:-artifacts/linux-x64/meshedge}
[[ $MESHEDGE == /* ]] || MESHEDGE="$REPO_ROOT/$MESHEDGE"

# shellcheck source=bench/rig/procs.sh
source "$RIG_DIR/procs.sh"
# shellcheck source=bench/rig/packages.sh
source "$RIG_DIR/packages.sh"
# shellcheck source=bench/rig/ports.sh
source "$RIG_DIR/ports.sh"
# shellcheck source=bench/rig/peers.sh
source "$RIG_DIR/peers.sh"
# shellcheck source=bench/rig/readings.sh
source "$RIG_DIR/readings.sh"
# shellcheck source=bench/rig/rounds.sh
source "$RIG_DIR/rounds.sh"
# shellcheck source=bench/rig/report.sh
source "$RIG_DIR/report.sh"
# shellcheck source=bench/rig/wrk.sh
source "$RIG_DIR/wrk.sh"
# shellcheck source=bench/rig/http_proxies.sh
source "$RIG_DIR/http_proxies.sh"
