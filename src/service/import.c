#include "import_priv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/collect.h"
#include "mnvault/collectdb.h"
#include "mnvault/numberdb.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/purpose.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/strmap.h"

/* ja: the Japanese name; old: an earlier Japanese name still read (files made from older
 * documentation). */
static const struct {
    const char *en, *ja;
    int required;
    const char *old;
} columns[C__COUNT] = {
    [C_CODE] = {"employee_code", "社員番号", 1},
    [C_DEP_NAME] = {"dependent_name", "扶養親族氏名", 0},
    [C_RELATION] = {"relation", "続柄", 0},
    [C_NAME] = {"name", "氏名", 0},
    [C_KANA] = {"kana", "フリガナ", 0},
    [C_BIRTH] = {"birth_date", "生年月日", 0},
    [C_SEX] = {"sex", "性別", 0},
    [C_HIRE] = {"hire_date", "入社日", 0},
    [C_POSTAL] = {"postal_code", "郵便番号", 0},
    [C_ADDRESS] = {"address", "住所", 0},
    [C_NUMBER] = {"my_number", "個人番号", 1},
    [C_ROUTE] = {"route", "収集方法", 0, "確認方法"},
    [C_CHANNEL] = {"channel", "受付方法", 0, "確認経路"},
    [C_KNOWN] = {"known_in_person", "身元確認書類省略", 0},
    [C_DOCS] = {"documents", "確認書類", 0},
    [C_VERIFIED_BY] = {"verified_by", "確認者", 1},
    [C_VERIFIED_ON] = {"verified_on", "確認日", 1},
    [C_PURPOSES] = {"purposes", "利用目的", 1},
    [C_NOTIFIED_ON] = {"notified_on", "通知・明示日", 0, "通知日"},
};

int import_column_names(int i, const char **en, const char **ja, int *required)
{
    if (i < 0 || i >= C__COUNT)
        return -1;
    *en = columns[i].en;
    *ja = columns[i].ja;
    if (required)
        *required = columns[i].required;
    return 0;
}

static void add_problem(struct ctx *c, long line, int col, enum mnv_err err, const char *item)
{
    struct import_report *rep = c->rep;
    rep->problems_total++;
    if (rep->nproblems >= IMPORT_PROBLEMS_MAX)
        return;
    if (!rep->problems) {
        rep->problems = calloc(IMPORT_PROBLEMS_MAX, sizeof(*rep->problems));
        if (!rep->problems)
            return;
    }
    struct import_problem *p = &rep->problems[rep->nproblems++];
    p->line = line;
    snprintf(p->column, sizeof(p->column), "%s", col >= 0 ? columns[col].en : "");
    p->field = col >= 0 && c->colmap[col] >= 0 ? c->colmap[col] + 1 : 0;
    snprintf(p->header, sizeof(p->header), "%s",
             col >= 0 && c->colmap[col] >= 0 ? c->header[col] : "");
    p->err = err;
    snprintf(p->item, sizeof(p->item), "%.63s", item ? item : "");
}

/* A field name from persondb's diag->item to our column. */
int import_column_of(const char *item, int fallback)
{
    for (int i = 0; i < C__COUNT; i++)
        if (strcmp(item, columns[i].en) == 0)
            return i;
    return fallback;
}

/* ---- the header ---------------------------------------------------------------------------- */

static int header_col(const char *name)
{
    char low[64];
    csv_header_key(name, low, sizeof(low));
    for (int i = 0; i < C__COUNT; i++)
        if (strcmp(low, columns[i].en) == 0 || strcmp(low, columns[i].ja) == 0 ||
            (columns[i].old && strcmp(low, columns[i].old) == 0))
            return i;
    return -1;
}

static enum mnv_err read_header(struct ctx *c, struct csv_reader *rd, struct mnv_diag *diag)
{
    enum mnv_err err = csv_next(rd, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_ERR_IMPORT_EMPTY;
    if (err != MNV_OK)
        return err;
    for (int i = 0; i < C__COUNT; i++)
        c->colmap[i] = -1;
    c->ncols = rd->nfields;
    for (size_t f = 0; f < rd->nfields; f++) {
        int col = header_col(rd->fields[f]);
        if (col < 0 || c->colmap[col] >= 0) {
            mnv_diag_item(diag, "%.100s", rd->fields[f]);
            if (diag)
                diag->line = rd->record_line;
            return col < 0 ? MNV_ERR_CSV_HEADER : MNV_ERR_CSV_COLUMN_TWICE;
        }
        c->colmap[col] = (int)f;
        snprintf(c->header[col], sizeof(c->header[col]), "%s", rd->fields[f]);
    }
    for (int i = 0; i < C__COUNT; i++)
        if (columns[i].required && c->colmap[i] < 0) {
            mnv_diag_item(diag, "%s", columns[i].en);
            return MNV_ERR_CSV_COLUMN_MISSING;
        }
    return MNV_OK;
}

/* Names compared without their spaces (ASCII or full-width). */
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

static int by_code(const void *key, const void *elem)
{
    return strcmp(key, ((const struct person_row *)elem)->code);
}

static const struct person_row *stored_employee(const struct ctx *c, const char *code)
{
    if (!c->people.count)
        return NULL; /* bsearch must not get a null array */
    return bsearch(code, c->people.rows, c->people.count, sizeof(*c->people.rows), by_code);
}

static enum mnv_err new_employee(struct ctx *c, struct bundle *b, struct fault *f)
{
    struct employee *e = &b->emp;
    if (!e->name[0] || !e->kana[0] || !e->birth_date[0] || !e->sex || !e->hire_date[0])
        return import_fail(f, C_NAME, MNV_ERR_IMPORT_NEW_FIELDS, NULL);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = person_employee_validate(e, clock_now(), &d);
    (void)c;
    return err == MNV_OK ? MNV_OK : import_fail(f, import_column_of(d.item, C_NAME), err, NULL);
}

static enum mnv_err resolve_employee(struct ctx *c, struct bundle *b, struct rowstate *rs,
                                     struct fault *f)
{
    char key[PERSON_CODE_MAX + 4], item[32];
    snprintf(key, sizeof(key), "E\x1f%s", b->emp.code);
    long other = strmap_get(&c->persons, key);
    if (other >= 0) {
        snprintf(item, sizeof(item), "%ld", c->rows[other].line);
        return import_fail(f, C_CODE, MNV_ERR_IMPORT_PERSON_TWICE, item);
    }
    if (strmap_put(&c->persons, key, (long)c->nrows) != MNV_OK)
        return import_fail(f, -1, MNV_ERR_NOMEM, NULL);
    rs->kind = PERSON_EMPLOYEE;
    const struct person_row *p = stored_employee(c, b->emp.code);
    if (!p)
        return new_employee(c, b, f);
    rs->person_id = p->id;
    if (b->emp.name[0] && !same_name(b->emp.name, p->name))
        return import_fail(f, C_NAME, MNV_ERR_IMPORT_NAME_MISMATCH, NULL);
    return MNV_OK;
}

/* A stored dependent of employee_id named name: its id and relation, or 0. */
static enum mnv_err stored_dependent(struct ctx *c, int64_t employee_id, const char *name,
                                     int64_t *id, enum dependent_relation *rel)
{
    struct dependent *deps = NULL;
    size_t n = 0;
    *id = 0;
    enum mnv_err err = persondb_dependents_of(c->v, employee_id, &deps, &n, NULL);
    for (size_t i = 0; err == MNV_OK && i < n && !*id; i++)
        if (same_name(deps[i].name, name)) {
            *id = deps[i].id;
            *rel = deps[i].relation;
        }
    free(deps);
    return err;
}

static enum mnv_err new_dependent(struct bundle *b, struct fault *f)
{
    struct dependent *d = &b->dep;
    if (!d->kana[0] || !d->relation || !d->birth_date[0] || !d->sex)
        return import_fail(f, C_DEP_NAME, MNV_ERR_IMPORT_DEP_FIELDS, NULL);
    struct mnv_diag dg;
    mnv_diag_clear(&dg);
    d->employee_id = 1; /* any: validation does not look at it */
    enum mnv_err err = person_dependent_validate(d, clock_now(), &dg);
    d->employee_id = 0;
    return err == MNV_OK ? MNV_OK
                         : import_fail(f, import_column_of(dg.item, C_DEP_NAME), err, NULL);
}

static enum mnv_err resolve_dependent(struct ctx *c, struct bundle *b, struct rowstate *rs,
                                      struct fault *f)
{
    char key[PERSON_CODE_MAX + PERSON_NAME_MAX + 8], item[32];
    snprintf(key, sizeof(key), "D\x1f%s\x1f%s", b->emp.code, b->dep_name);
    long other = strmap_get(&c->persons, key);
    if (other >= 0) {
        snprintf(item, sizeof(item), "%ld", c->rows[other].line);
        return import_fail(f, C_DEP_NAME, MNV_ERR_IMPORT_PERSON_TWICE, item);
    }
    if (strmap_put(&c->persons, key, (long)c->nrows) != MNV_OK)
        return import_fail(f, -1, MNV_ERR_NOMEM, NULL);
    rs->kind = PERSON_DEPENDENT;
    const struct person_row *p = stored_employee(c, b->emp.code);
    snprintf(key, sizeof(key), "E\x1f%s", b->emp.code);
    long erow = strmap_get(&c->persons, key);
    if (p) {
        rs->employee_id = p->id;
        enum dependent_relation rel = 0;
        enum mnv_err err = stored_dependent(c, p->id, b->dep_name, &rs->person_id, &rel);
        if (err != MNV_OK)
            return import_fail(f, -1, err, NULL);
        if (rs->person_id) {
            b->relation = rel;
            return MNV_OK;
        }
    } else if (erow < 0 || !c->rows[erow].ok || c->rows[erow].person_id) {
        snprintf(item, sizeof(item), "%ld", erow >= 0 ? c->rows[erow].line : 0L);
        return import_fail(f, C_CODE, MNV_ERR_IMPORT_DEP_EMPLOYEE, erow >= 0 ? item : NULL);
    } else {
        rs->employee_row = erow;
    }
    return new_dependent(b, f);
}

/* Is the employee of this row (stored, or added on an earlier line) verified? */
static int declarant_verified(struct ctx *c, const struct bundle *b, const struct rowstate *rs)
{
    if (rs->employee_row >= 0)
        return c->rows[rs->employee_row].ok;
    char key[PERSON_CODE_MAX + 4];
    snprintf(key, sizeof(key), "E\x1f%s", b->emp.code);
    long erow = strmap_get(&c->persons, key);
    if (erow >= 0 && c->rows[erow].ok)
        return 1;
    struct person_ref emp = {PERSON_EMPLOYEE, rs->employee_id};
    struct collect_rec rec;
    return rs->employee_id && collectdb_current(c->v, &emp, &rec, NULL) == MNV_OK;
}

/* The number against the vault: free, or this person's own record being replaced. */
static enum mnv_err number_against_vault(struct ctx *c, const struct rowstate *rs, struct fault *f)
{
    int64_t owner;
    enum mnv_err err = numberdb_owner(c->v, c->num, &owner, NULL);
    if (err != MNV_OK || !owner)
        return err == MNV_OK ? MNV_OK : import_fail(f, -1, err, NULL);
    if (rs->person_id) {
        struct person_ref ref = {rs->kind, rs->person_id};
        struct number_info info;
        if ((err = numberdb_get(c->v, &ref, &info, NULL)) != MNV_OK)
            return import_fail(f, -1, err, NULL);
        struct collect_rec rec;
        if (info.id == owner && info.status == NUMBER_REGISTERED &&
            collectdb_current(c->v, &ref, &rec, NULL) != MNV_OK)
            return MNV_OK; /* stored without an identity check: the row adds it (本人確認) */
        if (info.id == owner)
            return info.status == NUMBER_REGISTERED
                       ? import_fail(f, C_NUMBER, MNV_ERR_NUMBER_SAME, NULL)
                       : MNV_OK;
    }
    return import_fail(f, C_NUMBER, MNV_ERR_NUMBER_DUPLICATE, NULL);
}

static enum mnv_err check_row(struct ctx *c, struct bundle *b, struct rowstate *rs, struct fault *f)
{
    /* Every field judged on its own, so that every fault of the row is reported; the rules
     * only when the fields are right. */
    enum mnv_err err = import_parse_person(c, b, f);
    if (err == MNV_OK)
        err = b->dep_name[0] ? resolve_dependent(c, b, rs, f) : resolve_employee(c, b, rs, f);
    err = import_first(err, import_parse_number(c, f));
    err = import_first(err, import_parse_verification(c, b, f));
    if (err != MNV_OK)
        return err;
    struct id_verdict v;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    b->req.person.kind = rs->kind;
    err = collect_judge(c->rules, c->catalog, &b->req, b->relation,
                        rs->kind == PERSON_DEPENDENT && declarant_verified(c, b, rs), &v, &d);
    if (err != MNV_OK)
        return import_fail(f, import_col_for_judge(err, d.item), err, d.item);
    return number_against_vault(c, rs, f);
}

/* ---- the passes ------------------------------------------------------------------------------ */

static enum mnv_err grow_rows(struct ctx *c)
{
    if (c->nrows < c->cap)
        return MNV_OK;
    if (c->nrows >= IMPORT_ROWS_MAX)
        return MNV_ERR_CSV_TOO_BIG;
    size_t cap = c->cap;
    struct rowstate *nr = alloc_grow(c->rows, &cap, c->nrows + 1, sizeof(*nr));
    if (!nr)
        return MNV_ERR_NOMEM;
    c->rows = nr;
    /* The blind indexes are secrets: secmem does not grow, so a new block, copied. */
    unsigned char *nb = secmem_alloc(cap * VCRYPTO_HASH_LEN);
    if (!nb)
        return MNV_ERR_NOMEM;
    if (c->bis)
        memcpy(nb, c->bis, c->nrows * VCRYPTO_HASH_LEN);
    secmem_free(c->bis);
    c->bis = nb;
    c->cap = cap;
    return MNV_OK;
}

static enum mnv_err check_all(struct ctx *c, struct csv_reader *rd, struct bundle *b,
                              struct mnv_diag *diag)
{
    enum mnv_err err;
    while ((err = csv_next(rd, diag)) == MNV_OK) {
        if ((err = grow_rows(c)) != MNV_OK)
            return err;
        struct rowstate *rs = &c->rows[c->nrows];
        memset(rs, 0, sizeof(*rs));
        rs->line = rd->record_line;
        rs->employee_row = -1;
        struct fault f = {0};
        err = rd->nfields > c->ncols ? import_fail(&f, -1, MNV_ERR_CSV_FIELDS, NULL)
                                     : check_row(c, b, rs, &f);
        if (err == MNV_ERR_NOMEM)
            return err;
        rs->ok = err == MNV_OK;
        enum mnv_err bi = MNV_OK;
        if (rs->ok)
            bi = numberdb_blind_index(c->v, c->num, c->bis + c->nrows * VCRYPTO_HASH_LEN);
        else
            for (int k = 0; k < (f.n ? f.n : 1); k++)
                add_problem(c, rs->line, f.n ? f.at[k].col : -1, f.n ? f.at[k].err : err,
                            f.n ? f.at[k].item : NULL);
        if (bi != MNV_OK) {
            mynumber_clear(c->num);
            return bi;
        }
        mynumber_clear(c->num);
        c->nrows++;
    }
    return err == MNV_ERR_NOT_FOUND ? MNV_OK : err;
}

static int cmp_bi(const void *a, const void *b, void *ud)
{
    const unsigned char *bis = ud;
    int r = memcmp(bis + *(const size_t *)a * VCRYPTO_HASH_LEN,
                   bis + *(const size_t *)b * VCRYPTO_HASH_LEN, VCRYPTO_HASH_LEN);
    return r ? r
             : (*(const size_t *)a > *(const size_t *)b) -
                   (*(const size_t *)a < *(const size_t *)b);
}

/* The same number on two lines: both lines are refused, each naming the other. */
static enum mnv_err duplicates_in_file(struct ctx *c)
{
    size_t *ix = malloc((c->nrows + 1) * sizeof(*ix)), n = 0;
    if (!ix)
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < c->nrows; i++)
        if (c->rows[i].ok)
            ix[n++] = i;
    qsort_r(ix, n, sizeof(*ix), cmp_bi, c->bis);
    for (size_t k = 1; k < n; k++) {
        const unsigned char *a = c->bis + ix[k - 1] * VCRYPTO_HASH_LEN;
        if (memcmp(a, c->bis + ix[k] * VCRYPTO_HASH_LEN, VCRYPTO_HASH_LEN) != 0)
            continue;
        char item[32];
        snprintf(item, sizeof(item), "%ld", c->rows[ix[k - 1]].line);
        add_problem(c, c->rows[ix[k]].line, C_NUMBER, MNV_ERR_IMPORT_DUP_FILE, item);
        if (c->rows[ix[k - 1]].ok) {
            snprintf(item, sizeof(item), "%ld", c->rows[ix[k]].line);
            add_problem(c, c->rows[ix[k - 1]].line, C_NUMBER, MNV_ERR_IMPORT_DUP_FILE, item);
        }
        c->rows[ix[k - 1]].ok = 0;
        c->rows[ix[k]].ok = 0;
    }
    free(ix);
    return MNV_OK;
}

static int by_line(const void *a, const void *b)
{
    const struct import_problem *p = a, *q = b;
    if (p->line != q->line)
        return (p->line > q->line) - (p->line < q->line);
    return (p->field > q->field) - (p->field < q->field);
}

static enum mnv_err write_row(struct ctx *c, struct bundle *b, struct rowstate *rs,
                              struct mnv_diag *diag)
{
    struct fault f = {0};
    enum mnv_err err = import_parse_person(c, b, &f);
    if (err == MNV_OK)
        err = import_parse_number(c, &f);
    if (err == MNV_OK)
        err = import_parse_verification(c, b, &f);
    if (err == MNV_OK && !rs->person_id && rs->kind == PERSON_EMPLOYEE)
        err = new_employee(c, b, &f);
    if (err == MNV_OK && !rs->person_id && rs->kind == PERSON_DEPENDENT)
        err = new_dependent(b, &f);
    if (err != MNV_OK)
        return MNV_ERR_INVALID; /* the row changed between the passes: never */
    int adds = !rs->person_id;
    if (adds && rs->kind == PERSON_EMPLOYEE) {
        err = persondb_employee_insert(c->v, &b->emp, diag);
        rs->new_id = b->emp.id;
        c->rep->employees_added += err == MNV_OK;
    } else if (adds) {
        b->dep.employee_id = rs->employee_id ? rs->employee_id : c->rows[rs->employee_row].new_id;
        err = persondb_dependent_insert(c->v, &b->dep, diag);
        rs->new_id = b->dep.id;
        c->rep->dependents_added += err == MNV_OK;
    }
    if (err != MNV_OK)
        return err;
    b->req.person = (struct person_ref){rs->kind, adds ? rs->new_id : rs->person_id};
    b->req.number = c->num;
    struct collect_result res;
    err = collect_write(c->s, &b->req, adds, &res, diag);
    c->rep->numbers_stored += err == MNV_OK && !res.verified_only;
    c->rep->recollected += err == MNV_OK && res.recollected;
    c->rep->verified_added += err == MNV_OK && res.verified_only;
    return err;
}

static enum mnv_err write_all(struct ctx *c, struct csv_reader *rd, struct bundle *b,
                              struct mnv_diag *diag)
{
    enum mnv_err err = csv_next(rd, diag); /* the header */
    for (size_t i = 0; err == MNV_OK && i < c->nrows; i++) {
        if ((err = csv_next(rd, diag)) != MNV_OK)
            break;
        err = write_row(c, b, &c->rows[i], diag);
        mynumber_clear(c->num);
        if (err != MNV_OK && diag)
            diag->line = c->rows[i].line;
    }
    return err;
}

static void ctx_release(struct ctx *c)
{
    person_list_free(&c->people);
    free(c->rows);
    secmem_free(c->bis);
    secmem_free(c->num);
    strmap_free(&c->persons);
}

/* Both passes inside the open write transaction (one change: all rows or none). */
static enum mnv_err run(struct ctx *c, const char *text, size_t len, int dry_run,
                        struct mnv_diag *diag)
{
    struct csv_reader rd;
    struct bundle *b = secmem_alloc(sizeof(*b));
    enum mnv_err err = b ? csv_reader_init(&rd, text, len) : MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        secmem_free(b);
        return err;
    }
    c->rd = &rd;
    err = read_header(c, &rd, diag);
    if (err == MNV_OK)
        err = persondb_list(c->v, &c->people, diag);
    if (err == MNV_OK)
        err = check_all(c, &rd, b, diag);
    if (err == MNV_OK && c->nrows == 0)
        err = MNV_ERR_IMPORT_EMPTY;
    if (err == MNV_OK)
        err = duplicates_in_file(c);
    c->rep->rows = (long)c->nrows;
    if (err == MNV_OK && c->rep->problems_total) {
        qsort(c->rep->problems, c->rep->nproblems, sizeof(*c->rep->problems), by_line);
        err = MNV_ERR_IMPORT_REFUSED;
    }
    if (err == MNV_OK && !dry_run) {
        csv_reader_release(&rd);
        err = csv_reader_init(&rd, text, len);
        if (err == MNV_OK)
            err = write_all(c, &rd, b, diag);
    }
    csv_reader_release(&rd);
    secmem_free(b);
    return err;
}

struct run_ctx {
    struct ctx *c;
    const char *text;
    size_t len;
    int dry_run;
};

static enum mnv_err run_body(struct session *s, struct change *ch, void *ud, struct mnv_diag *diag)
{
    (void)s;
    struct run_ctx *x = ud;
    const struct import_report *rep = x->c->rep;
    enum mnv_err err = run(x->c, x->text, x->len, x->dry_run, diag);
    ch->rollback = x->dry_run;
    change_detail(ch,
                  "rows=%ld employees_added=%ld dependents_added=%ld numbers=%ld recollected=%ld "
                  "checks_added=%ld",
                  rep->rows, rep->employees_added, rep->dependents_added, rep->numbers_stored,
                  rep->recollected, rep->verified_added);
    return err;
}

enum mnv_err import_csv(struct session *s, const char *path, int dry_run, struct import_report *rep,
                        struct mnv_diag *diag)
{
    memset(rep, 0, sizeof(*rep));
    struct ctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.v = session_vault(s);
    c.rep = rep;
    c.catalog = session_purposes(s);
    enum mnv_err err = access_check(s, ACT_PERSON_EDIT, "", diag);
    if (err == MNV_OK)
        err = access_check(s, ACT_NUMBER_STORE, "", diag);
    if (err == MNV_OK)
        err = collect_rules(&c.rules, diag);
    if (err == MNV_OK)
        err = import_words_load(diag);
    if (err != MNV_OK)
        return err;
    char *text;
    size_t len;
    err = csv_read_file(path, &text, &len, &rep->encoding, diag);
    if (err != MNV_OK)
        return err;
    c.num = secmem_alloc(sizeof(*c.num) + 128);
    struct run_ctx x = {&c, text, len, dry_run};
    err = c.num ? change_run(s, "import", NULL, run_body, &x, diag) : MNV_ERR_NOMEM;
    if (err != MNV_OK && err != MNV_ERR_IMPORT_REFUSED) {
        rep->employees_added = rep->dependents_added = rep->numbers_stored = rep->recollected = 0;
        rep->verified_added = 0;
    }
    ctx_release(&c);
    secmem_free(text);
    return err;
}

void import_report_free(struct import_report *rep)
{
    if (!rep)
        return;
    free(rep->problems);
    rep->problems = NULL;
    rep->nproblems = 0;
}
