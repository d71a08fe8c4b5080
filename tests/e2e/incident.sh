#!/usr/bin/env bash
# The incident task as a supervisor and a clerk do it: the supervisor finds a backup lost
# (F9, Backups, i on it), records it, reads what it held and that it need not be reported
# (encrypted), then writes the report from F9, Incidents (w); a clerk records a tax copy
# of the custody register that was posted where anyone could read it (i on the register)
# and sees that it must be reported and by when; an auditor reads the list but may not
# record. English and Japanese, 80x24 and 120x40, NO_COLOR; goldens in
# tests/e2e/screens/incident-*; no number on any screen or in the report.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"
. "$MNV_ROOT/tests/lib/pdf.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00 TZ=Asia/Tokyo HOME=$T_TMP
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 3 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }
mkdir -p "$T_TMP/usb"
as supervisor backup "$T_TMP/usb/vault.mnvbak" > "$T_TMP/b.out" 2>&1 || t_bail "backup: $(cat "$T_TMP/b.out")"
as clerk export gensen --year 2025 --copy tax --out "$T_TMP/tax.pdf" --skip-missing > "$T_TMP/x.out" 2>&1 \
    || t_bail "export: $(cat "$T_TMP/x.out")"
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
golden() {
    tmx_settled "$T_TMP/g.raw" "$screens/$2" tmx_mask_clock
    sed -e "s|$T_TMP|TMP|g" "$T_TMP/g.raw" > "$T_TMP/g.txt"
    t_golden "$1" "$screens/$2" "$T_TMP/g.txt"
    t_eq "$1: no number" "" "$(valid_numbers_in "$T_TMP/g.txt")"
}
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; t_wait "$1: dashboard" "$2"; }

# ---------- the supervisor: a lost backup (English, 80x24, NO_COLOR) ----------
NO_COLOR=1 tmx_start 80 24 C.UTF-8 env NO_COLOR=1 "${app[@]}"
t_wait "login" "User name"
login supervisor Dashboard
tmx_keys F9; t_wait "the menu" "Incidents"
golden "menu with incidents (en)" incident-menu-en.txt
tmx_type 3; t_wait "backups" "1 in the register"
t_contains "backups: i offered" "i: lost or leaked" "$(tmx_screen)"
tmx_keys i; t_wait "the dialog" "Record a lost or leaked file"
golden "record dialog, from the backup (en)" incident-new-en.txt
tmx_keys Tab Tab Tab Tab Tab Tab Tab Tab Tab; tmx_type "USB stick lost on the train"; tmx_keys Enter
t_wait "recorded: the report" "Incident 1: lost"
golden "what the lost backup held (en)" incident-report-en.txt
t_contains "not to be reported: encrypted" "Not required" "$(tmx_screen)"
tmx_keys Escape; t_wait "back on backups" "1 in the register"
tmx_keys Escape; tmx_keys F9; t_wait "menu" "Incidents"
tmx_type 8; t_wait "incidents" "1 recorded"
golden "incidents list (en)" incident-list-en.txt
tmx_keys w; t_wait "write dialog" "Write the incident report"
tmx_keys Enter; t_wait "written" "is written to"
t_eq "the report file, mode 0600" 600 "$(stat -c %a "$T_TMP/mnvault-incident-1.pdf")"
t_contains "the report's text" "Backup of the vault" "$(pdf_text "$T_TMP/mnvault-incident-1.pdf")"
t_eq "no number in the report" 0 "$(pdf_number_count "$T_TMP/mnvault-incident-1.pdf")"
tmx_keys F1; t_wait "help" "write the incident's report"
tmx_keys Escape
tmx_keys F10; tmx_stop

# ---------- the clerk: a copy left readable by anyone (Japanese, 80x24) ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login clerk ダッシュボード
# i on the custody register (F6, F4) opens the dialog for the selected copy
tmx_keys F6; t_wait "export screen (ja)" "F4"
tmx_keys F4; t_wait "custody register (ja)" "i: 紛失・漏えい"
tmx_keys i; t_wait "i: the dialog for the copy (ja)" "漏えい・紛失したファイルの記録"
t_contains "i: the copy's entry" "[1 " "$(tmx_screen | grep '台帳の番号')"
tmx_keys Escape Escape Escape
tmx_keys F9; t_wait "menu (ja)" "漏えい"
golden "menu of a clerk with incidents (ja)" incident-menu-clerk-ja.txt
tmx_type 3; t_wait "incidents (ja)" "1 件記録"
tmx_keys n; t_wait "dialog (ja)" "漏えい・紛失したファイルの記録"
# export copy (the first choice), entry 1, readable by anyone (the fifth event), the day it
# happened, used against the Act (the finer flags of `incident new` on the screen too), a note
tmx_keys Tab; tmx_type 1; tmx_keys Tab Right Right Right Right Tab Tab
tmx_type 2026-12-05
tmx_keys Tab Tab Tab Right Tab Tab
tmx_type "共有フォルダーに置かれていた"
golden "record dialog, an export copy made public (ja)" incident-new-ja.txt
tmx_keys Enter; t_wait "happened after it became known: refused (ja)" "未来の日付"
cy=$(tmx display-message -p -t t '#{cursor_y}')
t_contains "the cursor is back on the day it happened (ja)" "発生日" "$(tmx capture-pane -p -t t | sed -n "$((cy + 1))p")"
t_lacks "nothing recorded yet (ja)" "事案 2" "$(tmx_screen)"
tmx_keys BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace BSpace
tmx_type 2026-11-28
tmx_keys Enter; t_wait "recorded (ja)" "事案 2"
t_contains "the day it happened (ja)" "発生日 2026-11-28" "$(tmx_screen)"
t_contains "against the Act (ja)" "番号法に反する利用・提供" "$(tmx_screen)"
t_contains "must be reported (ja)" "報告が必要です" "$(tmx_screen)"
t_contains "the deadlines (ja)" "2026-12-06 まで" "$(tmx_screen)"
golden "the report: must be reported (ja)" incident-report-ja.txt
tmx_keys Escape; t_wait "the list again (ja)" "2 件記録"
golden "incidents list (ja)" incident-list-ja.txt
tmx_keys F10; tmx_stop

# ---------- the auditor reads, 120x40 ----------
tmx_start 120 40 C.UTF-8 "${app[@]}"
t_wait "login (auditor)" "User name"
login auditor Dashboard
tmx_keys F9; t_wait "auditor menu" "Incidents"
tmx_type 7; t_wait "incidents (auditor)" "2 recorded"
golden "incidents list, auditor, 120x40" incident-list-auditor-120.txt
t_lacks "auditor: no n" "n: record" "$(tmx_screen)"
tmx_keys n
t_lacks "auditor: n does nothing" "Record a lost or leaked file" "$(tmx_screen)"
tmx_keys F10; tmx_stop
out=$(as auditor audit list --action incident.)
shown=$(as auditor incident show 2)
t_contains "CLI shows what the screen recorded: happened" "2026-11-28" "$shown"
t_contains "CLI shows what the screen recorded: against the Act" "against the My Number Act" "$shown"
t_eq "audit: 2 recorded, 1 report written" "2 1" "$(printf '%s\n' "$out" | grep -c ' incident recorded ') $(printf '%s\n' "$out" | grep -c ' incident report written ')"
t_done
