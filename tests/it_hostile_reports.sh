#!/usr/bin/env bash
# Integration test: hostile reports, baselines and profiles stay within their budgets
# (docs/limits.md "Reports and baselines"), terminal output never carries a control character
# from a report, and the error messages of issue #12 say what is wrong. Every hostile input is
# generated here; every command runs under `ulimit -v` so a budget that regresses fails this test
# instead of exhausting the machine. Asserts outcomes (message, exit status), never times.
# Exit: 0 ok, 1 failure.
# Usage: tests/it_hostile_reports.sh PATH/TO/conform   (CTest passes the binary as $1)
set -u

conform=${1:?usage: it_hostile_reports.sh PATH/TO/conform}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*"
    exit 1
}

# AddressSanitizer reserves terabytes of address space: under it the budgets show in the outcome
# only (ASan's own allocator limits still stop a runaway), not through ulimit -v.
asan=false
grep -q __asan_init "$conform" && asan=true

# expect STATUS PATTERN LIMIT_KB -- ARGS...: runs conform ARGS under ulimit -v LIMIT_KB (and a
# timeout that only a hang reaches) and checks the exit status and a line of stderr.
expect() {
    local want=$1 pattern=$2 limit=$3
    shift 4
    "$asan" && limit=unlimited
    timeout 60 bash -c 'ulimit -v "$1"; shift; exec "$@"' _ "$limit" "$conform" "$@" \
        >"$tmp/out" 2>"$tmp/err"
    local rc=$?
    [ "$rc" -eq "$want" ] || { cat "$tmp/err"; fail "conform $* exited with $rc, expected $want"; }
    grep -Eq -- "$pattern" "$tmp/err" || { cat "$tmp/err"; fail "conform $*: no '$pattern'"; }
}

# A real report to start from: one case against the built-in server.
"$conform" run specs --target builtin --id rfc9112-5.1-space-before-colon \
    --report "json:$tmp/r.json" >/dev/null 2>"$tmp/err" ||
    { cat "$tmp/err"; fail "could not make a report to start from"; }

# --- escape sequences in a title, a requirement and a target name --------------------------------
python3 - "$tmp" <<'PY' || fail "python3 could not write the hostile report"
import json, sys
t = sys.argv[1]
d = json.load(open(t + "/r.json"))
c = d["targets"][0]["cases"][0]
c["title"] = "\x1b]0;owned\x07\x1b[2J title \u009b31m"
c["requirement"] = "req \x1b[8m hidden \r\n"
c["verdict"] = "FAIL"
d["targets"][0]["name"] = "tgt\x1b[1m"
json.dump(d, open(t + "/esc.json", "w"))
d2 = json.load(open(t + "/r.json"))
d2["targets"][0]["name"] = "tgt\x1b[1m"
json.dump(d2, open(t + "/esc_old.json", "w"))
PY
for cmd in "report $tmp/esc.json" "diff $tmp/esc_old.json $tmp/esc.json" \
    "report $tmp/esc.json --format markdown" "diff $tmp/esc_old.json $tmp/esc.json --format markdown"; do
    # shellcheck disable=SC2086
    bash -c 'ulimit -v "$1"; shift; exec "$@"' _ "$("$asan" && echo unlimited || echo 1000000)" \
        "$conform" $cmd >"$tmp/out" 2>&1
    if LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$tmp/out"; then
        cat -v "$tmp/out"
        fail "conform $cmd wrote a control character from the report"
    fi
    LC_ALL=C grep -q $'\xc2\x9b' "$tmp/out" && fail "conform $cmd wrote a C1 control (U+009B)"
done
"$conform" report "$tmp/esc.json" >"$tmp/out" 2>&1
grep -Fq 'FAIL  rfc9112-5.1-space-before-colon  \x1B]0;owned\x07\x1B[2J title \xC2\x9B31m' \
    "$tmp/out" || { cat "$tmp/out"; fail "the title is not shown escaped"; }
grep -Fq 'req \x1B[8m hidden \r\n' "$tmp/out" || fail "the requirement is not shown escaped"
"$conform" diff "$tmp/esc_old.json" "$tmp/esc.json" >"$tmp/out" 2>&1
grep -Fq 'target tgt\x1B[1m:' "$tmp/out" || { cat "$tmp/out"; fail "diff: target not escaped"; }

# --- JSON report budgets --------------------------------------------------------------------------
# larger than 256 MiB: refused from its size, without reading it (a sparse file)
truncate -s 300M "$tmp/huge.json"
expect 2 'huge.json: file too large \(a JSON report is read up to 256 MiB\)' 200000 -- \
    report "$tmp/huge.json"
# 100 MiB of "0," (52 M values): jansson alone would take ~2.2 GB; refused at 4 Mi values
python3 -c 'import sys; f=open(sys.argv[1],"w"); f.write("{\"x\":["); [f.write("0,"*(1<<20)) for _ in range(50)]; f.write("0]}")' \
    "$tmp/values.json"
expect 2 'values.json:1:[0-9]+: more than 4194304 values \(the budget of a JSON report' 400000 -- \
    report "$tmp/values.json"
# 1,000,000 nested arrays: refused at the 65th, with its line and column
python3 -c 'import sys; open(sys.argv[1],"w").write("\n" + "["*1000000 + "]"*1000000)' "$tmp/deep.json"
expect 2 'deep.json:2:65: nested deeper than 64 arrays and objects' 200000 -- \
    report "$tmp/deep.json"
expect 2 'deep.json:2:65: nested deeper than 64' 200000 -- diff "$tmp/r.json" "$tmp/deep.json"
# one string of 65 MiB
python3 -c 'import sys; open(sys.argv[1],"w").write("{\"title\": \"" + "a"*(65<<20) + "\"}")' \
    "$tmp/string.json"
expect 2 'string.json:1:11: a string longer than 64 MiB' 400000 -- report "$tmp/string.json"

# standard input: a pipe is read (cf_file_read takes regular files only), up to the same 256 MiB
"$conform" report - <"$tmp/r.json" >/dev/null || fail "conform report - from a file failed"
cat "$tmp/r.json" | "$conform" report - >"$tmp/out" 2>&1 || { cat "$tmp/out"; fail "report - from a pipe"; }
grep -q 'rfc9112-5.1-space-before-colon' "$tmp/out" || fail "report - from a pipe: no case line"
limit=1000000
"$asan" && limit=unlimited
head -c 300000000 /dev/zero | bash -c 'ulimit -v "$1"; shift; exec "$@"' _ "$limit" "$conform" \
    report - >"$tmp/out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "300 MB on standard input: exit $rc"
grep -q 'stdin: larger than 256 MiB' "$tmp/out" || { cat "$tmp/out"; fail "stdin: no size error"; }

# --- baselines: JSON (the report reader) and YAML (the event-stream budget) -----------------------
base=(run specs --target builtin --id rfc9112-5.1-space-before-colon --baseline)
python3 -c 'import sys; open(sys.argv[1],"w").write("{\"known\": " + "["*1000000 + "]"*1000000 + "}")' \
    "$tmp/deep_base.json"
expect 2 'deep_base.json:1:74: nested deeper than 64 arrays' 400000 -- \
    "${base[@]}" "$tmp/deep_base.json"
# text that is not '{' first is read as YAML: the YAML budget stops the same nesting
expect 2 'deep.json:2:65: nested deeper than its budget' 400000 -- "${base[@]}" "$tmp/deep.json"
python3 -c 'import sys; open(sys.argv[1],"w").write("known: " + "["*100000 + "]"*100000 + "\n")' \
    "$tmp/deep.yaml"
expect 2 'deep.yaml:1:71: nested deeper than its budget .*64 levels' 400000 -- \
    "${base[@]}" "$tmp/deep.yaml"
python3 -c 'import sys; open(sys.argv[1],"w").write("known: [" + "a,"*(20<<20) + "a]\n")' \
    "$tmp/many.yaml"
expect 2 'many.yaml:1:2097155: more nodes than its budget' 400000 -- "${base[@]}" "$tmp/many.yaml"

# --- profiles --------------------------------------------------------------------------------------
python3 -c 'import sys; open(sys.argv[1],"w").write("["*30000 + "]"*30000 + "\n")' "$tmp/deep.prof"
expect 2 'deep.prof:1:65: error: nested too deeply: at most 64 levels' 200000 -- \
    run specs --target builtin --profile "$tmp/deep.prof"

# --- error messages that say what is wrong (issue #12 item 5) ---------------------------------------
expect 2 "report: $tmp: a directory, not a file" 200000 -- report "$tmp"
expect 2 "diff: $tmp: a directory, not a file" 200000 -- diff "$tmp" "$tmp/r.json"
expect 2 "baseline: cannot read $tmp: a directory, not a file" 200000 -- "${base[@]}" "$tmp"
mkfifo "$tmp/fifo.json"
expect 2 'fifo.json: not a regular file' 200000 -- report "$tmp/fifo.json"
expect 2 '127.0.0.1:99999: the port is out of range \(1..65535' 200000 -- \
    serve --listen 127.0.0.1:99999
expect 2 'the findings directory /dev/null: Not a directory' 400000 -- \
    fuzz --target builtin --findings /dev/null --duration 1s
expect 2 "lab:el=builtin: a label cannot contain ':' or '/'" 200000 -- \
    run specs --target lab:el=builtin
expect 2 "=builtin: empty label before '='" 200000 -- run specs --target =builtin
echo "ok"
