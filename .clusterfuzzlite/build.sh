#!/bin/bash -eu
# ClusterFuzzLite / OSS-Fuzz build script (OSS-Fuzz layout): compiles every fuzz target with
# $CC $CFLAGS and links it with $LIB_FUZZING_ENGINE into $OUT, with its seed corpus zipped as
# $OUT/<target>_seed_corpus.zip and the shared dictionary as $OUT/<target>.dict.
# Locally: fuzz/ci-build-cflite.sh runs this with clang and a temporary $OUT.
SRC_DIR="${SRC:-$(cd "$(dirname "$0")/.." && pwd)}/conform"
[ -d "$SRC_DIR/parsers" ] || SRC_DIR="$(cd "$(dirname "$0")/.." && pwd)"
WORK_DIR="${WORK:-$(mktemp -d)}/conform-build"
mkdir -p "$WORK_DIR"
cd "$WORK_DIR"

CFLAGS_ALL="$CFLAGS -std=c11 -D_GNU_SOURCE -I$SRC_DIR/parsers/include -I$SRC_DIR/lib/spec -I$SRC_DIR/lib/spec/include -I$SRC_DIR/lib/rules/include -I$SRC_DIR/lib/exchange/include -I$SRC_DIR/lib/util/include -I$SRC_DIR/fuzz"
YAML_CFLAGS="$(pkg-config --cflags yaml-0.1 libpcre2-8)"
# Static libyaml and PCRE2: the runner image that executes the targets does not have them.
YAML_LIBS="-Wl,-Bstatic -lyaml -lpcre2-8 -Wl,-Bdynamic -lm"

# The parser and the spec loader, instrumented like the targets.
for src in "$SRC_DIR"/parsers/*.c "$SRC_DIR"/lib/spec/spec_*.c "$SRC_DIR"/lib/rules/rules_catalog.c "$SRC_DIR"/lib/util/util_file.c "$SRC_DIR"/lib/util/util_utf8.c "$SRC_DIR"/lib/util/util_buf.c "$SRC_DIR"/lib/util/util_term.c \
           "$SRC_DIR"/fuzz/fuzz_http.c \
           "$SRC_DIR"/fuzz/fuzz_outcome.c "$SRC_DIR"/fuzz/fuzz_serialize.c \
           "$SRC_DIR"/fuzz/fuzz_asan_defaults.c; do
    $CC $CFLAGS_ALL $YAML_CFLAGS -c "$src" -o "$(basename "$src" .c).o"
done
PARSER_OBJS="$(for f in "$SRC_DIR"/parsers/*.c; do printf '%s.o ' "$(basename "$f" .c)"; done)"
SPEC_OBJS="$(for f in "$SRC_DIR"/lib/spec/spec_*.c; do printf '%s.o ' "$(basename "$f" .c)"; done) rules_catalog.o util_file.o util_utf8.o util_buf.o util_term.o"

# libconform up to the gate module, for the report and baseline targets (the report reader,
# every report format, the baseline reader and the comparison); the defines stand in for the
# ones lib/CMakeLists.txt gives util_version.c and util_paths.c.
LIB_MODULES="util exchange rules spec check net run report gate"
LIB_CFLAGS="$(for m in $LIB_MODULES; do printf -- '-I%s/lib/%s/include ' "$SRC_DIR" "$m"; done)"
LIB_CFLAGS="$LIB_CFLAGS -DCF_VERSION=\"fuzz\" -DCF_SPECS_FROM_BINDIR=\".\" -DCF_BUILD_BINDIR=\".\" -DCF_SOURCE_SPECS_DIR=\".\" $(pkg-config --cflags jansson)"
LIB_OBJS=""
for m in $LIB_MODULES; do
    for src in "$SRC_DIR"/lib/"$m"/*.c; do
        obj="$(basename "$src" .c).o"
        # shellcheck disable=SC2086
        [ -f "$obj" ] || $CC $CFLAGS_ALL $YAML_CFLAGS $LIB_CFLAGS -c "$src" -o "$obj"
        LIB_OBJS="$LIB_OBJS $obj"
    done
done
# An archive, so that a target links only the objects it reaches: the report and baseline
# targets open no connection, so lib/net's TLS code (libcurl, which the image that runs the
# targets does not have) is left out with the runner.
rm -f libconform-fuzz.a
# shellcheck disable=SC2086
ar rcs libconform-fuzz.a $LIB_OBJS
LIB_LIBS="libconform-fuzz.a -Wl,-Bstatic -lyaml -lpcre2-8 -ljansson -Wl,-Bdynamic -lpthread -lm"

zip_dir() { # dir, zip file: zip(1) when present, else Python's zipfile
    rm -f "$2"
    if command -v zip >/dev/null; then
        (cd "$1" && zip -q -r "$2" .)
    else
        python3 -c 'import os, sys, zipfile
with zipfile.ZipFile(sys.argv[2], "w") as z:
    for n in sorted(os.listdir(sys.argv[1])): z.write(os.path.join(sys.argv[1], n), n)' "$1" "$2"
    fi
}

build_target() { # name, extra objects, extra libs
    local name="$1" objs="$2" libs="$3"
    # shellcheck disable=SC2086
    $CC $CFLAGS_ALL $YAML_CFLAGS $LIB_CFLAGS -c "$SRC_DIR/fuzz/fuzz_$name.c" -o "fuzz_$name.o"
    # $CC links: the engine ($LIB_FUZZING_ENGINE) is a flag, not a library, for libFuzzer.
    # shellcheck disable=SC2086
    $CC $CFLAGS "fuzz_$name.o" $objs $LIB_FUZZING_ENGINE $libs -o "$OUT/fuzz_$name"
    if [ -d "$SRC_DIR/corpus/$name" ]; then
        zip_dir "$SRC_DIR/corpus/$name" "$OUT/fuzz_${name}_seed_corpus.zip"
    fi
    cp "$SRC_DIR/corpus/http.dict" "$OUT/fuzz_$name.dict"
}

# fuzz_asan_defaults.o: ASan defaults for the two targets that allocate nothing (see the file;
# ASAN_OPTIONS set by the infrastructure still win). The parser keeps comparison tracing here:
# CFLAGS are the infrastructure's (fuzz/CMakeLists.txt turns it off for local runs).
build_target request "fuzz_http.o fuzz_asan_defaults.o $PARSER_OBJS" ""
build_target response "fuzz_http.o fuzz_asan_defaults.o $PARSER_OBJS" ""
build_target chunked "fuzz_http.o $PARSER_OBJS" ""
build_target differential "fuzz_http.o fuzz_outcome.o fuzz_serialize.o $PARSER_OBJS" ""
build_target spec "$SPEC_OBJS $PARSER_OBJS" "$YAML_LIBS"
build_target profile "$SPEC_OBJS $PARSER_OBJS" "$YAML_LIBS"
build_target report "$PARSER_OBJS" "$LIB_LIBS"
build_target baseline "$PARSER_OBJS" "$LIB_LIBS"
