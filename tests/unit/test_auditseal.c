/* Unit tests for the forward-secure sealing of the audit log (auditseal.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "mnvault/auditlog.h"
#include "mnvault/auditseal.h"
#include "vaultfix.h"

static unsigned char key[AUDITSEAL_KEY_LEN];
static uint64_t start;

static void append(const char *action)
{
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    struct audit_event ev = {0, "alice", "clerk", action, "", "ok", ""};
    assert_int_equal(auditlog_append(fix.v, &ev, NULL, NULL), MNV_OK);
    assert_int_equal(vault_commit(fix.v, NULL), MNV_OK);
}

static int setup(void **state)
{
    (void)state;
    if (fix_make() != 0)
        return -1;
    append("before.sealing");
    if (vault_begin(fix.v, NULL) != MNV_OK || auditseal_start(fix.v, key, &start, NULL) != MNV_OK ||
        vault_commit(fix.v, NULL) != MNV_OK)
        return -1;
    for (int i = 0; i < 5; i++)
        append("sealed");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fix_drop();
}

static enum mnv_err verify(struct auditseal_report *r)
{
    return auditseal_verify(fix.v, key, start, r, NULL);
}

static void sql(const char *text)
{
    assert_int_equal(sqlite3_exec(vault_db(fix.v), text, NULL, NULL, NULL), SQLITE_OK);
}

static void test_auditseal__seals_every_entry_after_start(void **state)
{
    (void)state;
    assert_int_equal(start, 2);
    struct auditseal_status st;
    assert_int_equal(auditseal_status(fix.v, &st, NULL), MNV_OK);
    assert_true(st.started);
    assert_int_equal(st.start, 2);
    assert_int_equal(st.next, 7);
    assert_int_equal(st.head, 6);
    assert_int_equal(st.tags, 5);
    struct auditseal_report r;
    assert_int_equal(verify(&r), MNV_OK);
    assert_int_equal(r.checked, 5);
    unsigned char tag[AUDITSEAL_TAG_LEN];
    assert_int_equal(auditseal_get_tag(fix.v, 1, tag, NULL), MNV_ERR_NOT_FOUND);
    assert_int_equal(auditseal_get_tag(fix.v, 6, tag, NULL), MNV_OK);
}

static void test_auditseal__start_twice_is_refused(void **state)
{
    (void)state;
    unsigned char k2[AUDITSEAL_KEY_LEN];
    uint64_t s2;
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_equal(auditseal_start(fix.v, k2, &s2, NULL), MNV_ERR_EXISTS);
    vault_rollback(fix.v);
}

static void test_auditseal__the_kept_key_is_not_the_first(void **state)
{
    (void)state;
    sqlite3_stmt *st;
    assert_int_equal(
        sqlite3_prepare_v2(vault_db(fix.v), "SELECT key FROM audit_seal_state", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_memory_not_equal(sqlite3_column_blob(st, 0), key, AUDITSEAL_KEY_LEN);
    sqlite3_finalize(st);
}

static void test_auditseal__a_changed_hash_is_found(void **state)
{
    (void)state;
    sql("DROP TRIGGER audit_no_update; UPDATE audit SET hash = zeroblob(32) WHERE seq = 4");
    struct auditseal_report r;
    assert_int_equal(verify(&r), MNV_ERR_AUDIT_SEAL);
    assert_int_equal(r.bad_seq, 4);
    assert_string_equal(r.problem, "the entry was changed after it was sealed");
}

static void test_auditseal__a_cut_end_is_found(void **state)
{
    (void)state;
    sql("DROP TRIGGER audit_no_delete; DROP TRIGGER audit_seal_no_delete;"
        "DELETE FROM audit WHERE seq >= 5; DELETE FROM audit_seal WHERE seq >= 5");
    struct auditseal_report r;
    assert_int_equal(verify(&r), MNV_ERR_AUDIT_SEAL);
    assert_string_equal(r.problem, "entries were removed from the end after they were sealed");
    /* ... and putting the counter back leaves a key that does not fit */
    sql("UPDATE audit_seal_state SET next_seq = 5");
    assert_int_equal(verify(&r), MNV_ERR_AUDIT_SEAL);
    assert_string_equal(r.problem, "the sealing state was replaced");
}

static void test_auditseal__another_key_or_no_state_is_found(void **state)
{
    (void)state;
    unsigned char other[AUDITSEAL_KEY_LEN] = {1};
    struct auditseal_report r;
    assert_int_equal(auditseal_verify(fix.v, other, start, &r, NULL), MNV_ERR_AUDIT_SEAL);
    assert_int_equal(auditseal_verify(fix.v, key, start + 1, &r, NULL), MNV_ERR_AUDIT_SEAL);
    sql("DROP TRIGGER audit_seal_state_no_delete; DELETE FROM audit_seal_state");
    assert_int_equal(verify(&r), MNV_ERR_AUDIT_SEAL);
    assert_string_equal(r.problem, "the sealing of the log was removed");
    /* With the state gone nothing is sealed, and appending still works. */
    append("after.removal");
}

static void test_auditseal__a_state_put_back_leaves_entries_unsealed(void **state)
{
    (void)state;
    sql("UPDATE audit_seal_state SET next_seq = 3");
    append("while.wrong"); /* not sealed: the state is not for entry 7 */
    struct auditseal_status st;
    assert_int_equal(auditseal_status(fix.v, &st, NULL), MNV_OK);
    assert_int_equal(st.tags, 5);
    struct auditseal_report r;
    assert_int_equal(verify(&r), MNV_ERR_AUDIT_SEAL);
}

static void test_auditseal__key_text_round_trip(void **state)
{
    (void)state;
    char text[AUDITSEAL_TEXT_MAX];
    auditseal_key_format(start, key, text);
    assert_int_equal(strncmp(text, "S2-", 3), 0);
    unsigned char back[AUDITSEAL_KEY_LEN];
    uint64_t s;
    assert_int_equal(auditseal_key_parse(text, &s, back), MNV_OK);
    assert_int_equal(s, 2);
    assert_memory_equal(back, key, AUDITSEAL_KEY_LEN);
    /* upper case, spaces and line breaks do not matter */
    char loose[AUDITSEAL_TEXT_MAX * 2];
    size_t n = 0;
    for (const char *p = text; *p; p++) {
        loose[n++] = (char)(*p >= 'a' && *p <= 'f' ? *p - 32 : *p);
        if (*p == '-')
            loose[n++] = ' ';
    }
    loose[n] = '\0';
    assert_int_equal(auditseal_key_parse(loose, &s, back), MNV_OK);
    /* one digit mistyped: the check group catches it */
    text[5] = text[5] == '0' ? '1' : '0';
    assert_int_equal(auditseal_key_parse(text, &s, back), MNV_ERR_INVALID);
    assert_int_equal(auditseal_key_parse("S2-1234", &s, back), MNV_ERR_INVALID);
    assert_int_equal(auditseal_key_parse("", &s, back), MNV_ERR_INVALID);
}

/* The kept key survives a reopen; an older vault.db put back with an older kept key is
 * refused at open (the anchor), and were it not, its key would not fit today's log. */
static void test_auditseal__reopen_and_old_copy(void **state)
{
    (void)state;
    assert_int_equal(fix_copy("vault.db", "old.db"), 0);
    append("after.copy");
    assert_int_equal(fix_reopen(), MNV_OK);
    struct auditseal_report r;
    assert_int_equal(verify(&r), MNV_OK);
    assert_int_equal(r.checked, 6);
    assert_int_equal(fix_copy("old.db", "vault.db"), 0);
    assert_int_equal(fix_reopen(), MNV_ERR_DB_ROLLBACK);
}
