#!/usr/bin/env bash
# A use of a number for a purpose that was not notified is refused with a message naming
# it, and the refusal is audited; once notified, the same use is allowed.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot make a vault"
ref=$(printf '%s\nE1 123456789018 tax_withholding\n' "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" seed "$V" clerk)
out=$(echo "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" clerk "$ref" social_insurance '資格取得届'); rc=$?
t_eq "reveal for a purpose not notified: refused" 1 "$rc"
t_eq "...as PURPOSE_NOT_NOTIFIED" PURPOSE_NOT_NOTIFIED "$out"
csv=$(v_as "$V" sup "$V_SUP_PW" audit export --format csv | tr -d '\r')
t_contains "the refusal is audited, naming the purpose" \
    '"clerk","clerk","reveal","E1","refused","purpose=social_insurance not_notified"' "$csv"
out=$(echo "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" clerk "$ref" marketing 'x'); rc=$?
t_eq "an unknown purpose is refused" PURPOSE_UNKNOWN "$out"
out=$(echo "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" notify "$V" clerk "$ref" social_insurance 2026-11-30)
t_eq "the purpose is notified (a new notification)" OK "$out"
out=$(echo "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" clerk "$ref" social_insurance '資格取得届'); rc=$?
t_eq "now the same use is allowed" 0 "$rc"
t_eq "...and gives the number" 123456789018 "$out"
out=$(echo "$V_AUD_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" aud "$ref" tax_withholding 'x'); rc=$?
t_eq "an auditor may never reveal" DENIED "$out"
csv=$(v_as "$V" sup "$V_SUP_PW" audit export --format csv | tr -d '\r')
t_contains "the reveal is audited with purpose and reason" \
    '"reveal","E1","ok","purpose=social_insurance reason=資格取得届"' "$csv"
t_contains "the auditor's attempt is audited as denied" '"aud","auditor","number.reveal","E1","denied"' "$csv"
t_lacks "no audit entry holds the number" "123456789018" "$csv"
t_lacks "...nor its last digits" "9018" "$csv"
t_done
