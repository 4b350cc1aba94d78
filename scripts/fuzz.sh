#!/usr/bin/env bash
# Fuzzes one codec target with afl-fuzz for a while and reports what it found.
#   scripts/fuzz.sh TARGET SECONDS       e.g. scripts/fuzz.sh h2-frames 600
# Targets: h2-frames h2-session hpack http1 bolt tls-client-hello (tests/Proxy.Fuzz/FuzzTargets.cs). Seeds: tests/Proxy.Fuzz/corpus/TARGET.
# Builds tests/Proxy.Fuzz, instruments its copy of Proxy.Codecs.dll with SharpFuzz, runs afl-fuzz (afl++),
# then prints execs, paths and crashes, and replays each crash to show its exception. Exit 1 on any crash.
# Replay one by hand: dotnet artifacts/fuzz/build/TARGET/replay/Proxy.Fuzz.dll TARGET FILE...
# Findings stay in artifacts/fuzz/TARGET (a second run on the same target resumes from them).
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: scripts/fuzz.sh TARGET SECONDS}
seconds=${2:?usage: scripts/fuzz.sh TARGET SECONDS}
corpus=tests/Proxy.Fuzz/corpus/$target
[ -d "$corpus" ] || { echo "no seed corpus $corpus (targets: $(ls tests/Proxy.Fuzz/corpus | tr '\n' ' '))" >&2; exit 2; }

scripts/ensure-packages.sh afl++
tools=artifacts/tools
if [ ! -x "$tools/sharpfuzz" ]; then
  dotnet tool install SharpFuzz.CommandLine --version 2.3.0 --tool-path "$tools" >/dev/null
fi

# Two copies: bin/ instrumented for afl (SharpFuzz rewrites the assembly in place and refuses one already
# instrumented, so it is fresh each time), replay/ plain, to rerun a crash outside afl (the instrumented
# code writes to afl's shared memory and faults without it).
# Per target, so that targets can be fuzzed side by side.
bin=artifacts/fuzz/build/$target/bin
replay=artifacts/fuzz/build/$target/replay
rm -rf "$bin" "$replay"
dotnet build tests/Proxy.Fuzz -c Release -o "$replay" -nologo -v quiet >/dev/null 2>&1 \
  || dotnet build tests/Proxy.Fuzz -c Release -o "$replay" -nologo -v quiet
cp -r "$replay" "$bin"
"$tools/sharpfuzz" "$bin/Proxy.Codecs.dll"

out=artifacts/fuzz/$target
mkdir -p "$out"
# dotnet itself is not instrumented (SharpFuzz reports coverage from inside the process); the machine is
# shared, so no CPU pinning and no core_pattern or governor demands.
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_AUTORESUME=1 AFL_NO_UI=1
afl-fuzz -i "$corpus" -o "$out" -V "$seconds" -t 5000 -m none -- dotnet "$bin/Proxy.Fuzz.dll" "$target" >"$out/afl.log" 2>&1 \
  || { tail -n 30 "$out/afl.log" >&2; exit 1; }

stats=$out/default/fuzzer_stats
stat() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
crashes=$(stat saved_crashes)
# afl keeps its counts across resumed runs, so these add up every run on this target's findings.
echo "fuzz $target (all runs so far): $(stat run_time) s, $(stat execs_done) execs ($(stat execs_per_sec)/s now), $(stat corpus_count) paths, $(stat bitmap_cvg) map coverage, $crashes crashes, $(stat saved_hangs) hangs"
if [ "$crashes" != "0" ]; then
  for file in "$out"/default/crashes/id:*; do
    echo "--- $file"
    dotnet "$replay/Proxy.Fuzz.dll" "$target" "$file" 2>&1 | head -n 8 || true
  done
  exit 1
fi
