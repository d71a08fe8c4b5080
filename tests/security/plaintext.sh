#!/usr/bin/env bash
# After numbers are stored (and revealed, listed, exported from the audit log), none of
# them appears in any file under the data folder: not as ASCII digits, not full-width, not
# grouped with hyphens or spaces.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot make a vault"

# 40 valid numbers (check digit computed as in doc/mynumber.md).
awk 'BEGIN { srand(11); w = "65432765432";
    for (i = 0; i < 40; i++) { s = ""; t = 0;
        for (j = 1; j <= 11; j++) { d = int(rand() * 10); s = s d; t += d * substr(w, j, 1) }
        r = t % 11; print s ((r <= 1) ? 0 : 11 - r) } }' > "$T_TMP/numbers"
awk '{ printf "P%04d %s tax_withholding social_insurance\n", NR, $1 }' "$T_TMP/numbers" \
    > "$T_TMP/seed"
refs=$( { echo "$V_CLERK_PW"; cat "$T_TMP/seed"; } | "$MNV_TOOLS/vaulttool" seed "$V" clerk)
t_eq "40 employees with numbers stored" 40 "$(echo "$refs" | grep -c '^employee:')"
first=$(echo "$refs" | head -n 1)
got=$(echo "$V_CLERK_PW" | "$MNV_TOOLS/vaulttool" reveal "$V" clerk "$first" tax_withholding '年末調整')
t_eq "a number can be revealed (so it is really stored)" "$(head -n 1 "$T_TMP/numbers")" "$got"
v_as "$V" sup "$V_SUP_PW" audit export --format csv > "$T_TMP/audit.csv"
t_ok "verify after storing" v_as "$V" sup "$V_SUP_PW" verify

# Every form a number could be written in.
fw() { echo "$1" | sed 'y/0123456789/０１２３４５６７８９/'; }
while read -r n; do
    g="${n:0:4}-${n:4:4}-${n:8:4}"
    printf '%s\n%s\n%s\n%s\n%s\n' "$n" "$(fw "$n")" "$g" "${n:0:4} ${n:4:4} ${n:8:4}" "$(fw "$g")"
done < "$T_TMP/numbers" > "$T_TMP/patterns"
t_eq "patterns: 5 forms of each number" 200 "$(wc -l < "$T_TMP/patterns")"
hits=$(grep -r -a -l -F -f "$T_TMP/patterns" "$V" 2>/dev/null)
t_eq "no number in any file under the data folder" "" "$hits"
t_eq "no number in the audit export" "" "$(grep -a -F -f "$T_TMP/patterns" "$T_TMP/audit.csv")"
t_eq "the data folder holds the two files only" "vault.db vault.keys" "$(ls -A "$V" | tr '\n' ' ' | sed 's/ $//')"
# A control: the same scan finds a number where there is one.
echo "x $(sed -n 3p "$T_TMP/numbers" | sed 'y/0123456789/０１２３４５６７８９/') y" > "$T_TMP/control"
t_eq "control: the scan does find a full-width number" 1 \
    "$(grep -a -c -F -f "$T_TMP/patterns" "$T_TMP/control")"
t_done
