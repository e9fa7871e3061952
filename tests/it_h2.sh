#!/usr/bin/env bash
# Integration test: conform run --http2 and --versions 1.1,2 (docs/commands/run.md "HTTP/2")
# against nginx on loopback, with a certificate made now by `openssl req`:
#   1. over h2 (TLS, ALPN h2): the structured cases of the suite run (a 405 case gives nginx's
#      verdict over HTTP/1.1), every raw case is SKIP with "raw HTTP/1.1 bytes: not run over
#      HTTP/2", and a two-step structured case passes on one connection;
#   2. over h2c (prior knowledge on a plain `listen ... http2` listener): the same;
#   3. --versions 1.1,2 against a location that answers 418 over HTTP/2 only: the version
#      differential names the case, the step and both statuses;
#   4. --max-fields and --max-response hold over HTTP/2 (the case is SKIP at the cap);
#   5. --http2 against a listener without HTTP/2 is exit 3 ("does not answer over HTTP/2").
# nginx is stopped by its PID. Exit: 0 ok, 1 failure, 77 skipped (nginx, openssl or python3 missing, or
# libcurl without HTTP2). Usage: tests/it_h2.sh PATH/TO/conform
set -u

# shellcheck source=SCRIPTDIR/support/it_common.sh
. "$(dirname "$0")/support/it_common.sh"
nginx=${NGINX:-/usr/sbin/nginx}
for tool in "$nginx" openssl python3; do
    command -v "$tool" >/dev/null 2>&1 || { echo "SKIP: $tool not installed"; exit 77; }
done
if command -v curl >/dev/null 2>&1 && ! curl -V | grep -q HTTP2; then
    echo "SKIP: libcurl without HTTP/2"
    exit 77
fi

work=$tmp
# shellcheck source=SCRIPTDIR/nginx/start.sh
. "$root/tests/nginx/start.sh"
h2c_pid= h2c_tmp= plain_pid= plain_tmp=
cleanup() {
    nginx_stop
    [ -n "$h2c_tmp" ] && { nginx_tmp=$h2c_tmp; nginx_pid=$h2c_pid; nginx_stop; }
    [ -n "$plain_tmp" ] && { nginx_tmp=$plain_tmp; nginx_pid=$plain_pid; nginx_stop; }
    [ -n "${KEEP:-}" ] || rm -rf "$tmp"
}
trap cleanup EXIT
status=0
fail() { # reports and goes on: one run shows every check that failed
    echo "FAIL: $*"
    status=1
}

# A location that answers differently per version, and a two-step structured case naming it.
differs='location = /differs { if ($server_protocol = HTTP/2.0) { return 418; } return 200 "same\\n"; }'
cat >"$work/h2.yaml" <<'EOF2'
spec: 1
title: "conform's HTTP/2 test (tests/it_h2.sh)"
rfc: 9110
cases:
  - id: it-h2-two-steps
    title: Two GETs on one HTTP/2 connection
    section: "9.3.1"
    level: MUST
    requirement: >-
      The GET method requests transfer of a current selected representation for the target
      resource.
    steps:
      - request: {method: GET, target: "/", headers: [{Host: "{{authority}}"}, {Connection: keep-alive}]}
        expect: {status: 200}
      - request: {method: GET, target: "/", headers: [{Host: "{{authority}}"}]}
        expect: {status: 200, headers: [{name: Content-Type, matches: "text/html"}]}
  - id: it-h2-differs
    title: A location answering 418 over HTTP/2 only
    section: "9.3.1"
    level: MAY
    requirement: >-
      The GET method requests transfer of a current selected representation for the target
      resource.
    steps:
      - request: {method: GET, target: "/differs", headers: [{Host: "{{authority}}"}]}
        expect: {status: 2xx}
EOF2

nginx_tls_template "$work" || { echo "FAIL: openssl req could not make the certificate"; exit 1; }
nginx_start "$nginx" || { echo "FAIL: plain nginx did not start"; nginx_output; exit 1; }
plain_port=$nginx_port plain_pid=$nginx_pid plain_tmp=$nginx_tmp
nginx_tmp= nginx_pid= nginx_port=
sed -e "s|listen 127.0.0.1:@PORT@;|listen 127.0.0.1:@PORT@ http2;\n        $differs|" \
    "$root/tests/nginx/nginx.conf" >"$work/nginx-h2c.conf"
nginx_conf_template=$work/nginx-h2c.conf
nginx_start "$nginx" || { echo "FAIL: nginx h2c did not start"; nginx_output; exit 1; }
h2c_port=$nginx_port h2c_pid=$nginx_pid h2c_tmp=$nginx_tmp
nginx_tmp= nginx_pid= nginx_port=
sed -i -e "s|listen 127.0.0.1:@PORT@ ssl;|listen 127.0.0.1:@PORT@ ssl http2;\n        $differs|" \
    "$work/nginx-tls.conf"
nginx_conf_template=$work/nginx-tls.conf
nginx_start "$nginx" || { echo "FAIL: nginx h2 did not start"; nginx_output; exit 1; }
echo "nginx: plain $plain_port, h2c $h2c_port, h2 (TLS) $nginx_port"

check_suite() { # NAME TARGET...
    local name=$1 out=$work/$1.txt
    shift
    "$conform" run "$root/specs" "$work/h2.yaml" --http2 "$@" -j 2 --no-color >"$out" 2>&1
    local rc=$?
    [ "$rc" -le 1 ] || { fail "$name: exit $rc"; tail -5 "$out"; return; }
    grep -q '^PASS  it-h2-two-steps' "$out" || fail "$name: it-h2-two-steps did not pass"
    # a case without content: libcurl 7.88 can lose the 405 to a POST with content (run.md)
    grep -q '^FAIL  rfc9110-15.5.6-delete-static-allow-without-delete' "$out" ||
        fail "$name: rfc9110-15.5.6-delete-static-allow-without-delete is not nginx's FAIL (405 without Allow): $(grep -A3 'delete-static-allow-without-delete' "$out" | head -4)"
    grep -A6 '^SKIP  rfc9112-2.2-bare-lf-everywhere' "$out" | grep -q 'raw HTTP/1.1 bytes: not run over HTTP/2' ||
        fail "$name: a raw case is not SKIP with the reason"
    # ERROR only where libcurl 7.88 lost a response (curl error 92, docs/commands/run.md)
    grep -A4 -E '^ERROR  ' "$out" | grep 'error:' | grep -v 'curl error 92' &&
        fail "$name: ERROR verdicts: $(grep -A4 -E '^ERROR  ' "$out" | head -5)"
    # every suite case judged over HTTP/2 gets nginx's verdict over HTTP/1.1
    local differ
    differ=$(grep -E '^(PASS|FAIL|WARN|INFO)  ' "$out" | awk '{ print $2, tolower($1) }' | sort |
        join - <(grep -vE '^(#|$)' "$root/tests/nginx/expected-verdicts.txt" | awk '{ print $1, $2 }' | sort) |
        awk '$2 != $3')
    [ -z "$differ" ] || fail "$name: verdicts other than over HTTP/1.1 (case, h2, h1): $differ"
    echo "$name: $(grep -cE '^SKIP  ' "$out") SKIP, $(grep -cE '^(PASS|FAIL|WARN|INFO)  ' "$out") judged"
}

# 1, 2. h2 over TLS and h2c.
check_suite h2 --target "https://127.0.0.1:$nginx_port" --insecure
check_suite h2c --target "http://127.0.0.1:$h2c_port"

# 3. The differential: HTTP/1.1 and HTTP/2 on the TLS listener (ALPN chooses per connection).
out=$work/both.txt
"$conform" run "$work/h2.yaml" --target "https://127.0.0.1:$nginx_port" --insecure \
    --versions 1.1,2 --no-color >"$out" 2>&1
grep -q 'Version differential' "$out" || fail "--versions 1.1,2: no differential section"
grep -qE 'it-h2-differs +step 1  status: 200 \(HTTP/1.1\)  418 \(HTTP/2\)' "$out" ||
    { fail "--versions 1.1,2: the 418 over HTTP/2 is not in the differential"; cat "$out"; }
grep -q 'it-h2-two-steps.*HTTP/1.1' "$out" && fail "--versions 1.1,2: a case that agrees is listed"

grep -q 'have one name' "$out" && fail "--versions 1.1,2: the two runs of a target are said to share a name"
# ...and in the JSON report
"$conform" run "$work/h2.yaml" --target "https://127.0.0.1:$nginx_port" --insecure \
    --versions 1.1,2 --report "json:$work/both.json" >/dev/null 2>&1
python3 - "$work/both.json" <<'EOF2' || fail "--versions 1.1,2: the JSON report's version_differential"
import json, sys
d = json.load(open(sys.argv[1]))["version_differential"]
diffs = [x for x in d["differences"] if x["what"] == "status"]
assert d["cases"] == 2, d
assert [(x["id"], x["step"], x["http1.1"], x["http2"]) for x in diffs] == [("it-h2-differs", 1, "200", "418")], d
EOF2
# ...which conform report reads back: the terminal shows it, a JSON rewrite keeps it
"$conform" report "$work/both.json" --no-color >"$work/again.txt" 2>&1 ||
    fail "conform report of a --versions run: $(head -3 "$work/again.txt")"
grep -qE 'it-h2-differs +step 1  status: 200 \(HTTP/1.1\)  418 \(HTTP/2\)' "$work/again.txt" ||
    fail "conform report: no version differential"
"$conform" report "$work/both.json" --format json -o "$work/again.json" >/dev/null 2>&1
python3 -c 'import json, sys; a, b = (json.load(open(p))["version_differential"] for p in sys.argv[1:]); assert a == b, (a, b)' \
    "$work/both.json" "$work/again.json" || fail "conform report --format json: the differential changed"

# 4. conform's caps hold over HTTP/2 too: an answer over one is not judged (SKIP, the cap named).
for cap in "--max-fields 2" "--max-response 10"; do
    # shellcheck disable=SC2086  # the option and its value
    "$conform" run "$work/h2.yaml" --id =it-h2-two-steps --target "http://127.0.0.1:$h2c_port" \
        --http2 $cap --no-color >"$work/cap.txt" 2>&1
    grep -A3 '^SKIP  it-h2-two-steps' "$work/cap.txt" | grep -q "at a cap (${cap% *})" ||
        fail "$cap over HTTP/2: not SKIP at the cap: $(head -5 "$work/cap.txt")"
done

# 5. No HTTP/2 on the plain listener: exit 3.
"$conform" run "$work/h2.yaml" --target "http://127.0.0.1:$plain_port" --http2 >"$work/no.txt" 2>&1
rc=$?
[ "$rc" -eq 3 ] || fail "--http2 against HTTP/1.1 only: exit $rc, not 3"
grep -q 'does not answer over HTTP/2' "$work/no.txt" || fail "no reason: $(cat "$work/no.txt")"

[ "$status" -eq 0 ] && echo "it_h2: ok"
exit "$status"
