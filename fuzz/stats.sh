#!/usr/bin/env bash
# Prints one Markdown table row per fuzzed target from AFL++'s fuzzer_stats (fuzz/out/TARGET/default/fuzzer_stats):
# wall time, executions, paths (corpus entries), edges covered, crashes and hangs saved.
#   fuzz/stats.sh [OUT_DIR]
set -euo pipefail
OUT=${1:-$(cd "$(dirname "$0")" && pwd)/out}
echo "| Target | Wall time | Executions | Exec/s | Paths (corpus) | Edges | Crashes | Hangs |"
echo "|---|---|---|---|---|---|---|---|"
for stats in "$OUT"/*/default/fuzzer_stats; do
    target=$(basename "$(dirname "$(dirname "$stats")")")
    get() { awk -F' *: *' -v k="$1" '$1 == k { print $2 }' "$stats"; }
    run=$(get run_time)
    printf '| %s | %dm %02ds | %s | %s | %s | %s | %s | %s |\n' "$target" $((run / 60)) $((run % 60)) \
        "$(get execs_done)" "$(get execs_per_sec)" "$(get corpus_count)" "$(get edges_found)/$(get total_edges)" \
        "$(get saved_crashes)" "$(get saved_hangs)"
done
