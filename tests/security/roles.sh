#!/usr/bin/env bash
# Issue 11, findings 1, 7 and 11: roles enforced by cryptography, played with the attack
# tool (tests/tools/attack.c), which links the library and calls its own functions as an
# insider with a password would. Only the slots of roles that read numbers (clerk,
# supervisor) and the recovery slot can decrypt a number; an administrator cannot make
# such an account alone; a disabled clerk's old password, with an old copy of the key file,
# opens nothing of today's vault; only roles that may restore open a backup, and restore
# refuses any other before it writes a byte, with the message of a wrong password.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/backuplib.sh"
A=$MNV_TOOLS/attack
[ -x "$A" ] || t_bail "the attack tool is missing ($A)"
V=$T_TMP/vault
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot create a vault"
CLERK2_PW='paper cranes fold at midnight'
v_add_user "$V" clerk2 clerk "$CLERK2_PW" || t_bail "cannot add clerk2"
{ echo "$V_CLERK_PW"; echo "E001 123456789018"; echo "E002 234567890121"; } |
    "$MNV_TOOLS/vaulttool" seed "$V" clerk >/dev/null || t_bail "cannot store numbers"

attack() { # NAME EXPECTED-STATUS PASSWORD ARGS...
    local name=$1 want=$2 pw=$3; shift 3
    printf '%b\n' "$pw" | "$A" "$@" >"$T_TMP/a.out" 2>&1
    local rc=$?
    if [ "$rc" -eq "$want" ]; then t_pass "$name"; else t_fail "$name" "exit $rc, expected $want" "$(cat "$T_TMP/a.out")"; fi
}

attack "control: the clerk's own key slot decrypts the numbers" 0 "$V_CLERK_PW" numbers "$V" clerk
attack "control: so does the supervisor's" 0 "$V_SUP_PW" numbers "$V" sup
attack "finding 1: the auditor's key slot decrypts no number" 1 "$V_AUD_PW" numbers "$V" aud
attack "finding 1: the administrator's key slot decrypts no number" 1 "$V_ADMIN_PW" numbers "$V" admin

cp -p "$V/vault.keys" "$T_TMP/keys-before-disable"
attack "control: while clerk2 is active, that copy of the key file and the password read today's numbers" \
    0 "$CLERK2_PW" oldkeys "$T_TMP/keys-before-disable" "$V" clerk2
v_as "$V" admin "$V_ADMIN_PW" user disable clerk2 >/dev/null || t_bail "cannot disable clerk2"
attack "finding 1: a disabled clerk's password decrypts nothing" 1 "$CLERK2_PW" numbers "$V" clerk2
# The supervisor works on after the disable: a new number is stored.
{ echo "$V_SUP_PW"; echo "E003 345678901234"; } | "$MNV_TOOLS/vaulttool" seed "$V" sup >/dev/null ||
    t_bail "cannot store a number after the disable"
attack "finding 1: an old key file and the disabled clerk's password open nothing of today's vault" \
    1 "$CLERK2_PW" oldkeys "$T_TMP/keys-before-disable" "$V" clerk2
attack "finding 1: ...nor does it give another clerk's old slot today's numbers (everything rotated)" \
    1 "$V_CLERK_PW" oldkeys "$T_TMP/keys-before-disable" "$V" clerk

attack "finding 7: a clerk an administrator made alone reads no number" 1 "$V_ADMIN_PW" admin-clerk "$V" admin

bl_as sup "$V" backup "$T_TMP/b.mnvbak" >/dev/null 2>&1 || t_bail "cannot make a backup"
attack "control: the supervisor's password opens the backup" 0 "$V_SUP_PW" backup-open "$T_TMP/b.mnvbak" sup
attack "finding 11: a clerk's password does not open the backup" 1 "$V_CLERK_PW" backup-open "$T_TMP/b.mnvbak" clerk
attack "finding 11: an auditor's password does not open the backup" 1 "$V_AUD_PW" backup-open "$T_TMP/b.mnvbak" aud
attack "control: the supervisor reads the backup's numbers" 0 "$V_SUP_PW" backup-numbers "$T_TMP/b.mnvbak" sup
attack "finding 1: the administrator (who may restore) reads none of the backup's numbers" \
    1 "$V_ADMIN_PW" backup-numbers "$T_TMP/b.mnvbak" admin

# restore as a clerk: refused before anything is written, in the words of a wrong password.
restore_as() { # USER PASSWORD TARGET
    strace -f -qq -e trace=openat,mkdir,mkdirat,rename,renameat2 -o "$T_TMP/strace" \
        "$MNV_TEST" restore "$T_TMP/b.mnvbak" --data-dir "$3" --user "$1" --password-fd 3 \
        3< <(printf '%s\n' "$2") >"$T_TMP/r.out" 2>&1
}
restore_as clerk "$V_CLERK_PW" "$T_TMP/new1"; rc=$?
t_eq "finding 11: restore as a clerk is refused (exit 1)" 1 "$rc"
clerk_msg=$(cat "$T_TMP/r.out")
t_eq "finding 11: ...before anything is written (no file or folder made)" "" \
    "$(grep -E "new1" "$T_TMP/strace" | grep -E 'O_CREAT|mkdir|rename' | grep -v ENOENT)"
restore_as sup "a wrong password for sure" "$T_TMP/new2"; rc=$?
t_eq "a wrong password: refused (exit 1)" 1 "$rc"
t_eq "finding 11: the clerk gets the wrong password's message" "$(sed 's/new2/newN/g' "$T_TMP/r.out")" \
    "$(printf '%s\n' "$clerk_msg" | sed 's/new1/newN/g')"
restore_as aud "$V_AUD_PW" "$T_TMP/new3"; rc=$?
t_eq "finding 11: restore as an auditor is refused (exit 1)" 1 "$rc"
t_ok "control: the supervisor restores" restore_as sup "$V_SUP_PW" "$T_TMP/new4"

# Expiry takes back what the user could read, like a disable: past clerk3's last valid day,
# the next sign-in removes the slot and rotates the keys it held.
CLERK3_PW='moss grows on the north side of the stones'
v_add_user "$V" clerk3 clerk "$CLERK3_PW" || t_bail "cannot add clerk3"
v_as "$V" admin "$V_ADMIN_PW" user window clerk3 --valid-until 2026-12-02 >/dev/null ||
    t_bail "cannot set clerk3's last valid day"
cp -p "$V/vault.keys" "$T_TMP/keys-before-expiry"
attack "control: before the last valid day, clerk3's copy of the key file reads today's numbers" \
    0 "$CLERK3_PW" oldkeys "$T_TMP/keys-before-expiry" "$V" clerk3
export MNVAULT_TEST_NOW=2026-12-04T01:00:00
{ echo "$V_SUP_PW"; echo "E004 456789012346"; } | "$MNV_TOOLS/vaulttool" seed "$V" sup >/dev/null ||
    t_bail "cannot store a number after the expiry"
attack "expiry: the expired clerk's password decrypts nothing" 1 "$CLERK3_PW" numbers "$V" clerk3
attack "expiry: an old key file and the expired clerk's password open nothing of today's vault" \
    1 "$CLERK3_PW" oldkeys "$T_TMP/keys-before-expiry" "$V" clerk3
t_done
