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
t_done
