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

/* ---- building ------------------------------------------------------------------------------ */

void emplist_begin(struct emplist *m)
{
    memset(m, 0, sizeof(*m));
}

/* The pool index of a purposes text (a handful of distinct ones in a vault), or -1. */
static int purposes_index(struct emplist *m, const char *text)
{
    size_t p = 0;
    while (p < m->npool && strcmp(m->pool[p], text) != 0)
        p++;
    if (p == m->npool) {
        char **np = p < USHRT_MAX ? alloc_grow(m->pool, &m->cappool, p + 1, sizeof(*np)) : NULL;
        char *copy = np ? strdup(text) : NULL;
        if (np)
            m->pool = np;
        if (!copy)
            return -1;
        m->pool[m->npool++] = copy;
    }
    return (int)p;
}

/* "YYYY-MM-DD" as yyyymmdd (the same order), or 0 for any other text. */
static uint32_t pack_date(const char *d)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? d[i] != '-' : (d[i] < '0' || d[i] > '9'))
            return 0;
    if (d[10])
        return 0;
    uint32_t v = 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7)
            v = v * 10 + (uint32_t)(d[i] - '0');
    return v;
}

/* Append n bytes to the texts (room is made by the caller). */
static void put_bytes(struct emplist *m, const void *s, size_t n)
{
    memcpy(m->text + m->text_len, s, n);
    m->text_len += n;
}

/* The shown text d (dn bytes) from its folded form f (fn bytes) by patch, into out (size
 * bytes at least dn + 1 when it matches); returns the bytes written, or SIZE_MAX when the
 * patch does not give d back (then it is not used). The patch: a byte (the number of spaces
 * to put back, + 0x80 when ASCII letters are upper case), then for each space the byte
 * offset in f before which it goes and its kind (0: " ", 1: U+3000 "　"). */
static size_t patched(const char *f, size_t fn, const unsigned char *patch, char *out, size_t size)
{
    size_t n = patch[0] & 0x7F, o = 0, k = 0;
    int upper = (patch[0] & 0x80) != 0;
    for (size_t j = 0; j <= fn; j++) {
        while (k < n && patch[1 + 2 * k] == j) {
            const char *sp = patch[2 + 2 * k] ? "\xE3\x80\x80" : " ";
            if (o + strlen(sp) >= size)
                return SIZE_MAX;
            memcpy(out + o, sp, strlen(sp));
            o += strlen(sp);
            k++;
        }
        if (j == fn)
            break;
        if (o + 1 >= size)
            return SIZE_MAX;
        char c = f[j];
        out[o++] = upper && c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
    }
    out[o] = '\0';
    return k == n ? o : SIZE_MAX;
}

/* A patch (see patched) that gives the shown d (dn bytes) back from its folded f, into
 * patch (size bytes); returns its length, or 0 when spaces and upper case do not explain
 * the difference. */
static size_t make_patch(const char *d, size_t dn, const char *f, size_t fn, unsigned char *patch,
                         size_t size)
{
    size_t n = 0, i = 0, j = 0;
    int upper = -1;
    while (i < dn) {
        int full = dn - i >= 3 && memcmp(d + i, "\xE3\x80\x80", 3) == 0;
        if (d[i] == ' ' || full) {
            if (j > 255 || 3 + 2 * n > size || n >= 127)
                return 0;
            patch[1 + 2 * n] = (unsigned char)j;
            patch[2 + 2 * n] = (unsigned char)full;
            n++;
            i += full ? 3 : 1;
            continue;
        }
        if (j >= fn)
            return 0;
        int up = d[i] >= 'A' && d[i] <= 'Z' && f[j] == d[i] + 32;
        int low = d[i] >= 'a' && d[i] <= 'z' && f[j] == d[i];
        if (!up && d[i] != f[j])
            return 0;
        if ((up || low) && upper == -1)
            upper = up;
        if ((up && upper == 0) || (low && upper == 1))
            return 0;
        i++;
        j++;
    }
    if (j != fn)
        return 0;
    patch[0] = (unsigned char)(n | (upper == 1 ? 0x80 : 0));
    return 1 + 2 * n;
}

/* How part p (shown d, dn bytes; folded f, fn bytes in the key) is kept: nothing, a patch
 * or the text itself, after the key (room is made by the caller). */
static void keep_shown(struct emplist *m, struct emplist_row *row, int p, const char *d, size_t dn,
                       const char *f, size_t fn)
{
    if (dn == fn && memcmp(d, f, fn) == 0)
        return;
    unsigned char patch[2 * 127 + 1];
    size_t n = make_patch(d, dn, f, fn, patch, sizeof(patch));
    if (n) { /* it gives d back exactly, byte for byte (test_tui__emplist_rows_as_given) */
        row->flags |= (uint16_t)(EMPLIST_SHOWN_PATCH << (EMPLIST_SHOWN_SHIFT + 2 * p));
        put_bytes(m, patch, n);
        return;
    }
    row->flags |= (uint16_t)(EMPLIST_SHOWN_OWN << (EMPLIST_SHOWN_SHIFT + 2 * p));
    put_bytes(m, d, dn);
    put_bytes(m, "", 1);
}

/* Room for one more row: 0, or -1 out of memory. */
static int room_for_row(struct emplist *m)
{
    /* the three arrays grow alike from the same room m->cap, each through its own copy */
    size_t cap[3];
    for (int i = 0; i < 3; i++)
        cap[i] = m->cap;
    struct emplist_row *nr = alloc_grow(m->rows, &cap[0], m->count + 1, sizeof(*nr));
    if (nr)
        m->rows = nr;
    int64_t *ni = nr ? alloc_grow(m->id, &cap[1], m->count + 1, sizeof(*ni)) : NULL;
    if (ni)
        m->id = ni;
    uint64_t *ns = ni ? alloc_grow(m->sig, &cap[2], m->count + 1, sizeof(*ns)) : NULL;
    if (!ns)
        return -1;
    m->sig = ns;
    m->cap = cap[0];
    return 0;
}

int emplist_add(struct emplist *m, const struct person_row *r, int with_detail)
{
    const char *parts[3] = {r->code, r->name, r->kana};
    size_t len[3], need = 16 + strlen(r->hire_date);
    for (int p = 0; p < 3; p++) {
        len[p] = strlen(parts[p]);
        need += 2 * len[p] + 2 + (p == 2 ? 2 * len[p] : 0); /* romaji: at most twice */
    }
    if (m->text_len + need >= UINT32_MAX) /* offsets are 32-bit: far beyond any workforce */
        return -1;
    char *nt = alloc_grow(m->text, &m->text_cap, m->text_len + need, 1);
    if (!nt)
        return -1;
    m->text = nt;
    if (room_for_row(m) != 0)
        return -1;
    struct emplist_row *row = &m->rows[m->count];
    memset(row, 0, sizeof(*row));
    row->text = (uint32_t)m->text_len;
    /* Fields are joined by a unit separator so that a search never matches across two
     * fields ("E0001" + "見本" cannot match "1見"). */
    char *key = m->text + m->text_len;
    size_t at = 0, folded[3];
    for (int p = 0; p < 3; p++) {
        folded[p] = textfold(parts[p], len[p], key + at, m->text_cap - m->text_len - at);
        at += folded[p];
        key[at++] = '\x1f';
    }
    size_t room = m->text_cap - m->text_len - at, kana_at = folded[0] + folded[1] + 2;
    at += folded[2] < ROMAJI_FOLDED_MAX
              ? romaji_from_folded(key + kana_at, folded[2], key + at, room)
              : romaji_from_kana(r->kana, key + at, room);
    key[at] = '\0';
    m->text_len += at + 1;
    m->sig[m->count] = signature(key);
    for (int p = 0, f = 0; p < 3; f += (int)folded[p] + 1, p++)
        keep_shown(m, row, p, parts[p], len[p], key + f, folded[p]);
    row->hire = pack_date(r->hire_date);
    if (!row->hire && r->hire_date[0]) {
        row->flags |= EMPLIST_OWN_HIRE;
        put_bytes(m, r->hire_date, strlen(r->hire_date) + 1);
    }
    if (r->retired)
        row->flags |= EMPLIST_RETIRED;
    m->id[m->count] = r->id;
    m->count++;
    if (r->retired)
        m->retired++;
    else
        m->current++;
    if (with_detail) {
        struct person_detail d = {r->status, r->dependents, r->verified, ""};
        snprintf(d.purposes, sizeof(d.purposes), "%s", r->purposes ? r->purposes : "");
        return emplist_set_detail(m, (unsigned)(m->count - 1), &d);
    }
    return 0;
}

/* Give back the room the doubling left unused. */
static void *fit(void *p, size_t n, size_t elem)
{
    void *q = realloc(p, (n ? n : 1) * elem);
    if (q)
        p = q;
    return p;
}

int emplist_finish(struct emplist *m)
{
    m->rows = fit(m->rows, m->count, sizeof(*m->rows));
    m->id = fit(m->id, m->count, sizeof(*m->id));
    m->sig = fit(m->sig, m->count, sizeof(*m->sig));
    m->text = fit(m->text, m->text_len, 1);
    m->cap = m->count;
    m->text_cap = m->text_len;
    if (!m->text && !(m->text = calloc(1, 1)))
        return -1;
    return emplist_filter(m, "");
}

int emplist_init(struct emplist *m, struct person_list *list)
{
    emplist_begin(m);
    int rc = 0;
    for (size_t i = 0; rc == 0 && i < list->count; i++)
        rc = emplist_add(m, &list->rows[i], 1);
    person_list_free(list);
    if (rc == 0)
        rc = emplist_finish(m);
    if (rc != 0)
        emplist_free(m);
    return rc;
}

void emplist_free(struct emplist *m)
{
    free(m->rows);
    free(m->id);
    free(m->sig);
    free(m->text);
    for (int i = 0; i < m->nlv_alloc; i++)
        free(m->lv[i].match);
    for (int i = 0; i < EMPLIST_SORTS; i++)
        free(m->order[i]);
    for (size_t i = 0; i < m->npool; i++)
        free(m->pool[i]);
    free(m->pool);
    memset(m, 0, sizeof(*m));
}

/* ---- details and the rows as shown --------------------------------------------------------- */

size_t emplist_unread(const struct emplist *m, size_t *cursor, size_t max, unsigned *rows)
{
    size_t k = 0;
    while (k < max && *cursor < m->count) {
        if (!(m->rows[*cursor].flags & EMPLIST_DETAIL))
            rows[k++] = (unsigned)*cursor;
        ++*cursor;
    }
    return k;
}

size_t emplist_missing(const struct emplist *m, size_t from, size_t n, unsigned *rows)
{
    size_t k = 0;
    for (size_t i = from; i < from + n && i < m->nmatch; i++)
        if (!(m->rows[m->match[i]].flags & EMPLIST_DETAIL))
            rows[k++] = m->match[i];
    return k;
}

int emplist_set_detail(struct emplist *m, unsigned row, const struct person_detail *d)
{
    if (row >= m->count)
        return 0;
    int p = purposes_index(m, d->purposes);
    if (p < 0)
        return -1;
    struct emplist_row *r = &m->rows[row];
    r->purposes = (uint16_t)p;
    r->flags = (uint16_t)((r->flags & ~(EMPLIST_VERIFIED | 3 << EMPLIST_STATUS_SHIFT)) |
                          EMPLIST_DETAIL | (d->verified ? EMPLIST_VERIFIED : 0) |
                          ((unsigned)d->status & 3) << EMPLIST_STATUS_SHIFT);
    return 0;
}

/* Part p (0 code, 1 name, 2 reading) of row's key: its start; *len its bytes. */
static const char *key_part(const struct emplist *m, unsigned row, int p, size_t *len)
{
    const char *s = m->text + m->rows[row].text;
    for (int i = 0; i < p; i++)
        s = strchr(s, '\x1f') + 1;
    *len = strcspn(s, "\x1f");
    return s;
}

static int shown_kind(const struct emplist_row *r, int p)
{
    return r->flags >> (EMPLIST_SHOWN_SHIFT + 2 * p) & 3;
}

/* Past what part p keeps after the key (a patch or a text), from s. */
static const char *past_kept(const struct emplist_row *r, int p, const char *s)
{
    int kind = shown_kind(r, p);
    if (kind == EMPLIST_SHOWN_PATCH)
        return s + 1 + 2 * ((unsigned char)s[0] & 0x7F);
    return kind == EMPLIST_SHOWN_OWN ? s + strlen(s) + 1 : s;
}

/* Part p of row as shown, into out (size bytes; cut short if need be); returns its
 * length. */
static size_t shown_text(const struct emplist *m, unsigned row, int p, char *out, size_t size)
{
    const struct emplist_row *r = &m->rows[row];
    size_t fn;
    const char *f = key_part(m, row, p, &fn);
    int kind = shown_kind(r, p);
    if (kind == EMPLIST_SHOWN_KEY)
        return (size_t)snprintf(out, size, "%.*s", (int)fn, f);
    const char *s = m->text + r->text;
    s += strlen(s) + 1; /* past the key */
    for (int i = 0; i < p; i++)
        s = past_kept(r, i, s);
    if (kind == EMPLIST_SHOWN_OWN)
        return (size_t)snprintf(out, size, "%s", s);
    size_t n = patched(f, fn, (const unsigned char *)s, out, size);
    return n == SIZE_MAX ? (size_t)snprintf(out, size, "%.*s", (int)fn, f) : n;
}

const struct person_row *emplist_view_row(const struct emplist *m, unsigned row,
                                          struct emplist_view *v)
{
    const struct emplist_row *r = &m->rows[row];
    memset(&v->row, 0, sizeof(v->row));
    v->row.id = m->id[row];
    size_t at = 0;
    const char **to[3] = {&v->row.code, &v->row.name, &v->row.kana};
    const size_t most[3] = {PERSON_CODE_MAX, PERSON_NAME_MAX, PERSON_KANA_MAX};
    for (int p = 0; p < 3; p++) { /* never longer in a vault (person_check) */
        *to[p] = v->text + at;
        size_t n = shown_text(m, row, p, v->text + at, most[p] + 9);
        at += (n < most[p] + 9 ? n : most[p] + 8) + 1;
    }
    if (r->flags & EMPLIST_OWN_HIRE) {
        const char *s = m->text + r->text;
        s += strlen(s) + 1;
        for (int i = 0; i < 3; i++)
            s = past_kept(r, i, s);
        snprintf(v->row.hire_date, sizeof(v->row.hire_date), "%s", s);
    } else if (r->hire) {
        snprintf(v->row.hire_date, sizeof(v->row.hire_date), "%04u-%02u-%02u",
                 (unsigned)(r->hire / 10000 % 10000), (unsigned)(r->hire / 100 % 100),
                 (unsigned)(r->hire % 100));
    }
    v->row.retired = (r->flags & EMPLIST_RETIRED) != 0;
    v->row.status = NUMBER_MISSING; /* not read: nothing claimed */
    v->row.purposes = "";
    if (r->flags & EMPLIST_DETAIL) {
        v->row.status = (enum number_status)(r->flags >> EMPLIST_STATUS_SHIFT & 3);
        v->row.verified = (r->flags & EMPLIST_VERIFIED) != 0;
        v->row.purposes = m->pool[r->purposes];
    }
    return &v->row;
}

const struct person_row *emplist_shown(const struct emplist *m, size_t i, struct emplist_view *v)
{
    return emplist_view_row(m, m->match[i], v);
}

/* ---- sort orders ---------------------------------------------------------------------------- */

static const struct emplist *sort_model; /* qsort has no user pointer */

/* Codes in the order a person counts: runs of digits by their value (E2 before E10). The
 * texts are na and nb bytes long. */
static int code_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    const char *ea = a + na, *eb = b + nb;
    while (a < ea && b < eb) {
        if (*a >= '0' && *a <= '9' && *b >= '0' && *b <= '9') {
            while (a < ea && *a == '0')
                a++;
            while (b < eb && *b == '0')
                b++;
            size_t da = 0, db = 0;
            while (a + da < ea && a[da] >= '0' && a[da] <= '9')
                da++;
            while (b + db < eb && b[db] >= '0' && b[db] <= '9')
                db++;
            if (da != db)
                return da < db ? -1 : 1;
            int c = memcmp(a, b, da);
            if (c)
                return c;
            a += da;
            b += db;
            continue;
        }
        if (*a != *b)
            return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
        a++;
        b++;
    }
    return a < ea ? 1 : b < eb ? -1 : 0;
}

/* Two texts of given lengths as strcmp would order them. */
static int text_cmp(const char *a, size_t na, const char *b, size_t nb)
{
    int c = memcmp(a, b, na < nb ? na : nb);
    return c ? c : na < nb ? -1 : na > nb ? 1 : 0;
}

static int rows_by_code(unsigned x, unsigned y)
{
    char cx[PERSON_CODE_MAX + 16], cy[sizeof(cx)];
    size_t nx = shown_text(sort_model, x, 0, cx, sizeof(cx));
    size_t ny = shown_text(sort_model, y, 0, cy, sizeof(cy));
    nx = nx < sizeof(cx) ? nx : sizeof(cx) - 1;
    ny = ny < sizeof(cy) ? ny : sizeof(cy) - 1;
    int c = code_cmp(cx, nx, cy, ny);
    return c ? c : text_cmp(cx, nx, cy, ny);
}

static int by_code(const void *a, const void *b)
{
    return rows_by_code(*(const unsigned *)a, *(const unsigned *)b);
}

/* By reading as folded (ﾔﾏﾀﾞ with ヤマダ, spaces left out), then by code. */
static int by_kana(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    size_t nx, ny;
    const char *kx = key_part(sort_model, x, 2, &nx), *ky = key_part(sort_model, y, 2, &ny);
    int c = text_cmp(kx, nx, ky, ny);
    return c ? c : rows_by_code(x, y);
}

static int by_hire(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    uint32_t hx = sort_model->rows[x].hire, hy = sort_model->rows[y].hire;
    return hx != hy ? (hx < hy ? -1 : 1) : rows_by_code(x, y);
}

static const unsigned *order_of(struct emplist *m)
{
    if (m->order[m->sort])
        return m->order[m->sort];
    size_t n = m->count;
    unsigned *o = alloc_array(n ? n : 1, sizeof(*o));
    if (!o)
        return NULL;
    for (size_t i = 0; i < n; i++)
        o[i] = (unsigned)i;
    sort_model = m;
    size_t sorted = 1; /* the rows may come in code order already */
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

/* ---- the search ------------------------------------------------------------------------------ */

static int key_has(const struct emplist *m, unsigned i, const char *q, uint64_t qsig)
{
    return q[0] == '\0' ||
           ((m->sig[i] & qsig) == qsig && strstr(m->text + m->rows[i].text, q) != NULL);
}

static void show_top(struct emplist *m)
{
    m->match = m->lv[m->nlv - 1].match;
    m->nmatch = m->lv[m->nlv - 1].nmatch;
}

/* Start level k (its buffer kept from before, if any) for the query's first qlen bytes, or
 * its romaji form's first rqlen. */
static void open_level(struct emplist *m, int k, size_t qlen, size_t rqlen)
{
    struct emplist_level *l = &m->lv[k];
    l->qlen = qlen;
    l->rqlen = rqlen;
    l->nmatch = l->scanned = 0;
    l->done = 0;
    if (k >= m->nlv_alloc)
        m->nlv_alloc = k + 1;
    m->nlv = k + 1;
}

/* Look at up to *budget matches of the level below level k (k >= 1), asking the level below
 * for more when it has given all it has found so far. */
static int advance(struct emplist *m, int k, size_t *budget)
{
    struct emplist_level *l = &m->lv[k], *below = &m->lv[k - 1];
    char q[sizeof(m->query)], rq[sizeof(m->rquery)];
    memcpy(q, m->query, l->qlen);
    q[l->qlen] = '\0';
    memcpy(rq, m->rquery, l->rqlen);
    rq[l->rqlen] = '\0';
    uint64_t qsig = signature(q), rsig = signature(rq);
    while (!l->done && *budget > 0) {
        if (l->scanned == below->nmatch) {
            if (below->done) {
                l->done = 1;
                break;
            }
            if (advance(m, k - 1, budget) != 0)
                return -1;
            continue;
        }
        size_t end = below->nmatch - l->scanned > *budget ? l->scanned + *budget : below->nmatch;
        unsigned *nm = alloc_grow(l->match, &l->cap, l->nmatch + (end - l->scanned), sizeof(*nm));
        if (!nm)
            return -1;
        l->match = nm;
        *budget -= end - l->scanned;
        for (size_t i = l->scanned; i < end; i++) {
            unsigned row = below->match[i];
            if (key_has(m, row, q, qsig) || (l->rqlen && key_has(m, row, rq, rsig)))
                l->match[l->nmatch++] = row;
        }
        l->scanned = end;
    }
    return 0;
}

int emplist_work(struct emplist *m, size_t rows)
{
    if (m->nlv == 0)
        return 0;
    size_t budget = rows;
    int rc = m->nlv > 1 ? advance(m, m->nlv - 1, &budget) : 0;
    show_top(m);
    if (rc != 0)
        m->nmatch = 0;
    return rc;
}

int emplist_searching(const struct emplist *m)
{
    return m->nlv > 0 && !m->lv[m->nlv - 1].done;
}

/* Narrow the top level in place to the query's first qlen bytes (rqlen of its romaji form),
 * when every level is in use: the top one is finished first. */
static int narrow_in_place(struct emplist *m, size_t qlen, size_t rqlen)
{
    if (emplist_work(m, SIZE_MAX) != 0)
        return -1;
    struct emplist_level *l = &m->lv[m->nlv - 1];
    l->qlen = qlen;
    l->rqlen = rqlen;
    char q[sizeof(m->query)], rq[sizeof(m->rquery)];
    memcpy(q, m->query, qlen);
    q[qlen] = '\0';
    memcpy(rq, m->rquery, rqlen);
    rq[rqlen] = '\0';
    uint64_t qsig = signature(q), rsig = signature(rq);
    size_t kept = 0;
    for (size_t i = 0; i < l->nmatch; i++)
        if (key_has(m, l->match[i], q, qsig) || (rqlen && key_has(m, l->match[i], rq, rsig)))
            l->match[kept++] = l->match[i];
    l->nmatch = l->scanned = kept;
    return 0;
}

/* A new top level for the current query (when it is longer than the top one's). */
static int push_query(struct emplist *m)
{
    size_t qlen = strlen(m->query), rqlen = strlen(m->rquery);
    const struct emplist_level *top = &m->lv[m->nlv - 1];
    if (top->qlen >= qlen && top->rqlen == rqlen)
        return 0;
    if (m->nlv == EMPLIST_LEVELS)
        return narrow_in_place(m, qlen, rqlen);
    open_level(m, m->nlv, qlen, rqlen);
    return 0;
}

/* Rebuild the first level from the whole list in the current order; the query's level
 * above it is then searched afresh. */
static int refilter_all(struct emplist *m)
{
    m->nlv = 0;
    m->match = NULL;
    m->nmatch = 0;
    const unsigned *o = order_of(m);
    size_t n = m->count;
    struct emplist_level *l = &m->lv[0];
    unsigned *all = o ? alloc_grow(l->match, &l->cap, n ? n : 1, sizeof(*all)) : NULL;
    if (!all)
        return -1;
    l->match = all;
    open_level(m, 0, 0, 0);
    for (size_t i = 0; i < n; i++)
        if (m->show_retired || !(m->rows[o[i]].flags & EMPLIST_RETIRED))
            all[l->nmatch++] = o[i];
    l->scanned = n;
    l->done = 1;
    int rc = m->query[0] ? push_query(m) : 0;
    show_top(m);
    if (rc != 0)
        m->nmatch = 0;
    return rc;
}

int emplist_filter_start(struct emplist *m, const char *utf8)
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
    m->nlv = keep;
    snprintf(m->query, sizeof(m->query), "%s", folded);
    snprintf(m->rquery, sizeof(m->rquery), "%s", rq);
    int rc = push_query(m);
    show_top(m);
    if (rc != 0)
        m->nmatch = 0;
    return rc;
}

int emplist_filter(struct emplist *m, const char *utf8)
{
    int rc = emplist_filter_start(m, utf8);
    return rc == 0 ? emplist_work(m, SIZE_MAX) : rc;
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
