#!/usr/bin/env bash
# make fuzz: runs each coverage-guided fuzz target with Jazzer's driver (libFuzzer) for FUZZ_SECONDS, starting
# from the committed corpus, prints executions, coverage and findings per target, and merges the inputs that
# reached new code into the committed corpus (commit them: make test replays it in regression mode).
# Usage: fuzz.sh SECONDS TARGET...   (targets: ip4 udp icmp slip tcp eth dhcp dns ppp)
set -u
secs=$1; shift
cd "$(dirname "$0")/../.."
cp_file=core/target/fuzz.classpath
[ -s "$cp_file" ] || { echo "fuzz: $cp_file missing (run through make fuzz)" >&2; exit 2; }
# Fuzz a snapshot of the compiled classes, so that a rebuild during a long run cannot pull them away.
snap=core/target/fuzz/classes
rm -rf "$snap" && mkdir -p "$snap" && cp -r core/target/classes "$snap/main" && cp -r core/target/test-classes "$snap/test"
CP="$snap/test:$snap/main:$(cat "$cp_file")"
corpus_root=core/src/test/resources/io/jwip/fuzz/JazzerRegressionTestInputs
work=core/target/fuzz
declare -A class=(
  [ip4]='io.jwip.fuzz.IpFuzzTargets$Ip4' [udp]='io.jwip.fuzz.IpFuzzTargets$Udp4'
  [icmp]='io.jwip.fuzz.IpFuzzTargets$Icmp4' [slip]='io.jwip.fuzz.IpFuzzTargets$Slip'
  [tcp]='io.jwip.tcp.TcpFuzzTarget' [eth]='io.jwip.eth.EthFuzzTarget' [dhcp]='io.jwip.dhcp.DhcpFuzzTarget'
  [dns]='io.jwip.dns.DnsFuzzTarget' [ppp]='io.jwip.ppp.PppFuzzTarget')
status=0
summary=()
for t in "$@"; do
  c=${class[$t]:-}
  [ -n "$c" ] || { echo "fuzz: unknown target $t (ip4 udp icmp slip tcp eth dhcp dns ppp)" >&2; exit 2; }
  committed=$corpus_root/$t
  mkdir -p "$committed" "$work/$t/corpus" "$work/$t/findings"
  cp -n "$committed"/* "$work/$t/corpus/" 2>/dev/null || true
  before=$(ls "$committed" | wc -l)
  echo "=== fuzz $t for ${secs}s ($c), corpus $before inputs"
  log=$work/$t/log.txt
  java -XX:-DoEscapeAnalysis -cp "$CP" com.code_intelligence.jazzer.Jazzer --target_class="$c" \
      --instrumentation_includes='io.jwip.**' --keep_going=0 \
      -max_total_time="$secs" -print_final_stats=1 -artifact_prefix="$work/$t/findings/" \
      "$work/$t/corpus" > "$log" 2>&1
  rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  ft=$(grep -oE 'ft: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+')
  findings=$(ls "$work/$t/findings" | wc -l)
  # keep only inputs that add coverage to what is committed
  java -cp "$CP" com.code_intelligence.jazzer.Jazzer --target_class="$c" --instrumentation_includes='io.jwip.**' \
      -merge=1 "$committed" "$work/$t/corpus" > "$work/$t/merge.txt" 2>&1
  after=$(ls "$committed" | wc -l)
  line="$t: ${execs:-?} executions, coverage ${cov:-?} edges / ${ft:-?} features, corpus $before -> $after inputs, findings $findings"
  echo "$line"
  summary+=("$line")
  if [ "$findings" != 0 ] || { [ $rc != 0 ] && [ -z "$execs" ]; }; then
    status=1
    echo "  findings in $work/$t/findings/ (log: $log):"; ls "$work/$t/findings" | sed 's/^/    /'
    grep -m 5 -E 'Exception|Error|==' "$log" | sed 's/^/    /'
  fi
done
echo "=== fuzz summary (${secs}s per target)"
printf '%s\n' "${summary[@]}"
exit $status
