# tests/bench/lib.sh: helpers for benchmarks. bench_time CMD... prints the best wall time of
# BENCH_RUNS runs (default 5) in seconds; bench_ratio A B prints A/B with two decimals.
BENCH_RUNS=${BENCH_RUNS:-5}
bench_time() {
    local best="" t
    for _ in $(seq "$BENCH_RUNS"); do
        local s e
        s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N)
        t=$(echo "$e - $s" | bc -l)
        if [ -z "$best" ] || [ "$(echo "$t < $best" | bc -l)" = 1 ]; then best=$t; fi
    done
    printf '%.4f\n' "$best"
}
bench_ratio() { printf '%.2f\n' "$(echo "$1 / $2" | bc -l)"; }
bench_mbps() { printf '%.0f\n' "$(echo "$1 / 1048576 / $2" | bc -l)"; }

# bench_pair RUNS NAME_A CMD_A NAME_B CMD_B: runs A and B in turn (ABBA ABBA ..., so drift and
# cache effects fall on both), RUNS times each, and prints for each the median and the spread
# (fastest to slowest) in seconds, then the ratio of the medians B/A. Commands are strings
# given to bash -c; their output is thrown away. Sets BENCH_MEDIAN_A and BENCH_MEDIAN_B.
bench_pair() {
    local runs=$1 na=$2 ca=$3 nb=$4 cb=$5 i ta=() tb=()
    _bench_one() { local s e; s=$(date +%s.%N); bash -c "$1" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
    for i in $(seq "$runs"); do
        if [ $((i % 2)) = 1 ]; then
            ta+=("$(_bench_one "$ca")"); tb+=("$(_bench_one "$cb")")
        else
            tb+=("$(_bench_one "$cb")"); ta+=("$(_bench_one "$ca")")
        fi
    done
    BENCH_MEDIAN_A=$(_bench_median "${ta[@]}")
    BENCH_MEDIAN_B=$(_bench_median "${tb[@]}")
    printf '  %-40s median %8.4f s  (%s .. %s, %d runs)\n' "$na" "$BENCH_MEDIAN_A" \
        "$(_bench_min "${ta[@]}")" "$(_bench_max "${ta[@]}")" "$runs"
    printf '  %-40s median %8.4f s  (%s .. %s, %d runs)\n' "$nb" "$BENCH_MEDIAN_B" \
        "$(_bench_min "${tb[@]}")" "$(_bench_max "${tb[@]}")" "$runs"
}
_bench_median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {printf "%.4f\n", (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
_bench_min() { printf '%s\n' "$@" | sort -g | head -n 1 | xargs printf '%.4f'; }
_bench_max() { printf '%s\n' "$@" | sort -g | tail -n 1 | xargs printf '%.4f'; }

# bench_pairs RUNS NAME_A CMD_A NAME_B CMD_B: one unmeasured run of each (warm cache), then
# RUNS pairs, interleaved (AB, BA, AB …); prints each side's median and spread (fastest ..
# slowest) and the median and spread of the per-pair ratio A/B, wall clock. Commands are
# strings given to bash -c; a failing command fails the function.
bench_pairs() {
    local runs=$1 na=$2 ca=$3 nb=$4 cb=$5 i a b ta=() tb=() r=()
    _bench_run() { local s e; s=$(date +%s.%N); bash -c "$1" >/dev/null 2>&1 || return 1; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
    _bench_run "$ca" > /dev/null && _bench_run "$cb" > /dev/null || return 1
    for i in $(seq "$runs"); do
        if [ $((i % 2)) = 1 ]; then a=$(_bench_run "$ca") && b=$(_bench_run "$cb") || return 1
        else b=$(_bench_run "$cb") && a=$(_bench_run "$ca") || return 1; fi
        ta+=("$a"); tb+=("$b"); r+=("$(echo "$a / $b" | bc -l)")
    done
    printf '  %-44s median %8.3f s  (%.3f .. %.3f)\n' "$na" "$(_bench_median "${ta[@]}")" \
        "$(_bench_min "${ta[@]}")" "$(_bench_max "${ta[@]}")"
    printf '  %-44s median %8.3f s  (%.3f .. %.3f)\n' "$nb" "$(_bench_median "${tb[@]}")" \
        "$(_bench_min "${tb[@]}")" "$(_bench_max "${tb[@]}")"
    printf '  %-44s median %8.1f    (%.1f .. %.1f, %d pairs)\n' "ratio A/B per pair" \
        "$(_bench_median "${r[@]}")" "$(_bench_min "${r[@]}")" "$(_bench_max "${r[@]}")" "$runs"
}
