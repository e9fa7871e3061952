#!/usr/bin/env bash
# Integration test: conform run's pytest-style options against the built-in server, with the
# fixture tests/data/run/fail (PASS, FAIL, WARN, INFO in that order): -x and --maxfail stop the
# run (exit 1, the reports marked interrupted, the count of cases not run on stderr);
# --last-failed reruns what did not pass (and nothing, exit 0, after a green run); --list of an
# empty selection is exit 2; two targets with one name warn; --progress always writes one line
# per case with --progress-interval 0 and none with never; conform diff calls a new FAILing case
# a regression unless --allow-new-failures.
# Exit: 0 ok, 1 failure.
# Usage: tests/it_run_ergonomics.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

# shellcheck source=SCRIPTDIR/support/it_common.sh
. "$(dirname "$0")/support/it_common.sh"
cd "$root" || exit 1
fixture=tests/data/run/fail
run() { "$conform" run "$fixture" --target builtin -j1 --no-color "$@"; }

# -x: the FAIL is the second case; the third may have started, the fourth never does.
run -x --progress never --report json:"$tmp/x.json" >"$tmp/out" 2>"$tmp/err"
rc=$?
[ "$rc" -eq 1 ] || fail "-x exited $rc, not 1"
grep -q -- '--maxfail 1 reached: [23] of 4 cases ran, [12] did not' "$tmp/err" ||
    { cat "$tmp/err"; fail "-x: no line saying how many cases did not run"; }
python3 -c "
import json,sys; d=json.load(open('$tmp/x.json'))
ids=[c['id'] for c in d['targets'][0]['cases']]
assert d['interrupted'] is True, 'not marked interrupted'
assert ids[:2]==['verdict-pass','verdict-must-fails'] and len(ids)<4, ids" || fail "-x report"
run --maxfail 2 --progress never >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] && fail "--maxfail 2 with one FAIL exited 0"
if grep -q 'maxfail' "$tmp/err"; then fail "--maxfail 2 stopped a run with one failure"; fi

# --last-failed: the full run's FAIL, WARN and INFO, not the PASS.
run --progress never --report json:"$tmp/full.json" >/dev/null 2>&1
run --last-failed "$tmp/full.json" --list >"$tmp/lf" || fail "--last-failed --list"
[ "$(awk '{print $1}' "$tmp/lf" | tr '\n' ' ')" = \
    "verdict-must-fails verdict-should-warns verdict-may-info " ] ||
    { cat "$tmp/lf"; fail "--last-failed did not select the cases that did not pass"; }
"$conform" run tests/data/run/pass --target builtin --report json:"$tmp/green.json" \
    --progress never >/dev/null 2>&1 || fail "the green run"
"$conform" run tests/data/run/pass --target builtin --last-failed "$tmp/green.json" \
    >/dev/null 2>"$tmp/err"
[ $? -eq 0 ] || fail "--last-failed of a green run is not exit 0"
grep -q 'nothing to rerun' "$tmp/err" || fail "--last-failed of a green run says nothing"
echo '{"schema":"conform-report"' >"$tmp/bad.json"
run --last-failed "$tmp/bad.json" --list >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--last-failed of a broken file is not exit 2"
grep -q "bad.json" "$tmp/err" || fail "--last-failed of a broken file does not name it"

# --list of an empty selection: exit 2, as a run.
run --list --id nothing-is-called-this >/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || fail "--list of an empty selection is not exit 2"

# Two targets with one name.
"$conform" run "$fixture" --target builtin --target builtin --progress never >/dev/null 2>"$tmp/err"
grep -q 'warning: --target builtin and --target builtin have one name' "$tmp/err" ||
    { cat "$tmp/err"; fail "no warning for two targets with one name"; }

# Progress lines of a log: one per case with --progress-interval 0, none with never.
run --progress always --progress-interval 0 >/dev/null 2>"$tmp/err"
[ "$(grep -c '^conform run: [0-9]/4 cases done, [01] failed, 0 errors, [0-9]* s elapsed, about [0-9]* s left$' "$tmp/err")" -eq 4 ] ||
    { cat "$tmp/err"; fail "not one progress line per case"; }
grep -q '^conform run: 4/4 cases done, 1 failed' "$tmp/err" || fail "the last line's counts"
run --progress never --progress-interval 0 >/dev/null 2>"$tmp/err"
if grep -q 'cases done' "$tmp/err"; then fail "--progress never wrote progress"; fi

# conform diff: a case only in NEW that FAILs is a regression (exit 1), unless allowed.
"$conform" run "$fixture" --target builtin --id verdict-pass --report json:"$tmp/old.json" \
    --progress never >/dev/null 2>&1
"$conform" diff "$tmp/old.json" "$tmp/full.json" >"$tmp/diff" 2>&1
[ $? -eq 1 ] || { cat "$tmp/diff"; fail "a new FAILing case is not a regression"; }
"$conform" diff --allow-new-failures "$tmp/old.json" "$tmp/full.json" >"$tmp/diff" 2>&1
[ $? -eq 0 ] || { cat "$tmp/diff"; fail "--allow-new-failures still fails"; }
echo ok
