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
