/*
 * export_fill.c: fill mode (export.h): a 375 or eLTAX file that payroll software wrote with
 * the number columns empty gets the numbers from the vault, so that the payroll system never
 * holds one. Every row is matched before anything is decrypted:
 *   - the employee: in the eLTAX file by 受給者番号 (the employee code) AND the name and
 *     birth date on the row; in the 375 record (no code) the name and birth date must match
 *     exactly one employee;
 *   - the spouse and each dependant named in the blocks: by name among that employee's
 *     dependants;
 *   - every number through the purpose gate, as in an export.
 * One row that does not match refuses the whole file, with its line and why (a sorted
 * spreadsheet that shifted rows by one would otherwise put numbers on the wrong people).
 * The file is then written with the numbers, strictly encoded, with a custody entry and
 * audit entries as an export.
 */
#include "mnvault/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_priv.h"
#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/csv.h"
#include "mnvault/custodydb.h"
#include "mnvault/numberdb.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/textfold.h"
#include "mnvault/vcrypto.h"
#include "mnvault/wareki.h"

/* A number to put into a row: whose, into which field. */
struct fill_target {
    struct person_ref ref;
    enum export_role role;
    int slot;
    size_t field; /* index of the number field */
    uint32_t version;
    enum export_gap_reason gap;
};

#define TARGETS_MAX 10 /* employee, spouse, four dependants, four children */

struct fctx {
    struct session *s;
    struct vault *v;
    const struct export_fill_request *req;
    struct export_report *rep;
    struct form_layout *layout;
    const struct form_copy *copy;
    const char *purpose;
    struct form_record *rec;
    struct csv_reader rd;
    char *text;
    size_t len;
    struct person_list people;
    struct name_at *names; /* people's folded names, sorted: rows matched by name */
    unsigned char *seen;   /* per person of people: on a row so far (a second is refused) */
    long gap_counts[EXPORT_GAP_UNREADABLE + 1];
    long rows, numbers;
    int second; /* the writing pass: problems and gaps are not reported again */
    long late;  /* problems found in the writing pass (the vault changed) */
};

/* Names compared as people write them: spaces and width folded (textfold.h). */
static int same_name(const char *a, const char *b)
{
    char fa[PERSON_NAME_MAX * 2 + 8], fb[PERSON_NAME_MAX * 2 + 8];
    textfold(a, strlen(a), fa, sizeof(fa));
    textfold(b, strlen(b), fb, sizeof(fb));
    return fa[0] && strcmp(fa, fb) == 0;
}

/* The index of the people by folded name, so that a row finds its candidates by binary
 * search (a file of 100,000 rows against 100,000 employees stays n log n). */
struct name_at {
    char *key; /* folded name */
    size_t at; /* index into people.rows */
};

static int name_at_cmp(const void *a, const void *b)
{
    const struct name_at *x = a, *y = b;
    int d = strcmp(x->key, y->key);
    return d ? d : (x->at > y->at) - (x->at < y->at);
}

static void names_free(struct fctx *c)
{
    for (size_t i = 0; c->names && i < c->people.count; i++)
        free(c->names[i].key);
    free(c->names);
    free(c->seen);
    c->names = NULL;
    c->seen = NULL;
}

static enum mnv_err names_build(struct fctx *c)
{
    names_free(c);
    size_t n = c->people.count;
    c->names = calloc(n ? n : 1, sizeof(*c->names));
    c->seen = calloc(n ? n : 1, 1);
    if (!c->names || !c->seen)
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        char f[PERSON_NAME_MAX * 2 + 8];
        textfold(c->people.rows[i].name, strlen(c->people.rows[i].name), f, sizeof(f));
        if (!(c->names[i].key = strdup(f)))
            return MNV_ERR_NOMEM;
        c->names[i].at = i;
    }
    qsort(c->names, n, sizeof(*c->names), name_at_cmp);
    return MNV_OK;
}

/* The candidates for a row: [*from, *to) of c->names with the row's folded name. */
static void names_range(const struct fctx *c, const char *name, size_t *from, size_t *to)
{
    char f[PERSON_NAME_MAX * 2 + 8];
    textfold(name, strlen(name), f, sizeof(f));
    size_t lo = 0, hi = c->people.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(c->names[mid].key, f) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *from = *to = lo;
    while (f[0] && *to < c->people.count && strcmp(c->names[*to].key, f) == 0)
        (*to)++;
}

/* The employee with this code (people.rows are sorted by code): its index, or -1. */
static long code_at(const struct fctx *c, const char *code)
{
    size_t lo = 0, hi = c->people.count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int d = strcmp(c->people.rows[mid].code, code);
        if (d == 0)
            return (long)mid;
        if (d < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

static void problem(struct fctx *c, long line, int pos, enum mnv_err err, const char *code)
{
    struct export_report *rep = c->rep;
    if (c->second) {
        c->late++;
        return;
    }
    rep->faults_total++;
    if (rep->nfaults >= EXPORT_FAULTS_MAX)
        return;
    if (!rep->faults && !(rep->faults = calloc(EXPORT_FAULTS_MAX, sizeof(*rep->faults))))
        return;
    struct form_fault *f = &rep->faults[rep->nfaults++];
    memset(f, 0, sizeof(*f));
    f->line = line;
    f->pos = pos;
    f->err = err;
    if (pos > 0 && (size_t)pos <= c->layout->nfields)
        snprintf(f->field, sizeof(f->field), "%s", c->layout->fields[pos - 1].name);
    snprintf(f->code, sizeof(f->code), "%s", code && code[0] ? code : c->rec->code);
}

/* The index of the field filled by item, or -1. */
static int field_of(const struct form_layout *l, const char *item)
{
    const struct form_field *f = form_layout_field(l, item);
    return f ? (int)(f - l->fields) : -1;
}

static const char *value(const struct fctx *c, const char *item)
{
    int i = field_of(c->layout, item);
    return i < 0 ? "" : form_record_get(c->rec, (size_t)i);
}

/* The birth date on the row as ISO, from the era code and the two-digit parts; "" if none. */
static void row_birth(const struct fctx *c, char out[16])
{
    static const char eras[] = "?STMHR"; /* 1 昭和 2 大正 3 明治 4 平成 5 令和 */
    static const int first[] = {0, 1926, 1912, 1868, 1989, 2019};
    const char *e = value(c, "employee.birth_era");
    int era = e[0] >= '1' && e[0] <= '5' && !e[1] ? e[0] - '0' : 0;
    int y = atoi(value(c, "employee.birth_year")), m = atoi(value(c, "employee.birth_month")),
        d = atoi(value(c, "employee.birth_day"));
    out[0] = '\0';
    (void)eras;
    if (era && y > 0 && y < 100 && m > 0 && m <= 12 && d > 0 && d <= 31)
        snprintf(out, 16, "%04d-%02d-%02d", (first[era] + y - 1) % 10000, m, d);
}

/* The employee the row is about (its index into people.rows in *at), or a problem. */
static int64_t match_employee(struct fctx *c, long line, size_t *at)
{
    char birth[16];
    row_birth(c, birth);
    const char *name = value(c, "employee.name");
    const char *code = field_of(c->layout, "employee.code") >= 0 ? value(c, "employee.code") : NULL;
    int namepos = field_of(c->layout, "employee.name") + 1;
    int64_t found = 0;
    int matches = 0;
    size_t from = 0, to = 0;
    long by_code = code ? code_at(c, code) : -1;
    if (code && by_code >= 0)
        from = (size_t)by_code, to = from + 1;
    else if (!code)
        names_range(c, name, &from, &to);
    for (size_t k = from; k < to; k++) {
        size_t i = code ? k : c->names[k].at;
        const struct person_row *p = &c->people.rows[i];
        struct employee e;
        if (persondb_employee_get(c->v, p->id, &e, NULL) != MNV_OK)
            continue;
        if (code && (!same_name(e.name, name) || strcmp(e.birth_date, birth) != 0)) {
            problem(c, line, namepos, MNV_ERR_FILL_MISMATCH, code);
            return 0;
        }
        if (strcmp(e.birth_date, birth) == 0) {
            matches++;
            found = p->id;
            *at = i;
        }
    }
    if (matches == 1)
        return found;
    problem(c, line, code ? field_of(c->layout, "employee.code") + 1 : namepos,
            matches ? MNV_ERR_FILL_AMBIGUOUS : MNV_ERR_FILL_NO_EMPLOYEE, code);
    return 0;
}

/* A dependant of the employee by the name in item ("spouse.name", "dependent2.name" …):
 * among those who can stand in that block (the spouse's block: the spouse; 16歳未満: under 16
 * at the end of the year; the others: the rest), by name. */
static int match_dependent(struct fctx *c, const struct dependent *deps, size_t n, const char *item,
                           long line, const char *code)
{
    const char *name = value(c, item);
    int spouse = !strncmp(item, "spouse", 6), child = !strncmp(item, "child", 5);
    int found = -1, count = 0;
    for (size_t i = 0; i < n; i++) {
        int age = c->rep->year - atoi(deps[i].birth_date) +
                  (strncmp(deps[i].birth_date + 4, "-01-01", 6) == 0);
        if (spouse != (deps[i].relation == REL_SPOUSE) || (!spouse && child != (age < 16)))
            continue;
        if (same_name(deps[i].name, name)) {
            found = (int)i;
            count++;
        }
    }
    if (count != 1)
        problem(c, line, field_of(c->layout, item) + 1,
                count ? MNV_ERR_FILL_AMBIGUOUS : MNV_ERR_FILL_NO_DEPENDENT, code);
    return count == 1 ? found : -1;
}

static void add_target(struct fill_target *t, size_t *n, const struct person_ref *ref,
                       enum export_role role, int slot, int field)
{
    if (field < 0 || *n >= TARGETS_MAX)
        return;
    t[*n].ref = *ref;
    t[*n].role = role;
    t[*n].slot = slot;
    t[*n].field = (size_t)field;
    t[*n].gap = 0;
    (*n)++;
}

/* The persons of the row whose numbers the layout takes, matched; 0 or the problems. */
static int match_people(struct fctx *c, int64_t emp, long line, const char *code,
                        struct fill_target *t, size_t *n)
{
    struct dependent *deps = NULL;
    size_t nd = 0;
    int bad = 0;
    struct person_ref ref = {PERSON_EMPLOYEE, emp};
    *n = 0;
    add_target(t, n, &ref, EXPORT_ROLE_EMPLOYEE, 0, field_of(c->layout, "employee.number"));
    if (persondb_dependents_of(c->v, emp, &deps, &nd, NULL) != MNV_OK)
        return 1;
    static const char *const roles[] = {"spouse", "dependent", "child"};
    for (int r = 0; r < 3; r++)
        for (int slot = r ? 1 : 0; slot <= (r ? 4 : 0); slot++) {
            char name_item[FORM_ITEM_MAX + 1], num_item[FORM_ITEM_MAX + 1];
            snprintf(name_item, sizeof(name_item), r ? "%s%d.name" : "%s.name", roles[r], slot);
            snprintf(num_item, sizeof(num_item), r ? "%s%d.number" : "%s.number", roles[r], slot);
            if (!value(c, name_item)[0] || field_of(c->layout, num_item) < 0)
                continue;
            int d = match_dependent(c, deps, nd, name_item, line, code);
            if (d < 0) {
                bad++;
                continue;
            }
            ref.kind = PERSON_DEPENDENT;
            ref.id = deps[d].id;
            add_target(t, n, &ref,
                       r == 0   ? EXPORT_ROLE_SPOUSE
                       : r == 1 ? EXPORT_ROLE_DEPENDENT
                                : EXPORT_ROLE_CHILD,
                       slot, field_of(c->layout, num_item));
        }
    free(deps);
    return bad;
}

/* The number columns must come empty: the numbers are the vault's to write. */
static int numbers_empty(struct fctx *c, long line, const char *code)
{
    int bad = 0;
    for (size_t i = 0; i < c->layout->nfields; i++) {
        const struct form_field *f = &c->layout->fields[i];
        if (f->number == FORM_NUM_NONE || f->number == FORM_NUM_PAYER)
            continue;
        const char *v = form_record_get(c->rec, i);
        if (f->number == FORM_NUM_EXTRA_DEPS || f->number == FORM_NUM_EXTRA_KIDS) {
            if (v[0] && strspn(v, " \u3000") != strlen(v)) {
                problem(c, line, f->pos, MNV_ERR_FILL_EXTRA, code);
                bad++;
            }
        } else if (v[0] && strcmp(v, " ") != 0) {
            problem(c, line, f->pos, MNV_ERR_FILL_NUMBER_GIVEN, code);
            bad++;
        }
    }
    return bad;
}

static void gate(struct fctx *c, struct fill_target *t, size_t n, long line, const char *code)
{
    for (size_t i = 0; i < n; i++) {
        struct number_info info;
        if (numberdb_get(c->v, &t[i].ref, &info, NULL) != MNV_OK) {
            t[i].gap = EXPORT_GAP_UNREADABLE;
        } else if (info.status == NUMBER_REFUSED) {
            t[i].gap = EXPORT_GAP_REFUSED;
        } else if (info.status == NUMBER_DISPOSED) {
            t[i].gap = EXPORT_GAP_DISPOSED;
        } else if (info.status != NUMBER_REGISTERED) {
            t[i].gap = EXPORT_GAP_MISSING;
        } else {
            t[i].gap = EXPORT_GAP_PURPOSE;
            for (size_t k = 0; k < info.n_purposes; k++)
                if (strcmp(info.purposes[k].code, c->purpose) == 0)
                    t[i].gap = 0;
        }
        t[i].version = info.version;
        if (!t[i].gap || c->second)
            continue;
        struct export_report *rep = c->rep;
        rep->gaps_total++;
        c->gap_counts[t[i].gap]++;
        if (rep->ngaps < EXPORT_GAPS_MAX &&
            (rep->gaps || (rep->gaps = calloc(EXPORT_GAPS_MAX, sizeof(*rep->gaps))))) {
            struct export_gap *g = &rep->gaps[rep->ngaps++];
            g->line = line;
            snprintf(g->code, sizeof(g->code), "%s", code);
            g->person = t[i].ref;
            g->role = t[i].role;
            g->slot = t[i].slot;
            g->reason = t[i].gap;
        }
    }
}

/* The next record of the file into c->rec; 1 done, 0 read, -1 a problem (recorded). */
static int read_row(struct fctx *c, long *line, enum mnv_err *err, struct mnv_diag *diag)
{
    for (;;) {
        *err = csv_next(&c->rd, diag);
        if (*err == MNV_ERR_NOT_FOUND) {
            *err = MNV_OK;
            return 1;
        }
        if (*err != MNV_OK)
            return 1;
        *line = c->rd.record_line;
        const struct form_field *f1 = &c->layout->fields[0];
        if (c->rows == 0 && c->rd.nfields > 0 && strcmp(c->rd.fields[0], f1->name) == 0)
            continue; /* a header row of the standard form: not part of the filing */
        c->rows++;
        form_record_clear(c->rec);
        c->rec->line = *line;
        if (c->rd.nfields != c->layout->nfields) {
            problem(c, *line, 0, MNV_ERR_FILL_NOT_RECORD, NULL);
            return -1;
        }
        for (size_t i = 0; i < c->rd.nfields && *err == MNV_OK; i++) {
            const char *v = c->rd.fields[i];
            if (c->layout->fields[i].required == FORM_REQ_SPACE && strcmp(v, " ") == 0)
                v = ""; /* the one space e-Tax wants in an empty last field */
            *err = form_record_set(c->rec, i, v, diag);
        }
        if (*err == MNV_ERR_FORM_FIELD_LONG) {
            problem(c, *line, 0, MNV_ERR_FORM_FIELD_LONG, NULL);
            *err = MNV_OK;
            return -1;
        }
        return *err == MNV_OK ? 0 : 1;
    }
}

/* The checks of one row that need no match: the form, the year, the number columns. */
static int row_shape(struct fctx *c, long line, const char *era_year)
{
    int bad = 0;
    const char *code = value(c, "employee.code");
    if (strcmp(form_record_get(c->rec, 0), c->layout->fields[0].fixed) != 0) {
        problem(c, line, 1, MNV_ERR_FILL_NOT_RECORD, code);
        return 1;
    }
    if (strcmp(value(c, "filing.era_year"), era_year) != 0) {
        problem(c, line, field_of(c->layout, "filing.era_year") + 1, MNV_ERR_FILL_YEAR, code);
        bad++;
    }
    const char *sum = value(c, "summary.text");
    if (strstr(sum, "(5)") || strstr(sum, "（５）")) {
        problem(c, line, field_of(c->layout, "summary.text") + 1, MNV_ERR_FILL_EXTRA, code);
        bad++;
    }
    return bad + numbers_empty(c, line, code);
}

static int seen_before(struct fctx *c, size_t at)
{
    int was = c->seen[at];
    c->seen[at] = 1;
    return was;
}

/* A row's persons: *n targets, or -1 after problems. */
static int match_row(struct fctx *c, long line, struct fill_target *t, size_t *n)
{
    const char *code = value(c, "employee.code");
    size_t at = 0;
    int64_t emp = match_employee(c, line, &at);
    if (!emp)
        return -1;
    snprintf(c->rec->code, sizeof(c->rec->code), "%s", c->people.rows[at].code);
    code = c->rec->code;
    if (seen_before(c, at)) {
        problem(c, line, field_of(c->layout, "employee.name") + 1, MNV_ERR_FILL_TWICE, code);
        return -1;
    }
    if (match_people(c, emp, line, code, t, n) != 0)
        return -1;
    gate(c, t, *n, line, code);
    return 0;
}

/* The numbers to write, in file order, checked in the first pass. */
struct expect_list {
    struct fill_target *t;
    size_t n, cap;
};

static int expect_add(struct expect_list *e, const struct fill_target *t)
{
    struct fill_target *p = alloc_grow(e->t, &e->cap, e->n + 1, sizeof(*p));
    if (!p)
        return -1;
    e->t = p;
    e->t[e->n++] = *t;
    return 0;
}

/* First pass: every row matched and checked; the numbers to write listed. */
static enum mnv_err check_pass(struct fctx *c, const char *era_year, struct expect_list *e,
                               struct mnv_diag *diag)
{
    long line = 0;
    enum mnv_err err = MNV_OK;
    int r;
    while ((r = read_row(c, &line, &err, diag)) != 1) {
        struct fill_target t[TARGETS_MAX];
        size_t n = 0;
        if (r < 0 || row_shape(c, line, era_year) || match_row(c, line, t, &n) < 0)
            continue;
        for (size_t i = 0; i < n; i++)
            if (!t[i].gap && expect_add(e, &t[i]) < 0)
                return MNV_ERR_NOMEM;
        if ((err = form_record_fit(c->rec, diag)) != MNV_OK)
            return err;
        struct form_fault f[8];
        size_t nf = form_record_check(c->rec, c->copy, f, 8);
        c->rep->faults_total += (long)nf;
        for (size_t i = 0; i < nf && i < 8; i++) {
            if (!c->rep->faults && !(c->rep->faults = calloc(EXPORT_FAULTS_MAX, sizeof(*f))))
                return MNV_ERR_NOMEM;
            if (c->rep->nfaults < EXPORT_FAULTS_MAX)
                c->rep->faults[c->rep->nfaults++] = f[i];
        }
    }
    c->rep->slips = c->rows;
    c->rep->numbers = (long)e->n;
    if (err == MNV_OK && c->rows == 0)
        err = MNV_ERR_EXPORT_NONE;
    if (err == MNV_OK && c->rep->faults_total)
        err = MNV_ERR_EXPORT_FAULTS;
    else if (err == MNV_OK && c->rep->gaps_total && !c->req->skip_missing)
        err = MNV_ERR_EXPORT_GAPS;
    c->rep->left_out = err == MNV_OK ? c->rep->gaps_total : 0;
    return err;
}

/* Second pass (inside export_out_run): the same rows, the same persons, now the numbers. */
struct write_ud {
    struct fctx *c;
    const char *era_year;
    struct expect_list e;    /* the numbers to write, found by the first pass */
    struct person_ref *refs; /* their persons, for the custody entry */
};

static enum mnv_err put_number(struct fctx *c, const struct fill_target *t, struct mnv_diag *diag)
{
    char *digits = secmem_alloc(13);
    enum mnv_err err =
        digits ? export_reveal_checked(c->v, &t->ref, t->version, digits, diag) : MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = form_record_set(c->rec, t->field, digits, diag);
    secmem_free(digits); /* wipes */
    return err;
}

static enum mnv_err write_rows(void *ud, struct form_sink *sink, const struct form_job *job,
                               struct mnv_diag *diag)
{
    struct write_ud *w = ud;
    struct fctx *c = w->c;
    long line = 0;
    size_t next = 0;
    enum mnv_err err = csv_reader_init(&c->rd, c->text, c->len);
    if (err != MNV_OK)
        return err;
    err = form_sink_begin(sink, job, diag);
    c->rows = 0;
    memset(c->seen, 0, c->people.count);
    c->second = 1;
    int r;
    while (err == MNV_OK && (r = read_row(c, &line, &err, diag)) != 1) {
        struct fill_target t[TARGETS_MAX];
        size_t n = 0;
        if (r < 0 || row_shape(c, line, w->era_year) || match_row(c, line, t, &n) < 0) {
            err = MNV_ERR_EXPORT_CHANGED;
            break;
        }
        for (size_t i = 0; err == MNV_OK && i < n; i++) {
            if (t[i].gap)
                continue;
            const struct fill_target *x = next < w->e.n ? &w->e.t[next] : NULL;
            if (!x || x->ref.kind != t[i].ref.kind || x->ref.id != t[i].ref.id ||
                x->field != t[i].field)
                err = MNV_ERR_EXPORT_CHANGED;
            else
                err = put_number(c, x, diag);
            next++;
        }
        if (err == MNV_OK)
            err = form_record_fit(c->rec, diag);
        if (err == MNV_OK && form_record_check(c->rec, c->copy, NULL, 0) != 0)
            err = MNV_ERR_EXPORT_CHANGED;
        if (err == MNV_OK)
            err = form_sink_record(sink, job, c->rec, diag);
        form_record_clear(c->rec);
    }
    csv_reader_release(&c->rd);
    if (err == MNV_OK && (next != w->e.n || c->late))
        err = MNV_ERR_EXPORT_CHANGED;
    if (err == MNV_OK)
        err = form_sink_end(sink, job, diag);
    return err;
}

/* "07" in the first record's 年分 → 2025 (令和); the layout's position of 年分 is checked. */
static enum mnv_err find_year(struct fctx *c, char era_year[3], int *year, struct mnv_diag *diag)
{
    struct csv_reader rd;
    enum mnv_err err = csv_reader_init(&rd, c->text, c->len);
    if (err != MNV_OK)
        return err;
    *year = 0;
    while ((err = csv_next(&rd, diag)) == MNV_OK) {
        if (rd.nfields >= 11 && strlen(rd.fields[10]) == 2 && rd.fields[10][0] >= '0' &&
            rd.fields[10][0] <= '9' && rd.fields[10][1] >= '0' && rd.fields[10][1] <= '9') {
            memcpy(era_year, rd.fields[10], 3);
            *year = 2018 + atoi(era_year); /* 令和: the era of every year with a layout */
            if (diag)
                diag->line = rd.record_line;
            break;
        }
    }
    csv_reader_release(&rd);
    if (err == MNV_ERR_NOT_FOUND || (err == MNV_OK && !*year))
        return MNV_ERR_FILL_YEAR;
    return err;
}

static enum mnv_err prepare(struct fctx *c, char era_year[3], struct mnv_diag *diag)
{
    struct export_report *rep = c->rep;
    int year;
    enum csv_encoding enc;
    enum mnv_err err = csv_read_file(c->req->in_path, &c->text, &c->len, &enc, diag);
    if (err == MNV_OK)
        err = find_year(c, era_year, &year, diag);
    if (err == MNV_OK)
        err = form_layout_load(c->req->form, year, &c->layout, diag);
    if (err != MNV_OK)
        return err;
    rep->year = year;
    const struct form_field *ey = form_layout_field(c->layout, "filing.era_year");
    if (c->layout->output != FORM_OUTPUT_CSV || c->layout->unit != FORM_UNIT_SLIP || !ey ||
        ey->pos != 11 || !c->layout->fields[0].fixed[0])
        return MNV_ERR_FILL_FORM;
    c->copy = &c->layout->copies[0];
    snprintf(rep->copy, sizeof(rep->copy), "%s", c->copy->id);
    snprintf(rep->title_ja, sizeof(rep->title_ja), "%s", c->layout->title_ja);
    snprintf(rep->title_en, sizeof(rep->title_en), "%s", c->layout->title_en);
    snprintf(rep->layout_path, sizeof(rep->layout_path), "%s", c->layout->path);
    const char *dest =
        c->req->destination ? c->req->destination : form_destination_name(c->copy->destination);
    if (!form_destination_parse(dest))
        return MNV_ERR_USAGE;
    snprintf(rep->destination, sizeof(rep->destination), "%s", dest);
    err = export_purpose(c->s, c->layout, c->req->purpose, &c->purpose, diag);
    if (err == MNV_OK)
        snprintf(rep->purpose, sizeof(rep->purpose), "%s", c->purpose);
    if (err == MNV_OK)
        err = form_record_new(c->layout, &c->rec);
    return err;
}

/* First pass (export_out.c runs it inside its change): every row matched and checked. */
static enum mnv_err check_rows(void *ud, struct export_out *x, char *refusal, size_t size,
                               struct mnv_diag *diag)
{
    struct write_ud *w = ud;
    struct fctx *c = w->c;
    enum mnv_err err = persondb_list(c->v, &c->people, diag);
    if (err == MNV_OK)
        err = names_build(c);
    if (err == MNV_OK)
        err = csv_reader_init(&c->rd, c->text, c->len);
    if (err == MNV_OK)
        err = check_pass(c, w->era_year, &w->e, diag);
    csv_reader_release(&c->rd);
    if (err == MNV_ERR_EXPORT_FAULTS || err == MNV_ERR_EXPORT_GAPS)
        snprintf(refusal, size,
                 "fill form=%s year=%d rows=%ld problems=%ld missing=%ld refused=%ld "
                 "disposed=%ld not_notified=%ld",
                 c->req->form, c->rep->year, c->rows, c->rep->faults_total,
                 c->gap_counts[EXPORT_GAP_MISSING], c->gap_counts[EXPORT_GAP_REFUSED],
                 c->gap_counts[EXPORT_GAP_DISPOSED], c->gap_counts[EXPORT_GAP_PURPOSE]);
    if (err != MNV_OK)
        return err;
    w->refs = calloc(w->e.n ? w->e.n : 1, sizeof(*w->refs));
    if (!w->refs)
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < w->e.n; i++)
        w->refs[i] = w->e.t[i].ref;
    x->refs = w->refs;
    x->nrefs = w->e.n;
    return MNV_OK;
}

static enum mnv_err run_fill(struct fctx *c, const char *era_year, struct mnv_diag *diag)
{
    struct write_ud w = {c, era_year, {NULL, 0, 0}, NULL};
    struct export_out x = {
        .s = c->s,
        .v = c->v,
        .form = c->req->form,
        .year = c->rep->year,
        .layout = c->layout,
        .copy = c->copy,
        .purpose = c->purpose,
        .out_path = c->req->out_path,
        .zip = c->req->zip,
        .dry_run = c->req->dry_run,
        .rep = c->rep,
        .make_sink = export_sink_for(FORM_OUTPUT_CSV),
        .check = check_rows,
        .write_records = write_rows,
        .ud = &w,
    };
    enum mnv_err err = export_out_run(&x, diag);
    free(w.refs);
    free(w.e.t);
    return err;
}

enum mnv_err export_fill(struct session *s, const struct export_fill_request *req,
                         struct export_report *rep, struct mnv_diag *diag)
{
    memset(rep, 0, sizeof(*rep));
    rep->fill = 1;
    snprintf(rep->form, sizeof(rep->form), "%s", req->form ? req->form : "");
    enum mnv_err err = access_check(s, ACT_NUMBER_EXPORT, "", diag);
    if (err != MNV_OK)
        return err;
    if (!req->form || !req->in_path || (!req->dry_run && !req->out_path))
        return MNV_ERR_USAGE;
    if (!strcmp(req->form, "shfd"))
        return shfd_fill(s, req, rep, diag);
    if (req->skip_unmatched)
        return MNV_ERR_USAGE; /* a slip's row always matches, or the file is refused */
    struct fctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.v = session_vault(s);
    c.req = req;
    c.rep = rep;
    char era_year[3] = "";
    err = prepare(&c, era_year, diag);
    if (err == MNV_OK)
        err = run_fill(&c, era_year, diag);
    form_record_free(c.rec);
    form_layout_free(c.layout);
    names_free(&c);
    person_list_free(&c.people);
    secmem_free(c.text);
    return err;
}
