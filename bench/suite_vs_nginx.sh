#!/usr/bin/env bash
# bench/suite_vs_nginx.sh CONFORM_A [CONFORM_B] [ROUNDS]: wall time of the bundled suite against
# nginx (tests/nginx/start.sh, a free loopback port), for one or two conform binaries run in
# alternation, ROUNDS rounds (default 5), -j 2; prints each time and the median per binary.
# Used to check that a change makes the suite against a real server no slower (docs/bench.md).
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: $0 CONFORM_A [CONFORM_B] [ROUNDS]" >&2; exit 2; }
bins=("$1")
rounds=5
if [ $# -ge 2 ] && [ -x "$2" ]; then bins+=("$2"); rounds=${3:-5}; else rounds=${2:-5}; fi
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "nginx is needed (.ci/deps-test)" >&2; exit 2; }
. "$root/tests/nginx/start.sh"
trap nginx_stop EXIT
nginx_start "${NGINX:-/usr/sbin/nginx}" || { echo "nginx did not start"; nginx_output; exit 1; }
declare -A times
for ((r = 1; r <= rounds; r++)); do
    for b in "${bins[@]}"; do
        t0=$(date +%s.%N)
        "$b" run "$root/specs" --target "127.0.0.1:$nginx_port" -j 2 --no-progress --quiet \
            --report json:/dev/null >/dev/null 2>&1
        t1=$(date +%s.%N)
        t=$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')
        times[$b]+="$t "
        echo "round $r $b: $t s"
    done
done
for b in "${bins[@]}"; do
    med=$(tr ' ' '\n' <<<"${times[$b]}" | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "median $b: $med s"
done
