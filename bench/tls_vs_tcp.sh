#!/usr/bin/env bash
# bench/tls_vs_tcp.sh CONFORM [ROUNDS]: what TLS costs conform (docs/bench.md "TLS vs plain
# TCP"). Starts two nginx from the same configuration (tests/nginx/nginx.conf; the second with
# `ssl` on its listener and a certificate made now by `openssl req`) and measures, ROUNDS rounds
# (default 5) in alternation:
#   suite  the wall time of the bundled suite at -j 2 over TCP and over TLS (--insecure);
#   conn   the cost of one exchange on a new connection: conform fuzz --no-keep-alive -j 1
#          -n 2000 (connect, handshake for TLS, one request, its answer, close), as requests/s;
#   kept   the cost of one exchange on a kept connection: conform run of one case of 900 steps,
#          each a GET of / on the same connection (one handshake for all: the record layer's
#          cost), as exchanges/s.
# Prints each round and the medians, and the per-exchange times they imply.
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 CONFORM [ROUNDS]" >&2; exit 2; }
conform=$1
rounds=${2:-5}
[ -x /usr/sbin/nginx ] || { echo "nginx is needed (.ci/deps-test)" >&2; exit 2; }
command -v openssl >/dev/null || { echo "openssl is needed (.ci/deps-test)" >&2; exit 2; }

. "$root/tests/nginx/start.sh"
work=$(mktemp -d)
plain_tmp=
cleanup() {
    nginx_stop
    [ -n "$plain_tmp" ] && { nginx_tmp=$plain_tmp; nginx_pid=$plain_pid; nginx_stop; }
    rm -rf "$work"
}
trap cleanup EXIT
nginx_tls_template "$work" || { echo "openssl req failed" >&2; exit 1; }
nginx_start /usr/sbin/nginx || { echo "nginx did not start"; nginx_output; exit 1; }
plain_port=$nginx_port plain_pid=$nginx_pid plain_tmp=$nginx_tmp
nginx_tmp= nginx_pid= nginx_port=
nginx_conf_template=$work/nginx-tls.conf
nginx_start /usr/sbin/nginx || { echo "nginx with TLS did not start"; nginx_output; exit 1; }
tls_port=$nginx_port
echo "nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*nginx\///'): TCP 127.0.0.1:$plain_port, TLS 127.0.0.1:$tls_port; $(nproc) cores"

# One case, 900 keep-alive GETs (nginx keepalive_requests is 1000) on one connection.
{
    printf 'spec: 1\ntitle: "bench: 900 exchanges on one connection"\nrfc: 9112\ncases:\n'
    printf '  - id: bench-kept\n    title: "900 GETs"\n    section: "9.3"\n    level: MUST\n'
    printf '    requirement: "x"\n    steps:\n'
    for _ in $(seq 900); do
        printf '      - lines: ["GET / HTTP/1.1", "Host: {{authority}}", ""]\n        expect: {status: 200}\n'
    done
} >"$work/kept.yaml"

declare -A res
now() { date +%s.%N; }
# suite TRANSPORT TARGET [OPTIONS]: seconds
suite() {
    local t0 t1
    shift
    t0=$(now)
    "$conform" run "$root/specs" --target "$@" --profile "$root/tests/nginx/profile.yaml" -j 2 \
        --no-progress --quiet --report json:/dev/null >/dev/null 2>&1
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }'
}
# fuzz TARGET [OPTIONS]: requests per second, from conform fuzz's summary line
fuzz() {
    "$conform" fuzz --target "$@" --profile "$root/tests/nginx/profile.yaml" -j 1 -n 2000 \
        --seed 1 --no-progress --no-minimize --findings "$work/findings" 2>&1 |
        sed -n 's/^conform fuzz: .* requests in .* (\([0-9.]*\) req\/s).*/\1/p'
}
# kept TARGET [OPTIONS]: exchanges per second on one connection
kept() {
    local t0 t1
    t0=$(now)
    "$conform" run "$work/kept.yaml" --target "$@" --no-progress --quiet --rules off >/dev/null 2>&1
    t1=$(now)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", 900 / (b - a) }'
}
for ((r = 1; r <= rounds; r++)); do
    for tr in tcp tls; do
        if [ "$tr" = tcp ]; then set -- "127.0.0.1:$plain_port"; else set -- "https://127.0.0.1:$tls_port" --insecure; fi
        s=$(suite "$tr" "$@")
        c=$(fuzz "$@" --no-keep-alive)
        k=$(kept "$@")
        res[suite_$tr]+="$s " res[conn_$tr]+="$c " res[kept_$tr]+="$k "
        echo "round $r $tr: suite $s s, new connection $c req/s, kept connection $k exchanges/s"
    done
done
median() { tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
for m in suite conn kept; do
    for tr in tcp tls; do
        res[med_${m}_$tr]=$(median "${res[${m}_$tr]}")
    done
done
echo "median suite at -j 2: TCP ${res[med_suite_tcp]} s, TLS ${res[med_suite_tls]} s"
awk -v tc="${res[med_conn_tcp]}" -v tl="${res[med_conn_tls]}" -v kc="${res[med_kept_tcp]}" -v kl="${res[med_kept_tls]}" 'BEGIN {
    printf "median exchange on a new connection: TCP %.0f req/s (%.3f ms), TLS %.0f req/s (%.3f ms): TLS adds %.3f ms\n", tc, 1000 / tc, tl, 1000 / tl, 1000 / tl - 1000 / tc
    printf "median exchange on a kept connection: TCP %.0f req/s (%.3f ms), TLS %.0f req/s (%.3f ms): TLS adds %.3f ms\n", kc, 1000 / kc, kl, 1000 / kl, 1000 / kl - 1000 / kc
}'
