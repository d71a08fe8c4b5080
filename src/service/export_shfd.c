/*
 * export_shfd.c: fill mode for a 日本年金機構 SHFD0006.CSV that other software (a payroll
 * or 社労士 system) wrote with the 個人番号 fields empty (export.h export_fill, form
 * "shfd"). The file is read as bytes and kept as it is: the media record, [kanri], the
 * office, [data] and every record stay byte for byte, except
 *   - the number fields of the persons matched (被保険者, and on 2202700 the spouse and
 *     the other dependants), and
 *   - the fields the layout's rules require empty beside a number (the address of 資格取得届
 *     and of the insured person on 被扶養者異動届: form_rules_clear()).
 * Every record is matched before anything is decrypted: the office must be the vault's,
 * the person by 被保険者整理番号 (when the vault knows it) and by kana name, kanji name and
 * birth date; one record that does not match, or matches more than one person, refuses the
 * whole file (skip_unmatched leaves such a record without a number instead, listed). The
 * records are then checked with the placeholder numbers against the layout (characters,
 * lengths, conditional rules), so the file written passes the same checks as an export.
 * The writing is export_out.c's: custody entry and audit first, a temporary file of mode
 * 0600, the file named only when whole; the events written go into the filings register.
 */
#include "shfd_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

static const char *const form_ids[SHFD_FORMS] = {"shfd2200700", "shfd2201700", "shfd2202700"};
static const char *const form_codes[SHFD_FORMS] = {"2200700", "2201700", "2202700"};
/* The blocks of a 2202700 record whose persons are dependants (items "<block>.kana" …). */
static const char *const dep_blocks[SHFD_PEOPLE] = {"spouse", "other1", "other2"};

/* ---- checking the records -------------------------------------------------------------- */

static enum mnv_err add_edit(struct sctx *c, size_t line, int field, const struct person_ref *ref,
                             uint32_t version)
{
    struct edit *e = alloc_grow(c->edits, &c->capedits, c->nedits + 1, sizeof(*e));
    if (!e)
        return MNV_ERR_NOMEM;
    c->edits = e;
    e = &c->edits[c->nedits++];
    memset(e, 0, sizeof(*e));
    e->line = line;
    e->field = field;
    e->number = ref != NULL;
    if (ref)
        e->ref = *ref;
    e->version = version;
    return MNV_OK;
}

static void add_gap(struct sctx *c, long line, const char *code, const struct person_ref *ref,
                    enum export_role role, int slot, enum export_gap_reason why)
{
    struct export_report *rep = c->rep;
    rep->gaps_total++;
    c->gap_counts[why]++;
    if (rep->ngaps >= EXPORT_GAPS_MAX ||
        (!rep->gaps && !(rep->gaps = calloc(EXPORT_GAPS_MAX, sizeof(*rep->gaps)))))
        return;
    struct export_gap *g = &rep->gaps[rep->ngaps++];
    memset(g, 0, sizeof(*g));
    g->line = line;
    snprintf(g->code, sizeof(g->code), "%s", code ? code : "");
    if (ref)
        g->person = *ref;
    g->role = role;
    g->slot = slot;
    g->reason = why;
}

/* A record naming no one person: refused, or with skip_unmatched left without a number. */
static void unmatched(struct sctx *c, const struct form_record *r, const char *kana_item,
                      enum export_role role, int slot, enum mnv_err why)
{
    int pos = shfd_item_pos(r->layout, kana_item);
    if (c->req->skip_unmatched)
        add_gap(c, r->line, r->code, NULL, role, slot, EXPORT_GAP_UNMATCHED);
    else
        shfd_problem(c, r->line, pos, pos ? r->layout->fields[pos - 1].name : NULL, why, r->code);
}

/* The event a record files, for the filings register (insurancedb.h). */
static enum mnv_err add_filed(struct sctx *c, int form, enum filing_event ev,
                              const struct form_record *r, int64_t emp, int64_t dep,
                              const char *block, const char *which)
{
    char era[40], ymd[40];
    snprintf(era, sizeof(era), "%s.%s_era", block, which);
    snprintf(ymd, sizeof(ymd), "%s.%s_ymd", block, which);
    int32_t day = form_era_day(r->layout, shfd_item(r, era), shfd_item(r, ymd));
    if (day == CALDATE_NONE)
        return MNV_OK; /* the record's own check reports the date */
    struct filing_row *f = alloc_grow(c->filed, &c->capfiled, c->nfiled + 1, sizeof(*f));
    if (!f)
        return MNV_ERR_NOMEM;
    c->filed = f;
    f = &c->filed[c->nfiled++];
    memset(f, 0, sizeof(*f));
    snprintf(f->form, sizeof(f->form), "%s", form_ids[form]);
    f->event = ev;
    f->employee_id = emp;
    f->dependent_id = dep;
    caldate_format(day, f->event_on);
    return MNV_OK;
}

/* A number for ref into the record's field numitem: gated; a placeholder set for the
 * checks; the edit listed. */
static enum mnv_err target(struct sctx *c, size_t line, struct form_record *r, const char *numitem,
                           const struct person_ref *ref, enum export_role role, int slot,
                           const char *purpose, struct mnv_diag *diag)
{
    int pos = shfd_item_pos(r->layout, numitem);
    enum export_gap_reason gap;
    uint32_t version;
    if (!pos)
        return MNV_OK;
    enum mnv_err err = export_gate_one(c->v, ref, purpose, &gap, &version, diag);
    if (err != MNV_OK)
        return err;
    if (gap) {
        add_gap(c, r->line, r->code, ref, role, slot, gap);
        return MNV_OK;
    }
    err = form_record_set(r, (size_t)pos - 1, "000000000000", diag); /* a valid check digit */
    return err == MNV_OK ? add_edit(c, line, pos - 1, ref, version) : err;
}

/* A spouse filed as 第3号被保険者 (the fact fuyo.category3) needs that purpose. */
static int category3(struct sctx *c, const struct person_ref *ref)
{
    struct insurance_facts f;
    if (insurance_load(c->v, ref, &f, NULL) != MNV_OK)
        return 0;
    int yes = insurance_value(&f, "fuyo.category3")[0] == '1';
    insurance_facts_free(&f);
    return yes;
}

/* The spouse and the other dependants of a 2202700 record. */
static enum mnv_err record_dependants(struct sctx *c, size_t line, struct form_record *r,
                                      const struct who *w, struct mnv_diag *diag)
{
    struct dependent *deps = NULL;
    size_t nd = 0;
    enum mnv_err err = persondb_dependents_of(c->v, w->id, &deps, &nd, diag);
    const char *kind = shfd_item(r, "fuyo.kind");
    for (int b = 0; err == MNV_OK && b < SHFD_PEOPLE; b++) {
        char kana[40], name[40], num[40];
        snprintf(kana, sizeof(kana), "%s.kana", dep_blocks[b]);
        snprintf(name, sizeof(name), "%s.name", dep_blocks[b]);
        snprintf(num, sizeof(num), "%s.number", dep_blocks[b]);
        if (!shfd_item(r, kana)[0] && !shfd_item(r, name)[0])
            continue;
        enum export_role role = b ? EXPORT_ROLE_DEPENDENT : EXPORT_ROLE_SPOUSE;
        enum mnv_err why;
        int d = shfd_match_dependent(r, dep_blocks[b], deps, nd, &why);
        if (d < 0) {
            unmatched(c, r, kana, role, b, why);
            continue;
        }
        struct person_ref ref = {PERSON_DEPENDENT, deps[d].id};
        const char *purpose = b == 0 && category3(c, &ref) ? c->purpose3 : c->purpose[2];
        err = target(c, line, r, num, &ref, role, b, purpose, diag);
        if (err == MNV_OK && (!strcmp(kind, "1") || !strcmp(kind, "2")))
            err = add_filed(c, 2, kind[0] == '1' ? FILING_JOIN : FILING_LEAVE, r, w->id, ref.id,
                            dep_blocks[b], kind[0] == '1' ? "since" : "until");
    }
    free(deps);
    return err;
}

/* The number fields must come empty: the numbers are the vault's to write. */
static int numbers_given(struct sctx *c, const struct form_record *r)
{
    int bad = 0;
    for (size_t i = 0; i < r->layout->nfields; i++) {
        const struct form_field *f = &r->layout->fields[i];
        if (f->number != FORM_NUM_NONE && f->number != FORM_NUM_PAYER && form_record_get(r, i)[0]) {
            shfd_problem(c, r->line, f->pos, f->name, MNV_ERR_FILL_NUMBER_GIVEN, NULL);
            bad++;
        }
    }
    return bad;
}

/* The record's values into its form's record; -1 when it is not one (reported). */
static int load_record(struct sctx *c, size_t line, struct form_record **out, struct mnv_diag *diag)
{
    char *f[SHFD_FIELDS];
    size_t n = shfd_fields_of(c, line, f, SHFD_FIELDS);
    long ln = (long)line + 1;
    struct form_record *r = NULL;
    int form = -1, bad = 0;
    for (int k = 0; k < SHFD_FORMS; k++)
        if (!strcmp(f[0], form_codes[k]))
            form = k, r = c->rec[k];
    if (!r || n != r->layout->nfields) {
        shfd_fields_join(c, line);
        shfd_problem(c, ln, 0, NULL, MNV_ERR_FILL_NOT_RECORD, NULL);
        return -1;
    }
    form_record_clear(r);
    r->line = ln;
    for (size_t i = 0; i < n; i++)
        if (form_record_set(r, i, f[i], diag) != MNV_OK) {
            shfd_problem(c, ln, (int)i + 1, r->layout->fields[i].name, MNV_ERR_FORM_FIELD_LONG,
                         NULL);
            bad++;
        }
    bad += shfd_office_differs(c, r->layout, f, n, ln);
    shfd_fields_join(c, line);
    *out = r;
    return bad || numbers_given(c, r) ? -1 : form;
}

/* The record's own checks with the numbers in place (placeholders). */
static void record_faults(struct sctx *c, const struct form_record *r, int form)
{
    struct form_fault f[8];
    size_t nf = form_record_check(r, &c->layout[form]->copies[0], f, MNV_ARRAY_LEN(f));
    c->rep->faults_total += (long)nf;
    for (size_t i = 0; i < nf && i < MNV_ARRAY_LEN(f); i++) {
        if (!c->rep->faults && !(c->rep->faults = calloc(EXPORT_FAULTS_MAX, sizeof(*f))))
            return;
        if (c->rep->nfaults < EXPORT_FAULTS_MAX)
            c->rep->faults[c->rep->nfaults++] = f[i];
    }
}

static enum mnv_err check_record(struct sctx *c, size_t line, struct mnv_diag *diag)
{
    struct form_record *r = NULL;
    int form = load_record(c, line, &r, diag);
    if (form < 0)
        return MNV_OK;
    struct who *w;
    enum mnv_err why = shfd_match_employee(c, r, &w);
    if (why != MNV_OK) {
        unmatched(c, r, "employee.kana", EXPORT_ROLE_EMPLOYEE, 0, why);
        return MNV_OK;
    }
    snprintf(r->code, sizeof(r->code), "%s", w->code);
    if (form < 2 && (w->seen & (1u << form))) {
        shfd_problem(c, r->line, shfd_item_pos(r->layout, "employee.kana"), NULL,
                     MNV_ERR_FILL_TWICE, r->code);
        return MNV_OK;
    }
    w->seen |= 1u << form;
    struct person_ref ref = {PERSON_EMPLOYEE, w->id};
    enum mnv_err err = target(c, line, r, "employee.number", &ref, EXPORT_ROLE_EMPLOYEE, 0,
                              c->purpose[form], diag);
    if (err == MNV_OK && form == 0)
        err = add_filed(c, 0, FILING_ACQUIRE, r, w->id, 0, "shaho", "acquired");
    else if (err == MNV_OK && form == 1)
        err = add_filed(c, 1, FILING_LOSE, r, w->id, 0, "shaho", "lost");
    else if (err == MNV_OK)
        err = record_dependants(c, line, r, w, diag);
    int cleared[32];
    size_t nc = err == MNV_OK ? form_rules_clear(r, cleared, MNV_ARRAY_LEN(cleared)) : 0;
    for (size_t i = 0; err == MNV_OK && i < nc && i < MNV_ARRAY_LEN(cleared); i++)
        err = add_edit(c, line, cleared[i] - 1, NULL, 0);
    if (err == MNV_OK)
        record_faults(c, r, form);
    return err;
}

/* Step 1 (export_out.c runs it inside its change): every record matched and checked. */
static enum mnv_err check_all(void *ud, struct export_out *x, char *refusal, size_t size,
                              struct mnv_diag *diag)
{
    struct sctx *c = ud;
    enum mnv_err err = shfd_people_load(c, diag);
    if (err == MNV_OK)
        shfd_check_offices(c);
    for (size_t i = c->data_from; err == MNV_OK && i < c->nlines; i++)
        err = check_record(c, i, diag);
    long numbers = 0;
    for (size_t i = 0; i < c->nedits; i++)
        numbers += c->edits[i].number;
    c->rep->slips = (long)(c->nlines - c->data_from);
    c->rep->numbers = numbers;
    if (err == MNV_OK && c->rep->slips == 0)
        err = MNV_ERR_EXPORT_NONE;
    if (err == MNV_OK && c->rep->faults_total)
        err = MNV_ERR_EXPORT_FAULTS;
    else if (err == MNV_OK && c->rep->gaps_total - c->gap_counts[EXPORT_GAP_UNMATCHED] &&
             !c->req->skip_missing)
        err = MNV_ERR_EXPORT_GAPS;
    c->rep->left_out = err == MNV_OK ? c->rep->gaps_total : 0;
    if (err == MNV_ERR_EXPORT_FAULTS || err == MNV_ERR_EXPORT_GAPS)
        snprintf(refusal, size,
                 "fill form=shfd year=%d records=%ld problems=%ld missing=%ld refused=%ld "
                 "disposed=%ld not_notified=%ld",
                 c->rep->year, c->rep->slips, c->rep->faults_total,
                 c->gap_counts[EXPORT_GAP_MISSING], c->gap_counts[EXPORT_GAP_REFUSED],
                 c->gap_counts[EXPORT_GAP_DISPOSED], c->gap_counts[EXPORT_GAP_PURPOSE]);
    if (err != MNV_OK)
        return err;
    if (!(c->refs = calloc((size_t)numbers + 1, sizeof(*c->refs))))
        return MNV_ERR_NOMEM;
    for (size_t i = 0; i < c->nedits; i++)
        if (c->edits[i].number)
            c->refs[x->nrefs++] = c->edits[i].ref;
    x->refs = c->refs;
    return MNV_OK;
}

/* ---- writing ---------------------------------------------------------------------------- */

/* The bytes of a line with its edits: numbers written, emptied fields left out. */
static enum mnv_err edited_line(struct sctx *c, const struct sline *l, const struct edit *e,
                                size_t ne, char *buf, size_t *len, struct mnv_diag *diag)
{
    const char *p = (const char *)c->raw + l->off, *end = p + l->len;
    size_t o = 0;
    enum mnv_err err = MNV_OK;
    for (int field = 0; err == MNV_OK; field++) {
        const char *comma = memchr(p, ',', (size_t)(end - p));
        const char *stop = comma ? comma : end;
        const struct edit *hit = NULL;
        for (size_t i = 0; i < ne; i++)
            if (e[i].field == field)
                hit = &e[i];
        if (hit && hit->number) {
            err = export_reveal_checked(c->v, &hit->ref, hit->version, buf + o, diag);
            o += 12;
        } else if (!hit) {
            memcpy(buf + o, p, (size_t)(stop - p));
            o += (size_t)(stop - p);
        }
        if (!comma)
            break;
        buf[o++] = ',';
        p = comma + 1;
    }
    memcpy(buf + o, "\r\n", 2);
    *len = o + 2;
    return err;
}

static enum mnv_err write_all(void *ud, struct form_sink *sink, const struct form_job *job,
                              struct mnv_diag *diag)
{
    (void)job;
    struct sctx *c = ud;
    const struct form_output *out = sink->ctx;
    size_t longest = 0, e = 0;
    for (size_t i = 0; i < c->nlines; i++)
        longest = c->lines[i].len > longest ? c->lines[i].len : longest;
    size_t room = longest + 16 * (SHFD_PEOPLE + 1) + 16;
    char *buf = secmem_alloc(room);
    enum mnv_err err = buf ? MNV_OK : MNV_ERR_NOMEM;
    for (size_t i = 0; err == MNV_OK && i < c->nlines; i++) {
        const struct sline *l = &c->lines[i];
        size_t from = e, len = 0;
        while (e < c->nedits && c->edits[e].line == i)
            e++;
        if (from == e) {
            err = out->write(out->ctx, c->raw + l->off, l->len + 2, diag);
            continue;
        }
        err = edited_line(c, l, c->edits + from, e - from, buf, &len, diag);
        if (err == MNV_OK)
            err = out->write(out->ctx, buf, len, diag);
        secmem_wipe(buf, room);
    }
    secmem_free(buf);
    return err;
}

/* The bytes go straight to the output: no sink reformats them. */
static enum mnv_err raw_begin(void *ctx, const struct form_job *job, struct mnv_diag *diag)
{
    (void)ctx, (void)job, (void)diag;
    return MNV_OK;
}

static enum mnv_err raw_record(void *ctx, const struct form_job *job, const struct form_record *r,
                               struct mnv_diag *diag)
{
    (void)ctx, (void)job, (void)r, (void)diag;
    return MNV_ERR_EXPORT_SINK;
}

static void raw_release(void *ctx)
{
    (void)ctx;
}

static const struct form_sink_ops raw_ops = {raw_begin, raw_record, raw_begin, raw_release};

static enum mnv_err raw_sink(struct form_sink *sink, const struct form_output *out,
                             const struct form_job *job, struct mnv_diag *diag)
{
    (void)job, (void)diag;
    sink->ops = &raw_ops;
    sink->ctx = (void *)out;
    return MNV_OK;
}

/* Inside step 3: the events written, in the filings register. */
static enum mnv_err recorded(void *ud, int64_t custody_id, struct mnv_diag *diag)
{
    struct sctx *c = ud;
    return ins_filings_record(c->s, c->v, c->filed, c->nfiled, custody_id, diag);
}

/* ---- the run ------------------------------------------------------------------------------ */

static enum mnv_err prepare(struct sctx *c, struct mnv_diag *diag)
{
    struct export_report *rep = c->rep;
    int year = 0;
    enum mnv_err err = shfd_read_file(c, diag);
    if (err == MNV_OK)
        err = shfd_read_head(c, &year);
    for (int k = 0; err == MNV_OK && k < SHFD_FORMS; k++) {
        err = form_layout_load(form_ids[k], year, &c->layout[k], diag);
        if (err == MNV_OK)
            err = form_record_new(c->layout[k], &c->rec[k]);
        if (err == MNV_OK)
            err = export_purpose(c->s, c->layout[k], c->req->purpose, &c->purpose[k], diag);
    }
    if (err == MNV_OK)
        err = export_purpose3(c->s, c->layout[2], &c->purpose3, diag);
    if (err != MNV_OK)
        return err;
    const struct form_layout *l = c->layout[0];
    rep->year = year;
    snprintf(rep->copy, sizeof(rep->copy), "%s", l->copies[0].id);
    snprintf(rep->purpose, sizeof(rep->purpose), "%s", c->purpose[0]);
    snprintf(rep->title_ja, sizeof(rep->title_ja), "%s", "日本年金機構 届書 SHFD0006.CSV");
    snprintf(rep->title_en, sizeof(rep->title_en), "%s", "pension office filing SHFD0006.CSV");
    snprintf(rep->layout_path, sizeof(rep->layout_path), "%s", l->path);
    const char *dest =
        c->req->destination ? c->req->destination : form_destination_name(l->copies[0].destination);
    if (!form_destination_parse(dest))
        return MNV_ERR_USAGE;
    snprintf(rep->destination, sizeof(rep->destination), "%s", dest);
    struct payer *p = secmem_alloc(sizeof(*p));
    if (!p)
        return MNV_ERR_NOMEM;
    memset(p, 0, sizeof(*p));
    err = export_payer_load(c->s, p);
    if (err == MNV_OK)
        err = form_record_new(l->head, &c->head);
    if (err == MNV_OK)
        err = ins_head_fill(l, p, c->head, diag);
    if (err == MNV_OK)
        err = form_record_fit(c->head, diag); /* as the export writes them: ｱｲｳ */
    secmem_free(p);
    return err;
}

static void release(struct sctx *c)
{
    for (int k = 0; k < SHFD_FORMS; k++) {
        form_record_free(c->rec[k]);
        form_layout_free(c->layout[k]);
    }
    form_record_free(c->head);
    for (size_t i = 0; i < c->nwho; i++)
        free(c->who[i].key);
    free(c->who);
    free(c->by_seiri);
    person_list_free(&c->people);
    free(c->lines);
    free(c->edits);
    free(c->filed);
    free(c->refs);
    secmem_free(c->text);
    if (c->raw)
        secmem_wipe(c->raw, c->rawlen);
    secmem_free(c->raw);
}

enum mnv_err shfd_fill(struct session *s, const struct export_fill_request *req,
                       struct export_report *rep, struct mnv_diag *diag)
{
    struct sctx c;
    memset(&c, 0, sizeof(c));
    c.s = s;
    c.v = session_vault(s);
    c.req = req;
    c.rep = rep;
    enum mnv_err err = prepare(&c, diag);
    if (err == MNV_OK) {
        struct export_out x = {
            .s = s,
            .v = c.v,
            .form = "shfd",
            .year = rep->year,
            .layout = c.layout[0],
            .copy = &c.layout[0]->copies[0],
            .purpose = c.purpose[0],
            .out_path = req->out_path,
            .zip = req->zip,
            .dry_run = req->dry_run,
            .rep = rep,
            .make_sink = raw_sink,
            .check = check_all,
            .write_records = write_all,
            .recorded = recorded,
            .ud = &c,
        };
        err = export_out_run(&x, diag);
    }
    release(&c);
    return err;
}
