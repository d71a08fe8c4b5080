#!/usr/bin/env bash
# Out of memory or a failing disk is neither a wrong password nor damage: each secret buffer
# (sodium_malloc) and each SQLite statement of a sign-in followed by `mnvault verify` is made
# to fail in turn (tests/fault/faultfs.so), on a fresh copy of the vault each time. Every
# time the command ends with a clear error (no crash) that blames neither the password nor
# the SQLite build, and verify never calls the vault damaged for it; the vault verifies
# afterwards. (An attempt cut short after the password was counted stays counted, as one
# killed there would: the counter is written before the password is checked.)
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
SHIM=$MNV_BUILD/tests/fault/faultfs.so
[ -f "$SHIM" ] || t_bail "build $SHIM first (make test-bins)"
unset MNV_FAULT_OP MNV_FAULT_AT MNV_FAULT_MODE MNV_FAULT_ERRNO MNV_FAULT_COUNT MNV_FAULT_TRACE
V=$T_TMP/v
v_init "$V" || t_bail "cannot make a vault"
cp -a "$V" "$T_TMP/base"
run() { v_as "$V" sup "$V_SUP_PW" verify; }
for kind in smalloc:ENOMEM step:IOERR step:FULL; do
    IFS=: read -r op errno <<<"$kind"
    rm -f "$T_TMP/count"
    MNV_FAULT_OP=$op MNV_FAULT_COUNT=$T_TMP/count LD_PRELOAD=$SHIM run >/dev/null 2>&1
    n=$(tail -n 1 "$T_TMP/count" 2>/dev/null || echo 0)
    blamed="" crashed="" damaged="" broken=""
    for at in $(seq 1 "$n"); do
        rm -rf "$V"
        cp -a "$T_TMP/base" "$V"
        out=$(MNV_FAULT_OP=$op MNV_FAULT_AT=$at MNV_FAULT_ERRNO=$errno MNV_FAULT_MODE=once \
            LD_PRELOAD=$SHIM run 2>&1)
        rc=$?
        [ "$rc" -ge 126 ] && crashed="$crashed $at:$rc"
        case "$out" in
            *"wrong user name or password"* | *"keeps temporary data in files"*) blamed="$blamed $at" ;;
        esac
        case "$out" in *DAMAGED* | *"is damaged"*) damaged="$damaged $at" ;; esac
        run >/dev/null 2>&1 || broken="$broken $at"
    done
    t_eq "$op $errno at each of $n points of sign-in and verify: no crash" "" "$crashed"
    t_eq "$op $errno: never blamed on the password or the SQLite build" "" "$blamed"
    t_eq "$op $errno: verify never calls the vault damaged for it" "" "$damaged"
    t_eq "$op $errno: the vault verifies afterwards" "" "$broken"
done
t_done
