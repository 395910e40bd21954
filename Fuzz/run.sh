#!/usr/bin/env bash
# Builds the libFuzzer targets (Fuzz/README.md) and runs each for a fixed time on a copy of its seed corpus.
#
#   Fuzz/run.sh [SECONDS]        # SECONDS per target, default 60
#
# Exits 1 when any target crashes, hangs (an input over FUZZ_TIMEOUT seconds), leaks or runs
# out of memory; the input that did it is kept under FUZZ_ARTIFACTS/<target>/. Prints each
# target's executions and executions per second. The committed corpus is never changed.
#
# Environment (all optional):
#   FUZZ_TARGETS    targets to run (default: all five,
#                   FuzzReport FuzzProtocol FuzzDirectory FuzzScenario FuzzVerbs)
#   FUZZ_TIMEOUT    seconds one input may take (default 2)
#   FUZZ_RSS_MB     memory limit in MB, also the largest single allocation (default 2048)
#   FUZZ_MAX_LEN    largest input in bytes (default: libFuzzer's guess from the corpus)
#   FUZZ_CONFIG     release (default) or debug
#   FUZZ_SANITIZE   -sanitize= value (default fuzzer,address; fuzzer alone runs faster)
#   FUZZ_SCRATCH    SwiftPM scratch path (default .build-fuzz)
#   FUZZ_ARTIFACTS  where crashes, logs and the grown corpora go (default $FUZZ_SCRATCH/artifacts)
#   FUZZ_ARGS       more libFuzzer flags, e.g. "-seed=1 -jobs=2"
#   FUZZ_NO_BUILD=1 run what is built
#   HOTLINESIM_FUZZ_ORACLES=0  only crashes, hangs and leaks count (no oracle checks)
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
case "$seconds" in '' | *[!0-9]*)
  echo "usage: Fuzz/run.sh [SECONDS]" >&2
  exit 64
  ;;
esac
targets=${FUZZ_TARGETS:-FuzzReport FuzzProtocol FuzzDirectory FuzzScenario FuzzVerbs}
timeout=${FUZZ_TIMEOUT:-2}
rss=${FUZZ_RSS_MB:-2048}
config=${FUZZ_CONFIG:-release}
sanitize=${FUZZ_SANITIZE:-fuzzer,address}
scratch=${FUZZ_SCRATCH:-.build-fuzz}
artifacts=${FUZZ_ARTIFACTS:-$scratch/artifacts}
mkdir -p "$scratch" "$artifacts"
artifacts=$(cd "$artifacts" && pwd)

if [ "${FUZZ_NO_BUILD:-0}" != 1 ]; then
  for target in $targets; do
    echo "== building $target ($config, -sanitize=$sanitize)"
    # Only the products asked for: the tools' own main.swift files are not fuzz targets.
    if ! HOTLINESIM_FUZZ=1 swift build --scratch-path "$scratch" -c "$config" \
      -Xswiftc -sanitize="$sanitize" --product "$target" >"$artifacts/build.log" 2>&1; then
      # ld.gold warns about every ASan symbol it cannot export; those lines are noise.
      grep -v "Cannot export local symbol" "$artifacts/build.log" | tail -n 40
      echo "fuzz: building $target failed (log: $artifacts/build.log)" >&2
      exit 1
    fi
  done
fi
bin=$(HOTLINESIM_FUZZ=1 swift build --scratch-path "$scratch" -c "$config" \
  -Xswiftc -sanitize="$sanitize" --show-bin-path)

# The Swift runtime's backtracer and ASan both want the crash signals; let ASan report.
export SWIFT_BACKTRACE=enable=no
# Memory the one-time loads keep in globals looks leaked to LeakSanitizer (see Fuzz/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/Fuzz/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"

failed=()
summary=()
for target in $targets; do
  out="$artifacts/$target"
  rm -rf "$out"
  mkdir -p "$out/corpus"
  # A copy: libFuzzer adds what it finds to the first corpus folder.
  cp Fuzz/Corpus/"$target"/* "$out/corpus/"
  args=(
    -max_total_time="$seconds" -timeout="$timeout" -rss_limit_mb="$rss"
    -print_final_stats=1 -artifact_prefix="$out/"
  )
  [ -f "Fuzz/Dictionaries/$target.dict" ] && args+=(-dict="Fuzz/Dictionaries/$target.dict")
  [ -n "${FUZZ_MAX_LEN:-}" ] && args+=(-max_len="$FUZZ_MAX_LEN")
  # shellcheck disable=SC2206 # FUZZ_ARGS is a list of flags
  [ -n "${FUZZ_ARGS:-}" ] && args+=(${FUZZ_ARGS})
  echo "== fuzzing $target for ${seconds}s (log: $out/fuzz.log)"
  status=0
  "$bin/$target" "${args[@]}" "$out/corpus" >"$out/fuzz.log" 2>&1 || status=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$out/fuzz.log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$out/fuzz.log" | tail -n 1)
  found=$(find "$out" -maxdepth 1 -type f \
    \( -name 'crash-*' -o -name 'timeout-*' -o -name 'leak-*' -o -name 'oom-*' \) | sort)
  if [ "$status" -ne 0 ] || [ -n "$found" ]; then
    failed+=("$target")
    result="FAILED (exit $status)"
    echo "-- $target failed; the end of its log:"
    grep -v "^#[0-9]" "$out/fuzz.log" | tail -n 60
    for file in $found; do
      echo "-- reproduce: $bin/$target $file"
    done
  else
    result="ok"
  fi
  summary+=("$(printf '%-13s %-18s %10s executions %8s exec/s' \
    "$target" "$result" "${runs:-?}" "${speed:-?}")")
done

echo "== fuzz summary (${seconds}s per target)"
printf '%s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: ${failed[*]} failed; inputs under $artifacts/<target>/" >&2
  exit 1
fi
