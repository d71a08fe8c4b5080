#!/usr/bin/env bash
# Out of memory in the middle of a command is not damage: SQLCipher decrypts each page with
# contexts OpenSSL allocates, and when one of those allocations fails it reports the page as
# damaged ("database disk image is malformed") or page 1 as "not a database". The program
# must say that memory ran out and that the vault is not damaged. Allocations made while
# SQLite runs (tests/fault/faultfs.so, kind malloc) fail one at a time at points spread over
# the reading of the employee list, after the sign-in; each time the command ends with exit
# 0 or a clear "out of memory" (exit 2), never "damaged", never a crash, and the vault
# verifies afterwards.
. "$MNV_ROOT/tests/lib/tap.sh"
SHIM=$MNV_BUILD/tests/fault/faultfs.so
[ -f "$SHIM" ] || t_bail "build $SHIM first (make test-bins)"
unset MNV_FAULT_OP MNV_FAULT_AT MNV_FAULT_MODE MNV_FAULT_ERRNO MNV_FAULT_COUNT MNV_FAULT_TRACE
export MNVAULT_TEST_FAST_KDF=1
PW="correct horse battery staple"
V=$T_TMP/v
printf '%s\n' "$PW" | "$MNV_TEST" demo --data-dir "$V" --employees 200 --seed 7 --password-fd 0 \
    >/dev/null 2>&1 || t_bail "cannot make the demo vault"
as() { local who=$1; shift; printf '%s\n' "$PW" | "$MNV_TEST" --data-dir "$V" --user "$who" --password-fd 0 "$@"; }
as_clerk() { as clerk "$@"; }
count() { # the allocations made while SQLite runs, for the command given
    rm -f "$T_TMP/count"
    MNV_FAULT_OP=malloc MNV_FAULT_COUNT=$T_TMP/count LD_PRELOAD=$SHIM as_clerk "$@" >/dev/null 2>&1
    tail -n 1 "$T_TMP/count" 2>/dev/null || echo 0
}
# The sign-in alone (a code that does not exist), then the whole list: the points between.
n0=$(count employee show NO-SUCH-CODE)
n=$(count employee list --retired)
[ "$n" -gt $((n0 + 100)) ] || t_bail "the list makes too few allocations ($n0, $n)"
points=40 crashed="" damaged="" unclear="" failed=0 first_fail=""
for i in $(seq 1 $points); do
    at=$((n0 + (i * (n - n0)) / (points + 1)))
    MNV_FAULT_OP=malloc MNV_FAULT_AT=$at MNV_FAULT_MODE=once MNV_FAULT_ERRNO=ENOMEM LD_PRELOAD=$SHIM \
        as_clerk employee list --retired >/dev/null 2>"$T_TMP/err"
    rc=$?
    [ "$rc" -ge 126 ] && crashed="$crashed $at:$rc"
    grep -qiE 'is damaged|malformed|not a database|cannot be decrypted' "$T_TMP/err" && damaged="$damaged $at"
    if [ "$rc" != 0 ]; then
        failed=$((failed + 1))
        [ -n "$first_fail" ] || first_fail=$at
        { [ "$rc" = 2 ] && grep -q 'out of memory' "$T_TMP/err"; } || unclear="$unclear $at:$rc:$(head -c 80 "$T_TMP/err")"
    fi
done
echo "# $failed of $points points of the list (allocations $n0..$n) failed"
t_eq "out of memory while the list is read: no crash" "" "$crashed"
t_eq "out of memory while the list is read: never called damage" "" "$damaged"
t_eq "out of memory while the list is read: exit 2, 'out of memory'" "" "$unclear"
t_ok "some of the points fail the list (the test reaches the decryption)" test "$failed" -gt 0
# The words in Japanese, at a point that failed.
if [ -n "$first_fail" ]; then
    LANG=ja_JP.UTF-8 MNV_FAULT_OP=malloc MNV_FAULT_AT=$first_fail MNV_FAULT_MODE=once MNV_FAULT_ERRNO=ENOMEM \
        LD_PRELOAD=$SHIM as_clerk employee list --retired >/dev/null 2>"$T_TMP/err"
    t_ok "in Japanese: the message speaks of memory (メモリ)" grep -q 'メモリ' "$T_TMP/err"
fi
t_ok "the vault verifies afterwards" as auditor verify
t_done
