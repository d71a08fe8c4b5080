/* auditview_csv.c: the filtered audit log as CSV (auditview.h). */
#include "mnvault/auditview.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/access.h"
#include "mnvault/atomicfile.h"
#include "mnvault/audit.h"
#include "mnvault/clock.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"
#include "mnvault/svcread.h"
#include "mnvault/textsafe.h"

#define CSV_CHUNK (64 * 1024)

struct csv {
    struct auditview *v;
    struct strbuf out; /* a chunk; written to fd whenever it passes CSV_CHUNK */
    int fd;
    uint64_t rows;
    enum mnv_err err;
};

static enum mnv_err flush_out(struct csv *c)
{
    enum mnv_err err = strbuf_error(&c->out);
    size_t off = 0;
    while (err == MNV_OK && off < c->out.len) {
        ssize_t k = write(c->fd, c->out.buf + off, c->out.len - off);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0)
            err = MNV_ERR_IO;
        else
            off += (size_t)k;
    }
    strbuf_reset(&c->out);
    return err;
}

/* One quoted field; a leading = + - @ is neutralised so spreadsheets do not run it. Entries
 * are stored escaped; entries written before C1 and bidirectional controls were escaped at
 * write time are escaped here (backslashes, already doubled in storage, are kept). */
static void field(struct csv *c, const char *s, int last)
{
    (void)strbuf_addc(&c->out, '"');
    if (s[0] && strchr("=+-@", s[0]))
        (void)strbuf_addc(&c->out, '\'');
    size_t n = strlen(s), pos = 0;
    while (pos < n) {
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t k = textsafe_piece(s, n, &pos, TEXTSAFE_KEEP_BACKSLASH, piece, NULL);
        (void)strbuf_add(&c->out, piece, k);
        if (k == 1 && piece[0] == '"')
            (void)strbuf_addc(&c->out, '"');
    }
    (void)strbuf_adds(&c->out, last ? "\"\r\n" : "\",");
}

static int add_row(void *ud, const struct audit_entry *e)
{
    struct csv *c = ud;
    char seq[32], when[32], subject[AUDIT_SUBJECT_MAX + 64];
    snprintf(seq, sizeof(seq), "%llu", (unsigned long long)e->seq);
    clock_format_iso(when, sizeof(when), (time_t)e->time);
    /* persons as their codes; other subjects (proposal:3, custody:2) as doc/audit.md names them */
    if (strncmp(e->subject, "employee:", 9) == 0 || strncmp(e->subject, "dependent:", 10) == 0)
        auditview_subject(c->v->s, e->subject, subject, sizeof(subject));
    else
        snprintf(subject, sizeof(subject), "%s", e->subject);
    field(c, seq, 0);
    field(c, when, 0);
    field(c, e->user, 0);
    field(c, e->role, 0);
    field(c, e->action, 0);
    field(c, subject, 0);
    field(c, e->result, 0);
    field(c, e->detail, 1);
    c->rows++;
    if (c->out.len >= CSV_CHUNK || strbuf_error(&c->out) != MNV_OK)
        c->err = flush_out(c);
    return c->err != MNV_OK;
}

static enum mnv_err export_body(struct vault *vt, void *ud, struct mnv_diag *diag)
{
    struct csv *c = ud;
    struct auditview *v = c->v;
    v->q.oldest_first = 1;
    v->q.above = v->lo - 1;
    v->q.below = v->hi;
    enum mnv_err err = auditquery_each(vt, &v->q, add_row, c, diag);
    if (err == MNV_OK)
        err = c->err;
    if (err == MNV_OK)
        err = flush_out(c);
    return err;
}

/* The filter in the export's audit entry: what was taken out of the log. */
static void filter_detail(const struct auditview_filter *f, char *out, size_t size)
{
    snprintf(out, size, "user=%s action=%s person=%s result=%s from=%s to=%s", f->user, f->action,
             f->person, f->result, f->from, f->to);
}

enum mnv_err auditview_export_csv(struct auditview *v, int fd, uint64_t *rows,
                                  struct mnv_diag *diag)
{
    *rows = 0;
    char detail[AUDIT_DETAIL_MAX];
    filter_detail(&v->filter, detail, sizeof(detail));
    enum mnv_err err = access_check(v->s, ACT_AUDIT_EXPORT, "", diag);
    if (err == MNV_OK)
        err = audit_record(v->s, "audit.export", "", "ok", detail, diag);
    if (err != MNV_OK)
        return err;
    struct csv c = {.v = v, .fd = fd};
    strbuf_init(&c.out);
    (void)strbuf_adds(&c.out, "seq,time,user,role,action,subject,result,detail\r\n");
    err = svcread_run(v->s, ACT_AUDIT_EXPORT, export_body, &c, diag);
    strbuf_release(&c.out);
    *rows = c.rows;
    return err;
}

enum mnv_err auditview_export_file(struct auditview *v, const char *path, uint64_t *rows,
                                   struct mnv_diag *diag)
{
    struct atomicfile f;
    enum mnv_err err = atomicfile_open(&f, path, 0600, diag);
    if (err != MNV_OK)
        return err;
    err = auditview_export_csv(v, atomicfile_fd(&f), rows, diag);
    if (err == MNV_OK)
        return atomicfile_commit(&f, NULL, 0, diag);
    atomicfile_abort(&f);
    return err;
}
