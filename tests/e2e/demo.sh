#!/usr/bin/env bash
# `make demo` as a newcomer runs it: the script creates a demo vault with the production
# binary (full Argon2id cost), says how to log in, and opens the application on it.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/tmux.sh"
dir=$T_TMP/demo-vault
tmx_start 80 24 C.UTF-8 env MNVAULT_LOCALEDIR="$MNVAULT_LOCALEDIR" \
    "$MNV_ROOT/tests/tools/demo.sh" "$MNV_BUILD" "$dir"
t_wait "make demo: creates the vault and says how to log in" "Log in as clerk" 90
t_contains "make demo: the password is printed" "hana ga saku koro ni mata aou" "$(tmx_screen)"
t_ok "make demo: the vault's files exist" test -f "$dir/vault.keys" -a -f "$dir/vault.db"
tmx_keys Enter
t_wait "make demo: the application opens on the login screen" "Password" 20
tmx_type "hana ga saku koro ni mata aou"; tmx_keys Enter
t_wait "make demo: the clerk logs in" "Dashboard" 30
t_contains "make demo: 200 employees" "Employees      19" "$(tmx_screen)"
tmx_keys F10
t_wait "make demo: quits" "__EXIT=0" 10
tmx_stop
# A second run finds the vault and does not create another.
out=$(printf '\n' | timeout 20 "$MNV_ROOT/tests/tools/demo.sh" "$MNV_BUILD" "$dir" 2>&1 < /dev/null)
t_lacks "make demo: a second run keeps the existing vault" "Creating a demo vault" "$out"
t_done
