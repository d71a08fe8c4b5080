#!/usr/bin/env bash
# Year-end figures are personal data: with the database key alone (the sqlcipher shell and
# the raw key, as an insider with a password would get them) the figures are not readable,
# a sealed row moved onto another employee or year does not open, and the figures go when
# the employee is deleted.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot make a vault"
{ echo "$V_CLERK_PW"; printf 'P0001 123456789018\nP0002 234567890121\n'; } |
    "$MNV_TOOLS/vaulttool" seed "$V" clerk >/dev/null || t_bail "cannot seed"
cat > "$T_TMP/fig.csv" <<'CSV'
employee_code,payment,tax,summary
P0001,7654321,246813,極秘の摘要テキスト
P0002,5555777,13579,
CSV
t_ok "figures imported" v_as "$V" clerk "$V_CLERK_PW" payroll import --year 2025 "$T_TMP/fig.csv"
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$V" sup)
sql() {
    sqlcipher "$V/vault.db" >"$T_TMP/sql.out" 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
$1
SQL
}
sql "SELECT count(*) FROM payroll;"
t_eq "the intruder's shell sees two rows" 2 "$(grep -E '^[0-9]+$' "$T_TMP/sql.out")"
sql ".dump"
t_lacks "the dump has no amount" "7654321" "$(cat "$T_TMP/sql.out")"
t_lacks "...nor the tax" "246813" "$(cat "$T_TMP/sql.out")"
t_lacks "...nor the summary text" "極秘" "$(cat "$T_TMP/sql.out")"
t_eq "no figure anywhere in the data folder" "" "$(grep -r -a -l -e 7654321 -e 246813 "$V")"

# Move P0002's sealed figures onto P0001: the data key and the associated data do not fit.
sql "UPDATE payroll SET wrapped_key = (SELECT wrapped_key FROM payroll WHERE employee_id = 2),
            ciphertext = (SELECT ciphertext FROM payroll WHERE employee_id = 2)
     WHERE employee_id = 1;"
out=$(v_as "$V" clerk "$V_CLERK_PW" payroll show P0001 --year 2025 2>&1); rc=$?
t_eq "moved figures: refused" 1 "$rc"
t_contains "...as damaged or altered" "integrity check" "$out"
t_lacks "...and P0002's amount is not shown under P0001" "5,555,777" "$out"
out=$(v_as "$V" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "verify notices the moved row" 1 "$rc"
t_contains "...naming the year-end figures" "year-end figures" "$out"
# Claim the row is another year: it does not open either.
sql "UPDATE payroll SET year = 2024 WHERE employee_id = 2;"
out=$(v_as "$V" clerk "$V_CLERK_PW" payroll show P0002 --year 2024 2>&1); rc=$?
t_eq "figures moved to another year: refused" 1 "$rc"
t_lacks "...without showing them" "5,555,777" "$out"

# Deleting the employee deletes the figures (and secure_delete wipes the page contents).
v2=$T_TMP/v2
v_full "$v2" || t_bail "second vault"
{ echo "$V_CLERK_PW"; printf 'Q0001 123456789018\n'; } | "$MNV_TOOLS/vaulttool" seed "$v2" clerk >/dev/null
printf 'employee_code,payment\nQ0001,7654321\n' > "$T_TMP/q.csv"
t_ok "figures imported (second vault)" v_as "$v2" clerk "$V_CLERK_PW" payroll import --year 2025 "$T_TMP/q.csv"
t_ok "the employee is deleted" bash -c "echo '$V_CLERK_PW' | '$MNV_TOOLS/taxtool' delete-employee '$v2' clerk Q0001"
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$v2" sup)
sqlcipher "$v2/vault.db" >"$T_TMP/sql2.out" 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
SELECT count(*) FROM payroll;
SQL
t_eq "no figures row is left" 0 "$(grep -E '^[0-9]+$' "$T_TMP/sql2.out")"
t_done
