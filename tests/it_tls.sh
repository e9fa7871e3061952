#!/usr/bin/env bash
# Integration test: targets over TLS (docs/commands/run.md "TLS"), against real TLS servers on
# loopback with certificates made now by `openssl req`:
#   1. the bundled suite against nginx over TLS (--insecure) gives the same verdict for every case
#      as over plain TCP against an nginx with the same configuration (tests/nginx/nginx.conf,
#      `listen ... ssl` added);
#   2. certificate errors: no --insecure and an untrusted certificate is exit 3 with libcurl's
#      text and the verification result; --cacert with the right certificate passes;
#   3. SNI: nginx serves another certificate for the name sni.test; --sni sni.test and
#      --resolve sni.test:PORT:127.0.0.1 --target https://sni.test:PORT are verified against it,
#      which only works when the name went out as SNI;
#   4. a server that resets during the handshake, one that closes, one that never answers:
#      exit 3 with libcurl's text, not a hang;
#   5. half_close: true over TLS sends close_notify (tests/support/tls_peer.py says whether it
#      got one) and the server can still answer;
#   6. conform fuzz and conform profile over TLS.
# Every server is stopped by its PID. Exit: 0 ok, 1 failure, 77 skipped (nginx, openssl or
# python3 missing; CTest SKIP_RETURN_CODE 77).
# Usage: tests/it_tls.sh PATH/TO/conform
set -u

conform=${1:?usage: it_tls.sh PATH/TO/conform}
root=$(cd "$(dirname "$0")/.." && pwd)
nginx=${NGINX:-/usr/sbin/nginx}
for tool in "$nginx" openssl python3; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "SKIP: $tool not installed"
        exit 77
    fi
done

work=$(mktemp -d)
pids=()
plain_tmp=
cleanup() {
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null; done
    nginx_stop
    [ -n "$plain_tmp" ] && { nginx_tmp=$plain_tmp; nginx_pid=$plain_pid; nginx_stop; }
    rm -rf "$work"
}
# shellcheck source=SCRIPTDIR/nginx/start.sh
. "$root/tests/nginx/start.sh"
trap cleanup EXIT
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

# Two self-signed certificates: localhost/127.0.0.1 (the default server) and sni.test.
nginx_tls_template "$work" && nginx_cert "$work" sni.test "DNS:sni.test" || {
    echo "FAIL: openssl req could not make the test certificates"
    exit 1
}

# The plain nginx, then the TLS one from the same configuration with `ssl` on its listener and a
# second server block for sni.test.
nginx_start "$nginx" || { echo "FAIL: nginx did not start"; nginx_output; exit 1; }
plain_port=$nginx_port plain_pid=$nginx_pid plain_tmp=$nginx_tmp
nginx_tmp= nginx_pid= nginx_port=
sed -i '$d' "$work/nginx-tls.conf" # the closing brace of http {}, written again below
cat >>"$work/nginx-tls.conf" <<EOF
    server {
        listen 127.0.0.1:@PORT@ ssl;
        server_name sni.test;
        ssl_certificate $work/sni.test.pem;
        ssl_certificate_key $work/sni.test.key;
        location / { return 200 "sni.test\n"; }
    }
}
EOF
nginx_conf_template=$work/nginx-tls.conf
nginx_start "$nginx" || { echo "FAIL: nginx with TLS did not start"; nginx_output; exit 1; }
tls_port=$nginx_port
echo "nginx: plain 127.0.0.1:$plain_port, TLS 127.0.0.1:$tls_port"

# 1. The suite: the same verdicts over TLS as over TCP.
verdicts() { # OUT -> "case-id verdict", sorted
    grep -E '^(PASS|FAIL|WARN|INFO|ERROR|SKIP)  ' "$1" | awk '{ print $2, tolower($1) }' | sort
}
suite() { # TARGET OUT [OPTIONS...]
    local target=$1 out=$2
    shift 2
    "$conform" run "$root/specs" --target "$target" --profile "$root/tests/nginx/profile.yaml" \
        --no-color --no-progress -j 2 "$@" >"$out" 2>&1
    local rc=$?
    [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ] || { cat "$out"; fail "conform run $target exited with $rc"; }
}
suite "127.0.0.1:$plain_port" "$work/plain.out"
suite "https://127.0.0.1:$tls_port" "$work/tls.out" --insecure
verdicts "$work/plain.out" >"$work/plain.v"
verdicts "$work/tls.out" >"$work/tls.v"
if [ ! -s "$work/tls.v" ]; then
    fail "no verdicts over TLS"
elif ! diff "$work/plain.v" "$work/tls.v" >"$work/v.diff"; then
    sed -e 's/^</DIFF: plain TCP:/' -e 's/^>/DIFF: TLS:/' "$work/v.diff" | grep DIFF
    fail "the verdicts over TLS differ from plain TCP"
else
    echo "ok: $(wc -l <"$work/tls.v") verdicts over TLS, the same as over TCP"
fi
grep -q ERROR "$work/tls.v" && fail "ERROR verdicts over TLS: $(grep ERROR "$work/tls.v")"

# 2. Certificates.
one() { # expected-exit OUT args... (one case, for the handshake and the pre-flight)
    local want=$1 out=$2
    shift 2
    "$conform" run "$root/specs" --id rfc9112-9.3-http11-persists --no-color --no-progress \
        "$@" >"$out" 2>&1
    local rc=$?
    [ "$rc" -eq "$want" ] || { cat "$out"; fail "conform run $* exited with $rc, not $want"; }
}
one 3 "$work/untrusted.out" --target "https://127.0.0.1:$tls_port"
grep -q "TLS handshake with 127.0.0.1 failed: SSL certificate problem: self-signed certificate (curl error 60; certificate verification result 18)" "$work/untrusted.out" ||
    fail "the untrusted certificate's message: $(cat "$work/untrusted.out")"
one 0 "$work/cacert.out" --target "https://127.0.0.1:$tls_port" --cacert "$work/localhost.pem"
one 3 "$work/wrongca.out" --target "https://127.0.0.1:$tls_port" --cacert "$work/sni.test.pem"
one 2 "$work/plainopts.out" --target "127.0.0.1:$plain_port" --insecure # https:// forgotten?
grep -q "are for a TLS target" "$work/plainopts.out" || fail "TLS options on a plain target: $(cat "$work/plainopts.out")"
one 0 "$work/grid.out" --target "tcp=127.0.0.1:$plain_port" --target "tls=https://127.0.0.1:$tls_port" --insecure
echo "ok: certificate errors, --cacert, --insecure (alone and beside a plain target)"

# 3. SNI: sni.test's certificate is only served to a client that sends the name.
one 0 "$work/sni.out" --target "https://127.0.0.1:$tls_port" --sni sni.test --cacert "$work/sni.test.pem"
one 0 "$work/resolve.out" --target "https://sni.test:$tls_port" --resolve "sni.test:$tls_port:127.0.0.1" \
    --cacert "$work/sni.test.pem" --report "json:$work/resolve.json"
one 3 "$work/nosni.out" --target "https://127.0.0.1:$tls_port" --cacert "$work/sni.test.pem"
grep -q "\"rerun\":\"[^\"]*--target https://sni.test:$tls_port --cacert [^ ]*sni.test.pem --resolve sni.test:$tls_port:127.0.0.1" "$work/resolve.json" ||
    fail "the rerun command does not repeat the TLS options: $(grep -o '"rerun":"[^"]*"' "$work/resolve.json")"
echo "ok: SNI, --sni, --resolve"

# 4. Servers that reset or close during the handshake (tests/support/tls_peer.py).
peer() { # MODE [ARGS]: starts tls_peer.py, its port in peer_port
    : >"$work/peer.port"
    python3 "$root/tests/support/tls_peer.py" "$@" >"$work/peer.port" &
    pids+=($!)
    for _ in $(seq 100); do [ -s "$work/peer.port" ] && break; sleep 0.05; done
    peer_port=$(cat "$work/peer.port")
}
for how in reset close; do
    peer "$how"
    one 3 "$work/drop-$how.out" --target "https://127.0.0.1:$peer_port" --insecure
    # a reset may also come before the connect is seen complete: the pre-flight's own message,
    # or libcurl's "Couldn't connect to server" (error 7) when the reset reaches the socket
    # before libcurl looks at it (seen once under ASan's slower timing)
    grep -qE "TLS handshake with 127.0.0.1 failed: .*\(curl error (35|7); certificate not verified: --insecure\)|does not speak HTTP: it reset the connection before GET" "$work/drop-$how.out" ||
        fail "a server that does $how in the handshake: $(cat "$work/drop-$how.out")"
done
peer hang
one 3 "$work/hang.out" --target "https://127.0.0.1:$peer_port" --insecure --connect-timeout 300ms
grep -q "TLS handshake with 127.0.0.1 failed: .*(curl error 28;" "$work/hang.out" ||
    fail "a server that never answers the handshake: $(cat "$work/hang.out")"
echo "ok: a reset, a close or silence in the handshake is exit 3 with libcurl's text"

# 5. half_close over TLS: close_notify, and the server may still answer.
cat >"$work/half.yaml" <<'EOF'
spec: 1
title: "it_tls: a half-close over TLS"
rfc: 9112
cases:
  - id: it-tls-half-close
    title: "The request, then the end of the client's writing"
    section: "9.6"
    level: MUST
    requirement: "A client that sends a \"close\" connection option MUST NOT send further requests on that connection (after the request containing the \"close\") and MUST close the connection after reading the final response message corresponding to this request."
    steps:
      - raw: "GET / HTTP/1.1\r\nHost: {{authority}}\r\nConnection: close\r\n\r\n"
        half_close: true
        expect:
          status: 200
EOF
peer notify "$work/localhost.pem" "$work/localhost.key"
"$conform" run "$work/half.yaml" --target "https://127.0.0.1:$peer_port" --insecure \
    --no-preflight --no-color --no-progress --rules off >"$work/half.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] || { cat "$work/half.out"; fail "half_close over TLS: exit $rc (the server saw no close_notify, or could not answer)"; }
[ "$rc" -eq 0 ] && echo "ok: half_close sends close_notify, and the answer after it is read"

# 6. conform fuzz and conform profile over TLS.
"$conform" fuzz --target "https://127.0.0.1:$tls_port" --insecure --profile "$root/tests/nginx/profile.yaml" \
    -n 300 --seed 7 -j 2 --findings "$work/findings" --no-progress >"$work/fuzz.out" 2>&1
rc=$?
{ [ "$rc" -eq 0 ] || [ "$rc" -eq 1 ]; } || { cat "$work/fuzz.out"; fail "conform fuzz over TLS exited with $rc"; }
grep -qE '^conform fuzz: [0-9]+ requests in ' "$work/fuzz.out" || fail "conform fuzz over TLS: no summary"
grep -qE '^errors: 0 connect, 0 reset, 0 timeout' "$work/fuzz.out" ||
    fail "conform fuzz over TLS: connection errors: $(grep ^errors: "$work/fuzz.out")"
"$conform" profile --target "https://127.0.0.1:$tls_port" --insecure -q -o "$work/profile.yaml" ||
    fail "conform profile over TLS"
grep -q '^  page: / ' "$work/profile.yaml" || fail "conform profile over TLS: no page: $(cat "$work/profile.yaml")"
echo "ok: conform fuzz and conform profile over TLS"

[ "$status" -eq 0 ] && echo "OK: TLS targets"
exit "$status"
