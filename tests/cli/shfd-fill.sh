#!/usr/bin/env bash
# `mnvault export fill shfd IN.CSV --out OUT.CSV`: an SHFD0006.CSV that other software wrote
# with the 個人番号 fields empty (and, as the rules then ask, the address written) gets the
# numbers from the vault. The result is byte for byte what mnvault's own export writes — the
# head, every other field, CP932 and CR LF kept — with the address the rules forbid beside a
# number emptied; the independent checker passes it. Records are matched by 被保険者整理番号
# and kana/kanji name and birth date: a shifted record, a stranger, two people alike, a
# number already there, another office's file, a file that is not SHFD0006.CSV, a record
# of another form: each refuses the whole file and nothing is written (--skip-unmatched
# leaves an unmatched record without a number instead, listed). The events filed go into
# the filings register; the audit log holds no number.
. "$MNV_ROOT/tests/lib/tap.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00
CHECK="$MNV_ROOT/tests/tools/shfd-check"
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 12 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
m() { printf '%s\n' "$PW" | "$MNV_TEST" "$1" --data-dir "${D:-$dir}" --user clerk --password-fd 0 "${@:2}"; }
fill() { printf '%s\n' "$PW" | "$MNV_TEST" export fill shfd "$@" --data-dir "$dir" --user clerk --password-fd 0; }
m insurance import "$MNV_ROOT/data/insurance-sample.csv" > /dev/null || t_bail "sample facts"
m export employer insurance_prefecture=東京 insurance_symbol=01-アイウ insurance_number=12345 \
    koyo_number=1301-123456-7 insurance_postal=100-0001 insurance_address=千代田区千代田1-1 \
    insurance_name=見本商事株式会社 "insurance_owner=見本 太郎" insurance_phone=03-1234-5678 \
    > /dev/null || t_bail "office settings"

# What mnvault itself writes, as the reference: 資格取得届, 資格喪失届, 被扶養者（異動）届.
m export shfd2200700 --year 2025 --out "$T_TMP/a.csv" > /dev/null || t_bail "export a"
m insurance set E000005 shaho.lost_on=2025-12-01 shaho.loss_cause=退職等 shaho.left_on=2025-11-30 > /dev/null
m export shfd2201700 --year 2025 --out "$T_TMP/b.csv" > /dev/null || t_bail "export b"
m export shfd2202700 --year 2025 --skip-missing --out "$T_TMP/c.csv" > /dev/null 2>&1 || t_bail "export c"

# edit FILE LINE POS VALUE [POS VALUE …] [';' LINE POS VALUE …]: fields set, CP932 kept.
edit() {
    local f=$1; shift
    python3 -c '
import sys
rows = sys.stdin.buffer.read().decode("cp932").split("\r\n")
a = sys.argv[1:]; i = 0
while i < len(a):
    ln = int(a[i]); i += 1; it = rows[ln - 1].split(",")
    while i < len(a) and a[i] != ";":
        it[int(a[i]) - 1] = a[i + 1]; i += 2
    rows[ln - 1] = ",".join(it); i += 1
sys.stdout.buffer.write("\r\n".join(rows).encode("cp932"))' "$@" < "$f"
}
ADDR=(29 220 30 0012 31 "ﾖｺﾊﾏｼ ﾆｼｸ 1-1" 32 "横浜市西区１－１")
# The other program's files: no number, so the address (資格取得届) is written instead.
edit "$T_TMP/a.csv" 6 13 "" "${ADDR[@]}" ';' 7 13 "" "${ADDR[@]}" > "$T_TMP/a-in.csv"
edit "$T_TMP/b.csv" 6 11 "" > "$T_TMP/b-in.csv"
edit "$T_TMP/c.csv" 6 14 "" 18 220 19 0012 20 "横浜市西区１－１" > "$T_TMP/c-in.csv"
t_ok "the input passes the checker too (no number, address given)" "$CHECK" "$T_TMP/a-in.csv" --no-numbers

out=$(fill "$T_TMP/a-in.csv" --out "$T_TMP/a-out.csv" 2>&1); rc=$?
t_eq "2200700: filled" 0 "$rc"
t_contains "...two records, two numbers" "My Numbers written: 2; left out: 0" "$out"
t_contains "...the purpose of the filing" "purpose of use: social_insurance; destination: pension_office" "$out"
t_ok "2200700: the same bytes as mnvault's export (address emptied beside the number)" cmp "$T_TMP/a.csv" "$T_TMP/a-out.csv"
t_ok "2200700: the independent checker passes it" "$CHECK" "$T_TMP/a-out.csv" --records=2
t_eq "2200700: mode 0600" 600 "$(stat -c %a "$T_TMP/a-out.csv")"
out=$(fill "$T_TMP/b-in.csv" --out "$T_TMP/b-out.csv" 2>&1); rc=$?
t_eq "2201700: filled" 0 "$rc"
t_ok "2201700: the same bytes as the export" cmp "$T_TMP/b.csv" "$T_TMP/b-out.csv"

# 2202700: the spouse has no number, the child's lacks the purpose: listed, refused.
out=$(fill "$T_TMP/c-in.csv" --out "$T_TMP/c-out.csv" 2>&1); rc=$?
t_eq "2202700: gaps refuse it" 1 "$rc"
t_contains "...the spouse named, with the line" "line 6 (E000003), spouse 試験 蓮: no My Number is recorded" "$out"
t_contains "...the child" "dependant (1) 試験 次郎: this purpose of use was not notified" "$out"
t_eq "...nothing written" "" "$(ls "$T_TMP"/c-out.csv* 2>/dev/null)"
out=$(fill "$T_TMP/c-in.csv" --out "$T_TMP/c-out.csv" --skip-missing 2>&1); rc=$?
t_eq "2202700 --skip-missing: filled" 0 "$rc"
t_ok "2202700: the same bytes as the export (insured person's address emptied)" cmp "$T_TMP/c.csv" "$T_TMP/c-out.csv"
t_ok "2202700: the checker passes it" "$CHECK" "$T_TMP/c-out.csv" --records=1

# One file with records of all three forms, as 届書作成プログラム writes a day's filings.
{ head -c "$(grep -bo '\[data\]' "$T_TMP/a-in.csv" | cut -d: -f1)" "$T_TMP/a-in.csv"; printf '[data]\r\n'
  for f in a b c; do sed -n '6,$p' "$T_TMP/$f-in.csv"; done; } > "$T_TMP/abc-in.csv"
{ head -n 5 "$T_TMP/a.csv"; for f in a b c; do sed -n '6,$p' "$T_TMP/$f.csv"; done; } > "$T_TMP/abc.csv"
out=$(fill "$T_TMP/abc-in.csv" --out "$T_TMP/abc-out.csv" --skip-missing 2>&1); rc=$?
t_eq "three forms in one file: filled" 0 "$rc"
t_contains "...four records, four numbers" "My Numbers written: 4; left out: 2" "$out"
t_ok "...the same bytes as the three exports joined" cmp "$T_TMP/abc.csv" "$T_TMP/abc-out.csv"
t_ok "...the checker passes it" "$CHECK" "$T_TMP/abc-out.csv" --records=4

out=$(fill "$T_TMP/a-in.csv" --dry-run 2>&1); rc=$?
t_eq "--dry-run: checked" 0 "$rc"
t_contains "...every row matches, nothing written" "every row matches. Nothing was written" "$out"

# refused NAME FILE TEXT [OPTIONS]: exit 1, TEXT said, no file left.
refused() {
    local name=$1 f=$2 text=$3; shift 3
    rm -f "$T_TMP/r-out.csv"
    local o rc
    o=$(fill "$f" --out "$T_TMP/r-out.csv" "$@" 2>&1); rc=$?
    t_eq "$name: refused" 1 "$rc"
    t_contains "$name: ...saying why" "$text" "$o"
    t_eq "$name: ...nothing written" "" "$(ls "$T_TMP"/r-out.csv* 2>/dev/null)"
}
# Rows shifted by one (a spreadsheet sorted by one column): the names and birth dates no
# longer belong to the 被保険者整理番号.
edit "$T_TMP/a-in.csv" 6 7 "ｶｸｳ ﾘﾝ" 8 "架空　凛" 9 5 10 500302 ';' 7 7 "ｼｹﾝ ﾁﾋﾛ" 8 "試験　千尋" 9 7 10 090106 > "$T_TMP/shift.csv"
refused "shifted rows" "$T_TMP/shift.csv" "line 6, column 7 被保険者氏名（カナ）: the name or birth date differs from the employee with this 被保険者整理番号"
edit "$T_TMP/a-in.csv" 6 10 090107 > "$T_TMP/birth.csv"
refused "a birth date one day off" "$T_TMP/birth.csv" "line 6, column 7"
edit "$T_TMP/a-in.csv" 6 8 "試験　千早" > "$T_TMP/kanji.csv"
refused "another kanji name" "$T_TMP/kanji.csv" "differs from the employee"
edit "$T_TMP/a-in.csv" 7 6 "" 7 "ﾐｼﾗﾇ ﾋﾄ" 8 "" > "$T_TMP/stranger.csv"
refused "a stranger" "$T_TMP/stranger.csv" "line 7, column 7 被保険者氏名（カナ）: no employee matches this row"
out=$(fill "$T_TMP/stranger.csv" --out "$T_TMP/s-out.csv" --skip-unmatched 2>&1); rc=$?
t_eq "--skip-unmatched: written" 0 "$rc"
t_contains "...the stranger listed" "line 7, employee: no one person in the vault matches this record; its number was left empty" "$out"
t_contains "...one number written" "My Numbers written: 1; left out: 1" "$out"
t_ok "...the stranger's record as it was, the checker passes the file" "$CHECK" "$T_TMP/s-out.csv" --records=2
t_eq "...the stranger's line untouched" "$(sed -n 7p "$T_TMP/stranger.csv")" "$(sed -n 7p "$T_TMP/s-out.csv")"
t_contains "--skip-unmatched on a slip file is refused" "shfd" "$(printf '%s\n' "$PW" | "$MNV_TEST" export fill nta375 "$T_TMP/a-in.csv" --skip-unmatched --out "$T_TMP/y.csv" --data-dir "$dir" --user clerk --password-fd 0 2>&1)"
# Without 整理番号 the names and birth date alone find the person (exactly one).
edit "$T_TMP/a-in.csv" 6 6 "" > "$T_TMP/noseiri.csv"
out=$(fill "$T_TMP/noseiri.csv" --out "$T_TMP/n-out.csv" 2>&1); rc=$?
t_eq "no 整理番号: matched by name and birth date" 0 "$rc"
t_eq "...the same number as with it" "$(cut -d, -f13 "$T_TMP/a.csv" | sed -n 6p)" "$(cut -d, -f13 "$T_TMP/n-out.csv" | sed -n 6p)"
# Two employees alike (same kana and birth date): without 整理番号 the row cannot be placed.
t_ok "a second 架空 凛 born the same day" bash -c "printf '%s\n' '$PW' | '$MNV_TOOLS/taxtool' add-employee '$dir' clerk T901 '架空 凛' 'カクウ リン' 1975-03-02 '東京都港区芝公園1-1'"
edit "$T_TMP/a-in.csv" 7 6 "" > "$T_TMP/twin.csv"
refused "two alike, no 整理番号" "$T_TMP/twin.csv" "line 7, column 7 被保険者氏名（カナ）: more than one person matches"
out=$(fill "$T_TMP/a-in.csv" --out "$T_TMP/t-out.csv" 2>&1); rc=$?
t_eq "two alike, with 整理番号: the right one" 0 "$rc"
t_ok "...the same bytes as the export" cmp "$T_TMP/a.csv" "$T_TMP/t-out.csv"
t_ok "T901 deleted again" bash -c "printf '%s\n' '$PW' | '$MNV_TOOLS/taxtool' delete-employee '$dir' clerk T901"
refused "a number already there" "$T_TMP/a.csv" "line 6, column 13 個人番号: this number column already holds something"
edit "$T_TMP/a-in.csv" 4 3 02 ';' 6 3 02 ';' 7 3 02 > "$T_TMP/office.csv"
refused "another office's file" "$T_TMP/office.csv" "line 4, column 3 事業所記号: the file's 事業所整理記号 or 事業所番号 differs"
tr -d '\r' < "$T_TMP/a-in.csv" > "$T_TMP/lf.csv"
refused "LF line ends" "$T_TMP/lf.csv" "line 1: this is not an SHFD0006.CSV"
iconv -f CP932 -t UTF-8 "$T_TMP/a-in.csv" > "$T_TMP/utf8.csv"
refused "UTF-8 text" "$T_TMP/utf8.csv" "this is not an SHFD0006.CSV"
sed 's/^\[kanri\]/[KANRI]/' "$T_TMP/a-in.csv" > "$T_TMP/kanri.csv"
refused "no [kanri]" "$T_TMP/kanri.csv" "this is not an SHFD0006.CSV"
edit "$T_TMP/a-in.csv" 7 1 2225700 > "$T_TMP/santei.csv"
refused "a record of another form (算定基礎届)" "$T_TMP/santei.csv" "line 7: this line is not a record of the form"
edit "$T_TMP/a-in.csv" 6 19 081201 > "$T_TMP/future.csv"
refused "a record the filing's rules refuse (取得日 after the file's day)" "$T_TMP/future.csv" "acquired_past"
printf 'x' > "$T_TMP/x.csv"
refused "one byte" "$T_TMP/x.csv" "this is not an SHFD0006.CSV"

# The filings register: a hire another program filed is no longer due after the fill.
cp -r "$dir" "$T_TMP/other"
t_ok "E000001 hired on 2026-11-01" m insurance set E000001 shaho.acquired_on=2026-11-01 shaho.pay_cash=250000 shaho.pay_kind=0
rm -rf "$T_TMP/other"; cp -r "$dir" "$T_TMP/other"
D=$T_TMP/other m export shfd2200700 --year 2026 --employee E000001 --out "$T_TMP/h.csv" > /dev/null || t_bail "the other program's file"
edit "$T_TMP/h.csv" 6 13 "" "${ADDR[@]}" > "$T_TMP/h-in.csv"
t_contains "before: the 資格取得届 is due" "E000001" "$(m insurance due 2>&1)"
out=$(fill "$T_TMP/h-in.csv" --out "$T_TMP/h-out.csv" 2>&1); rc=$?
t_eq "the hire filled" 0 "$rc"
t_ok "...as the export would have written it" cmp "$T_TMP/h.csv" "$T_TMP/h-out.csv"
t_lacks "after: not due any more" "E000001" "$(m insurance due 2>&1)"

# The custody register and the audit log: the file is registered, no number is logged.
t_contains "custody register: the fill, as form shfd" " shfd " "$(printf '%s\n' "$PW" | "$MNV_TEST" export list --data-dir "$dir" --user clerk --password-fd 0 2>&1)"
log=$(m audit list 2>/dev/null)
for n in $(iconv -f CP932 -t UTF-8 "$T_TMP/abc-out.csv" | grep -oE '(^|,)[0-9]{12}(,|$)' | tr -d ,); do
    t_lacks "audit: no number of the filled file" "$n" "$log"
done
t_done
