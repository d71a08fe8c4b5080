/*
 * insurance_import.c: `mnvault insurance import FILE.csv` (insurance.h, doc/insurance.md).
 * One pass inside one write transaction: each row finds its person (employee code, and a
 * dependant by name and birth date), its values are checked and merged into that person's
 * facts and stored; every problem is collected with its line and column. If there is any,
 * the transaction is rolled back and nothing is stored.
 */
#include "mnvault/alloc.h"
#include "mnvault/insurance.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "insurance_priv.h"
#include "mnvault/access.h"
#include "mnvault/auditlog.h"
#include "mnvault/change.h"
#include "mnvault/persondb.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

/* Columns that pick the person; the facts' columns come after them in colmap. */
enum { COL_CODE, COL_NAME, COL_DEP_NAME, COL_DEP_BIRTH, NFIXED };
static const char *const fixed_en[NFIXED] = {"employee_code", "name", "dependent_name",
                                             "dependent_birth_date"};
static const char *const fixed_ja[NFIXED] = {"社員番号", "氏名", "扶養親族氏名",
                                             "扶養親族生年月日"};

#define NCOLS (NFIXED + INSURANCE_FACTS_MAX)

struct ctx {
    struct session *s;
    struct vault *v;
    const struct csv_reader *rd;
    int colmap[NCOLS]; /* file column of each of ours; -1 when absent */
    char names[NCOLS][64];
    struct person_list people;
    struct person_ref *seen; /* persons given so far, against a second row */
    size_t nseen, capseen;
    char *text; /* secmem: one person's new facts */
    struct insurance_change ch[INSURANCE_FACTS_MAX];
    char *vals; /* secmem: the row's values */
    struct insurance_report *rep;
};

static void problem(struct ctx *c, int col, enum mnv_err err)
{
    struct insurance_report *rep = c->rep;
    rep->problems_total++;
    if (rep->nproblems >= INSURANCE_PROBLEMS_MAX)
        return;
    if (!rep->problems && !(rep->problems = calloc(INSURANCE_PROBLEMS_MAX, sizeof(*rep->problems))))
        return;
    struct insurance_problem *p = &rep->problems[rep->nproblems++];
    p->line = c->rd->record_line;
    int known = col >= 0 && c->colmap[col] >= 0;
    p->column = known ? c->colmap[col] + 1 : 0;
    snprintf(p->name, sizeof(p->name), "%s", known ? c->names[col] : "");
    p->err = err;
}

static int header_col(const char *name)
{
    char low[96];
    csv_header_key(name, low, sizeof(low));
    for (int i = 0; i < NFIXED; i++)
        if (strcmp(low, fixed_en[i]) == 0 || strcmp(low, fixed_ja[i]) == 0)
            return i;
    const struct insurance_fact *f = insurance_fact_find(low);
    for (size_t k = 0; f && insurance_fact_at(k); k++)
        if (insurance_fact_at(k) == f)
            return NFIXED + (int)k;
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
            return col < 0 ? MNV_ERR_INSURANCE_COLUMN : MNV_ERR_CSV_COLUMN_TWICE;
        }
        c->colmap[col] = (int)f;
        snprintf(c->names[col], sizeof(c->names[col]), "%.63s", rd->fields[f]);
    }
    if (c->colmap[COL_CODE] < 0) {
        mnv_diag_item(diag, "%s", fixed_en[COL_CODE]);
        return MNV_ERR_CSV_COLUMN_MISSING;
    }
    if ((c->colmap[COL_DEP_NAME] < 0) != (c->colmap[COL_DEP_BIRTH] < 0)) {
        mnv_diag_item(diag, "%s",
                      fixed_en[c->colmap[COL_DEP_NAME] < 0 ? COL_DEP_NAME : COL_DEP_BIRTH]);
        return MNV_ERR_CSV_COLUMN_MISSING;
    }
    return MNV_OK;
}

static const char *get(const struct ctx *c, int col, char *out, size_t size)
{
    return csv_field(c->rd, col < 0 ? -1 : c->colmap[col], out, size);
}

/* The employee with code, by binary search in the list (sorted by code); NULL. */
static const struct person_row *find_code(const struct person_list *l, const char *code)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int cmp = strcmp(l->rows[mid].code, code);
        if (cmp == 0)
            return &l->rows[mid];
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Skip ASCII and ideographic spaces. */
static const char *skip_spaces(const char *p)
{
    for (;;) {
        if (*p == ' ')
            p++;
        else if (strncmp(p, "\xE3\x80\x80", 3) == 0)
            p += 3;
        else
            return p;
    }
}

/* Names compared without their spaces (山田 太郎 = 山田太郎 = 山田　太郎). */
static int same_name(const char *a, const char *b)
{
    for (;;) {
        a = skip_spaces(a);
        b = skip_spaces(b);
        if (*a != *b)
            return 0;
        if (!*a)
            return 1;
        a++;
        b++;
    }
}

/* The dependant of employee_id named in the row; *rel its relation. */
static enum mnv_err find_dependant(struct ctx *c, int64_t employee_id, struct person_ref *ref,
                                   enum dependent_relation *rel)
{
    char name[PERSON_NAME_MAX + 1], birth[40], iso[11];
    get(c, COL_DEP_NAME, name, sizeof(name));
    get(c, COL_DEP_BIRTH, birth, sizeof(birth));
    if (wareki_to_iso(birth, iso) != 0) {
        problem(c, COL_DEP_BIRTH, MNV_ERR_FIELD_DATE);
        return MNV_ERR_IMPORT_REFUSED;
    }
    struct dependent *deps = NULL;
    size_t n = 0, found = 0;
    enum mnv_err err = persondb_dependents_of(c->v, employee_id, &deps, &n, NULL);
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        if (same_name(deps[i].name, name) && strcmp(deps[i].birth_date, iso) == 0) {
            ref->kind = PERSON_DEPENDENT;
            ref->id = deps[i].id;
            *rel = deps[i].relation;
            found++;
        }
    free(deps);
    if (err != MNV_OK)
        return err;
    if (found != 1) {
        problem(c, COL_DEP_NAME,
                found ? MNV_ERR_INSURANCE_DEP_AMBIGUOUS : MNV_ERR_INSURANCE_DEP_NOT_FOUND);
        return MNV_ERR_IMPORT_REFUSED;
    }
    return MNV_OK;
}

/* The person of the current row into *ref; MNV_ERR_IMPORT_REFUSED when it is not found
 * (the problem noted). */
static enum mnv_err find_person(struct ctx *c, struct person_ref *ref, enum dependent_relation *rel)
{
    char code[64], name[PERSON_NAME_MAX + 1], dep[8];
    const struct person_row *row = find_code(&c->people, get(c, COL_CODE, code, sizeof(code)));
    *rel = 0;
    if (!row) {
        problem(c, COL_CODE, MNV_ERR_INSURANCE_NO_EMPLOYEE);
        return MNV_ERR_IMPORT_REFUSED;
    }
    if (get(c, COL_NAME, name, sizeof(name))[0] && !same_name(name, row->name)) {
        problem(c, COL_NAME, MNV_ERR_IMPORT_NAME_MISMATCH);
        return MNV_ERR_IMPORT_REFUSED;
    }
    ref->kind = PERSON_EMPLOYEE;
    ref->id = row->id;
    if (c->colmap[COL_DEP_NAME] >= 0 && get(c, COL_DEP_NAME, dep, sizeof(dep))[0])
        return find_dependant(c, row->id, ref, rel);
    return MNV_OK;
}

static enum mnv_err remember(struct ctx *c, const struct person_ref *ref)
{
    for (size_t i = 0; i < c->nseen; i++)
        if (c->seen[i].kind == ref->kind && c->seen[i].id == ref->id) {
            problem(c, COL_CODE, MNV_ERR_INSURANCE_TWICE);
            return MNV_ERR_IMPORT_REFUSED;
        }
    struct person_ref *n = alloc_grow(c->seen, &c->capseen, c->nseen + 1, sizeof(*n));
    if (!n)
        return MNV_ERR_NOMEM;
    c->seen = n;
    c->seen[c->nseen++] = *ref;
    return MNV_OK;
}

/* The changes of the row: each non-empty fact cell ("-" clears). */
static size_t row_changes(struct ctx *c)
{
    size_t n = 0;
    for (size_t k = 0; insurance_fact_at(k); k++) {
        int col = NFIXED + (int)k;
        char *val = c->vals + n * (INSURANCE_VALUE_MAX + 2);
        if (c->colmap[col] < 0 || !get(c, col, val, INSURANCE_VALUE_MAX + 2)[0])
            continue;
        if (strcmp(val, "-") == 0)
            val[0] = '\0';
        c->ch[n].key = insurance_fact_at(k)->key;
        c->ch[n++].value = val;
    }
    return n;
}

/* Column index of fact key (for a problem's column). */
static int fact_col(const char *key)
{
    for (size_t k = 0; insurance_fact_at(k); k++)
        if (strcmp(insurance_fact_at(k)->key, key) == 0)
            return NFIXED + (int)k;
    return -1;
}

static enum mnv_err one_row(struct ctx *c)
{
    struct person_ref ref;
    enum dependent_relation rel;
    enum mnv_err err = find_person(c, &ref, &rel);
    if (err == MNV_OK)
        err = remember(c, &ref);
    if (err != MNV_OK)
        return err == MNV_ERR_IMPORT_REFUSED ? MNV_OK : err;
    size_t n = row_changes(c), len = 0, changed = 0;
    struct insurance_facts old;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    char keys[AUDIT_DETAIL_MAX];
    err = insurance_load(c->v, &ref, &old, NULL);
    if (err == MNV_OK)
        err = insurance_merge(&old, &ref, rel, c->ch, n, c->text, INSURANCE_BLOB_MAX + 1, &len,
                              &changed, keys, sizeof(keys), &d);
    insurance_facts_free(&old);
    secmem_wipe(c->vals, INSURANCE_FACTS_MAX * (INSURANCE_VALUE_MAX + 2));
    if (err != MNV_OK && err != MNV_ERR_NOMEM && err != MNV_ERR_TOO_LONG && d.item[0]) {
        problem(c, fact_col(d.item), err);
        return MNV_OK;
    }
    if (err == MNV_OK && changed && c->rep->problems_total == 0)
        err = insurancedb_put(c->v, &ref, c->text, len, session_user(c->s), NULL);
    secmem_wipe(c->text, INSURANCE_BLOB_MAX + 1);
    if (err == MNV_OK && changed) {
        c->rep->changed += (long)changed;
        if (ref.kind == PERSON_EMPLOYEE)
            c->rep->employees++;
        else
            c->rep->dependants++;
    }
    return err;
}

struct run_ctx {
    struct ctx *c;
    struct csv_reader *rd;
    int dry_run;
};

/* The whole file as one change: every row checked and, when all are good, stored. */
static enum mnv_err import_body(struct session *s, struct change *ch, void *ud,
                                struct mnv_diag *diag)
{
    (void)s;
    struct run_ctx *x = ud;
    struct ctx *c = x->c;
    enum mnv_err err = persondb_list(c->v, &c->people, diag);
    if (err == MNV_OK)
        err = read_header(c, x->rd, diag);
    while (err == MNV_OK && (err = csv_next(x->rd, diag)) == MNV_OK) {
        if (++c->rep->rows > INSURANCE_ROWS_MAX)
            return MNV_ERR_CSV_TOO_BIG;
        err = one_row(c);
    }
    if (err == MNV_ERR_NOT_FOUND)
        err = c->rep->rows ? MNV_OK : MNV_ERR_IMPORT_EMPTY;
    if (err == MNV_OK && c->rep->problems_total) {
        change_detail(ch, "rows=%ld problems=%ld", c->rep->rows, c->rep->problems_total);
        ch->refusal = ch->detail;
        return MNV_ERR_IMPORT_REFUSED;
    }
    change_detail(ch, "rows=%ld employees=%ld dependants=%ld facts=%ld", c->rep->rows,
                  c->rep->employees, c->rep->dependants, c->rep->changed);
    ch->rollback = x->dry_run;
    return err;
}

enum mnv_err insurance_import_text(struct session *s, const char *text, size_t len, int dry_run,
                                   struct insurance_report *rep, struct mnv_diag *diag)
{
    enum csv_encoding enc = rep->encoding;
    memset(rep, 0, sizeof(*rep));
    rep->encoding = enc;
    enum mnv_err err = access_check(s, ACT_INSURANCE_EDIT, "", diag);
    if (err != MNV_OK)
        return err;
    struct ctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.v = session_vault(s);
    c.rep = rep;
    c.text = secmem_alloc(INSURANCE_BLOB_MAX + 1);
    c.vals = secmem_alloc(INSURANCE_FACTS_MAX * (INSURANCE_VALUE_MAX + 2));
    struct csv_reader rd;
    err = c.text && c.vals ? csv_reader_init(&rd, text, len) : MNV_ERR_NOMEM;
    if (err == MNV_OK) {
        c.rd = &rd;
        struct run_ctx x = {&c, &rd, dry_run};
        err = change_run(s, "insurance.import", "", import_body, &x, diag);
        csv_reader_release(&rd);
    }
    if (err != MNV_OK)
        rep->employees = rep->dependants = rep->changed = 0;
    person_list_free(&c.people);
    free(c.seen);
    secmem_free(c.text);
    secmem_free(c.vals);
    return err;
}

enum mnv_err insurance_import_csv(struct session *s, const char *path, int dry_run,
                                  struct insurance_report *rep, struct mnv_diag *diag)
{
    char *text = NULL;
    size_t len = 0;
    memset(rep, 0, sizeof(*rep));
    enum mnv_err err = csv_read_file(path, &text, &len, &rep->encoding, diag);
    if (err == MNV_OK)
        err = insurance_import_text(s, text, len, dry_run, rep, diag);
    secmem_free(text);
    return err;
}

void insurance_report_free(struct insurance_report *rep)
{
    if (!rep)
        return;
    free(rep->problems);
    rep->problems = NULL;
    rep->nproblems = 0;
}
