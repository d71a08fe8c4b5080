#!/usr/bin/env bash
# Filings as CSV: BENCH_ROWS (default 100,000) 源泉徴収票 rows of the e-Tax 375 CSV
#   1. exported from a vault (mnvault export nta375: every employee's figures read and
#      checked against the layout, the purpose gate, every number decrypted, each record
#      encoded to Shift_JIS within JIS X 0208 with CRLF, the file hashed and written 0600,
#      the custody register and the audit), beside a baseline that only converts the same
#      bytes: iconv -f UTF-8 -t SHIFT_JIS of the file's UTF-8 form;
#   2. filled (mnvault export fill nta375 IN.csv: the same file with the number columns
#      empty, as a payroll system writes it; every row parsed, matched to its employee by
#      name and birth date, checked, the numbers decrypted and put in, the file written as
#      an export), beside a baseline that reads and writes the same bytes through iconv
#      (Shift_JIS → UTF-8 → Shift_JIS).
# The vault (BENCH_ROWS employees, each with a number and figures over the tax office's
# threshold) is made once and kept in build/bench/. Paired runs, interleaved (the order
# flips every pair), warm cache (one run of each before the first pair); median and spread
# (min-max) of each side and of the per-pair ratio, wall clock and user CPU. BENCH_PAIRS
# pairs (default 5).
. "$MNV_ROOT/tests/bench/lib.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
rows=${BENCH_ROWS:-100000}
pairs=${BENCH_PAIRS:-5}
export MNVAULT_TEST_NOW=2026-01-20T01:00:00 TZ=Asia/Tokyo
vault=$BENCH_TMP/export-vault-$rows
out=$BENCH_TMP/export.csv

# The people and their figures: unique names (katakana spelled from the row's index) and
# birth dates, so that fill mode can match every row by name and birth date.
make_inputs() {
    python3 - "$rows" "$BENCH_TMP/people.csv" "$BENCH_TMP/figures.csv" <<'PY'
import sys
n, people, figures = int(sys.argv[1]), sys.argv[2], sys.argv[3]
kana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワ"
fam = ["見本", "試験", "架空", "雛形", "標本", "練習", "手本", "例示"]
fam_kana = ["ミホン", "シケン", "カクウ", "ヒナガタ", "ヒョウホン", "レンシュウ", "テホン", "レイジ"]
w = "65432765432"
def number(i):
    b = "4" + "%010d" % i
    r = sum(int(b[j]) * int(w[j]) for j in range(11)) % 11
    return b + str(0 if r <= 1 else 11 - r)
def given(i):
    s = ""
    for _ in range(4):
        s = kana[i % len(kana)] + s
        i //= len(kana)
    return s
with open(people, "w", encoding="utf-8") as p, open(figures, "w", encoding="utf-8") as f:
    p.write("employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,"
            "my_number,route,documents,verified_by,verified_on,purposes\n")
    f.write("社員番号,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,給与所得控除後の金額,"
            "所得控除の額の合計額,源泉徴収税額,社会保険料等の金額,摘要,提出先市町村コード\n")
    for i in range(1, n + 1):
        g = given(i)
        birth = "%04d-%02d-%02d" % (1960 + i % 40, 1 + i % 12, 1 + i % 28)
        p.write("B%06d,%s %s,%s %s,%s,M,2010-04-01,東京都千代田区霞が関三丁目%d番1号,,,%s,self,"
                "mynumber_card,人事,2025-01-10,tax_withholding\n"
                % (i, fam[i % 8], g, fam_kana[i % 8], g, birth, i % 50 + 1, number(i)))
        f.write("B%06d,,,,%d,5400000,2300000,180000,1080000,,131016\n" % (i, 7000000 + i % 1000))
PY
}

if [ ! -f "$vault/.ready" ]; then
    echo "making a vault of $rows employees with numbers and figures (once) ..."
    rm -rf "$vault"
    v_full "$vault" || { echo "cannot make the vault"; exit 1; }
    make_inputs || { echo "cannot write the inputs"; exit 1; }
    { v_as "$vault" clerk "$V_CLERK_PW" import "$BENCH_TMP/people.csv" &&
        v_as "$vault" clerk "$V_CLERK_PW" payroll import --year 2025 "$BENCH_TMP/figures.csv"; } \
        > "$BENCH_TMP/export-fill.log" 2>&1 ||
        { tail -n 5 "$BENCH_TMP/export-fill.log"; echo "cannot fill the vault"; exit 1; }
    touch "$vault/.ready"
fi
as_clerk() { "$MNV_TEST" "$@" --data-dir "$vault" --user clerk --password-fd 3 3< <(printf '%s\n' "$V_CLERK_PW"); }

# The inputs of the baselines and of fill mode, from one export.
rm -f "$out"
as_clerk export nta375 --year 2025 --out "$out" > /dev/null 2>&1 || { echo "the export failed"; exit 1; }
iconv -f SHIFT_JIS -t UTF-8 "$out" > "$BENCH_TMP/export.utf8" || exit 1
# The payroll system's file: the number columns of the 375 record (支払を受ける者 and the
# dependants' 個人番号) emptied. Positions from the layout's items, as fill mode finds them.
cols=$(awk -F'=' '/^[0-9]+ *=/ && $2 ~ /^ *(employee|spouse|dependent[0-9])\.number / { print $1 + 0 }' \
    "$MNV_ROOT/data/forms/nta375-2025.ini" | paste -sd, -)
[ -n "$cols" ] || { echo "no number columns found in the layout"; exit 1; }
awk -F, -v OFS=, -v cols="$cols" 'BEGIN { n = split(cols, c, ",") } { for (i = 1; i <= n; i++) $(c[i]) = ""; print }' \
    "$BENCH_TMP/export.utf8" | iconv -f UTF-8 -t SHIFT_JIS > "$BENCH_TMP/payroll.csv" || exit 1
lines=$(wc -l < "$out")

# run NAME: one timed run; prints "wall user"
run() {
    local t=$BENCH_TMP/run.time
    case "$1" in
    export)
        rm -f "$out"
        /usr/bin/time -f '%e %U' -o "$t" "$MNV_TEST" export nta375 --year 2025 --out "$out" \
            --data-dir "$vault" --user clerk --password-fd 3 3< <(printf '%s\n' "$V_CLERK_PW") \
            > /dev/null 2>&1 || return 1;;
    fill)
        rm -f "$BENCH_TMP/filled.csv"
        /usr/bin/time -f '%e %U' -o "$t" "$MNV_TEST" export fill nta375 "$BENCH_TMP/payroll.csv" \
            --out "$BENCH_TMP/filled.csv" --data-dir "$vault" --user clerk --password-fd 3 \
            3< <(printf '%s\n' "$V_CLERK_PW") > /dev/null 2>&1 || return 1;;
    iconv-out)
        /usr/bin/time -f '%e %U' -o "$t" sh -c 'iconv -f UTF-8 -t SHIFT_JIS "$1" > "$2"' sh \
            "$BENCH_TMP/export.utf8" "$BENCH_TMP/baseline.csv" || return 1;;
    iconv-both)
        /usr/bin/time -f '%e %U' -o "$t" sh -c \
            'iconv -f SHIFT_JIS -t UTF-8 "$1" | iconv -f UTF-8 -t SHIFT_JIS > "$2"' sh \
            "$BENCH_TMP/payroll.csv" "$BENCH_TMP/baseline.csv" || return 1;;
    esac
    cat "$t"
}
# stats V...: "median (min-max)"
stats() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.2f (%.2f-%.2f)", m, v[1], v[NR]}'; }
ratio_stats() { printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {m = NR % 2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2; printf "%.0f (%.0f-%.0f)", m, v[1], v[NR]}'; }
# pairs_of A B TITLE BASELINE-TITLE: interleaved pairs of A and B; prints the table.
pairs_of() {
    local a_name=$1 b_name=$2 title=$3 base_title=$4 a b i
    local aw=() au=() bw=() bu=() rw=() ru=()
    run "$a_name" > /dev/null && run "$b_name" > /dev/null || return 1 # warm-up
    for i in $(seq "$pairs"); do
        if [ $((i % 2)) = 1 ]; then a=$(run "$a_name") && b=$(run "$b_name") || return 1
        else b=$(run "$b_name") && a=$(run "$a_name") || return 1; fi
        set -- $a; aw+=("$1"); au+=("$2")
        set -- $b; bw+=("$1"); bu+=("$2")
        rw+=("$(echo "${aw[-1]} / (${bw[-1]} + 0.005)" | bc -l)")
        ru+=("$(echo "${au[-1]} / (${bu[-1]} + 0.005)" | bc -l)")
    done
    echo "$title: $lines rows, $(($(stat -c %s "$out") / 1048576)) MiB; $pairs pairs, interleaved, warm cache; median (min-max), s"
    printf '  %-36s wall %-20s user %s\n' "$a_name" "$(stats "${aw[@]}")" "$(stats "${au[@]}")"
    printf '  %-36s wall %-20s user %s\n' "$base_title" "$(stats "${bw[@]}")" "$(stats "${bu[@]}")"
    printf '  %-36s wall %-20s user %s\n' "ratio (per pair)" "$(ratio_stats "${rw[@]}")" "$(ratio_stats "${ru[@]}")"
    printf '  per row (median wall): %.1f µs against %.2f µs\n' \
        "$(echo "$(stats "${aw[@]}" | cut -d' ' -f1) * 1000000 / $lines" | bc -l)" \
        "$(echo "$(stats "${bw[@]}" | cut -d' ' -f1) * 1000000 / $lines" | bc -l)"
}
pairs_of export iconv-out "1. mnvault export nta375 (vault)" "baseline: iconv UTF-8 → Shift_JIS" ||
    { echo "a run failed"; exit 1; }
cmp -s "$out" "$BENCH_TMP/baseline.csv" && echo "  (the baseline wrote the same bytes as the export)"
pairs_of fill iconv-both "2. mnvault export fill nta375" "baseline: iconv SJIS → UTF-8 → SJIS" ||
    { echo "a run failed"; exit 1; }
cmp -s "$out" "$BENCH_TMP/filled.csv" && echo "  (the filled file is byte for byte the export)"
rm -f "$out" "$BENCH_TMP/filled.csv" "$BENCH_TMP/baseline.csv" "$BENCH_TMP/export.utf8" \
    "$BENCH_TMP/payroll.csv" "$BENCH_TMP/people.csv" "$BENCH_TMP/figures.csv"
