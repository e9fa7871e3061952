#!/usr/bin/env bash
# conform serve against nginx under wrk, in the same run (docs/bench.md, "conform serve against
# nginx"; issue #12: conform serve must answer every connection).
#
# Starts conform serve (--quiet, a free 127.0.0.1 port) and nginx (tests/nginx/start.sh, with
# tests/nginx/nginx.conf but worker_connections raised to 4096 so nginx itself can hold the
# connections), then for each connection count runs wrk -t2 -cN -dSECONDS --latency on GET /
# (keep-alive) against one, then the other. While wrk runs, a probe opens a new connection
# once a second (from the 2nd second on, SECONDS-2 times) and asks for / (bash /dev/tcp, 3 s
# to answer): wrk does not count connections that never get an answer (they are neither errors
# nor timeouts in its summary), the probes do; and the server's open descriptors are counted
# once a second (/proc/PID/fd, less those it had before the run): how many of wrk's connections
# it actually accepted. It prints a table: server, connections, requests/s, wrk's socket errors
# (connect/read/write/timeout), p99 latency, non-2xx answers, connections accepted (the most
# seen), probes answered, and each server's peak RSS (VmHWM) after all its runs.
# Installs nothing: needs wrk, nginx and a built conform. The descriptor limit of this shell is
# what both servers get (conform serve raises its soft limit to the hard one itself).
#
# Usage: bench/serve_vs_nginx.sh [-d SECONDS] [-c "N N..."] [-b BUILD_DIR]
#   -d SECONDS   length of each wrk run (default 10)
#   -c LIST      connection counts (default "100 1000")
#   -b BUILD_DIR where conform was built (default build)
# Exit: 0 measured, 1 a server did not start or wrk failed, 2 usage, 77 wrk or nginx missing.
set -u

root=$(cd "$(dirname "$0")/.." && pwd)
secs=10
conns="100 1000"
build=$root/build
while getopts "d:c:b:h" opt; do
    case $opt in
    d) secs=$OPTARG ;;
    c) conns=$OPTARG ;;
    b) build=$OPTARG ;;
    h)
        sed -n '2,/^set -u/p' "$0" | sed -e '/^set -u/d' -e 's/^# \{0,1\}//'
        exit 0
        ;;
    *) exit 2 ;;
    esac
done
case " $secs $conns " in *[!0-9\ ]* | *" 0"[\ 0-9]*)
    echo "serve_vs_nginx: -d and -c need whole numbers above 0" >&2
    exit 2 ;;
esac
[ "$secs" -ge 3 ] || { echo "serve_vs_nginx: -d needs 3 seconds or more (probes from the 2nd)" >&2; exit 2; }
conform=$build/conform
nginx=${NGINX:-/usr/sbin/nginx}
command -v wrk >/dev/null && [ -x "$nginx" ] || { echo "SKIP: wrk or nginx not installed" >&2; exit 77; }
[ -x "$conform" ] || { echo "serve_vs_nginx: no conform in $build (build it, or give -b BUILD_DIR)" >&2; exit 2; }

# shellcheck source=SCRIPTDIR/../tests/nginx/start.sh
. "$root/tests/nginx/start.sh"
cpid=
cleanup() {
    nginx_stop
    [ -n "$cpid" ] && kill "$cpid" 2>/dev/null && wait "$cpid" 2>/dev/null
    rm -rf "${work:-}"
}
trap cleanup EXIT
work=$(mktemp -d)
sed 's/worker_connections 256;/worker_connections 4096;/' "$root/tests/nginx/nginx.conf" \
    >"$work/nginx.conf"
nginx_conf_template=$work/nginx.conf
if ! nginx_start "$nginx"; then
    echo "serve_vs_nginx: nginx did not start" >&2
    nginx_output >&2
    exit 1
fi

"$conform" serve --listen 127.0.0.1:0 --quiet >"$work/serve.out" 2>"$work/serve.err" &
cpid=$!
cport=
for _ in $(seq 100); do
    cport=$(sed -nE 's|.*listening on http://127\.0\.0\.1:([0-9]+).*|\1|p' "$work/serve.out")
    [ -n "$cport" ] && break
    sleep 0.05
done
if [ -z "$cport" ]; then
    echo "serve_vs_nginx: conform serve did not start: $(cat "$work/serve.err")" >&2
    exit 1
fi

echo "conform $("$conform" --version 2>&1 | head -1) on 127.0.0.1:$cport (pid $cpid); nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///') on 127.0.0.1:$nginx_port (pid $nginx_pid), worker_connections 4096"
echo "machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')), ulimit -n $(ulimit -n), load average $(cut -d' ' -f1-3 /proc/loadavg) before the runs"
echo "each run: wrk -t2 -cN -d${secs}s --latency http://127.0.0.1:PORT/"
echo

# probe PORT: true when a new connection gets a status-line to GET / within 3 s.
probe() {
    timeout 3 bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$0" || exit 1
        printf "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n" >&3
        IFS= read -r line <&3 && [[ $line == "HTTP/1.1 200 "* ]]' "$1" 2>/dev/null
}

nfds() { find "/proc/$1/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# run NAME PORT PID N: one table row from wrk's output, the probes and the descriptor counts.
run() {
    local name=$1 port=$2 spid=$3 n=$4 out=$work/wrk-$1-$4.out
    local base held=0 f
    base=$(nfds "$spid")
    wrk -t2 -c"$n" -d"${secs}s" --latency "http://127.0.0.1:$port/" >"$out" 2>&1 &
    local wpid=$! ok=0 tries=0
    sleep 1
    while [ "$tries" -lt $((secs - 2)) ]; do
        tries=$((tries + 1))
        f=$(($(nfds "$spid") - base))
        [ "$f" -gt "$held" ] && held=$f
        probe "$port" && ok=$((ok + 1))
        sleep 1
    done
    wait "$wpid" || {
        cat "$out" >&2
        return 1
    }
    local rate errs p99
    rate=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' "$out")
    errs=$(sed -nE 's/.*Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+).*/\1\/\2\/\3\/\4/p' "$out")
    p99=$(awk '$1 == "99%" { print $2 }' "$out")
    local non2xx
    non2xx=$(sed -nE 's/.*Non-2xx or 3xx responses: ([0-9]+).*/\1/p' "$out")
    printf '| %-13s | %11s | %10s | %29s | %11s | %7s | %8s | %15s |\n' "$name" "$n" "${rate:-?}" \
        "${errs:-0/0/0/0}" "${p99:-?}" "${non2xx:-0}" "$held" "$ok/$tries"
}

printf '| %-13s | %11s | %10s | %29s | %11s | %7s | %8s | %15s |\n' "server" "connections" "requests/s" \
    "socket errors conn/rd/wr/tmo" "latency p99" "non-2xx" "accepted" "probes answered"
printf '| %-13s | %11s | %10s | %29s | %11s | %7s | %8s | %15s |\n' "---" "---:" "---:" "---:" "---:" "---:" "---:" "---:"
for n in $conns; do
    run "conform serve" "$cport" "$cpid" "$n" || exit 1
    run nginx "$nginx_port" "$nginx_pid" "$n" || exit 1
done
echo
hwm() { awk '/^VmHWM:/ { printf "%.1f MB", $2 / 1024 }' "/proc/$1/status"; }
echo "peak RSS (VmHWM) after all runs: conform serve $(hwm "$cpid"), nginx $(hwm "$nginx_pid")"
[ -s "$work/serve.err" ] && echo "conform serve stderr: $(cat "$work/serve.err")"
echo "load average after the runs: $(cut -d' ' -f1-3 /proc/loadavg)"
