#!/usr/bin/env bash
# The terminal application driven through tmux as a clerk would: login, dashboard, filter,
# open a record, edit and save, reveal and watch it mask itself, lock, help, resize, quit,
# in English and Japanese; wrong passwords and the lockout.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 60 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
printf '[session]\nreveal_seconds = 5\n' > "$T_TMP/mnvault.ini"
screens=$MNV_ROOT/tests/e2e/screens
app=("$MNV_TEST" --data-dir "$dir" --config "$T_TMP/mnvault.ini")

# The title line carries the time and the auto-lock countdown: make it stable for goldens.
golden() {
    # The vault's folder differs from run to run (and is centred): one fixed line for it.
    tmx_screen | sed -E -e '1s/│ [0-9]{2}:[0-9]{2}( │ .*)?$/│ HH:MM/' -e "s|^ *$dir\$|    <vault>|" > "$T_TMP/g.txt"
    t_golden "$1" "$screens/$2" "$T_TMP/g.txt"
}
no_numbers() { # NAME: no valid My Number on the screen or in the pane's history
    tmx_history > "$T_TMP/hist.txt"; tmx_screen >> "$T_TMP/hist.txt"
    local found; found=$(valid_numbers_in "$T_TMP/hist.txt")
    t_eq "$1" "" "$found"
}
login() { # USER
    tmx_type "$1"; tmx_keys Tab; tmx_type "$PW"; tmx_keys Enter
}

# ---------- English, 80x24 ----------
tmx_start 80 24 C.UTF-8 "${app[@]}"
t_wait "login screen" "User name"
golden "login screen (en)" login-en.txt
tmx_type clerk; tmx_keys Tab; tmx_type "not the password at all"; tmx_keys Enter
t_wait "wrong password: its own message with attempts left" "4 more failures lock"
t_contains "wrong password: says what was wrong" "The user name or password is wrong." "$(tmx_screen)"
tmx_keys BTab; tmx_keys C-u; login clerk
t_wait "login: dashboard" "Dashboard"
golden "dashboard (en)" dashboard-en.txt
tmx_keys Enter
t_wait "employee list" "Employees (current"
golden "employee list (en)" list-en.txt
tmx_type "ﾚﾝｼｭｳ"
t_wait "filter by half-width kana" "Filter: ﾚﾝｼｭｳ_"
scr=$(tmx_screen)
t_lacks "filter: other names are gone" "カメイ" "$scr"
t_contains "filter: matching names stay" "レンシュウ" "$scr"
golden "filtered list (en)" list-filter-en.txt
tmx_keys Escape; t_wait_gone "filter: Esc clears it" "Filter: ﾚﾝｼｭｳ"
tmx_type "練習"; t_wait "filter by kanji" "Filter: 練習_"
tmx_keys Enter; tmx_keys Enter
t_wait "detail: opened" "Purposes notified"
golden "employee detail (en)" detail-en.txt
# Edit and save the address.
tmx_keys F4; t_wait "edit form" "F2: save"
for _ in 1 2 3 4 5 6; do tmx_keys Tab; done
tmx_keys C-u; tmx_type "東京都千代田区丸の内9-9-9"
tmx_keys F2
t_wait "edit: saved with the field named in words" "Saved (Address)."
t_wait "detail: new address shown" "丸の内9-9-9"
# Bad input in the form: a clear reason next to the field, nothing saved.
tmx_keys F4; t_wait "edit form again" "F2: save"
for _ in 1 2 3 4 5; do tmx_keys Tab; done
tmx_keys C-u; tmx_type "12-34"; tmx_keys Tab
t_wait "edit: postal code refused with its reason" "a postal code has 7 digits"
tmx_keys Escape; t_wait "edit: Esc with changes asks" "Discard the changes?"
tmx_keys y; t_wait "back on the detail" "Purposes notified"
# Reveal: purpose, reason, the number shows, then masks itself.
tmx_keys F5; t_wait "reveal: purposes offered" "Purpose (only those notified"
tmx_type "年末調整の確認"; tmx_keys Enter
t_wait "reveal: countdown shown" " s left"
tmx_screen > "$T_TMP/rev.txt"
t_eq "reveal: exactly one valid number on screen" 1 "$(valid_numbers_in "$T_TMP/rev.txt" | wc -l)"
t_wait_gone "reveal: masks itself after reveal_seconds" " s left" 10
no_numbers "reveal: nothing left after masking"
# Reveal again, then lock: the number goes at once, nothing in the scrollback.
tmx_keys F5; t_wait "reveal again" "Purpose (only those notified"
tmx_type "確認"; tmx_keys Enter; t_wait "revealed again" " s left"
# Ctrl-L redraws (as in every terminal program) and keeps the number on screen; F12 locks.
tmx_keys C-l; sleep 0.3
t_contains "Ctrl-L: redrawn, not locked" " s left" "$(tmx_screen)"
tmx_keys F12
t_wait "lock screen" "Locked — clerk"
no_numbers "lock: no number on screen or in history"
scr=$(tmx_screen)
t_lacks "lock: no personal data on the lock screen" "練習" "$scr"
tmx_type "wrong password here"; tmx_keys Enter
t_wait "unlock: wrong password refused" "The password is wrong."
tmx_type "$PW"; tmx_keys Enter
t_wait "unlock: back on the detail" "Purposes notified"
t_contains "unlock: number masked after unlock" "**** **** ****" "$(tmx_screen)"
# Help lists the keys of the screen.
tmx_keys F1; t_wait "help: keys of this screen" "Keys of this screen"
scr=$(tmx_screen)
t_contains "help: F5 described" "reveal the My Number for a stated purpose" "$scr"
t_contains "help: lock key described" "lock the screen now" "$scr"
t_contains "help: F12 is the lock key" "F12" "$scr"
t_contains "help: Ctrl-L redraws" "draw the whole screen again" "$scr"
tmx_keys Escape; t_wait "help: Esc back" "Purposes notified"
# Resize: larger, too small, back.
tmx_keys Escape; t_wait "back to the list" "Employees (current"
tmx_keys Escape; t_wait_gone "the list's Esc clears the filter kept from before" "Filter:"
tmx_resize 120 40; t_wait "resize: 120x40 redrawn" "Employees (current"
t_ok "resize: rows fill the taller window" bash -c "[ \$(tmux -S '$_tmx_sock' capture-pane -p -t t | grep -c 'registered\|missing\|refused') -gt 20 ]"
tmx_resize 70 20; t_wait "resize: too small says so" "Please make the terminal at least 80x24 (now 70x20)."
tmx_resize 80 24; t_wait "resize: back to 80x24" "Employees (current"
# Idle lock is tested below with a short test-build timeout. Quit:
tmx_keys F10
t_wait "quit: program ended" "__EXIT=0"
no_numbers "quit: no number left in the terminal"
t_lacks "quit: no personal data left in the terminal" "練習" "$(tmx_history)"
tmx_stop

# ---------- Japanese, 80x24 ----------
tmx_start 80 24 ja_JP.UTF-8 "${app[@]}" --user supervisor
t_wait "ja: login screen" "パスワード"
golden "login screen (ja)" login-ja.txt
tmx_type "$PW"; tmx_keys Enter
t_wait "ja: dashboard" "ダッシュボード"
golden "dashboard (ja)" dashboard-ja.txt
tmx_keys Enter; t_wait "ja: employee list" "従業員"
tmx_type "しけん"
t_wait "ja: hiragana filter" "絞込: しけん_"
golden "filtered list (ja)" list-filter-ja.txt
tmx_keys Enter; tmx_keys Enter; t_wait "ja: detail" "利用目的"
golden "employee detail (ja)" detail-ja.txt
tmx_keys q; t_wait "ja: quit with q" "__EXIT=0"
tmx_stop

# ---------- Colours: used by default, none under NO_COLOR ----------
colours() { tmx_screen_color | grep -cE $'\e\\[([0-9;]*;)?(3[0-7]|4[0-7]|38;5|48;5)(;[0-9;]*)?m'; }
tmx_start 80 24 C.UTF-8 "${app[@]}" --user clerk
t_wait "colour: login" "Password"
t_ok "colour: the title bar is coloured by default" test "$(colours)" -gt 0
tmx_keys F10; tmx_stop
tmx_start 80 24 C.UTF-8 env NO_COLOR=1 "${app[@]}" --user clerk
t_wait "NO_COLOR: login" "Password"
t_eq "NO_COLOR: no colour at all" 0 "$(colours)"
t_contains "NO_COLOR: the title bar is still set apart (reverse video)" $'\e[7m' "$(tmx_screen_color)"
tmx_keys F10; tmx_stop

# ---------- Idle lock (test build: 2 seconds) ----------
MNVAULT_TEST_IDLE_LOCK=2 tmx_start 80 24 C.UTF-8 "${app[@]}" --user clerk
t_wait "idle: login" "Password"
tmx_type "$PW"; tmx_keys Enter; t_wait "idle: dashboard" "Dashboard"
t_wait "idle: locks by itself" "Locked — clerk" 8
tmx_keys F10; t_wait "idle: quit from the lock screen" "__EXIT=0"
tmx_stop

# ---------- Lockout: five failures lock, and a restart does not reset it ----------
tmx_start 80 24 C.UTF-8 "${app[@]}" --user auditor
t_wait "lockout: login screen" "Password"
for i in 1 2 3 4; do tmx_type "wrong password $i"; tmx_keys Enter; t_wait "lockout: failure $i counted" "$((5 - i)) more failure"; done
tmx_type "wrong password 5"; tmx_keys Enter
t_wait "lockout: fifth failure locks, with the time left" "Try again in 1"
t_contains "lockout: says the account is locked" "This account is locked after too many failed attempts." "$(tmx_screen)"
tmx_type "$PW"; tmx_keys Enter
t_wait "lockout: even the right password is refused" "This account is locked"
tmx_keys F10; t_wait "lockout: quit" "__EXIT=0"
tmx_stop
tmx_start 80 24 C.UTF-8 "${app[@]}" --user auditor
t_wait "lockout: restarted" "Password"
tmx_type "$PW"; tmx_keys Enter
t_wait "lockout: still locked after a restart" "This account is locked"
tmx_keys F10; tmx_stop

# The reveal and the failed logins are in the audit log (read by the auditor's CLI export
# after the lock expires: the test clock moves 20 minutes on).
printf '%s\n' "$PW" | MNVAULT_TEST_NOW=2026-11-27T02:10:00 "$MNV_TEST" audit export --format csv \
    --data-dir "$dir" --user supervisor --password-fd 0 > "$T_TMP/audit.csv" 2>&1
t_contains "audit: the reveal was recorded" "reveal" "$(cat "$T_TMP/audit.csv")"
t_contains "audit: the lock was recorded" "lock" "$(cat "$T_TMP/audit.csv")"
# The clerk quit from the idle lock screen: the locked session had no key for the audit log,
# so the logout was queued in the key file and written at this sign-in.
t_ok "audit: quitting from the lock screen is the clerk's logout" \
    grep -qE 'logout.*clerk.*from_lock_screen|clerk.*logout.*from_lock_screen' "$T_TMP/audit.csv"
found=$(valid_numbers_in "$T_TMP/audit.csv")
t_eq "audit: no number in the export" "" "$found"
t_done
