#!/usr/bin/env bash
# Printed forms: 10,000 源泉徴収票 slips (BENCH_SLIPS) to one PDF, beside a baseline that
# draws the same text with cairo and pango alone (tests/bench/pdf_baseline.c: the labels
# once, each value as one line; no vault, no layout, no fitting, no cells, no checks):
#   1. the PDF sink alone (tests/tools/pdftool form: layout data/forms/gensen-2025.ini,
#      records from a file, every value fitted into its box, digits in cells, the checks);
#   2. the whole export from a vault (mnvault export gensen --copy tax: 10,000 employees with
#      numbers and year-end figures; the purpose gate, every number decrypted, the custody
#      register and the audit). The vault is made once and kept in build/bench/.
# Paired runs, interleaved (the order flips every pair), warm cache (a run of each before
# the first pair); median and spread (min-max) of each side and of the per-pair ratio, wall
# clock and user CPU. BENCH_PAIRS pairs (default 5).
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
    case "$1" in
    mnvault)
        /usr/bin/time -f '%e %U' -o "$out" "$MNV_TOOLS/pdftool" form "$layout" tax \
            "$BENCH_TMP/slips.pdf" "$times" < "$BENCH_TMP/slips.txt" > /dev/null || return 1;;
    export)
        rm -f "$BENCH_TMP/slips.pdf"
        /usr/bin/time -f '%e %U' -o "$out" "$MNV_TEST" export gensen --copy tax --year 2025 \
            --out "$BENCH_TMP/slips.pdf" --data-dir "$vault" --user clerk --password-fd 3 \
            3< <(printf '%s\n' "$V_CLERK_PW") > /dev/null 2>&1 || return 1;;
    *)
        /usr/bin/time -f '%e %U' -o "$out" "$base" "$BENCH_TMP/baseline.pdf" \
            "$BENCH_TMP/labels.txt" "$1" "$times" || return 1;;
    esac
    cat "$out"
}
# pairs A B TITLE: BENCH_PAIRS interleaved pairs of run A and run B; prints the table.
pairs_of() {
    local a_name=$1 b_name=$2 title=$3 a b i
    local mw=() mu=() bw=() bu=() rw=() ru=()
    run "$a_name" > /dev/null && run "$b_name" > /dev/null || return 1 # warm-up
    for i in $(seq "$pairs"); do
        if [ $((i % 2)) = 1 ]; then a=$(run "$a_name") && b=$(run "$b_name") || return 1
        else b=$(run "$b_name") && a=$(run "$a_name") || return 1; fi
        set -- $a; mw+=("$1"); mu+=("$2")
        set -- $b; bw+=("$1"); bu+=("$2")
        rw+=("$(echo "${mw[-1]} / ${bw[-1]}" | bc -l)")
        ru+=("$(echo "${mu[-1]} / ${bu[-1]}" | bc -l)")
    done
    echo "$title: $n slips, $(((n + 3) / 4)) sheets; $pairs pairs, interleaved, warm cache; median (min-max), s"
    printf '  %-34s wall %-20s user %-20s %s\n' "$a_name" "$(stats "${mw[@]}")" "$(stats "${mu[@]}")" "$(size "$BENCH_TMP/slips.pdf")"
    printf '  %-34s wall %-20s user %-20s %s\n' "baseline: cairo+pango, same text" "$(stats "${bw[@]}")" "$(stats "${bu[@]}")" "$(size "$BENCH_TMP/baseline.pdf")"
    printf '  %-34s wall %-20s user %s\n' "ratio (per pair)" "$(stats "${rw[@]}")" "$(stats "${ru[@]}")"
    printf '  per slip (median user CPU): %.2f ms against %.2f ms\n' \
        "$(echo "$(stats "${mu[@]}" | cut -d' ' -f1) * 1000 / $n" | bc -l)" \
        "$(echo "$(stats "${bu[@]}" | cut -d' ' -f1) * 1000 / $n" | bc -l)"
}
# stats V...: "median (min-max)"
stats() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f (%.2f-%.2f)", m, v[1], v[NR]}'; }
size() { echo "$(($(stat -c %s "$1") / 1024)) KiB"; }

pairs_of mnvault "$BENCH_TMP/slips.txt" "1. the PDF sink" || { echo "a run failed"; exit 1; }

# 2. The export from a vault of n employees, each with a number and figures over the tax
# office's threshold. The baseline draws the same names, addresses, amounts and numbers.
. "$MNV_ROOT/tests/lib/vault.sh"
vault=$BENCH_TMP/pdf-vault-$n
if [ ! -f "$vault/.ready" ]; then
    echo "making a vault of $n employees with numbers and figures (once) ..."
    rm -rf "$vault"
    v_full "$vault" || { echo "cannot make the vault"; exit 1; }
    awk -v n="$n" 'BEGIN {
        print "employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,my_number,route,documents,verified_by,verified_on,purposes"
        w = "65432765432"
        for (i = 1; i <= n; i++) {
            b = "4" sprintf("%010d", i); t = 0
            for (j = 1; j <= 11; j++) t += substr(b, j, 1) * substr(w, j, 1)
            r = t % 11
            printf "B%05d,見本 太郎%d,ミホン タロウ,1980-04-01,M,2010-04-01,東京都千代田区霞が関三丁目%d番1号,,,%s%d,self,mynumber_card,人事,2025-01-10,tax_withholding\n", i, i, i % 50 + 1, b, (r <= 1) ? 0 : 11 - r
        } }' > "$BENCH_TMP/people.csv"
    awk -v n="$n" 'BEGIN {
        print "社員番号,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,給与所得控除後の金額,所得控除の額の合計額,源泉徴収税額,社会保険料等の金額,摘要,提出先市町村コード"
        for (i = 1; i <= n; i++)
            printf "B%05d,,,,%d,5400000,2300000,180000,1080000,,131016\n", i, 7000000 + i
        }' > "$BENCH_TMP/figures.csv"
    { v_as "$vault" clerk "$V_CLERK_PW" import "$BENCH_TMP/people.csv" &&
        v_as "$vault" clerk "$V_CLERK_PW" payroll import --year 2025 "$BENCH_TMP/figures.csv"; } \
        > "$BENCH_TMP/fill.log" 2>&1 || { tail -n 5 "$BENCH_TMP/fill.log"; echo "cannot fill the vault"; exit 1; }
    touch "$vault/.ready"
fi
tail -n +2 "$BENCH_TMP/people.csv" 2>/dev/null | awk -F, '{
    printf "employee.name=%s\nemployee.address=%s\nemployee.number=%s\npay.amount=%d\n", $2, $7, $10, 7000000 + NR
    print "pay.after_deduction=5400000\npay.deductions=2300000\npay.tax=180000\npay.social_insurance=1080000\n" }' \
    > "$BENCH_TMP/vault-slips.txt"
times=1
if [ -s "$BENCH_TMP/vault-slips.txt" ]; then
    pairs_of export "$BENCH_TMP/vault-slips.txt" "2. mnvault export gensen --copy tax (vault)" ||
        { echo "a run failed"; exit 1; }
else
    echo "2. skipped: the vault was made by an earlier run; remove $vault to measure it again"
fi
rm -f "$BENCH_TMP/slips.pdf" "$BENCH_TMP/baseline.pdf"
