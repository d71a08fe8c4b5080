#!/usr/bin/env bash
# Insurance facts are personal data: with the database key alone (the sqlcipher shell and the
# raw key, as an insider with a password would get them) the facts are not readable, a
# sealed row moved onto another person does not open (and verify says so), and the facts
# go when the person is deleted.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
V=$T_TMP/v
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$V" || t_bail "cannot make a vault"
{ echo "$V_CLERK_PW"; printf 'P0001 123456789018\nP0002 234567890121\n'; } |
    "$MNV_TOOLS/vaulttool" seed "$V" clerk >/dev/null || t_bail "cannot seed"
ins() { v_as "$V" clerk "$V_CLERK_PW" insurance "$@"; }
t_ok "facts of P0001" ins set P0001 shaho.pay_cash=7654321 shaho.seiri_no=246813 shaho.note=極秘の備考
t_ok "facts of P0002" ins set P0002 shaho.pay_cash=5555777
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$V" sup)
sql() {
    sqlcipher "$V/vault.db" >"$T_TMP/sql.out" 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
$1
SQL
}
sql "SELECT count(*) FROM insurance;"
t_eq "the intruder's shell sees two rows" 2 "$(grep -E '^[0-9]+$' "$T_TMP/sql.out")"
sql ".dump"
t_lacks "the dump has no amount" "7654321" "$(cat "$T_TMP/sql.out")"
t_lacks "...nor the insured person's number" "246813" "$(cat "$T_TMP/sql.out")"
t_lacks "...nor the note" "極秘" "$(cat "$T_TMP/sql.out")"
t_contains "the audit log names the facts changed (their values are checked absent above)" \
    "keys=shaho.pay_cash,shaho.seiri_no,shaho.note" "$(cat "$T_TMP/sql.out")"
t_eq "no fact anywhere in the data folder" "" "$(grep -r -a -l -e 7654321 -e 246813 "$V")"

# Move P0002's sealed facts onto P0001: the data key and the associated data do not fit.
sql "UPDATE insurance SET wrapped_key = (SELECT wrapped_key FROM insurance WHERE employee_id = 2),
            ciphertext = (SELECT ciphertext FROM insurance WHERE employee_id = 2)
     WHERE employee_id = 1;"
out=$(ins show P0001 2>&1); rc=$?
t_eq "moved facts: refused" 1 "$rc"
t_contains "...as damaged or altered" "integrity check" "$out"
t_lacks "...and P0002's amount is not shown under P0001" "5555777" "$out"
out=$(v_as "$V" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "verify notices the moved row" 1 "$rc"
t_contains "...naming the insurance facts" "insurance facts" "$out"
# Give the row to a dependant instead: it does not open either.
sql "UPDATE insurance SET employee_id = NULL, dependent_id = 1 WHERE employee_id = 2;"
out=$(ins show P0002 2>&1)
t_lacks "facts moved to another kind of person: not shown" "5555777" "$out"

# Deleting the employee deletes the facts.
v2=$T_TMP/v2
v_full "$v2" || t_bail "second vault"
{ echo "$V_CLERK_PW"; printf 'Q0001 123456789018\n'; } | "$MNV_TOOLS/vaulttool" seed "$v2" clerk >/dev/null
t_ok "facts set (second vault)" v_as "$v2" clerk "$V_CLERK_PW" insurance set Q0001 shaho.pay_cash=7654321
t_ok "the employee is deleted" bash -c "echo '$V_CLERK_PW' | '$MNV_TOOLS/taxtool' delete-employee '$v2' clerk Q0001"
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$v2" sup)
sqlcipher "$v2/vault.db" >"$T_TMP/sql2.out" 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
SELECT count(*) FROM insurance;
SQL
t_eq "no facts row is left" 0 "$(grep -E '^[0-9]+$' "$T_TMP/sql2.out")"
t_done
