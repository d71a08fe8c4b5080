#!/usr/bin/env bash
# The role of a user and the organisation's time zone on the Users screen (F9), with the
# rules of `mnvault user role` and `user timezone`: an administrator makes the auditor a
# clerk (who then waits for a supervisor's approval), may not change their own role, sets
# a time zone (a name the system does not know is refused) and the command line reads it
# back; each change is in the audit log. English and Japanese, 80x24.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00 TZ=Asia/Tokyo HOME=$T_TMP
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter; t_wait "$1: dashboard" "$2"; }

tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login admin Dashboard
tmx_keys F9; t_wait "menu" "Users"
tmx_keys 1; t_wait "users" "4 users"
t_contains "the keys say o and z" "o role z zone" "$(tmx_screen)"
tmx_keys o
t_wait "own role: the dialog" "The role of admin"
tmx_keys Left Enter
t_wait "own role: refused" "!"
tmx_keys Escape
tmx_keys Down o; t_wait "the auditor's role" "The role of auditor"
t_clock_golden "role dialog (en)" "$screens/admin-role-en.txt"
tmx_keys Left Left Enter
t_wait "the auditor is a clerk now, waiting" "auditor is now clerk, waiting for a supervisor's approval."
t_contains "the list says it" "waits for approval" "$(tmx_screen | grep '^.auditor')"
tmx_keys z; t_wait "the zone dialog" "The organisation's time zone"
t_contains "the zone now" "Asia/Tokyo" "$(tmx_screen)"
tmx_keys C-u; tmx_type "Mars/Olympus"; tmx_keys Enter
t_wait "an unknown zone is refused" "not one of the allowed values"
tmx_keys C-u; tmx_type "Asia/Seoul"; tmx_keys Enter
t_wait "zone set" "The organisation's time zone is Asia/Seoul."
tmx_keys F10; tmx_stop
t_contains "the command line reads the zone" "Asia/Seoul" "$(as admin user timezone 2>&1)"
t_contains "and the role" "auditor" "$(as admin user list 2>&1 | grep '^auditor .*clerk')"
out=$(as supervisor audit list --action user.role 2>&1)
t_contains "audit: the role change" "auditor" "$out"
out=$(as supervisor audit list --action setting.change 2>&1)
t_contains "audit: the zone" "organisation" "$out"

tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login admin ダッシュボード
tmx_keys F9; t_wait "menu (ja)" "利用者"
tmx_keys 1; t_wait "users (ja)" "4 人"
tmx_keys z; t_wait "the zone dialog (ja)" "Asia/Seoul"
t_clock_golden "zone dialog (ja)" "$screens/admin-zone-ja.txt"
tmx_keys Escape F10; tmx_stop
t_done
