# shellcheck shell=bash
# The cases the built-in server cannot pass yet (tests/builtin-pending.txt), for the tests that run
# the whole suite against it: such a case may be SKIP, never FAIL; every other case must PASS.
# Source it from bash; it defines:
#   builtin_skips OUT   reads the verdict lines of a conform run's terminal output OUT: prints the
#                       number of SKIP lines of listed cases and returns 0, or prints the ids of
#                       SKIP lines of cases not listed (one per line) and returns 1.
builtin_pending_list=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/builtin-pending.txt

builtin_skips() {
    local listed unlisted
    listed=$(sed -e 's/#.*//' "$builtin_pending_list" | awk 'NF { print $1 }' | sort -u)
    unlisted=$(grep -E '^SKIP  ' "$1" | awk '{ print $2 }' | sort -u | comm -23 - <(echo "$listed"))
    if [ -n "$unlisted" ]; then
        echo "$unlisted"
        return 1
    fi
    grep -cE '^SKIP  ' "$1"
}
