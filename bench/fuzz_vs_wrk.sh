#!/usr/bin/env bash
# conform fuzz's request rate side by side with wrk's, against the same nginx on loopback
# (docs/commands/fuzz.md, "Speed"; docs/bench.md).
#
# Starts /usr/sbin/nginx from tests/nginx/nginx.conf with tests/nginx/start.sh, as
# tests/it_nginx.sh does (a temporary directory of its own, a free 127.0.0.1 port, stopped by its
# PID on exit), then runs one after another, each for the same duration:
#   wrk -t1 -c1 and wrk -t2 -c2                 (one valid GET / over and over, keep-alive)
#   the same with -H 'Connection: close'        (nginx closes after each answer: wrk opens a new
#                                                connection per request, as conform must after
#                                                the inputs nginx rejects)
#   conform fuzz -j 1 and -j 2                  (mutated requests; the keep-alive fast path)
#   conform fuzz -j 1 and -j 2 --no-keep-alive  (one connection per exchange)
# conform runs with --no-minimize: findings against nginx are still confirmed, but minimizing
# one (a hang: up to 30 s of 2 s tries) would stall a worker for the rest of the run, and the
# rate would measure when findings show up rather than how fast conform sends.
# It prints a table: tool, connections (wrk) or workers (conform), requests/s, connections
# conform opened, and conform's rate as a percentage of wrk's with as many connections, kept
# alive and closed after each request. With -r N the eight runs are made N times over,
# interleaved, and each figure is the median of its N runs (on a shared machine single runs vary
# a lot). Installs nothing: needs wrk, nginx and a built conform.
#
# Usage: bench/fuzz_vs_wrk.sh [-d SECONDS] [-r N] [-b BUILD_DIR] [-s SEED]
#   -d SECONDS   length of each run (default 10)
#   -r N         rounds of the eight runs; medians reported (default 1)
#   -b BUILD_DIR where conform was built (default build)
#   -s SEED      conform fuzz --seed (default 1)
# Exit: 0 measured, 1 a tool failed or nginx did not start, 2 usage, 77 wrk or nginx missing.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
secs=10
rounds=1
build=$root/build
seed=1
while getopts "d:r:b:s:h" opt; do
    case $opt in
    d) secs=$OPTARG ;;
    r) rounds=$OPTARG ;;
    b) build=$OPTARG ;;
    s) seed=$OPTARG ;;
    h)
        sed -n '2,/^set -u/p' "$0" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *) exit 2 ;;
    esac
done
for n in "$secs" "$rounds"; do
    case $n in '' | *[!0-9]* | 0)
        echo "fuzz_vs_wrk: -d and -r need whole numbers above 0" >&2
        exit 2
        ;;
    esac
done
conform=$build/conform
nginx=${NGINX:-/usr/sbin/nginx}
for tool in "$nginx" "$(command -v wrk)"; do
    if [ ! -x "$tool" ]; then
        echo "SKIP: wrk or nginx not installed" >&2
        exit 77
    fi
done
if [ ! -x "$conform" ]; then
    echo "fuzz_vs_wrk: no conform in $build (build it first, or give -b BUILD_DIR)" >&2
    exit 2
fi

# shellcheck source=SCRIPTDIR/../tests/nginx/start.sh
. "$root/tests/nginx/start.sh"
trap nginx_stop EXIT
if ! nginx_start "$nginx"; then
    echo "fuzz_vs_wrk: nginx did not start" >&2
    nginx_output >&2
    exit 1
fi
tmp=$nginx_tmp
port=$nginx_port

echo "nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') on 127.0.0.1:$port (pid $nginx_pid), tests/nginx/nginx.conf"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
echo "each run: ${secs} s, $rounds round(s), medians"
echo

# wrk N [HEADER]: requests/s of wrk -tN -cN (GET /; keep-alive unless HEADER says close).
run_wrk() {
    local n=$1 out=$tmp/wrk-$1${2:+-close}.out
    local -a hdr=()
    [ -z "${2:-}" ] || hdr=(-H "$2")
    wrk -t"$n" -c"$n" -d"${secs}s" "${hdr[@]}" "http://127.0.0.1:$port/" >"$out" 2>&1 || {
        cat "$out" >&2
        return 1
    }
    awk '/^Requests\/sec:/ { print $2 }' "$out"
}

# conform N [OPTION]: "requests/s connections" of conform fuzz -j N, from its summary.
run_conform() {
    local n=$1 extra=${2:-}
    local out=$tmp/conform-$n$extra.out
    "$conform" fuzz --target "127.0.0.1:$port" --specs "$root/specs" --duration "${secs}s" \
        --seed "$seed" -j "$n" --no-progress --no-minimize --findings "$tmp/findings-$n$extra" \
        ${extra:+"$extra"} \
        >"$out" 2>&1
    local rc=$?
    # 0 no findings, 1 findings: both measured runs. Anything else is breakage.
    if [ "$rc" -ne 0 ] && [ "$rc" -ne 1 ]; then
        cat "$out" >&2
        return 1
    fi
    local rate conns
    rate=$(sed -n 's/^conform fuzz: [0-9]* requests in .* (\([0-9]*\) req\/s).*/\1/p' "$out")
    conns=$(sed -n 's/.*, \([0-9]*\) connections opened.*/\1/p' "$out")
    echo "${rate:-?} ${conns:-?}"
}

# The median of the numbers in "$@" ("?" when one is not a number).
median() {
    printf '%s\n' "$@" | sort -n | awk '!/^[0-9.]+$/ { bad = 1 } { v[NR] = $1 }
        END { if (bad || !NR) print "?"; else if (NR % 2) print v[(NR + 1) / 2];
              else printf "%.0f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

declare -a W1 W2 C1 C2 K1 K2 N1 N2 KC1 KC2 NC1 NC2
for r in $(seq "$rounds"); do
    [ "$rounds" -gt 1 ] && echo "round $r of $rounds" >&2
    x=$(run_wrk 1) || exit 1
    W1+=("$x")
    x=$(run_wrk 2) || exit 1
    W2+=("$x")
    x=$(run_wrk 1 "Connection: close") || exit 1
    C1+=("$x")
    x=$(run_wrk 2 "Connection: close") || exit 1
    C2+=("$x")
    x=$(run_conform 1) || exit 1
    read -r a b <<<"$x"
    K1+=("$a") KC1+=("$b")
    x=$(run_conform 2) || exit 1
    read -r a b <<<"$x"
    K2+=("$a") KC2+=("$b")
    x=$(run_conform 1 --no-keep-alive) || exit 1
    read -r a b <<<"$x"
    N1+=("$a") NC1+=("$b")
    x=$(run_conform 2 --no-keep-alive) || exit 1
    read -r a b <<<"$x"
    N2+=("$a") NC2+=("$b")
done
w1=$(median "${W1[@]}") w2=$(median "${W2[@]}") c1=$(median "${C1[@]}") c2=$(median "${C2[@]}")
k1=$(median "${K1[@]}") kc1=$(median "${KC1[@]}") k2=$(median "${K2[@]}") kc2=$(median "${KC2[@]}")
n1=$(median "${N1[@]}") nc1=$(median "${NC1[@]}") n2=$(median "${N2[@]}") nc2=$(median "${NC2[@]}")
if [ "$rounds" -gt 1 ]; then
    echo "runs (requests/s): wrk -c1 ${W1[*]}; close ${C1[*]}; conform -j 1 ${K1[*]}; --no-keep-alive ${N1[*]}"
    echo "                   wrk -c2 ${W2[*]}; close ${C2[*]}; conform -j 2 ${K2[*]}; --no-keep-alive ${N2[*]}"
    echo
fi

pct() {
    awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0 && a ~ /^[0-9.]+$/) printf "%.0f%%", 100 * a / b; else print "-" }'
}
row() {
    printf '| %-38s | %11s | %10s | %18s | %14s | %19s |\n' "$@"
}
row "tool" "connections" "requests/s" "connections opened" "% of wrk" "% of wrk, close"
row "---" "---:" "---:" "---:" "---:" "---:"
fmt() { case $1 in '' | *[!0-9.]*) echo "?" ;; *) printf '%.0f' "$1" ;; esac; }
for n in 1 2; do
    if [ "$n" -eq 1 ]; then w=$w1 c=$c1 k=$k1 kc=$kc1 nk=$n1 nkc=$nc1; else w=$w2 c=$c2 k=$k2 kc=$kc2 nk=$n2 nkc=$nc2; fi
    row "wrk -t$n -c$n (GET /, keep-alive)" "$n" "$(fmt "$w")" "$n" "100%" ""
    row "wrk -t$n -c$n, Connection: close" "$n" "$(fmt "$c")" "1 per request" "$(pct "$c" "$w")" "100%"
    row "conform fuzz -j $n" "$n" "$k" "$kc" "$(pct "$k" "$w")" "$(pct "$k" "$c")"
    row "conform fuzz -j $n --no-keep-alive" "$n" "$nk" "$nkc" "$(pct "$nk" "$w")" "$(pct "$nk" "$c")"
done
echo
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
