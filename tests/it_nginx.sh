#!/usr/bin/env bash
# Integration test: the bundled suite (specs/) against nginx on loopback.
# Starts /usr/sbin/nginx as a child (foreground, single process, every path in a temporary
# directory), runs `conform run specs/ --target 127.0.0.1:PORT`, and compares each case's
# verdict with tests/nginx/expected-verdicts.txt. Any difference (a verdict changed, a case
# missing from the run or from the file) fails the test; so does a compliance rule broken that
# tests/nginx/expected-rules.txt does not list, or one listed and no longer broken. nginx is
# always stopped by its PID. With NGINX_EXEC=1 (tests/it_nginx_exec.sh) conform starts nginx
# itself (`conform run --exec`, its error log on stderr): the verdicts and rules must be the same,
# none blamed on a crash, and nginx must stop cleanly.
# Exit: 0 ok, 1 difference or breakage, 77 skipped (nginx not installed; CTest
# SKIP_RETURN_CODE 77).
# Usage: tests/it_nginx.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

conform=${1:?usage: it_nginx.sh PATH/TO/conform}
root=$(cd "$(dirname "$0")/.." && pwd)
nginx=${NGINX:-/usr/sbin/nginx}
expected=${EXPECTED_VERDICTS:-$root/tests/nginx/expected-verdicts.txt}
expected_rules=${EXPECTED_RULES:-$root/tests/nginx/expected-rules.txt}

if [ ! -x "$nginx" ]; then
    echo "SKIP: nginx not installed ($nginx)"
    exit 77
fi

# shellcheck source=SCRIPTDIR/nginx/start.sh
. "$root/tests/nginx/start.sh"
trap nginx_stop EXIT
exec_args=()
if [ -n "${NGINX_EXEC:-}" ]; then
    nginx_prepare || { echo "FAIL: no free port for nginx"; exit 1; }
    # the JSON report puts the server log (conform-exec.log) in nginx_tmp, removed at the end
    exec_args=(--exec "$nginx -p $nginx_tmp -c $nginx_tmp/nginx.conf -g 'daemon off; error_log stderr warn;'"
        --report terminal --report "json:$nginx_tmp/run.json")
    echo "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') started by conform run --exec on 127.0.0.1:$nginx_port"
elif ! nginx_start "$nginx"; then
    echo "FAIL: nginx did not start"
    nginx_output
    exit 1
else
    echo "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') listening on 127.0.0.1:$nginx_port (pid $nginx_pid)"
fi
tmp=$nginx_tmp
port=$nginx_port

run() {
    "$conform" run "$root/specs" --target "127.0.0.1:$port" --profile "$root/tests/nginx/profile.yaml" \
        --no-color --no-progress "${exec_args[@]}" \
        >"$tmp/run.out" 2>&1
}
run
rc=$?
# --exec: a port nobody answered on may still be taken (an outgoing connection's): nginx does
# not start (exit 4); another port, as nginx_start does
for _ in 1 2 3 4; do
    [ "$rc" -eq 4 ] && grep -q 'bind()' "$tmp/run.out" || break
    nginx_prepare || break
    port=$nginx_port
    exec_args[1]="$nginx -p $nginx_tmp -c $nginx_tmp/nginx.conf -g 'daemon off; error_log stderr warn;'"
    run
    rc=$?
done
# 0: no FAIL; 1: failures (nginx earns some). 2 (bad specs, usage) or 3 (unreachable) is breakage.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    cat "$tmp/run.out"
    echo "FAIL: conform run exited with $rc"
    exit 1
fi
grep -E '^[0-9]+ cases: ' "$tmp/run.out"
# --exec: nothing blamed on nginx, and it stopped cleanly (no message about it)
if [ -n "${NGINX_EXEC:-}" ] && grep -E 'while this ran, the server under test|conform run: --exec: (at the end|between|the server (did not|could not|was restarted))' "$tmp/run.out"; then
    echo "FAIL: conform run --exec blamed nginx (above)"
    exit 1
fi

# "VERDICT  case-id  title" -> "case-id verdict", sorted.
grep -E '^(PASS|FAIL|WARN|INFO|ERROR|SKIP)  ' "$tmp/run.out" |
    awk '{ print $2, tolower($1) }' | sort >"$tmp/actual"
# "case-id verdict  # reason" -> "case-id verdict", sorted.
sed -e 's/#.*//' "$expected" | awk 'NF >= 2 { print $1, tolower($2) }' | sort >"$tmp/want"

if [ ! -s "$tmp/actual" ]; then
    cat "$tmp/run.out"
    echo "FAIL: no verdict lines in the output of conform run"
    exit 1
fi

# One pass over both lists: a verdict that changed, a case run but not listed, a case listed
# but not run.
awk 'FNR == NR { want[$1] = $2; next }
     { got[$1] = $2 }
     !($1 in want) { printf "DIFF: %s: nginx earns %s, but the case is not in expected-verdicts.txt\n", $1, $2; bad = 1; next }
     want[$1] != $2 { printf "DIFF: %s: expected %s, nginx now earns %s\n", $1, want[$1], $2; bad = 1 }
     END { for (id in want) if (!(id in got)) { printf "DIFF: %s: listed (%s) but not run\n", id, want[id]; bad = 1 }
           exit bad }' "$tmp/want" "$tmp/actual"
status=$?
if [ "$status" -ne 0 ]; then
    echo "The details of every case that did not pass:"
    grep -vE '^PASS  ' "$tmp/run.out"
fi
if [ "$status" -eq 0 ]; then
    echo "OK: $(wc -l <"$tmp/actual") verdicts match tests/nginx/expected-verdicts.txt"
fi

# The compliance rules broken (--rules gate, the default, lists them): the summary's rows
# "   N cases  RULE-ID  RFC ..." against tests/nginx/expected-rules.txt.
sed -n '/^Compliance rules broken/,/^$/p' "$tmp/run.out" |
    awk '$2 ~ /^cases?$/ { print $3 }' | sort -u >"$tmp/rules_actual"
sed -e 's/#.*//' "$expected_rules" | awk 'NF >= 1 { print $1 }' | sort -u >"$tmp/rules_want"
if ! diff "$tmp/rules_want" "$tmp/rules_actual" >"$tmp/rules_diff"; then
    sed -e 's/^</DIFF: listed in expected-rules.txt, no longer broken:/' \
        -e 's/^>/DIFF: broken by nginx, not in expected-rules.txt:/' "$tmp/rules_diff" | grep DIFF
    grep -E '^      (FAIL |WARN |INFO )?rule ' "$tmp/run.out" | sort | uniq -c | sort -rn | head -20
    status=1
else
    echo "OK: the rules broken match tests/nginx/expected-rules.txt ($(wc -l <"$tmp/rules_actual"))"
fi
exit "$status"
