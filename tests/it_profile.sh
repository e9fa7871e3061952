#!/usr/bin/env bash
# Integration test: conform profile against the built-in server. The profile it writes gives
# every resource, and `conform run specs --target builtin --profile THAT_FILE` passes every case
# (none skipped). Also: the file is written atomically (-o), an unreachable target is exit 3
# with one line and no file, a usage error exit 2.
# Exit: 0 ok, 1 failure.
# Usage: tests/it_profile.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

# shellcheck source=SCRIPTDIR/support/it_common.sh
. "$(dirname "$0")/support/it_common.sh"

"$conform" profile --target builtin -o "$tmp/builtin.yaml" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/err"; fail "conform profile --target builtin exited with $rc"; }
cat "$tmp/builtin.yaml"
[ ! -s "$tmp/err" ] || { cat "$tmp/err"; fail "progress or messages on stderr, which is no terminal"; }
grep -q '^# Target profile of builtin ' "$tmp/builtin.yaml" || fail "no header naming the target"
grep -q '^# Review before use' "$tmp/builtin.yaml" || fail "no 'review before use' line"
for want in 'page: /  ' 'missing: /conform-missing-[0-9a-f]{16} ' 'body: /echo ' 'echo: /echo ' \
    'status: /status/\{code\} ' 'redirect: /redirect ' 'validated: / ' 'protected: /protected '; do
    grep -Eq "^  $want *# [A-Z]+ /" "$tmp/builtin.yaml" || fail "no line '$want' with its evidence"
done
if grep -q '^  # ' "$tmp/builtin.yaml"; then fail "a resource of the built-in server not found"; fi

"$conform" run "$root/specs" --target builtin --profile "$tmp/builtin.yaml" --no-color \
    --no-progress >"$tmp/run.out" 2>&1
rc=$?
grep -E '^[0-9]+ cases: ' "$tmp/run.out"
[ "$rc" -eq 0 ] || { grep -vE '^PASS  ' "$tmp/run.out"; fail "conform run with the profile exited with $rc"; }
# The same verdicts as with the built-in profile: every case passes, or is SKIP there too (TRACE
# is off, no CONNECT tunnel, no upgrade: not exercised).
"$conform" run "$root/specs" --target builtin --no-color --no-progress >"$tmp/builtin.out" 2>&1
verdicts() { grep -E '^(PASS|FAIL|WARN|INFO|ERROR|SKIP)  ' "$1" | awk '{ print $1, $2 }' | sort; }
[ "$(verdicts "$tmp/run.out")" = "$(verdicts "$tmp/builtin.out")" ] ||
    fail "the written profile's verdicts differ from the built-in profile's"
grep -Eq '^[0-9]+ cases: .* 0 failed, .* 0 errors' "$tmp/run.out" ||
    fail "not every case passed with the written profile"

# -o - is stdout; an unwritable FILE is exit 2 and names it.
"$conform" profile -t builtin -o - 2>/dev/null | grep -q '^profile: 1$' || fail "-o - wrote nothing on stdout"
"$conform" profile -t builtin -o "$tmp/no/such/dir/p.yaml" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 2 ] || fail "an unwritable -o FILE exited with $rc, not 2"
grep -q "cannot write $tmp/no/such/dir/p.yaml" "$tmp/err" || { cat "$tmp/err"; fail "the error does not name the file"; }

# Unreachable: a port nobody listens on (found with bash's /dev/tcp).
for _ in $(seq 20); do
    port=$((20000 + RANDOM % 40000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break
done
cp "$tmp/builtin.yaml" "$tmp/keep.yaml"
"$conform" profile --target "127.0.0.1:$port" -o "$tmp/keep.yaml" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 3 ] || fail "an unreachable target exited with $rc, not 3"
[ "$(wc -l <"$tmp/err")" -eq 1 ] || { cat "$tmp/err"; fail "not one line on stderr"; }
grep -q "^conform profile: cannot connect to 127.0.0.1:$port: Connection refused$" "$tmp/err" ||
    { cat "$tmp/err"; fail "the line does not say what happened"; }
cmp -s "$tmp/builtin.yaml" "$tmp/keep.yaml" || fail "an unreachable target replaced the -o FILE"
[ ! -s "$tmp/out" ] || fail "an unreachable target wrote to stdout"

"$conform" profile >/dev/null 2>&1
[ $? -eq 2 ] || fail "no --target is not exit 2"
"$conform" profile --target builtin extra >/dev/null 2>&1
[ $? -eq 2 ] || fail "an operand is not exit 2"
echo "OK: conform profile against the built-in server"
