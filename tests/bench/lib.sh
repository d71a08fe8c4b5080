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

# bench_runs RUNS CMD...: RUNS rounds of every command, interleaved: the order goes forward in
# odd rounds and backward in even ones (A B C, C B A, …), so drift and cache effects fall on
# all alike. Each run's output is kept in $BENCH_TMP/run.<command>.<round> with a last line
# "wall <seconds>". Commands are strings for bash -c.
bench_runs() {
    local runs=$1 r i k n s e; shift
    n=$#
    rm -f "$BENCH_TMP"/run.*
    for r in $(seq "$runs"); do
        for k in $(seq "$n"); do
            if [ $((r % 2)) = 1 ]; then i=$k; else i=$((n + 1 - k)); fi
            s=$(date +%s.%N)
            bash -c "${!i}" > "$BENCH_TMP/run.$i.$r" 2>/dev/null || { echo "bench: command $i failed: ${!i}" >&2; return 1; }
            e=$(date +%s.%N)
            echo "wall $(echo "$e - $s" | bc -l)" >> "$BENCH_TMP/run.$i.$r"
        done
    done
    BENCH_ROUNDS=$runs
}

# bench_values I FIELD: the FIELD figure ("FIELD <seconds>" lines) of command I in each round.
bench_values() {
    local r
    for r in $(seq "$BENCH_ROUNDS"); do awk -v f="$2" '$1 == f { print $2; exit }' "$BENCH_TMP/run.$1.$r"; done
}

# bench_stats: of numbers on standard input, "median M (min .. max)".
bench_stats() {
    sort -g | awk '{ v[NR] = $1 } END { if (!NR) { print "no figures"; exit }
        m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
        printf "median %.4f (%.4f .. %.4f, n=%d)\n", m, v[1], v[NR], NR }'
}

# bench_compare LABEL I J FIELD: command I's FIELD against command J's: each one's median and
# range, then the median of the per-round ratios I/J with its range. Sets BENCH_RATIO.
bench_compare() {
    local label=$1 i=$2 j=$3 f=$4
    printf '  %s\n' "$label"
    printf '    %-10s %s s\n' "this:" "$(bench_values "$i" "$f" | bench_stats)"
    printf '    %-10s %s s\n' "baseline:" "$(bench_values "$j" "$f" | bench_stats)"
    local ratios
    ratios=$(paste -d' ' <(bench_values "$i" "$f") <(bench_values "$j" "$f") | awk '$2 > 0 { printf "%.4f\n", $1 / $2 }')
    BENCH_RATIO=$(echo "$ratios" | bench_stats | awk '{ print $2 }')
    printf '    ratio of each pair: %s\n' "$(echo "$ratios" | bench_stats)"
}

# bench_cold_words, bench_drop_cmd: with BENCH_DROP_CACHES=1 (and root) cold runs empty the kernel's file cache
# first (a prefix for a command); the words say which cold a figure is.
bench_cold_words() {
    if [ "${BENCH_DROP_CACHES:-0}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then
        echo "cold: fresh process, empty SQLite cache, kernel file cache dropped before each run"
    else
        echo "cold: fresh process, empty SQLite/SQLCipher page cache; the kernel's file cache is warm (BENCH_DROP_CACHES=1 drops it, as root)"
    fi
}
bench_drop_cmd() {
    if [ "${BENCH_DROP_CACHES:-0}" = 1 ] && [ -w /proc/sys/vm/drop_caches ]; then
        echo "sync; echo 3 > /proc/sys/vm/drop_caches; "
    fi
}
