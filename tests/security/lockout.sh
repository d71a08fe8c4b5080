#!/usr/bin/env bash
# Lockout after 5 consecutive failures holds across restarts (every command is a new
# process) and against kill -9 at any moment of an attempt: the counter is written and
# synced before the password is checked.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
v_init "$V" || t_bail "cannot make a vault"
for i in 1 2 3 4; do
    out=$(v_as "$V" sup "wrong $i" verify 2>&1)
done
t_contains "the 4th failure warns" "1 more failure locks the account" "$out"
out=$(v_as "$V" sup "wrong 5" verify 2>&1); rc=$?
t_contains "the 5th locks" "locked after too many failed attempts" "$out"
out=$(v_as "$V" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "the right password in a new process: still refused" 1 "$rc"
t_contains "...because the account is locked" "try again in 15 minutes" "$out"
out=$(MNVAULT_TEST_NOW=+600 v_as "$V" sup "$V_SUP_PW" verify 2>&1)
t_contains "10 minutes later: still locked" "try again in 5 minutes" "$out"
t_ok "16 minutes later: the lock has run out" env MNVAULT_TEST_NOW=+960 bash -c \
    ". '$MNV_ROOT/tests/lib/vault.sh'; v_as '$V' sup '$V_SUP_PW' verify"
t_ok "an admin can unlock earlier" v_as "$V" admin "$V_ADMIN_PW" user unlock sup

# Kill at random moments of wrong attempts, then go on without killing until the account
# locks: whatever was killed in between, never more than 4 answers "wrong password" before
# the first "locked". (Killed attempts may count; they must never be free.)
RANDOM=77
wrong=0 killed=0 locked=0
attempt() { # $1: kill after this many milliseconds, or "" to let it finish
    "$MNV_TEST" verify --data-dir "$V" --user admin --password-fd 3 \
        3< <(echo "wrong $RANDOM") >"$T_TMP/out" 2>&1 &
    local pid=$! rc
    if [ -n "$1" ]; then sleep "$(printf '0.%03d' "$1")"; kill -9 "$pid" 2>/dev/null; fi
    wait "$pid"; rc=$?
    if [ "$rc" -eq 137 ]; then killed=$((killed + 1)); return; fi
    if grep -q "locked after too many" "$T_TMP/out"; then locked=1; return; fi
    grep -q "wrong user name or password" "$T_TMP/out" && wrong=$((wrong + 1))
}
{
    for _ in $(seq 40); do
        [ "$locked" = 1 ] && break
        attempt $(( RANDOM % 150 ))
    done
    while [ "$locked" = 0 ] && [ "$wrong" -le 5 ]; do attempt ""; done
} 2>/dev/null
echo "# $killed attempts killed, $wrong answered 'wrong password' before the lock"
t_eq "kill -9 gives no free attempts: locked after at most 4 wrong answers" 1 \
    "$(( locked == 1 && wrong <= 4 ))"
t_eq "no temporary files left by the killed writes" "" "$(ls -A "$V" | grep -v '^vault\.\(db\|keys\)$')"
t_done
