/*
 * vault_schema.c: the schema of vault.db and its numbered migrations (doc/vault-format.md).
 * At open, every step above the database's user_version runs in its own transaction and
 * sets user_version; a database newer than the program is refused. A step once released is
 * never edited: new tables and columns come as new steps at the end of `steps`. A step may
 * also run C code in its transaction (step 9 re-seals a format-1 vault's secrets).
 */
#include "vault_int.h"

#include <stdio.h>
#include <stdlib.h>

#include "mnvault/insurancedb.h"
#include "mnvault/numberdb.h"
#include "mnvault/payrolldb.h"
#include "mnvault/userdb.h"

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

/*
 * Step 9 (key file format 2, issue 11): the key file's journal (its protected part as last
 * written, with its generation and the count of login-state writes, so that an old copy put
 * back is rolled forward or noticed), the lockout state as last seen by a successful login,
 * and the organisation's time zone. Its C part re-seals, inside the same transaction, what a
 * format-1 vault sealed under MK: every number (now bound to its person), its blind index
 * (now keyed from NK), the TOTP secrets (now under VK), and the wrapped keys of the payroll
 * and insurance rows.
 */
static const char schema_9[] =
    "CREATE TABLE keyfile(\n"
    "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  generation INTEGER NOT NULL,\n"
    "  image BLOB NOT NULL,\n"
    "  state_seq INTEGER NOT NULL\n"
    ");\n"
    "CREATE TABLE login_mirror(\n"
    "  name_hash BLOB PRIMARY KEY,\n"
    "  failures INTEGER NOT NULL,\n"
    "  lockouts INTEGER NOT NULL,\n"
    "  locked_until INTEGER NOT NULL,\n"
    "  last_failure INTEGER NOT NULL\n"
    ") WITHOUT ROWID;\n"
    "INSERT OR IGNORE INTO meta(key, value) VALUES ('org_timezone', 'Asia/Tokyo');\n";

static enum mnv_err step_9(struct vault *v, struct mnv_diag *diag)
{
    if (!(v->keys->have & KEYRING_HAVE_MK)) {
        /* A new database, or one the upgrade already re-sealed: nothing sealed under MK. */
        return MNV_OK;
    }
    enum mnv_err err = numberdb_reseal_v1(v, diag);
    if (err == MNV_OK)
        err = userdb_totp_reseal(v, vault_subkey(v, VAULT_SUB_OLD_FIELD),
                                 vault_subkey(v, VAULT_SUB_FIELD), diag);
    long figures, facts;
    if (err == MNV_OK) /* the MK epoch keys go when the upgrade finishes */
        err = payrolldb_rewrap_all(v, &figures, diag);
    if (err == MNV_OK)
        err = insurancedb_rewrap_all(v, &facts, diag);
    return err;
}

/*
 * Step 10 (auditseal.h, issue 11): forward-secure sealing of the audit log: a seal per entry
 * and the evolving key that makes the next one (one row; the old key is overwritten).
 * Sealing starts when a vault is made, or for an older vault when an auditor starts it
 * (`mnvault audit seal-start`): until then the state row is missing and nothing is sealed.
 */
static const char schema_10[] =
    "CREATE TABLE audit_seal(\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  tag BLOB NOT NULL\n"
    ");\n"
    "CREATE TRIGGER audit_seal_no_update BEFORE UPDATE ON audit_seal\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit seals cannot be changed'); END;\n"
    "CREATE TRIGGER audit_seal_no_delete BEFORE DELETE ON audit_seal\n"
    "  BEGIN SELECT RAISE(ABORT, 'audit seals cannot be deleted'); END;\n"
    "CREATE TABLE audit_seal_state(\n"
    "  id INTEGER PRIMARY KEY CHECK (id = 1),\n"
    "  start_seq INTEGER NOT NULL,\n"
    "  next_seq INTEGER NOT NULL,\n"
    "  key BLOB NOT NULL,\n"
    "  key_id BLOB NOT NULL\n"
    ");\n"
    "CREATE TRIGGER audit_seal_state_no_delete BEFORE DELETE ON audit_seal_state\n"
    "  BEGIN SELECT RAISE(ABORT, 'the sealing state cannot be deleted'); END;\n";

/* Step 11 (numberdb.h, persondb.h): the clerk's missing paths. A refusal (提供拒否) keeps
 * the reason the person gave beside its date, and a dependant who left the employee's 扶養
 * keeps that day (the retention event dependant_left). */
static const char schema_11[] =
    "ALTER TABLE numbers ADD COLUMN refused_reason TEXT NOT NULL DEFAULT '';\n"
    "ALTER TABLE dependents ADD COLUMN left_on TEXT;\n";

/* Step 12 (auditquery.h): indexes that let the audit screen, the filtered export and the
 * monthly review read a page of a long log through a filter without reading all of it (the
 * rowid, seq, is in every index entry, so a filter comes out already in seq order). */
static const char schema_12[] = "CREATE INDEX audit_by_user ON audit(user);\n"
                                "CREATE INDEX audit_by_action ON audit(action);\n"
                                "CREATE INDEX audit_by_subject ON audit(subject);\n"
                                "CREATE INDEX audit_by_result ON audit(result);\n";

/* Step 13 (certdb.h): certificates of deletion, kept byte for byte (the signed JSON and the
 * PDF) in the transaction of the deletion they certify, chained by the previous one's
 * SHA-256; and contractors' certificates that copies handed to them were returned or
 * destroyed, against the custody register. Never changed, never deleted. */
static const char schema_13[] =
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

/* Step 14 (incidentdb.h): recorded incidents — a lost or leaked export copy, backup or
 * device — with what the file held when recorded (counts and kinds of items, never a number
 * or a name) and the rule's answer. Never changed, never deleted. */
static const char schema_14[] =
    "CREATE TABLE incidents(\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  recorded_at INTEGER NOT NULL,\n"
    "  recorded_by TEXT NOT NULL,\n"
    "  source TEXT NOT NULL CHECK (source IN ('export','backup','device')),\n"
    "  source_id INTEGER NOT NULL,\n"
    "  label TEXT NOT NULL,\n"
    "  location TEXT NOT NULL,\n"
    "  made_at INTEGER NOT NULL,\n"
    "  event TEXT NOT NULL CHECK (event IN\n"
    "    ('lost','stolen','missent','accessed','public','damaged')),\n"
    "  known_on TEXT NOT NULL,\n"
    "  happened_on TEXT NOT NULL DEFAULT '',\n"
    "  persons INTEGER NOT NULL,\n"
    "  employees INTEGER NOT NULL,\n"
    "  dependants INTEGER NOT NULL,\n"
    "  numbers INTEGER NOT NULL,\n"
    "  items INTEGER NOT NULL,\n"
    "  protection TEXT NOT NULL CHECK (protection IN ('plain','zip','backup','vault')),\n"
    "  encrypted INTEGER NOT NULL CHECK (encrypted IN (0,1)),\n"
    "  key_exposed INTEGER NOT NULL CHECK (key_exposed IN (0,1)),\n"
    "  malicious INTEGER NOT NULL CHECK (malicious IN (0,1)),\n"
    "  public_view INTEGER NOT NULL CHECK (public_view IN (0,1)),\n"
    "  unlawful INTEGER NOT NULL CHECK (unlawful IN (0,1)),\n"
    "  must_report INTEGER NOT NULL CHECK (must_report IN (0,1)),\n"
    "  reasons INTEGER NOT NULL,\n"
    "  detail TEXT NOT NULL DEFAULT '',\n"
    "  summary TEXT NOT NULL DEFAULT ''\n"
    ");\n"
    "CREATE TRIGGER incidents_no_update BEFORE UPDATE ON incidents\n"
    "  BEGIN SELECT RAISE(ABORT, 'incidents cannot be changed'); END;\n"
    "CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents\n"
    "  BEGIN SELECT RAISE(ABORT, 'incidents cannot be deleted'); END;\n";

/* Step 15 (persondb_list_each): the employee list's own index, holding what the list shows
 * of every employee (code, name, reading, hire date, retirement) in code order: the list
 * reads it instead of the whole employees table (at 100,000 demo employees about 40 % of
 * the table's pages, already in the order shown). */
static const char schema_15[] =
    "CREATE INDEX employees_list ON employees(code, name, kana, hire_date, retire_date);\n";

struct migration {
    int version;
    const char *sql;
    enum mnv_err (*fn)(struct vault *v, struct mnv_diag *diag);
};

static const struct migration steps[] = {
    {1, schema_1, NULL},   {2, schema_2, NULL},   {3, schema_3, NULL},
    {4, schema_4, NULL},   {5, schema_5, NULL},   {6, schema_6, NULL},
    {7, schema_7, NULL},   {8, schema_8, NULL},   {VAULT_STEP_KEYS, schema_9, step_9},
    {10, schema_10, NULL}, {11, schema_11, NULL}, {12, schema_12, NULL},
    {13, schema_13, NULL}, {14, schema_14, NULL}, {15, schema_15, NULL},
    /* clang-format: one step a line */
};

int vault_schema_latest(void)
{
    return steps[MNV_ARRAY_LEN(steps) - 1].version;
}

int vault_schema_of(struct vault *v)
{
    char buf[32];
    if (vault_query_text(v, "PRAGMA user_version", buf, sizeof(buf)) != SQLITE_OK)
        return -1;
    return atoi(buf);
}

static enum mnv_err run_step(struct vault *v, const struct migration *m, struct mnv_diag *diag)
{
    char setv[64];
    snprintf(setv, sizeof(setv), "PRAGMA user_version = %d", m->version);
    enum mnv_err err = vault_exec(v, "BEGIN IMMEDIATE", diag);
    if (err != MNV_OK)
        return err;
    v->in_tx = 1;
    v->next_sql = NULL;
    err = vault_exec(v, m->sql, diag);
    if (err == MNV_OK && m->fn)
        err = m->fn(v, diag);
    if (err == MNV_OK)
        err = vault_exec(v, setv, diag);
    if (err == MNV_OK)
        err = vault_exec(v, "COMMIT", diag);
    if (err != MNV_OK)
        sqlite3_exec(v->db, "ROLLBACK", NULL, NULL, NULL);
    v->in_tx = 0;
    return err;
}

enum mnv_err vault_migrate(struct vault *v, int upto, struct mnv_diag *diag)
{
    int current = vault_schema_of(v);
    if (current < 0)
        return vault_sql_error(v, sqlite3_errcode(v->db), diag);
    if (current > vault_schema_latest()) {
        mnv_diag_detail(diag, "schema %d > %d", current, vault_schema_latest());
        return MNV_ERR_DB_NEWER;
    }
    for (size_t i = 0; i < MNV_ARRAY_LEN(steps); i++) {
        if (steps[i].version <= current || steps[i].version > upto)
            continue;
        enum mnv_err err = run_step(v, &steps[i], diag);
        if (err != MNV_OK)
            return err;
    }
    return MNV_OK;
}
