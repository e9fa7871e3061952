#!/usr/bin/env bash
# Integration test: `cmake --install` of this build into a fresh prefix, then what it installed,
# used from elsewhere (cmake/install.cmake, README "Install", docs/parser.md):
#   1. PREFIX/bin/conform, run from another directory without a PATH, runs the bundled suite
#      (PREFIX/share/conform/specs, the same cases as specs/) against the built-in server and
#      exits 0; a copy of the binary outside any prefix stops with exit 2 and names the
#      directory it looked in; --version agrees with the pkg-config version.
#   2. The example of docs/parser.md ("Using the parser library"), compiled with
#      `pkg-config --cflags --libs conform-parser` against the shared library and against the
#      static one, prints the output given there; the shared library exports only the API.
#   3. The same example built by a small CMake project with find_package(conform-parser),
#      linked to conform::parser and to conform::parser_static.
# Usage: tests/it_install.sh PATH/TO/conform   (CTest passes the build tree's binary as $1; the
# build tree is the folder above it that holds CMakeCache.txt)
# Exit: 0 pass, 1 fail, 77 skipped (pkg-config missing).
set -u

conform=${1:?usage: it_install.sh PATH/TO/conform}
root=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "$(dirname "$conform")" && pwd -P)
conform=$build/$(basename "$conform")
while [ ! -f "$build/CMakeCache.txt" ] && [ "$build" != / ]; do build=$(dirname "$build"); done
if [ ! -f "$build/CMakeCache.txt" ]; then
    echo "FAIL: no build tree (CMakeCache.txt) above $conform"
    exit 1
fi
command -v pkg-config >/dev/null || { echo "SKIP: pkg-config is missing"; exit 77; }

# The build's own tools and flags: its compiler, and its sanitizers (the installed libraries of
# a CONFORM_SANITIZE build need the sanitizer runtimes in the program that links them).
cache() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt" | head -n 1; }
cmake=$(cache CMAKE_COMMAND)
cc=$(cache CMAKE_C_COMPILER)
cflags="-std=c11 -Wall -Wextra -Werror"
[ "$(cache CONFORM_SANITIZE)" = ON ] && cflags="$cflags -fsanitize=address,undefined"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tmp=$(cd "$tmp" && pwd -P)
prefix=$tmp/prefix
status=0
fail() { echo "FAIL: $*"; status=1; }

if ! "$cmake" --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    echo "FAIL: cmake --install $build --prefix $prefix"
    exit 1
fi
echo "installed into $prefix:"
(cd "$prefix" && find . -type f -not -path './share/conform/specs/*' | sort | sed 's/^/  /')

# 1. The command and its bundled specs ----------------------------------------------------------
mkdir "$tmp/cwd" "$tmp/lone"
cd "$tmp/cwd" || exit 1
"$prefix/bin/conform" run --target builtin --no-color --no-progress --quiet \
    --report terminal --report "json:$tmp/run.json" >"$tmp/run.out" 2>&1
rc=$?
[ "$rc" -eq 0 ] || { cat "$tmp/run.out"; fail "installed conform run --target builtin exited $rc"; }
specs=$prefix/share/conform/specs
grep -qF "\"spec_paths\":[\"$specs\"]" "$tmp/run.json" ||
    fail "the run did not use $specs: $(grep -o '"spec_paths":[^]]*]' "$tmp/run.json")"
# The installed suite is the source tree's: same files, same cases.
want=$("$conform" check "$root/specs" 2>&1)
got=$("$prefix/bin/conform" check 2>&1)
[ "$got" = "$want" ] || fail "installed conform check: '$got', specs/ gives '$want'"
ncases=$(sed -nE 's/^[0-9]+ files?, ([0-9]+) cases? OK$/\1/p' <<<"$want")
summary=$(grep -E '^[0-9]+ cases: ' "$tmp/run.out" | tail -n 1)
# Every case passes but the few that conform serve never exercises by design (SKIP; the list is
# tests/it_suite_builtin.sh's allowed_skips).
npass=$(sed -nE 's/^[0-9]+ cases: ([0-9]+) passed, .*/\1/p' <<<"$summary")
nskip=$(sed -nE 's/.* ([0-9]+) skipped .*/\1/p' <<<"$summary")
case "$summary" in
    "$ncases cases: "*" passed, 0 failed, 0 warnings, 0 info, 0 errors, "*)
        [ "$((npass + nskip))" -eq "$ncases" ] && [ "$nskip" -le 5 ] &&
            echo "OK: installed conform ran the bundled suite: $summary" ||
            fail "expected the $ncases bundled cases to pass (at most 5 SKIP), got: $summary" ;;
    *) fail "expected the $ncases bundled cases to pass (at most 5 SKIP), got: $summary" ;;
esac
# The man page, generated from the option tables at build time (src/CMakeLists.txt).
man=$prefix/share/man/man1/conform.1
if [ -f "$man" ] && grep -q '^\.SH COMMANDS' "$man" && grep -qF -- '\-\-case\-timeout' "$man"; then
    echo "OK: the man page is installed"
else
    fail "no man page at $man, or it lacks the commands' options"
fi
# Outside any prefix there are no bundled specs: a clear error, exit 2.
cp "$prefix/bin/conform" "$tmp/lone/conform"
"$tmp/lone/conform" run --target builtin >"$tmp/lone.out" 2>&1
rc=$?
[ "$rc" -eq 2 ] || fail "conform without bundled specs exited $rc (expected 2)"
grep -qF "no bundled specs at $tmp/lone/../share/conform/specs" "$tmp/lone.out" ||
    fail "conform without bundled specs said: $(cat "$tmp/lone.out")"

# 2. The parser library through pkg-config ------------------------------------------------------
pc=$(find "$prefix" -name conform-parser.pc -print -quit)
[ -n "$pc" ] || { echo "FAIL: no conform-parser.pc under $prefix"; exit 1; }
export PKG_CONFIG_PATH=$(dirname "$pc")
version=$(pkg-config --modversion conform-parser) || fail "pkg-config cannot read $pc"
[ "$("$prefix/bin/conform" --version)" = "conform $version" ] ||
    fail "conform --version says '$("$prefix/bin/conform" --version)', the .pc file '$version'"

# The example program and its output, from docs/parser.md.
section() { sed -n '/^## Using the parser library/,/^## /p' "$root/docs/parser.md"; }
section | awk '/^```c$/ {on = 1; next} on && /^```$/ {exit} on' >"$tmp/hello.c"
section | awk '/^```text$/ {on = 1; next} on && /^```$/ {exit} on' >"$tmp/want.txt"
[ -s "$tmp/hello.c" ] && [ -s "$tmp/want.txt" ] ||
    { echo "FAIL: no example (a c block and a text block) in docs/parser.md"; exit 1; }

libdir=$(pkg-config --variable=libdir conform-parser)
# shellcheck disable=SC2046,SC2086
$cc $cflags "$tmp/hello.c" $(pkg-config --cflags --libs conform-parser) -Wl,-rpath,"$libdir" \
    -o "$tmp/hello-shared" || fail "cannot build the example against the shared library"
# shellcheck disable=SC2046,SC2086
$cc $cflags "$tmp/hello.c" $(pkg-config --cflags conform-parser) "$libdir/libconform-parser.a" \
    -o "$tmp/hello-static" || fail "cannot build the example against the static library"
check_example() { # binary, how it must link the library (shared|static)
    local out
    out=$("$1" 2>&1) || fail "$1 exited $?"
    [ "$out" = "$(cat "$tmp/want.txt")" ] || fail "$1 printed: $out"
    if readelf -d "$1" | grep -q 'NEEDED.*libconform-parser'; then
        [ "$2" = shared ] || fail "$1 needs libconform-parser.so"
    else
        [ "$2" = static ] || fail "$1 does not need libconform-parser.so"
    fi
}
[ -x "$tmp/hello-shared" ] && check_example "$tmp/hello-shared" shared
[ -x "$tmp/hello-static" ] && check_example "$tmp/hello-static" static
soname=$(readelf -d "$libdir/libconform-parser.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
case "$soname" in
    libconform-parser.so.[0-9]*) ;;
    *) fail "SONAME of libconform-parser.so: '$soname'" ;;
esac
# Exported: the functions the public headers (h1_parser.h, h1_reader.h, h1_lex.h) declare, nothing
# internal.
exports=$(nm -D --defined-only "$libdir/libconform-parser.so" | awk '$2 == "T" {print $3}' | sort)
grep -qx h1_parse_head <<<"$exports" || fail "libconform-parser.so does not export h1_parse_head"
grep -qx h1_reader_next <<<"$exports" || fail "libconform-parser.so does not export h1_reader_next"
for f in $exports; do
    cat "$prefix/include/conform/h1_parser.h" "$prefix/include/conform/h1_reader.h" \
        "$prefix/include/conform/h1_lex.h" |
        grep -qE "[ *]$f\(" ||
        fail "libconform-parser.so exports $f, which no public header declares"
done
echo "OK: the example of docs/parser.md builds and runs against $soname and the static library"

# 3. The parser library through find_package ----------------------------------------------------
mkdir "$tmp/proj"
cp "$tmp/hello.c" "$tmp/proj/"
cat >"$tmp/proj/CMakeLists.txt" <<EOF
cmake_minimum_required(VERSION 3.16)
project(hello C)
find_package(conform-parser $version REQUIRED)
add_executable(hello-shared hello.c)
target_link_libraries(hello-shared PRIVATE conform::parser)
add_executable(hello-static hello.c)
target_link_libraries(hello-static PRIVATE conform::parser_static)
EOF
if CFLAGS="$cflags" "$cmake" -S "$tmp/proj" -B "$tmp/proj/build" -DCMAKE_C_COMPILER="$cc" \
        -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/proj.log" 2>&1 &&
    "$cmake" --build "$tmp/proj/build" >>"$tmp/proj.log" 2>&1; then
    check_example "$tmp/proj/build/hello-shared" shared
    check_example "$tmp/proj/build/hello-static" static
    echo "OK: find_package(conform-parser $version) gives conform::parser and conform::parser_static"
else
    cat "$tmp/proj.log"
    fail "a CMake project with find_package(conform-parser) does not build"
fi

[ "$status" -eq 0 ] && echo "OK: install, bundled specs, pkg-config and CMake package"
exit "$status"
