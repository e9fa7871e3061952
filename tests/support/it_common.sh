# Sourced by the tests/it_*.sh scripts that take the conform binary as $1: sets conform (that
# binary), root (the source tree), tmp (a scratch directory removed at exit: a script that needs
# more at exit sets its own trap and removes "$tmp" there too) and fail MESSAGE (prints
# "FAIL: MESSAGE", exits 1).
# Usage, after `set -u`: . "$(dirname "$0")/support/it_common.sh"
conform=${1:?usage: $(basename "$0") PATH/TO/conform}
root=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
fail() {
    echo "FAIL: $*"
    exit 1
}
