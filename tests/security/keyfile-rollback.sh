#!/usr/bin/env bash
# Issue 11, findings 3 and 8: an older vault.keys put back is not accepted as the vault's
# key file (at most one crash step back, which is rolled forward from the database): the
# old password after a password change, an old recovery set, a rotated-away epoch key and
# the key file inside a backup all stay dead; copying back the key file to erase a lockout
# and its queued events is noticed and recorded.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/backuplib.sh"
A=$MNV_TOOLS/attack
V=$T_TMP/vault
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot create a vault"
{ echo "$V_CLERK_PW"; echo "E001 123456789018"; } | "$MNV_TOOLS/vaulttool" seed "$V" clerk >/dev/null ||
    t_bail "cannot store a number"
# Each attack leaves the key file it put back; the next step starts from the real one.
attack() { # NAME PASSWORDS ARGS...
    local name=$1 pw=$2; shift 2
    cp -p "$V/vault.keys" "$T_TMP/current"
    printf '%b\n' "$pw" | "$A" "$@" >"$T_TMP/a.out" 2>&1
    local rc=$?
    cp -p "$T_TMP/current" "$V/vault.keys"
    if [ "$rc" -eq 1 ]; then t_pass "$name"; else t_fail "$name" "exit $rc, expected 1" "$(cat "$T_TMP/a.out")"; fi
}

# The old password after a password change.
cp -p "$V/vault.keys" "$T_TMP/k0"
NEWPW='another long phrase for the ledger'
v_as "$V" clerk "$V_CLERK_PW\n$NEWPW\n$NEWPW" user passwd >/dev/null || t_bail "cannot change the password"
attack "finding 3: after a password change, the old key file put back does not let the old password in" \
    "$V_CLERK_PW" copyback "$T_TMP/k0" "$V" clerk
t_ok "...and the new password still works" bash -c "printf '%s\\n' '$NEWPW' | '$MNV_TOOLS/vaulttool' call '$V' clerk list"

# The same, one write behind (what a crash between the commit and the file write leaves):
# the change is rolled forward from the database, not lost.
printf '%s\n' "$NEWPW" 'yet another phrase for the ledger' |
    "$A" copyback-step "$V" clerk >"$T_TMP/a.out" 2>&1; rc=$?
t_eq "finding 3: a key file one write behind the password change does not let the old password in" \
    1 "$rc"; [ "$rc" = 1 ] || cat "$T_TMP/a.out" | sed "s/^/# /"
NEWPW='yet another phrase for the ledger'
t_ok "...and the new password works" bash -c "printf '%s\\n' '$NEWPW' | '$MNV_TOOLS/vaulttool' call '$V' clerk list"

# An old recovery set.
bl_as sup "$V" recovery split --shares 3 --threshold 2 >"$T_TMP/set1.txt" 2>/dev/null || t_bail "split 1"
cp -p "$V/vault.keys" "$T_TMP/k1"
bl_as sup "$V" recovery split --shares 3 --threshold 2 --replace >"$T_TMP/set2.txt" 2>/dev/null || t_bail "split 2"
cp -p "$V/vault.keys" "$T_TMP/current"
cp -p "$T_TMP/k1" "$V/vault.keys"
bl_sheets "$T_TMP/set1.txt" "$T_TMP/s1"
cat "$T_TMP/s1/sheet1" "$T_TMP/s1/sheet2" | "$MNV_TEST" recovery restore --data-dir "$V" --user aud \
    --password-fd 3 3< <(printf '%s\n' 'a password chosen with old shares') >"$T_TMP/r.out" 2>&1; rc=$?
t_eq "finding 3: shares of a replaced set do not open the vault through an old key file" 1 "$rc"
cp -p "$T_TMP/current" "$V/vault.keys"

# A rotated-away epoch key.
cp -p "$V/vault.keys" "$T_TMP/k2"
printf '%s\n' "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rotate "$V" sup >/dev/null || t_bail "cannot rotate"
attack "finding 3: an epoch key rotated away does not come back with an old key file" \
    "$V_SUP_PW" copyback-epoch "$T_TMP/k2" "$V" sup

# The key file inside a backup.
bl_as sup "$V" backup "$T_TMP/b.mnvbak" >/dev/null 2>&1 || t_bail "cannot make a backup"
"$A" backup-keys "$T_TMP/b.mnvbak" "$T_TMP/kb" || t_bail "cannot take the backup's key file"
v_as "$V" clerk "$NEWPW\n$V_CLERK_PW\n$V_CLERK_PW" user passwd >/dev/null || t_bail "cannot change back"
attack "finding 3: the key file inside a backup, put in place, does not let a replaced password in" \
    "$NEWPW" copyback "$T_TMP/kb" "$V" clerk

# A lockout erased by copying the key file back.
attack "finding 8: copying back the key file to erase a lockout is stopped or recorded" \
    "$V_AUD_PW\n$V_SUP_PW" lockout "$V" aud sup

# The rest of finding 8: a copy taken AFTER the last successful sign-in, put back after the
# failures (by hand, some seconds later). The file's change time, which the system sets and
# no user can set back, is later than the write the copy records: the copy is noticed.
attack "finding 8: a copy taken after the last sign-in, put back to erase a lockout, is noticed" \
    "$V_ADMIN_PW\n$V_SUP_PW" lockout-gap "$V" admin sup
# The same by hand with cp, through the command line: the audit log says a copy was put
# back, and when that copy was written (failed attempts after it may be missing).
cp "$V/vault.keys" "$T_TMP/k3"
sleep 6
cp "$T_TMP/k3" "$V/vault.keys"
out=$(v_as "$V" clerk "not the password" verify 2>&1)
t_contains "finding 8: after a copy was put back, a wrong password is counted as before" \
    "4 more failures lock the account" "$out"
out=$(v_as "$V" sup "$V_SUP_PW" audit list --action keyfile.replaced 2>&1)
t_contains "finding 8: the audit log has the copy put back" "key file replaced by a copy" "$out"
t_contains "...saying failures after its time may be missing" \
    "failures_after_this_time_may_be_missing" "$out"
t_done
