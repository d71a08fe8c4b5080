#!/usr/bin/env bash
# The audit log screen (F8) and the monthly review as each role meets them: the clerk has
# no F8 and no reminder; an auditor reads the log, filters it (a person with a dependant,
# an action), opens a reveal's purpose and reason, verifies the chain and exports the
# filtered entries to a private CSV file; the administrator reads but cannot export; in
# January the dashboard reminds that December is not signed, an auditor cannot sign, a
# supervisor reads December's report and signs it, and the reminder goes. English and
# Japanese, 80x24 and 120x40; goldens in tests/e2e/screens/audit-*. No number on screen.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00 TZ=Asia/Tokyo HOME=$T_TMP
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
cat > "$T_TMP/people.csv" <<'CSV'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
A0001,見本 一郎,ミホン イチロウ,1970-06-15,M,1990-04-01,,,0944 8224 6340,self,in_person,,mynumber_card,人事 花子,2016-01-06,tax_withholding,
A0001,,ミホン ハナコ,1972-08-08,F,,見本 花子,配偶者,382642468278,employee_declared,in_person,,,人事 花子,2016-01-06,tax_withholding,
A0002,試験 二美,シケン フタミ,1980-01-20,F,2001-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,2016-01-04,tax_withholding,
CSV
printf '%s\n' "$PW" | "$MNV_TEST" import --data-dir "$dir" --user clerk --password-fd 0 \
    "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
reveal() { printf '%s\n' "$PW" | "$MNV_TOOLS/vaulttool" reveal "$dir" "$1" "$2" "$3" "$4" >/dev/null; }
reveal clerk employee:1 tax_withholding "年末調整の確認" || t_bail "reveal 1"
reveal clerk dependent:1 tax_withholding "扶養控除の確認" || t_bail "reveal dependant"
reveal supervisor employee:2 tax_withholding "check" || t_bail "reveal 2"
printf '%s\n' "$PW" | "$MNV_TEST" audit checkpoint --data-dir "$dir" --user auditor --password-fd 0 \
    --output "$T_TMP/checkpoint" > /dev/null || t_bail "checkpoint"
cpseq=$(sed -n 's/^seq //p' "$T_TMP/checkpoint")
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
golden() {
    tmx_screen | sed -E -e '1s/│ [0-9]{2}:[0-9]{2}( │ .*)?$/│ HH:MM/' \
        -e 's/(Hash|ハッシュ) [0-9a-f]{32}/\1 (hash)/' > "$T_TMP/g.txt"
    t_golden "$1" "$screens/$2" "$T_TMP/g.txt"
    t_eq "$1: no number" "" "$(valid_numbers_in "$T_TMP/g.txt")"
}
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; }

# ---------- the clerk: no audit log, no reminder ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login clerk
t_wait "clerk: dashboard" "Dashboard"
t_lacks "clerk: no monthly review line" "Monthly review" "$(tmx_screen)"
tmx_keys F8
sleep 0.3
t_lacks "clerk: F8 opens nothing" "Audit log ─" "$(tmx_screen)"
tmx_keys q; tmx_stop

# ---------- an auditor reads, filters, opens, verifies and exports (English) ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login auditor
t_wait "auditor: dashboard" "Dashboard"
tmx_keys F8
t_wait "F8: the audit log" "Chain: never verified"
t_wait "F8: the seals" "Seals: entries 1–"
t_wait "F8: the last checkpoint" "Checkpoint: entry $cpseq, taken 2026-12-01 10:00 by auditor"
golden "audit log (en, 80x24)" audit-list-en.txt
tmx_keys f
t_wait "the filter dialog" "Filter the audit log"
tmx_keys Tab; tmx_type "reveal"; tmx_keys Tab; tmx_type "A0001"
golden "filter dialog (en)" audit-filter-en.txt
tmx_keys Enter
t_wait "filtered" "Filter: user *  action reveal  employee A0001"
t_wait "the dependant's reveal" "A0001 depend"
t_eq "two reveals of A0001's household" 2 "$(tmx_screen | grep -c 'number revealed')"
tmx_keys Down Enter
t_wait "the entry's details" "Audit entry"
t_wait "the purpose in words" "Withholding slips (tax_withholding)"
t_wait "the reason" "年末調整の確認"
golden "an entry (en)" audit-entry-en.txt
tmx_keys Escape
tmx_keys f; t_wait "filter again" "Filter the audit log"
tmx_keys Tab Tab; tmx_type "Z9999"; tmx_keys Enter
t_wait "an unknown employee: said in the dialog" "no such employee or dependent"
tmx_keys Escape
tmx_keys v
t_wait "verified" "The audit log is intact"
t_wait "the state shown" "Chain: verified 2026-12-01 10:00, intact"
t_contains "the seals still fit after verifying" "sealed; never checked with the seal key" "$(tmx_screen)"
tmx_keys x
t_wait "the export dialog" "Export the audit log"
t_contains "export: a file named by the day" "mnvault-audit-2026-12-01.csv" "$(tmx_screen)"
tmx_keys Enter
t_wait "exported" "2 entries written to"
t_eq "export: mode 0600" 600 "$(stat -c %a "$T_TMP/mnvault-audit-2026-12-01.csv" 2>/dev/null)"
t_eq "export: header and two rows" 3 "$(wc -l < "$T_TMP/mnvault-audit-2026-12-01.csv")"
t_contains "export: the filter's export entry on the list" "audit log exported" "$(tmx_keys c; sleep 0.3; tmx_screen)"
tmx_keys g
t_wait "the handling register dialog" "Handling register"
t_contains "register: a PDF named by the day" "mnvault-register-2026-12-01.pdf" "$(tmx_screen)"
tmx_keys Enter
t_wait "register written" "The handling register (1 files) is written"
t_eq "register: mode 0600" 600 "$(stat -c %a "$T_TMP/mnvault-register-2026-12-01.pdf" 2>/dev/null)"
tmx_keys q; tmx_stop

# ---------- Japanese, and a larger terminal ----------
tmx_start 120 40 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login supervisor
t_wait "dashboard (ja)" "ダッシュボード"
tmx_keys F8
t_wait "F8 (ja)" "連鎖: "
t_wait "(ja) the seals" "封印: 記録 1〜"
t_wait "(ja) the checkpoint" "チェックポイント: 記録 $cpseq"
t_wait "(ja) the reveals" "個人番号の表示"
golden "audit log (ja, 120x40)" audit-list-ja-120.txt
tmx_keys q; tmx_stop
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja 80x24)" "ユーザー名"
login supervisor
t_wait "dashboard (ja 80x24)" "ダッシュボード"
tmx_keys F8
t_wait "F8 (ja 80x24)" "連鎖: "
golden "audit log (ja, 80x24)" audit-list-ja.txt
tmx_keys q; tmx_stop

# ---------- the administrator reads but may not export ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login admin
t_wait "admin: dashboard" "Dashboard"
tmx_keys F8
t_wait "admin: the audit log" "Chain: "
tmx_keys x
sleep 0.3
t_lacks "admin: no export" "Export the audit log" "$(tmx_screen)"
tmx_keys q; tmx_stop

# ---------- January: December is due for review ----------
export MNVAULT_TEST_NOW=2027-01-05T01:00:00
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login auditor
t_wait "auditor: dashboard in January" "Dashboard"
t_wait "the reminder" "2026-12 is not signed   (F8, then r)"
tmx_keys F8; t_wait "audit log" "Chain: "
tmx_keys r
t_wait "the review of December" "Monthly review 2026-12"
t_wait "its reveals" "Numbers revealed, per user and purpose: 3"
tmx_keys s
sleep 0.3
t_lacks "an auditor cannot sign" "Sign the review" "$(tmx_screen)"
tmx_keys q; tmx_stop

tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login supervisor
t_wait "supervisor: the reminder" "2026-12 is not signed"
golden "dashboard with the reminder (en)" audit-dashboard-reminder-en.txt
tmx_keys F8; t_wait "audit log" "Chain: "
tmx_keys r
t_wait "the review" "NOT SIGNED"
golden "the monthly review (en)" audit-review-en.txt
tmx_keys Left
t_wait "the month before" "Monthly review 2026-11"
t_wait "before the vault: no entries" "no entries in this period"
tmx_keys Right Right
t_wait "January" "Monthly review 2027-01"
tmx_keys s
t_wait "January is not over: not signed" "this month is not over yet"
tmx_keys Left
t_wait "back to December" "Monthly review 2026-12"
tmx_keys s
t_wait "the sign dialog" "Sign the review of 2026-12"
tmx_type "年末の表示は源泉徴収票の準備"
golden "the sign dialog (en)" audit-sign-en.txt
tmx_keys Enter
t_wait "signed" "The review of 2026-12 is signed"
tmx_keys End
t_wait "the report says so" "Review: signed by supervisor"
tmx_keys Escape Escape
t_wait "the reminder is gone" "every month signed, the last 2026-12"
tmx_keys q; tmx_stop
out=$(printf '%s\n' "$PW" | "$MNV_TEST" review status --data-dir "$dir" --user auditor --password-fd 0)
t_eq "review status: December signed" "2026-12  signed by supervisor on 2027-01-05 10:00" "$out"
t_done
