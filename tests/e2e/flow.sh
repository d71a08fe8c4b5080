#!/usr/bin/env bash
# The guided steps of the insurance events through the terminal application, as a clerk
# would, in English and Japanese at 80x24: the dashboard's count of filings due and overdue
# and its checklist (f); a new hire (j on the record: the facts the event needs with the
# record's hire date put in, F2, then the filings with their legal deadlines and the command
# that writes each); a dependant joining 扶養; a leaver; a filing written by the export
# leaves the list; in Japanese, an SHFD0006.CSV another program wrote without the number
# filled on the Export screen (F6, fill file) takes its filing off the list too.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 12 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
m() { printf '%s\n' "$PW" | "$MNV_TEST" "$1" --data-dir "$dir" --user clerk --password-fd 0 "${@:2}"; }
m export employer insurance_prefecture=東京 insurance_symbol=01-アイウ insurance_number=12345 \
    koyo_number=1301-123456-7 insurance_postal=100-0001 insurance_address=千代田区千代田1-1 \
    insurance_name=見本商事株式会社 "insurance_owner=見本 太郎" insurance_phone=03-1234-5678 \
    > /dev/null || t_bail "office settings"
# One event already recorded: E000002 became insured on 2026-11-20 (health and pension).
m insurance set E000002 shaho.acquired_on=2026-11-20 shaho.pay_cash=300000 shaho.pay_kind=0 \
    > /dev/null || t_bail "a fact"
app=("$MNV_TEST" --data-dir "$dir")
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; }
open_employee() {
    tmx_keys Enter; tmx_wait "Filter" >/dev/null || tmx_wait "絞り込み" >/dev/null
    tmx_type "$1"; tmx_keys Enter; tmx_keys Enter
    tmx_wait "Purposes notified" >/dev/null || tmx_wait "通知した利用目的" >/dev/null
}

# ---------- English ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login screen" "User name"
login clerk
t_wait "dashboard" "Dashboard"
t_wait "dashboard: one filing due, overdue (by 2026-11-25)" "insurance filings due 1   overdue 1   (f)"
tmx_keys f
t_wait "f: the checklist" "Insurance filings due"
t_contains "checklist: the 資格取得届, overdue, with its deadline" "[!] OVERDUE  by 2026-11-25  Health and pension: acquisition (資格取得届)" "$(tmx_screen)"
t_contains "checklist: the legal basis" "within 5 days of the acquisition" "$(tmx_screen)"
t_contains "checklist: the command that writes it" "mnvault export shfd2200700 --employee E000002 --from 2026-11-20 --out FILE" "$(tmx_screen)"
tmx_keys Escape; t_wait "back on the dashboard" "Dashboard"

# A new hire: E000003, hired today.
open_employee E000003
tmx_keys j
t_wait "flow: step 1" "What happened?"
t_contains "flow: the employee's events" "New hire: 資格取得 of 健康保険・厚生年金保険 and 雇用保険" "$(tmx_screen)"
tmx_keys Enter
t_wait "flow: step 2, the facts of a hire" "Insurance facts:"
t_contains "flow: only the facts the hire needs" "Acquired on (資格取得年月日)" "$(tmx_screen)"
t_lacks "flow: not the leaver's" "Lost on" "$(tmx_screen)"
tmx_keys Enter; tmx_keys C-u; tmx_type "2026-11-27"; tmx_keys Enter
t_wait "flow: the date typed" "2026-11-27"
tmx_keys F2
t_wait "flow: step 3, the checklist" "step 3 of 3"
t_contains "flow: 資格取得届 due in 5 days" "[ ] due  by 2026-12-02  Health and pension: acquisition (資格取得届)" "$(tmx_screen)"
t_contains "flow: 雇用保険 by the 10th of the next month" "Employment insurance: acquisition (資格取得届)" "$(tmx_screen)"
tmx_screen > "$T_TMP/flow-en.txt"
tmx_keys Escape; t_wait "flow: back on the record" "Purposes notified"

# A dependant joins 扶養: the spouse of E000003 (the second row of the record).
tmx_keys Down; tmx_keys j
t_wait "flow: a dependant's events" "Joins 扶養"
tmx_keys Enter
t_wait "flow: the facts of a dependant" "Dependant from (被扶養者になった日)"
tmx_keys Enter; tmx_keys C-u; tmx_type "2026-11-26"; tmx_keys Enter
tmx_keys F2
t_wait "flow: the 被扶養者（異動）届 due" "Dependant joins (被扶養者（異動）届 該当)"
t_contains "flow: by 2026-12-01" "by 2026-12-01" "$(tmx_screen)"
tmx_keys Escape; tmx_keys Escape; tmx_keys Escape; tmx_keys Escape
t_wait "dashboard again" "Dashboard"
t_wait "dashboard: three due now (the old 雇用保険 hire is history), one overdue" "insurance filings due 3   overdue 1   (f)"
tmx_keys F10; tmx_stop

# A file written for E000002 takes its filing off the list.
m export shfd2200700 --from 2026-11-01 --employee E000002 --skip-missing --out "$T_TMP/a.csv" > "$T_TMP/a.out" 2>&1
t_eq "export of E000002's 資格取得届" 0 "$?"
out=$(m insurance due)
t_lacks "insurance due: E000002 is filed" "E000002" "$out"
t_contains "insurance due: E000003 still due" "E000003" "$out"
out=$(m insurance due --all --employee E000002)
t_contains "insurance due --all: the filed one shown as filed" "filed    shfd2200700" "$out"

# Another program (a 社労士's) wrote E000003's 資格取得届 without the number: a copy of the
# vault makes the same file as mnvault would, and its 個人番号 is emptied and the address put
# in, as such a program writes it.
cp -r "$dir" "$T_TMP/other"
printf '%s\n' "$PW" | "$MNV_TEST" insurance set --data-dir "$T_TMP/other" --user clerk --password-fd 0 \
    E000003 shaho.pay_cash=250000 shaho.pay_kind=0 > /dev/null 2>&1 || t_bail "pay in the copy"
printf '%s\n' "$PW" | "$MNV_TEST" export shfd2200700 --data-dir "$T_TMP/other" --user clerk \
    --password-fd 0 --employee E000003 --from 2026-11-27 --out "$T_TMP/h.csv" > "$T_TMP/h.out" 2>&1 ||
    t_bail "the other program's file: $(cat "$T_TMP/h.out")"
python3 -c '
import sys
rows = open(sys.argv[1], "rb").read().decode("cp932").split("\r\n")
it = rows[5].split(",")
it[12] = ""; it[28:32] = ["220", "0012", "ﾖｺﾊﾏｼ ﾆｼｸ 1-1", "横浜市西区１－１"]
rows[5] = ",".join(it)
open(sys.argv[2], "wb").write("\r\n".join(rows).encode("cp932"))' "$T_TMP/h.csv" "$T_TMP/h-in.csv"

# ---------- Japanese ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "ja: login" "ユーザー名"
login clerk
t_wait "ja: dashboard" "ダッシュボード"
t_wait "ja: the filings row" "保険の届出 未提出 2   うち期限切れ 0   (f)"
tmx_keys f
t_wait "ja: the checklist" "保険の届出の期限"
t_contains "ja: a filing due" "健保・厚年 資格取得届" "$(tmx_screen)"
t_contains "ja: its legal basis" "健康保険法施行規則24条" "$(tmx_screen)"
# The other program's file filled on the Export screen (F6): any shfd form, the fill file.
tmx_keys Escape; t_wait "ja: dashboard again" "ダッシュボード"
tmx_keys F6; t_wait "ja: F6" "届出書類の出力"
for _ in 1 2 3 4 5; do tmx_keys Right; done
t_wait "ja: the pension office's form" "< shfd2200700 "
for _ in 1 2 3 4 5 6; do tmx_keys Down; done
tmx_keys C-u; tmx_type "$T_TMP/h-in.csv"
tmx_keys Up; tmx_keys Up; tmx_keys C-u; tmx_type "$T_TMP/h-out.csv"
tmx_keys Enter
t_wait "ja: the fill checked" "日本年金機構 届書 SHFD0006.CSV"
t_contains "ja: one number to write" "1" "$(tmx_screen | grep '個人番号')"
tmx_keys F2; t_wait "ja: asks first" "1 行に個人番号を差し込み"
tmx_keys y
t_wait "ja: written" "持ち出し台帳の"
t_ok "ja: the filled file is mnvault's own, byte for byte" cmp "$T_TMP/h.csv" "$T_TMP/h-out.csv"
tmx_keys Escape; t_wait "ja: dashboard after the fill" "ダッシュボード"
t_wait "ja: the filed one left the count" "保険の届出 未提出 1   うち期限切れ 0   (f)"
# The last one written from the list itself: F6 opens the Export screen set for it. The
# check names the facts the 被扶養者（異動）届 still needs, with the rules' reasons.
tmx_keys f; t_wait "ja: the list again" "保険の届出の期限"
tmx_keys F6; t_wait "ja: F6 first" "届出書類の出力"
tmx_keys Enter; t_wait "ja: the check names a rule's reason" "(該当のときは配偶者の同居・別居の別が必要)"
tmx_keys Escape; t_wait "ja: back on the list" "保険の届出の期限"
m insurance set E000003 --dependent '試験 蓮' fuyo.living=同居 fuyo.income=0 > /dev/null ||
    t_fail "the spouse's facts"
tmx_keys F6; t_wait "ja: F6 on the list: the Export screen" "届出書類の出力"
t_contains "ja: set for that employee's events from that day" "の 2026-11-26 以降の事実" "$(tmx_screen)"
t_contains "ja: the file the pension office takes" "[SHFD0006.CSV" "$(tmx_screen)"
tmx_keys Down; tmx_keys Down; tmx_keys Down; tmx_keys Down
tmx_keys C-u; tmx_type "$T_TMP/f6.csv"
tmx_keys Enter; t_wait "ja: checked" "件数: 1 (2026-11-26 から 2026-12-31 までの事実)"
t_contains "ja: the spouse has no number: said" "配偶者 試験 蓮: 個人番号が登録されていません" "$(tmx_screen)"
tmx_keys F2; t_wait "ja: asks whether to leave it out" "y/n"
tmx_keys y; t_wait "ja: written from the list" "持ち出し台帳の"
t_ok "ja: the independent checker passes it" "$MNV_ROOT/tests/tools/shfd-check" "$T_TMP/f6.csv" --records=1
tmx_keys Escape; t_wait "ja: nothing due any more" "未提出の保険の届出はありません。"
tmx_keys F10; tmx_stop
t_done
