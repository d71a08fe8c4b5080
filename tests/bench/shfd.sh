#!/usr/bin/env bash
# The pension office's file: 10,000 employees (BENCH_EMPLOYEES) with a 資格取得 each,
#   1. exported as SHFD0006.CSV (mnvault export shfd2200700: the vault read, the purpose
#      gate, every record built and checked twice with its conditional rules, every number
#      decrypted, CP932 within JIS X 0208, the custody register, the filings register and
#      the audit) beside the baseline: the same text (the file mnvault writes, read back as
#      UTF-8) turned into the same bytes by iconv -t SHIFT_JIS;
#   2. filled (mnvault export fill shfd: the same file as another program writes it, no
#      個人番号 and the address instead; every record decoded, matched by 被保険者整理番号, kana,
#      kanji and birth date, checked with its rules, the numbers decrypted and spliced into
#      the bytes, the address emptied, written as an export) beside the baseline: the same
#      input through iconv to UTF-8 and back (reads and writes the same bytes).
# The outputs are compared byte for byte (the export's with iconv's after the 媒体通番 line;
# the fill's with the export's). Rounds interleaved (AB, BA …: bench_runs) after one
# unmeasured run of each; every run a fresh process (SQLCipher's page cache empty), the
# kernel's file cache warm unless BENCH_DROP_CACHES=1 (as root; it disturbs a shared
# machine). Median and range of each side and of the per-round ratio (bench_compare).
# The vault is made once and kept in build/bench/.
. "$MNV_ROOT/tests/bench/lib.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
n=${BENCH_EMPLOYEES:-10000}
runs=${BENCH_PAIRS:-5}
export MNVAULT_TEST_NOW=2026-11-27T01:42:00
vault=$BENCH_TMP/shfd-vault-$n
if [ ! -f "$vault/.ready" ]; then
    echo "making a vault of $n employees with numbers and insurance facts (once) ..."
    rm -rf "$vault"
    v_full "$vault" || { echo "cannot make the vault"; exit 1; }
    awk -v n="$n" 'BEGIN {
        print "employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,my_number,route,documents,verified_by,verified_on,purposes"
        w = "65432765432"
        for (i = 1; i <= n; i++) {
            b = "5" sprintf("%010d", i); t = 0
            for (j = 1; j <= 11; j++) t += substr(b, j, 1) * substr(w, j, 1)
            r = t % 11
            printf "S%05d,見本 太郎%d,ミホン タロウ,1980-04-01,M,2025-04-01,東京都千代田区霞が関三丁目%d番1号,,,%s%d,self,mynumber_card,人事,2025-01-10,social_insurance\n", i, i % 1000, i % 50 + 1, b, (r <= 1) ? 0 : 11 - r
        } }' > "$BENCH_TMP/shfd-people.csv"
    awk -v n="$n" 'BEGIN {
        print "社員番号,健保厚年資格取得年月日,被保険者整理番号,報酬月額通貨,報酬月額現物"
        for (i = 1; i <= n; i++) printf "S%05d,2025-04-01,%d,%d,0\n", i, i, 200000 + i
        }' > "$BENCH_TMP/shfd-facts.csv"
    { v_as "$vault" clerk "$V_CLERK_PW" import "$BENCH_TMP/shfd-people.csv" &&
        v_as "$vault" clerk "$V_CLERK_PW" insurance import "$BENCH_TMP/shfd-facts.csv" &&
        v_as "$vault" clerk "$V_CLERK_PW" export employer insurance_prefecture=東京 \
            insurance_symbol=01-アイウ insurance_number=12345 insurance_postal=100-0001 \
            insurance_address=千代田区千代田1-1 insurance_name=見本商事株式会社 \
            "insurance_owner=見本 太郎" insurance_phone=03-1234-5678; } \
        > "$BENCH_TMP/shfd-fill.log" 2>&1 || { tail -n 5 "$BENCH_TMP/shfd-fill.log"; echo "cannot fill the vault"; exit 1; }
    touch "$vault/.ready"
fi
out=$BENCH_TMP/SHFD0006.CSV
pwfile=$BENCH_TMP/shfd-pw
printf '%s\n' "$V_CLERK_PW" > "$pwfile"
export_cmd="rm -f '$out'; '$MNV_TEST' export shfd2200700 --year 2025 --out '$out' --data-dir '$vault' --user clerk --password-fd 3 3<'$pwfile'"
bash -c "$export_cmd" > "$BENCH_TMP/shfd-export.log" 2>&1 || { cat "$BENCH_TMP/shfd-export.log"; exit 1; }
iconv -f SHIFT_JIS -t UTF-8 "$out" > "$BENCH_TMP/shfd-utf8.txt"
iconv_cmd="iconv -f UTF-8 -t SHIFT_JIS '$BENCH_TMP/shfd-utf8.txt' > '$BENCH_TMP/shfd-iconv.csv'"
bash -c "$iconv_cmd"
size=$(($(stat -c %s "$out") / 1024))
echo "1. SHFD0006.CSV of $n 資格取得届 records ($size KiB); $runs rounds, interleaved (AB, BA …)"
bash -c "$iconv_cmd" > /dev/null 2>&1 # warm-up: both read once before the rounds
echo "  $(bench_cold_words)"
bench_runs "$runs" "$export_cmd" "$iconv_cmd" || { echo "a run failed"; exit 1; }
bench_compare "mnvault export shfd2200700 (this) against iconv of the same text (baseline), wall" 1 2 wall
if cmp -s <(tail -n +2 "$out") <(tail -n +2 "$BENCH_TMP/shfd-iconv.csv"); then
    echo "  the bytes are the same as iconv's (after the 媒体通番 line)"
else
    echo "  THE BYTES DIFFER from iconv's"; exit 1
fi
# The other program's file: every 個人番号 emptied, the address (カナ and 漢字) put in.
python3 - "$out" "$BENCH_TMP/shfd-in.csv" <<'PY'
import sys
rows = open(sys.argv[1], "rb").read().decode("cp932").split("\r\n")
for i in range(5, len(rows)):
    it = rows[i].split(",")
    if len(it) == 34:
        it[12] = ""; it[28:32] = ["100", "0013", "ﾁﾖﾀﾞｸ ｶｽﾐｶﾞｾｷ 3-1-1", "千代田区霞が関３－１－１"]
        rows[i] = ",".join(it)
open(sys.argv[2], "wb").write("\r\n".join(rows).encode("cp932"))
PY
filled=$BENCH_TMP/shfd-filled.csv
fill_cmd="rm -f '$filled'; '$MNV_TEST' export fill shfd '$BENCH_TMP/shfd-in.csv' --out '$filled' --data-dir '$vault' --user clerk --password-fd 3 3<'$pwfile'"
round_cmd="iconv -f SHIFT_JIS -t UTF-8 '$BENCH_TMP/shfd-in.csv' | iconv -f UTF-8 -t SHIFT_JIS > '$BENCH_TMP/shfd-iconv.csv'"
echo "2. the same file without numbers, filled ($(($(stat -c %s "$BENCH_TMP/shfd-in.csv") / 1024)) KiB in); $runs rounds, interleaved"
bash -c "$fill_cmd" > /dev/null 2>&1 && bash -c "$round_cmd" > /dev/null 2>&1 ||
    { echo "the fill failed"; exit 1; } # warm-up
bench_runs "$runs" "$fill_cmd" "$round_cmd" || { echo "a run failed"; exit 1; }
bench_compare "mnvault export fill shfd (this) against iconv SJIS -> UTF-8 -> SJIS (baseline), wall" 1 2 wall
if cmp -s "$out" "$filled"; then
    echo "  the filled file is byte for byte the export"
else
    echo "  THE FILLED FILE DIFFERS from the export"; exit 1
fi
rm -f "$out" "$filled" "$BENCH_TMP/shfd-in.csv" "$BENCH_TMP/shfd-iconv.csv" "$pwfile"
