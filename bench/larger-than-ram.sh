#!/bin/sh
# Larger than RAM (issue 11): runs the `larger-than-ram` bench command twice on the same settings, first inside a
# cgroup v1 memory cgroup whose limit is a third of the float vectors' size, then without a limit, and prints both
# JSON lines with the cgroup's own accounting. Needs root and /sys/fs/cgroup/memory (cgroup v1); see bench/README.md.
#
#   bench/larger-than-ram.sh [--rows N] [--dimension D] [any other larger-than-ram option]
#   LIMIT_BYTES=N bench/larger-than-ram.sh ...   # another limit: for smoke runs, where the runtime's own ~60-70 MB
#                                                # is more than a third of a small collection's vectors
#
# The options go to both runs unchanged. The limit covers everything the kernel charges to the process: its
# anonymous memory (heap, graph, codes, rows written since the last checkpoint) and its page cache (the mapped
# vectors file, the log and checkpoint files it writes). Page cache is reclaimed under the limit; anonymous memory
# is not (the bench machines have no swap; memory.memsw.limit_in_bytes is set too, where it exists, so swap could
# not hide an overrun). Over the limit, the kernel's OOM killer ends the run: the script then reports it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dll="$here/VectLite.Bench/bin/Release/net10.0/VectLite.Bench.dll"
[ -f "$dll" ] || dotnet build -c Release "$here/VectLite.Bench" >&2

rows=400000
dimension=768
prev=""
for arg in "$@"; do
    case "$prev" in
        --rows) rows=$arg ;;
        --dimension) dimension=$arg ;;
    esac
    prev=$arg
done
float_bytes=$((rows * dimension * 4))
limit=${LIMIT_BYTES:-$((float_bytes / 3))}
root=/sys/fs/cgroup/memory
[ -d "$root" ] || { echo "no cgroup v1 memory controller at $root" >&2; exit 2; }
cg="$root/vectlite-larger-than-ram-$$"
work=$(mktemp -d "${TMPDIR:-/tmp}/vectlite-larger-than-ram-XXXXXX")
cleanup() {
    rmdir "$cg" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

mkdir "$cg"
echo "$limit" > "$cg/memory.limit_in_bytes"
[ -f "$cg/memory.memsw.limit_in_bytes" ] && echo "$limit" > "$cg/memory.memsw.limit_in_bytes"
echo "float vectors: $float_bytes bytes; cgroup limit: $(cat "$cg/memory.limit_in_bytes") bytes ($cg)" >&2

# The limited run: a shell that moves itself into the cgroup, then becomes the bench (so every byte is charged there).
status=0
# The managed heap is capped at 60% of the limit unless the caller says otherwise: the runtime's default (75% of a
# container's limit) leaves too little for the page cache and native memory charged to the same limit (docs/tuning.md).
DOTNET_GCHeapHardLimitPercent=${DOTNET_GCHeapHardLimitPercent:-0x3C} \
sh -c 'echo $$ > "$1/cgroup.procs"; shift; exec "$@"' sh "$cg" \
    dotnet "$dll" larger-than-ram --path "$work/limited" "$@" > "$work/limited.json" || status=$?
[ $status -eq 137 ] && echo "limited: killed (exit 137): the OOM killer, the limit was too small for what must stay in RAM" >&2
echo "limited: exit $status, cgroup max usage $(cat "$cg/memory.max_usage_in_bytes") bytes, limit hit $(cat "$cg/memory.failcnt") times, OOM kills: $(grep -s '^oom_kill ' "$cg/memory.oom_control" | awk '{print $2}')"
echo "limited: $(cat "$work/limited.json")"
rm -rf "$work/limited"

dotnet "$dll" larger-than-ram --path "$work/unlimited" "$@" > "$work/unlimited.json"
echo "unlimited: $(cat "$work/unlimited.json")"
exit $status
