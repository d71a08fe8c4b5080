/* Unit tests for the SQLCipher store: settings, pairing, anchor, rollback, audit chain. */
#include <sqlite3.h>

#include "mnvault/auditlog.h"
#include "mnvault/numberdb.h"
#include "vaultfix.h"

static int setup(void **state)
{
    (void)state;
    return fix_make();
}

static int teardown(void **state)
{
    (void)state;
    return fix_drop();
}

static void append(const char *action, const char *subject)
{
    struct audit_event ev = {0, "alice", "clerk", action, subject, "ok", ""};
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_equal(auditlog_append(fix.v, &ev, NULL, NULL), MNV_OK);
    assert_int_equal(vault_commit(fix.v, NULL), MNV_OK);
}

static void test_vault__settings(void **state)
{
    (void)state;
    sqlite3 *db = vault_db(fix.v);
    struct {
        const char *pragma, *want;
    } checks[] = {
        {"PRAGMA journal_mode", "delete"},
        {"PRAGMA synchronous", "2"},
        {"PRAGMA foreign_keys", "1"},
        {"PRAGMA secure_delete", "1"},
        {"PRAGMA temp_store", "2"},
        {"PRAGMA cipher_page_size", "4096"},
        {"PRAGMA cipher_hmac_algorithm", "HMAC_SHA512"},
    };
    for (size_t i = 0; i < sizeof(checks) / sizeof(checks[0]); i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(db, checks[i].pragma, -1, &st, NULL), SQLITE_OK);
        assert_int_equal(sqlite3_step(st), SQLITE_ROW);
        assert_string_equal((const char *)sqlite3_column_text(st, 0), checks[i].want);
        sqlite3_finalize(st);
    }
    assert_int_equal(strncmp(vault_cipher_version(fix.v), "4.", 2), 0);
}

static void test_vault__file_is_not_plain_sqlite(void **state)
{
    (void)state;
    char path[300];
    fix_path(path, sizeof(path), "vault.db");
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char head[16];
    assert_int_equal(fread(head, 1, 16, f), 16);
    fclose(f);
    assert_memory_not_equal(head, "SQLite format 3", 15);
}

static void test_vault__meta_and_schema(void **state)
{
    (void)state;
    char buf[64];
    assert_int_equal(vault_meta_get(fix.v, "nothing", buf, sizeof(buf)), MNV_ERR_NOT_FOUND);
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_equal(vault_begin(fix.v, NULL), MNV_ERR_INVALID);
    assert_int_equal(vault_meta_set(fix.v, "org_name", "株式会社テスト", NULL), MNV_OK);
    assert_int_equal(vault_commit(fix.v, NULL), MNV_OK);
    assert_int_equal(fix_reopen(), MNV_OK);
    assert_int_equal(vault_meta_get(fix.v, "org_name", buf, sizeof(buf)), MNV_OK);
    assert_string_equal(buf, "株式会社テスト");
    assert_int_equal(vault_meta_get(fix.v, "org_name", buf, 4), MNV_ERR_TOO_LONG);
    assert_true(vault_schema_latest() >= 1);
}

static void test_vault__anchor_follows_commits(void **state)
{
    (void)state;
    append("login", "");
    append("logout", "");
    struct keyring_anchor a;
    keyring_anchor_get(fix.kr, &a);
    assert_int_equal(a.seq, 2);
    uint64_t seq;
    unsigned char head[32];
    vault_audit_head(fix.v, &seq, head);
    assert_int_equal(seq, 2);
    assert_memory_equal(head, a.head, 32);
    assert_int_equal(fix_reopen(), MNV_OK);
    keyring_anchor_get(fix.kr, &a);
    assert_int_equal(a.seq, 2);
}

static void test_vault__rolled_back_database_is_refused(void **state)
{
    (void)state;
    append("login", "");
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("vault.db", "old.db"), 0);
    assert_int_equal(fix_reopen(), MNV_OK);
    append("user.add", "bob");
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("old.db", "vault.db"), 0);
    assert_int_equal(fix_reopen(), MNV_ERR_DB_ROLLBACK);
}

static void test_vault__rollback_does_not_move_head(void **state)
{
    (void)state;
    append("login", "");
    struct audit_event ev = {0, "alice", "clerk", "x", "", "ok", ""};
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_equal(auditlog_append(fix.v, &ev, NULL, NULL), MNV_OK);
    vault_rollback(fix.v);
    append("logout", "");
    struct auditlog_report r;
    struct keyring_anchor a;
    keyring_anchor_get(fix.kr, &a);
    assert_int_equal(auditlog_verify(fix.v, &a, &r, NULL), MNV_OK);
    assert_int_equal(r.entries, 2);
    assert_true(r.anchor_ok);
}

static void test_vault__database_ahead_of_anchor_is_accepted(void **state)
{
    (void)state;
    append("login", "");
    /* Simulate a crash between COMMIT and the anchor write: put the old key file back. */
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("vault.keys", "old.keys"), 0);
    assert_int_equal(fix_reopen(), MNV_OK);
    append("logout", "");
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("old.keys", "vault.keys"), 0);
    assert_int_equal(fix_reopen(), MNV_OK);
    struct keyring_anchor a;
    keyring_anchor_get(fix.kr, &a);
    assert_int_equal(a.seq, 2); /* caught up */
}

/* A crash between a commit and its key file write leaves the file one write behind: it is
 * rolled forward from the journal (the change is kept), unless that write added an epoch
 * key the file lacks, when the file stands (the rotation that began is not made). */
static void test_vault__crash_step(void **state)
{
    (void)state;
    append("login", "");
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("vault.keys", "old.keys"), 0);
    assert_int_equal(fix_reopen(), MNV_OK);
    append("user.add", "bob"); /* one write: the anchor moves */
    uint64_t gen = keyring_generation(fix.kr);
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("old.keys", "vault.keys"), 0);
    assert_int_equal(fix_reopen(), MNV_OK);
    assert_int_equal(vault_keyfile_noticed(fix.v), VAULT_NOTICED_REPAIRED);
    assert_int_equal(keyring_generation(fix.kr), gen);

    size_t epochs = keyring_epoch_count(fix.kr);
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("vault.keys", "old.keys"), 0);
    assert_int_equal(fix_reopen(), MNV_OK);
    uint32_t id;
    assert_int_equal(numberdb_rotate_begin(fix.v, 0, &id, NULL), MNV_OK);
    assert_int_equal(keyring_epoch_count(fix.kr), epochs + 1);
    vault_close(fix.v);
    fix.v = NULL;
    assert_int_equal(fix_copy("old.keys", "vault.keys"), 0);
    assert_int_equal(fix_reopen(), MNV_OK);
    assert_int_equal(vault_keyfile_noticed(fix.v), VAULT_NOTICED_STEP);
    assert_int_equal(keyring_epoch_count(fix.kr), epochs);
    assert_int_equal(numberdb_rotate_begin(fix.v, 0, &id, NULL), MNV_OK); /* it can start again */
}

static void test_vault__audit_edit_and_delete_are_found(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        append("reveal", "employee:1");
    sqlite3 *db = vault_db(fix.v);
    assert_int_equal(sqlite3_exec(db, "UPDATE audit SET subject = 'x' WHERE seq = 3", 0, 0, 0) &
                         0xFF,
                     SQLITE_CONSTRAINT); /* the trigger refuses */
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;"
                                  "UPDATE audit SET subject = 'employee:2' WHERE seq = 3",
                                  0, 0, 0),
                     SQLITE_OK);
    struct auditlog_report r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(auditlog_verify(fix.v, NULL, &r, &d), MNV_ERR_AUDIT_BROKEN);
    assert_int_equal(r.bad_seq, 3);
    assert_int_equal(d.line, 3);
    assert_non_null(r.problem);
    assert_int_equal(
        sqlite3_exec(db, "UPDATE audit SET subject = 'employee:1' WHERE seq = 3", 0, 0, 0),
        SQLITE_OK);
    assert_int_equal(auditlog_verify(fix.v, NULL, &r, NULL), MNV_OK);
    assert_int_equal(sqlite3_exec(db, "DELETE FROM audit WHERE seq = 2", 0, 0, 0), SQLITE_OK);
    assert_int_equal(auditlog_verify(fix.v, NULL, &r, NULL), MNV_ERR_AUDIT_BROKEN);
    assert_int_equal(r.bad_seq, 2);
}

/* A long log is walked in parts on connections of their own (auditlog.c walk_all): the
 * verdicts are a single walk's, wherever the damage is. */
static void long_log(int n)
{
    struct audit_event ev = {0, "alice", "clerk", "reveal", "employee:1", "ok", ""};
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    for (int i = 0; i < n; i++)
        assert_int_equal(auditlog_append(fix.v, &ev, NULL, NULL), MNV_OK);
    assert_int_equal(vault_commit(fix.v, NULL), MNV_OK);
    assert_int_equal(sqlite3_exec(vault_db(fix.v),
                                  "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;", 0,
                                  0, 0),
                     SQLITE_OK);
}

static void set_subject(uint64_t seq, const char *subject)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "UPDATE audit SET subject = '%s' WHERE seq = %llu", subject,
             (unsigned long long)seq);
    assert_int_equal(sqlite3_exec(vault_db(fix.v), sql, 0, 0, 0), SQLITE_OK);
}

static void expect_bad(uint64_t seq, uint64_t entries)
{
    struct auditlog_report r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(auditlog_verify(fix.v, NULL, &r, &d), MNV_ERR_AUDIT_BROKEN);
    assert_int_equal(r.bad_seq, seq);
    assert_int_equal(d.line, (long)seq);
    assert_int_equal(r.entries, entries);
    assert_int_equal(r.head_seq, seq - 1);
}

static void test_vault__long_log_walked_in_parts(void **state)
{
    (void)state;
    long_log(12001); /* two parts where there are two CPUs: the boundary is entry 6000 */
    struct auditlog_report r;
    struct keyring_anchor a;
    keyring_anchor_get(fix.kr, &a);
    assert_int_equal(auditlog_verify(fix.v, &a, &r, NULL), MNV_OK);
    assert_int_equal(r.entries, 12001);
    assert_int_equal(r.head_seq, 12001);
    assert_true(r.anchor_ok);
    uint64_t seq;
    unsigned char head[32];
    vault_audit_head(fix.v, &seq, head);
    assert_memory_equal(r.head, head, 32);
    uint64_t at[] = {11000, 8001, 6000, 6001, 4000, 4001, 3000, 3001, 12001, 1};
    for (size_t i = 0; i < MNV_ARRAY_LEN(at); i++) {
        set_subject(at[i], "employee:2");
        expect_bad(at[i], at[i] - 1);
        set_subject(at[i], "employee:1");
    }
    set_subject(11000, "employee:2"); /* two: the first is the verdict */
    set_subject(2000, "employee:2");
    expect_bad(2000, 1999);
    set_subject(2000, "employee:1");
    set_subject(11000, "employee:1");
    assert_int_equal(auditlog_verify(fix.v, NULL, &r, NULL), MNV_OK);
    /* Entries removed at and after a boundary: a gap is "missing" where it begins. */
    assert_int_equal(sqlite3_exec(vault_db(fix.v), "DELETE FROM audit WHERE seq = 6001", 0, 0, 0),
                     SQLITE_OK);
    expect_bad(6001, 6000);
    assert_int_equal(sqlite3_exec(vault_db(fix.v), "DELETE FROM audit WHERE seq = 6000", 0, 0, 0),
                     SQLITE_OK);
    expect_bad(6000, 5999);
}

static void test_vault__tail_truncation_needs_the_anchor(void **state)
{
    (void)state;
    for (int i = 0; i < 4; i++)
        append("reveal", "employee:1");
    sqlite3 *db = vault_db(fix.v);
    assert_int_equal(sqlite3_exec(db,
                                  "DROP TRIGGER audit_no_delete;"
                                  "DELETE FROM audit WHERE seq = 4",
                                  0, 0, 0),
                     SQLITE_OK);
    struct auditlog_report r;
    struct keyring_anchor a;
    keyring_anchor_get(fix.kr, &a);
    assert_int_equal(auditlog_verify(fix.v, NULL, &r, NULL), MNV_OK); /* chain alone holds */
    assert_int_equal(auditlog_verify(fix.v, &a, &r, NULL), MNV_ERR_AUDIT_ANCHOR);
    assert_int_equal(fix_reopen(), MNV_ERR_DB_ROLLBACK);
}

static void test_vault__newer_schema_refused(void **state)
{
    (void)state;
    assert_int_equal(vault_exec(fix.v, "PRAGMA user_version = 999", NULL), MNV_OK);
    assert_int_equal(fix_reopen(), MNV_ERR_DB_NEWER);
}

static void test_vault__wrong_key_file(void **state)
{
    (void)state;
    /* Another vault's key file: its vault key does not open this database. */
    vault_close(fix.v);
    fix.v = NULL;
    struct keyring_keys *other = keyring_keys_new();
    struct keyring *kr2;
    assert_int_equal(keyring_new(fix.dir, other, &kr2), MNV_OK);
    struct vault *v2 = NULL;
    assert_int_equal(vault_open(fix.dir, kr2, other, &fix.opt, &v2, NULL), MNV_ERR_DB_KEY);
    assert_null(v2);
    keyring_free(kr2);
    keyring_keys_free(other);
}

static void test_vault__missing_database(void **state)
{
    (void)state;
    vault_close(fix.v);
    fix.v = NULL;
    char path[300];
    fix_path(path, sizeof(path), "vault.db");
    assert_int_equal(unlink(path), 0);
    assert_int_equal(fix_reopen(), MNV_ERR_DB_MISSING);
    assert_int_equal(access(path, F_OK), -1); /* nothing was created */
}

static void test_vault__integrity_check(void **state)
{
    (void)state;
    append("login", "");
    struct vault_integrity r;
    assert_int_equal(vault_check_integrity(fix.v, &r), MNV_OK);
    assert_true(r.cipher_ok && r.integrity_ok && r.foreign_ok);
    assert_int_equal(r.problems, 0);
}

static void test_vault__escape(void **state)
{
    (void)state;
    char out[64];
    assert_string_equal(auditlog_escape(out, sizeof(out), "a\nb\x1b[31m\\"),
                        "a\\x0Ab\\x1B[31m\\\\");
    assert_string_equal(auditlog_escape(out, sizeof(out), "山田"), "山田");
    assert_string_equal(auditlog_escape(out, 5, "山田"), "山"); /* cut on a boundary */
    assert_string_equal(auditlog_escape(out, sizeof(out), "\xff"), "\\xFF");
}

/* Whatever the caller, the audit writer stores no text that holds a My Number. */
static void test_vault__audit_refuses_numbers(void **state)
{
    (void)state;
    append("a", "");
    uint64_t seq;
    unsigned char head[VCRYPTO_HASH_LEN], again[VCRYPTO_HASH_LEN];
    vault_audit_head(fix.v, &seq, head);
    static const char *const bad[] = {"reason=123456789018", "1234ー5678ー9018",
                                      "番号１２３４　５６７８　９０１８", "a 1234\n5678\t9018"};
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    for (size_t i = 0; i < MNV_ARRAY_LEN(bad); i++) {
        struct audit_event ev = {0, "alice", "clerk", "x", "", "ok", bad[i]};
        assert_int_equal(auditlog_append(fix.v, &ev, NULL, NULL), MNV_ERR_AUDIT_NUMBER);
        struct audit_event ev2 = {0, "alice", "clerk", "x", bad[i], "ok", ""};
        assert_int_equal(auditlog_append(fix.v, &ev2, NULL, NULL), MNV_ERR_AUDIT_NUMBER);
    }
    struct audit_event user = {0, "123456789018", "clerk", "x", "", "ok", ""};
    assert_int_equal(auditlog_append(fix.v, &user, NULL, NULL), MNV_ERR_AUDIT_NUMBER);
    vault_rollback(fix.v);
    vault_audit_head(fix.v, &seq, again);
    assert_memory_equal(head, again, sizeof(head));
    /* Digits inside a hex identifier, a wrong check digit, and counts are no number. */
    append("backup.make", "backup:3fa123456789018c0d");
    append("x", "123456789019");
    struct audit_entry e[2];
    size_t n;
    assert_int_equal(auditlog_recent(fix.v, 2, e, &n, NULL), MNV_OK);
    assert_int_equal(n, 2);
    assert_string_equal(e[1].subject, "backup:3fa123456789018c0d");
}

/* An entry in a transaction of its own: committed, or nothing and no transaction left. */
static void test_vault__record_commits_alone(void **state)
{
    (void)state;
    struct audit_event ev = {0, "alice", "clerk", "session.lock", "alice", "ok", ""};
    assert_int_equal(auditlog_record(fix.v, &ev, NULL), MNV_OK);
    assert_false(vault_in_tx(fix.v));
    struct audit_entry e;
    size_t n;
    assert_int_equal(auditlog_recent(fix.v, 1, &e, &n, NULL), MNV_OK);
    assert_string_equal(e.action, "session.lock");
    struct audit_event bad = {0, "alice", "clerk", "x", "123456789018", "ok", ""};
    assert_int_equal(auditlog_record(fix.v, &bad, NULL), MNV_ERR_AUDIT_NUMBER);
    assert_false(vault_in_tx(fix.v));
    assert_int_equal(auditlog_recent(fix.v, 1, &e, &n, NULL), MNV_OK);
    assert_string_equal(e.action, "session.lock");
    /* Inside an open transaction it is refused: it would commit the caller's work. */
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_not_equal(auditlog_record(fix.v, &ev, NULL), MNV_OK);
    vault_rollback(fix.v);
}

static void test_vault__recent_and_each(void **state)
{
    (void)state;
    append("a", "");
    append("b", "");
    append("c", "");
    struct audit_entry e[5];
    size_t n;
    assert_int_equal(auditlog_recent(fix.v, 2, e, &n, NULL), MNV_OK);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].action, "c");
    assert_string_equal(e[1].action, "b");
    assert_int_equal(auditlog_recent(fix.v, 5, e, &n, NULL), MNV_OK);
    assert_int_equal(n, 3);
}

/* vault_random hands out parts of a buffered keystream: whatever the sizes asked for (whole
 * blocks, parts, a part larger than what is left), no 16 bytes it gives ever come again. */
static void test_vault__random_never_repeats(void **state)
{
    (void)state;
    static const size_t sizes[] = {80, 80, 1, 1024, 500, 600, 80, 16, 1023, 2000, 80};
    unsigned char out[40 * 1024];
    size_t o = 0;
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
            size_t n = sizes[i] > 1024 ? 1024 : sizes[i]; /* the most one call gives */
            memset(out + o, 0, n);
            vault_random(fix.v, out + o, sizes[i] > 1024 ? 1024 : sizes[i]);
            o += n;
        }
    assert_true(o >= 16 * 100);
    size_t windows = o / 16;
    for (size_t a = 0; a < windows; a++) {
        static const unsigned char zero[16];
        assert_memory_not_equal(out + 16 * a, zero, 16);
        for (size_t b = a + 1; b < windows; b++)
            assert_memory_not_equal(out + 16 * a, out + 16 * b, 16);
    }
}
