#!/usr/bin/env bash
# A wrong password is refused before the database is read: with vault.db gone it is still
# "wrong password", and the process never opens vault.db (strace).
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
v_init "$V" || t_bail "cannot make a vault"
mv "$V/vault.db" "$T_TMP/away.db"
out=$(v_as "$V" sup "not the password" verify 2>&1); rc=$?
t_eq "wrong password without vault.db: exit 1" 1 "$rc"
t_contains "...it is the password that is wrong" "wrong user name or password" "$out"
out=$(v_as "$V" sup "$V_SUP_PW" verify 2>&1)
t_contains "right password without vault.db: the database is missing" "vault.db is missing" "$out"
mv "$T_TMP/away.db" "$V/vault.db"
strace -f -qq -e trace=open,openat -o "$T_TMP/trace" \
    "$MNV_TEST" verify --data-dir "$V" --user sup --password-fd 3 3< <(echo "not the password") >/dev/null 2>&1
t_eq "strace: the wrong password never opened vault.db" 0 "$(grep -c 'vault\.db' "$T_TMP/trace")"
t_eq "strace: ...while it did read vault.keys" 1 "$(grep -c 'vault\.keys"' "$T_TMP/trace" | awk '{print ($1 > 0)}')"
strace -f -qq -e trace=open,openat -o "$T_TMP/trace2" \
    "$MNV_TEST" verify --data-dir "$V" --user sup --password-fd 3 3< <(echo "$V_SUP_PW") >/dev/null 2>&1
t_eq "strace: the right password does open vault.db (the probe works)" 1 \
    "$(grep -c 'vault\.db' "$T_TMP/trace2" | awk '{print ($1 > 0)}')"
t_done
