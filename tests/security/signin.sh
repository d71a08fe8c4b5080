#!/usr/bin/env bash
# Sign-in checks against an insider's own code and environment (issue 11, findings 4, 5):
# a TOTP code another sign-in has just used is refused, even to a sign-in that was already
# waiting at the code prompt; access windows are read in the organisation's time zone
# stored in the vault, whatever TZ and TZDIR say.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
A=$MNV_TOOLS/attack-audit
[ -x "$A" ] || t_bail "attack-audit is missing ($A)"
export MNVAULT_TEST_NOW=2026-12-01T03:00:00 # a Tuesday, 12:00 in Tokyo
V=$T_TMP/v
v_full "$V" || t_bail "cannot make a vault"

out=$(printf '%s\n' "$V_CLERK_PW" | "$A" totp-replay "$V" clerk 2>&1); rc=$?
t_eq "totp-replay: the attack fails (exit 1)" 1 "$rc"
t_contains "... the second sign-in is refused the code" "TOTP_REPLAY" "$out"
t_contains "... after the first used it" "first sign-in: OK" "$out"

# aud may sign in on weekdays 09:00-17:00 (Tokyo). At 21:00 Tokyo (12:00 UTC) it may not,
# though TZ=UTC0 and a zoneinfo folder of the attacker's own say it is noon.
t_ok "a window for aud" v_as "$V" admin "$V_ADMIN_PW" user window aud --days mon-fri --hours 09:00-17:00
t_ok "inside the window aud signs in" v_as "$V" aud "$V_AUD_PW" audit verify
export MNVAULT_TEST_NOW=2026-12-01T12:00:00
out=$(TZ=UTC0 v_as "$V" aud "$V_AUD_PW" audit verify 2>&1); rc=$?
t_eq "TZ=UTC0 outside the window (Tokyo): refused" 1 "$rc"
t_contains "... as outside the window" "may not sign in at this time" "$out"
out=$(printf '%s\n' "$V_AUD_PW" | "$A" window "$V" aud 2>&1); rc=$?
t_eq "window: the attack (TZ, TZDIR of one's own) fails" 1 "$rc"
t_contains "... the organisation's time zone decides" "WINDOW" "$out"

# The organisation's zone is the vault's setting: an administrator changes it, audited.
out=$(v_as "$V" admin "$V_ADMIN_PW" user timezone 2>&1)
t_contains "the zone is Asia/Tokyo unless set" "Asia/Tokyo" "$out"
out=$(v_as "$V" admin "$V_ADMIN_PW" user timezone Mars/Olympus 2>&1); rc=$?
t_eq "an unknown zone is refused" 1 "$rc"
out=$(v_as "$V" aud "$V_AUD_PW" user timezone UTC 2>&1); rc=$?
t_eq "an auditor may not change it" 1 "$rc"
t_ok "an administrator sets UTC" v_as "$V" admin "$V_ADMIN_PW" user timezone UTC
t_ok "... then 12:00 UTC is inside the window" v_as "$V" aud "$V_AUD_PW" audit verify
out=$(v_as "$V" sup "$V_SUP_PW" audit export --format csv 2>&1)
t_contains "... and the change is in the audit log" "zone=UTC" "$out"

# The syslog copy: a user's own configuration cannot switch it off.
mkdir -p "$T_TMP/xdg/mnvault"
printf '[audit]\nsyslog = false\n' >"$T_TMP/xdg/mnvault/mnvault.ini"
out=$(XDG_CONFIG_HOME=$T_TMP/xdg v_as "$V" aud "$V_AUD_PW" audit verify 2>&1)
t_contains "syslog = false in a user's file: ignored, with a warning" "read only from the system configuration" "$out"
t_done
