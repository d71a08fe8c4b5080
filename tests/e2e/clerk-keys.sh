#!/usr/bin/env bash
# Keys a clerk expects (issue 16, items 12, 13, 17, 19): a dimmed function key says why it
# does nothing here; a character (a letter too: romaji finds the reading) starts the filter; codes sort
# as numbers (E2 before E10); ? is a character in a text field; the terminal cursor stays
# on the field being edited while the clock redraws (an input method opens its window
# there); a long text scrolls by whole characters and a field not being edited shows its
# start; the administrator's Enter says whose work the records are instead of opening an
# empty list. English and Japanese at 80x24.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 0 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
add() { # CODE NAME KANA
    printf '%s\n' "$PW" | "$MNV_TEST" employee add --code "$1" --name "$2" --kana "$3" \
        --birth-date 1990-02-02 --sex F --hire-date 2026-11-16 --data-dir "$dir" --user clerk \
        --password-fd 0 > "$T_TMP/add.out" 2>&1 || t_bail "add $1: $(cat "$T_TMP/add.out")"
}
add E10 "試験 十子" "シケン トオコ"
add E2 "試験 二子" "シケン フタコ"
add E1 "北海道 一子" "ホッカイドウ イチコ"
cursor() { tmx display-message -p -t t '#{cursor_x} #{cursor_y}'; }

tmx_start 80 24 C.UTF-8 "$MNV_TEST" --data-dir "$dir" --user clerk
t_wait "login" "Password"
tmx_type "$PW"; tmx_keys Enter
t_wait "dashboard" "Dashboard"
tmx_keys F4; t_wait "F4, dimmed, says why" "F4 edits a record: open the record first."
tmx_keys F8; t_wait "F8, dimmed, says why" "F8 opens the audit log from the dashboard (auditors and supervisors)."
tmx_keys F5; t_wait "F5, dimmed, says why, whole at 80 columns" "! F5 reveals a number for a notified purpose, from an employee's record."
tmx_keys Enter; t_wait "the list" "Employees (current 3"
t_eq "codes sort as numbers: E1, E2, E10" "E1 E2 E10" \
    "$(tmx_screen | grep -oE '^[> ] E[0-9]+' | awk '{print $NF}' | xargs)"
tmx_keys C-s; tmx_keys C-s; tmx_keys C-s # by reading, by hire date, back to the code
t_eq "...and again after sorting round" "E1 E2 E10" \
    "$(tmx_screen | grep -oE '^[> ] E[0-9]+' | awk '{print $NF}' | xargs)"
# Romaji finds the reading, whatever the spelling; s and r are letters of the filter here.
tmx_type "shiken"; t_wait "romaji: shiken typed into the filter" "Filter: shiken"
t_eq "...finds the two シケン" "E2 E10" "$(tmx_screen | grep -oE '^[> ] E[0-9]+' | awk '{print $NF}' | xargs)"
tmx_type "toh"; t_wait "romaji with a long vowel as oh: shikentoh" "Filter: shikentoh"
t_eq "...finds トオコ" "E10" "$(tmx_screen | grep -oE '^[> ] E[0-9]+' | awk '{print $NF}' | xargs)"
tmx_keys Escape; t_wait_gone "Esc clears the filter" "Filter:"
tmx_type "hokkaido"; t_wait "romaji: hokkaido" "Filter: hokkaido"
t_eq "...finds ホッカイドウ" "E1" "$(tmx_screen | grep -oE '^[> ] E[0-9]+' | awk '{print $NF}' | xargs)"
tmx_keys Escape; t_wait_gone "Esc clears the filter again" "Filter:"
tmx_keys C-r; t_wait "Ctrl-R shows the retired too" "Showing retired employees too."
tmx_keys C-r; t_wait "Ctrl-R again: current only" "Showing current employees."
tmx_type "北海"; t_wait "a character that is no key goes on into the filter" "Filter: 北海"
t_lacks "the filter found the one" "E10" "$(tmx_screen)"
tmx_keys Enter; tmx_keys Enter; t_wait "the record" "Purposes notified"
tmx_keys x; t_wait "the refusal dialog" "Refused to give the My Number: 北海道 一子"
set -- $(cursor)
t_eq "the cursor is on the day field" "Day asked and refused    2026-11-27" \
    "$(tmx_screen | sed -n "$(($2 + 1))p" | sed 's/^ *//')"
t_eq "...at its end" 37 "$1"
before="$(cursor)"
sleep 2 # the title's countdown is redrawn every second
t_eq "the cursor stays on the field while the clock redraws" "$before" "$(cursor)"
tmx_keys Tab; tmx_type "説明を求めたら?と聞かれた"
t_wait "? is a character in a text field" "説明を求めたら?と聞かれた"
t_lacks "...and does not open the help" "Keys of this screen" "$(tmx_screen)"
tmx_keys C-u; tmx_type "北海道札幌市中央区北一条西二丁目の窓口で説明したが番号は出したくないとのこと"
t_wait "a long text: the end is shown while it is edited" "出したくないとのこと"
row=$(tmx_screen | grep 'Reason, in their words')
t_lacks "...no wide character is cut (no stray half at the left edge)" "   海道" "$row"
tmx_keys Tab # to the day: the reason is no longer edited
t_wait "a field not being edited shows its start" "Reason, in their words   北海道札幌市"
t_contains "...and marks that it goes on" "…" "$(tmx_screen | grep 'Reason, in their words')"
tmx_keys Escape; tmx_keys Escape; t_wait "back on the list" "Employees (current"
tmx_keys F10; t_wait "quit" "__EXIT=0"
tmx_stop

tmx_start 80 24 ja_JP.UTF-8 "$MNV_TEST" --data-dir "$dir" --user clerk
t_wait "ja: login" "パスワード"
tmx_type "$PW"; tmx_keys Enter
t_wait "ja: dashboard" "ダッシュボード"
tmx_keys F4; t_wait "ja: F4 says why" "F4 は記録を編集します。先に記録を開いてください。"
tmx_keys F9; t_wait "ja: F9 on the dashboard opens the menu" "メニュー ─"
tmx_keys Escape; tmx_keys F3; t_wait "ja: the list" "従業員"
tmx_keys F9; t_wait "ja: F9 elsewhere says where the menu is" "F9 のメニューはダッシュボードから"
tmx_keys F10; t_wait "ja: quit" "__EXIT=0"
tmx_stop

# The administrator's Enter never opens an empty screen: it says whose work the records are.
tmx_start 80 24 C.UTF-8 "$MNV_TEST" --data-dir "$dir" --user admin
t_wait "admin: login" "Password"
tmx_type "$PW"; tmx_keys Enter
t_wait "admin: dashboard" "Dashboard"
t_lacks "admin: the dashboard offers no employee list" "Enter or F3" "$(tmx_screen)"
tmx_keys Enter; t_wait "admin: Enter says why" "Administrators manage the users and the settings"
t_lacks "admin: still on the dashboard, no empty list" "Employees" "$(tmx_screen | sed -n 2p)"
tmx_keys F3; t_wait "admin: F3 says why too" "Administrators manage the users and the settings"
tmx_keys F10; t_wait "admin: quit" "__EXIT=0"
tmx_stop
t_done
