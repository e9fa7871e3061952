#!/usr/bin/env bash
# conform fuzz against live servers, for CI (docs/commands/fuzz.md):
#   1. `conform fuzz --target builtin` for $SECONDS_EACH s (default 30), with the keep-alive
#      fast path (the default) and again with --no-keep-alive: no finding expected, exit 0,
#      nothing saved.
#   2. tests/test_fuzz_live (the Criterion test built from tests/test_fuzz_live.c) with
#      CF_FUZZ_LIVE_SECONDS=$SECONDS_EACH: fuzzes the built-in server (connections reused) and
#      the deliberately broken servers of tests/support/broken_server.c (in-process), expects
#      the desync and the crash to be caught and saved, `conform check` to accept the saved
#      cases, `conform run` to FAIL the desync case on the broken server and PASS it on the
#      built-in one, and, with two workers, the crash pinned on the request that caused it when
#      the server restarts (and called a best guess when it does not).
# Usage: fuzz/live-ci.sh BUILD_DIR   (BUILD_DIR holds conform and tests/test_fuzz_live)
# Exit: 0 ok, 1 a check failed, 2 usage.
set -u
build=${1:?usage: fuzz/live-ci.sh BUILD_DIR}
secs=${SECONDS_EACH:-30}
root=$(cd "$(dirname "$0")/.." && pwd)
conform=$build/conform
live=$build/tests/test_fuzz_live
[ -x "$conform" ] && [ -x "$live" ] || { echo "live-ci: build $build first" >&2; exit 2; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

for mode in "" --no-keep-alive; do
    echo "== conform fuzz --target builtin --duration ${secs}s --seed 1 $mode"
    out=$tmp/builtin$mode
    "$conform" fuzz --target builtin --specs "$root/specs" --duration "${secs}s" --seed 1 -j 2 \
        --timeout 10s --no-progress --findings "$out" $mode
    rc=$?
    n=$(find "$out" -name '*.yaml' 2>/dev/null | wc -l)
    if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
        echo "live-ci: FAIL: fuzzing the built-in server ($mode) exited $rc with $n findings" >&2
        find "$out" -name '*.yaml' -exec cat {} + >&2
        fail=$((fail + 1))
    fi
done

echo "== tests/test_fuzz_live with CF_FUZZ_LIVE_SECONDS=$secs (broken servers)"
(cd "$root" && CF_FUZZ_LIVE_SECONDS=$secs "$live" --jobs 1) || {
    echo "live-ci: FAIL: the broken servers' findings were not caught and reproduced" >&2
    fail=$((fail + 1))
}
echo "live-ci: $((3 - fail)) passed, $fail failed"
[ "$fail" -eq 0 ]
