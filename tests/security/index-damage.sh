#!/usr/bin/env bash
# `mnvault verify` finds an index that no longer matches its table: a row without its entry,
# an entry without its row (in a partial index too, which SQLite's integrity_check does not
# count), two equal keys in a UNIQUE index, entries out of order. The damage is made with
# the raw key in SQLCipher's shell, as only a program holding the key could make it (every
# page stays authentic): the index is hidden from SQLite (writable_schema: its definition
# made partial on "WHERE 0", or changed), the table changed, the definition put back. Each
# must be exit 1 with the database part reported, not only the numbers or the chain.
. "$MNV_ROOT/tests/lib/tap.sh"
. "$MNV_ROOT/tests/lib/vault.sh"
P=$T_TMP/pristine D=$T_TMP/d
pw='bench passphrase that is long enough' # vaulttool bench's users admin and sup
"$MNV_TOOLS/vaulttool" bench "$P" 300 >/dev/null || t_bail "vaulttool bench failed"
"$MNV_TOOLS/vaulttool" auditfill "$P" 300 >/dev/null || t_bail "vaulttool auditfill failed"
key=$(printf '%s\n' "$pw" | "$MNV_TOOLS/vaulttool" rawkey "$P" sup)
# sql FILE STATEMENTS: in the shell, with the key, schema writes allowed.
sql() {
    sqlcipher "$1" 2>&1 <<SQL
PRAGMA key = "$key";
PRAGMA cipher_page_size = 4096;
PRAGMA cipher_log_source = NONE;
.dbconfig defensive off
PRAGMA writable_schema = ON;
$2
SQL
}
# define FILE INDEX SQL: give INDEX the definition SQL (its b-tree unchanged).
define() { sql "$1" "UPDATE sqlite_schema SET sql = '$3' WHERE type = 'index' AND name = '$2';" >/dev/null; }
run_verify() { v_as "$1" sup "$pw" verify 2>&1; }
# A table of our own beside the vault's: a partial index and a UNIQUE one.
sql "$P/vault.db" "CREATE TABLE scratch(id INTEGER PRIMARY KEY, a INTEGER, b TEXT);
CREATE INDEX scratch_a ON scratch(a) WHERE a IS NOT NULL;
CREATE UNIQUE INDEX scratch_b ON scratch(b);
WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 200)
INSERT INTO scratch SELECT i, CASE WHEN i % 3 THEN i END, 'b' || i FROM c;" >/dev/null
out=$(run_verify "$P"); rc=$?
t_eq "the pristine vault, with a table of ours, verifies" "0" "$rc"
t_contains "  ... its database part is ok" "ok       database pages and structure" "$out"
sql "$P/vault.db" "PRAGMA integrity_check;" >"$T_TMP/ic"
t_eq "SQLite's integrity_check agrees" "ok" "$(grep -v '^ *defensive' "$T_TMP/ic" | tail -n 1)"

# damaged NAME: verify of $D is exit 1 and its database line is not ok.
damaged() {
    local out rc
    out=$(run_verify "$D"); rc=$?
    case "$rc:$out" in
        1:*"database pages and structure: "*) t_pass "$1" ;;
        *) t_fail "$1" "exit $rc" "$(printf '%s' "$out" | head -n 12)" ;;
    esac
}
fresh() { rm -rf "$D" && cp -a "$P" "$D"; }
list='CREATE INDEX employees_list ON employees(code, name, kana, hire_date, retire_date)'

fresh
define "$D/vault.db" employees_list "$list WHERE 0"
sql "$D/vault.db" "UPDATE employees SET name = name || 'x' WHERE id = 7;" >/dev/null
define "$D/vault.db" employees_list "$list"
damaged "an employee's name changed behind employees_list (an entry missing, one too many)"
t_contains "  ... SQLite's words name the row" "row 7 missing from index employees_list" "$(run_verify "$D")"

fresh
define "$D/vault.db" employees_list "$list WHERE 0"
sql "$D/vault.db" "INSERT INTO employees(code, name, kana, birth_date, sex, hire_date, created_at,
    updated_at) VALUES ('ZZ999', 'x', 'x', '1990-01-01', 'M', '2020-04-01', 0, 0);" >/dev/null
define "$D/vault.db" employees_list "$list"
damaged "an employee added behind employees_list (a row without its entry)"

fresh
define "$D/vault.db" scratch_a "CREATE INDEX scratch_a ON scratch(a) WHERE 0"
sql "$D/vault.db" "DELETE FROM scratch WHERE id = 10;" >/dev/null
define "$D/vault.db" scratch_a "CREATE INDEX scratch_a ON scratch(a) WHERE a IS NOT NULL"
sql "$D/vault.db" "PRAGMA integrity_check;" >"$T_TMP/ic"
t_eq "an entry without its row in a partial index: integrity_check sees nothing" "ok" \
    "$(grep -v '^ *defensive' "$T_TMP/ic" | tail -n 1)"
damaged "  ... verify reports it"
t_contains "  ... in its own words" "entries of index scratch_a differ from its table" "$(run_verify "$D")"

fresh
define "$D/vault.db" scratch_a "CREATE INDEX scratch_a ON scratch(a) WHERE 0"
sql "$D/vault.db" "UPDATE scratch SET a = 1000 WHERE id = 11;" >/dev/null
define "$D/vault.db" scratch_a "CREATE INDEX scratch_a ON scratch(a) WHERE a IS NOT NULL"
damaged "a key changed behind a partial index"

fresh
define "$D/vault.db" scratch_b "CREATE INDEX scratch_b ON scratch(b)"
sql "$D/vault.db" "UPDATE scratch SET b = 'b5' WHERE id = 6;" >/dev/null
define "$D/vault.db" scratch_b "CREATE UNIQUE INDEX scratch_b ON scratch(b)"
damaged "two equal keys in a UNIQUE index"
t_contains "  ... named" "non-unique entry in index scratch_b" "$(run_verify "$D")"

fresh
define "$D/vault.db" scratch_b "CREATE UNIQUE INDEX scratch_b ON scratch(b DESC)"
sql "$D/vault.db" "REINDEX scratch_b;" >/dev/null
define "$D/vault.db" scratch_b "CREATE UNIQUE INDEX scratch_b ON scratch(b)"
damaged "an index's entries in reverse order"

fresh
sql "$D/vault.db" "DROP INDEX scratch_a; CREATE INDEX scratch_a ON scratch(a COLLATE NOCASE);
CREATE TABLE scratch2(k TEXT PRIMARY KEY, v) WITHOUT ROWID;
INSERT INTO scratch2 VALUES ('a', 1), ('b', 2);" >/dev/null
t_status "tables the scans do not handle (a collation, WITHOUT ROWID) verify by integrity_check" 0 \
    run_verify "$D"
define "$D/vault.db" scratch_a "CREATE INDEX scratch_a ON scratch(a COLLATE NOCASE) WHERE 0"
sql "$D/vault.db" "UPDATE scratch SET a = 5000 WHERE id = 12;" >/dev/null
define "$D/vault.db" scratch_a "CREATE INDEX scratch_a ON scratch(a COLLATE NOCASE)"
damaged "  ... and their damage is reported"
t_done
