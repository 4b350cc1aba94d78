#!/usr/bin/env bash
# bench/bolt/run.sh - Bolt RPC load through MeshEdge (one worker) against the direct path, in one run.
#
# A C# Bolt echo server (bench/bolt/BoltLoad) answers every request at once; the load generator keeps
# INFLIGHT requests outstanding on each of CONNS connections (the multiplexing the proxy exists for).
# Peers "direct" (load -> server) and "meshedge" (load -> meshedge -> server) alternate within each
# round, the proxy pinned to PROXY_CPU, load and server to LOAD_CPU. Only ratios of one run mean much.
#
# Both peers are .NET programs whose thread pools spin (sched_yield) while they wait for their next
# completion. Sharing one core, that spinning costs nothing when the other peer answers on the same
# core (direct), but burns that core while the answer is on its way through the proxy's core: the
# proxied path measured ~5x the generator's sched_yield calls per request. So both peers run with
# DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0 (no spinning), for both paths alike.
#
# Environment (all optional):
#   DURATION=10 seconds per run   RUNS=3 rounds   WARMUP=2 seconds of unrecorded load per peer first
#   CONNS=2 connections   INFLIGHT=64 requests in flight per connection   PAYLOAD=64 bytes of content
#   PROXY_CPU=1   LOAD_CPU=0   MESHEDGE=artifacts/linux-x64/meshedge   RESULTS_DIR=bench/results
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
export LC_ALL=C
DURATION=${DURATION:-10}; RUNS=${RUNS:-3}; WARMUP=${WARMUP:-2}
CONNS=${CONNS:-2}; INFLIGHT=${INFLIGHT:-64}; PAYLOAD=${PAYLOAD:-64}
PROXY_CPU=${PROXY_CPU:-1}; LOAD_CPU=${LOAD_CPU:-0}
RESULTS_DIR=${RESULTS_DIR:-$REPO_ROOT/bench/results}
MESHEDGE=${MESHEDGE:-artifacts/linux-x64/meshedge}
[[ $MESHEDGE == /* ]] || MESHEDGE="$REPO_ROOT/$MESHEDGE"
[[ -x $MESHEDGE ]] || { echo "no meshedge binary at $MESHEDGE (run make build)" >&2; exit 2; }

PEER_ENV=(env DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0)

WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet build "$SCRIPT_DIR/BoltLoad" -c Release -o "$WORK/bolt-load" -nologo -v quiet >/dev/null
LOAD="$WORK/bolt-load/BoltLoad"
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

SERVER_PORT=$(free_port)
"${PEER_ENV[@]}" taskset -c "$LOAD_CPU" "$LOAD" server "$SERVER_PORT" "$PAYLOAD" > "$WORK/server.out" & PIDS+=($!)
PROXY_PORT=$(free_port)
cat > "$WORK/meshedge.toml" <<EOF
[runtime]
workers = 1
log_level = "warn"
[[listeners]]
name = "bolt"
address = "127.0.0.1:$PROXY_PORT"
protocol = "bolt"
[listeners.rpc_proxy]
routes = [ { match = { service = "com.meshedge.Bench:1.0" }, cluster = "bench" } ]
[[clusters]]
name = "bench"
hosts = ["127.0.0.1:$SERVER_PORT"]
EOF
taskset -c "$PROXY_CPU" "$MESHEDGE" run -c "$WORK/meshedge.toml" 2> "$WORK/meshedge.log" & MESH_PID=$!; PIDS+=($MESH_PID)
sleep 1

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# Busy and total jiffies of the proxy's core: anything else running there (the machine is shared)
# shows as "other" busy time beyond the proxy's own.
core() { awk -v c="cpu$PROXY_CPU" '$1 == c { print $2 + $3 + $4 + $7 + $8, $2 + $3 + $4 + $5 + $6 + $7 + $8 }' /proc/stat; }
HZ=$(getconf CLK_TCK)
run_load() { "${PEER_ENV[@]}" taskset -c "$LOAD_CPU" "$LOAD" load "127.0.0.1:$1" "$CONNS" "$INFLIGHT" "$2" "$PAYLOAD"; }
field() { sed -n "s/.*$1=\([0-9.]*\).*/\1/p" <<<"$2"; }

for port in "$SERVER_PORT" "$PROXY_PORT"; do run_load "$port" "$WARMUP" >/dev/null; done
ROWS=()
for ((round = 1; round <= RUNS; round++)); do
  order=(direct meshedge); ((round % 2 == 0)) && order=(meshedge direct)
  for peer in "${order[@]}"; do
    port=$SERVER_PORT; [[ $peer == meshedge ]] && port=$PROXY_PORT
    before=$(ticks "$MESH_PID"); read -r core_busy0 core_all0 < <(core)
    line=$(run_load "$port" "$DURATION")
    after=$(ticks "$MESH_PID"); read -r core_busy1 core_all1 < <(core)
    other=$(awk -v b=$((core_busy1 - core_busy0 - (after - before))) -v t=$((core_all1 - core_all0)) 'BEGIN { printf "%.0f", (t > 0 ? 100 * b / t : 0) }')
    requests=$(field requests "$line"); rps=$(field rps "$line"); p99=$(field p99_us "$line"); errors=$(field errors "$line")
    cpu="-"
    [[ $peer == meshedge ]] && cpu=$(awk -v t=$((after - before)) -v hz="$HZ" -v n="$requests" 'BEGIN { printf "%.2f", t / hz * 1e6 / n }')
    ROWS+=("$round $peer $rps $p99 $cpu $errors $other")
    echo "round $round $peer: rps=$rps p99_us=$p99 proxy_cpu_us_per_req=$cpu errors=$errors other_on_proxy_core=${other}%" >&2
  done
done

median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
col() { printf '%s\n' "${ROWS[@]}" | awk -v p="$1" -v c="$2" '$2 == p { print $c }' | median; }
DIRECT_RPS=$(col direct 3); MESH_RPS=$(col meshedge 3)
REPORT=$(cat <<EOF
# Bolt RPC: MeshEdge (1 worker) vs direct, $(date -u +%Y-%m-%dT%H:%MZ)

$CONNS connections x $INFLIGHT in flight, $PAYLOAD-byte content, ${DURATION}s x $RUNS rounds; proxy on CPU $PROXY_CPU, load and server on CPU $LOAD_CPU.

| peer | req/s (median) | p99 us (median) | proxy CPU us/req (median) | other load on the proxy's core (median) |
|---|---|---|---|---|
| direct | $DIRECT_RPS | $(col direct 4) | - | $(col direct 7)% |
| meshedge | $MESH_RPS | $(col meshedge 4) | $(col meshedge 5) | $(col meshedge 7)% |

meshedge / direct requests/s: $(awk -v m="$MESH_RPS" -v d="$DIRECT_RPS" 'BEGIN { printf "%.2f", m / d }') (target: at least 0.8)

"Other load" is the busy time of the proxy's core not spent by MeshEdge (other jobs on this shared
machine); well above a few percent, the MeshEdge row measured the machine, not the proxy.
EOF
)
mkdir -p "$RESULTS_DIR"
OUT="$RESULTS_DIR/bolt-$(date -u +%Y%m%dT%H%M%SZ).md"
printf '%s\n' "$REPORT" | tee "$OUT"
