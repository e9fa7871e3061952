#!/usr/bin/env bash
# Integration test: conform serve out of file descriptors (issue #12, item 4). The server runs
# under `ulimit -n 64` (soft and hard, so it cannot raise it) and `ulimit -v` (a leak fails the
# test, not the machine); 100 idle connections are opened, more than it has descriptors for.
# It must keep answering ordinary clients (the oldest idle connections make room), report
# running out of descriptors once on stderr (when --max-connections is above the limit), and
# not spin: its CPU time over ~3 s stays far below the wall time (utime+stime from
# /proc/PID/stat, a generous bound). Clients are bash's /dev/tcp. Last, the warning for a
# non-loopback --listen address.
# Usage: tests/it_serve_emfile.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

conform=${1:?usage: it_serve_emfile.sh PATH/TO/conform}
dir=$(mktemp -d)
pid=
trap '[ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$dir"' EXIT
status=0
fail() {
    echo "FAIL: $*"
    status=1
}

# The memory cap; none for a sanitizer build (ASan reserves terabytes of address space for its
# shadow memory, and its own checks catch leaks there).
vmem='ulimit -v 2000000;'
grep -qa __asan_init "$conform" && vmem=

# Starts conform serve with extra options; sets pid and port.
start() {
    bash -c "ulimit -n 64; $vmem"' exec "$0" serve --listen 127.0.0.1:0 --quiet "$@"' \
        "$conform" "$@" >"$dir/out" 2>"$dir/err" &
    pid=$!
    port=
    for _ in $(seq 100); do
        port=$(sed -nE 's|.*listening on http://127\.0\.0\.1:([0-9]+).*|\1|p' "$dir/out")
        [ -n "$port" ] && return 0
        sleep 0.1
    done
    fail "conform serve did not start: $(cat "$dir/err")"
    return 1
}

# Sends one request on a new connection; prints the status-line (within 5 s).
ask() {
    local c line
    exec {c}<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' >&"$c"
    IFS= read -r -t 5 line <&"$c"
    exec {c}>&-
    printf '%s\n' "${line%$'\r'}"
}

cpu_ticks() {
    # fields after the command name (which is in parentheses): utime is 14th, stime 15th overall
    local rest
    rest=$(sed -E 's/^.*\) //' "/proc/$1/stat")
    set -- $rest
    echo $((${12} + ${13}))
}

run_case() {
    local name=$1
    shift
    start "$@" || return
    local fds=() f i
    for i in $(seq 100); do
        exec {f}<>"/dev/tcp/127.0.0.1/$port" && fds+=("$f")
    done
    [ "${#fds[@]}" -eq 100 ] || fail "$name: only ${#fds[@]} of 100 connections opened"
    local before
    before=$(cpu_ticks "$pid")
    for i in 1 2 3; do
        sleep 1
        line=$(ask)
        [ "$line" = "HTTP/1.1 200 OK" ] || fail "$name: round $i: got '$line', expected HTTP/1.1 200 OK"
    done
    local used=$(($(cpu_ticks "$pid") - before)) hz
    hz=$(getconf CLK_TCK)
    # a busy loop would use ~3 s of CPU in these ~3 s; allow a third of it
    [ "$used" -lt "$hz" ] || fail "$name: $used ticks of CPU in ~3 s (hz $hz): spinning?"
    echo "$name: CPU $used ticks over ~3 s (hz $hz)"
    kill -0 "$pid" 2>/dev/null || fail "$name: the server exited: $(cat "$dir/err")"
    for f in "${fds[@]}"; do exec {f}>&-; done
    kill "$pid"
    wait "$pid" 2>/dev/null
    pid=
}

# Default --max-connections: the limit less 8; full, the oldest idle connection gives way.
run_case default
grep -q 'out of file descriptors' "$dir/err" && fail "default: EMFILE reported: $(cat "$dir/err")"

# More connections than descriptors: accept() fails with EMFILE, reported once.
run_case emfile --max-connections 1000
n=$(grep -c 'conform serve: out of file descriptors: dropping the oldest idle connections' "$dir/err")
[ "$n" -eq 1 ] || fail "emfile: the EMFILE warning appears $n times, expected 1: $(cat "$dir/err")"

# The non-loopback warning: on stderr for 0.0.0.0 (started and stopped at once; nothing connects),
# not for 127.0.0.2 or [::1].
listen_warns() {
    local lp
    "$conform" serve --listen "$1" --quiet >"$dir/lout" 2>"$dir/lerr" &
    lp=$!
    # the warning comes before the "listening on" line
    for _ in $(seq 100); do
        grep -q 'listening on' "$dir/lout" && break
        kill -0 "$lp" 2>/dev/null || break
        sleep 0.1
    done
    kill "$lp" 2>/dev/null
    wait "$lp" 2>/dev/null
    grep -q "conform serve: warning: $2 is not a loopback address" "$dir/lerr"
}
listen_warns 0.0.0.0:0 '0\.0\.0\.0:0' || fail "no warning for --listen 0.0.0.0:0"
listen_warns 127.0.0.2:0 '127\.0\.0\.2:0' && fail "a warning for --listen 127.0.0.2:0"
listen_warns '[::1]:0' '\[::1\]:0' && fail "a warning for --listen [::1]:0"

[ "$status" -eq 0 ] && echo "PASS"
exit "$status"
