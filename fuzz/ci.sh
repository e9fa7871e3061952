#!/usr/bin/env bash
# CI smoke run of the fuzz targets (docs/fuzzing.md):
#  1. builds them with clang -DCONFORM_FUZZ=ON (ASan + UBSan) in build-fuzz-ci/;
#  2. runs every target for SECONDS (default 60), two at a time, with its seed corpus (copied:
#     the repository is not changed), its regressions and corpus/http.dict, -detect_leaks=1;
#     any crash, leak, UB report, timeout or broken invariant fails the run;
#  3. runs fuzz/ci-build-cflite.sh (the ClusterFuzzLite build).
# Usage: fuzz/ci.sh [--seconds N] [--build DIR]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=fuzz/libfuzzer.sh
. "$ROOT/fuzz/libfuzzer.sh"
SECONDS_PER_TARGET=60
BUILD="$ROOT/build-fuzz-ci"
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) SECONDS_PER_TARGET="$2"; shift 2 ;;
    --build) BUILD="$2"; shift 2 ;;
    *) echo "usage: fuzz/ci.sh [--seconds N] [--build DIR]" >&2; exit 2 ;;
    esac
done
TARGETS="request response chunked spec differential report baseline profile"

cmake -S "$ROOT" -B "$BUILD" -DCMAKE_C_COMPILER=clang -DCONFORM_FUZZ=ON \
    -DCONFORM_TESTS=OFF -DCONFORM_BENCH=OFF >/dev/null
# shellcheck disable=SC2046,SC2086  # TARGETS: one word a target
cmake --build "$BUILD" -j2 --target $(printf 'fuzz_%s ' $TARGETS) >/dev/null

# The corpora grow by thousands of files in the first seconds: on tmpfs when there is one, so
# the run measures the targets and not the file system.
WORK="$(lf_workdir)"
trap 'rm -rf "$WORK"' EXIT
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:symbolize=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"

run_target() { # target: fuzzes it for SECONDS_PER_TARGET; 0 when nothing was found
    local t="$1" dir="$WORK/$1"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    lf_copy_corpus "$ROOT/corpus/$t" "$dir/corpus"
    local regress=()
    [ -d "$ROOT/corpus/regressions/$t" ] && regress=("$ROOT/corpus/regressions/$t")
    lf_run "$dir/log" "$SECONDS_PER_TARGET" "$dir/artifacts/" "$BUILD/fuzz/fuzz_$t" \
        -detect_leaks=1 -timeout=10 -rss_limit_mb=2048 "$dir/corpus" "${regress[@]}"
}

status=0
# shellcheck disable=SC2086  # one argument a target
set -- $TARGETS
while [ $# -gt 0 ]; do
    pids=()
    names=()
    for _ in 1 2; do
        [ $# -gt 0 ] || break
        run_target "$1" &
        pids+=("$!")
        names+=("$1")
        shift
    done
    for i in "${!pids[@]}"; do
        t="${names[$i]}"
        if wait "${pids[$i]}" && [ -z "$(ls -A "$WORK/$t/artifacts")" ]; then
            execs="$(lf_stat "$WORK/$t/log" average_exec_per_sec)"
            cov="$(lf_cov "$WORK/$t/log")"
            echo "fuzz ci: fuzz_$t ok (${SECONDS_PER_TARGET}s, ${execs:-?} execs/s, $cov)"
        else
            echo "fuzz ci: fuzz_$t FAILED; log tail:" >&2
            tail -60 "$WORK/$t/log" >&2
            for a in "$WORK/$t/artifacts"/*; do
                [ -e "$a" ] || continue
                echo "fuzz ci: input $(basename "$a") (hex): $(od -An -tx1 -v "$a" | tr -d ' \n' | head -c 2000)" >&2
            done
            status=1
        fi
    done
done

bash "$ROOT/fuzz/ci-build-cflite.sh" || status=1
[ "$status" -eq 0 ] && echo "fuzz ci: all targets passed"
exit "$status"
