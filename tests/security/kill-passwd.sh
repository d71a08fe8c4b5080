#!/usr/bin/env bash
# kill -9 at random moments of a password change: afterwards the old or the new password
# works, never neither, and the key file is never damaged.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
v_init "$V" || t_bail "cannot make a vault"
works() { v_as "$V" sup "$1" audit verify >/dev/null 2>&1; }
RANDOM=99
cur=$V_SUP_PW neither=0 both=0 changed=0 kills=${KILL_RUNS:-25}
for i in $(seq "$kills"); do
    new="seven green lanterns over osaka $i"
    "$MNV_TEST" user passwd --data-dir "$V" --user sup --password-fd 3 \
        3< <(printf '%s\n%s\n' "$cur" "$new") >/dev/null 2>&1 &
    pid=$!
    sleep "$(printf '0.%03d' $(( RANDOM % 130 )))"
    kill -9 "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    if works "$new"; then
        works "$cur" && both=$((both + 1))
        cur=$new changed=$((changed + 1))
    elif ! works "$cur"; then
        neither=$((neither + 1))
        echo "# neither password works after run $i"
        break
    fi
done
echo "# $changed of $kills changes went through before the kill"
t_eq "after every kill the old or the new password works" 0 "$neither"
t_eq "never both" 0 "$both"
t_ok "the key file is intact" v_as "$V" sup "$cur" verify
t_eq "no temporary files left" "" "$(ls -A "$V" | grep -v '^vault\.\(db\|keys\)$')"

# The same, at every step instead of at random moments: strace kills the change on the
# Nth rename, unlink or fsync (the key file's writes, SQLite's commits). The first sign-in
# afterwards is what counts (a login-state write must not lose the new slot written before
# the commit).
if command -v strace >/dev/null; then
    W=$T_TMP/w bad=""
    v_init "$W.0" || t_bail "cannot make a vault"
    for sc in rename unlink fsync; do
        for n in $(seq 1 14); do
            rm -rf "$W" && cp -a "$W.0" "$W"
            strace -f -qq -o /dev/null -e trace="$sc" -e inject="$sc:signal=KILL:when=$n" \
                "$MNV_TEST" user passwd --data-dir "$W" --user sup --password-fd 3 \
                3< <(printf '%s\n%s\n' "$V_SUP_PW" "$V_SUP_PW and more") >/dev/null 2>&1
            if v_as "$W" sup "$V_SUP_PW and more" audit verify >/dev/null 2>&1; then
                v_as "$W" sup "$V_SUP_PW" audit verify >/dev/null 2>&1 && bad="$bad $sc#$n:both"
            elif ! v_as "$W" sup "$V_SUP_PW" audit verify >/dev/null 2>&1; then
                bad="$bad $sc#$n:neither"
            fi
        done
    done
    t_eq "killed at every rename, unlink and fsync: exactly one password works" "" "$bad"
fi
t_done
