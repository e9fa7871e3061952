#!/usr/bin/env bash
# Overnight fuzzing (docs/fuzzing.md): builds the targets if needed, fuzzes each for its share
# of DURATION on N cores (libFuzzer -fork=N), merges the inputs that add coverage back into
# corpus/<target>/ (-merge=1, so only new coverage is kept), groups crashes by stack signature
# and writes reports/fuzz/<date>/summary.md and summary.json (fuzz/fuzz_summary.py).
#
# Usage: fuzz/overnight.sh --duration 8h --jobs N [--build DIR] [--targets "request spec"]
#   DURATION is N (seconds), Ns, Nm or Nh, shared equally by the targets.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DURATION=""
JOBS=1
BUILD="$ROOT/build-fuzz"
TARGETS="request response chunked spec differential"
usage() { echo "usage: fuzz/overnight.sh --duration 8h --jobs N [--build DIR] [--targets LIST]" >&2; exit 2; }
while [ $# -gt 0 ]; do
    case "$1" in
    --duration) DURATION="${2:-}"; shift 2 ;;
    --jobs) JOBS="${2:-}"; shift 2 ;;
    --build) BUILD="${2:-}"; shift 2 ;;
    --targets) TARGETS="${2:-}"; shift 2 ;;
    *) usage ;;
    esac
done
case "$DURATION" in
*h) total=$((${DURATION%h} * 3600)) ;;
*m) total=$((${DURATION%m} * 60)) ;;
*s) total=${DURATION%s} ;;
'' ) usage ;;
*) total=$DURATION ;;
esac
[[ "$JOBS" =~ ^[1-9][0-9]*$ ]] || usage
ntargets=$(wc -w <<<"$TARGETS")
per=$((total / ntargets))
[ "$per" -ge 10 ] || { echo "overnight: --duration gives under 10 s per target" >&2; exit 2; }

# Build (incremental when the build directory exists).
if [ ! -f "$BUILD/CMakeCache.txt" ]; then
    cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCONFORM_FUZZ=ON -DCONFORM_BENCH=OFF
fi
# shellcheck disable=SC2046
cmake --build "$BUILD" -j"$JOBS" --target $(printf 'fuzz_%s ' $TARGETS)

DATE="$(date -u +%Y-%m-%dT%H%M%SZ)"
REPORT="$ROOT/reports/fuzz/$DATE"
WORK="$BUILD/fuzz-work/$DATE"
mkdir -p "$REPORT" "$WORK"
export ASAN_OPTIONS="detect_leaks=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
COMMAND="fuzz/overnight.sh --duration $DURATION --jobs $JOBS --build $BUILD --targets \"$TARGETS\""

for t in $TARGETS; do
    bin="$BUILD/fuzz/fuzz_$t"
    dir="$WORK/$t"
    mkdir -p "$dir/new" "$dir/artifacts" "$ROOT/corpus/$t"
    before=$(find "$ROOT/corpus/$t" -maxdepth 1 -type f | wc -l)
    regress=()
    [ -d "$ROOT/corpus/regressions/$t" ] && regress=("$ROOT/corpus/regressions/$t")
    mode=()
    [ "$JOBS" -gt 1 ] && mode=(-fork="$JOBS" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1)
    echo "overnight: fuzz_$t for ${per}s on $JOBS core(s)"
    # New inputs go to $dir/new; the seeds and regressions are read only.
    "$bin" "${mode[@]}" -max_total_time="$per" -timeout=25 -rss_limit_mb=2048 \
        -print_final_stats=1 -dict="$ROOT/corpus/http.dict" -artifact_prefix="$dir/artifacts/" \
        "$dir/new" "$ROOT/corpus/$t" "${regress[@]}" >"$dir/fuzz.log" 2>&1 || true
    # Keep only what adds coverage to the committed corpus.
    "$bin" -merge=1 -timeout=25 -rss_limit_mb=2048 "$ROOT/corpus/$t" "$dir/new" \
        >"$dir/merge.log" 2>&1 || echo "overnight: merge of fuzz_$t failed (see $dir/merge.log)"
    after=$(find "$ROOT/corpus/$t" -maxdepth 1 -type f | wc -l)
    echo "$((after - before))" >"$dir/new_files"
    # Re-run every artifact to get its symbolized report.
    for a in "$dir/artifacts"/*; do
        [ -f "$a" ] || continue
        "$bin" -timeout=25 -rss_limit_mb=2048 "$a" >"$a.report" 2>&1 || true
    done
done

python3 "$ROOT/fuzz/fuzz_summary.py" --work "$WORK" --build "$BUILD" --report "$REPORT" \
    --duration "$DURATION" --jobs "$JOBS" --command "$COMMAND" $TARGETS
echo "overnight: summary in ${REPORT#"$ROOT"/}/summary.md"
