/* emplist.c: the employee list's model (filtering and sorting in memory). */
#include "emplist.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/romaji.h"
#include "mnvault/textfold.h"

/* A bit (of 64) for each whole character of text: a key holds a query only if its bits
 * hold the query's, so most keys are passed over without searching them. An unfinished
 * character at the end (a query cut short) adds no bit. */
static uint64_t signature(const char *text)
{
    uint64_t sig = 0;
    const unsigned char *p = (const unsigned char *)text;
    while (*p) {
        size_t len = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        uint32_t h = 2166136261u;
        for (size_t k = 0; k < len; k++) {
            if (!p[k])
                return sig;
            h = (h ^ p[k]) * 16777619u;
        }
        sig |= (uint64_t)1 << (h >> 26);
        p += len;
    }
    return sig;
}

int emplist_init(struct emplist *m, struct person_list *list)
{
    memset(m, 0, sizeof(*m));
    m->list = *list;
    memset(list, 0, sizeof(*list));
    size_t n = m->list.count, total = 0;
    for (size_t i = 0; i < n; i++) {
        const struct person_row *r = &m->list.rows[i];
        /* the romaji of a reading is at most twice its bytes (only "j" → "zy" grows) */
        total += strlen(r->code) + strlen(r->name) + 3 * strlen(r->kana) + 4;
        if (r->retired)
            m->retired++;
        else
            m->current++;
    }
    if (total >= UINT32_MAX) { /* offsets are 32-bit: far beyond any workforce */
        person_list_free(&m->list);
        return -1;
    }
    m->keys = malloc(total + 1);
    m->key_at = malloc((n ? n : 1) * sizeof(*m->key_at));
    m->sig = malloc((n ? n : 1) * sizeof(*m->sig));
    if (!m->keys || !m->key_at || !m->sig) {
        emplist_free(m);
        return -1;
    }
    /* Fields are joined by a unit separator so that a search never matches across two
     * fields ("E0001" + "見本" cannot match "1見"). */
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        const struct person_row *r = &m->list.rows[i];
        const char *parts[3] = {r->code, r->name, r->kana};
        m->key_at[i] = (uint32_t)at;
        for (int p = 0; p < 3; p++) {
            at += textfold(parts[p], strlen(parts[p]), m->keys + at, total + 1 - at);
            m->keys[at++] = '\x1f';
        }
        at += romaji_from_kana(r->kana, m->keys + at, total + 1 - at);
        m->keys[at++] = '\0';
        m->sig[i] = signature(m->keys + m->key_at[i]);
    }
    return emplist_filter(m, "");
}

void emplist_free(struct emplist *m)
{
    person_list_free(&m->list);
    free(m->keys);
    free(m->key_at);
    free(m->sig);
    for (int i = 0; i < m->nlv; i++)
        free(m->lv[i].match);
    for (int i = 0; i < EMPLIST_SORTS; i++)
        free(m->order[i]);
    free(m->det);
    for (size_t i = 0; i < m->npool; i++)
        free(m->pool[i]);
    free(m->pool);
    memset(m, 0, sizeof(*m));
}

int emplist_names_only(struct emplist *m)
{
    free(m->det);
    m->det = calloc(m->list.count ? m->list.count : 1, sizeof(*m->det));
    return m->det ? 0 : -1;
}

size_t emplist_unread(const struct emplist *m, size_t *cursor, size_t max, unsigned *rows)
{
    size_t k = 0;
    while (m->det && k < max && *cursor < m->list.count) {
        if (!m->det[*cursor].have)
            rows[k++] = (unsigned)*cursor;
        ++*cursor;
    }
    return k;
}

size_t emplist_missing(const struct emplist *m, size_t from, size_t n, unsigned *rows)
{
    size_t k = 0;
    for (size_t i = from; m->det && i < from + n && i < m->nmatch; i++)
        if (!m->det[m->match[i]].have)
            rows[k++] = m->match[i];
    return k;
}

int emplist_set_detail(struct emplist *m, unsigned row, const struct person_detail *d)
{
    if (!m->det || row >= m->list.count)
        return 0;
    size_t p = 0;
    while (p < m->npool && strcmp(m->pool[p], d->purposes) != 0)
        p++;
    if (p == m->npool) { /* a set of purposes not met yet (a handful in a vault) */
        char **np = p < USHRT_MAX ? alloc_grow(m->pool, &m->cappool, p + 1, sizeof(*np)) : NULL;
        char *text = np ? strdup(d->purposes) : NULL;
        if (np)
            m->pool = np;
        if (!text)
            return -1;
        m->pool[m->npool++] = text;
    }
    m->det[row] =
        (struct emplist_detail){1, (unsigned char)d->status, d->verified != 0, (unsigned short)p};
    return 0;
}

const struct person_row *emplist_shown(const struct emplist *m, size_t i, struct person_row *tmp)
{
    const struct person_row *r = &m->list.rows[m->match[i]];
    if (!m->det)
        return r;
    const struct emplist_detail *d = &m->det[m->match[i]];
    *tmp = *r;
    if (d->have) {
        tmp->status = (enum number_status)d->status;
        tmp->verified = d->verified;
        tmp->purposes = m->pool[d->purposes];
    }
    return tmp;
}

static const struct emplist *sort_model; /* qsort has no user pointer */

/* Codes in the order a person counts: runs of digits by their value (E2 before E10). */
static int code_cmp(const char *a, const char *b)
{
    while (*a && *b) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (*a == '0')
                a++;
            while (*b == '0')
                b++;
            size_t na = strspn(a, "0123456789"), nb = strspn(b, "0123456789");
            if (na != nb)
                return na < nb ? -1 : 1;
            int c = strncmp(a, b, na);
            if (c)
                return c;
            a += na;
            b += nb;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return *a ? 1 : *b ? -1 : 0;
}

static int by_code(const void *a, const void *b)
{
    const struct person_row *x = &sort_model->list.rows[*(const unsigned *)a];
    const struct person_row *y = &sort_model->list.rows[*(const unsigned *)b];
    int c = code_cmp(x->code, y->code);
    return c ? c : strcmp(x->code, y->code);
}

static int by_kana(const void *a, const void *b)
{
    const struct person_row *x = &sort_model->list.rows[*(const unsigned *)a];
    const struct person_row *y = &sort_model->list.rows[*(const unsigned *)b];
    int c = strcmp(x->kana, y->kana);
    return c ? c : code_cmp(x->code, y->code);
}

static int by_hire(const void *a, const void *b)
{
    const struct person_row *x = &sort_model->list.rows[*(const unsigned *)a];
    const struct person_row *y = &sort_model->list.rows[*(const unsigned *)b];
    int c = strcmp(x->hire_date, y->hire_date);
    return c ? c : code_cmp(x->code, y->code);
}

static const unsigned *order_of(struct emplist *m)
{
    if (m->order[m->sort])
        return m->order[m->sort];
    size_t n = m->list.count;
    unsigned *o = malloc((n ? n : 1) * sizeof(*o));
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++)
        o[i] = (unsigned)i;
    sort_model = m;
    size_t sorted = 1; /* the store gives the rows by code: usually in this order already */
    while (m->sort == EMPLIST_BY_CODE && sorted < n && by_code(&o[sorted - 1], &o[sorted]) <= 0)
        sorted++;
    if (m->sort == EMPLIST_BY_KANA)
        qsort(o, n, sizeof(*o), by_kana);
    else if (m->sort == EMPLIST_BY_HIRE)
        qsort(o, n, sizeof(*o), by_hire);
    else if (sorted < n)
        qsort(o, n, sizeof(*o), by_code);
    m->order[m->sort] = o;
    return o;
}

static int key_has(const struct emplist *m, unsigned i, const char *q, uint64_t qsig)
{
    return q[0] == '\0' ||
           ((m->sig[i] & qsig) == qsig && strstr(m->keys + m->key_at[i], q) != NULL);
}

static void show_top(struct emplist *m)
{
    m->match = m->lv[m->nlv - 1].match;
    m->nmatch = m->lv[m->nlv - 1].nmatch;
}

/* Drop the levels above the first n. */
static void drop_levels(struct emplist *m, int n)
{
    while (m->nlv > n) {
        m->nlv--;
        free(m->lv[m->nlv].match);
        m->lv[m->nlv].match = NULL;
    }
}

/* Narrow the top level to the query's first qlen bytes, or its romaji form's first rqlen:
 * onto a new level, or in place when the stack is full. */
static int narrow(struct emplist *m, size_t qlen, size_t rqlen)
{
    struct emplist_level *top = &m->lv[m->nlv - 1];
    struct emplist_level *to = top;
    if (m->nlv < EMPLIST_LEVELS) {
        to = &m->lv[m->nlv];
        to->match = malloc((top->nmatch ? top->nmatch : 1) * sizeof(*to->match));
        if (!to->match)
            return -1;
        m->nlv++;
    }
    char q[sizeof(m->query)];
    memcpy(q, m->query, qlen);
    q[qlen] = '\0';
    char rq[sizeof(m->rquery)];
    memcpy(rq, m->rquery, rqlen);
    rq[rqlen] = '\0';
    uint64_t qsig = signature(q), rsig = signature(rq);
    size_t kept = 0;
    for (size_t i = 0; i < top->nmatch; i++)
        if (key_has(m, top->match[i], q, qsig) || (rqlen && key_has(m, top->match[i], rq, rsig)))
            to->match[kept++] = top->match[i];
    to->nmatch = kept;
    to->qlen = qlen;
    to->rqlen = rqlen;
    return 0;
}

/* Rebuild every level from the whole list, in the current order. */
static int refilter_all(struct emplist *m)
{
    drop_levels(m, 0);
    m->match = NULL;
    m->nmatch = 0;
    const unsigned *o = order_of(m);
    size_t n = m->list.count;
    unsigned *all = o ? malloc((n ? n : 1) * sizeof(*all)) : NULL;
    if (!all)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (m->show_retired || !m->list.rows[o[i]].retired)
            all[k++] = o[i];
    m->lv[0] = (struct emplist_level){0, 0, k, all};
    m->nlv = 1;
    size_t qlen = strlen(m->query);
    int rc = qlen ? narrow(m, qlen, strlen(m->rquery)) : 0;
    show_top(m);
    if (rc != 0)
        m->nmatch = 0;
    return rc;
}

int emplist_filter(struct emplist *m, const char *utf8)
{
    char folded[sizeof(m->query)];
    size_t need = textfold(utf8, strlen(utf8), folded, sizeof(folded));
    if (need >= sizeof(folded))
        folded[sizeof(folded) - 1] = '\0';
    char rq[sizeof(m->rquery)];
    size_t rqlen = romaji_query(folded, rq, sizeof(rq));
    if (m->nlv == 0) {
        snprintf(m->query, sizeof(m->query), "%s", folded);
        snprintf(m->rquery, sizeof(m->rquery), "%s", rq);
        return refilter_all(m);
    }
    /* Keep the levels whose matches hold every match of the new query: its text starts with
     * theirs, and so does its romaji form (when it has one); the longest of them is where the
     * search starts (Backspace: usually the answer itself). */
    size_t common = 0, rcommon = 0;
    while (folded[common] && folded[common] == m->query[common])
        common++;
    while (rq[rcommon] && rq[rcommon] == m->rquery[rcommon])
        rcommon++;
    int keep = m->nlv;
    while (keep > 1 && (m->lv[keep - 1].qlen > common ||
                        (rqlen && (m->lv[keep - 1].rqlen > rcommon || !m->lv[keep - 1].rqlen))))
        keep--;
    drop_levels(m, keep);
    snprintf(m->query, sizeof(m->query), "%s", folded);
    snprintf(m->rquery, sizeof(m->rquery), "%s", rq);
    size_t qlen = strlen(m->query);
    const struct emplist_level *top = &m->lv[m->nlv - 1];
    int rc = top->qlen < qlen || top->rqlen != rqlen ? narrow(m, qlen, rqlen) : 0;
    show_top(m);
    if (rc != 0)
        m->nmatch = 0;
    return rc;
}

int emplist_set_sort(struct emplist *m, enum emplist_sort sort)
{
    m->sort = sort;
    return refilter_all(m);
}

int emplist_set_retired(struct emplist *m, int show)
{
    m->show_retired = show;
    return refilter_all(m);
}
