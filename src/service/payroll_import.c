/*
 * payroll_import.c: `mnvault payroll import --year YYYY FILE.csv` (payroll.h,
 * doc/payroll.md). Two passes over the file inside one transaction: the first checks every
 * row (and collects the dependants' lines), the second builds each employee's figures and
 * stores them. Nothing is stored unless every row is good.
 */
#include "mnvault/payroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/change.h"
#include "mnvault/i18n.h"
#include "mnvault/persondb.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

#include "payroll_priv.h"

/* A dependant's line, collected in the first pass (ids and categories only). */
struct depline {
    size_t emp; /* index into the people list */
    long line;
    struct payroll_dependent d;
    enum dependent_relation relation;
    int age; /* at the end of the year */
};

struct ctx {
    struct session *s;
    struct vault *v;
    int year;
    int colmap[NCOLS];
    char names[NCOLS][48]; /* each column's name as the header writes it */
    const struct csv_reader *rd;
    struct person_list people;
    long *emp_line; /* [people.count]: the line of each employee's row; 0 none */
    struct depline *deps;
    size_t ndeps, capdeps;
    char *buf; /* secmem: one employee's figures text */
    size_t used;
    int overflow;
    struct payroll_report *rep;
};

static void problem_at(struct ctx *c, long line, int col, enum mnv_err err, const char *item)
{
    struct payroll_report *rep = c->rep;
    rep->problems_total++;
    if (rep->nproblems >= PAYROLL_PROBLEMS_MAX)
        return;
    if (!rep->problems && !(rep->problems = calloc(PAYROLL_PROBLEMS_MAX, sizeof(*rep->problems))))
        return;
    struct payroll_problem *p = &rep->problems[rep->nproblems++];
    p->line = line;
    int known = col >= 0 && c->colmap[col] >= 0;
    p->column = known ? c->colmap[col] + 1 : 0;
    snprintf(p->name, sizeof(p->name), "%s", known ? c->names[col] : "");
    p->err = err;
    snprintf(p->item, sizeof(p->item), "%.63s", item ? item : "");
}

static void problem(struct ctx *c, int col, enum mnv_err err, const char *item)
{
    problem_at(c, c->rd->record_line, col, err, item);
}

/* The trimmed text of column col of the current record into out; "" when absent. */
static const char *get(const struct ctx *c, int col, char *out, size_t size)
{
    return csv_field(c->rd, col < 0 ? -1 : c->colmap[col], out, size);
}

static int header_col(const char *name)
{
    char low[96];
    csv_header_key(name, low, sizeof(low));
    for (size_t i = 0; i < NCOLS; i++)
        if (strcmp(low, payroll_cols[i].pub.en) == 0 || strcmp(low, payroll_cols[i].pub.ja) == 0)
            return (int)i;
    return -1;
}

static enum mnv_err read_header(struct ctx *c, struct csv_reader *rd, struct mnv_diag *diag)
{
    enum mnv_err err = csv_next(rd, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_ERR_IMPORT_EMPTY;
    if (err != MNV_OK)
        return err;
    for (size_t i = 0; i < NCOLS; i++)
        c->colmap[i] = -1;
    for (size_t f = 0; f < rd->nfields; f++) {
        int col = header_col(rd->fields[f]);
        if (col < 0 || c->colmap[col] >= 0) {
            mnv_diag_item(diag, "%.100s", rd->fields[f]);
            if (diag) {
                diag->line = rd->record_line;
                diag->column = (long)f + 1;
            }
            return col < 0 ? MNV_ERR_CSV_HEADER : MNV_ERR_CSV_COLUMN_TWICE;
        }
        c->colmap[col] = (int)f;
        snprintf(c->names[col], sizeof(c->names[col]), "%.47s", rd->fields[f]);
    }
    for (size_t i = 0; i < NCOLS; i++)
        if (payroll_cols[i].pub.required && c->colmap[i] < 0) {
            mnv_diag_item(diag, "%s", payroll_cols[i].pub.en);
            return MNV_ERR_CSV_COLUMN_MISSING;
        }
    return MNV_OK;
}

/* ---- building one employee's text -------------------------------------------------------- */

static void emit(struct ctx *c, const char *key, const char *val)
{
    size_t kl = strlen(key), vl = strlen(val);
    if (c->used + kl + vl + 3 > PAYROLL_BLOB_MAX) {
        c->overflow = 1;
        return;
    }
    memcpy(c->buf + c->used, key, kl);
    c->buf[c->used + kl] = '=';
    memcpy(c->buf + c->used + kl + 1, val, vl);
    c->used += kl + vl + 1;
    c->buf[c->used++] = '\n';
    c->buf[c->used] = '\0';
}

/* "YY", "MM", "DD" of iso under base ("housing1." → housing1.year …). */
static void emit_date_parts(struct ctx *c, const char *base, const char *iso)
{
    char key[48], two[8];
    struct wareki_date w;
    if (wareki_split(iso, &w) < 0)
        return;
    snprintf(two, sizeof(two), "%02d", w.year % 100);
    snprintf(key, sizeof(key), "%syear", base);
    emit(c, key, two);
    snprintf(key, sizeof(key), "%smonth", base);
    emit(c, key, (char[3]){iso[5], iso[6], 0});
    snprintf(key, sizeof(key), "%sday", base);
    emit(c, key, (char[3]){iso[8], iso[9], 0});
}

static int in_year(const struct ctx *c, const char *iso)
{
    char y[5] = {iso[0], iso[1], iso[2], iso[3], 0};
    return atoi(y) == c->year;
}

/* Check the employee field col and add it to the text. 0 ok, -1 after a problem. */
static int take_emp_field(struct ctx *c, size_t col, const char *t, int *midyear)
{
    const struct pcol *p = &payroll_cols[col];
    char v[1024], iso[11];
    switch (p->type) {
    case PT_AMOUNT:
        if (payroll_amount_digits(t, v, 11) < 0)
            return problem(c, (int)col, MNV_ERR_PAYROLL_AMOUNT, NULL), -1;
        emit(c, p->key, v);
        return 0;
    case PT_COUNT:
        if (payroll_amount_digits(t, v, 3) < 0)
            return problem(c, (int)col, MNV_ERR_PAYROLL_COUNT, NULL), -1;
        emit(c, p->key, v);
        return 0;
    case PT_FLAG: {
        int yn = payroll_yes_no(t);
        if (yn < 0)
            return problem(c, (int)col, MNV_ERR_PAYROLL_FLAG, NULL), -1;
        emit(c, p->key, yn ? "1" : "0");
        return 0;
    }
    case PT_TEXT: {
        enum mnv_err err = person_check_text(t, (size_t)p->max * 4, 1);
        if (err != MNV_OK)
            return problem(c, (int)col, err, NULL), -1;
        emit(c, p->key, t);
        return 0;
    }
    case PT_DIGITS:
    case PT_CODETEXT: {
        size_t n = strlen(t);
        int ok = p->type == PT_DIGITS ? n == (size_t)p->max : n <= (size_t)p->max;
        for (size_t i = 0; i < n && ok; i++)
            ok = (t[i] >= '0' && t[i] <= '9') ||
                 (p->type == PT_CODETEXT &&
                  ((t[i] >= 'A' && t[i] <= 'Z') || (t[i] >= 'a' && t[i] <= 'z') || t[i] == '-'));
        if (!ok)
            return problem(c, (int)col, MNV_ERR_PAYROLL_CODE, NULL), -1;
        emit(c, p->key, t);
        return 0;
    }
    case PT_TAX_OFFICE: {
        static const char *const aut[] = {"auto", "自動", NULL};
        int yn = payroll_word_in(t, aut) ? 2 : payroll_yes_no(t);
        if (yn < 0)
            return problem(c, (int)col, MNV_ERR_IMPORT_FIELD_VALUE, t), -1;
        emit(c, p->key, yn == 2 ? "auto" : yn ? "yes" : "no");
        return 0;
    }
    case PT_DISABILITY: {
        int d = payroll_disability_word(t, 0);
        if (d < 0)
            return problem(c, (int)col, MNV_ERR_IMPORT_FIELD_VALUE, t), -1;
        if (d == PAYROLL_DIS_SPECIAL)
            emit(c, "flag.disabled_special", "1");
        else if (d == PAYROLL_DIS_GENERAL)
            emit(c, "flag.disabled_other", "1");
        return 0;
    }
    case PT_DATE:
    case PT_MIDYEAR:
        if (wareki_to_iso(t, iso) < 0)
            return problem(c, (int)col, MNV_ERR_FIELD_DATE, NULL), -1;
        if (p->type == PT_MIDYEAR || strcmp(p->key, "previous.retired_") == 0) {
            if (!in_year(c, iso))
                return problem(c, (int)col, MNV_ERR_PAYROLL_DATE_YEAR, NULL), -1;
        }
        if (p->type == PT_MIDYEAR) {
            if ((*midyear)++)
                return problem(c, (int)col, MNV_ERR_PAYROLL_MIDYEAR_BOTH, NULL), -1;
            emit(c, "midyear.kind", p->key);
            emit_date_parts(c, "midyear.", iso);
        } else {
            emit_date_parts(c, p->key, iso);
        }
        char key[64];
        snprintf(key, sizeof(key), "x.%s", p->pub.en);
        emit(c, key, iso);
        return 0;
    default:
        return 0;
    }
}

/* ---- rows -------------------------------------------------------------------------------- */

static int by_code(const void *key, const void *elem)
{
    return strcmp(key, ((const struct person_row *)elem)->code);
}

static long employee_index(const struct ctx *c, const char *code)
{
    if (!c->people.count)
        return -1;
    const struct person_row *r =
        bsearch(code, c->people.rows, c->people.count, sizeof(*c->people.rows), by_code);
    return r ? (long)(r - c->people.rows) : -1;
}

static int same_name(const char *a, const char *b)
{
    for (;;) {
        while (*a == ' ' || !strncmp(a, "\xE3\x80\x80", 3))
            a += *a == ' ' ? 1 : 3;
        while (*b == ' ' || !strncmp(b, "\xE3\x80\x80", 3))
            b += *b == ' ' ? 1 : 3;
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}

/* The fields of the employee's row: build the text into c->buf. Returns the problems. */
static int build_employee(struct ctx *c, long emp)
{
    int bad = 0, midyear = 0;
    char t[1024];
    c->used = 0;
    c->overflow = 0;
    emit(c, "v", "1");
    for (size_t i = 0; i < NCOLS; i++) {
        if (c->colmap[i] < 0 || !get(c, (int)i, t, sizeof(t))[0])
            continue;
        if (payroll_cols[i].scope == S_DEP) {
            problem(c, (int)i, MNV_ERR_PAYROLL_DEP_COLUMN, NULL);
            bad++;
        } else if (payroll_cols[i].type == PT_NAME) {
            if (!same_name(t, c->people.rows[emp].name)) {
                problem(c, (int)i, MNV_ERR_IMPORT_NAME_MISMATCH, NULL);
                bad++;
            }
        } else if (payroll_cols[i].scope != S_ID && take_emp_field(c, i, t, &midyear) < 0) {
            bad++;
        }
    }
    if (c->overflow) {
        problem(c, -1, MNV_ERR_FIELD_LONG, NULL);
        bad++;
    }
    return bad;
}

/* Match the dependant named on this row among the employee's dependants. */
static int match_dependent(struct ctx *c, long emp, struct depline *dl)
{
    char name[PERSON_NAME_MAX + 8], birth[64], iso[11];
    int cname = header_col("dependent_name"), cbirth = header_col("dependent_birth_date");
    get(c, cname, name, sizeof(name));
    if (!get(c, cbirth, birth, sizeof(birth))[0])
        return problem(c, cbirth, MNV_ERR_PAYROLL_DEP_BIRTH_NEEDED, NULL), -1;
    if (wareki_to_iso(birth, iso) < 0)
        return problem(c, cbirth, MNV_ERR_FIELD_DATE, NULL), -1;
    struct dependent *deps = NULL;
    size_t n = 0, named = 0, found = 0;
    enum mnv_err err = persondb_dependents_of(c->v, c->people.rows[emp].id, &deps, &n, NULL);
    if (err != MNV_OK)
        return problem(c, -1, err, NULL), -1;
    for (size_t i = 0; i < n; i++) {
        if (!same_name(name, deps[i].name))
            continue;
        named++;
        if (strcmp(deps[i].birth_date, iso) == 0) {
            found++;
            dl->d.dependent_id = deps[i].id;
            dl->relation = deps[i].relation;
            dl->age = payroll_age(iso, c->year);
        }
    }
    free(deps);
    if (found == 1)
        return 0;
    if (found > 1)
        return problem(c, cname, MNV_ERR_PAYROLL_DEP_AMBIGUOUS, NULL), -1;
    return problem(c, named ? cbirth : cname,
                   named ? MNV_ERR_PAYROLL_DEP_BIRTH : MNV_ERR_PAYROLL_DEP_NOT_FOUND, NULL),
           -1;
}

static int check_dependent(struct ctx *c, long emp)
{
    struct depline dl = {.emp = (size_t)emp, .line = c->rd->record_line};
    char t[256];
    int bad = 0;
    for (size_t i = 0; i < NCOLS; i++)
        if (c->colmap[i] >= 0 && payroll_cols[i].scope == S_EMP &&
            get(c, (int)i, t, sizeof(t))[0]) {
            problem(c, (int)i, MNV_ERR_PAYROLL_EMP_COLUMN, NULL);
            bad++;
        }
    int cded = header_col("deduction"), cdis = header_col("disability"),
        cnon = header_col("nonresident");
    int ded = get(c, cded, t, sizeof(t))[0] ? payroll_deduction_word(t) : -2;
    if (ded < 0) {
        problem(c, cded, ded == -2 ? MNV_ERR_PAYROLL_DEDUCTION_NEEDED : MNV_ERR_IMPORT_FIELD_VALUE,
                ded == -2 ? NULL : t);
        bad++;
    }
    int dis = payroll_disability_word(get(c, cdis, t, sizeof(t)), 1);
    if (dis < 0) {
        problem(c, cdis, MNV_ERR_IMPORT_FIELD_VALUE, t);
        bad++;
    }
    int non = payroll_yes_no(get(c, cnon, t, sizeof(t)));
    if (non < 0) {
        problem(c, cnon, MNV_ERR_PAYROLL_FLAG, NULL);
        bad++;
    }
    if (match_dependent(c, emp, &dl) < 0)
        return bad + 1;
    int spouse_cat = ded == PAYROLL_DED_SPOUSE || ded == PAYROLL_DED_SPOUSE_AGED ||
                     ded == PAYROLL_DED_SPOUSE_SPECIAL;
    if (ded > PAYROLL_DED_NONE && spouse_cat != (dl.relation == REL_SPOUSE)) {
        problem(c, cded, MNV_ERR_PAYROLL_SPOUSE_CATEGORY, NULL);
        bad++;
    } else if (ded > PAYROLL_DED_NONE && !payroll_age_fits(ded, dl.age)) {
        char item[32];
        snprintf(item, sizeof(item), "%d", dl.age);
        problem(c, cded, MNV_ERR_PAYROLL_DEP_AGE, item);
        bad++;
    }
    if (bad)
        return bad;
    dl.d.deduction = (enum payroll_deduction)ded;
    dl.d.disability = (enum payroll_disability)dis;
    dl.d.nonresident = non;
    struct depline *grown = alloc_grow(c->deps, &c->capdeps, c->ndeps + 1, sizeof(*grown));
    if (!grown)
        return problem(c, -1, MNV_ERR_NOMEM, NULL), 1;
    c->deps = grown;
    c->deps[c->ndeps++] = dl;
    return 0;
}

/* First pass: one row. */
static void check_row(struct ctx *c)
{
    char code[PERSON_CODE_MAX + 8], dep[8];
    int ccode = header_col("employee_code");
    long emp = employee_index(c, get(c, ccode, code, sizeof(code)));
    if (!code[0]) {
        problem(c, ccode, MNV_ERR_FIELD_EMPTY, NULL);
        return;
    }
    if (emp < 0) {
        problem(c, ccode, MNV_ERR_PAYROLL_NO_EMPLOYEE, NULL);
        return;
    }
    int cdep = header_col("dependent_name");
    if (c->colmap[cdep] >= 0 && get(c, cdep, dep, sizeof(dep))[0]) {
        check_dependent(c, emp);
        return;
    }
    if (c->emp_line[emp]) {
        char item[32];
        snprintf(item, sizeof(item), "%ld", c->emp_line[emp]);
        problem(c, ccode, MNV_ERR_IMPORT_PERSON_TWICE, item);
        return;
    }
    c->emp_line[emp] = c->rd->record_line;
    build_employee(c, emp);
}

/* ---- the whole file ------------------------------------------------------------------------ */

static int by_emp_line(const void *a, const void *b)
{
    const struct depline *x = a, *y = b;
    if (x->emp != y->emp)
        return x->emp < y->emp ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static int by_line(const void *a, const void *b)
{
    const struct payroll_problem *x = a, *y = b;
    if (x->line != y->line)
        return (x->line > y->line) - (x->line < y->line);
    return (x->column > y->column) - (x->column < y->column);
}

/* After the first pass: what only the whole file shows. */
static void check_file(struct ctx *c)
{
    int ccode = header_col("employee_code"), cdep = header_col("dependent_name");
    int cded = header_col("deduction");
    if (c->ndeps)
        qsort(c->deps, c->ndeps, sizeof(*c->deps), by_emp_line);
    for (size_t i = 0; i < c->ndeps; i++) {
        const struct depline *d = &c->deps[i];
        char item[32];
        if (!c->emp_line[d->emp])
            problem_at(c, d->line, ccode, MNV_ERR_PAYROLL_NO_EMPLOYEE_ROW, NULL);
        size_t first = i;
        while (first > 0 && c->deps[first - 1].emp == d->emp)
            first--;
        size_t spouses = 0, count = i - first + 1;
        for (size_t j = first; j < i; j++) {
            if (c->deps[j].d.dependent_id == d->d.dependent_id) {
                snprintf(item, sizeof(item), "%ld", c->deps[j].line);
                problem_at(c, d->line, cdep, MNV_ERR_IMPORT_PERSON_TWICE, item);
            }
            spouses += c->deps[j].d.deduction >= PAYROLL_DED_SPOUSE &&
                       c->deps[j].d.deduction <= PAYROLL_DED_SPOUSE_SPECIAL;
        }
        if (spouses && d->d.deduction >= PAYROLL_DED_SPOUSE &&
            d->d.deduction <= PAYROLL_DED_SPOUSE_SPECIAL)
            problem_at(c, d->line, cded, MNV_ERR_PAYROLL_TWO_SPOUSES, NULL);
        if (count == PAYROLL_DEPS_MAX + 1)
            problem_at(c, d->line, cdep, MNV_ERR_PAYROLL_TOO_MANY_DEPS, NULL);
    }
}

static enum mnv_err first_pass(struct ctx *c, struct csv_reader *rd, struct mnv_diag *diag)
{
    enum mnv_err err;
    while ((err = csv_next(rd, diag)) == MNV_OK) {
        if (++c->rep->rows > PAYROLL_ROWS_MAX)
            return MNV_ERR_CSV_TOO_BIG;
        check_row(c);
    }
    if (err != MNV_ERR_NOT_FOUND)
        return err;
    if (c->rep->rows == 0)
        return MNV_ERR_IMPORT_EMPTY;
    check_file(c);
    return MNV_OK;
}

/* Second pass: build and store every employee's figures with their dependants. */
static enum mnv_err second_pass(struct ctx *c, struct csv_reader *rd, struct mnv_diag *diag)
{
    enum mnv_err err;
    const char *user = session_user(c->s);
    int ccode = header_col("employee_code"), cdep = header_col("dependent_name");
    char code[PERSON_CODE_MAX + 8], dep[8];
    while ((err = csv_next(rd, diag)) == MNV_OK) {
        if (c->colmap[cdep] >= 0 && get(c, cdep, dep, sizeof(dep))[0])
            continue;
        long emp = employee_index(c, get(c, ccode, code, sizeof(code)));
        if (emp < 0 || build_employee(c, emp) != 0)
            return MNV_ERR_INVALID; /* the first pass passed: the vault changed under us */
        struct depline key = {.emp = (size_t)emp, .line = 0};
        size_t lo = 0, hi = c->ndeps;
        while (lo < hi) { /* the first dependant line of emp */
            size_t mid = (lo + hi) / 2;
            if (by_emp_line(&c->deps[mid], &key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        for (size_t i = lo; i < c->ndeps && c->deps[i].emp == (size_t)emp; i++) {
            const struct payroll_dependent *d = &c->deps[i].d;
            char val[96];
            snprintf(val, sizeof(val), "%lld,%s,%s,%d", (long long)d->dependent_id,
                     payroll_deduction_name(d->deduction),
                     d->disability == PAYROLL_DIS_NONE      ? "none"
                     : d->disability == PAYROLL_DIS_GENERAL ? "general"
                     : d->disability == PAYROLL_DIS_SPECIAL ? "special"
                                                            : "special_cohabiting",
                     d->nonresident);
            emit(c, "dep", val);
            c->rep->dependents++;
        }
        if (c->overflow)
            return MNV_ERR_TOO_LONG;
        int replaced = 0;
        err = payrolldb_put(c->v, c->people.rows[emp].id, c->year, c->buf, c->used, user, &replaced,
                            diag);
        if (err != MNV_OK)
            return err;
        c->rep->employees++;
        c->rep->replaced += replaced;
    }
    return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
}

static enum mnv_err run(struct ctx *c, const char *text, size_t len, int dry_run,
                        struct mnv_diag *diag)
{
    struct csv_reader rd;
    enum mnv_err err = csv_reader_init(&rd, text, len);
    if (err != MNV_OK)
        return err;
    c->rd = &rd;
    err = read_header(c, &rd, diag);
    if (err == MNV_OK)
        err = persondb_list(c->v, &c->people, diag);
    if (err == MNV_OK && !(c->emp_line = calloc(c->people.count + 1, sizeof(*c->emp_line))))
        err = MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = first_pass(c, &rd, diag);
    if (err == MNV_OK && c->rep->problems_total) {
        qsort(c->rep->problems, c->rep->nproblems, sizeof(*c->rep->problems), by_line);
        err = MNV_ERR_IMPORT_REFUSED;
    }
    if (err == MNV_OK && !dry_run) {
        csv_reader_release(&rd);
        err = csv_reader_init(&rd, text, len);
        if (err == MNV_OK)
            err = csv_next(&rd, diag); /* the header */
        if (err == MNV_OK)
            err = second_pass(c, &rd, diag);
    }
    csv_reader_release(&rd);
    return err;
}

struct import_ctx {
    struct ctx *c;
    const char *text;
    size_t len;
    int dry_run;
};

/* Both passes as one change: every row or none; a file with problems is a refusal. */
static enum mnv_err import_body(struct session *s, struct change *ch, void *ud,
                                struct mnv_diag *diag)
{
    (void)s;
    struct import_ctx *x = ud;
    const struct payroll_report *rep = x->c->rep;
    enum mnv_err err = run(x->c, x->text, x->len, x->dry_run, diag);
    ch->rollback = x->dry_run;
    if (err == MNV_ERR_IMPORT_REFUSED && !x->dry_run) {
        change_detail(ch, "year=%d rows=%ld problems=%ld", x->c->year, rep->rows,
                      rep->problems_total);
        ch->refusal = ch->detail;
    } else {
        change_detail(ch, "year=%d rows=%ld employees=%ld dependents=%ld replaced=%ld", x->c->year,
                      rep->rows, rep->employees, rep->dependents, rep->replaced);
    }
    return err;
}

static enum mnv_err import(struct session *s, const char *text, size_t len, int year, int dry_run,
                           struct payroll_report *rep, struct mnv_diag *diag)
{
    struct ctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.v = session_vault(s);
    c.year = year;
    c.rep = rep;
    c.buf = secmem_alloc(PAYROLL_BLOB_MAX + 1);
    struct import_ctx x = {&c, text, len, dry_run};
    enum mnv_err err =
        c.buf ? change_run(s, "payroll.import", NULL, import_body, &x, diag) : MNV_ERR_NOMEM;
    if (err != MNV_OK)
        rep->employees = rep->dependents = rep->replaced = 0;
    person_list_free(&c.people);
    free(c.emp_line);
    free(c.deps);
    secmem_free(c.buf);
    return err;
}

static enum mnv_err start(struct session *s, int year, struct payroll_report *rep,
                          struct mnv_diag *diag)
{
    memset(rep, 0, sizeof(*rep));
    rep->year = year;
    if (year < PAYROLL_YEAR_MIN || year > PAYROLL_YEAR_MAX)
        return MNV_ERR_PAYROLL_YEAR;
    return access_check(s, ACT_PAYROLL_IMPORT, "", diag);
}

enum mnv_err payroll_import_text(struct session *s, const char *text, size_t len, int year,
                                 int dry_run, struct payroll_report *rep, struct mnv_diag *diag)
{
    enum mnv_err err = start(s, year, rep, diag);
    return err == MNV_OK ? import(s, text, len, year, dry_run, rep, diag) : err;
}

enum mnv_err payroll_import_csv(struct session *s, const char *path, int year, int dry_run,
                                struct payroll_report *rep, struct mnv_diag *diag)
{
    enum mnv_err err = start(s, year, rep, diag);
    if (err != MNV_OK)
        return err;
    char *text;
    size_t len;
    err = csv_read_file(path, &text, &len, &rep->encoding, diag);
    if (err != MNV_OK)
        return err;
    err = import(s, text, len, year, dry_run, rep, diag);
    secmem_free(text);
    return err;
}

void payroll_report_free(struct payroll_report *rep)
{
    if (!rep)
        return;
    free(rep->problems);
    rep->problems = NULL;
    rep->nproblems = 0;
}
