/* Unit tests for change.c, the one write path: a change and its audit entry commit together
 * or not at all, refusals are audited, dry runs leave nothing, and a key file change goes
 * with the commit. */
#include "mnvault/change.h"
#include "svcfix.h"

static struct session *s;

static int setup(void **state)
{
    (void)state;
    if (svc_make() != 0)
        return -1;
    s = svc_login("admin");
    return s ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    session_logout(s);
    return svc_drop();
}

/* What a body does, as told by a test. */
struct plan {
    enum mnv_err fail;  /* returned after the write */
    const char *value;  /* written into meta "change_test" */
    const char *detail; /* the entry's detail */
    const char *refusal;
    const char *result;
    int skip_entry, rollback, calls, use_keyfile, keyfile_calls;
    enum mnv_err keyfile_fail;
};

static enum mnv_err keyfile_fn(struct keyring *kr, void *ud)
{
    (void)kr;
    struct plan *p = ud;
    p->keyfile_calls++;
    return p->keyfile_fail;
}

static enum mnv_err body(struct session *ss, struct change *c, void *ud, struct mnv_diag *diag)
{
    struct plan *p = ud;
    p->calls++;
    enum mnv_err err = vault_meta_set(session_vault(ss), "change_test", p->value, diag);
    if (p->detail)
        change_detail(c, "%s", p->detail);
    c->refusal = p->refusal;
    c->skip_entry = p->skip_entry;
    c->rollback = p->rollback;
    if (p->result)
        c->result = p->result;
    if (p->use_keyfile) {
        c->keyfile = keyfile_fn;
        c->keyfile_ud = p;
    }
    return err != MNV_OK ? err : p->fail;
}

static const char *meta_value(char *buf, size_t size)
{
    if (vault_meta_get(session_vault(s), "change_test", buf, size) != MNV_OK)
        snprintf(buf, size, "(none)");
    return buf;
}

static uint64_t head_seq(void)
{
    uint64_t seq;
    unsigned char h[VCRYPTO_HASH_LEN];
    vault_audit_head(session_vault(s), &seq, h);
    return seq;
}

static void test_change__commits_with_its_entry(void **state)
{
    (void)state;
    char buf[32];
    struct plan p = {.value = "one", .detail = "fields=name"};
    uint64_t before = head_seq();
    assert_int_equal(change_run(s, "person.update", "employee:1", body, &p, NULL), MNV_OK);
    assert_int_equal(p.calls, 1);
    assert_string_equal(meta_value(buf, sizeof(buf)), "one");
    assert_int_equal(head_seq(), before + 1);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "person.update");
    assert_string_equal(e.subject, "employee:1");
    assert_string_equal(e.result, "ok");
    assert_string_equal(e.detail, "fields=name");
    assert_string_equal(e.user, "admin");
    assert_string_equal(e.role, "admin");
    assert_false(vault_in_tx(session_vault(s)));
    /* A NULL subject is "", and the body may set the result. */
    p = (struct plan){.value = "two", .result = "failed"};
    assert_int_equal(change_run(s, "audit.verify", NULL, body, &p, NULL), MNV_OK);
    e = svc_last(s);
    assert_string_equal(e.subject, "");
    assert_string_equal(e.result, "failed");
}

static void test_change__failure_leaves_nothing(void **state)
{
    (void)state;
    char buf[32];
    struct plan p = {.value = "kept"};
    assert_int_equal(change_run(s, "x.set", "", body, &p, NULL), MNV_OK);
    uint64_t before = head_seq();
    p = (struct plan){.value = "lost", .fail = MNV_ERR_CODE_TAKEN};
    assert_int_equal(change_run(s, "x.set", "", body, &p, NULL), MNV_ERR_CODE_TAKEN);
    assert_string_equal(meta_value(buf, sizeof(buf)), "kept");
    assert_int_equal(head_seq(), before);
    assert_false(vault_in_tx(session_vault(s)));
    /* The audit writer's refusal undoes the change too. */
    p = (struct plan){.value = "lost", .detail = "reason=1234ー5678ー9018"};
    assert_int_equal(change_run(s, "x.set", "", body, &p, NULL), MNV_ERR_AUDIT_NUMBER);
    assert_string_equal(meta_value(buf, sizeof(buf)), "kept");
    assert_int_equal(head_seq(), before);
}

static void test_change__refusal_is_audited(void **state)
{
    (void)state;
    char buf[32];
    struct plan p = {.value = "kept"};
    assert_int_equal(change_run(s, "x.set", "", body, &p, NULL), MNV_OK);
    uint64_t before = head_seq();
    p = (struct plan){.value = "lost", .fail = MNV_ERR_NUMBER_DUPLICATE, .refusal = "duplicate"};
    assert_int_equal(change_run(s, "number.store", "employee:7", body, &p, NULL),
                     MNV_ERR_NUMBER_DUPLICATE);
    assert_string_equal(meta_value(buf, sizeof(buf)), "kept");
    assert_int_equal(head_seq(), before + 1);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "number.store");
    assert_string_equal(e.subject, "employee:7");
    assert_string_equal(e.result, "refused");
    assert_string_equal(e.detail, "duplicate");
}

static void test_change__skip_entry_and_rollback(void **state)
{
    (void)state;
    char buf[32];
    uint64_t before = head_seq();
    struct plan p = {.value = "quiet", .skip_entry = 1};
    assert_int_equal(change_run(s, "x.set", "", body, &p, NULL), MNV_OK);
    assert_string_equal(meta_value(buf, sizeof(buf)), "quiet");
    assert_int_equal(head_seq(), before);
    /* A dry run: the body succeeds, nothing stays, no entry. */
    p = (struct plan){.value = "dry", .rollback = 1, .detail = "rows=3"};
    assert_int_equal(change_run(s, "import", "", body, &p, NULL), MNV_OK);
    assert_string_equal(meta_value(buf, sizeof(buf)), "quiet");
    assert_int_equal(head_seq(), before);
    assert_false(vault_in_tx(session_vault(s)));
}

static void test_change__keyfile_goes_with_the_commit(void **state)
{
    (void)state;
    char buf[32];
    struct plan p = {.value = "with key file", .use_keyfile = 1};
    assert_int_equal(change_run(s, "user.unlock", "clerk", body, &p, NULL), MNV_OK);
    assert_int_equal(p.keyfile_calls, 1);
    assert_string_equal(meta_value(buf, sizeof(buf)), "with key file");
    /* Not called when the change fails. */
    p = (struct plan){.value = "x", .fail = MNV_ERR_INVALID, .use_keyfile = 1};
    assert_int_equal(change_run(s, "user.unlock", "clerk", body, &p, NULL), MNV_ERR_INVALID);
    assert_int_equal(p.keyfile_calls, 0);
    /* A key file change that fails: its error is returned and the database change is
     * undone with it (the change is journaled in vault.db in the same transaction). */
    p = (struct plan){.value = "db only", .use_keyfile = 1, .keyfile_fail = MNV_ERR_IO};
    assert_int_equal(change_run(s, "user.unlock", "clerk", body, &p, NULL), MNV_ERR_IO);
    assert_int_equal(p.keyfile_calls, 1);
    assert_string_equal(meta_value(buf, sizeof(buf)), "with key file");
}

static void test_change__detail_and_subject_are_cut(void **state)
{
    (void)state;
    struct change c;
    memset(&c, 0, sizeof(c));
    char long_text[2 * AUDIT_DETAIL_MAX];
    memset(long_text, 'a', sizeof(long_text) - 1);
    long_text[sizeof(long_text) - 1] = '\0';
    change_detail(&c, "%s", long_text);
    assert_int_equal(strlen(c.detail), AUDIT_DETAIL_MAX);
    change_subject(&c, "employee:%d", 42);
    assert_string_equal(c.subject, "employee:42");
    change_subject(&c, "%s", long_text);
    assert_int_equal(strlen(c.subject), AUDIT_SUBJECT_MAX);
}
