#!/usr/bin/env bash
# The menu (F9) and the administration screens as each role meets them: a clerk reaches
# only the settings, their own authenticator app and password; an administrator adds a
# user (the one-time password shown once), sets an access window, resets, disables and
# enables, removes a TOTP; the new user chooses a password and the supervisor approves the
# account with the owner's code (a wrong code is refused) and opens a deletion proposal
# from the same queue; a supervisor takes and checks a backup; an auditor reads the
# register, checks the vault and reads the settings; the clerk enrols an authenticator app
# by scanning the QR code drawn on an 80x24 screen (read back with zbarimg) and typing its
# code. English and Japanese, 80x24 and 120x40; goldens in tests/e2e/screens/admin-*.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"
command -v zbarimg >/dev/null || t_bail "zbarimg (zbar-tools) is missing: run make deps"
command -v oathtool >/dev/null || t_bail "oathtool is missing: run make deps"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-12-01T01:00:00 TZ=Asia/Tokyo HOME=$T_TMP
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
cat > "$T_TMP/people.csv" <<'CSV'
employee_code,name,kana,birth_date,sex,hire_date,dependent_name,relation,my_number,route,channel,known_in_person,documents,verified_by,verified_on,purposes,notified_on
R0003,試験 三郎,シケン サブロウ,1931-03-03,M,1961-04-01,,,127023097206,self,in_person,,mynumber_card,人事 花子,1992-01-06,tax_withholding,
CSV
as() { local u=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" "$@" --data-dir "$dir" --user "$u" --password-fd 0; }
as clerk import "$T_TMP/people.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"
printf '%s\n' "$PW" | "$MNV_TOOLS/disposaltool" retire "$dir" clerk R0003 1993-03-31 || t_bail "retire"
as clerk dispose propose --all --note "年度末" > /dev/null 2>&1 || t_bail "propose"
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir")
# The folders of the vault and its backups depend on where the tests run: left out.
golden() {
    tmx_screen | sed -E -e '1s/│ [0-9]{2}:[0-9]{2}( │ .*)?$/│ HH:MM/' \
        -e 's/[a-z0-9]{4}(-[a-z0-9]{4}){5}/xxxx-xxxx-xxxx-xxxx-xxxx-xxxx/' \
        -e '/vault folder in use/d' -e '/\/vault\/backups\//d' -e '/mnvault-2026[0-9T]*Z/d' \
        -e 's/BLAKE2b-256 [0-9a-f]{64}/BLAKE2b-256 (hash)/' -e 's/ [0-9]+ KiB / N KiB /' > "$T_TMP/g.txt"
    t_golden "$1" "$screens/$2" "$T_TMP/g.txt"
    t_eq "$1: no number" "" "$(valid_numbers_in "$T_TMP/g.txt")"
}
login() { tmx_type "$1"; tmx_keys Tab; tmx_type "${2:-$PW}"; tmx_keys Enter; }
# joined: the screen as one line (a long folder wraps at any place)
joined() { tmx_screen | sed -E 's/^ +//' | tr -d '\n'; }
menu() { tmx_keys F9; t_wait "$1: F9 opens the menu" "${2:-Menu ─}"; }

# ---------- the clerk: only their own things ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login clerk
t_wait "clerk: dashboard" "Dashboard"
t_contains "a demo vault: the mark on the title bar" "│ DEMO │" "$(tmx_screen | head -n 1)"
tmx_keys F12
t_wait "locked" "Locked — clerk"
t_contains "... the lock screen says DEMO too" "DEMO" "$(tmx_screen)"
tmx_type "$PW"; tmx_keys Enter
t_wait "unlocked" "Dashboard"
menu clerk
t_contains "the menu too" "│ DEMO │" "$(tmx_screen | head -n 1)"
golden "menu of a clerk (en)" admin-menu-clerk-en.txt
for e in Users Approvals Backups "Check the vault" "Audit log"; do
    t_lacks "clerk: no $e" "$e" "$(tmx_screen | sed -n '3,20p')"
done
tmx_keys 1
t_wait "clerk: the settings" "Settings in effect"
t_contains "settings: the vault folder (its start at least)" "${dir:0:30}" "$(tmx_screen | grep "vault folder in use")"
t_lacks "clerk: the sealing is not theirs to read" "audit log sealing" "$(tmx_screen)"
tmx_keys Escape
# the authenticator app: the QR code drawn on 80x24 is read back and its code typed
tmx_keys 2
t_wait "clerk: the authenticator app" "Authenticator app ─"
tmx capture-pane -p -t t > "$T_TMP/totp.txt"
python3 - "$T_TMP/totp.txt" > "$T_TMP/qr.txt" <<'PY'
import sys
rows = [l for l in open(sys.argv[1], encoding='utf-8').read().split('\n') if l.startswith(' █')]
n = len(rows[0]) - len(rows[0][1:].lstrip('█')) - 1
for l in rows:
    print(l[1:1 + n])
PY
t_eq "the QR code fits 80x24 (19 lines)" 19 "$(wc -l < "$T_TMP/qr.txt")"
"$MNV_TOOLS/qr2pbm" --screen 6 < "$T_TMP/qr.txt" > "$T_TMP/qr.pbm" 2>/dev/null
uri=$(zbarimg --raw -q "$T_TMP/qr.pbm" 2>/dev/null)
t_contains "the code is an otpauth URI for the clerk" "otpauth://totp/mnvault:clerk?secret=" "$uri"
secret=$(printf '%s' "$uri" | sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p')
shown=$(tmx_screen | grep -oE '[A-Z2-7]{4}( [A-Z2-7]{4}){3}' | tr -d ' ' | tr -d '\n')
t_eq "the secret typed out is the one in the code" "$secret" "$shown"
tmx_type "000000"; tmx_keys Enter
t_wait "a wrong code is refused" "the confirmation code is wrong"
tmx_type "$(oathtool --totp -b "$secret" --now "2026-12-01 01:00:00 UTC")"; tmx_keys Enter
t_wait "enrolled" "The authenticator app is set up"
tmx_keys q; tmx_stop
t_contains "user list: the clerk has TOTP" "yes" "$(as admin user list | grep '^clerk ')"

# ---------- the administrator manages users (English 80x24) ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login admin
t_wait "admin: dashboard" "Dashboard"
menu admin
golden "menu of an administrator (en)" admin-menu-admin-en.txt
t_lacks "admin: no approvals" "Approvals" "$(tmx_screen)"
tmx_keys 1
t_wait "admin: the users" "Users ─"
golden "users (en)" admin-users-en.txt
tmx_keys F2
t_wait "the add dialog" "Add a user"
tmx_type "tanaka"; tmx_keys Tab Right Tab; tmx_type "田中 花子"; tmx_keys Tab
t_wait "typed" "[田中 花子"
t_wait "the role chosen" "< supervisor >"
golden "add a user (en)" admin-add-en.txt
tmx_keys Tab; tmx_type "x"; tmx_keys Enter
t_wait "a bad window is named" "an access window is days like mon-fri"
tmx_keys BSpace; tmx_keys Enter
t_wait "the one-time password" "The one-time password of tanaka"
t_wait "... and the approval still to come" "A supervisor must then approve tanaka"
otp=$(tmx_screen | grep -oE '[a-z0-9]{4}(-[a-z0-9]{4}){5}' | head -n 1)
t_eq "an OTP of 6 groups" 29 "${#otp}"
golden "the one-time password (en)" admin-otp-en.txt
tmx_keys Escape
t_wait "tanaka on the list" "new; waits for approval"
tmx_keys End w
t_wait "the window dialog" "When tanaka may log in"
tmx_keys C-u; tmx_type "mon-fri"; tmx_keys Tab C-u; tmx_type "08:00-20:00"; tmx_keys Enter
t_wait "the window set" "The access window of tanaka is set."
t_wait "... and shown" "mon-fri 08:00-20:00"
tmx_keys Up Up; tmx_keys t
t_wait "remove the clerk's TOTP? (asks)" "Remove the authenticator app of"
tmx_keys y
t_wait "the clerk's TOTP removed" "The authenticator app of clerk is removed"
tmx_keys q; tmx_stop
t_contains "user list: tanaka's window" "mon-fri 08:00-20:00" "$(as admin user list | grep '^tanaka ')"

# ---------- tanaka chooses a password; the supervisor approves (Japanese 80x24) ----------
NEWPW="a quiet river by the old mill"
out=$(printf '%s\n%s\n%s\n' "$otp" "$NEWPW" "$NEWPW" | "$MNV_TEST" user passwd --data-dir "$dir" \
    --user tanaka --password-fd 0 2>&1)
code=$(printf '%s\n' "$out" | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){3}' | tail -n 1)
t_eq "tanaka was shown an approval code" 19 "${#code}"
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login supervisor
t_wait "supervisor: dashboard (ja)" "ダッシュボード"
t_contains "(ja) the mark on the title bar" "│ 見本 │" "$(tmx_screen | head -n 1)"
menu supervisor "メニュー ─"
golden "menu of a supervisor (ja)" admin-menu-supervisor-ja.txt
tmx_keys 2
t_wait "approvals (ja)" "承認待ち ─"
t_wait "tanaka waits" "パスワード設定済み"
t_wait "the proposal waits" "clerk が提案: 従業員 1 名の個人番号 1 件"
golden "approvals (ja)" admin-approvals-ja.txt
tmx_keys a
t_wait "the approve dialog (ja)" "tanaka の承認"
tmx_type "0000-0000-0000-0000"; tmx_keys Enter
t_wait "a wrong code is refused (ja)" "!"
tmx_keys C-u; tmx_type "$code"; tmx_keys Enter
t_wait "approved (ja)" "tanaka は個人番号を扱えるようになりました。"
t_wait "the account left the queue" "番号の鍵を待っているアカウント"
tmx_keys Enter
t_wait "Enter opens the proposal" "1"
tmx_keys q; tmx_stop
t_contains "user list: tanaka active" "active" "$(as admin user list | grep '^tanaka ')"

# ---------- backups: the supervisor takes and checks one (English 120x40) ----------
tmx_start 120 40 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login supervisor
t_wait "dashboard" "Dashboard"
menu supervisor
tmx_keys 3
t_wait "backups" "Backups ─"
t_wait "none yet" "No backup has been written yet."
tmx_keys b
t_wait "asks first" "Write a backup of the vault into the backup folder now?"
tmx_keys y
t_wait "written" "Backup written and checked"
t_wait "on the register" "kept (managed)"
golden "backups (en, 120x40)" admin-backups-en-120.txt
tmx_keys v
t_wait "the check dialog" "Check a backup file"
tmx_keys Enter
t_wait "checked" "The register knows it as backup #1"
t_contains "... an intact backup of this vault" "an intact backup of this vault" "$(tmx_screen | sed -E 's/^ +//' | tr '\n' ' ')"
tmx_keys q; tmx_stop

# ---------- the auditor: the register read-only, the check of the vault, the settings ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login" "User name"
login auditor
t_wait "dashboard" "Dashboard"
menu auditor
golden "menu of an auditor (en)" admin-menu-auditor-en.txt
tmx_keys 1
t_wait "auditor: the users, read only" "Read only: administrators manage users"
tmx_keys F2
sleep 0.3
t_lacks "auditor: no add dialog" "Add a user" "$(tmx_screen)"
tmx_keys Escape 2
t_wait "auditor: backups" "Backups ─"
tmx_keys b
sleep 0.3
t_lacks "auditor: cannot back up" "Write a backup" "$(tmx_screen)"
tmx_keys Escape 3
t_wait "auditor: the check of the vault" "The vault is intact."
t_contains "auditor: the numbers not checked without their key" "not checked: only a clerk or" "$(tmx_screen)"
golden "check of the vault (en)" admin-check-en.txt
tmx_keys Escape 5
t_wait "auditor: the settings" "Settings in effect"
golden "settings (en)" admin-settings-en.txt
tmx_keys NPage
t_wait "auditor: the sealing, further down" "sealed from entry 1"
tmx_keys q; tmx_stop

# ---------- Japanese at 80x24: the users screen of the administrator ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}"
t_wait "login (ja)" "ユーザー名"
login admin
t_wait "dashboard (ja)" "ダッシュボード"
menu admin "メニュー ─"
tmx_keys 1
t_wait "users (ja)" "利用者 ─"
golden "users (ja)" admin-users-ja.txt
tmx_keys F2
t_wait "add dialog (ja)" "利用者の追加"
golden "add a user (ja)" admin-add-ja.txt
tmx_keys q; tmx_stop
t_done
