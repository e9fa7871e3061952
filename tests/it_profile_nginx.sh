#!/usr/bin/env bash
# Integration test: conform profile against nginx on loopback (started as tests/it_nginx.sh does,
# tests/nginx/start.sh and nginx.conf: a static root, /status/204, /status/418, /post, /redirect
# and /protected). The profile gives page, missing, body, status, validated, redirect and
# protected, every resource the hand-written tests/nginx/profile.yaml gives; echo is a comment
# saying what was tried; `conform run` reads it (exit 0 or 1: verdicts, not a bad profile).
# Exit: 0 ok, 1 failure, 77 skipped (nginx not installed; CTest SKIP_RETURN_CODE 77).
# Usage: tests/it_profile_nginx.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

conform=${1:?usage: it_profile_nginx.sh PATH/TO/conform}
root=$(cd "$(dirname "$0")/.." && pwd)
nginx=${NGINX:-/usr/sbin/nginx}
if [ ! -x "$nginx" ]; then
    echo "SKIP: nginx not installed ($nginx)"
    exit 77
fi
fail() {
    echo "FAIL: $*"
    exit 1
}

# shellcheck source=SCRIPTDIR/nginx/start.sh
. "$root/tests/nginx/start.sh"
trap nginx_stop EXIT
nginx_start "$nginx" || { echo "FAIL: nginx did not start"; nginx_output; exit 1; }
tmp=$nginx_tmp
target=127.0.0.1:$nginx_port

"$conform" profile --target "$target" -o "$tmp/profile.yaml" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/err"; fail "conform profile exited with $rc"; }
cat "$tmp/profile.yaml"
grep -q "^# Target profile of $target " "$tmp/profile.yaml" || fail "no header naming the target"
for want in 'page: / ' 'missing: /conform-missing-[0-9a-f]{16} ' 'status: /status/\{code\} ' \
    'validated: / ' 'redirect: /redirect ' 'protected: /protected '; do
    grep -Eq "^  $want *# GET /" "$tmp/profile.yaml" || fail "no line '$want' with its evidence"
done
grep -q '^  body: /post  *# POST /post → 200 OK, then on the same connection GET / → 200 OK$' \
    "$tmp/profile.yaml" || fail "no body line with its evidence"
for name in $(sed -n 's/^  \([a-z]*\):.*/\1/p' "$root/tests/nginx/profile.yaml"); do
    grep -q "^  $name: /" "$tmp/profile.yaml" || fail "$name of tests/nginx/profile.yaml not found"
done
grep -q '^  # echo: not found — GET /echo → 404 Not Found$' "$tmp/profile.yaml" ||
    fail "echo is not a comment saying what was tried"
[ "$(grep -c '^  [a-z]*:' "$tmp/profile.yaml")" -eq 7 ] || fail "not exactly seven resources given"

"$conform" run "$root/specs" --target "$target" --profile "$tmp/profile.yaml" --no-color \
    --no-progress >"$tmp/run.out" 2>&1
rc=$?
grep -E '^[0-9]+ cases: ' "$tmp/run.out"
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    cat "$tmp/run.out"
    fail "conform run with the written profile exited with $rc"
fi
grep -q "needs resource \`echo\`" "$tmp/run.out" || fail "no case skipped for want of echo"
echo "OK: conform profile against nginx"
