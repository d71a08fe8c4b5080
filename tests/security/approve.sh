#!/usr/bin/env bash
# Issue 11, finding 7: an account that reads numbers is completed by a supervisor, and the
# approval must reach the person, not a slot an administrator made. An administrator knows
# the one-time password they set, and holds the key that authenticates the key file, so
# they can put a slot of their own in the place of a pending account's. The supervisor
# approves only once the person chose their own password, and only with the code that
# person was shown for their key (the attack tool links the library, tests/tools/attack.c).
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
A=$MNV_TOOLS/attack
[ -x "$A" ] || t_bail "the attack tool is missing ($A)"
V=$T_TMP/vault
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot create a vault"
{ echo "$V_CLERK_PW"; echo "E001 123456789018"; } |
    "$MNV_TOOLS/vaulttool" seed "$V" clerk >/dev/null || t_bail "cannot store numbers"

attack() { # NAME EXPECTED-STATUS STDIN ARGS...
    local name=$1 want=$2 in=$3; shift 3
    printf '%b\n' "$in" | "$A" "$@" >"$T_TMP/a.out" 2>&1
    local rc=$?
    if [ "$rc" -eq "$want" ]; then t_pass "$name"; else t_fail "$name" "exit $rc, expected $want" "$(cat "$T_TMP/a.out")"; fi
}

otp=$(v_as "$V" admin "$V_ADMIN_PW" user add carol --role clerk | grep -E '^[a-z0-9]{4}-' | tail -n 1)
[ -n "$otp" ] || t_bail "cannot add carol"
attack "the supervisor cannot approve a slot whose password the administrator set" 1 \
    "$V_SUP_PW\n$otp" approve-early "$V" sup carol

CAROL_PW='lanterns drift over the river'
out=$(v_as "$V" carol "$otp\n$CAROL_PW" user passwd 2>&1) || t_bail "carol cannot choose a password"
code=$(printf '%s\n' "$out" | grep -oE '[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}' | tail -n 1)
t_ok "carol is shown the code of her key once she chose her password" test -n "$code"
attack "an administrator's slot in carol's place is not approved with carol's code" 1 \
    "$V_ADMIN_PW\n$V_SUP_PW" approve-swap "$V" admin sup carol "${code:-none}"

# The same, honestly: carol chooses a password again (the swap replaced her slot), tells
# her supervisor the code, and is approved.
otp=$(v_as "$V" admin "$V_ADMIN_PW" user reset carol | grep -E '^[a-z0-9]{4}-' | tail -n 1)
out=$(v_as "$V" carol "$otp\n$CAROL_PW" user passwd 2>&1)
code=$(printf '%s\n' "$out" | grep -oE '[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}' | tail -n 1)
t_ok "a wrong code is refused" bash -c "! printf '%s\n' '$V_SUP_PW' | '$MNV_TEST' user approve carol --code AAAA-BBBB-CCCC-DDDD --data-dir '$V' --user sup --password-fd 0 >/dev/null 2>&1"
t_ok "the right code approves" v_as "$V" sup "$V_SUP_PW" user approve carol --code "${code:-none}"
attack "control: carol's own password now reads the numbers" 0 "$CAROL_PW" numbers "$V" carol
t_done
