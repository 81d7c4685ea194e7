#!/usr/bin/env bash
# Fuzzes every file reader of the SDK with Jazzer, one @FuzzTest after another (docs/RELIABILITY.md).
#   scripts/fuzz-all.sh [DURATION] [TARGET...]     DURATION as Jazzer reads it (30s, 5m, 1h); default 5m
# Extra Maven options come from ACGAN_MVN_OPTS (e.g. "-o -Dmaven.repo.local=..."). Each target's log goes to
# target/fuzz/<target>.log; a finding fails that target and leaves its input as crash-* in the module folder
# (move it into the test's *FuzzTestInputs/<method>/ folder to keep it as a regression input).
set -uo pipefail
cd "$(dirname "$0")/.."
duration=${1:-5m}
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(acgan-api:IdxReaderFuzzTest#images acgan-api:IdxReaderFuzzTest#labels acgan-api:IdxReaderFuzzTest#gzipImages
           acgan-api:IdxReaderFuzzTest#dataset acgan-api:ImageFolderFuzzTest#png acgan-api:ImageFolderFuzzTest#pngResized
           acgan-api:CheckpointFuzzTest#safetensors acgan-api:CheckpointFuzzTest#metadata
           acgan-api:CheckpointFuzzTest#directory samples:ConfigFilesFuzzTest#read)
fi
mkdir -p target/fuzz
# The samples module reads acgan-api from the local repository.
mvn -B -q ${ACGAN_MVN_OPTS:-} -pl acgan-api install -DskipTests || exit 1
failed=0
printf '%-40s %10s %8s %10s %s\n' target executions cov features result
for t in "${targets[@]}"; do
  module=${t%%:*}
  test=${t#*:}
  log=target/fuzz/${test//#/.}.log
  JAZZER_FUZZ=1 mvn -B ${ACGAN_MVN_OPTS:-} -pl "$module" test -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.max_duration="$duration" >"$log" 2>&1
  rc=$?
  done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
  execs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1)
  cov=$(sed -n 's/.*cov: \([0-9]*\).*/\1/p' <<<"$done_line")
  ft=$(sed -n 's/.*ft: \([0-9]*\).*/\1/p' <<<"$done_line")
  result=ok
  [ $rc -eq 0 ] || { result="FAILED (see $log)"; failed=1; }
  printf '%-40s %10s %8s %10s %s\n' "$t" "${execs:-?}" "${cov:-?}" "${ft:-?}" "$result"
done
exit $failed
