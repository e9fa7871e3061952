#!/usr/bin/env bash
# What the GitHub Action (action.yml at the repository's root) runs: its steps only call this
# script, so tests/it_action.sh runs the very same commands outside GitHub.
#
#   run.sh build   builds conform from the action's checkout when no conform is given
#                  (INPUT_CONFORM), and installs the Debian packages it needs when
#                  INPUT_INSTALL_DEPS is true; writes conform=PATH to $GITHUB_OUTPUT
#   run.sh run     runs conform with the inputs, prints the annotations (--report github), writes
#                  the failures (--report markdown-failures) to $GITHUB_STEP_SUMMARY and
#                  exit-code= and report-dir= to $GITHUB_OUTPUT; exits with conform's status
#
# Inputs, as GitHub passes them to a composite action's step env (see action.yml):
#   INPUT_CONFORM       a conform binary to use ("" or "build": build it)
#   INPUT_INSTALL_DEPS  true: apt-get the build dependencies (.ci/deps) before building
#   INPUT_TARGET        --target (default builtin); several separated by spaces
#   INPUT_SPECS         spec files or directories, separated by spaces ("": the bundled suite)
#   INPUT_PROFILE       --profile FILE ("" none)
#   INPUT_EXEC          --exec COMMAND: conform starts and watches the server ("" none)
#   INPUT_FAIL_ON       --fail-on (default must)
#   INPUT_REPORTS       more --report FORMAT:PATH, separated by spaces (PATHs relative to the
#                       working directory), e.g. "junit:conform.xml sarif:conform.sarif"
#   INPUT_REPORT_DIR    where run.json, failures.md and annotations.txt go (default
#                       conform-reports)
#   INPUT_ARGS          more conform run arguments, split on spaces
#   GITHUB_ACTION_PATH  the action's checkout (default: this script's repository)
set -u

here=$(cd "$(dirname "$0")" && pwd)
src=${GITHUB_ACTION_PATH:-$(cd "$here/../../.." && pwd)}
out=${GITHUB_OUTPUT:-/dev/null}

build() {
    local conform=${INPUT_CONFORM:-}
    if [ -n "$conform" ] && [ "$conform" != build ]; then
        command -v "$conform" >/dev/null || { echo "conform action: no conform at '$conform'" >&2; exit 2; }
        echo "conform=$(command -v "$conform")" >>"$out"
        return
    fi
    if [ "${INPUT_INSTALL_DEPS:-false}" = true ]; then bash "$src/.ci/deps" || exit 2; fi
    local dir=${RUNNER_TEMP:-${TMPDIR:-/tmp}}/conform-build
    cmake -S "$src" -B "$dir" -DCMAKE_BUILD_TYPE=Release -DCONFORM_TESTS=OFF \
        -DCONFORM_BENCH=OFF >/dev/null || exit 2
    cmake --build "$dir" -j"$(nproc 2>/dev/null || echo 2)" --target conform >/dev/null || exit 2
    echo "conform=$dir/conform" >>"$out"
}

run() {
    local conform=${CONFORM:?conform run.sh run: CONFORM (the binary) is not set}
    local dir=${INPUT_REPORT_DIR:-conform-reports}
    mkdir -p "$dir" || exit 2
    local -a args=(run)
    local w
    for w in ${INPUT_SPECS:-}; do args+=("$w"); done
    for w in ${INPUT_TARGET:-builtin}; do args+=(--target "$w"); done
    [ -n "${INPUT_PROFILE:-}" ] && args+=(--profile "$INPUT_PROFILE")
    [ -n "${INPUT_EXEC:-}" ] && args+=(--exec "$INPUT_EXEC")
    args+=(--fail-on "${INPUT_FAIL_ON:-must}" --no-color --report terminal
        --report "json:$dir/run.json" --report "markdown-failures:$dir/failures.md"
        --report "github:$dir/annotations.txt")
    for w in ${INPUT_REPORTS:-}; do args+=(--report "$w"); done
    for w in ${INPUT_ARGS:-}; do args+=("$w"); done
    echo "conform ${args[*]}"
    "$conform" "${args[@]}"
    local rc=$?
    # the runner turns these lines of the log into annotations on the spec files
    [ -f "$dir/annotations.txt" ] && cat "$dir/annotations.txt"
    if [ -n "${GITHUB_STEP_SUMMARY:-}" ] && [ -f "$dir/failures.md" ]; then
        cat "$dir/failures.md" >>"$GITHUB_STEP_SUMMARY"
    fi
    { echo "exit-code=$rc"; echo "report-dir=$dir"; } >>"$out"
    exit "$rc"
}

case "${1:-}" in
build) build ;;
run) run ;;
*) echo "usage: run.sh build|run" >&2; exit 2 ;;
esac
