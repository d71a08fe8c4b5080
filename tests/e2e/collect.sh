#!/usr/bin/env bash
# The collection wizard driven through tmux: a wrong check digit, two entries that differ, a
# number registered to someone else (refused without saying whose), Esc half-way storing
# nothing, a refused document combination, a complete collection, re-collection keeping the
# history, a purpose notified later, a lock in the middle wiping the number; no number ever
# on the screen or in the scrollback.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"

PW="correct horse battery staple"
dir=$T_TMP/vault
export MNVAULT_TEST_FAST_KDF=1 MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$dir" --employees 60 --seed 7 --password-fd 0 \
    > "$T_TMP/demo.out" 2>&1 || t_bail "demo vault: $(cat "$T_TMP/demo.out")"
"$MNV_TOOLS/collecttool" demo-number 7 44 > /dev/null && t_bail "E000045 of seed 7 has a number"
taken=$("$MNV_TOOLS/collecttool" demo-number 7 0) || t_bail "E000001 of seed 7 has no number"
N1=874263411501 N2=291109043456
app=("$MNV_TEST" --data-dir "$dir")

no_numbers() { # NAME: no valid My Number on the screen or in the pane's history
    tmx_history > "$T_TMP/hist.txt"; tmx_screen >> "$T_TMP/hist.txt"
    t_eq "$1" "" "$(valid_numbers_in "$T_TMP/hist.txt")"
}
number_twice() { tmx_type "$1"; tmx_keys Tab; tmx_type "$2"; tmx_keys Enter; }
history() { printf '%s\n' "$PW" | "$MNV_TOOLS/collecttool" history "$dir" clerk "$1"; }

tmx_start 100 30 C.UTF-8 "${app[@]}" --user clerk
t_wait "login screen" "Password"
tmx_type "$PW"; tmx_keys Enter; t_wait "dashboard" "Dashboard"
tmx_keys Enter; t_wait "employee list" "Employees (current"
tmx_type "E000045"; tmx_keys Enter; tmx_keys Enter
t_wait "detail of an employee without a number" "Purposes notified"
t_contains "detail: the number is missing" "missing" "$(tmx_screen)"
tmx_keys F2; t_wait "wizard: number step" "[1 Number]"
number_twice 874263411502 874263411502
t_wait "wizard: a wrong check digit says why" "the check digit is wrong"
number_twice $N1 $N2
t_wait "wizard: two different entries are refused" "the two entries of the number differ"
number_twice "$taken" "$taken"
t_wait "wizard: a number registered to another record is refused at once" "already registered to another record"
scr=$(tmx_screen)
t_lacks "wizard: the refusal does not say whose (code)" "E000001" "$scr"
t_contains "wizard: still on the number step" "[1 Number]" "$scr"
number_twice $N1 "8742-6341-1501"
t_wait "wizard: a good number moves on" "[2 How]"
for _ in 1 2 3 4 5; do tmx_keys Enter; done
t_wait "wizard: documents for the number" "Documents that prove the number"
# Esc half-way: asks, stores nothing.
tmx_keys Escape; t_wait "Esc: asks first" "Leave the collection? Nothing of it will be stored."
tmx_keys y; t_wait "Esc: back on the detail" "Collection cancelled; nothing was stored."
scr=$(tmx_screen)
t_contains "Esc: the number is still missing" "missing" "$scr"
t_lacks "Esc: no verification recorded" "ID check:" "$scr"
t_eq "Esc: no verification record in the vault" "" "$(history employee:45)"
# Again, with a refused combination first.
tmx_keys F2; t_wait "wizard again" "[1 Number]"
number_twice $N1 $N1; t_wait "number accepted" "[2 How]"
for _ in 1 2 3 4 5; do tmx_keys Enter; done
t_wait "documents step" "Documents that prove the number"
tmx_keys Down; tmx_keys Space; tmx_keys Enter
t_wait "identity documents next" "Documents that prove who the person is"
for _ in $(seq 14); do tmx_keys Down; done
tmx_keys Space; tmx_keys Enter
t_wait "one document without a photo is refused, saying what is missing" "1 document without a photo, or one photo ID"
t_contains "refused: still on the identity documents" "Documents that prove who the person is" "$(tmx_screen)"
tmx_keys Down; tmx_keys Space; tmx_keys Enter
t_wait "two documents without a photo are enough" "Purposes of use notified to the person"
tmx_keys Space; tmx_keys Enter
t_wait "summary" "[5 Confirm]"
scr=$(tmx_screen)
t_contains "summary: masked number" "**** **** ****" "$scr"
t_contains "summary: documents listed" "Pension book" "$scr"
tmx_keys Enter
t_wait "stored" "Stored with the identity verification and the purposes."
t_wait "detail: the verification line" "ID check: 2026-11-27 Notification card"
t_contains "detail: registered now" "registered" "$(tmx_screen)"
t_eq "vault: one verification record, current" "version=1 current=1 route=self docs=notification_card,pension_book,qualification_certificate" "$(history employee:45)"
# A purpose notified later.
tmx_keys n; t_wait "notify: purposes not yet notified" "Purpose newly notified to the person"
tmx_keys Enter; t_wait "notify: recorded" "Recorded: "
# The list shows the verification mark.
tmx_keys Escape; t_wait "list" "Employees (current"
t_ok "list: ○ for the verified employee" bash -c "tmux -S '$_tmx_sock' capture-pane -p -t t | grep 'E000045' | grep -q '○'"
tmx_keys Enter; t_wait "detail again" "Purposes notified"
# Re-collection: a changed number; the earlier verification stays without its number.
tmx_keys F2; t_wait "re-collection: the wizard warns" "This person already has a number"
number_twice $N2 $N2; t_wait "re-collection: number accepted" "[2 How]"
for _ in 1 2 3 4 5; do tmx_keys Enter; done
t_wait "re-collection: documents" "Documents that prove the number"
tmx_keys Space; tmx_keys Enter
t_wait "re-collection: the My Number card proves identity too" "Purposes of use notified to the person"
tmx_keys Space; tmx_keys Enter; t_wait "re-collection: summary" "[5 Confirm]"
tmx_keys F2
t_wait "re-collection: stored, history kept" "replaced the earlier one"
history employee:45 > "$T_TMP/hist-rec.txt"
t_eq "re-collection: two records" 2 "$(wc -l < "$T_TMP/hist-rec.txt")"
t_contains "re-collection: the new one is current" "version=2 current=1 route=self docs=mynumber_card" "$(sed -n 1p "$T_TMP/hist-rec.txt")"
t_contains "re-collection: the old one kept, no longer current" "version=1 current=0" "$(sed -n 2p "$T_TMP/hist-rec.txt")"
# The old number is free again: nobody holds it.
# A lock in the middle wipes the number.
tmx_keys F2; t_wait "wizard for the lock test" "[1 Number]"
tmx_type "$N1"; tmx_keys F12
t_wait "lock screen" "Locked — clerk"
no_numbers "lock: nothing on screen or in the scrollback"
tmx_type "$PW"; tmx_keys Enter
t_wait "unlock: the wizard says the number was wiped" "The screen was locked, so the number was wiped"
tmx_keys Escape; t_wait_gone "Esc on an empty number step leaves at once" "[1 Number]"
tmx_keys F10; t_wait "quit" "__EXIT=0"
no_numbers "quit: no number left in the terminal"
tmx_stop

# Japanese: the wizard's words.
tmx_start 100 30 ja_JP.UTF-8 "${app[@]}" --user supervisor
t_wait "ja: login" "パスワード"
tmx_type "$PW"; tmx_keys Enter; t_wait "ja: dashboard" "ダッシュボード"
tmx_keys Enter; tmx_type "E000045"; tmx_keys Enter; tmx_keys Enter; t_wait "ja: detail" "利用目的"
tmx_keys F2; t_wait "ja: wizard" "12桁を2回入力"
number_twice 874263411502 874263411502
t_wait "ja: the reason in Japanese" "チェックデジット"
tmx_keys F10; t_wait "ja: quit" "__EXIT=0"
tmx_stop
t_done
