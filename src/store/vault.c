#include "mnvault/vault.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <syslog.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/auditlog.h"
#include "mnvault/secmem.h"

#define STMT_CACHE 96
#define EPOCH_CACHE KEYRING_MAX_EPOCHS

/* Subkeys kept for the connection's life, in one secmem block. */
enum { K_MK, K_BLIND, K_AUDIT, K_FIELD, K_SIGN, K_DRBG, K_COUNT };

struct stmt_slot {
    const char *sql;
    sqlite3_stmt *st;
};

struct epoch_slot {
    uint32_t id; /* 0: empty */
    unsigned char *key;
};

struct vault {
    sqlite3 *db;
    struct keyring *kr;
    struct vault_options opt;
    unsigned char *keys; /* K_COUNT * 32 bytes of secmem */
    struct stmt_slot stmts[STMT_CACHE];
    size_t n_stmts;
    struct epoch_slot epochs[EPOCH_CACHE];
    uint64_t drbg_counter;
    const char *next_sql; /* vault_next_id() cache, valid inside one write transaction */
    int64_t next_id;
    int in_tx;
    int creating; /* the key file is not written yet: anchor in memory only */
    uint64_t head_seq, tx_head_seq, anchored_seq;
    unsigned char head[VCRYPTO_HASH_LEN], tx_head[VCRYPTO_HASH_LEN];
    char cipher_version[64];
};

/* ---- schema ------------------------------------------------------------------------------ */

/* Step 1: the first schema. Later steps are appended to `steps` and never edited. */
static const char schema_1[] =
    "CREATE TABLE meta(\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE users(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  name TEXT NOT NULL UNIQUE,\n"
    "  display_name TEXT NOT NULL DEFAULT '',\n"
    "  role TEXT NOT NULL CHECK (role IN ('clerk','supervisor','auditor','admin')),\n"
    "  disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),\n"
    "  must_change INTEGER NOT NULL DEFAULT 0 CHECK (must_change IN (0,1)),\n"
    "  totp_secret BLOB,\n"
    "  totp_last_step INTEGER NOT NULL DEFAULT 0,\n"
    "  win_days INTEGER NOT NULL DEFAULT 127 CHECK (win_days BETWEEN 0 AND 127),\n"
    "  win_start INTEGER NOT NULL DEFAULT 0 CHECK (win_start BETWEEN 0 AND 1440),\n"
    "  win_end INTEGER NOT NULL DEFAULT 1440 CHECK (win_end BETWEEN 0 AND 1440),\n"
    "  valid_until TEXT,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  password_changed_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE employees(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  code TEXT NOT NULL UNIQUE,\n"
    "  name TEXT NOT NULL,\n"
    "  kana TEXT NOT NULL,\n"
    "  birth_date TEXT NOT NULL,\n"
    "  sex TEXT NOT NULL CHECK (sex IN ('M','F')),\n"
    "  postal_code TEXT NOT NULL DEFAULT '',\n"
    "  address TEXT NOT NULL DEFAULT '',\n"
    "  hire_date TEXT NOT NULL,\n"
    "  retire_date TEXT,\n"
    "  emp_ins_no TEXT NOT NULL DEFAULT '',\n"
    "  pension_no TEXT NOT NULL DEFAULT '',\n"
    "  created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE dependents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,\n"
    "  name TEXT NOT NULL,\n"
    "  kana TEXT NOT NULL,\n"
    "  relation TEXT NOT NULL CHECK (relation IN ('spouse','child','parent','other')),\n"
    "  birth_date TEXT NOT NULL,\n"
    "  sex TEXT NOT NULL CHECK (sex IN ('M','F')),\n"
    "  created_at INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX dependents_by_employee ON dependents(employee_id);\n"
    "CREATE TABLE numbers(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  employee_id INTEGER REFERENCES employees(id) ON DELETE CASCADE,\n"
    "  dependent_id INTEGER REFERENCES dependents(id) ON DELETE CASCADE,\n"
    "  status TEXT NOT NULL CHECK (status IN ('registered','refused','disposed')),\n"
    "  version INTEGER NOT NULL DEFAULT 0,\n"
    "  key_epoch INTEGER,\n"
    "  wrapped_key BLOB,\n"
    "  ciphertext BLOB,\n"
    "  blind_index BLOB,\n"
    "  stored_at INTEGER,\n"
    "  stored_by TEXT,\n"
    "  refused_on TEXT,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  CHECK ((employee_id IS NULL) <> (dependent_id IS NULL))\n"
    ");\n"
    /* Partial: the NULLs of the other kind of person, and of records without a number,
     * are not indexed at all (it halves the cost of storing a number). */
    "CREATE UNIQUE INDEX numbers_by_employee ON numbers(employee_id)\n"
    "  WHERE employee_id IS NOT NULL;\n"
    "CREATE UNIQUE INDEX numbers_by_dependent ON numbers(dependent_id)\n"
    "  WHERE dependent_id IS NOT NULL;\n"
    "CREATE UNIQUE INDEX numbers_by_blind_index ON numbers(blind_index)\n"
    "  WHERE blind_index IS NOT NULL;\n"
    "CREATE TABLE number_purposes(\n"
    "  number_id INTEGER NOT NULL REFERENCES numbers(id) ON DELETE CASCADE,\n"
    "  purpose TEXT NOT NULL,\n"
    "  notified_on TEXT NOT NULL,\n"
    "  recorded_at INTEGER NOT NULL,\n"
    "  recorded_by TEXT NOT NULL,\n"
    "  PRIMARY KEY (number_id, purpose)\n"
    ") WITHOUT ROWID;\n"
    "CREATE TABLE audit(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  ts INTEGER NOT NULL,\n"
    "  user TEXT NOT NULL,\n"
    "  role TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  subject TEXT NOT NULL,\n"
    "  result TEXT NOT NULL,\n"
    "  detail TEXT NOT NULL,\n"
    "  prev BLOB NOT NULL,\n"
    "  hash BLOB NOT NULL\n"
    ");\n"
    /* Guards against our own mistakes; the chain is what catches deliberate edits. */
    "CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;\n"
    "CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit entries cannot be deleted'); END;\n";

/*
 * Step 2: the backup register (backupdb.h): every backup file this vault wrote, where, its
 * hash, and when and why it was deleted. Disposal needs it to find copies made before.
 */
static const char schema_2[] = "CREATE TABLE backups(\n"
                               "  id INTEGER PRIMARY KEY,\n"
                               "  backup_id BLOB NOT NULL UNIQUE,\n"
                               "  created_at INTEGER NOT NULL,\n"
                               "  path TEXT NOT NULL,\n"
                               "  size INTEGER NOT NULL,\n"
                               "  hash BLOB NOT NULL,\n"
                               "  managed INTEGER NOT NULL CHECK (managed IN (0,1)),\n"
                               "  made_by TEXT NOT NULL,\n"
                               "  audit_seq INTEGER NOT NULL,\n"
                               "  deleted_at INTEGER,\n"
                               "  deleted_by TEXT,\n"
                               "  deleted_why TEXT\n"
                               ");\n"
                               "CREATE INDEX backups_by_time ON backups(created_at);\n";

/* Step 3 (collectdb.h): identity verification at collection. A record per collection
 * event, tied to the number record and the version it verified; a later collection (a
 * changed number) keeps the earlier records, which hold no number. Documents are kept as
 * their kind, the check they served and at most the last 4 characters of their own number.
 * (Step 2 is the backup register.) */
static const char schema_3[] =
    "CREATE TABLE collections(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  employee_id INTEGER REFERENCES employees(id) ON DELETE CASCADE,\n"
    "  dependent_id INTEGER REFERENCES dependents(id) ON DELETE CASCADE,\n"
    "  number_id INTEGER REFERENCES numbers(id) ON DELETE SET NULL,\n"
    "  number_version INTEGER NOT NULL,\n"
    "  route TEXT NOT NULL,\n"
    "  channel TEXT NOT NULL CHECK (channel IN ('in_person','post','online')),\n"
    "  known_in_person INTEGER NOT NULL DEFAULT 0 CHECK (known_in_person IN (0,1)),\n"
    "  verified_by TEXT NOT NULL,\n"
    "  verified_on TEXT NOT NULL,\n"
    "  recorded_at INTEGER NOT NULL,\n"
    "  recorded_by TEXT NOT NULL,\n"
    "  CHECK ((employee_id IS NULL) <> (dependent_id IS NULL))\n"
    ");\n"
    "CREATE INDEX collections_by_employee ON collections(employee_id)\n"
    "  WHERE employee_id IS NOT NULL;\n"
    "CREATE INDEX collections_by_dependent ON collections(dependent_id)\n"
    "  WHERE dependent_id IS NOT NULL;\n"
    "CREATE INDEX collections_by_number ON collections(number_id, number_version);\n"
    "CREATE TABLE collection_documents(\n"
    "  collection_id INTEGER NOT NULL REFERENCES collections(id) ON DELETE CASCADE,\n"
    "  seq INTEGER NOT NULL,\n"
    "  for_check TEXT NOT NULL\n"
    "    CHECK (for_check IN ('number','identity','authority','agent_identity')),\n"
    "  document TEXT NOT NULL,\n"
    "  ref TEXT NOT NULL DEFAULT '' CHECK (length(ref) <= 4),\n"
    "  PRIMARY KEY (collection_id, seq)\n"
    ") WITHOUT ROWID;\n";

/* Step 4 (payrolldb.h): each employee's year-end figures per year, sealed under a data key
 * of the row wrapped by the epoch key, like numbers. */
static const char schema_4[] =
    "CREATE TABLE payroll(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,\n"
    "  year INTEGER NOT NULL,\n"
    "  version INTEGER NOT NULL,\n"
    "  key_epoch INTEGER NOT NULL,\n"
    "  wrapped_key BLOB NOT NULL,\n"
    "  ciphertext BLOB NOT NULL,\n"
    "  imported_at INTEGER NOT NULL,\n"
    "  imported_by TEXT NOT NULL,\n"
    "  UNIQUE (employee_id, year)\n"
    ");\n"
    "CREATE INDEX payroll_by_year ON payroll(year);\n";

/* Step 5 (custodydb.h): the custody register of exported files, and which persons' numbers
 * each held (internal ids, no foreign key: the record outlives the person). Rows are never
 * deleted. */
static const char schema_5[] =
    "CREATE TABLE custody(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  created_by TEXT NOT NULL,\n"
    "  form TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    "  copy TEXT NOT NULL,\n"
    "  purpose TEXT NOT NULL,\n"
    "  destination TEXT NOT NULL\n"
    "    CHECK (destination IN ('tax_office','municipality','person','contractor')),\n"
    "  path TEXT NOT NULL,\n"
    "  sha256 BLOB,\n"
    "  size INTEGER NOT NULL DEFAULT 0,\n"
    "  slips INTEGER NOT NULL,\n"
    "  persons INTEGER NOT NULL,\n"
    "  numbers INTEGER NOT NULL,\n"
    "  packed INTEGER NOT NULL DEFAULT 0 CHECK (packed IN (0,1)),\n"
    "  state TEXT NOT NULL CHECK (state IN\n"
    "    ('writing','written','failed','submitted','destroyed','returned')),\n"
    "  state_at INTEGER NOT NULL,\n"
    "  state_by TEXT NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "CREATE INDEX custody_by_state ON custody(state);\n"
    "CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody\n"
    "  BEGIN SELECT RAISE(ABORT, 'custody entries cannot be deleted'); END;\n"
    "CREATE TABLE custody_persons(\n"
    "  custody_id INTEGER NOT NULL REFERENCES custody(id),\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('employee','dependent')),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (custody_id, kind, person_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX custody_persons_by_person ON custody_persons(kind, person_id);\n";

/* Step 6 (retentiondb.h): legal holds. A supervisor's record of why a number past its
 * retention date is kept, with a review date after which it is due again. Rows are never
 * deleted while their number record exists; a release records when, by whom and why. */
static const char schema_6[] =
    "CREATE TABLE retention_holds(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  number_id INTEGER NOT NULL REFERENCES numbers(id) ON DELETE CASCADE,\n"
    "  reason TEXT NOT NULL CHECK (length(reason) > 0),\n"
    "  review_on TEXT NOT NULL,\n"
    "  placed_by TEXT NOT NULL,\n"
    "  placed_at INTEGER NOT NULL,\n"
    "  released_at INTEGER,\n"
    "  released_by TEXT,\n"
    "  release_why TEXT\n"
    ");\n"
    "CREATE INDEX retention_holds_by_number ON retention_holds(number_id);\n"
    "CREATE UNIQUE INDEX retention_holds_current ON retention_holds(number_id)\n"
    "  WHERE released_at IS NULL;\n";

/* Step 7 (disposaldb.h): disposal proposals, decided by a supervisor other than the
 * proposer, and their items. Rows are never deleted; an item keeps the number record's id
 * (never the number), whose it was, the retention date and kind of document that made it
 * due, and a digest of the retention facts, so that changed facts make it stale. */
static const char schema_7[] =
    "CREATE TABLE disposal_proposals(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  state TEXT NOT NULL CHECK (state IN\n"
    "    ('proposed','approved','rejected','withdrawn','stale','executed')),\n"
    "  proposed_by TEXT NOT NULL,\n"
    "  proposed_at INTEGER NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT '',\n"
    "  decided_by TEXT,\n"
    "  decided_at INTEGER,\n"
    "  reason TEXT,\n"
    "  executed_by TEXT,\n"
    "  executed_at INTEGER,\n"
    "  items INTEGER NOT NULL CHECK (items > 0),\n"
    "  employees INTEGER NOT NULL,\n"
    "  dependants INTEGER NOT NULL,\n"
    "  updated_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE INDEX disposal_proposals_by_state ON disposal_proposals(state);\n"
    "CREATE TABLE disposal_items(\n"
    "  proposal_id INTEGER NOT NULL REFERENCES disposal_proposals(id),\n"
    "  number_id INTEGER NOT NULL REFERENCES numbers(id) ON DELETE CASCADE,\n"
    "  employee_id INTEGER NOT NULL,\n"
    "  dependent_id INTEGER,\n"
    "  employee_code TEXT NOT NULL,\n"
    "  keep_until TEXT NOT NULL,\n"
    "  doc TEXT NOT NULL,\n"
    "  digest BLOB NOT NULL,\n"
    "  PRIMARY KEY (proposal_id, number_id)\n"
    ") WITHOUT ROWID;\n"
    "CREATE INDEX disposal_items_by_number ON disposal_items(number_id);\n";

/* Step 8 (insurancedb.h): the insurance facts of each employee and dependant (健康保険・
 * 厚生年金保険, 雇用保険, 被扶養者), sealed per row like the year-end figures; the register of
 * insurance filings made for each event (which file, or recorded by hand); and the custody
 * register rebuilt without the fixed list of destinations (年金事務所 and ハローワーク join
 * the tax office and the municipality; the service checks the names), its rows kept. */
static const char schema_8[] =
    "CREATE TABLE insurance(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  employee_id INTEGER REFERENCES employees(id) ON DELETE CASCADE,\n"
    "  dependent_id INTEGER REFERENCES dependents(id) ON DELETE CASCADE,\n"
    "  version INTEGER NOT NULL,\n"
    "  key_epoch INTEGER NOT NULL,\n"
    "  wrapped_key BLOB NOT NULL,\n"
    "  ciphertext BLOB NOT NULL,\n"
    "  updated_at INTEGER NOT NULL,\n"
    "  updated_by TEXT NOT NULL,\n"
    "  CHECK ((employee_id IS NULL) <> (dependent_id IS NULL))\n"
    ");\n"
    "CREATE UNIQUE INDEX insurance_by_employee ON insurance(employee_id)\n"
    "  WHERE employee_id IS NOT NULL;\n"
    "CREATE UNIQUE INDEX insurance_by_dependent ON insurance(dependent_id)\n"
    "  WHERE dependent_id IS NOT NULL;\n"
    "ALTER TABLE custody RENAME TO custody_old;\n"
    "CREATE TABLE custody(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  created_at INTEGER NOT NULL,\n"
    "  created_by TEXT NOT NULL,\n"
    "  form TEXT NOT NULL,\n"
    "  year INTEGER NOT NULL,\n"
    "  copy TEXT NOT NULL,\n"
    "  purpose TEXT NOT NULL,\n"
    "  destination TEXT NOT NULL,\n"
    "  path TEXT NOT NULL,\n"
    "  sha256 BLOB,\n"
    "  size INTEGER NOT NULL DEFAULT 0,\n"
    "  slips INTEGER NOT NULL,\n"
    "  persons INTEGER NOT NULL,\n"
    "  numbers INTEGER NOT NULL,\n"
    "  packed INTEGER NOT NULL DEFAULT 0 CHECK (packed IN (0,1)),\n"
    "  state TEXT NOT NULL CHECK (state IN\n"
    "    ('writing','written','failed','submitted','destroyed','returned')),\n"
    "  state_at INTEGER NOT NULL,\n"
    "  state_by TEXT NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "INSERT INTO custody SELECT * FROM custody_old;\n"
    "CREATE TABLE custody_persons_new(\n"
    "  custody_id INTEGER NOT NULL REFERENCES custody(id),\n"
    "  kind TEXT NOT NULL CHECK (kind IN ('employee','dependent')),\n"
    "  person_id INTEGER NOT NULL,\n"
    "  PRIMARY KEY (custody_id, kind, person_id)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO custody_persons_new SELECT * FROM custody_persons;\n"
    "DROP TABLE custody_persons;\n"
    "ALTER TABLE custody_persons_new RENAME TO custody_persons;\n"
    "DROP TABLE custody_old;\n"
    "CREATE INDEX custody_by_state ON custody(state);\n"
    "CREATE TRIGGER custody_no_delete BEFORE DELETE ON custody\n"
    "  BEGIN SELECT RAISE(ABORT, 'custody entries cannot be deleted'); END;\n"
    "CREATE INDEX custody_persons_by_person ON custody_persons(kind, person_id);\n"
    "CREATE TABLE filings(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  form TEXT NOT NULL,\n"
    "  event TEXT NOT NULL CHECK (event IN ('acquire','lose','join','leave')),\n"
    "  employee_id INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,\n"
    "  dependent_id INTEGER REFERENCES dependents(id) ON DELETE CASCADE,\n"
    "  event_on TEXT NOT NULL,\n"
    "  custody_id INTEGER REFERENCES custody(id),\n"
    "  recorded_at INTEGER NOT NULL,\n"
    "  recorded_by TEXT NOT NULL,\n"
    "  note TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "CREATE INDEX filings_by_employee ON filings(employee_id);\n";

/* Step 9 (certdb.h): certificates of deletion, kept byte for byte (the signed JSON and the
 * PDF) in the transaction of the deletion they certify, chained by the previous one's
 * SHA-256; and contractors' certificates that copies handed to them were returned or
 * destroyed, against the custody register. Never changed, never deleted. */
static const char schema_9[] =
    "CREATE TABLE certificates(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  id TEXT NOT NULL UNIQUE,\n"
    "  proposal_id INTEGER NOT NULL UNIQUE REFERENCES disposal_proposals(id),\n"
    "  issued_at INTEGER NOT NULL,\n"
    "  sha256 BLOB NOT NULL UNIQUE,\n"
    "  previous BLOB,\n"
    "  audit_seq INTEGER NOT NULL,\n"
    "  json BLOB NOT NULL,\n"
    "  pdf BLOB\n"
    ");\n"
    "CREATE TRIGGER certificates_no_update BEFORE UPDATE ON certificates\n"
    "  BEGIN SELECT RAISE(ABORT, 'certificates cannot be changed'); END;\n"
    "CREATE TRIGGER certificates_no_delete BEFORE DELETE ON certificates\n"
    "  BEGIN SELECT RAISE(ABORT, 'certificates cannot be deleted'); END;\n"
    "CREATE TABLE contractor_returns(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  custody_id INTEGER NOT NULL REFERENCES custody(id),\n"
    "  contractor TEXT NOT NULL,\n"
    "  reference TEXT NOT NULL,\n"
    "  outcome TEXT NOT NULL CHECK (outcome IN ('returned','destroyed')),\n"
    "  returned_on TEXT NOT NULL,\n"
    "  sha256 BLOB,\n"
    "  recorded_by TEXT NOT NULL,\n"
    "  recorded_at INTEGER NOT NULL\n"
    ");\n"
    "CREATE TRIGGER contractor_returns_no_delete BEFORE DELETE ON contractor_returns\n"
    "  BEGIN SELECT RAISE(ABORT, 'records cannot be deleted'); END;\n";

struct migration {
    int version;
    const char *sql;
};

static const struct migration steps[] = {
    {1, schema_1}, {2, schema_2}, {3, schema_3}, {4, schema_4}, {5, schema_5},
    {6, schema_6}, {7, schema_7}, {8, schema_8}, {9, schema_9},
};

int vault_schema_latest(void)
{
    return steps[MNV_ARRAY_LEN(steps) - 1].version;
}

void vault_options_default(struct vault_options *o)
{
    o->cache_mib = 64;
    o->memory_security = 0;
    o->syslog = 1;
}

/* ---- errors, statements ----------------------------------------------------------------- */

enum mnv_err vault_sql_error(struct vault *v, int rc, struct mnv_diag *diag)
{
    if (v->db)
        mnv_diag_detail(diag, "%s", sqlite3_errmsg(v->db));
    switch (rc & 0xFF) {
    case SQLITE_NOTADB:
        return MNV_ERR_DB_KEY;
    case SQLITE_CORRUPT:
        return MNV_ERR_DB_CORRUPT;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return MNV_ERR_DB_BUSY;
    case SQLITE_FULL:
    case SQLITE_IOERR:
    case SQLITE_CANTOPEN:
        return MNV_ERR_IO;
    case SQLITE_NOMEM:
        return MNV_ERR_NOMEM;
    default:
        return MNV_ERR_DB;
    }
}

enum mnv_err vault_exec(struct vault *v, const char *sql, struct mnv_diag *diag)
{
    int rc = sqlite3_exec(v->db, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err vault_stmt(struct vault *v, const char *sql, sqlite3_stmt **out, struct mnv_diag *diag)
{
    for (size_t i = 0; i < v->n_stmts; i++) {
        if (v->stmts[i].sql == sql) {
            sqlite3_reset(v->stmts[i].st);
            sqlite3_clear_bindings(v->stmts[i].st);
            *out = v->stmts[i].st;
            return MNV_OK;
        }
    }
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v3(v->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    if (v->n_stmts < STMT_CACHE) {
        v->stmts[v->n_stmts].sql = sql;
        v->stmts[v->n_stmts].st = st;
        v->n_stmts++;
    } else {
        /* Never expected (the program has fewer statements); keep it correct anyway. */
        sqlite3_finalize(v->stmts[0].st);
        memmove(&v->stmts[0], &v->stmts[1], (STMT_CACHE - 1) * sizeof(v->stmts[0]));
        v->stmts[STMT_CACHE - 1].sql = sql;
        v->stmts[STMT_CACHE - 1].st = st;
    }
    *out = st;
    return MNV_OK;
}

struct sqlite3 *vault_db(struct vault *v)
{
    return v->db;
}

/* One text value from a pragma or query into buf; "" when there is no row. */
static int query_text(struct vault *v, const char *sql, char *buf, size_t size)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    int rc = sqlite3_prepare_v2(v->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK)
        return rc;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const unsigned char *t = sqlite3_column_text(st, 0);
        snprintf(buf, size, "%s", t ? (const char *)t : "");
        rc = SQLITE_OK;
    } else if (rc == SQLITE_DONE) {
        rc = SQLITE_OK;
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- SQLite's memory: wiped when freed ----------------------------------------------------- */

/*
 * SQLite keeps decrypted pages (names, addresses) in ordinary heap memory. This allocator
 * zeroes every block when SQLite frees it, so freed pages do not linger in the heap; unlike
 * SQLCipher's cipher_memory_security it does not lock each block in memory, which costs a
 * system call per allocation. Installed once per process, before the first connection.
 */
#define WIPE_HDR 16 /* keeps the alignment malloc gives */

static void *wipe_malloc(int n)
{
    if (n <= 0)
        return NULL;
    unsigned char *p = malloc((size_t)n + WIPE_HDR);
    if (!p)
        return NULL;
    memcpy(p, &n, sizeof(n));
    return p + WIPE_HDR;
}

static int wipe_size(void *q)
{
    int n = 0;
    if (q)
        memcpy(&n, (unsigned char *)q - WIPE_HDR, sizeof(n));
    return n;
}

static void wipe_free(void *q)
{
    if (!q)
        return;
    sodium_memzero(q, (size_t)wipe_size(q));
    free((unsigned char *)q - WIPE_HDR);
}

static void *wipe_realloc(void *q, int n)
{
    void *r = wipe_malloc(n);
    if (!r)
        return NULL;
    int old = wipe_size(q);
    memcpy(r, q, (size_t)(old < n ? old : n));
    wipe_free(q);
    return r;
}

static int wipe_roundup(int n)
{
    return (n + 7) & ~7;
}

static int wipe_init(void *unused)
{
    (void)unused;
    return SQLITE_OK;
}

static void wipe_shutdown(void *unused)
{
    (void)unused;
}

static void install_wiping_allocator(void)
{
    static int done;
    static const sqlite3_mem_methods methods = {wipe_malloc,  wipe_free, wipe_realloc,  wipe_size,
                                                wipe_roundup, wipe_init, wipe_shutdown, NULL};
    if (done)
        return;
    done = 1;
    /* Fails harmlessly (SQLITE_MISUSE) if SQLite was already initialised by someone. */
    if (sqlite3_config(SQLITE_CONFIG_MALLOC, &methods) != SQLITE_OK) {
        /* the library keeps its own allocator */
    }
}

/* ---- connecting ----------------------------------------------------------------------------- */

static enum mnv_err set_key(struct vault *v, struct mnv_diag *diag)
{
    unsigned char *dbkey = secmem_alloc(VCRYPTO_KEY_LEN);
    char *text = secmem_alloc(2 * VCRYPTO_KEY_LEN + 4);
    enum mnv_err err = (dbkey && text) ? MNV_OK : MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = vcrypto_derive(dbkey, VCRYPTO_SUB_DB, v->keys);
    if (err == MNV_OK) {
        /* "x'<hex>'": SQLCipher's raw-key form (raw bytes would be taken as a passphrase). */
        text[0] = 'x';
        text[1] = '\'';
        vcrypto_hex(text + 2, dbkey, VCRYPTO_KEY_LEN);
        text[2 + 2 * VCRYPTO_KEY_LEN] = '\'';
        text[3 + 2 * VCRYPTO_KEY_LEN] = '\0';
        int rc = sqlite3_key_v2(v->db, "main", text, 3 + 2 * VCRYPTO_KEY_LEN);
        if (rc != SQLITE_OK)
            err = vault_sql_error(v, rc, diag);
    }
    secmem_free(text);
    secmem_free(dbkey);
    return err;
}

/* Explicit cipher settings: SQLCipher 4's defaults, written down so they cannot drift. */
static const char cipher_settings[] = "PRAGMA cipher_page_size = 4096;"
                                      "PRAGMA cipher_hmac_algorithm = HMAC_SHA512;"
                                      "PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA512;"
                                      "PRAGMA cipher_use_hmac = ON;"
                                      "PRAGMA cipher_plaintext_header_size = 0;";

static enum mnv_err check_cipher(struct vault *v, struct mnv_diag *diag)
{
    if (query_text(v, "PRAGMA cipher_version", v->cipher_version, sizeof(v->cipher_version)) !=
            SQLITE_OK ||
        strncmp(v->cipher_version, "4.", 2) != 0 || !sqlite3_compileoption_used("HAS_CODEC")) {
        mnv_diag_detail(diag, "cipher_version \"%s\"", v->cipher_version);
        return MNV_ERR_DB_CIPHER;
    }
    return MNV_OK;
}

static enum mnv_err apply_pragmas(struct vault *v, struct mnv_diag *diag)
{
    char buf[64], sql[256];
    if (query_text(v, "PRAGMA journal_mode = DELETE", buf, sizeof(buf)) != SQLITE_OK ||
        strcmp(buf, "delete") != 0) {
        mnv_diag_detail(diag, "journal_mode %s", buf);
        return MNV_ERR_DB;
    }
    snprintf(sql, sizeof(sql),
             "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;"
             "PRAGMA trusted_schema = OFF; PRAGMA cache_size = %d;",
             -1024 * (v->opt.cache_mib > 0 ? v->opt.cache_mib : 64));
    enum mnv_err err = vault_exec(v, sql, diag);
    if (err != MNV_OK)
        return err;
    /* Temporary tables and sorts in files would hold plaintext: memory only, or refuse. */
    if (query_text(v, "PRAGMA temp_store = MEMORY", buf, sizeof(buf)) != SQLITE_OK ||
        query_text(v, "PRAGMA temp_store", buf, sizeof(buf)) != SQLITE_OK || strcmp(buf, "2") ||
        sqlite3_compileoption_used("TEMP_STORE=0"))
        return MNV_ERR_DB_TEMP;
    int on = 0;
    sqlite3_db_config(v->db, SQLITE_DBCONFIG_DEFENSIVE, 1, &on);
    sqlite3_busy_timeout(v->db, 5000);
    return MNV_OK;
}

static enum mnv_err connect_db(struct vault *v, const char *path, int create, struct mnv_diag *diag)
{
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | (create ? SQLITE_OPEN_CREATE : 0);
    install_wiping_allocator();
    int rc = sqlite3_open_v2(path, &v->db, flags, NULL);
    if (rc != SQLITE_OK) {
        mnv_diag_where(diag, "%s", path);
        return rc == SQLITE_CANTOPEN ? MNV_ERR_DB_OPEN : vault_sql_error(v, rc, diag);
    }
    sqlite3_extended_result_codes(v->db, 1);
    /* Wait for other processes from the very first read (the key check below), not only
     * after the pragmas: a login while another process commits must not fail at once. */
    sqlite3_busy_timeout(v->db, 5000);
    /* SQLCipher would print its own errors on stderr, over our screens and messages; its
     * log level setting does not silence 4.6, the subsystem filter does. */
    enum mnv_err err0 = vault_exec(v, "PRAGMA cipher_log_source = NONE", diag);
    if (err0 != MNV_OK)
        return err0;
    if (v->opt.memory_security) {
        enum mnv_err err = vault_exec(v, "PRAGMA cipher_memory_security = ON", diag);
        if (err != MNV_OK)
            return err;
    }
    enum mnv_err err = set_key(v, diag);
    if (err == MNV_OK)
        err = check_cipher(v, diag);
    if (err == MNV_OK)
        err = vault_exec(v, cipher_settings, diag);
    if (err != MNV_OK)
        return err;
    /* The first read of the schema is where a wrong key or a damaged page 1 shows. */
    char buf[32];
    rc = query_text(v, "SELECT count(*) FROM sqlite_master", buf, sizeof(buf));
    if (rc != SQLITE_OK) {
        mnv_diag_where(diag, "%s", path);
        err = vault_sql_error(v, rc, diag);
        return err == MNV_ERR_DB_CORRUPT ? MNV_ERR_DB_KEY : err;
    }
    return apply_pragmas(v, diag);
}

static enum mnv_err migrate(struct vault *v, struct mnv_diag *diag)
{
    char buf[32];
    int rc = query_text(v, "PRAGMA user_version", buf, sizeof(buf));
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    int current = atoi(buf);
    if (current > vault_schema_latest()) {
        mnv_diag_detail(diag, "schema %d > %d", current, vault_schema_latest());
        return MNV_ERR_DB_NEWER;
    }
    for (size_t i = 0; i < MNV_ARRAY_LEN(steps); i++) {
        if (steps[i].version <= current)
            continue;
        char setv[64];
        snprintf(setv, sizeof(setv), "PRAGMA user_version = %d", steps[i].version);
        enum mnv_err err = vault_exec(v, "BEGIN IMMEDIATE", diag);
        if (err == MNV_OK)
            err = vault_exec(v, steps[i].sql, diag);
        if (err == MNV_OK)
            err = vault_exec(v, setv, diag);
        if (err == MNV_OK)
            err = vault_exec(v, "COMMIT", diag);
        if (err != MNV_OK) {
            sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
            return err;
        }
    }
    return MNV_OK;
}

static enum mnv_err vault_alloc(struct keyring *kr, const unsigned char mk[VCRYPTO_KEY_LEN],
                                const struct vault_options *o, struct vault **out)
{
    struct vault *v = calloc(1, sizeof(*v));
    if (!v)
        return MNV_ERR_NOMEM;
    v->kr = kr;
    v->opt = *o;
    v->keys = secmem_alloc(K_COUNT * VCRYPTO_KEY_LEN + VAULT_SCRATCH_LEN);
    if (!v->keys) {
        free(v);
        return MNV_ERR_NOMEM;
    }
    memcpy(v->keys + K_MK * VCRYPTO_KEY_LEN, mk, VCRYPTO_KEY_LEN);
    randombytes_buf(v->keys + K_DRBG * VCRYPTO_KEY_LEN, VCRYPTO_KEY_LEN);
    static const struct {
        int slot;
        enum vcrypto_subkey id;
    } derive[] = {{K_BLIND, VCRYPTO_SUB_BLIND},
                  {K_AUDIT, VCRYPTO_SUB_AUDIT},
                  {K_FIELD, VCRYPTO_SUB_FIELD},
                  {K_SIGN, VCRYPTO_SUB_SIGN}};
    for (size_t i = 0; i < MNV_ARRAY_LEN(derive); i++) {
        if (vcrypto_derive(v->keys + derive[i].slot * VCRYPTO_KEY_LEN, derive[i].id, mk) !=
            MNV_OK) {
            vault_close(v);
            return MNV_ERR_CRYPTO;
        }
    }
    *out = v;
    return MNV_OK;
}

static enum mnv_err write_vault_id(struct vault *v, struct mnv_diag *diag)
{
    char hex[2 * KEYRING_ID_LEN + 1];
    vcrypto_hex(hex, keyring_vault_id(v->kr), KEYRING_ID_LEN);
    enum mnv_err err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    err = vault_meta_set(v, "vault_id", hex, diag);
    if (err == MNV_OK)
        err = vault_commit(v, diag);
    else
        vault_rollback(v);
    return err;
}

enum mnv_err vault_create(const char *path, struct keyring *kr,
                          const unsigned char mk[VCRYPTO_KEY_LEN], const struct vault_options *o,
                          struct vault **out, struct mnv_diag *diag)
{
    *out = NULL;
    /* Create the empty file ourselves: exclusively, and readable by its owner only (SQLite
     * would use 0644, and its journal copies the database file's mode). */
    int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0) {
        int e = errno;
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, e);
        return e == EEXIST ? MNV_ERR_VAULT_EXISTS : MNV_ERR_IO;
    }
    if (fchmod(fd, 0600) != 0 || close(fd) != 0) {
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, errno);
        return MNV_ERR_IO;
    }
    struct vault *v;
    enum mnv_err err = vault_alloc(kr, mk, o, &v);
    if (err != MNV_OK)
        return err;
    v->creating = 1;
    err = connect_db(v, path, 1, diag);
    if (err == MNV_OK)
        err = migrate(v, diag);
    if (err == MNV_OK)
        err = write_vault_id(v, diag);
    if (err != MNV_OK) {
        vault_close(v);
        return err;
    }
    *out = v;
    return MNV_OK;
}

static enum mnv_err check_pairing(struct vault *v, struct mnv_diag *diag)
{
    char stored[64], hex[2 * KEYRING_ID_LEN + 1];
    enum mnv_err err = vault_meta_get(v, "vault_id", stored, sizeof(stored));
    if (err == MNV_ERR_NOT_FOUND || err == MNV_ERR_TOO_LONG)
        return MNV_ERR_DB_FOREIGN;
    if (err != MNV_OK)
        return err;
    vcrypto_hex(hex, keyring_vault_id(v->kr), KEYRING_ID_LEN);
    if (strcmp(stored, hex) != 0) {
        mnv_diag_detail(diag, "vault id");
        return MNV_ERR_DB_FOREIGN;
    }
    return MNV_OK;
}

/* The database got ahead of the anchor (a crash after COMMIT): move the anchor forward. */
static enum mnv_err catch_up_anchor(struct vault *v, struct mnv_diag *diag)
{
    struct keyring_anchor a;
    keyring_anchor_get(v->kr, &a);
    v->anchored_seq = a.seq;
    if (v->head_seq <= a.seq)
        return MNV_OK;
    enum mnv_err err = keyring_begin(v->kr, vault_mk(v), diag);
    if (err != MNV_OK)
        return err;
    keyring_anchor_get(v->kr, &a);
    if (v->head_seq > a.seq) {
        a.seq = v->head_seq;
        memcpy(a.head, v->head, sizeof(a.head));
        keyring_anchor_set(v->kr, &a);
    }
    err = keyring_commit(v->kr, vault_mk(v), diag);
    if (err == MNV_OK)
        v->anchored_seq = a.seq;
    return err;
}

enum mnv_err vault_open(const char *dir, struct keyring *kr,
                        const unsigned char mk[VCRYPTO_KEY_LEN], const struct vault_options *o,
                        struct vault **out, struct mnv_diag *diag)
{
    *out = NULL;
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/%s", dir, VAULT_DB_FILE) >= (int)sizeof(path))
        return MNV_ERR_TOO_LONG;
    struct stat st;
    if (lstat(path, &st) != 0) {
        mnv_diag_where(diag, "%s", path);
        return errno == ENOENT ? MNV_ERR_DB_MISSING : MNV_ERR_IO;
    }
    struct vault *v;
    enum mnv_err err = vault_alloc(kr, mk, o, &v);
    if (err != MNV_OK)
        return err;
    err = connect_db(v, path, 0, diag);
    if (err == MNV_OK)
        err = migrate(v, diag);
    if (err == MNV_OK)
        err = check_pairing(v, diag);
    struct keyring_anchor a;
    keyring_anchor_get(kr, &a);
    if (err == MNV_OK)
        err = auditlog_check_anchor(v, &a, diag);
    if (err == MNV_OK)
        err = catch_up_anchor(v, diag);
    if (err != MNV_OK) {
        if (!diag || !diag->where[0])
            mnv_diag_where(diag, "%s", path);
        vault_close(v);
        return err;
    }
    *out = v;
    return MNV_OK;
}

void vault_close(struct vault *v)
{
    if (!v)
        return;
    if (v->db) {
        if (v->in_tx)
            sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
        for (size_t i = 0; i < v->n_stmts; i++)
            sqlite3_finalize(v->stmts[i].st);
        sqlite3_close_v2(v->db);
    }
    for (size_t i = 0; i < EPOCH_CACHE; i++)
        secmem_free(v->epochs[i].key);
    secmem_free(v->keys);
    memset(v, 0, sizeof(*v));
    free(v);
}

/* ---- keys ------------------------------------------------------------------------------ */

struct keyring *vault_keyring(struct vault *v)
{
    return v->kr;
}

const unsigned char *vault_mk(const struct vault *v)
{
    return v->keys + K_MK * VCRYPTO_KEY_LEN;
}

void vault_random(struct vault *v, unsigned char *out, size_t len)
{
    /* One 96-bit IETF nonce per call (the counter), up to 1024 bytes of keystream each:
     * no two calls ever share keystream under the connection's key. */
    unsigned char nonce[crypto_stream_chacha20_ietf_NONCEBYTES] = {0};
    uint64_t c = v->drbg_counter++;
    for (int i = 0; i < 8; i++)
        nonce[i] = (unsigned char)(c >> (8 * i));
    if (len > 1024)
        len = 1024;
    crypto_stream_chacha20_ietf(out, len, nonce, v->keys + K_DRBG * VCRYPTO_KEY_LEN);
}

unsigned char *vault_scratch(struct vault *v)
{
    return v->keys + K_COUNT * VCRYPTO_KEY_LEN;
}

const unsigned char *vault_subkey(const struct vault *v, enum vcrypto_subkey id)
{
    switch (id) {
    case VCRYPTO_SUB_BLIND:
        return v->keys + K_BLIND * VCRYPTO_KEY_LEN;
    case VCRYPTO_SUB_AUDIT:
        return v->keys + K_AUDIT * VCRYPTO_KEY_LEN;
    case VCRYPTO_SUB_FIELD:
        return v->keys + K_FIELD * VCRYPTO_KEY_LEN;
    case VCRYPTO_SUB_SIGN:
        return v->keys + K_SIGN * VCRYPTO_KEY_LEN;
    default:
        return NULL;
    }
}

void vault_epoch_reload(struct vault *v)
{
    for (size_t i = 0; i < EPOCH_CACHE; i++) {
        secmem_free(v->epochs[i].key);
        v->epochs[i].key = NULL;
        v->epochs[i].id = 0;
    }
}

enum mnv_err vault_epoch_key(struct vault *v, uint32_t id, const unsigned char **key)
{
    *key = NULL;
    size_t free_slot = EPOCH_CACHE;
    for (size_t i = 0; i < EPOCH_CACHE; i++) {
        if (v->epochs[i].id == id && id != 0) {
            *key = v->epochs[i].key;
            return MNV_OK;
        }
        if (v->epochs[i].id == 0 && free_slot == EPOCH_CACHE)
            free_slot = i;
    }
    if (free_slot == EPOCH_CACHE) {
        vault_epoch_reload(v);
        free_slot = 0;
    }
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    enum mnv_err err = keyring_epoch_key(v->kr, id, vault_mk(v), k);
    if (err != MNV_OK) {
        secmem_free(k);
        return err;
    }
    v->epochs[free_slot].id = id;
    v->epochs[free_slot].key = k;
    *key = k;
    return MNV_OK;
}

/* ---- transactions ------------------------------------------------------------------------ */

static enum mnv_err begin_tx(struct vault *v, const char *sql, struct mnv_diag *diag)
{
    if (v->in_tx)
        return MNV_ERR_INVALID;
    enum mnv_err err = vault_exec(v, sql, diag);
    if (err != MNV_OK)
        return err;
    v->in_tx = 1;
    v->next_sql = NULL;
    v->tx_head_seq = v->head_seq;
    memcpy(v->tx_head, v->head, sizeof(v->head));
    return MNV_OK;
}

/*
 * With the write lock held: if another process rewrote the key file (an epoch rotation, a
 * new user), read it again, so nothing is wrapped under an epoch key it destroyed.
 */
static enum mnv_err refresh_keyring(struct vault *v, struct mnv_diag *diag)
{
    if (v->creating || !keyring_changed_on_disk(v->kr))
        return MNV_OK;
    enum mnv_err err = keyring_begin(v->kr, vault_mk(v), diag);
    if (err != MNV_OK)
        return err;
    keyring_abort(v->kr);
    vault_epoch_reload(v);
    return MNV_OK;
}

enum mnv_err vault_begin(struct vault *v, struct mnv_diag *diag)
{
    enum mnv_err err = begin_tx(v, "BEGIN IMMEDIATE", diag);
    if (err != MNV_OK)
        return err;
    err = refresh_keyring(v, diag);
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    /* Another process may have appended since we last looked. */
    sqlite3_stmt *st;
    err = vault_stmt(v, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st, diag);
    if (err == MNV_OK) {
        int rc = sqlite3_step(st);
        if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == VCRYPTO_HASH_LEN) {
            v->head_seq = (uint64_t)sqlite3_column_int64(st, 0);
            memcpy(v->head, sqlite3_column_blob(st, 1), VCRYPTO_HASH_LEN);
        } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
            err = vault_sql_error(v, rc, diag);
        }
        sqlite3_reset(st);
    }
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    v->tx_head_seq = v->head_seq;
    memcpy(v->tx_head, v->head, sizeof(v->head));
    return MNV_OK;
}

enum mnv_err vault_begin_read(struct vault *v, struct mnv_diag *diag)
{
    return begin_tx(v, "BEGIN", diag);
}

void vault_rollback(struct vault *v)
{
    if (!v->in_tx)
        return;
    sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
    v->in_tx = 0;
    v->next_sql = NULL;
    v->head_seq = v->tx_head_seq;
    memcpy(v->head, v->tx_head, sizeof(v->head));
}

int vault_in_tx(const struct vault *v)
{
    return v->in_tx;
}

static void log_head(const struct vault *v)
{
    static int opened;
    if (!v->opt.syslog)
        return;
    if (!opened) {
        openlog("mnvault", LOG_PID, LOG_AUTHPRIV);
        opened = 1;
    }
    char hex[2 * VCRYPTO_HASH_LEN + 1];
    vcrypto_hex(hex, v->head, VCRYPTO_HASH_LEN);
    syslog(LOG_NOTICE, "audit head seq=%llu hash=%s", (unsigned long long)v->head_seq, hex);
}

static enum mnv_err anchor_and(struct vault *v, vault_keyring_fn fn, void *ud,
                               struct mnv_diag *diag)
{
    struct keyring_anchor a;
    int moved = v->head_seq != v->tx_head_seq;
    if (v->creating) {
        keyring_anchor_get(v->kr, &a);
        if (v->head_seq > a.seq) {
            a.seq = v->head_seq;
            memcpy(a.head, v->head, sizeof(a.head));
            keyring_anchor_set(v->kr, &a);
        }
        return fn ? fn(v->kr, ud) : MNV_OK;
    }
    enum mnv_err err = keyring_begin(v->kr, vault_mk(v), diag);
    if (err != MNV_OK)
        return err;
    keyring_anchor_get(v->kr, &a);
    /* Another process may have anchored a later head of the same log: keep the later. */
    if (v->head_seq > a.seq) {
        a.seq = v->head_seq;
        memcpy(a.head, v->head, sizeof(a.head));
        keyring_anchor_set(v->kr, &a);
    }
    if (fn) {
        err = fn(v->kr, ud);
        if (err != MNV_OK) {
            keyring_abort(v->kr);
            return err;
        }
    }
    err = keyring_commit(v->kr, vault_mk(v), diag);
    if (err == MNV_OK) {
        v->anchored_seq = a.seq;
        if (moved)
            log_head(v);
    }
    return err;
}

static enum mnv_err commit_common(struct vault *v, vault_keyring_fn fn, void *ud,
                                  struct mnv_diag *diag)
{
    if (!v->in_tx)
        return MNV_ERR_INVALID;
    int rc = sqlite3_exec(v->db, "COMMIT", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        enum mnv_err err = vault_sql_error(v, rc, diag);
        vault_rollback(v);
        return err;
    }
    v->in_tx = 0;
    if (!fn && v->head_seq == v->tx_head_seq)
        return MNV_OK;
    return anchor_and(v, fn, ud, diag);
}

enum mnv_err vault_commit_with(struct vault *v, vault_keyring_fn fn, void *ud,
                               struct mnv_diag *diag)
{
    return commit_common(v, fn, ud, diag);
}

enum mnv_err vault_commit(struct vault *v, struct mnv_diag *diag)
{
    return commit_common(v, NULL, NULL, diag);
}

enum mnv_err vault_next_id(struct vault *v, const char *max_sql, int64_t *id, struct mnv_diag *diag)
{
    if (!v->in_tx)
        return MNV_ERR_INVALID;
    if (v->next_sql != max_sql) {
        sqlite3_stmt *st;
        enum mnv_err err = vault_stmt(v, max_sql, &st, diag);
        if (err != MNV_OK)
            return err;
        int rc = sqlite3_step(st);
        int64_t max = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        sqlite3_reset(st);
        if (rc != SQLITE_ROW)
            return vault_sql_error(v, rc, diag);
        v->next_sql = max_sql;
        v->next_id = max + 1;
    }
    *id = v->next_id++;
    return MNV_OK;
}

void vault_audit_head(const struct vault *v, uint64_t *seq, unsigned char hash[VCRYPTO_HASH_LEN])
{
    *seq = v->head_seq;
    memcpy(hash, v->head, VCRYPTO_HASH_LEN);
}

void vault_audit_set_head(struct vault *v, uint64_t seq, const unsigned char hash[VCRYPTO_HASH_LEN])
{
    v->head_seq = seq;
    memcpy(v->head, hash, VCRYPTO_HASH_LEN);
}

/* ---- meta and checks ---------------------------------------------------------------------- */

enum mnv_err vault_meta_get(struct vault *v, const char *key, char *buf, size_t size)
{
    sqlite3_stmt *st;
    buf[0] = '\0';
    enum mnv_err err = vault_stmt(v, "SELECT value FROM meta WHERE key = ?1", &st, NULL);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        int n = snprintf(buf, size, "%s", t ? t : "");
        err = (n < 0 || (size_t)n >= size) ? MNV_ERR_TOO_LONG : MNV_OK;
    } else {
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, NULL);
    }
    sqlite3_reset(st);
    return err;
}

enum mnv_err vault_meta_set(struct vault *v, const char *key, const char *value,
                            struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "INSERT OR REPLACE INTO meta(key, value) VALUES (?1, ?2)", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, value, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

/* Run a checking pragma; rows other than "ok" are problems. */
static int run_check(struct vault *v, const char *sql, struct vault_integrity *r, int *failed)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(v->db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        *failed = 1;
        if (!r->first[0])
            snprintf(r->first, sizeof(r->first), "%s", sqlite3_errmsg(v->db));
        r->problems++;
        return rc;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok") == 0 && sqlite3_column_count(st) == 1)
            continue;
        *failed = 1;
        r->problems++;
        if (!r->first[0])
            snprintf(r->first, sizeof(r->first), "%s", t ? t : "?");
    }
    if (rc != SQLITE_DONE) {
        *failed = 1;
        r->problems++;
        if (!r->first[0])
            snprintf(r->first, sizeof(r->first), "%s", sqlite3_errmsg(v->db));
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

enum mnv_err vault_check_integrity(struct vault *v, struct vault_integrity *r)
{
    memset(r, 0, sizeof(*r));
    int bad_cipher = 0, bad_tree = 0, bad_fk = 0;
    run_check(v, "PRAGMA cipher_integrity_check", r, &bad_cipher);
    run_check(v, "PRAGMA integrity_check", r, &bad_tree);
    run_check(v, "PRAGMA foreign_key_check", r, &bad_fk);
    r->cipher_ok = !bad_cipher;
    r->integrity_ok = !bad_tree;
    r->foreign_ok = !bad_fk;
    return (bad_cipher || bad_tree || bad_fk) ? MNV_ERR_DB_CORRUPT : MNV_OK;
}

const char *vault_cipher_version(const struct vault *v)
{
    return v->cipher_version;
}
