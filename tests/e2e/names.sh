#!/usr/bin/env bash
# The TUI's side of textsafe (tests/cli/names.sh has the command line's): an employee whose
# name, imported from a file, holds a right-to-left override (U+202E), a C1 CSI (U+009B) and
# an OSC (U+009D) is shown with those characters escaped, in the list and on the detail
# screen; none of them reaches the terminal.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"
. "$MNV_ROOT/tests/lib/rawbytes.sh"

export MNVAULT_TEST_NOW=2026-11-27T01:42:00 TZ=Asia/Tokyo
v=$T_TMP/vault
v_full "$v" || t_bail "vault"
rlo=$'\xe2\x80\xae' csi=$'\xc2\x9b' osc=$'\xc2\x9d'
{ head -n 1 "$MNV_ROOT/data/import-sample.csv"
  sed -n 2p "$MNV_ROOT/data/import-sample.csv" | sed "s/^S0001,見本 一郎,/S0001,見本${rlo}gnp.exe${csi}2J${osc}0;x 一郎,/"; } > "$T_TMP/names.csv"
v_as "$v" clerk "$V_CLERK_PW" import "$T_TMP/names.csv" > "$T_TMP/import.out" 2>&1 || t_bail "import: $(cat "$T_TMP/import.out")"

raw_in() { raw_unsafe "$1" terminal > /dev/null; } # tests/lib/rawbytes.sh

tmx_start 140 30 C.UTF-8 "$MNV_TEST" --data-dir "$v" --user clerk
t_wait "login screen" "Password"
tmx_type "$V_CLERK_PW"; tmx_keys Enter; t_wait "dashboard" "Dashboard"
tmx_keys Enter; t_wait "employee list" "Employees (current"
t_wait "list: the name shown with its escapes" '見本\u202Egnp'
tmx_screen > "$T_TMP/list.txt"
t_contains "list: the override shown as \\u202E" '見本\u202Egnp.exe' "$(cat "$T_TMP/list.txt")"
if raw_in "$T_TMP/list.txt"; then t_fail "list: no raw control on the screen" "$(cat -A "$T_TMP/list.txt" | head)"; else t_pass "list: no raw control on the screen"; fi
tmx_type "S0001"; tmx_keys Enter; tmx_keys Enter
t_wait "detail: opened" "Purposes notified"
t_contains "detail: the name shown escaped" '見本\u202Egnp.exe\u009B2J\u009D0;x 一郎' "$(tmx_screen)"
tmx_history > "$T_TMP/hist.txt"
if raw_in "$T_TMP/hist.txt"; then t_fail "nothing raw in the whole pane history" "$(cat -A "$T_TMP/hist.txt" | grep -a 'M-B' | head -n 3)"; else t_pass "nothing raw in the whole pane history"; fi
tmx_keys Escape; tmx_keys Escape; tmx_keys q
t_done
