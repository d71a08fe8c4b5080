/* emplist.c: the employee list's model (filtering and sorting in memory). */
#include "emplist.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/textfold.h"

int emplist_init(struct emplist *m, struct person_list *list)
{
    memset(m, 0, sizeof(*m));
    m->list = *list;
    memset(list, 0, sizeof(*list));
    size_t n = m->list.count, total = 0;
    for (size_t i = 0; i < n; i++) {
        const struct person_row *r = &m->list.rows[i];
        total += strlen(r->code) + strlen(r->name) + strlen(r->kana) + 3;
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
    m->match = malloc((n ? n : 1) * sizeof(*m->match));
    if (!m->keys || !m->key_at || !m->match) {
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
            m->keys[at++] = p < 2 ? '\x1f' : '\0';
        }
    }
    return emplist_filter(m, "");
}

void emplist_free(struct emplist *m)
{
    person_list_free(&m->list);
    free(m->keys);
    free(m->key_at);
    free(m->match);
    for (int i = 0; i < EMPLIST_SORTS; i++)
        free(m->order[i]);
    memset(m, 0, sizeof(*m));
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
    if (m->sort == EMPLIST_BY_KANA)
        qsort(o, n, sizeof(*o), by_kana);
    else if (m->sort == EMPLIST_BY_HIRE)
        qsort(o, n, sizeof(*o), by_hire);
    else
        qsort(o, n, sizeof(*o), by_code);
    m->order[m->sort] = o;
    return o;
}

static int row_passes(const struct emplist *m, unsigned i, size_t qlen)
{
    if (!m->show_retired && m->list.rows[i].retired)
        return 0;
    return qlen == 0 || strstr(m->keys + m->key_at[i], m->query) != NULL;
}

/* Rebuild the matches from the whole list, in the current order. */
static int refilter_all(struct emplist *m)
{
    const unsigned *o = order_of(m);
    m->nmatch = 0;
    if (!o)
        return -1;
    size_t qlen = strlen(m->query);
    for (size_t i = 0; i < m->list.count; i++)
        if (row_passes(m, o[i], qlen))
            m->match[m->nmatch++] = o[i];
    return 0;
}

int emplist_filter(struct emplist *m, const char *utf8)
{
    char folded[sizeof(m->query)];
    size_t need = textfold(utf8, strlen(utf8), folded, sizeof(folded));
    if (need >= sizeof(folded))
        folded[sizeof(folded) - 1] = '\0';
    size_t oldlen = strlen(m->query);
    int narrower = m->match && oldlen > 0 && strncmp(folded, m->query, oldlen) == 0;
    if (oldlen == 0 && m->nmatch > 0 && folded[0])
        narrower = 1; /* from "everything shown": narrowing is still right */
    snprintf(m->query, sizeof(m->query), "%s", folded);
    if (!narrower)
        return refilter_all(m);
    /* The new query contains the old one: only rows that matched before can match. */
    size_t qlen = strlen(m->query), kept = 0;
    for (size_t i = 0; i < m->nmatch; i++)
        if (row_passes(m, m->match[i], qlen))
            m->match[kept++] = m->match[i];
    m->nmatch = kept;
    return 0;
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
