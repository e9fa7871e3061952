#!/usr/bin/env bash
# Execs/s of the libFuzzer targets (docs/fuzzing.md "Speed"). Builds them with clang
# (-DCONFORM_FUZZ=ON: ASan+UBSan; with --nosan also a build without sanitizers), runs each from
# a fresh copy of its seed corpus (on /dev/shm when there is one, so the file system does not
# count) with corpus/http.dict for SECONDS, pinned to one core, and prints one row per target
# and build: libFuzzer's average execs/s, execs per CPU-second (user+sys of the process, which
# tells how much a loaded machine took away), and the final cov and ft.
#
# --seeds-only copies only the seeds (the hand-written and spec-derived files, named for what
# they hold) and leaves out the inputs merged from fuzzing runs (named by their SHA-1): the
# issue's "seed corpus" condition. libFuzzer runs slower on a larger, saturated corpus.
#
# --reference BIN runs any other libFuzzer executable the same way on corpus/request (e.g.
# picohttpparser's own fuzz target, built as docs/fuzzing.md says), for a same-machine baseline.
#
# Usage: bench/fuzz_speed.sh [--seconds N] [--targets "request response"] [--build DIR]
#                            [--nosan] [--seeds-only] [--cpu N] [--reference BIN]
# Exit: 0 measured, 1 a target failed (crash or build), 2 usage.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
# shellcheck source=fuzz/libfuzzer.sh
. "$ROOT/fuzz/libfuzzer.sh"
SECS=30
TARGETS="request response chunked spec differential"
BUILD="$ROOT/build-fuzz-bench"
NOSAN=0
CPU=1
REF=""
SEEDS_ONLY=0
usage() {
    sed -n '/^# Usage:/,/^# Exit:/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
    --seconds) SECS="${2:-}"; shift 2 ;;
    --targets) TARGETS="${2:-}"; shift 2 ;;
    --build) BUILD="${2:-}"; shift 2 ;;
    --nosan) NOSAN=1; shift ;;
    --seeds-only) SEEDS_ONLY=1; shift ;;
    --cpu) CPU="${2:-}"; shift 2 ;;
    --reference) REF="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    *) usage ;;
    esac
done
[[ "$SECS" =~ ^[1-9][0-9]*$ ]] || usage
[[ "$CPU" =~ ^[0-9]+$ ]] || usage
[ -z "$REF" ] || [ -x "$REF" ] || { echo "fuzz_speed: $REF is not executable" >&2; exit 2; }
command -v clang >/dev/null || { echo "fuzz_speed: clang is needed (bash .ci/deps-test)" >&2; exit 2; }

build() { # dir, extra cmake args...
    local dir="$1"
    shift
    cmake -S "$ROOT" -B "$dir" -DCMAKE_C_COMPILER=clang -DCONFORM_FUZZ=ON -DCONFORM_TESTS=OFF \
        -DCONFORM_BENCH=OFF "$@" >/dev/null
    # shellcheck disable=SC2046,SC2086  # TARGETS: one word a target
    cmake --build "$dir" -j2 --target $(printf 'fuzz_%s ' $TARGETS) >/dev/null
}
builds=("asan+ubsan:$BUILD")
build "$BUILD" -DCONFORM_FUZZ_SANITIZE=ON
if [ "$NOSAN" -eq 1 ]; then
    build "$BUILD-nosan" -DCONFORM_FUZZ_SANITIZE=OFF
    builds+=("none:$BUILD-nosan")
fi

WORK="$(lf_workdir)"
trap 'rm -rf "$WORK"' EXIT

status=0
run() { # label, sanitizers, binary, corpus dir
    local label="$1" san="$2" bin="$3" seeds="$4" dir
    dir="$(mktemp -d -p "$WORK")"
    if [ "$SEEDS_ONLY" -eq 1 ]; then
        lf_copy_corpus --seeds-only "$seeds" "$dir"
    else
        lf_copy_corpus "$seeds" "$dir"
    fi
    local log="$dir.log"
    if ! lf_run "$log" "$SECS" "$dir/" /usr/bin/time -f "cpu %U %S" taskset -c "$CPU" "$bin" \
        "$dir"; then
        echo "fuzz_speed: $label ($san) failed; its log:" >&2
        tail -30 "$log" >&2
        status=1
        return
    fi
    local execs avg cpu cov
    execs="$(lf_stat "$log" number_of_executed_units)"
    avg="$(lf_stat "$log" average_exec_per_sec)"
    cpu="$(awk '/^cpu /{print $2 + $3}' "$log")"
    cov="$(lf_cov "$log")"
    printf '| %s | %s | %s | %s | %s |\n' "$label" "$san" "$avg" \
        "$(awk -v e="$execs" -v c="$cpu" 'BEGIN { printf("%d", (c > 0) ? e / c : 0) }')" "$cov"
}

corpus="every file of corpus/<target>/"
[ "$SEEDS_ONLY" -eq 0 ] || corpus="the seeds of corpus/<target>/ (no merged inputs)"
echo "fuzz_speed: ${SECS} s per run on CPU $CPU of $(nproc) from $corpus, load $(cut -d' ' -f1-3 /proc/loadavg) at start"
echo "| target | sanitizers | execs/s | execs per CPU-second | final cov / ft |"
echo "|---|---|---:|---:|---|"
for b in "${builds[@]}"; do
    for t in $TARGETS; do
        run "fuzz_$t" "${b%%:*}" "${b#*:}/fuzz/fuzz_$t" "$ROOT/corpus/$t"
    done
done
[ -z "$REF" ] || run "$(basename "$REF") (reference)" "as built" "$REF" "$ROOT/corpus/request"
echo "fuzz_speed: load $(cut -d' ' -f1-3 /proc/loadavg) at end"
exit "$status"
