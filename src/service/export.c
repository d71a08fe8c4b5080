/*
 * export.c: the export's driver (export.h): the check, the custody entry, the writing
 * through the layout's sink into the file, the record of it; every step audited.
 */
#include "mnvault/export.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "export_priv.h"
#include "mnvault/access.h"
#include "mnvault/alloc.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/employer.h"
#include "mnvault/i18n.h"
#include "mnvault/insurancedb.h"
#include "mnvault/payrolldb.h"
#include "mnvault/purpose.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

static const char *const gap_labels[] = {NULL,
                                         N_("no My Number is recorded"),
                                         N_("the person declined to give the My Number"),
                                         N_("the My Number was deleted after its retention period"),
                                         N_("this purpose of use was not notified for the number"),
                                         N_("the stored My Number does not open (damaged)"),
                                         N_("no one person in the vault matches this record; "
                                            "its number was left empty")};
static const char *const role_labels[] = {NULL, N_("employee"), N_("spouse"), N_("dependant"),
                                          N_("dependant under 16")};

const char *export_gap_reason_label(enum export_gap_reason r)
{
    return (r >= EXPORT_GAP_MISSING && r <= EXPORT_GAP_UNMATCHED) ? gap_labels[r] : "";
}

const char *export_role_label(enum export_role r)
{
    return (r >= EXPORT_ROLE_EMPLOYEE && r <= EXPORT_ROLE_CHILD) ? role_labels[r] : "";
}

/* A number checked in step 1, to be found unchanged in step 2. */
struct expected {
    struct person_ref ref;
    uint32_t version;
};

struct ctx {
    struct session *s;
    struct vault *v;
    const struct export_request *req; /* &rq */
    struct export_request rq;         /* the request, its period filled in */
    char since[16], until[16];
    struct export_report *rep;
    struct form_layout *layout;
    const struct form_copy *copy;
    const char *purpose;
    const char *purpose3; /* the 第3号 spouse's purpose ([gate] category3); NULL */
    export_sink_fn make_sink;
    struct payer payer;
    struct form_record *rec;
    struct form_record *head; /* the layout's head (l->head); NULL */
    struct filing_row *filed; /* insurance filings: the events written, for the register */
    size_t nfiled, capfiled;
    int64_t *ids; /* employees with figures (or the one asked for) */
    size_t nids;
    struct expected *exp; /* the numbers to write, in order */
    size_t nexp, capexp;
    struct person_ref *refs; /* whose numbers: exp's persons, for the custody entry */
    long gap_counts[EXPORT_GAP_UNREADABLE + 1];
};

/* ---- preparing ------------------------------------------------------------------------- */

enum mnv_err export_purpose3(struct session *s, const struct form_layout *l, const char **code,
                             struct mnv_diag *diag)
{
    const struct purpose_catalog *cat = session_purposes(s);
    const char *filing = form_layout_extra(l, "gate.category3");
    *code = NULL;
    for (size_t i = 0; filing && i < cat->count; i++)
        if (purpose_covers(&cat->items[i], filing)) {
            *code = cat->items[i].code;
            return MNV_OK;
        }
    if (!filing)
        return MNV_OK;
    mnv_diag_item(diag, "%s", filing);
    return MNV_ERR_EXPORT_PURPOSE;
}

/* The period of an insurance filing's events; the 媒体通番 of the next file. */
static enum mnv_err period(struct ctx *c, struct mnv_diag *diag)
{
    int32_t a, b;
    snprintf(c->since, sizeof(c->since), "%s", c->rq.since ? c->rq.since : "");
    snprintf(c->until, sizeof(c->until), "%s", c->rq.until ? c->rq.until : "");
    if (!c->since[0])
        snprintf(c->since, sizeof(c->since), "%04d-01-01", c->rq.year);
    if (!c->until[0])
        snprintf(c->until, sizeof(c->until), "%04d-12-31", c->rq.year);
    if (caldate_parse(c->since, &a) != 0 || caldate_parse(c->until, &b) != 0 || b < a) {
        mnv_diag_item(diag, "%s", caldate_parse(c->since, &a) != 0 ? c->since : c->until);
        return MNV_ERR_FIELD_DATE;
    }
    c->rq.since = c->since;
    c->rq.until = c->until;
    snprintf(c->rep->since, sizeof(c->rep->since), "%s", c->since);
    snprintf(c->rep->until, sizeof(c->rep->until), "%s", c->until);
    char serial[16] = "";
    if (vault_meta_get(c->v, "export.media_serial", serial, sizeof(serial)) != MNV_OK)
        serial[0] = '\0';
    int next = (int)(strtoul(serial, NULL, 10) % 999) + 1; /* 001-999, then 001 again */
    snprintf(c->payer.serial, sizeof(c->payer.serial), "%03d", next % 1000);
    return MNV_OK;
}

enum mnv_err export_payer_load(struct session *s, struct payer *p)
{
    struct setup_org org;
    enum mnv_err err = setup_get_org(s, &org);
    if (err != MNV_OK)
        return err;
    snprintf(p->address, sizeof(p->address), "%s", org.address);
    snprintf(p->name, sizeof(p->name), "%s", org.name);
    snprintf(p->number, sizeof(p->number), "%s", org.corporate_number);
    const struct employer_field *f;
    for (size_t i = 0; (f = employer_field_at(i)) != NULL && i < MNV_ARRAY_LEN(p->extra); i++)
        if ((err = employer_get(s, f->key, p->extra[i], sizeof(p->extra[i]))) != MNV_OK)
            return err;
    return MNV_OK;
}

static enum mnv_err prepare(struct ctx *c, struct mnv_diag *diag)
{
    const struct export_request *req = c->req;
    struct export_report *rep = c->rep;
    enum mnv_err err = form_layout_load(req->form, req->year, &c->layout, diag);
    if (err != MNV_OK)
        return err;
    c->copy = req->copy ? form_layout_copy(c->layout, req->copy) : &c->layout->copies[0];
    if (!c->copy) {
        mnv_diag_item(diag, "%s", req->copy);
        return MNV_ERR_FORM_COPY;
    }
    snprintf(rep->copy, sizeof(rep->copy), "%s", c->copy->id);
    snprintf(rep->title_ja, sizeof(rep->title_ja), "%s", c->layout->title_ja);
    snprintf(rep->title_en, sizeof(rep->title_en), "%s", c->layout->title_en);
    snprintf(rep->layout_path, sizeof(rep->layout_path), "%s", c->layout->path);
    const char *dest =
        req->destination ? req->destination : form_destination_name(c->copy->destination);
    if (!form_destination_parse(dest)) {
        mnv_diag_item(diag, "%s", dest);
        return MNV_ERR_USAGE;
    }
    snprintf(rep->destination, sizeof(rep->destination), "%s", dest);
    if (!(c->make_sink = export_sink_for(c->layout->output)))
        return MNV_ERR_EXPORT_SINK;
    if ((err = export_purpose(c->s, c->layout, req->purpose, &c->purpose, diag)) != MNV_OK)
        return err;
    snprintf(rep->purpose, sizeof(rep->purpose), "%s", c->purpose);
    mnv_diag_clear(diag);
    if ((err = export_payer_load(c->s, &c->payer)) != MNV_OK)
        return err;
    if (form_unit_is_event(c->layout->unit) &&
        ((err = export_purpose3(c->s, c->layout, &c->purpose3, diag)) != MNV_OK ||
         (err = period(c, diag)) != MNV_OK))
        return err;
    if (c->layout->head && (err = form_record_new(c->layout->head, &c->head)) != MNV_OK)
        return err;
    return form_record_new(c->layout, &c->rec);
}

/* The employees to export: every one with figures, or the one whose code was given. */
static enum mnv_err list_employees(struct ctx *c, struct mnv_diag *diag)
{
    if (form_unit_is_event(c->layout->unit))
        return ins_units(c->v, c->layout, c->since, c->until, c->req->only_code, &c->ids, &c->nids,
                         diag);
    enum mnv_err err = payrolldb_employees(c->v, c->req->year, &c->ids, &c->nids, diag);
    if (err != MNV_OK || !c->req->only_code)
        return err;
    size_t keep = 0;
    for (size_t i = 0; i < c->nids && err == MNV_OK; i++) {
        struct employee e;
        err = persondb_employee_get(c->v, c->ids[i], &e, diag);
        if (err == MNV_OK && strcmp(e.code, c->req->only_code) == 0)
            c->ids[keep++] = c->ids[i];
    }
    c->nids = keep;
    return err;
}

/* ---- step 1: the check ------------------------------------------------------------------ */

static void add_gap(struct ctx *c, const struct slip *sl, const struct slip_person *p, long line)
{
    struct export_report *rep = c->rep;
    rep->gaps_total++;
    c->gap_counts[p->gap]++;
    if (rep->ngaps >= EXPORT_GAPS_MAX)
        return;
    if (!rep->gaps && !(rep->gaps = calloc(EXPORT_GAPS_MAX, sizeof(*rep->gaps))))
        return;
    struct export_gap *g = &rep->gaps[rep->ngaps++];
    g->line = line;
    snprintf(g->code, sizeof(g->code), "%s", sl->emp.code);
    g->person = p->ref;
    g->role = p->role;
    g->slot = p->slot;
    g->reason = p->gap;
}

static enum mnv_err expect(struct ctx *c, const struct slip_person *p)
{
    struct expected *n = alloc_grow(c->exp, &c->capexp, c->nexp + 1, sizeof(*n));
    if (!n)
        return MNV_ERR_NOMEM;
    c->exp = n;
    c->exp[c->nexp].ref = p->ref;
    c->exp[c->nexp++].version = p->version;
    return MNV_OK;
}

static void add_faults(struct ctx *c)
{
    struct export_report *rep = c->rep;
    struct form_fault f[8];
    size_t n = form_record_check(c->rec, c->copy, f, 8);
    rep->faults_total += (long)n;
    if (n && !rep->faults && !(rep->faults = calloc(EXPORT_FAULTS_MAX, sizeof(*rep->faults))))
        return;
    for (size_t i = 0; i < n && i < 8 && rep->nfaults < EXPORT_FAULTS_MAX; i++)
        rep->faults[rep->nfaults++] = f[i];
}

static void note_uncertain(struct ctx *c)
{
    struct export_report *rep = c->rep;
    for (size_t i = 0; i < c->layout->nfields; i++) {
        const struct form_field *f = &c->layout->fields[i];
        if ((f->confidence != FORM_CONF_INFERRED && f->confidence != FORM_CONF_UNKNOWN) ||
            !form_record_get(c->rec, i)[0])
            continue;
        size_t k = 0;
        while (k < rep->nuncertain && rep->uncertain[k] != f->pos)
            k++;
        if (k == rep->nuncertain && rep->nuncertain < MNV_ARRAY_LEN(rep->uncertain))
            rep->uncertain[rep->nuncertain++] = f->pos;
    }
}

/* One slip in step 1; *line counts the slips that go into this copy. */
static enum mnv_err check_slip(struct ctx *c, int64_t id, long *line, struct mnv_diag *diag)
{
    struct slip sl;
    enum mnv_err err = slip_load(c->v, c->layout, c->req, id, &sl, diag);
    if (err == MNV_OK && (c->copy->select != FORM_SELECT_TAX_OFFICE || sl.to_tax_office)) {
        (*line)++;
        if (c->copy->numbers)
            err = slip_gate(c->v, &sl, c->purpose, c->purpose3, diag);
        for (size_t i = 0; err == MNV_OK && i < sl.npeople; i++) {
            const struct slip_person *p = &sl.people[i];
            if (p->needs_number && c->copy->numbers && p->gap)
                add_gap(c, &sl, p, *line);
            else if (p->needs_number && c->copy->numbers)
                err = expect(c, p);
        }
        if (err == MNV_OK)
            err = slip_fill(c->v, &sl, &c->payer, c->req->year,
                            c->copy->numbers ? SLIP_PLACEHOLDERS : SLIP_NO_NUMBERS, c->rec, NULL,
                            diag);
        c->rec->line = *line;
        if (err == MNV_OK)
            err = form_record_fit(c->rec, diag);
        if (err == MNV_OK) {
            add_faults(c);
            note_uncertain(c);
        }
    }
    slip_free(&sl);
    return err;
}

static void refusal_detail(const struct ctx *c, char *buf, size_t size)
{
    snprintf(buf, size,
             "form=%s year=%d copy=%s purpose=%s faults=%ld missing=%ld refused=%ld disposed=%ld "
             "not_notified=%ld",
             c->req->form, c->req->year, c->copy->id, c->purpose, c->rep->faults_total,
             c->gap_counts[EXPORT_GAP_MISSING], c->gap_counts[EXPORT_GAP_REFUSED],
             c->gap_counts[EXPORT_GAP_DISPOSED], c->gap_counts[EXPORT_GAP_PURPOSE]);
}

/* Step 1 for a layout of municipalities (総括表): one record each, no personal number. */
static enum mnv_err check_munis(struct ctx *c, long *line, struct mnv_diag *diag)
{
    struct muni *m = NULL;
    size_t n = 0;
    enum mnv_err err = muni_collect(c->v, c->req->year, c->ids, c->nids, &m, &n, diag);
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        err = muni_fill(&m[i], (long)c->nids, &c->payer, c->req->year, c->rec, diag);
        c->rec->line = ++*line;
        if (err == MNV_OK)
            err = form_record_fit(c->rec, diag);
        if (err == MNV_OK) {
            add_faults(c);
            note_uncertain(c);
        }
    }
    free(m);
    return err;
}

/* The head's values (the office), checked like a record. */
static enum mnv_err check_head(struct ctx *c, struct mnv_diag *diag)
{
    enum mnv_err err = ins_head_fill(c->layout, &c->payer, c->head, diag);
    if (err == MNV_OK)
        err = form_record_fit(c->head, diag);
    if (err != MNV_OK)
        return err;
    struct export_report *rep = c->rep;
    struct form_fault f[8];
    size_t n = form_record_check(c->head, c->copy, f, 8);
    rep->faults_total += (long)n;
    if (n && !rep->faults && !(rep->faults = calloc(EXPORT_FAULTS_MAX, sizeof(*rep->faults))))
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < n && i < 8 && rep->nfaults < EXPORT_FAULTS_MAX; i++) {
        f[i].line = 0; /* the head: "the office's details" in messages */
        rep->faults[rep->nfaults++] = f[i];
    }
    return MNV_OK;
}

/* Step 1 inside a write transaction; on success with !dry_run, the custody entry. */
static enum mnv_err check_all(struct ctx *c, struct mnv_diag *diag)
{
    long line = 0;
    enum mnv_err err = list_employees(c, diag);
    if (err == MNV_OK && c->layout->unit == FORM_UNIT_MUNICIPALITY)
        err = check_munis(c, &line, diag);
    for (size_t i = 0; err == MNV_OK && c->layout->unit != FORM_UNIT_MUNICIPALITY && i < c->nids;
         i++)
        err = check_slip(c, c->ids[i], &line, diag);
    if (err == MNV_OK && c->head)
        err = check_head(c, diag);
    c->rep->candidates = (long)c->nids;
    c->rep->slips = line;
    c->rep->numbers = (long)c->nexp;
    if (err == MNV_OK && line == 0)
        err = form_unit_is_event(c->layout->unit) ? MNV_ERR_INSURANCE_NOTHING : MNV_ERR_EXPORT_NONE;
    if (err == MNV_OK && c->rep->faults_total)
        err = MNV_ERR_EXPORT_FAULTS;
    else if (err == MNV_OK && c->rep->gaps_total && !c->req->skip_missing)
        err = MNV_ERR_EXPORT_GAPS;
    c->rep->left_out = err == MNV_OK ? c->rep->gaps_total : 0;
    return err;
}

/* Step 2 for a layout of municipalities. */
static enum mnv_err write_munis(struct ctx *c, struct form_sink *sink, const struct form_job *job,
                                long *line, struct mnv_diag *diag)
{
    struct muni *m = NULL;
    size_t n = 0;
    enum mnv_err err = muni_collect(c->v, c->req->year, c->ids, c->nids, &m, &n, diag);
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        err = muni_fill(&m[i], (long)c->nids, &c->payer, c->req->year, c->rec, diag);
        c->rec->line = ++*line;
        if (err == MNV_OK)
            err = form_record_fit(c->rec, diag);
        if (err == MNV_OK && form_record_check(c->rec, c->copy, NULL, 0) != 0)
            err = MNV_ERR_EXPORT_CHANGED;
        if (err == MNV_OK)
            err = form_sink_record(sink, job, c->rec, diag);
    }
    free(m);
    return err;
}

/* An insurance record written: its event, for the filings register (step 3). */
static enum mnv_err note_filed(struct ctx *c, const struct slip *sl)
{
    int event;
    char day[11];
    int64_t deps[3];
    ins_event_of(c->layout, sl, &event, day, deps);
    for (int i = 0; i < 3; i++) {
        if (i > 0 && !deps[i])
            continue;
        if (i == 0 && !deps[0] && (event == FILING_JOIN || event == FILING_LEAVE))
            continue;
        struct filing_row *r = alloc_grow(c->filed, &c->capfiled, c->nfiled + 1, sizeof(*r));
        if (!r)
            return MNV_ERR_NOMEM;
        c->filed = r;
        r = &c->filed[c->nfiled++];
        memset(r, 0, sizeof(*r));
        snprintf(r->form, sizeof(r->form), "%s", c->req->form);
        r->event = (enum filing_event)event;
        r->employee_id = sl->emp.id;
        r->dependent_id = deps[i];
        snprintf(r->event_on, sizeof(r->event_on), "%s", day);
    }
    return MNV_OK;
}

/* Step 2: every slip again, now with the numbers, into the sink. */
static enum mnv_err write_all(struct ctx *c, struct form_sink *sink, const struct form_job *job,
                              struct mnv_diag *diag)
{
    long line = 0;
    size_t next = 0; /* the next expected number */
    enum mnv_err err = form_sink_begin(sink, job, diag);
    if (err == MNV_OK && c->layout->unit == FORM_UNIT_MUNICIPALITY)
        err = write_munis(c, sink, job, &line, diag);
    for (size_t i = 0; err == MNV_OK && c->layout->unit != FORM_UNIT_MUNICIPALITY && i < c->nids;
         i++) {
        struct slip sl;
        err = slip_load(c->v, c->layout, c->req, c->ids[i], &sl, diag);
        if (err == MNV_OK && (c->copy->select != FORM_SELECT_TAX_OFFICE || sl.to_tax_office)) {
            line++;
            if (c->copy->numbers)
                err = slip_gate(c->v, &sl, c->purpose, c->purpose3, diag);
            for (size_t k = 0; err == MNV_OK && k < sl.npeople; k++) {
                const struct slip_person *p = &sl.people[k];
                if (!p->needs_number || !c->copy->numbers || p->gap)
                    continue;
                if (next >= c->nexp || c->exp[next].ref.kind != p->ref.kind ||
                    c->exp[next].ref.id != p->ref.id || c->exp[next].version != p->version)
                    err = MNV_ERR_EXPORT_CHANGED;
                next++;
            }
            long numbers = 0;
            if (err == MNV_OK)
                err = slip_fill(c->v, &sl, &c->payer, c->req->year,
                                c->copy->numbers ? SLIP_NUMBERS : SLIP_NO_NUMBERS, c->rec, &numbers,
                                diag);
            c->rec->line = line;
            if (err == MNV_OK)
                err = form_record_fit(c->rec, diag);
            if (err == MNV_OK && form_record_check(c->rec, c->copy, NULL, 0) != 0)
                err = MNV_ERR_EXPORT_CHANGED;
            if (err == MNV_OK)
                err = form_sink_record(sink, job, c->rec, diag);
            if (err == MNV_OK && form_unit_is_event(c->layout->unit))
                err = note_filed(c, &sl);
            form_record_clear(c->rec);
        }
        slip_free(&sl);
    }
    if (err == MNV_OK && (line != c->rep->slips || next != c->nexp))
        err = MNV_ERR_EXPORT_CHANGED;
    if (err == MNV_OK)
        err = form_sink_end(sink, job, diag);
    return err;
}

static enum mnv_err write_records(void *ud, struct form_sink *sink, const struct form_job *job,
                                  struct mnv_diag *diag)
{
    struct ctx *c = ud;
    enum mnv_err err = MNV_OK;
    c->nfiled = 0;
    if (c->head && (err = ins_head_fill(c->layout, &c->payer, c->head, diag)) == MNV_OK)
        err = form_record_fit(c->head, diag); /* job->head points at it */
    return err == MNV_OK ? write_all(c, sink, job, diag) : err;
}

/* Inside "export begun": the next file takes the next 媒体通番. */
static enum mnv_err begun(void *ud, struct mnv_diag *diag)
{
    struct ctx *c = ud;
    return c->head ? vault_meta_set(c->v, "export.media_serial", c->payer.serial, diag) : MNV_OK;
}

/* Inside the record of step 3: the events written, in the filings register. */
static enum mnv_err recorded(void *ud, int64_t custody_id, struct mnv_diag *diag)
{
    struct ctx *c = ud;
    return ins_filings_record(c->s, c->v, c->filed, c->nfiled, custody_id, diag);
}

/* Step 1 (export_out.c runs it inside its change): every slip checked, the numbers listed. */
static enum mnv_err check_records(void *ud, struct export_out *x, char *refusal, size_t size,
                                  struct mnv_diag *diag)
{
    struct ctx *c = ud;
    enum mnv_err err = check_all(c, diag);
    if (err == MNV_ERR_EXPORT_FAULTS || err == MNV_ERR_EXPORT_GAPS)
        refusal_detail(c, refusal, size);
    if (err != MNV_OK)
        return err;
    free(c->refs);
    c->refs = calloc(c->nexp ? c->nexp : 1, sizeof(*c->refs));
    if (!c->refs)
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < c->nexp; i++)
        c->refs[i] = c->exp[i].ref;
    x->refs = c->refs;
    x->nrefs = c->nexp;
    return MNV_OK;
}

static enum mnv_err run(struct ctx *c, struct mnv_diag *diag)
{
    struct export_out x = {
        .s = c->s,
        .v = c->v,
        .form = c->req->form,
        .year = c->req->year,
        .layout = c->layout,
        .copy = c->copy,
        .purpose = c->purpose,
        .out_path = c->req->out_path,
        .zip = c->req->zip,
        .dry_run = c->req->dry_run,
        .rep = c->rep,
        .make_sink = c->make_sink,
        .check = check_records,
        .write_records = write_records,
        .begun = begun,
        .recorded = recorded,
        .head = c->head,
        .ud = c,
    };
    return export_out_run(&x, diag);
}

enum mnv_err export_run(struct session *s, const struct export_request *req,
                        struct export_report *rep, struct mnv_diag *diag)
{
    memset(rep, 0, sizeof(*rep));
    snprintf(rep->form, sizeof(rep->form), "%s", req->form ? req->form : "");
    rep->year = req->year;
    enum mnv_err err = access_check(s, ACT_NUMBER_EXPORT, "", diag);
    if (err != MNV_OK)
        return err;
    if (!req->form || (!req->dry_run && !req->out_path))
        return MNV_ERR_USAGE;
    struct ctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.v = session_vault(s);
    c.rq = *req;
    c.req = &c.rq;
    c.rep = rep;
    err = prepare(&c, diag);
    if (err == MNV_OK)
        err = run(&c, diag);
    form_record_free(c.rec);
    form_record_free(c.head);
    free(c.filed);
    form_layout_free(c.layout);
    free(c.ids);
    free(c.exp);
    free(c.refs);
    secmem_wipe(&c.payer, sizeof(c.payer));
    return err;
}

void export_report_free(struct export_report *rep)
{
    if (!rep)
        return;
    free(rep->gaps);
    free(rep->faults);
    rep->gaps = NULL;
    rep->faults = NULL;
    rep->ngaps = rep->nfaults = 0;
    secmem_wipe(rep->passphrase, sizeof(rep->passphrase));
}
