#!/usr/bin/env bash
# Sums the TRX files of one `dotnet test` run into the plain closing line "N passed, N failed", and
# prints before it, as the very last lines of `make test`, each FAILED test's name and the first lines
# of its message, and any aborted run (a crashed or hung test host): CI shows only the tail of the
# output, so the tail alone must say what failed.
set -euo pipefail
dir=${1:?results directory}
detailed=${SUMMARY_DETAILED:-6}  # failures shown with their message; the rest by name only
message_lines=${SUMMARY_MESSAGE_LINES:-2}
passed=0 failed=0 skipped=0
shopt -s nullglob
trx_files=("$dir"/*.trx)
for trx in "${trx_files[@]}"; do
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(grep -o 'passed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  f=$(grep -o ' failed="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  n=$(grep -o 'notExecuted="[0-9]*"' <<<"$counters" | grep -o '[0-9]*')
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${n:-0}))
done

# One line per failed test ("name<TAB>message line<TAB>message line"), then one per aborted run.
report=$(
  [ ${#trx_files[@]} -gt 0 ] || exit 0
  awk -v lines="$message_lines" '
    function unescape(s) {
      gsub(/&#xD;|&#xA;|\r/, "", s); gsub(/&lt;/, "<", s); gsub(/&gt;/, ">", s)
      gsub(/&quot;/, "\"", s); gsub(/&apos;/, "\x27", s); gsub(/&amp;/, "\\&", s)
      return s
    }
    function flush() {
      if (name != "") print "F\t" name msg
      name = ""; msg = ""; inmsg = 0; kept = 0
    }
    /<UnitTestResult / {
      flush()
      if ($0 ~ /outcome="Failed"/) {
        name = $0; sub(/.*testName="/, "", name); sub(/".*/, "", name); name = unescape(name)
        if ($0 ~ /\/>[ \t]*$/) flush()
      }
      next
    }
    /<\/UnitTestResult>/ { flush(); next }
    name != "" && /<Message>/ { inmsg = 1; sub(/.*<Message>/, "") }
    inmsg {
      done = sub(/<\/Message>.*/, "")
      text = unescape($0); gsub(/^[ \t]+|[ \t]+$/, "", text)
      if (text != "" && kept < lines) { msg = msg "\t" text; kept++ }
      if (done) inmsg = 0
      next
    }
    /<RunInfo / && /outcome="(Error|Failed)"/ { runinfo = 1; next }
    runinfo && /<Text>/ {
      text = $0; sub(/.*<Text>/, "", text); sub(/<\/Text>.*/, "", text)
      # xUnit also files each failed test here as "... [FAIL]"; those are listed above already.
      if (text !~ /\[FAIL\]/) print "A\t" FILENAME ": " unescape(text)
      runinfo = 0
    }
    END { flush() }
  ' "${trx_files[@]}"
)

if [ -n "$report" ]; then
  echo
  echo "==== FAILED ($failed failed test(s); full messages above and in $dir/*.trx) ===="
  shown=0
  while IFS=$'\t' read -r kind name rest; do
    [ "$kind" = F ] || continue
    shown=$((shown + 1))
    echo "FAILED $name"
    if [ "$shown" -le "$detailed" ] && [ -n "${rest:-}" ]; then
      tr '\t' '\n' <<<"$rest" | sed 's/^/    /' | cut -c1-200
    fi
  done <<<"$report"
  grep '^A' <<<"$report" | cut -f2- | sed 's/^/ABORTED /' | cut -c1-240 | head -4 || true
fi
if [ ${#trx_files[@]} -eq 0 ]; then
  echo "no test results in $dir: the test run did not get as far as running tests (see above)"
fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ] && ! grep -q '^A' <<<"$report"
