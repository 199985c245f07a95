#!/usr/bin/env bash
# Fuzzes one VectLite parser with AFL++ and SharpFuzz for a given time. See fuzz/README.md.
#   fuzz/run.sh TARGET SECONDS        targets: wal walbatch manifest records vectors graph filter
# Findings land in fuzz/out/TARGET/default/{crashes,hangs}; replay one with
#   dotnet fuzz/out/build/VectLite.Fuzz.dll TARGET --replay FILE
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 TARGET [SECONDS]" >&2
    exit 2
fi
TARGET=$1
DURATION=${2:-600}
FUZZ_DIR=$(cd "$(dirname "$0")" && pwd)
OUT=${VECTLITE_FUZZ_OUT:-$FUZZ_DIR/out}
BUILD=$OUT/build
mkdir -p "$OUT"

command -v afl-fuzz >/dev/null || { echo "afl-fuzz not found: apt-get install -y afl++" >&2; exit 2; }

# Build and instrument once; several run.sh may start together, so the build is serialised by a lock.
(
    flock 9
    if [[ ! -f $BUILD/.instrumented ]]; then
        rm -rf "$BUILD"
        dotnet build "$FUZZ_DIR/VectLite.Fuzz/VectLite.Fuzz.csproj" -c Release -o "$BUILD" >"$OUT/build.log"
        (cd "$FUZZ_DIR" && dotnet tool restore >/dev/null)
        # Only the engine is instrumented: coverage of the harness and the runtime would be noise.
        (cd "$FUZZ_DIR" && dotnet tool run sharpfuzz "$BUILD/VectLite.dll")
        touch "$BUILD/.instrumented"
    fi
) 9>"$OUT/build.lock"

DICT=()
[[ -f $FUZZ_DIR/dict/$TARGET.dict ]] && DICT=(-x "$FUZZ_DIR/dict/$TARGET.dict")

# Resume a previous session of this target when there is one.
INPUT=$FUZZ_DIR/corpus/$TARGET
[[ -d $OUT/$TARGET/default/queue ]] && INPUT=-

# The harness builds its workspace under VECTLITE_FUZZ_WORKDIR (default /dev/shm): one small database per process.
# .NET starts slowly on a loaded machine under nice 19: give the fork server a minute to come up.
export AFL_FORKSRV_INIT_TMOUT=60000
export AFL_SKIP_BIN_CHECK=1 AFL_NO_AFFINITY=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
# A length field that makes the engine allocate gigabytes fails with OutOfMemoryException (a crash) at 1 GB.
export DOTNET_GCHeapHardLimit=0x40000000
exec nice -n 19 afl-fuzz -V "$DURATION" -t 1000 -m none "${DICT[@]}" -i "$INPUT" -o "$OUT/$TARGET" \
    -- dotnet "$BUILD/VectLite.Fuzz.dll" "$TARGET"
