#!/usr/bin/env bash
# A vault written before issue 11 (key file format 1: one master key in every slot; kept in
# tests/data/vault-v1, made by the code of commit 87c5b8c) is upgraded by a supervisor's
# sign-in: every number re-sealed for its person under a new number key, the database
# rekeyed, TOTP secrets kept, disabled users' slots dropped. Afterwards the old master key
# (anyone's old password with the old key file) opens nothing of the vault, the auditor
# still reads no number, and clerks wait for a supervisor's approval.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
F=$MNV_ROOT/tests/data/vault-v1
A=$MNV_TOOLS/attack
V=$T_TMP/v
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
fresh() { rm -rf "$V" && mkdir -m 700 "$V" && cp "$F/vault.keys" "$F/vault.db" "$V/"; }
attack() { # NAME EXPECTED-STATUS PASSWORD ARGS...
    local name=$1 want=$2 pw=$3; shift 3
    printf '%b\n' "$pw" | "$A" "$@" >"$T_TMP/a.out" 2>&1
    local rc=$?
    if [ "$rc" -eq "$want" ]; then t_pass "$name"; else t_fail "$name" "exit $rc, expected $want" "$(cat "$T_TMP/a.out")"; fi
}
version() { od -An -tu1 -j8 -N1 "$1/vault.keys" | tr -d ' '; }
SUP2_PW='amber lamps along the canal' CLERK2_PW='paper cranes fold at midnight'
AUD2_PW='violet bicycles down the hill'

fresh
t_eq "the fixture's key file is format 1" 1 "$(version "$V")"
attack "before the upgrade (format 1), the auditor's password opened every number" \
    0 "$V_AUD_PW" numbers "$V" aud
out=$(v_as "$V" aud "$V_AUD_PW" audit verify 2>&1); rc=$?
t_eq "an auditor cannot sign in to a format-1 vault (exit 1)" 1 "$rc"
t_contains "...and is told that a supervisor signs in first" "a supervisor signs in first" "$out"
t_eq "...and nothing was changed" 1 "$(version "$V")"
out=$(v_as "$V" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "a supervisor's sign-in upgrades the vault, which then verifies" 0 "$rc"
t_contains "...every number re-sealed and opened" "8 checked" "$out"
t_eq "the key file is format 2" 2 "$(version "$V")"
out=$(v_as "$V" sup "$V_SUP_PW" audit export --format csv 2>&1)
t_contains "the upgrade is in the audit log" '"vault.upgrade","","ok","keyfile=2' "$out"
t_ok "the audit chain from before the upgrade still verifies" v_as "$V" sup "$V_SUP_PW" audit verify

attack "finding 1 after the upgrade: the auditor's old slot reads no number" 1 "$V_AUD_PW" numbers "$V" aud
attack "...nor the administrator's" 1 "$V_ADMIN_PW" numbers "$V" admin
attack "...nor the old key file with the auditor's password (the old master key)" \
    1 "$V_AUD_PW" oldkeys "$F/vault.keys" "$V" aud
attack "...nor the old key file with a clerk's password" \
    1 "$V_CLERK_PW" oldkeys "$F/vault.keys" "$V" clerk
t_ok "the auditor signs in (the old slot becomes a format-2 one)" \
    v_as "$V" aud "$V_AUD_PW" audit verify
attack "...and still reads no number" 1 "$V_AUD_PW" numbers "$V" aud
out=$(v_as "$V" clerk2 "$CLERK2_PW" verify 2>&1); rc=$?
t_eq "a disabled clerk's slot was dropped by the upgrade" 1 "$rc"

out=$(printf '%s\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" clerk employee:1 tax_withholding check 2>&1)
t_contains "a clerk waits for a supervisor's approval after the upgrade" "APPROVAL_PENDING" "$out"
t_ok "sup approves clerk, with the code clerk is shown" \
    v_as "$V" sup "$V_SUP_PW" user approve clerk --code "$(v_code "$V" clerk "$V_CLERK_PW")"
out=$(printf '%s\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" clerk employee:1 tax_withholding check 2>&1)
t_eq "then the clerk reveals the number stored before the upgrade" "123456789018" "$out"
t_ok "sup2 (a second supervisor) signs in and is approved" \
    bash -c "code=\$(printf '%s\n' '$SUP2_PW' | '$MNV_TEST' verify --data-dir '$V' --user sup2 --password-fd 0 2>&1 | grep -oE '[0-9A-Z]{4}(-[0-9A-Z]{4}){3}') && \
             printf '%s\n' '$V_SUP_PW' | '$MNV_TEST' user approve sup2 --code \"\$code\" --data-dir '$V' --user sup --password-fd 0 >/dev/null"
code=$(oathtool --totp -b "$(cat "$F/aud2.totp")" --now "2026-12-01 01:00:00 UTC")
t_ok "aud2's authenticator app still works (its secret was re-sealed)" \
    v_as "$V" aud2 "$AUD2_PW\n$code" audit verify
cp -p "$F/vault.keys" "$V/vault.keys"
out=$(v_as "$V" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "the format-1 key file put back is refused" 1 "$rc"
t_contains "...as older than the database" "older than the vault database records" "$out"

# The format-1 backup: restored by a supervisor (and upgraded on the way), not by a clerk.
R=$T_TMP/r
"$MNV_TEST" restore "$F/backup-v1.mnvbak" --data-dir "$R" --user clerk --password-fd 3 \
    3< <(printf '%s\n' "$V_CLERK_PW") >"$T_TMP/r.out" 2>&1; rc=$?
t_eq "a clerk cannot restore the format-1 backup (exit 1)" 1 "$rc"
t_contains "...told as a wrong password" "does not open this backup" "$(cat "$T_TMP/r.out")"
t_ok "...and nothing is left" test ! -e "$R"
"$MNV_TEST" restore "$F/backup-v1.mnvbak" --data-dir "$R" --user sup --password-fd 3 \
    3< <(printf '%s\n' "$V_SUP_PW") >"$T_TMP/r.out" 2>&1; rc=$?
t_eq "a supervisor restores the format-1 backup" 0 "$rc"
t_eq "...into a format-2 vault" 2 "$(version "$R")"
out=$(v_as "$R" sup "$V_SUP_PW" verify 2>&1)
t_contains "...whose numbers all open" "8 checked" "$out"
attack "...and whose auditor reads no number" 1 "$V_AUD_PW" numbers "$R" aud

# Recovery shares of before the upgrade still set an auditor's password (VK only).
fresh
t_ok "(upgrade a fresh copy)" v_as "$V" sup "$V_SUP_PW" verify
awk -v RS='\f' 'NR <= 2' "$F/sheets.txt" >"$T_TMP/two"
"$MNV_TEST" recovery restore --data-dir "$V" --user aud --password-fd 3 \
    3< <(printf '%s\n' 'a brand new phrase for the watcher') <"$T_TMP/two" >"$T_TMP/rec.out" 2>&1; rc=$?
t_eq "shares split before the upgrade still recover an auditor's password" 0 "$rc"
attack "...and that password reads no number" 1 'a brand new phrase for the watcher' numbers "$V" aud

# A format-1 vault made by main after payroll landed (schema 4, tests/data/vault-v1p): the
# payroll rows' keys are re-wrapped with the numbers by the upgrade.
P=$T_TMP/p; FP=$MNV_ROOT/tests/data/vault-v1p; DPW='correct horse battery staple'
mkdir -p "$P" && cp "$FP/vault.db" "$FP/vault.keys" "$P/" && chmod 600 "$P"/vault.*
pay() { printf '%s\n' "$DPW" | "$MNV_TEST" payroll --data-dir "$P" --user "$1" --password-fd 0 "${@:2}"; }
t_ok "the supervisor's sign-in upgrades the payroll vault" v_as "$P" supervisor "$DPW" verify
t_eq "...to format 2" 2 "$(version "$P")"
out=$(pay supervisor show E000003 2>&1)
t_contains "...whose year-end figures still open" "764,500" "$out"
t_contains "...all of them" "1,154,675" "$out"
t_contains "verify opens every payroll row" "year-end figures: 12 checked" "$(v_as "$P" supervisor "$DPW" verify 2>&1)"
code=$(v_code "$P" clerk "$DPW")
t_ok "the clerk is approved with their code" v_as "$P" supervisor "$DPW" user approve clerk --code "$code"
got=$(for i in 1 2 3; do printf '%s\n' "$DPW" | "$MNV_TOOLS/vaulttool" reveal "$P" clerk employee:$i tax_withholding check 2>&1; done)
t_eq "...and reads the numbers stored before the upgrade" "$(cat "$FP/numbers.txt")" "$got"
t_contains "...and the figures" "764,500" "$(pay clerk show E000003 2>&1)"
attack "the auditor reads no number of the upgraded payroll vault" 1 "$DPW" numbers "$P" auditor
t_done
