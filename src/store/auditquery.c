#include "mnvault/auditquery.h"

#include <stdio.h>
#include <string.h>

#include <sqlite3.h>

#include "auditlog_priv.h"

/* A query made into SQL: the text, and what is bound to it in order. */
struct built {
    char sql[4096];
    size_t len;
    char subj[AUDITQUERY_SUBJECTS_MAX][48]; /* "employee:42" */
    char upper[AUDIT_ACTION_MAX + 2];       /* "disposal/" for the prefix "disposal." */
    int n;
    struct {
        const char *text; /* NULL: an integer */
        int64_t num;
    } bind[8 + 3 * AUDITQUERY_SUBJECTS_MAX];
};

static void add(struct built *q, const char *text)
{
    int k = snprintf(q->sql + q->len, sizeof(q->sql) - q->len, "%s", text);
    if (k > 0)
        q->len += (size_t)k;
}

static void bind_text(struct built *q, const char *t)
{
    q->bind[q->n].text = t;
    q->bind[q->n++].num = 0;
}

static void bind_num(struct built *q, int64_t v)
{
    q->bind[q->n].text = NULL;
    q->bind[q->n++].num = v;
}

static int given(const char *t)
{
    return t && t[0];
}

/* Entries naming one of the persons, or an export (custody register) that held one. */
static void add_persons(struct built *b, const struct auditquery *q)
{
    add(b, " AND (subject IN (");
    for (size_t i = 0; i < q->npersons; i++) {
        snprintf(b->subj[i], sizeof(b->subj[i]), "%s:%lld", q->persons[i].kind,
                 (long long)q->persons[i].id);
        add(b, i ? ",?" : "?");
        bind_text(b, b->subj[i]);
    }
    add(b, ") OR subject IN (SELECT 'custody:' || custody_id FROM custody_persons WHERE ");
    for (size_t i = 0; i < q->npersons; i++) {
        add(b, i ? " OR (kind = ? AND person_id = ?)" : "(kind = ? AND person_id = ?)");
        bind_text(b, q->persons[i].kind);
        bind_num(b, q->persons[i].id);
    }
    add(b, "))");
}

/* The filter whose index leads the search, the rarest by its kind (SQLite has no statistics
 * of the log): a person, a result other than "ok", an action, a user. The other filters are
 * written "+column" so that they are checked on the rows found, not searched. */
enum lead { LEAD_NONE, LEAD_PERSON, LEAD_RESULT, LEAD_ACTION, LEAD_USER };

static enum lead choose_lead(const struct auditquery *q)
{
    if (q->npersons)
        return LEAD_PERSON;
    if (given(q->result) && strcmp(q->result, "ok") != 0)
        return LEAD_RESULT;
    if (given(q->action))
        return LEAD_ACTION;
    return given(q->user) ? LEAD_USER : LEAD_NONE;
}

static void add_action(struct built *b, const char *action, int lead)
{
    size_t n = strlen(action);
    if (action[n - 1] != '.') {
        add(b, lead ? " AND action = ?" : " AND +action = ?");
        bind_text(b, action);
        return;
    }
    /* every action under "disposal.": from "disposal." up to "disposal/" ('.' + 1) */
    snprintf(b->upper, sizeof(b->upper), "%.*s/", (int)(n - 1), action);
    add(b, lead ? " AND action >= ? AND action < ?" : " AND +action >= ? AND +action < ?");
    bind_text(b, action);
    bind_text(b, b->upper);
}

static void build(struct built *b, const struct auditquery *q, int sparse)
{
    enum lead lead = choose_lead(q);
    if (lead == LEAD_ACTION && q->action[strlen(q->action) - 1] == '.' && !sparse)
        lead = given(q->user) ? LEAD_USER : LEAD_NONE;
    b->len = 0;
    b->n = 0;
    add(b, "SELECT " AUDITLOG_COLUMNS " FROM audit");
    /* a range of actions would lose to the seq order without statistics */
    if (lead == LEAD_ACTION && sparse)
        add(b, " INDEXED BY audit_by_action");
    add(b, " WHERE seq > ?");
    bind_num(b, (int64_t)q->above);
    if (q->below) {
        add(b, " AND seq < ?");
        bind_num(b, (int64_t)q->below);
    }
    if (given(q->user)) {
        add(b, lead == LEAD_USER ? " AND user = ?" : " AND +user = ?");
        bind_text(b, q->user);
    }
    if (given(q->action))
        add_action(b, q->action, lead == LEAD_ACTION);
    if (given(q->result)) {
        add(b, lead == LEAD_RESULT ? " AND result = ?" : " AND +result = ?");
        bind_text(b, q->result);
    }
    if (q->from) {
        add(b, " AND ts >= ?");
        bind_num(b, q->from);
    }
    if (q->to) {
        add(b, " AND ts < ?");
        bind_num(b, q->to);
    }
    if (q->npersons)
        add_persons(b, q);
    add(b, q->oldest_first ? " ORDER BY seq" : " ORDER BY seq DESC");
}

#define SPARSE_MAX 5000

/* Is an action prefix rare (fewer than SPARSE_MAX entries)? Then its index is searched and
 * the few entries sorted; a common one is found faster walking the log in seq order. */
static enum mnv_err prefix_sparse(struct vault *v, const struct auditquery *q, int *sparse,
                                  struct mnv_diag *diag)
{
    *sparse = 0;
    if (!given(q->action) || q->action[strlen(q->action) - 1] != '.')
        return MNV_OK;
    char upper[AUDIT_ACTION_MAX + 2];
    snprintf(upper, sizeof(upper), "%.*s/", (int)(strlen(q->action) - 1), q->action);
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT count(*) FROM (SELECT 1 FROM audit INDEXED BY "
                                  "audit_by_action WHERE action >= ?1 AND action < ?2 LIMIT ?3)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, q->action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, upper, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, SPARSE_MAX);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *sparse = sqlite3_column_int(st, 0) < SPARSE_MAX;
    else
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

/* Prepare q (a statement of its own: the text differs with the filter). */
static enum mnv_err prepare(struct vault *v, const struct auditquery *q, struct built *b,
                            sqlite3_stmt **st, struct mnv_diag *diag)
{
    if (q->npersons > AUDITQUERY_SUBJECTS_MAX)
        return MNV_ERR_INVALID;
    int sparse;
    enum mnv_err err = prefix_sparse(v, q, &sparse, diag);
    if (err != MNV_OK)
        return err;
    build(b, q, sparse);
    int rc = sqlite3_prepare_v2(vault_db(v), b->sql, -1, st, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    for (int i = 0; i < b->n; i++) {
        if (b->bind[i].text)
            sqlite3_bind_text(*st, i + 1, b->bind[i].text, -1, SQLITE_STATIC);
        else
            sqlite3_bind_int64(*st, i + 1, b->bind[i].num);
    }
    return MNV_OK;
}

enum mnv_err auditquery_page(struct vault *v, const struct auditquery *q, size_t n,
                             struct audit_entry *out, size_t *count, struct mnv_diag *diag)
{
    *count = 0;
    struct built b;
    sqlite3_stmt *st;
    enum mnv_err err = prepare(v, q, &b, &st, diag);
    if (err != MNV_OK)
        return err;
    int rc = SQLITE_DONE;
    while (*count < n && (rc = sqlite3_step(st)) == SQLITE_ROW)
        (void)auditlog_read_row(st, &out[(*count)++]);
    if (*count < n && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(st);
    return err;
}

enum mnv_err auditquery_each(struct vault *v, const struct auditquery *q, auditlog_fn fn, void *ud,
                             struct mnv_diag *diag)
{
    struct built b;
    sqlite3_stmt *st;
    enum mnv_err err = prepare(v, q, &b, &st, diag);
    if (err != MNV_OK)
        return err;
    struct audit_entry e;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        (void)auditlog_read_row(st, &e);
        if (fn(ud, &e) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    if (rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(st);
    return err;
}

enum mnv_err auditquery_get(struct vault *v, uint64_t seq, struct audit_entry *out,
                            struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT " AUDITLOG_COLUMNS " FROM audit WHERE seq = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        (void)auditlog_read_row(st, out);
    else
        err = rc == SQLITE_DONE ? MNV_ERR_NOT_FOUND : vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err auditquery_head(struct vault *v, uint64_t *seq, int64_t *time, struct mnv_diag *diag)
{
    *seq = 0;
    *time = 0;
    sqlite3_stmt *st;
    enum mnv_err err =
        vault_stmt(v, "SELECT seq, ts FROM audit ORDER BY seq DESC LIMIT 1", &st, diag);
    if (err != MNV_OK)
        return err;
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *seq = (uint64_t)sqlite3_column_int64(st, 0);
        *time = sqlite3_column_int64(st, 1);
    } else if (rc != SQLITE_DONE) {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}

enum mnv_err auditquery_seq_at(struct vault *v, int64_t t, uint64_t *seq, struct mnv_diag *diag)
{
    uint64_t head;
    int64_t newest;
    enum mnv_err err = auditquery_head(v, &head, &newest, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *st;
    err = vault_stmt(v, "SELECT ts FROM audit WHERE seq = ?1", &st, diag);
    uint64_t lo = 1, hi = head + 1; /* the answer is in [lo, hi] */
    while (err == MNV_OK && lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        sqlite3_reset(st);
        sqlite3_bind_int64(st, 1, (sqlite3_int64)mid);
        int rc = sqlite3_step(st);
        if (rc != SQLITE_ROW && rc != SQLITE_DONE)
            err = vault_sql_error(v, rc, diag);
        else if (rc == SQLITE_ROW && sqlite3_column_int64(st, 0) >= t)
            hi = mid;
        else
            lo = mid + 1;
    }
    if (err == MNV_OK)
        sqlite3_reset(st);
    *seq = lo;
    return err;
}
