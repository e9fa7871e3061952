#!/usr/bin/env bash
# Proves .clusterfuzzlite/build.sh builds: runs it as OSS-Fuzz would (CC=clang, the libFuzzer
# engine, ASan) into a temporary $OUT, then checks every target, seed corpus zip and dictionary
# is there and that each target runs its seed corpus once. Usage: fuzz/ci-build-cflite.sh
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
OUT="$(mktemp -d)"
WORK="$(mktemp -d)"
trap 'rm -rf "$OUT" "$WORK"' EXIT
export CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,fuzzer-no-link"
export LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT WORK SRC="$WORK/src"
mkdir -p "$SRC"
ln -s "$ROOT" "$SRC/conform"
bash "$ROOT/.clusterfuzzlite/build.sh"
status=0
for t in request response chunked spec differential report baseline profile; do
    for f in "fuzz_$t" "fuzz_${t}_seed_corpus.zip" "fuzz_$t.dict"; do
        [ -s "$OUT/$f" ] || { echo "ci-build-cflite: missing $OUT/$f" >&2; status=1; }
    done
    # -runs=0: load (and so run) every seed once, then stop.
    "$OUT/fuzz_$t" -runs=0 "$ROOT/corpus/$t" >"$WORK/$t.log" 2>&1 ||
        { echo "ci-build-cflite: fuzz_$t failed on its seeds" >&2; tail -20 "$WORK/$t.log" >&2; status=1; }
done
[ "$status" -eq 0 ] && echo "ci-build-cflite: 8 targets built and ran their seeds"
exit "$status"
