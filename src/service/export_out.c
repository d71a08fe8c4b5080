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

#include "mnvault/audit.h"
#include "mnvault/custodydb.h"
#include "mnvault/formpdf.h"
#include "mnvault/purpose.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"
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
static enum mnv_err begin_custody(struct export_out *x, const char *path, struct mnv_diag *diag)
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
    char subject[48], detail[AUDIT_DETAIL_MAX];
    snprintf(subject, sizeof(subject), "custody:%lld", (long long)x->rep->custody_id);
    snprintf(detail, sizeof(detail),
             "form=%s year=%d copy=%s purpose=%s to=%s slips=%ld numbers=%ld", e.form, e.year,
             e.copy, e.purpose, e.destination, e.slips, e.numbers);
    if (err == MNV_OK)
        err = audit_append(x->s, "export", subject, "begun", detail, diag);
    return err;
}

/* Step 2: the records through the sink into the file (or a buffer to zip). */
static enum mnv_err write_file(struct export_out *x, struct export_file *file,
                               unsigned char sha[32], struct mnv_diag *diag)
{
    struct export_buffer plain = {NULL, 0, 0};
    struct form_output to_file = {export_file_write, file};
    struct form_output to_buf = {export_buffer_write, &plain};
    struct setup_org org;
    struct form_job job = {x->layout, x->copy, x->purpose, "", x->rep->slips};
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
    export_buffer_free(&plain);
    if (err == MNV_OK)
        err = export_file_commit(file, sha, diag);
    return err;
}

/* Step 3: the custody entry gets the hash; the audit log the counts and the hash. */
static enum mnv_err record(struct export_out *x, const unsigned char sha[32], int64_t size,
                           struct mnv_diag *diag)
{
    struct export_report *rep = x->rep;
    char subject[48], detail[AUDIT_DETAIL_MAX];
    vcrypto_hex(rep->sha256, sha, 32);
    rep->size = size;
    rep->persons = rep->numbers;
    snprintf(subject, sizeof(subject), "custody:%lld", (long long)rep->custody_id);
    snprintf(detail, sizeof(detail),
             "form=%s year=%d copy=%s purpose=%s to=%s slips=%ld persons=%ld numbers=%ld "
             "left_out=%ld size=%lld sha256=%s",
             x->form, x->year, x->copy->id, x->purpose, rep->destination, rep->slips, rep->persons,
             rep->numbers, rep->left_out, (long long)size, rep->sha256);
    enum mnv_err err = vault_begin(x->v, diag);
    if (err == MNV_OK)
        err = custodydb_written(x->v, rep->custody_id, sha, size, diag);
    if (err == MNV_OK)
        err = audit_append(x->s, "export", subject, "ok", detail, diag);
    if (err == MNV_OK)
        return vault_commit(x->v, diag);
    vault_rollback(x->v);
    return err;
}

/* After a failure in step 2 or 3: the entry is marked failed (the file was removed). */
static void mark_failed(struct export_out *x, enum mnv_err why)
{
    char subject[48], detail[160];
    snprintf(subject, sizeof(subject), "custody:%lld", (long long)x->rep->custody_id);
    snprintf(detail, sizeof(detail), "form=%s year=%d error=%s", x->form, x->year,
             mnv_err_name(why));
    if (vault_begin(x->v, NULL) != MNV_OK)
        return;
    if (custodydb_set_state(x->v, x->rep->custody_id, CUSTODY_FAILED, session_user(x->s), "",
                            NULL) == MNV_OK &&
        audit_append(x->s, "export", subject, "failed", detail, NULL) == MNV_OK &&
        vault_commit(x->v, NULL) == MNV_OK)
        return;
    vault_rollback(x->v);
}

enum mnv_err export_out_run(struct export_out *x, struct mnv_diag *diag)
{
    struct export_file file;
    enum mnv_err err = export_file_open(&file, x->out_path, diag);
    if (err == MNV_OK)
        err = begin_custody(x, file.path, diag);
    if (err == MNV_OK)
        err = vault_commit(x->v, diag);
    else
        vault_rollback(x->v);
    if (err != MNV_OK) {
        if (file.fd >= 0 || file.tmp[0])
            export_file_abort(&file);
        return err;
    }
    unsigned char sha[32];
    err = write_file(x, &file, sha, diag);
    if (err == MNV_OK)
        err = record(x, sha, file.size, diag);
    if (err != MNV_OK) {
        if (file.tmp[0])
            export_file_abort(&file);
        else if (err != MNV_ERR_EXPORT_EXISTS)
            export_file_remove(&file); /* named, but its record failed: it must not stay */
        mark_failed(x, err);
    }
    return err;
}
