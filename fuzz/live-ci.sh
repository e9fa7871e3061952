#!/usr/bin/env bash
# conform fuzz against live servers, for CI (docs/commands/fuzz.md):
#   1. `conform fuzz --target builtin` for $SECONDS_EACH s (default 30): no finding expected,
#      exit 0, nothing saved.
#   2. tests/test_fuzz_live (the Criterion test built from tests/test_fuzz_live.c) with
#      CF_FUZZ_LIVE_SECONDS=$SECONDS_EACH: fuzzes the deliberately broken servers of
#      tests/support/broken_server.c (in-process), expects the desync and the crash to be
#      caught and saved, `conform check` to accept the saved cases, and `conform run` to FAIL
#      the desync case on the broken server and PASS it on the built-in one.
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

echo "== conform fuzz --target builtin --duration ${secs}s --seed 1"
"$conform" fuzz --target builtin --specs "$root/specs" --duration "${secs}s" --seed 1 -j 2 --timeout 10s \
    --no-progress --findings "$tmp/builtin"
rc=$?
n=$(find "$tmp/builtin" -name '*.yaml' 2>/dev/null | wc -l)
if [ "$rc" -ne 0 ] || [ "$n" -ne 0 ]; then
    echo "live-ci: FAIL: fuzzing the built-in server exited $rc with $n findings" >&2
    find "$tmp/builtin" -name '*.yaml' -exec cat {} + >&2
    fail=1
fi

echo "== tests/test_fuzz_live with CF_FUZZ_LIVE_SECONDS=$secs (broken servers)"
(cd "$root" && CF_FUZZ_LIVE_SECONDS=$secs "$live" --jobs 1) || {
    echo "live-ci: FAIL: the broken servers' findings were not caught and reproduced" >&2
    fail=1
}
[ "$fail" -eq 0 ] && echo "live-ci: 2 passed, 0 failed" || echo "live-ci: 0 passed, 1 failed"
exit "$fail"
