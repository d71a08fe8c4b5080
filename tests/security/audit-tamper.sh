#!/usr/bin/env bash
# Editing or deleting audit rows directly with the database key (the sqlcipher shell, the
# raw key from the test-only vaulttool) is caught by `audit verify`, which names the first
# entry that does not fit; removing the newest entries, or putting back an older vault.db,
# is refused at open as a rollback.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
P=$T_TMP/pristine
export MNVAULT_TEST_NOW=2026-12-01T01:00:00
v_full "$P" || t_bail "cannot make a vault"
key=$(echo "$V_SUP_PW" | "$MNV_TOOLS/vaulttool" rawkey "$P" sup)
t_eq "the test tool gives the raw key" 1 "$(echo "$key" | grep -cE "^x'[0-9a-f]{64}'$")"

# sql DIR STATEMENTS: run SQL on DIR/vault.db with the key, as an intruder would.
sql() {
    sqlcipher "$1/vault.db" >"$T_TMP/sql.out" 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
$2
SQL
}
fresh() { rm -rf "$T_TMP/d" && cp -a "$P" "$T_TMP/d"; }

fresh
sql "$T_TMP/d" "SELECT count(*) FROM audit;"
t_eq "the shell opens the vault with the raw key" 1 "$(grep -cE '^[0-9]+$' "$T_TMP/sql.out")"
sql "$T_TMP/d" "UPDATE audit SET detail = 'x' WHERE seq = 3;"
t_contains "a trigger refuses edits of audit rows" "cannot be changed" "$(cat "$T_TMP/sql.out")"

sql "$T_TMP/d" "DROP TRIGGER audit_no_update; UPDATE audit SET detail = 'role=clerk' WHERE seq = 3;"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify 2>&1); rc=$?
t_eq "an edited entry: audit verify exits 1" 1 "$rc"
t_contains "...naming entry 3" "entry 3 does not fit" "$out"
t_contains "...and why" "changed after it was written" "$out"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" verify 2>&1); rc=$?
t_eq "...and verify exits 1" 1 "$rc"

fresh
sql "$T_TMP/d" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = 4;"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify 2>&1); rc=$?
t_eq "a deleted entry: audit verify exits 1" 1 "$rc"
t_contains "...naming entry 4" "entry 4 does not fit" "$out"

fresh
sql "$T_TMP/d" "DROP TRIGGER audit_no_update;
UPDATE audit SET user = 'sup', role = 'supervisor' WHERE seq = 2;"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify 2>&1)
t_contains "changing who did something is caught" "entry 2 does not fit" "$out"

fresh
sql "$T_TMP/d" "INSERT INTO audit SELECT seq + 1000, ts, user, role, action, subject, result,
    detail, prev, hash FROM audit WHERE seq = 5;"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify 2>&1); rc=$?
t_eq "an inserted entry: audit verify exits 1" 1 "$rc"

fresh
last=$(sql "$T_TMP/d" "SELECT max(seq) FROM audit;"; grep -E '^[0-9]+$' "$T_TMP/sql.out")
sql "$T_TMP/d" "DROP TRIGGER audit_no_delete; DELETE FROM audit WHERE seq = $last;"
out=$(v_as "$T_TMP/d" aud "$V_AUD_PW" audit verify 2>&1); rc=$?
t_eq "the newest entry removed: the vault does not open" 1 "$rc"
t_contains "...as rolled back" "rolled back" "$out"

# An older copy of vault.db put back is refused at open.
rm -rf "$T_TMP/r" && cp -a "$P" "$T_TMP/r"
cp -p "$T_TMP/r/vault.db" "$T_TMP/old.db"
t_ok "work goes on (a user is added)" v_add_user "$T_TMP/r" clerk2 clerk "$V_CLERK_PW"
cp -p "$T_TMP/old.db" "$T_TMP/r/vault.db"
out=$(v_as "$T_TMP/r" sup "$V_SUP_PW" verify 2>&1); rc=$?
t_eq "an older vault.db: refused (exit 1)" 1 "$rc"
t_contains "...as older than its key file" "older than its key file records" "$out"
out=$(v_as "$T_TMP/r" admin "$V_ADMIN_PW" user list 2>&1); rc=$?
t_eq "...by every command" 1 "$rc"
t_done
