#!/usr/bin/env bash
# `mnvault export shfd2200700|shfd2201700|shfd2202700`: the pension office's SHFD0006.CSV
# (資格取得届, 資格喪失届, 被扶養者（異動）届) from the demo vault with the sample insurance facts,
# read back by an independent checker (tests/tools/shfd-check, written from the format notes,
# not from the layout files) and compared with golden files; iconv round trips; each
# conditional rule once on the exporter's side and once on the checker's; the purpose gate
# (the spouse's number for 第3号 needs pension_category3); the 媒体通番; the custody register
# and the filings register; the audit (counts and hash, never a number).
. "$MNV_ROOT/tests/lib/tap.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
CHECK="$MNV_ROOT/tests/tools/shfd-check"
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 12 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
m() { printf '%s\n' "$PW" | "$MNV_TEST" "$1" --data-dir "$dir" --user "${USER_AS:-clerk}" --password-fd 0 "${@:2}"; }
m insurance import "$MNV_ROOT/data/insurance-sample.csv" > /dev/null || t_bail "sample facts"

out=$(m export shfd2200700 --year 2025 --dry-run 2>&1); rc=$?
t_eq "without the office's settings: refused" 1 "$rc"
t_contains "...naming the office's details" "the office's details, field" "$out"
t_ok "office settings" m export employer insurance_prefecture=東京 insurance_symbol=01-アイウ \
    insurance_number=12345 koyo_number=1301-123456-7 insurance_postal=100-0001 \
    insurance_address=千代田区千代田1-1 insurance_name=見本商事株式会社 "insurance_owner=見本 太郎" \
    insurance_phone=03-1234-5678

# 資格取得届: the two hires of 2025, with their numbers (so no address).
m export shfd2200700 --year 2025 --out "$T_TMP/a.csv" > "$T_TMP/a.out" 2>&1; rc=$?
t_eq "2200700: written" 0 "$rc"
t_contains "2200700: two records, the period said" "records: 2 (events from 2025-01-01 to 2025-12-31)" "$(cat "$T_TMP/a.out")"
t_contains "2200700: the purpose" "purpose of use: social_insurance; destination: pension_office" "$(cat "$T_TMP/a.out")"
t_ok "2200700: the independent checker passes it" "$CHECK" "$T_TMP/a.csv" --records=2
t_golden "2200700: the bytes (CP932 within JIS X 0208, CRLF)" "$MNV_ROOT/tests/cli/exp/shfd-2200700.csv" "$T_TMP/a.csv"
t_eq "2200700: mode 0600" 600 "$(stat -c %a "$T_TMP/a.csv")"
iconv -f SHIFT_JIS -t UTF-8 "$T_TMP/a.csv" > "$T_TMP/a.utf8" && iconv -f UTF-8 -t SHIFT_JIS "$T_TMP/a.utf8" > "$T_TMP/a.back"
t_ok "2200700: iconv round trip gives the same bytes" cmp "$T_TMP/a.csv" "$T_TMP/a.back"
t_contains "2200700: the pension office's prefecture code for Tokyo (21, not 13)" "21,01,ｱｲｳ,001," "$(head -1 "$T_TMP/a.utf8")"
t_contains "2200700: era code 9 for 令和 (not the tax offices' 5)" ",9,070604," "$(cat "$T_TMP/a.utf8")"
t_lacks "2200700: the number given, so no address" "神奈川県" "$(cat "$T_TMP/a.utf8")"

# 媒体通番 counts up per file written.
m export shfd2200700 --year 2025 --employee E000005 --out "$T_TMP/a2.csv" > /dev/null 2>&1
t_contains "媒体通番: 002 for the second file" "21,01,ｱｲｳ,002," "$(iconv -f CP932 -t UTF-8 "$T_TMP/a2.csv" | head -1)"
t_ok "--employee: one record" "$CHECK" "$T_TMP/a2.csv" --records=1
out=$(m export shfd2200700 --from 2025-07-01 --until 2025-12-31 --dry-run 2>&1)
t_contains "--from/--until: only the hire of October" "records: 1 (events from 2025-07-01 to 2025-12-31)" "$out"
out=$(m export shfd2200700 --from 2026-01-01 --dry-run 2>&1); rc=$?
t_eq "a period without events: refused" 1 "$rc"
t_contains "...saying so" "no event waits for it" "$out"

# 資格喪失届: E000005 leaves on 2025-11-30 (loss the next day); E000003 dies (cause 5).
t_ok "E000005 leaves" m insurance set E000005 shaho.lost_on=2025-12-01 shaho.loss_cause=退職等 shaho.left_on=2025-11-30
m export shfd2201700 --year 2025 --out "$T_TMP/b.csv" > "$T_TMP/b.out" 2>&1; rc=$?
t_eq "2201700: written" 0 "$rc"
t_ok "2201700: the independent checker passes it" "$CHECK" "$T_TMP/b.csv" --records=1
t_golden "2201700: the bytes" "$MNV_ROOT/tests/cli/exp/shfd-2201700.csv" "$T_TMP/b.csv"
t_contains "2201700: 喪失 071201, cause 4, 退職日 071130" ",9,071201,4,9,071130," "$(iconv -f CP932 -t UTF-8 "$T_TMP/b.csv")"
t_ok "a loss on the last day itself (a mistake)" m insurance set E000005 shaho.lost_on=2025-11-30
out=$(m export shfd2201700 --year 2025 --dry-run 2>&1); rc=$?
t_eq "rule lost_next_day: refused" 1 "$rc"
t_contains "...naming the rule" "資格喪失年月日（年月日）: this value does not meet a rule of the filing lost_next_day" "$out"
t_ok "put back" m insurance set E000005 shaho.lost_on=2025-12-01
t_ok "cause 75歳到達 with a last day" m insurance set E000005 shaho.loss_cause=age75
out=$(m export shfd2201700 --year 2025 --dry-run 2>&1)
t_lacks "75歳到達: the last day is not written for that cause (rule left_empty holds)" "left_empty" "$out"
t_ok "put back" m insurance set E000005 shaho.loss_cause=retirement

# 被扶養者（異動）届: E000003's spouse (no number) and child (number not notified for it).
m export shfd2202700 --year 2025 --out "$T_TMP/c0.csv" > /dev/null 2> "$T_TMP/c0.err"; rc=$?
t_eq "2202700: gaps refuse it" 1 "$rc"
t_contains "2202700: the spouse has no number" "spouse 試験 蓮: no My Number is recorded" "$(cat "$T_TMP/c0.err")"
t_contains "2202700: the child's number lacks the purpose" "dependant (1) 試験 次郎: this purpose of use was not notified" "$(cat "$T_TMP/c0.err")"
m export shfd2202700 --year 2025 --out "$T_TMP/c.csv" --skip-missing > "$T_TMP/c.out" 2>&1; rc=$?
t_eq "2202700 --skip-missing: written" 0 "$rc"
t_ok "2202700: the independent checker passes it" "$CHECK" "$T_TMP/c.csv" --records=1
t_golden "2202700: the bytes" "$MNV_ROOT/tests/cli/exp/shfd-2202700.csv" "$T_TMP/c.csv"
t_contains "2202700: 139 items" "139" "$(iconv -f CP932 -t UTF-8 "$T_TMP/c.csv" | tail -1 | awk -F, '{print NF}')"

# No number: T900 declined to give it. 資格取得届 then needs the address (カナ too);
# 資格喪失届 the 基礎年金番号 — the exporter names the rule.
tt() { printf '%s\n' "$PW" | "$MNV_TOOLS/taxtool" "$@" "$dir"; }
t_ok "T900 added without a number" bash -c "printf '%s\n' '$PW' | '$MNV_TOOLS/taxtool' add-employee '$dir' clerk T900 '雛形 四郎' 'ヒナガタ シロウ' 1988-08-08 '大阪府大阪市北区梅田4-4'"
t_ok "T900 declined" bash -c "printf '%s\n' '$PW' | '$MNV_TOOLS/taxtool' refuse '$dir' clerk T900"
t_ok "T900 hired and left in 2025" m insurance set T900 shaho.acquired_on=2025-05-01 shaho.pay_cash=200000 shaho.pay_kind=0 shaho.lost_on=2025-09-01 shaho.loss_cause=death shaho.left_on=2025-08-31
out=$(m export shfd2200700 --year 2025 --employee T900 --skip-missing --dry-run 2>&1); rc=$?
t_eq "2200700 without a number or address: refused" 1 "$rc"
t_contains "...rule no_number_address" "no_number_address" "$out"
t_ok "T900's address in katakana" m insurance set T900 shaho.address_kana=ｵｵｻｶｼｷﾀｸｳﾒﾀﾞ4-4
out=$(m export shfd2200700 --year 2025 --employee T900 --skip-missing --dry-run 2>&1)
t_contains "...still needs the postal code (no_number_address)" "郵便番号（親番号）: this value does not meet a rule of the filing no_number_address" "$out"
out=$(m export shfd2201700 --year 2025 --employee T900 --skip-missing --dry-run 2>&1); rc=$?
t_eq "2201700 without a number or 基礎年金番号: refused" 1 "$rc"
t_contains "...rule no_number_pension" "基礎年金番号（課所符号）: this value does not meet a rule of the filing no_number_pension" "$out"
out=$(m export shfd2201700 --year 2025 --employee T900 --dry-run 2>&1); rc=$?
t_contains "...and without --skip-missing the refusal is listed first" "the person declined to give the My Number" "$out"
t_ok "T900 deleted again" bash -c "printf '%s\n' '$PW' | '$MNV_TOOLS/taxtool' delete-employee '$dir' clerk T900"

# The register: the custody entry and the filings written; the audit has no number.
out=$(printf '%s\n' "$PW" | "$MNV_TEST" export list --data-dir "$dir" --user clerk --password-fd 0)
t_contains "custody: the 2200700 file" "shfd2200700" "$out"
out=$(m audit 2>/dev/null; m audit list 2>/dev/null)
for f in a b c; do
    for n in $(iconv -f CP932 -t UTF-8 "$T_TMP/$f.csv" | grep -oE '(^|,)[0-9]{12}(,|$)' | tr -d ,); do
        t_lacks "audit: no number of $f.csv" "$n" "$out"
    done
done

# The checker is not a rubber stamp: each conditional rule broken once.
brk() { # brk NAME FILE LINE POS VALUE [POS VALUE...]: set items of data line LINE, expect rule NAME
    local name=$1 f=$2 ln=$3; shift 3
    iconv -f CP932 -t UTF-8 "$f" | python3 -c '
import sys
args = sys.argv[1:]
ln = int(args[0]); sets = args[1:]
rows = sys.stdin.read().split("\r\n")
it = rows[ln - 1].split(",")
for i in range(0, len(sets), 2):
    it[int(sets[i]) - 1] = sets[i + 1]
rows[ln - 1] = ",".join(it)
sys.stdout.write("\r\n".join(rows))' "$ln" "$@" | iconv -f UTF-8 -t CP932 > "$T_TMP/brk.csv"
    local o
    o=$("$CHECK" "$T_TMP/brk.csv"); local rc=$?
    t_eq "checker: $name broken → fails" 1 "$rc"
    t_contains "checker: ...naming $name" "rule $name" "$o"
}
brk number-no-address "$T_TMP/a.csv" 6 29 100 30 0001
brk no-number-address "$T_TMP/a.csv" 6 13 ""
brk number-note "$T_TMP/a.csv" 6 15 ＡＢ
brk kind "$T_TMP/a.csv" 6 12 1 11 ""
brk only70 "$T_TMP/a.csv" 6 33 1 11 "" 24 ""
brk pension-kind "$T_TMP/a.csv" 6 12 3 16 1234 17 567890
brk pension-pair "$T_TMP/a.csv" 6 16 1234
brk pay-total "$T_TMP/a.csv" 6 23 320001
brk acquired-past "$T_TMP/a.csv" 6 19 081201
brk no-number-pension "$T_TMP/b.csv" 6 11 ""
brk left "$T_TMP/b.csv" 6 17 "" 18 ""
brk lost-next-day "$T_TMP/b.csv" 6 15 071130
brk off-date "$T_TMP/b.csv" 6 24 1
brk off-same-day "$T_TMP/b.csv" 6 24 1 25 9 26 071201
brk only70 "$T_TMP/b.csv" 6 27 1
brk lost-past "$T_TMP/b.csv" 6 15 081201 18 081130
brk no-number-pension "$T_TMP/c.csv" 6 14 ""
brk number-no-address "$T_TMP/c.csv" 6 18 100 19 0001 20 東京都
brk seiri "$T_TMP/c.csv" 6 21 2 8 ""
brk spouse-address "$T_TMP/c.csv" 6 37 ""
brk spouse-living "$T_TMP/c.csv" 6 35 ""
brk spouse-income "$T_TMP/c.csv" 6 49 ""
brk spouse-death "$T_TMP/c.csv" 6 52 1
brk someone "$T_TMP/c.csv" 6 24 "" 25 "" 71 "" 72 ""
brk other-address "$T_TMP/c.csv" 6 80 "" 81 ""
# ...and the structure.
sed 's/^\[kanri\]/[KANRI]/' "$T_TMP/a.csv" > "$T_TMP/k.csv"
t_status "checker: a wrong [kanri] line fails" 1 "$CHECK" "$T_TMP/k.csv"
tr -d '\r' < "$T_TMP/a.csv" > "$T_TMP/lf.csv"
t_status "checker: LF line ends fail" 1 "$CHECK" "$T_TMP/lf.csv"
printf '\x87\x40' >> "$T_TMP/lf.csv"
iconv -f CP932 -t UTF-8 "$T_TMP/a.csv" | sed '6s/試験/①試験/' | iconv -f UTF-8 -t CP932 > "$T_TMP/nec.csv" 2>/dev/null
t_status "checker: a CP932 extension (NEC ①) fails" 1 "$CHECK" "$T_TMP/nec.csv"
sed '1s/^21,/13,/' "$T_TMP/a.csv" > "$T_TMP/jis.csv"
t_status "checker: the JIS prefecture code (13) fails" 1 "$CHECK" "$T_TMP/jis.csv"
sed '6s/,9,070604,/,5,070604,/' "$T_TMP/a.csv" > "$T_TMP/era.csv"
t_status "checker: the tax offices' era code (5 for 令和) fails" 1 "$CHECK" "$T_TMP/era.csv"
t_status "checker: numbers with --no-numbers fail" 1 "$CHECK" "$T_TMP/a.csv" --no-numbers

# The e-Gov size limit ([limits] max_bytes): a layout that takes 1 KiB refuses 10 records.
cp -r "$MNVAULT_SHAREDIR" "$T_TMP/data"
sed -i 's/^max_bytes = .*/max_bytes = 1024/' "$T_TMP/data/forms/shfd2200700-2026.ini"
for i in 01 02 03 04 06 07 08 09 10 11; do
    m insurance set E0000$i shaho.acquired_on=2026-04-01 shaho.pay_cash=250000 shaho.pay_kind=0 > /dev/null
done
out=$(MNVAULT_SHAREDIR=$T_TMP/data m export shfd2200700 --year 2026 --skip-missing --out "$T_TMP/big.csv" 2>&1); rc=$?
t_eq "size limit: refused" 1 "$rc"
t_contains "...saying why" "larger than the destination takes" "$out"
t_eq "...nothing left behind" "" "$(ls "$T_TMP"/big.csv* 2>/dev/null)"
out=$(MNVAULT_SHAREDIR=$T_TMP/data m export shfd2200700 --year 2026 --skip-missing --employee E000001 --out "$T_TMP/small.csv" 2>&1); rc=$?
t_eq "size limit: one record fits" 0 "$rc"
t_done
