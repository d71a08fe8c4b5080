/* review.c: the monthly review's report, read from the audit log (review.h). */
#include "mnvault/review.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mnvault/alloc.h"
#include "mnvault/auditquery.h"
#include "mnvault/auditview.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/session.h"
#include "mnvault/svcread.h"
#include "mnvault/wareki.h"
#include "review_priv.h"

/* One user's recent reveals, for bursts. */
struct burst_state {
    char user[AUDIT_USER_MAX + 1];
    int64_t ring[REVIEW_BURST_REVEALS];
    size_t pos, n;
    long open; /* index of the burst being extended, -1 when none */
};

struct build {
    struct review_report *r;
    struct session *s;
    size_t cap_reveals, cap_imports, cap_failed, cap_bursts, cap_night, cap_states;
    size_t cap_exports, cap_refusals, cap_outside, cap_night_entries;
    struct burst_state *states;
    size_t n_states;
    crypto_hash_sha256_state digest;
    enum mnv_err err;
};

static int is_any(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* Add one to (user, what) in the table *t of *n rows. */
static void count_up(struct build *b, struct review_count **t, size_t *n, size_t *cap,
                     const char *user, const char *what)
{
    for (size_t i = 0; i < *n; i++)
        if (strcmp((*t)[i].user, user) == 0 && strcmp((*t)[i].what, what) == 0) {
            (*t)[i].n++;
            return;
        }
    struct review_count *g = alloc_grow(*t, cap, *n + 1, sizeof(**t));
    if (!g) {
        b->err = MNV_ERR_NOMEM;
        return;
    }
    *t = g;
    memset(&g[*n], 0, sizeof(g[*n]));
    snprintf(g[*n].user, sizeof(g[*n].user), "%s", user);
    snprintf(g[*n].what, sizeof(g[*n].what), "%s", what);
    g[(*n)++].n = 1;
}

/* Keep e in list l (the first REVIEW_LIST_MAX), and count it. */
static void list_add(struct build *b, struct review_list *l, size_t *cap,
                     const struct audit_entry *e)
{
    l->total++;
    if (l->count >= REVIEW_LIST_MAX)
        return;
    struct audit_entry *g = alloc_grow(l->items, cap, l->count + 1, sizeof(*g));
    if (!g) {
        b->err = MNV_ERR_NOMEM;
        return;
    }
    l->items = g;
    g[l->count++] = *e;
}

/* The purpose of a reveal's detail ("purpose=…"), or "". */
static void detail_purpose(const char *detail, char *out, size_t size)
{
    size_t pos = 0;
    char key[32], value[AUDIT_DETAIL_MAX + 1];
    out[0] = '\0';
    while (auditview_detail_next(detail, &pos, key, sizeof(key), value, sizeof(value)))
        if (strcmp(key, "purpose") == 0) {
            snprintf(out, size, "%.*s", (int)(size - 1), value);
            return;
        }
}

static struct burst_state *state_of(struct build *b, const char *user)
{
    for (size_t i = 0; i < b->n_states; i++)
        if (strcmp(b->states[i].user, user) == 0)
            return &b->states[i];
    struct burst_state *g = alloc_grow(b->states, &b->cap_states, b->n_states + 1, sizeof(*g));
    if (!g) {
        b->err = MNV_ERR_NOMEM;
        return NULL;
    }
    b->states = g;
    struct burst_state *st = &g[b->n_states++];
    memset(st, 0, sizeof(*st));
    snprintf(st->user, sizeof(st->user), "%s", user);
    st->open = -1;
    return st;
}

/* A reveal at time t by user: does it make (or extend) a burst? */
static void burst_step(struct build *b, const char *user, int64_t t)
{
    struct burst_state *st = state_of(b, user);
    if (!st)
        return;
    st->ring[st->pos] = t;
    st->pos = (st->pos + 1) % REVIEW_BURST_REVEALS;
    if (st->n < REVIEW_BURST_REVEALS)
        st->n++;
    struct review_report *r = b->r;
    if (st->open >= 0 && t - r->bursts[st->open].last <= REVIEW_BURST_SECONDS) {
        r->bursts[st->open].last = t;
        r->bursts[st->open].reveals++;
        return;
    }
    st->open = -1;
    int64_t oldest = st->ring[st->pos % REVIEW_BURST_REVEALS];
    if (st->n < REVIEW_BURST_REVEALS || t - oldest > REVIEW_BURST_SECONDS)
        return;
    struct review_burst *g = alloc_grow(r->bursts, &b->cap_bursts, r->n_bursts + 1, sizeof(*g));
    if (!g) {
        b->err = MNV_ERR_NOMEM;
        return;
    }
    r->bursts = g;
    st->open = (long)r->n_bursts;
    struct review_burst *nb = &g[r->n_bursts++];
    snprintf(nb->user, sizeof(nb->user), "%s", user);
    nb->first = oldest;
    nb->last = t;
    nb->reveals = REVIEW_BURST_REVEALS;
}

static int at_night(int64_t t)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (!localtime_r(&tt, &tm))
        return 0;
    return tm.tm_hour >= REVIEW_NIGHT_FROM || tm.tm_hour < REVIEW_NIGHT_TO;
}

static int one_entry(void *ud, const struct audit_entry *e)
{
    static const char *const imports[] = {"import", "bulk.insert", "payroll.import",
                                          "insurance.import", NULL};
    static const char *const failed[] = {"login.failed", "lockout", "unlock.failed", NULL};
    struct build *b = ud;
    struct review_report *r = b->r;
    if (!r->entries++)
        r->seq_first = e->seq;
    r->seq_last = e->seq;
    if (strcmp(e->action, "reveal") == 0 && strcmp(e->result, "ok") == 0) {
        char purpose[AUDIT_ACTION_MAX + 1];
        detail_purpose(e->detail, purpose, sizeof(purpose));
        count_up(b, &r->reveals, &r->n_reveals, &b->cap_reveals, e->user, purpose);
        r->reveals_total++;
        burst_step(b, e->user, e->time);
    }
    if (strcmp(e->action, "export") == 0)
        list_add(b, &r->exports, &b->cap_exports, e);
    if (is_any(e->action, imports))
        count_up(b, &r->imports, &r->n_imports, &b->cap_imports, e->user, e->action);
    if (strcmp(e->result, "denied") == 0 || strcmp(e->result, "refused") == 0)
        list_add(b, &r->refusals, &b->cap_refusals, e);
    if (is_any(e->action, failed) ||
        (strcmp(e->action, "login") == 0 && strcmp(e->result, "failed") == 0))
        count_up(b, &r->login_failed, &r->n_login_failed, &b->cap_failed,
                 e->user[0] ? e->user : "?", e->action);
    if (strcmp(e->action, "login") == 0 && strcmp(e->result, "denied") == 0)
        list_add(b, &r->outside, &b->cap_outside, e);
    if (e->user[0] && at_night(e->time)) {
        count_up(b, &r->night, &r->n_night, &b->cap_night, e->user, "");
        list_add(b, &r->night_entries, &b->cap_night_entries, e);
    }
    return b->err != MNV_OK;
}

static void digest_add(crypto_hash_sha256_state *h, const char *fmt, ...) MNV_PRINTF(2, 3);
static void digest_add(crypto_hash_sha256_state *h, const char *fmt, ...)
{
    char line[AUDIT_DETAIL_MAX + 256];
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    if (k > 0)
        crypto_hash_sha256_update(h, (const unsigned char *)line,
                                  (size_t)k < sizeof(line) ? (size_t)k : sizeof(line) - 1);
}

static void digest_counts(crypto_hash_sha256_state *h, const char *tag,
                          const struct review_count *t, size_t n)
{
    for (size_t i = 0; i < n; i++)
        digest_add(h, "%s\t%s\t%s\t%ld\n", tag, t[i].user, t[i].what, t[i].n);
}

/* The digest covers the period, its entries (first and last seq, how many) and every figure:
 * the same log gives the same digest, one more entry in the month another. */
static void make_digest(struct review_report *r)
{
    crypto_hash_sha256_state h;
    unsigned char out[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_init(&h);
    digest_add(&h, "mnvault-review-1\t%s\t%s\t%llu\t%llu\t%llu\n", r->from, r->to,
               (unsigned long long)r->entries, (unsigned long long)r->seq_first,
               (unsigned long long)r->seq_last);
    digest_counts(&h, "reveal", r->reveals, r->n_reveals);
    digest_counts(&h, "import", r->imports, r->n_imports);
    digest_counts(&h, "failed", r->login_failed, r->n_login_failed);
    digest_counts(&h, "night", r->night, r->n_night);
    digest_add(&h, "lists\t%ld\t%ld\t%ld\t%ld\n", r->exports.total, r->refusals.total,
               r->outside.total, r->night_entries.total);
    for (size_t i = 0; i < r->n_bursts; i++)
        digest_add(&h, "burst\t%s\t%lld\t%lld\t%ld\n", r->bursts[i].user,
                   (long long)r->bursts[i].first, (long long)r->bursts[i].last,
                   r->bursts[i].reveals);
    crypto_hash_sha256_final(&h, out);
    sodium_bin2hex(r->digest, sizeof(r->digest), out, sizeof(out));
}

static int by_user_what(const void *a, const void *b)
{
    const struct review_count *x = a, *y = b;
    int c = strcmp(x->user, y->user);
    return c ? c : strcmp(x->what, y->what);
}

enum mnv_err review_build(struct session *s, struct vault *v, struct review_report *r,
                          struct mnv_diag *diag)
{
    time_t t;
    if (clock_parse_date(r->from, &t) != 0)
        return MNV_ERR_AUDIT_FILTER_DATE;
    r->t_from = (int64_t)t;
    char next[CALDATE_ISO_SIZE];
    int32_t to_day;
    if (caldate_parse(r->to, &to_day) != 0 ||
        clock_parse_date(caldate_format(to_day + 1, next), &t) != 0)
        return MNV_ERR_AUDIT_FILTER_DATE;
    r->t_to = (int64_t)t;
    if (r->t_to <= r->t_from)
        return MNV_ERR_AUDIT_FILTER_ORDER;
    struct auditquery q = {.from = r->t_from, .to = r->t_to, .oldest_first = 1};
    uint64_t lo, hi;
    enum mnv_err err = auditquery_seq_at(v, r->t_from, &lo, diag);
    if (err == MNV_OK)
        err = auditquery_seq_at(v, r->t_to, &hi, diag);
    if (err != MNV_OK)
        return err;
    q.above = lo - 1;
    q.below = hi;
    struct build b = {.r = r, .s = s};
    if (hi > lo)
        err = auditquery_each(v, &q, one_entry, &b, diag);
    free(b.states);
    if (err == MNV_OK)
        err = b.err;
    if (err != MNV_OK)
        return err;
    qsort(r->reveals, r->n_reveals, sizeof(*r->reveals), by_user_what);
    qsort(r->imports, r->n_imports, sizeof(*r->imports), by_user_what);
    qsort(r->login_failed, r->n_login_failed, sizeof(*r->login_failed), by_user_what);
    qsort(r->night, r->n_night, sizeof(*r->night), by_user_what);
    make_digest(r);
    return r->month[0] ? review_find_signature(v, r->month, r, diag) : MNV_OK;
}

int review_month_days(const char *month, char from[11], char to[11])
{
    int y, m;
    char tail;
    if (strlen(month) != 7 || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 || month[4] != '-' ||
        y < 2000 || y > 9999 || m < 1 || m > 12)
        return -1;
    snprintf(from, 11, "%04d-%02d-01", y, m);
    snprintf(to, 11, "%04d-%02d-%02d", y, m, caldate_days_in_month(y, m));
    return 0;
}

struct report_ctx {
    struct session *s;
    struct review_report *r;
};

static enum mnv_err report_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct report_ctx *x = ud;
    return review_build(x->s, v, x->r, diag);
}

enum mnv_err review_report_month(struct session *s, const char *month, struct review_report *r,
                                 struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    if (review_month_days(month, r->from, r->to) != 0)
        return MNV_ERR_REVIEW_MONTH;
    snprintf(r->month, sizeof(r->month), "%s", month);
    struct report_ctx x = {s, r};
    enum mnv_err err = svcread_run(s, ACT_AUDIT_READ, report_body, &x, diag);
    if (err != MNV_OK)
        review_report_free(r);
    return err;
}

enum mnv_err review_report_period(struct session *s, const char *from, const char *to,
                                  struct review_report *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    if (wareki_parse(from, r->from) != MNV_OK) {
        mnv_diag_item(diag, "from");
        return MNV_ERR_AUDIT_FILTER_DATE;
    }
    if (wareki_parse(to, r->to) != MNV_OK) {
        mnv_diag_item(diag, "to");
        return MNV_ERR_AUDIT_FILTER_DATE;
    }
    struct report_ctx x = {s, r};
    enum mnv_err err = svcread_run(s, ACT_AUDIT_READ, report_body, &x, diag);
    if (err != MNV_OK)
        review_report_free(r);
    return err;
}

void review_report_free(struct review_report *r)
{
    if (!r)
        return;
    free(r->reveals);
    free(r->imports);
    free(r->login_failed);
    free(r->night);
    free(r->bursts);
    free(r->exports.items);
    free(r->refusals.items);
    free(r->outside.items);
    free(r->night_entries.items);
    memset(r, 0, sizeof(*r));
}
