# shellcheck shell=bash
# What fuzz/ci.sh and bench/fuzz_speed.sh do alike to run a libFuzzer executable on a copy of a
# corpus and read its final stats (docs/fuzzing.md "CI smoke run" and "Speed").
#
# Source it (bash), do not run it. It defines:
#   lf_workdir           prints the name of a new temporary directory: on /dev/shm when it is
#                        writable (a fuzz run writes thousands of new inputs in its first
#                        seconds; on tmpfs the run measures the target and not the file system),
#                        else from mktemp -d. The caller removes it.
#   lf_copy_corpus [--seeds-only] FROM TO
#                        copies the files of the corpus FROM into the existing directory TO.
#                        --seeds-only leaves out the inputs merged from fuzzing runs (files named
#                        by a 40-hex SHA-1) and keeps the seeds (named for what they hold).
#   lf_run LOG SECONDS PREFIX COMMAND [ARG...]
#                        runs COMMAND ARG... with libFuzzer's options -max_total_time=SECONDS
#                        -print_final_stats=1 -dict=corpus/http.dict -artifact_prefix=PREFIX
#                        appended (libFuzzer takes options and corpus directories in any order;
#                        COMMAND may be a wrapper such as taskset with the executable in its
#                        ARGs), stdout and stderr to LOG. Returns COMMAND's status.
#   lf_stat LOG NAME     prints the value of libFuzzer's final stat::NAME in LOG (e.g.
#                        average_exec_per_sec, number_of_executed_units); nothing when missing.
#   lf_cov LOG           prints the last "cov: N ft: N" in LOG (the DONE line of a run that
#                        ended); nothing when missing.
# The caller prints its own messages and picks its own exit codes. Typical use:
#   . "$ROOT/fuzz/libfuzzer.sh"
#   WORK="$(lf_workdir)"
#   trap 'rm -rf "$WORK"' EXIT
#   mkdir "$WORK/corpus"
#   lf_copy_corpus "$ROOT/corpus/request" "$WORK/corpus"
#   lf_run "$WORK/log" 60 "$WORK/" build-fuzz/fuzz/fuzz_request "$WORK/corpus" || echo failed
#   echo "$(lf_stat "$WORK/log" average_exec_per_sec) execs/s, $(lf_cov "$WORK/log")"

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    echo "${0##*/}: source this file from bash, do not run it" >&2
    exit 2
fi

lf_dict=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/corpus/http.dict

lf_workdir() {
    if [ -d /dev/shm ] && [ -w /dev/shm ]; then mktemp -d -p /dev/shm; else mktemp -d; fi
}

lf_copy_corpus() {
    if [ "$1" = --seeds-only ]; then
        find "$2" -maxdepth 1 -type f -regextype posix-extended ! -regex '.*/[0-9a-f]{40}' \
            -exec cp -t "$3" {} +
    else
        cp "$1"/* "$2/"
    fi
}

lf_run() {
    local log="$1" secs="$2" prefix="$3"
    shift 3
    "$@" -max_total_time="$secs" -print_final_stats=1 -dict="$lf_dict" \
        -artifact_prefix="$prefix" >"$log" 2>&1
}

lf_stat() {
    sed -n "s/^stat::$2: *//p" "$1"
}

lf_cov() {
    { grep -o 'cov: [0-9]* ft: [0-9]*' "$1" || true; } | tail -n 1
}
