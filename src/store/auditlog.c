#include "mnvault/auditlog.h"

#include "auditlog_priv.h"
#include "vault_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/auditseal.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/numtext.h"
#include "mnvault/textsafe.h"

static const char chain_tag[] = "mnvault-audit-1";

char *auditlog_escape(char *out, size_t size, const char *text)
{
    textsafe_escape(out, size, text);
    return out;
}

static void put_le(unsigned char *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static void hash_text(crypto_generichash_state *h, const char *t, size_t n)
{
    unsigned char len[4];
    put_le(len, n, 4);
    crypto_generichash_update(h, len, 4);
    crypto_generichash_update(h, (const unsigned char *)t, n);
}

/* The chain hash's state after its key: copied for each entry instead of keying it anew (the
 * same hash; a verify of 1,000,000 entries saves a compression per entry). Wiped by the
 * caller. */
static void keyed_state(const struct vault *v, crypto_generichash_state *h)
{
    crypto_generichash_init(h, vault_subkey(v, VAULT_SUB_CHAIN), VCRYPTO_KEY_LEN, VCRYPTO_HASH_LEN);
}

/* hash = BLAKE2b-256_key(tag || prev || seq || time || fields…); see auditlog.h. text[i] is
 * the i-th of user, role, action, subject, result, detail, len[i] its length. */
static void chain_hash(const crypto_generichash_state *keyed, const unsigned char *prev,
                       uint64_t seq, int64_t time, const char *const text[6], const size_t len[6],
                       unsigned char out[VCRYPTO_HASH_LEN])
{
    crypto_generichash_state h = *keyed;
    unsigned char num[16];
    crypto_generichash_update(&h, (const unsigned char *)chain_tag, sizeof(chain_tag) - 1);
    crypto_generichash_update(&h, prev, VCRYPTO_HASH_LEN);
    put_le(num, seq, 8);
    put_le(num + 8, (uint64_t)time, 8);
    crypto_generichash_update(&h, num, 16);
    for (int i = 0; i < 6; i++)
        hash_text(&h, text[i], len[i]);
    crypto_generichash_final(&h, out, VCRYPTO_HASH_LEN);
    sodium_memzero(&h, sizeof(h));
}

static void entry_hash(const struct vault *v, const struct audit_entry *e,
                       unsigned char out[VCRYPTO_HASH_LEN])
{
    const char *text[6] = {e->user, e->role, e->action, e->subject, e->result, e->detail};
    size_t len[6];
    for (int i = 0; i < 6; i++)
        len[i] = strlen(text[i]);
    crypto_generichash_state keyed;
    keyed_state(v, &keyed);
    chain_hash(&keyed, e->prev, e->seq, e->time, text, len, out);
    sodium_memzero(&keyed, sizeof(keyed));
}

/* Does any text field of ev hold a My Number (numtext.h: any run, identifiers aside)? */
static int event_has_number(const struct audit_event *ev)
{
    const char *fields[] = {ev->user, ev->role, ev->action, ev->subject, ev->result, ev->detail};
    for (size_t i = 0; i < MNV_ARRAY_LEN(fields); i++)
        if (fields[i] &&
            numtext_has_number(fields[i], strlen(fields[i]), NUMTEXT_ANY_RUN | NUMTEXT_WORDS))
            return 1;
    return 0;
}

enum mnv_err auditlog_append(struct vault *v, const struct audit_event *ev, struct audit_entry *out,
                             struct mnv_diag *diag)
{
    if (!vault_in_tx(v))
        return MNV_ERR_INVALID;
    if (event_has_number(ev))
        return MNV_ERR_AUDIT_NUMBER;
    struct audit_entry e;
    memset(&e, 0, sizeof(e));
    vault_audit_head(v, &e.seq, e.prev);
    e.seq++;
    e.time = ev->time ? ev->time : (int64_t)clock_now();
    auditlog_escape(e.user, sizeof(e.user), ev->user ? ev->user : "");
    auditlog_escape(e.role, sizeof(e.role), ev->role ? ev->role : "");
    auditlog_escape(e.action, sizeof(e.action), ev->action ? ev->action : "");
    auditlog_escape(e.subject, sizeof(e.subject), ev->subject ? ev->subject : "");
    auditlog_escape(e.result, sizeof(e.result), ev->result ? ev->result : "");
    auditlog_escape(e.detail, sizeof(e.detail), ev->detail ? ev->detail : "");
    entry_hash(v, &e, e.hash);

    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "INSERT INTO audit(seq, ts, user, role, action, subject, result,"
                                  " detail, prev, hash) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)",
                                  &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)e.seq);
    sqlite3_bind_int64(st, 2, e.time);
    sqlite3_bind_text(st, 3, e.user, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, e.role, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, e.action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, e.subject, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 7, e.result, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 8, e.detail, -1, SQLITE_STATIC);
    sqlite3_bind_blob(st, 9, e.prev, VCRYPTO_HASH_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(st, 10, e.hash, VCRYPTO_HASH_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    err = auditseal_entry(v, e.seq, e.hash, diag);
    if (err != MNV_OK)
        return err;
    vault_audit_set_head(v, e.seq, e.hash);
    if (out)
        *out = e;
    return MNV_OK;
}

enum mnv_err auditlog_record(struct vault *v, const struct audit_event *ev, struct mnv_diag *diag)
{
    enum mnv_err err = vault_begin(v, diag);
    if (err != MNV_OK)
        return err;
    err = auditlog_append(v, ev, NULL, diag);
    if (err != MNV_OK) {
        vault_rollback(v);
        return err;
    }
    return vault_commit(v, diag);
}

#define SELECT_ENTRY "SELECT " AUDITLOG_COLUMNS " FROM audit"

static void copy_col(sqlite3_stmt *st, int col, char *out, size_t size)
{
    const char *t = (const char *)sqlite3_column_text(st, col);
    snprintf(out, size, "%s", t ? t : "");
}

int auditlog_read_row(sqlite3_stmt *st, struct audit_entry *e)
{
    memset(e, 0, sizeof(*e));
    e->seq = (uint64_t)sqlite3_column_int64(st, 0);
    e->time = sqlite3_column_int64(st, 1);
    copy_col(st, 2, e->user, sizeof(e->user));
    copy_col(st, 3, e->role, sizeof(e->role));
    copy_col(st, 4, e->action, sizeof(e->action));
    copy_col(st, 5, e->subject, sizeof(e->subject));
    copy_col(st, 6, e->result, sizeof(e->result));
    copy_col(st, 7, e->detail, sizeof(e->detail));
    if (sqlite3_column_bytes(st, 8) != VCRYPTO_HASH_LEN ||
        sqlite3_column_bytes(st, 9) != VCRYPTO_HASH_LEN)
        return -1;
    memcpy(e->prev, sqlite3_column_blob(st, 8), VCRYPTO_HASH_LEN);
    memcpy(e->hash, sqlite3_column_blob(st, 9), VCRYPTO_HASH_LEN);
    return 0;
}

enum mnv_err auditlog_get(struct vault *v, uint64_t seq, struct audit_entry *e, int *found,
                          struct mnv_diag *diag)
{
    *found = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, SELECT_ENTRY " WHERE seq = ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *found = auditlog_read_row(st, e) == 0;
    else if (rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

/* An entry as the walk reads it: borrowed from the statement's current row, each text cut
 * where auditlog_read_row() cuts it (so the verdicts are the same as on a struct
 * audit_entry), without copying it. */
struct row_view {
    uint64_t seq;
    int64_t time;
    const char *text[6];
    size_t len[6];
    const unsigned char *prev, *hash; /* NULL when not VCRYPTO_HASH_LEN bytes */
};

static void row_view_read(sqlite3_stmt *st, struct row_view *r)
{
    static const size_t cap[6] = {AUDIT_USER_MAX,    AUDIT_ROLE_MAX,   AUDIT_ACTION_MAX,
                                  AUDIT_SUBJECT_MAX, AUDIT_RESULT_MAX, AUDIT_DETAIL_MAX};
    r->seq = (uint64_t)sqlite3_column_int64(st, 0);
    r->time = sqlite3_column_int64(st, 1);
    for (int i = 0; i < 6; i++) {
        const char *t = (const char *)sqlite3_column_text(st, 2 + i);
        r->text[i] = t ? t : "";
        r->len[i] = strnlen(r->text[i], cap[i]);
    }
    r->prev = sqlite3_column_bytes(st, 8) == VCRYPTO_HASH_LEN ? sqlite3_column_blob(st, 8) : NULL;
    r->hash = sqlite3_column_bytes(st, 9) == VCRYPTO_HASH_LEN ? sqlite3_column_blob(st, 9) : NULL;
}

/* Does r fit after (seq, prev)? NULL when it does, else the problem as a message id. */
static const char *misfit(const crypto_generichash_state *keyed, const struct row_view *r,
                          uint64_t want_seq, const unsigned char prev[VCRYPTO_HASH_LEN])
{
    if (r->seq > want_seq)
        return N_("an entry before this one is missing");
    if (r->seq < want_seq)
        return N_("entries are out of order");
    if (!r->prev || !r->hash)
        return N_("the entry's hashes are malformed");
    if (crypto_verify_32(r->prev, prev) != 0)
        return N_("the entry does not point to the previous one");
    unsigned char h[VCRYPTO_HASH_LEN];
    chain_hash(keyed, r->prev, r->seq, r->time, r->text, r->len, h);
    if (crypto_verify_32(h, r->hash) != 0)
        return N_("the entry was changed after it was written");
    return NULL;
}

/* Walk the entries with seq in (seq, to] on db, from the entry after (seq, head), in one pass
 * in seq (rowid) order; fills r. 1 when an entry does not fit (r->bad_seq, r->problem), else
 * 0; *rc is SQLite's result (SQLITE_OK when the walk read to its end or stopped at a misfit). */
static int walk_range(sqlite3 *db, const crypto_generichash_state *keyed, uint64_t seq,
                      const unsigned char head[VCRYPTO_HASH_LEN], uint64_t to,
                      struct auditlog_report *r, int *rc)
{
    sqlite3_stmt *st;
    r->head_seq = seq;
    memcpy(r->head, head, VCRYPTO_HASH_LEN);
    *rc = sqlite3_prepare_v2(db, SELECT_ENTRY " WHERE seq > ?1 AND seq <= ?2 ORDER BY seq", -1, &st,
                             NULL);
    if (*rc != SQLITE_OK)
        return 0;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    sqlite3_bind_int64(st, 2, (sqlite3_int64)to);
    struct row_view e;
    int broken = 0;
    while (!broken && (*rc = sqlite3_step(st)) == SQLITE_ROW) {
        row_view_read(st, &e);
        const char *why = misfit(keyed, &e, r->head_seq + 1, r->head);
        if (why) {
            r->bad_seq = e.seq > r->head_seq + 1 ? r->head_seq + 1 : e.seq;
            r->problem = why;
            broken = 1;
        } else {
            r->entries++;
            r->head_seq = e.seq;
            memcpy(r->head, e.hash, VCRYPTO_HASH_LEN);
        }
    }
    if (broken || *rc == SQLITE_DONE)
        *rc = SQLITE_OK;
    sqlite3_finalize(st);
    return broken;
}

static enum mnv_err walk_verdict(struct vault *v, int broken, int rc,
                                 const struct auditlog_report *r, struct mnv_diag *diag)
{
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    if (broken && diag)
        diag->line = (long)r->bad_seq;
    return broken ? MNV_ERR_AUDIT_BROKEN : MNV_OK;
}

/* Walk the chain from the entry after (seq, head) to its end; fills r. */
static enum mnv_err walk(struct vault *v, uint64_t seq, const unsigned char head[VCRYPTO_HASH_LEN],
                         struct auditlog_report *r, struct mnv_diag *diag)
{
    crypto_generichash_state keyed;
    keyed_state(v, &keyed);
    int rc;
    int broken = walk_range(vault_db(v), &keyed, seq, head, INT64_MAX, r, &rc);
    sodium_memzero(&keyed, sizeof(keyed));
    return walk_verdict(v, broken, rc, r, diag);
}

/* The hash stored at seq into hash; 0, or -1 when there is no such entry. */
static int hash_at(struct vault *v, uint64_t seq, unsigned char hash[VCRYPTO_HASH_LEN], int *rc)
{
    sqlite3_stmt *st;
    *rc = sqlite3_prepare_v2(vault_db(v), "SELECT hash FROM audit WHERE seq = ?1", -1, &st, NULL);
    if (*rc != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)seq);
    int found = -1;
    *rc = sqlite3_step(st);
    if (*rc == SQLITE_ROW && sqlite3_column_bytes(st, 0) == VCRYPTO_HASH_LEN) {
        memcpy(hash, sqlite3_column_blob(st, 0), VCRYPTO_HASH_LEN);
        found = 0;
    }
    if (*rc == SQLITE_ROW || *rc == SQLITE_DONE)
        *rc = SQLITE_OK;
    sqlite3_finalize(st);
    return found;
}

/* The whole chain is walked in parts, each on a connection of its own in a thread (the first
 * on v's, in the caller's), when the log is long and the machine has more than one CPU: part
 * i checks the entries after the boundary b[i] up to b[i+1], from the hash stored at b[i];
 * part i - 1 checks that entry b[i] has that hash and chains on from the one before it. So
 * every entry is checked against the same things as in one walk, and the verdict (the
 * first entry that does not fit, or the first error) is the one a single walk gives. */
#define AUDITLOG_PARTS_MAX 4
#define AUDITLOG_PART_MIN 5000 /* entries at least in each part */

struct walk_part {
    sqlite3 *db; /* the part's own connection; NULL: v's, in the caller's thread */
    const crypto_generichash_state *keyed;
    uint64_t from, to;
    unsigned char head[VCRYPTO_HASH_LEN];
    struct auditlog_report r;
    int broken, rc, started;
    pthread_t th;
};

static void *walk_part_run(void *p)
{
    struct walk_part *w = p;
    w->broken = walk_range(w->db, w->keyed, w->from, w->head, w->to, &w->r, &w->rc);
    return NULL;
}

/* How many parts, and their boundaries in w (from, to, head); 1 when one walk it is. */
static int walk_plan(struct vault *v, struct walk_part *w)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    char buf[32];
    if (cpus < 2 || !sqlite3_threadsafe() ||
        vault_query_text(v, "SELECT coalesce(max(seq), 0) FROM audit", buf, sizeof(buf)) !=
            SQLITE_OK)
        return 1;
    uint64_t last = strtoull(buf, NULL, 10);
    uint64_t n = last / AUDITLOG_PART_MIN;
    if (n > (uint64_t)cpus)
        n = (uint64_t)cpus;
    if (n > AUDITLOG_PARTS_MAX)
        n = AUDITLOG_PARTS_MAX;
    for (uint64_t i = 1; i < n; i++) {
        int rc;
        w[i].from = last / n * i;
        if (hash_at(v, w[i].from, w[i].head, &rc) != 0)
            return 1; /* no such entry, or not readable: one walk finds out what */
        w[i - 1].to = w[i].from;
    }
    w[n > 0 ? n - 1 : 0].to = INT64_MAX;
    return n > 1 ? (int)n : 1;
}

static enum mnv_err walk_all(struct vault *v, struct auditlog_report *r, struct mnv_diag *diag)
{
    struct walk_part w[AUDITLOG_PARTS_MAX];
    memset(w, 0, sizeof(w));
    int n = walk_plan(v, w);
    if (n == 1)
        return walk(v, 0, w[0].head, r, diag);
    crypto_generichash_state keyed;
    keyed_state(v, &keyed);
    for (int i = 0; i < n; i++) {
        w[i].keyed = &keyed;
        if (i > 0 && (w[i].db = vault_open_reader(v, 0)) != NULL)
            w[i].started = pthread_create(&w[i].th, NULL, walk_part_run, &w[i]) == 0;
    }
    /* Part 0, and any part that could not have a thread, here on v's connection. */
    for (int i = 0; i < n; i++) {
        if (w[i].started)
            continue;
        if (w[i].db)
            sqlite3_close_v2(w[i].db);
        w[i].db = vault_db(v);
        walk_part_run(&w[i]);
    }
    for (int i = 0; i < n; i++)
        if (w[i].started) {
            pthread_join(w[i].th, NULL);
            sqlite3_close_v2(w[i].db);
        }
    sodium_memzero(&keyed, sizeof(keyed));
    /* In order: the first part that stopped speaks, as a single walk would have. */
    enum mnv_err err = MNV_OK;
    for (int i = 0; i < n; i++) {
        uint64_t entries = r->entries;
        *r = w[i].r;
        r->entries += entries;
        if (w[i].broken || w[i].rc != SQLITE_OK) {
            err = walk_verdict(v, w[i].broken, w[i].rc, r, diag);
            break;
        }
    }
    sodium_memzero(w, sizeof(w));
    return err;
}

enum mnv_err auditlog_verify(struct vault *v, const struct keyring_anchor *a,
                             struct auditlog_report *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    enum mnv_err err = walk_all(v, r, diag);
    if (err != MNV_OK || !a)
        return err;
    r->anchor_seq = a->seq;
    if (a->seq == 0) {
        r->anchor_ok = 1;
        return MNV_OK;
    }
    unsigned char h[VCRYPTO_HASH_LEN];
    int rc = SQLITE_OK;
    if (a->seq <= r->head_seq && hash_at(v, a->seq, h, &rc) == 0 &&
        sodium_memcmp(h, a->head, VCRYPTO_HASH_LEN) == 0) {
        r->anchor_ok = 1;
        return MNV_OK;
    }
    /* The entry could not be read (the disk, memory): that is not a cut log. */
    return rc != SQLITE_OK ? vault_sql_error(v, rc, diag) : MNV_ERR_AUDIT_ANCHOR;
}

enum mnv_err auditlog_check_anchor(struct vault *v, const struct keyring_anchor *a,
                                   struct mnv_diag *diag)
{
    unsigned char h[VCRYPTO_HASH_LEN] = {0};
    int rc = SQLITE_OK;
    if (a->seq > 0) {
        if (hash_at(v, a->seq, h, &rc) != 0 || sodium_memcmp(h, a->head, VCRYPTO_HASH_LEN)) {
            if (rc != SQLITE_OK)
                return vault_sql_error(v, rc, diag);
            mnv_diag_detail(diag, "anchor %llu", (unsigned long long)a->seq);
            return MNV_ERR_DB_ROLLBACK;
        }
    }
    struct auditlog_report r;
    memset(&r, 0, sizeof(r));
    enum mnv_err err = walk(v, a->seq, h, &r, diag);
    if (err != MNV_OK)
        return err;
    vault_audit_set_head(v, r.head_seq, r.head);
    return MNV_OK;
}

enum mnv_err auditlog_each(struct vault *v, uint64_t from, auditlog_fn fn, void *ud,
                           struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(vault_db(v), SELECT_ENTRY " WHERE seq >= ?1 ORDER BY seq", -1, &st,
                                NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    sqlite3_bind_int64(st, 1, (sqlite3_int64)from);
    struct audit_entry e;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        (void)auditlog_read_row(st, &e);
        if (fn(ud, &e) != 0) {
            rc = SQLITE_DONE;
            break;
        }
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err auditlog_recent(struct vault *v, size_t n, struct audit_entry *out, size_t *count,
                             struct mnv_diag *diag)
{
    *count = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, SELECT_ENTRY " ORDER BY seq DESC LIMIT ?1", &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, (sqlite3_int64)n);
    int rc = SQLITE_DONE;
    while (*count < n && (rc = sqlite3_step(st)) == SQLITE_ROW)
        (void)auditlog_read_row(st, &out[(*count)++]);
    if (*count < n && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    return err;
}

enum mnv_err auditlog_last(struct vault *v, const char *action, const char *needle, uint64_t *seq)
{
    *seq = 0;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v,
                                  "SELECT coalesce(max(seq), 0) FROM audit"
                                  " WHERE action = ?1 AND instr(detail, ?2) > 0",
                                  &st, NULL);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, needle, -1, SQLITE_STATIC);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW)
        *seq = (uint64_t)sqlite3_column_int64(st, 0);
    else
        err = vault_sql_error(v, rc, NULL);
    sqlite3_reset(st);
    return err;
}
