#!/usr/bin/env bash
# Issue 11, finding 6: a number sealed for one person does not open as another's. The
# attack tool swaps two people's number records with the vault's own connection (as a
# clerk who can run code could); `verify` must report it, and revealing shows no number.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/vault
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot create a vault"
{ echo "$V_CLERK_PW"; echo "E001 123456789018"; echo "E002 234567890121"; } |
    "$MNV_TOOLS/vaulttool" seed "$V" clerk >/dev/null || t_bail "cannot store numbers"
printf '%s\n' "$V_SUP_PW" | "$MNV_TOOLS/attack" swap "$V" sup >"$T_TMP/a.out" 2>&1; rc=$?
t_eq "finding 6: swapping two people's number records is caught by verify" 1 "$rc"
out=$(v_as "$V" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "...verify exits 1" 1 "$rc"
t_contains "...and names a record that does not belong where it is" "number" "$out"
out=$(printf '%s\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" clerk employee:1 tax_withholding check)
t_eq "...and revealing the first person shows no number" "SEAL_BROKEN" "$out"
t_done
