#!/usr/bin/env bash
# Peak memory of `conform run` as the number of cases grows (docs/bench.md "Memory"). Builds
# the suite copied 1x, 10x and 100x into a temporary directory (copy K of every spec file gets
# the case ids suffixed "-cK", so ids stay unique and valid: docs/spec-format.md), runs
#   conform run DIR --target builtin -j2 --report json:/dev/null
# and once more with only the terminal report (to /dev/null), each RUNS times under
# /usr/bin/time -v, and prints one row per suite and report: copies, cases, report, the median
# wall and CPU (user + system) seconds, and the highest peak RSS in MB. CPU time says more than
# wall time on a loaded machine.
#
# Usage: bench/memory_scale.sh [--conform BIN] [--copies "1 10 100"] [--jobs N] [--specs DIR]
#                             [--runs N] [--report FORMAT:PATH]...
#   --report replaces the default reports (json:/dev/null, then terminal); repeatable.
#   --runs: runs per row (default 3).
# Exit: 0 measured, 1 a run failed (exit status other than 0 or 1), 2 usage.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CONFORM="$ROOT/build/conform"
COPIES="1 10 100"
JOBS=2
SPECS="$ROOT/specs"
REPORTS=()
RUNS=3
usage() {
    sed -n '/^# Usage:/,/^# Exit:/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case "$1" in
    --conform) CONFORM="${2:-}"; shift 2 ;;
    --copies) COPIES="${2:-}"; shift 2 ;;
    --jobs) JOBS="${2:-}"; shift 2 ;;
    --specs) SPECS="${2:-}"; shift 2 ;;
    --report) REPORTS+=("${2:-}"); shift 2 ;;
    --runs) RUNS="${2:-}"; shift 2 ;;
    -h | --help) usage ;;
    *) usage ;;
    esac
done
[ -x "$CONFORM" ] || { echo "memory_scale: no conform at $CONFORM (build it first)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "memory_scale: needs /usr/bin/time (Debian package time)" >&2; exit 2; }
[ ${#REPORTS[@]} -gt 0 ] || REPORTS=("json:/dev/null" "terminal:/dev/null")

TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# make_suite K DIR: K copies of SPECS under DIR/cK/, ids suffixed -cK (only "- id:" lines hold
# case ids in the spec files).
make_suite() {
    local k="$1" dir="$2" i f rel
    for ((i = 1; i <= k; i++)); do
        while IFS= read -r f; do
            rel="${f#"$SPECS"/}"
            mkdir -p "$dir/c$i/$(dirname "$rel")"
            sed -E "s/^([[:space:]]*-[[:space:]]*id:[[:space:]]*)([a-z0-9][a-z0-9._-]*)/\1\2-c$i/" \
                "$f" >"$dir/c$i/$rel"
        done < <(find "$SPECS" -name '*.yaml' -o -name '*.yml')
    done
}

# median of the numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

printf '%-7s %7s  %-20s %8s %8s %10s\n' copies cases report "wall s" "cpu s" "peak MB"
status=0
for k in $COPIES; do
    dir="$TMP/x$k"
    make_suite "$k" "$dir"
    cases="$("$CONFORM" run "$dir" --list | wc -l)"
    for rep in "${REPORTS[@]}"; do
        : >"$TMP/walls"
        : >"$TMP/cpus"
        maxkb=0
        for ((r = 1; r <= RUNS; r++)); do
            log="$TMP/time.log"
            rc=0
            /usr/bin/time -v -o "$log" "$CONFORM" run "$dir" --target builtin -j"$JOBS" \
                --no-progress --report "$rep" >/dev/null 2>"$TMP/stderr" || rc=$?
            if [ "$rc" -gt 1 ]; then
                echo "memory_scale: conform run exited $rc with --report $rep:" >&2
                cat "$TMP/stderr" >&2
                status=1
                continue 2
            fi
            sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$log" |
                awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }' >>"$TMP/walls"
            awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$log" >>"$TMP/cpus"
            kb="$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$log")"
            [ "$kb" -gt "$maxkb" ] && maxkb="$kb"
        done
        printf '%-7s %7s  %-20s %8s %8s %10.1f\n' "${k}x" "$cases" "$rep" "$(median <"$TMP/walls")" \
            "$(median <"$TMP/cpus")" "$(echo "$maxkb / 1024" | bc -l)"
    done
done
exit "$status"
