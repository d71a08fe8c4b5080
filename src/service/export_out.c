/*
 * export_out.c: what an export and a fill share once the records are known to be good
 * (export_priv.h): the sink for the layout's output, the purpose of use, and the writing —
 * the custody entry and "export begun" committed before any number is read, the records
 * through the sink into the file (or a buffer packed into an encrypted zip), the file given
 * its name, the entry completed with the hash and the export audited; or, after a failure,
 * the file removed and the entry marked failed.
 */
#include "export_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/change.h"
#include "mnvault/custodydb.h"
#include "mnvault/formpdf.h"
#include "mnvault/purpose.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"
#include "mnvault/strbuf.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

static enum mnv_err csv_sink(struct form_sink *sink, const struct form_output *out,
                             const struct form_job *job, struct mnv_diag *diag)
{
    (void)job;
    (void)diag;
    return form_csv_sink_new(sink, out);
}

static enum mnv_err pdf_sink(struct form_sink *sink, const struct form_output *out,
                             const struct form_job *job, struct mnv_diag *diag)
{
    (void)job;
    (void)diag;
    return formpdf_sink_new(sink, out);
}

/* The sinks, by output kind. */
static const struct {
    enum form_output_kind kind;
    export_sink_fn make;
} sinks[] = {
    {FORM_OUTPUT_CSV, csv_sink},
    {FORM_OUTPUT_PDF, pdf_sink},
};

export_sink_fn export_sink_for(enum form_output_kind kind)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(sinks); i++)
        if (sinks[i].kind == kind)
            return sinks[i].make;
    return NULL;
}

enum mnv_err export_purpose(struct session *s, const struct form_layout *l, const char *requested,
                            const char **code, struct mnv_diag *diag)
{
    const struct purpose_catalog *cat = session_purposes(s);
    if (requested) {
        const struct purpose_def *p = purpose_find(cat, requested);
        mnv_diag_item(diag, "%s", requested);
        if (!p)
            return MNV_ERR_PURPOSE_UNKNOWN;
        if (!purpose_covers(p, l->filing))
            return MNV_ERR_EXPORT_PURPOSE_WRONG;
        *code = p->code;
        return MNV_OK;
    }
    for (size_t i = 0; i < cat->count; i++)
        if (purpose_covers(&cat->items[i], l->filing)) {
            *code = cat->items[i].code;
            return MNV_OK;
        }
    mnv_diag_item(diag, "%s", l->filing);
    return MNV_ERR_EXPORT_PURPOSE;
}

/* The custody entry in state writing, and "export begun" in the audit log. */
static enum mnv_err begin_custody(struct export_out *x, const char *path, struct change *ch,
                                  struct mnv_diag *diag)
{
    struct custody_entry e;
    memset(&e, 0, sizeof(e));
    snprintf(e.form, sizeof(e.form), "%s", x->form);
    e.year = x->year;
    snprintf(e.copy, sizeof(e.copy), "%s", x->copy->id);
    snprintf(e.purpose, sizeof(e.purpose), "%s", x->purpose);
    snprintf(e.destination, sizeof(e.destination), "%s", x->rep->destination);
    if (snprintf(e.path, sizeof(e.path), "%s", path) >= (int)sizeof(e.path))
        return MNV_ERR_TOO_LONG;
    e.slips = x->rep->slips;
    e.persons = e.numbers = (long)x->nrefs;
    e.packed = x->zip != 0;
    enum mnv_err err = custodydb_insert(x->v, &e, session_user(x->s), x->refs, x->nrefs,
                                        &x->rep->custody_id, diag);
    change_subject(ch, "custody:%lld", (long long)x->rep->custody_id);
    change_detail(ch, "form=%s year=%d copy=%s purpose=%s to=%s slips=%ld numbers=%ld", e.form,
                  e.year, e.copy, e.purpose, e.destination, e.slips, e.numbers);
    ch->result = "begun";
    return err;
}

/* Step 2: the records through the sink into the file (or a buffer to zip). */
static enum mnv_err write_file(struct export_out *x, struct export_file *file,
                               unsigned char sha[32], struct mnv_diag *diag)
{
    struct strbuf plain;
    strbuf_init_secret(&plain); /* the file before it is zipped: it holds numbers */
    struct form_output to_file = {export_file_write, file};
    struct form_output to_buf = {export_buffer_write, &plain};
    struct setup_org org;
    struct form_job job = {x->layout, x->copy, x->purpose, "", x->rep->slips, x->head};
    if (setup_get_org(x->s, &org) == MNV_OK)
        job.org = org.name;
    struct form_sink sink = {NULL, NULL};
    enum mnv_err err = vault_begin_read(x->v, diag);
    if (err != MNV_OK)
        return err;
    err = x->make_sink(&sink, x->zip ? &to_buf : &to_file, &job, diag);
    if (err == MNV_OK)
        err = x->write_records(x->ud, &sink, &job, diag);
    form_sink_release(&sink);
    vault_rollback(x->v);
    if (err == MNV_OK && x->zip) {
        char entry[96];
        snprintf(entry, sizeof(entry), "%s-%d-%s.%s", x->form, x->year, x->copy->id,
                 x->layout->output == FORM_OUTPUT_PDF ? "pdf" : "csv");
        err = export_zip(&plain, entry, x->rep->passphrase, &to_file, diag);
    }
    strbuf_release(&plain);
    if (err == MNV_OK && x->layout->max_bytes && file->size > x->layout->max_bytes) {
        mnv_diag_detail(diag, "%lld > %lld", (long long)file->size, x->layout->max_bytes);
        err = MNV_ERR_EXPORT_TOO_BIG; /* e-Gov's limit: write it in parts */
    }
    if (err == MNV_OK)
        err = export_file_commit(file, sha, diag);
    return err;
}

struct record_ctx {
    struct export_out *x;
    const unsigned char *sha;
    int64_t size;
};

static enum mnv_err record_body(struct session *s, struct change *ch, void *ud,
                                struct mnv_diag *diag)
{
    (void)s;
    const struct record_ctx *r = ud;
    const struct export_out *x = r->x;
    const struct export_report *rep = x->rep;
    change_detail(ch,
                  "form=%s year=%d copy=%s purpose=%s to=%s slips=%ld persons=%ld numbers=%ld "
                  "left_out=%ld size=%lld sha256=%s",
                  x->form, x->year, x->copy->id, x->purpose, rep->destination, rep->slips,
                  rep->persons, rep->numbers, rep->left_out, (long long)r->size, rep->sha256);
    enum mnv_err err = custodydb_written(x->v, rep->custody_id, r->sha, r->size, diag);
    if (err == MNV_OK && x->recorded)
        err = x->recorded(x->ud, rep->custody_id, diag);
    return err;
}

/* Step 3: the custody entry gets the hash; the audit log the counts and the hash. */
static enum mnv_err record(struct export_out *x, const unsigned char sha[32], int64_t size,
                           struct mnv_diag *diag)
{
    char subject[48];
    vcrypto_hex(x->rep->sha256, sha, 32);
    x->rep->size = size;
    x->rep->persons = x->rep->numbers;
    snprintf(subject, sizeof(subject), "custody:%lld", (long long)x->rep->custody_id);
    struct record_ctx r = {x, sha, size};
    return change_run(x->s, "export", subject, record_body, &r, diag);
}

struct failed_ctx {
    struct export_out *x;
    enum mnv_err why;
};

static enum mnv_err failed_body(struct session *s, struct change *ch, void *ud,
                                struct mnv_diag *diag)
{
    const struct failed_ctx *f = ud;
    ch->result = "failed";
    change_detail(ch, "form=%s year=%d error=%s", f->x->form, f->x->year, mnv_err_name(f->why));
    return custodydb_set_state(f->x->v, f->x->rep->custody_id, CUSTODY_FAILED, session_user(s), "",
                               diag);
}

/* After a failure in step 2 or 3: the entry is marked failed (the file was removed). If
 * even that fails, the entry stays "writing": the register lists it as not finished. */
static void mark_failed(struct export_out *x, enum mnv_err why)
{
    char subject[48];
    snprintf(subject, sizeof(subject), "custody:%lld", (long long)x->rep->custody_id);
    struct failed_ctx f = {x, why};
    if (change_run(x->s, "export", subject, failed_body, &f, NULL) != MNV_OK)
        return;
}

struct begin_ctx {
    struct export_out *x;
    struct export_file *file;
};

/* Step 1 as one change: every record checked; unless refused or a dry run, the file opened
 * and the custody entry made in state writing, audited "export begun". */
static enum mnv_err begin_body(struct session *s, struct change *ch, void *ud,
                               struct mnv_diag *diag)
{
    (void)s;
    struct begin_ctx *b = ud;
    struct export_out *x = b->x;
    enum mnv_err err = x->check(x->ud, x, ch->detail, sizeof(ch->detail), diag);
    if (err == MNV_ERR_EXPORT_FAULTS || err == MNV_ERR_EXPORT_GAPS)
        ch->refusal = ch->detail;
    if (err != MNV_OK || x->dry_run) {
        ch->rollback = err == MNV_OK;
        return err;
    }
    err = export_file_open(b->file, x->out_path, diag);
    if (err == MNV_OK)
        err = begin_custody(x, b->file->path, ch, diag);
    if (err == MNV_OK && x->begun)
        err = x->begun(x->ud, diag);
    return err;
}

enum mnv_err export_out_run(struct export_out *x, struct mnv_diag *diag)
{
    struct export_file file;
    memset(&file, 0, sizeof(file));
    atomicfile_init(&file.af);
    struct begin_ctx b = {x, &file};
    enum mnv_err err = change_run(x->s, "export", NULL, begin_body, &b, diag);
    if (err != MNV_OK || x->dry_run) {
        if (export_file_pending(&file))
            export_file_abort(&file);
        return err;
    }
    unsigned char sha[32];
    err = write_file(x, &file, sha, diag);
    if (err == MNV_OK)
        err = record(x, sha, file.size, diag);
    if (err != MNV_OK) {
        if (export_file_pending(&file))
            export_file_abort(&file);
        else if (err != MNV_ERR_EXPORT_EXISTS)
            export_file_remove(&file); /* named, but its record failed: it must not stay */
        mark_failed(x, err);
    }
    return err;
}
