/*
 * retention_walk.c: the verdict of every registered number (retention_each), read from the
 * event sources in bounded memory.
 *
 * The events of every source are gathered first, packed into 8 bytes each and sorted by
 * person in place; the numbers (subjects) are then read from their own ordered query one
 * by one, each evaluated with its person's run of events and handed on at once. Nothing
 * holds every subject, nor a second copy of the events (at 100,000 employees the walk
 * held 625,000 events of 32 bytes, a sort buffer as large and every subject: 84 MB).
 */
#include "mnvault/retention.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/caldate.h"
#include "mnvault/form.h"
#include "mnvault/insurance.h"

/*
 * Filings: the custody register names the form and year ("gensen/2025"); the filing code
 * that purposes and retention rules use is the layout's (data/forms). A form whose layout
 * cannot be read keeps its "form/year" code, which no rule names: the number is then
 * reviewed (no_rule), never forgotten.
 */
#define FILING_CACHE 32

struct filing_map {
    retention_emit_fn emit;
    void *ud;
    struct {
        char key[RETENTION_CODE_MAX + 1], filing[RETENTION_CODE_MAX + 1];
    } cache[FILING_CACHE];
    size_t n;
};

static const char *filing_of(struct filing_map *m, const char *key)
{
    for (size_t i = 0; i < m->n; i++)
        if (strcmp(m->cache[i].key, key) == 0)
            return m->cache[i].filing;
    /* A new form and year (a handful per vault): load its layout once. */
    size_t slot = m->n < FILING_CACHE ? m->n++ : 0;
    snprintf(m->cache[slot].key, sizeof(m->cache[0].key), "%s", key);
    snprintf(m->cache[slot].filing, sizeof(m->cache[0].filing), "%s", key);
    char form[RETENTION_CODE_MAX + 1];
    const char *slash = strrchr(key, '/');
    struct form_layout *l = NULL;
    if (slash && (size_t)(slash - key) < sizeof(form)) {
        snprintf(form, sizeof(form), "%.*s", (int)(slash - key), key);
        if (form_layout_load(form, atoi(slash + 1), &l, NULL) == MNV_OK && l->filing[0])
            snprintf(m->cache[slot].filing, sizeof(m->cache[0].filing), "%s", l->filing);
    }
    form_layout_free(l);
    return m->cache[slot].filing;
}

static enum mnv_err map_filing(void *ud, const struct retention_event *ev)
{
    struct filing_map *m = ud;
    struct retention_event e = *ev;
    e.code = filing_of(m, ev->code);
    return m->emit(m->ud, &e);
}

static enum mnv_err scan_filings(struct vault *v, int64_t employee_id, retention_emit_fn emit,
                                 void *ud, struct mnv_diag *diag)
{
    struct filing_map *m = calloc(1, sizeof(*m));
    if (!m)
        return MNV_ERR_NOMEM;
    m->emit = emit;
    m->ud = ud;
    enum mnv_err err = retentiondb_scan_custody(v, employee_id, map_filing, m, diag);
    free(m);
    return err;
}

/*
 * The event sources (retentiondb.h). Another kind of event plugs in here: a store
 * function of the shape retention_source_fn that walks its table, and one row below.
 */
static const struct {
    const char *name;
    retention_source_fn scan;
} sources[] = {
    {"retirement", retentiondb_scan_retirement},
    {"dependants_left", retentiondb_scan_dependants_left},
    {"purposes", retentiondb_scan_purposes},
    {"collections", retentiondb_scan_collections},
    {"filings", scan_filings},
    {"insurance", insurance_retention_scan},
};

/*
 * One event as the walk keeps it: 8 bytes, one integer (at 100,000 demo employees 625,000
 * events: 5 MB). From the top bit down:
 *   who  (30 bits) the person: dependants after employees (the top bit), then the id (29
 *                  bits), the order of person_cmp and of the subjects' query;
 *   day  (22 bits) days after 0001-01-01 (every date caldate accepts); all ones: no day;
 *   kind  (3 bits) enum retention_event_kind;
 *   code  (9 bits) index into the pool.
 * Sorting the integers sorts by person. An id or a day that does not fit stops the walk
 * with MNV_ERR_RANGE (ids are SQLite row ids given in order: 536 million people).
 */
typedef uint64_t packed_event;

#define PE_ID_BITS 29
#define PE_DAY_BITS 22
#define PE_KIND_BITS 3
#define PE_CODE_BITS 9
#define PE_WHO_SHIFT (PE_DAY_BITS + PE_KIND_BITS + PE_CODE_BITS)
#define PE_DAY_SHIFT (PE_KIND_BITS + PE_CODE_BITS)
#define PE_DAY_NONE ((UINT64_C(1) << PE_DAY_BITS) - 1)
#define PE_DAY_BASE (-719162) /* caldate of 0001-01-01 */
#define POOL_MAX                                                                                   \
    (1 << PE_CODE_BITS) /* distinct purpose and filing codes met in one walk                       \
                         * (index 0 is "") */
_Static_assert(REV__COUNT <= (1 << PE_KIND_BITS), "an event kind must fit its bits");
_Static_assert(PE_WHO_SHIFT + PE_ID_BITS + 1 == 64, "an event is 64 bits");

struct gather {
    packed_event *events;
    size_t nev, capev;
    char (*pool)[RETENTION_CODE_MAX + 1]; /* interned codes; [0] is "" */
    size_t npool;
};

/* The person's 30 bits, or UINT64_MAX when the id does not fit. */
static uint64_t who_of(const struct person_ref *p)
{
    if (p->id < 0 || p->id >= (int64_t)1 << PE_ID_BITS)
        return UINT64_MAX;
    return (p->kind == PERSON_DEPENDENT ? (uint64_t)1 << PE_ID_BITS : 0) | (uint64_t)p->id;
}

static uint64_t pe_who(packed_event e)
{
    return e >> PE_WHO_SHIFT;
}

static int32_t pe_day(packed_event e)
{
    uint64_t d = (e >> PE_DAY_SHIFT) & PE_DAY_NONE;
    return d == PE_DAY_NONE ? CALDATE_NONE : (int32_t)d + PE_DAY_BASE;
}

/* The event packed, or 0 with MNV_ERR_RANGE in *err when its person or day does not fit. */
static packed_event pe_pack(const struct retention_event *ev, int code, enum mnv_err *err)
{
    uint64_t who = who_of(&ev->person), day = PE_DAY_NONE;
    if (ev->day != CALDATE_NONE) {
        int64_t d = (int64_t)ev->day - PE_DAY_BASE;
        day = d >= 0 && d < (int64_t)PE_DAY_NONE ? (uint64_t)d : UINT64_MAX;
    }
    if (who == UINT64_MAX || day == UINT64_MAX || (unsigned)ev->kind >= REV__COUNT) {
        *err = MNV_ERR_RANGE;
        return 0;
    }
    return who << PE_WHO_SHIFT | day << PE_DAY_SHIFT | (uint64_t)ev->kind << PE_CODE_BITS |
           (uint64_t)code;
}

/* The pool index of code, added when new; -1 when the pool is full. */
static int intern(struct gather *g, const char *code)
{
    for (size_t i = 0; i < g->npool; i++)
        if (strcmp(g->pool[i], code) == 0)
            return (int)i;
    if (g->npool == POOL_MAX)
        return -1;
    snprintf(g->pool[g->npool], sizeof(g->pool[0]), "%s", code);
    return (int)g->npool++;
}

static enum mnv_err add_event(void *ud, const struct retention_event *ev)
{
    struct gather *g = ud;
    packed_event *ne = alloc_grow(g->events, &g->capev, g->nev + 1, sizeof(*ne));
    if (!ne)
        return MNV_ERR_NOMEM;
    g->events = ne;
    int code = intern(g, ev->code);
    if (code < 0)
        return MNV_ERR_RANGE;
    enum mnv_err err = MNV_OK;
    g->events[g->nev] = pe_pack(ev, code, &err);
    if (err == MNV_OK)
        g->nev++;
    return err;
}

static void gather_free(struct gather *g)
{
    free(g->events);
    free(g->pool);
    memset(g, 0, sizeof(*g));
}

static void swap_events(packed_event *a, packed_event *b)
{
    packed_event t = *a;
    *a = *b;
    *b = t;
}

/* Sort e[0..n) in place (qsort would allocate a copy of the whole array): quicksort with the
 * median of three, recursing into the smaller side, insertion sort for short runs. */
static void sort_events(packed_event *e, size_t n)
{
    while (n > 16) {
        size_t mid = n / 2;
        if (e[mid] < e[0])
            swap_events(&e[mid], &e[0]);
        if (e[n - 1] < e[0])
            swap_events(&e[n - 1], &e[0]);
        if (e[n - 1] < e[mid])
            swap_events(&e[n - 1], &e[mid]);
        packed_event pivot = e[mid];
        size_t i = 0, j = n - 1;
        for (;;) {
            while (e[i] < pivot)
                i++;
            while (e[j] > pivot)
                j--;
            if (i >= j)
                break;
            swap_events(&e[i++], &e[j--]);
        }
        /* e[0..j] <= pivot <= e[j+1..n) */
        size_t left = j + 1;
        if (left < n - left) {
            sort_events(e, left);
            e += left;
            n -= left;
        } else {
            sort_events(e + left, n - left);
            n = left;
        }
    }
    for (size_t i = 1; i < n; i++)
        for (size_t k = i; k > 0 && e[k] < e[k - 1]; k--)
            swap_events(&e[k], &e[k - 1]);
}

static enum mnv_err gather(struct vault *v, int64_t employee_id, struct gather *g,
                           struct mnv_diag *diag)
{
    memset(g, 0, sizeof(*g));
    g->pool = calloc(POOL_MAX, sizeof(*g->pool));
    if (!g->pool)
        return MNV_ERR_NOMEM;
    g->npool = 1; /* "" */
    enum mnv_err err = MNV_OK;
    for (size_t i = 0; err == MNV_OK && i < MNV_ARRAY_LEN(sources); i++)
        err = sources[i].scan(v, employee_id, add_event, g, diag);
    if (err == MNV_OK)
        sort_events(g->events, g->nev);
    return err;
}

/* The review date of number_id's hold in holds[0..n) (sorted by number id), or NONE. */
static int32_t hold_review(const struct retention_hold *holds, size_t n, int64_t number_id)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (holds[mid].number_id < number_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    int32_t day;
    if (lo < n && holds[lo].number_id == number_id && caldate_parse(holds[lo].review_on, &day) == 0)
        return day;
    return CALDATE_NONE;
}

struct each_ctx {
    const struct retention_rules *r;
    int32_t today;
    retention_verdict_fn fn;
    void *ud;
    struct gather g;
    struct retention_hold *holds;
    size_t nholds;
    struct retention_event *run; /* one person's events, unpacked */
    size_t caprun;
    struct retention_verdict *verdict;
};

/* One subject as its query gives it: its events (a binary search), its verdict, to fn. */
static enum mnv_err each_subject(void *ud, const struct retention_subject *s)
{
    struct each_ctx *c = ud;
    const packed_event *ev = c->g.events;
    uint64_t who = who_of(&s->person); /* UINT64_MAX (no such person's events) when too big */
    size_t lo = 0, hi = c->g.nev;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (pe_who(ev[mid]) < who)
            lo = mid + 1;
        else
            hi = mid;
    }
    size_t n = 0;
    for (size_t i = lo; i < c->g.nev && pe_who(ev[i]) == who; i++, n++) {
        struct retention_event *run = alloc_grow(c->run, &c->caprun, n + 1, sizeof(*run));
        if (!run)
            return MNV_ERR_NOMEM;
        c->run = run;
        run[n] = (struct retention_event){
            s->person,
            (enum retention_event_kind)((ev[i] >> PE_CODE_BITS) & ((1u << PE_KIND_BITS) - 1)),
            pe_day(ev[i]), c->g.pool[ev[i] & (POOL_MAX - 1)]};
    }
    retention_evaluate(c->r, c->run, n, hold_review(c->holds, c->nholds, s->number_id), c->today,
                       c->verdict);
    return c->fn(c->ud, s, c->verdict);
}

enum mnv_err retention_each(struct vault *v, const struct retention_rules *r, int64_t employee_id,
                            int32_t today, retention_verdict_fn fn, void *ud, struct mnv_diag *diag)
{
    struct each_ctx c = {.r = r, .today = today, .fn = fn, .ud = ud};
    enum mnv_err err = gather(v, employee_id, &c.g, diag);
    if (err == MNV_OK)
        err = retentiondb_holds(v, employee_id, 1, &c.holds, &c.nholds, diag);
    c.verdict = err == MNV_OK ? malloc(sizeof(*c.verdict)) : NULL;
    if (err == MNV_OK && !c.verdict)
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = retentiondb_subjects(v, employee_id, each_subject, &c, diag);
    free(c.verdict);
    free(c.run);
    free(c.holds);
    gather_free(&c.g);
    return err;
}
