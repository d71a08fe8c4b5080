#!/usr/bin/env bash
# `mnvault scan` against ripgrep with the digit-boundary pattern, and `cat` as the ceiling, on
# a generated 512 MB file of mixed Japanese and ASCII text (prose, logs, CSV rows full of
# dates, amounts and phone numbers) with planted numbers in every UTF-8 form and decoys.
# The corpus is generated once into build/bench/ and reused. All three read the same cached
# file in the same run; the best of BENCH_RUNS runs counts. Output goes through a pipe, so
# no tool can notice /dev/null and stop early (GNU grep does that).
# Then the same text, 64 MB of it, in CP932 and UTF-16LE, where a byte regex sees nothing.
. "$MNV_ROOT/tests/bench/lib.sh"
f=$BENCH_TMP/scan-corpus.txt
mb=${SCAN_BENCH_MB:-512}
if [ ! -f "$f" ] || [ ! -f "$f.info" ] || [ "$(stat -c %s "$f")" -lt $((mb * 1000000)) ]; then
    echo "generating $mb MB corpus (once) ..."
    "$MNV_TOOLS/scan-gen" corpus "$f" "$mb" > "$f.info" || { echo "scan-gen failed"; exit 1; }
fi
size=$(stat -c %s "$f")
info=$(cat "$f.info")
planted=$(sed 's/.*planted=\([0-9]*\).*/\1/' <<<"$info")
ascii=$(sed 's/.*ascii_plain=\([0-9]*\).*/\1/' <<<"$info")
pattern='(^|[^0-9])[0-9]{12}([^0-9]|$)'
cat "$f" > /dev/null # into the page cache

t_mnv=$(bench_time bash -c "\"$MNV\" scan --count '$f' 2>/dev/null | cat > /dev/null")
t_full=$(bench_time bash -c "\"$MNV\" scan '$f' 2>/dev/null | cat > /dev/null")
t_rg=$(bench_time bash -c "rg -c '$pattern' '$f' | cat > /dev/null")
t_cat=$(bench_time bash -c "cat '$f' > /dev/null")
n_mnv=$("$MNV" scan --count "$f" 2>/dev/null | sed 's/.*://')
n_rg=$(rg -c "$pattern" "$f")

printf 'corpus: %s MB, %s numbers planted (%s plain ASCII, the rest full-width, grouped or mixed) and decoys\n' \
    "$((size / 1048576))" "$planted" "$ascii"
printf '%-34s %6s MB/s  (%ss)  found %s numbers\n' "mnvault scan --count" "$(bench_mbps "$size" "$t_mnv")" "$t_mnv" "$n_mnv"
printf '%-34s %6s MB/s  (%ss)\n' "mnvault scan (lines, hints)" "$(bench_mbps "$size" "$t_full")" "$t_full"
printf '%-34s %6s MB/s  (%ss)  %s matching lines (no check digit, plain ASCII only)\n' \
    "rg -c '$pattern'" "$(bench_mbps "$size" "$t_rg")" "$t_rg" "$n_rg"
printf '%-34s %6s MB/s  (%ss)\n' "cat" "$(bench_mbps "$size" "$t_cat")" "$t_cat"
echo "ratio mnvault/rg throughput: $(bench_ratio "$t_rg" "$t_mnv")x (--count), $(bench_ratio "$t_rg" "$t_full")x (lines); mnvault reaches $(bench_ratio "$t_cat" "$t_mnv") of cat's throughput"

# The other encodings: a 64 MB slice converted, scanned by mnvault; rg's pattern finds nothing.
slice=$BENCH_TMP/scan-slice.txt
if [ ! -f "$BENCH_TMP/scan-slice.utf16le" ]; then
    head -c $((64 * 1048576)) "$f" | sed '$d' > "$slice"
    iconv -f UTF-8 -t CP932 "$slice" > "$BENCH_TMP/scan-slice.cp932" || exit 1
    iconv -f UTF-8 -t UTF-16LE "$slice" > "$BENCH_TMP/scan-slice.utf16le" || exit 1
fi
n_ref=$("$MNV" scan --count "$slice" 2>/dev/null | sed 's/.*://')
for enc in cp932 utf16le; do
    g=$BENCH_TMP/scan-slice.$enc
    s=$(stat -c %s "$g")
    t=$(bench_time bash -c "\"$MNV\" scan --count '$g' 2>/dev/null | cat > /dev/null")
    printf '%-34s %6s MB/s  (%ss)  found %s of the %s numbers of the UTF-8 slice; rg: %s lines\n' \
        "mnvault scan --count ($enc)" "$(bench_mbps "$s" "$t")" "$t" \
        "$("$MNV" scan --count "$g" 2>/dev/null | sed 's/.*://')" "$n_ref" \
        "$(rg -c "$pattern" "$g" 2>/dev/null || echo 0)"
done
