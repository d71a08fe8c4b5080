#!/usr/bin/env bash
# Printed forms: 10,000 源泉徴収票 slips (BENCH_SLIPS) to one PDF through mnvault's PDF sink
# (layout data/forms/gensen-2025.ini, every value fitted into its box, digits in cells, the
# record checks; tests/tools/pdftool form), beside a baseline that draws the same text with
# cairo and pango alone (tests/bench/pdf_baseline.c: the labels once, each value as one
# line). Paired runs, interleaved (the order flips every pair), warm cache (fonts and
# layout read before the first pair); median and spread (min-max) of each side and of the
# per-pair ratio, wall clock and user CPU. BENCH_PAIRS pairs (default 5).
. "$MNV_ROOT/tests/bench/lib.sh"
. "$MNV_ROOT/tests/lib/pdf.sh"
slips=${BENCH_SLIPS:-10000}
pairs=${BENCH_PAIRS:-5}
base="$MNV_BUILD/tests/bench/pdf_baseline"
[ -x "$base" ] || { echo "build $base first (make bench builds it)"; exit 1; }
layout=$MNV_ROOT/data/forms/gensen-2025.ini
pdf_sample_slips > "$BENCH_TMP/slips.txt"
per=$(grep -c '^employee.name=' "$BENCH_TMP/slips.txt")
times=$(((slips + per - 1) / per))
n=$((times * per))
sed -n 's/^[0-9]* = .*| //p' "$layout" > "$BENCH_TMP/labels.txt"
export MNVAULT_TEST_NOW=2026-11-27T01:42:00

# run NAME: one timed run; prints "wall user"
run() {
    local out=$BENCH_TMP/run.time
    if [ "$1" = mnvault ]; then
        /usr/bin/time -f '%e %U' -o "$out" "$MNV_TOOLS/pdftool" form "$layout" tax \
            "$BENCH_TMP/slips.pdf" "$times" < "$BENCH_TMP/slips.txt" > /dev/null || return 1
    else
        /usr/bin/time -f '%e %U' -o "$out" "$base" "$BENCH_TMP/baseline.pdf" \
            "$BENCH_TMP/labels.txt" "$BENCH_TMP/slips.txt" "$times" || return 1
    fi
    cat "$out"
}
# Warm-up: fonts, the layout and both programs in the page cache.
BENCH_TIMES_SAVE=$times; times=1; run mnvault > /dev/null && run baseline > /dev/null || exit 1
times=$BENCH_TIMES_SAVE
mw=() mu=() bw=() bu=() rw=() ru=()
for i in $(seq "$pairs"); do
    if [ $((i % 2)) = 1 ]; then a=$(run mnvault) && b=$(run baseline) || exit 1
    else b=$(run baseline) && a=$(run mnvault) || exit 1; fi
    set -- $a; mw+=("$1"); mu+=("$2")
    set -- $b; bw+=("$1"); bu+=("$2")
    rw+=("$(echo "${mw[-1]} / ${bw[-1]}" | bc -l)"); ru+=("$(echo "${mu[-1]} / ${bu[-1]}" | bc -l)")
done
# stats V...: "median (min-max)"
stats() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f (%.2f-%.2f)", m, v[1], v[NR]}'; }
size() { echo "$(($(stat -c %s "$1") / 1024)) KiB"; }
echo "$n slips, $(( (n + 3) / 4 )) sheets; $pairs pairs, interleaved, warm cache; median (min-max) in seconds"
printf '  %-34s wall %-20s user %-20s %s\n' "mnvault PDF sink (gensen-2025)" "$(stats "${mw[@]}")" "$(stats "${mu[@]}")" "$(size "$BENCH_TMP/slips.pdf")"
printf '  %-34s wall %-20s user %-20s %s\n' "baseline: cairo+pango, same text" "$(stats "${bw[@]}")" "$(stats "${bu[@]}")" "$(size "$BENCH_TMP/baseline.pdf")"
printf '  %-34s wall %-20s user %s\n' "ratio mnvault/baseline (per pair)" "$(stats "${rw[@]}")" "$(stats "${ru[@]}")"
printf '  per slip (median wall): mnvault %.2f ms, baseline %.2f ms\n' \
    "$(echo "$(stats "${mw[@]}" | cut -d' ' -f1) * 1000 / $n" | bc -l)" \
    "$(echo "$(stats "${bw[@]}" | cut -d' ' -f1) * 1000 / $n" | bc -l)"
rm -f "$BENCH_TMP/slips.pdf" "$BENCH_TMP/baseline.pdf"
