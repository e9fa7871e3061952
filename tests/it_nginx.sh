#!/usr/bin/env bash
# Integration test: the bundled suite (specs/) against nginx on loopback.
# Starts /usr/sbin/nginx as a child (foreground, single process, every path in a temporary
# directory), runs `conform run specs/ --target 127.0.0.1:PORT`, and compares each case's
# verdict with tests/nginx/expected-verdicts.txt. Any difference (a verdict changed, a case
# missing from the run or from the file) fails the test. nginx is always stopped by its PID.
# Exit: 0 ok, 1 difference or breakage, 77 skipped (nginx not installed; CTest
# SKIP_RETURN_CODE 77).
# Usage: tests/it_nginx.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

conform=${1:?usage: it_nginx.sh PATH/TO/conform}
root=$(cd "$(dirname "$0")/.." && pwd)
nginx=${NGINX:-/usr/sbin/nginx}
expected=${EXPECTED_VERDICTS:-$root/tests/nginx/expected-verdicts.txt}

if [ ! -x "$nginx" ]; then
    echo "SKIP: nginx not installed ($nginx)"
    exit 77
fi

tmp=$(mktemp -d)
nginx_pid=
cleanup() {
    if [ -n "$nginx_pid" ] && kill -0 "$nginx_pid" 2>/dev/null; then
        kill -TERM "$nginx_pid" 2>/dev/null
        for _ in $(seq 50); do kill -0 "$nginx_pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$nginx_pid" 2>/dev/null
        wait "$nginx_pid" 2>/dev/null
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

mkdir -p "$tmp/html" "$tmp/tmp"
printf '<!DOCTYPE html>\n<html><head><title>conform</title></head><body><p>conform nginx test root</p></body></html>\n' \
    >"$tmp/html/index.html"

# True once something accepts TCP connections on 127.0.0.1:$1.
accepting() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Pick a free port: choose one nobody answers on, start nginx there; if nginx exits (the port
# was taken in between), try another.
port=
for _ in $(seq 20); do
    try=$((20000 + RANDOM % 40000))
    accepting "$try" && continue
    sed -e "s/@PORT@/$try/" -e "s|@ROOT@|$tmp/html|" "$root/tests/nginx/nginx.conf" >"$tmp/nginx.conf"
    "$nginx" -p "$tmp" -c "$tmp/nginx.conf" -g 'daemon off;' >"$tmp/nginx.out" 2>&1 &
    nginx_pid=$!
    for _ in $(seq 100); do
        accepting "$try" && { port=$try; break; }
        kill -0 "$nginx_pid" 2>/dev/null || break
        sleep 0.05
    done
    [ -n "$port" ] && break
    kill -TERM "$nginx_pid" 2>/dev/null
    wait "$nginx_pid" 2>/dev/null
    nginx_pid=
done
if [ -z "$port" ]; then
    echo "FAIL: nginx did not start"
    cat "$tmp/nginx.out" "$tmp/error.log" 2>/dev/null
    exit 1
fi
echo "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') listening on 127.0.0.1:$port (pid $nginx_pid)"

"$conform" run "$root/specs" --target "127.0.0.1:$port" --no-color --no-progress \
    >"$tmp/run.out" 2>&1
rc=$?
# 0: no FAIL; 1: failures (nginx earns some). 2 (bad specs, usage) or 3 (unreachable) is breakage.
if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
    cat "$tmp/run.out"
    echo "FAIL: conform run exited with $rc"
    exit 1
fi
grep -E '^[0-9]+ cases: ' "$tmp/run.out"

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
exit "$status"
