/*
 * scr_cert.c: the certificate of deletion of an executed proposal, opened from its
 * proposal screen (c) or right after the execution (e there): its id, when it was issued,
 * how many numbers it certifies, the SHA-256 of its file, whether its signature holds and
 * it is linked to the certificate before it, who proposed, approved and executed, what
 * the execution did after its commit, where its files are, and the copies that still hold
 * deleted numbers. w writes its two files (JSON and PDF) into a folder of one's choosing.
 */
#include "screens.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "app.h"
#include "draw.h"
#include "field.h"
#include "keys.h"
#include "phrases.h"

#include "mnvault/cert.h"
#include "mnvault/clock.h"
#include "mnvault/disposal.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

struct cert_screen {
    long long proposal_id;
    struct disposal_proposal p;
    struct cert_rec rec;
    struct cert_check chk;
    struct cert_standing st;
    struct cert_outstanding out;
    int have_out;
    int executed_now; /* opened by the execution: done is what it did */
    struct disposal_done done;
    char after[400]; /* the failure after the commit, as a sentence; "" when none */
    int writing;     /* the folder field is open */
    struct field folder;
    char error[400];
};

static const struct keydef cert_keys[] = {{'w', 0, TA_WRITE_FILES}, {0, 0, TA_NONE}};

static void load(struct app *app, struct cert_screen *cs)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    cs->error[0] = '\0';
    struct disposal_row *rows = NULL;
    size_t n = 0;
    enum mnv_err err = disposal_get(s, cs->proposal_id, &cs->p, &rows, &n, &diag);
    free(rows);
    if (err == MNV_OK)
        err = cert_of_proposal(s, cs->proposal_id, &cs->rec, &cs->chk, &cs->st, &diag);
    if (cs->have_out)
        cert_outstanding_free(&cs->out);
    cs->have_out = 0;
    if (err == MNV_OK) {
        err = cert_outstanding(s, &cs->out, &diag);
        cs->have_out = err == MNV_OK;
    }
    if (err != MNV_OK)
        tui_error_text(cs->error, sizeof(cs->error), err, &diag);
}

static const char *cert_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct cert_screen *cs = stp;
    static char title[120];
    snprintf(title, sizeof(title), _("Certificate of deletion %s"), cs->rec.id);
    snprintf(right, rsize, _("Proposal %lld"), cs->proposal_id);
    return title;
}

/* One finding: good (ST_OK) or not (ST_ERROR); the texts are translated already. */
static int finding(WINDOW *w, int y, int x, int ok, const char *good, const char *bad, int cells)
{
    const char *text = ok ? good : bad;
    tui_style_on(w, ok ? ST_OK : ST_ERROR);
    int used = tui_put(w, y, x, text, cells, 0);
    tui_style_off(w, ok ? ST_OK : ST_ERROR);
    return used;
}

/* Rows 0-4: the certificate itself and whether it holds. */
static void draw_facts(WINDOW *w, const struct cert_screen *cs, int cols)
{
    char text[400], when[24], hex[2 * CERT_SHA256_LEN + 1];
    clock_format_local(when, sizeof(when), (time_t)cs->rec.issued_at);
    snprintf(text, sizeof(text),
             _("Issued %s   Numbers deleted: %ld (employees %ld, dependants %ld)"), when,
             cs->p.items, cs->p.employees, cs->p.dependants);
    tui_put(w, 0, 2, text, cols - 4, 0);
    snprintf(text, sizeof(text), "SHA-256: %s", vcrypto_hex(hex, cs->rec.sha256, CERT_SHA256_LEN));
    tui_put(w, 1, 2, text, cols - 4, 0);
    int x = 2;
    x += finding(w, 2, x, cs->chk.signature_ok && cs->st.key_ok, _("Signature holds"),
                 _("SIGNATURE FAILS"), cols - x - 2) +
         3;
    x += finding(w, 2, x, cs->st.chain_ok, _("Chained to the previous"), _("CHAIN BROKEN"),
                 cols - x - 2) +
         3;
    finding(w, 2, x, cs->st.registered, _("Registered"), _("NOT REGISTERED"), cols - x - 2);
    char proposed[24], decided[24], executed[24];
    clock_format_local(proposed, sizeof(proposed), (time_t)cs->p.proposed_at);
    clock_format_local(decided, sizeof(decided), (time_t)cs->p.decided_at);
    clock_format_local(executed, sizeof(executed), (time_t)cs->p.executed_at);
    snprintf(text, sizeof(text), _("Proposed by %s (%s), approved by %s (%s), executed by %s (%s)"),
             cs->p.proposed_by, proposed, cs->p.decided_by, decided, cs->p.executed_by, executed);
    tui_put_wrapped(w, 3, 2, text, cols - 4, 2);
}

/* What the execution did after its commit (only right after it). */
static int draw_done(WINDOW *w, int y, const struct cert_screen *cs, int cols)
{
    if (!cs->executed_now)
        return y;
    const struct disposal_done *d = &cs->done;
    char text[400];
    snprintf(text, sizeof(text),
             _("Old epoch keys destroyed: %zu; data keys rewrapped: %ld; database rewritten: "
               "%s; managed backups made before, deleted: %zu"),
             d->epochs_destroyed, d->rewrapped, d->vacuumed ? _("yes") : _("no"),
             d->backups_forgotten);
    y += tui_put_wrapped(w, y, 2, text, cols - 4, 2);
    if (cs->after[0]) {
        snprintf(text, sizeof(text),
                 _("! The work after the deletion stopped: %s. Run 'mnvault "
                   "dispose finish' or execute the next proposal."),
                 cs->after);
        tui_style_on(w, ST_ERROR);
        y += tui_put_wrapped(w, y, 2, text, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
    }
    return y;
}

/* The last part of a path: the folders are in 'mnvault dispose outstanding'. */
static const char *file_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash && slash[1] ? slash + 1 : path;
}

/* The copies outside the vault still holding deleted numbers (by file name), as many as
 * fit. */
static void draw_outstanding(WINDOW *w, int y, const struct cert_screen *cs, int rows, int cols)
{
    if (!cs->have_out || y >= rows)
        return;
    const struct cert_outstanding *o = &cs->out;
    char text[PATH_MAX + 200], when[24];
    if (o->nbackups + o->nexports == 0) {
        tui_style_on(w, ST_OK);
        tui_put(w, y, 2, _("No copy outside the vault still holds a deleted number."), cols - 4, 0);
        tui_style_off(w, ST_OK);
        return;
    }
    snprintf(text, sizeof(text),
             _("Copies still holding deleted numbers: backups %zu, exported files %zu "
               "(mark them destroyed when they are)"),
             o->nbackups, o->nexports);
    tui_style_on(w, ST_ERROR);
    y += tui_put_wrapped(w, y, 2, text, cols - 4, 2);
    tui_style_off(w, ST_ERROR);
    for (size_t i = 0; i < o->nbackups && y < rows; i++, y++) {
        clock_format_local(when, sizeof(when), (time_t)o->backups[i].created_at);
        snprintf(text, sizeof(text), _("backup %lld  %s  %s"), (long long)o->backups[i].id, when,
                 file_name(o->backups[i].path));
        tui_put(w, y, 4, text, cols - 6, 0);
    }
    for (size_t i = 0; i < o->nexports && y < rows; i++, y++) {
        clock_format_local(when, sizeof(when), (time_t)o->exports[i].created_at);
        snprintf(text, sizeof(text), _("exported file %lld  %s  %s"), (long long)o->exports[i].id,
                 when, file_name(o->exports[i].path));
        tui_put(w, y, 4, text, cols - 6, 0);
    }
}

static void cert_draw(struct app *app, void *stp, WINDOW *w)
{
    struct cert_screen *cs = stp;
    int cols = getmaxx(w), rows = getmaxy(w);
    app->cursor_y = -1;
    if (cs->error[0]) {
        tui_style_on(w, ST_ERROR);
        tui_put_wrapped(w, 1, 2, cs->error, cols - 4, 3);
        tui_style_off(w, ST_ERROR);
        return;
    }
    draw_facts(w, cs, cols);
    int y = draw_done(w, 6, cs, cols);
    char text[PATH_MAX + 200];
    snprintf(text, sizeof(text), _("Files: %s/%s.json and .pdf in the vault's folder"), CERT_FOLDER,
             cs->rec.id);
    y += tui_put_wrapped(w, y, 2, text, cols - 4, 2) + 1;
    draw_outstanding(w, y, cs, rows - 3, cols);
    if (cs->writing) {
        tui_style_on(w, ST_HEADER);
        tui_put(w, rows - 2, 2, _("Folder"), 10, 1);
        tui_style_off(w, ST_HEADER);
        mvwaddch(w, rows - 2, 12, '[');
        field_draw(&cs->folder, w, rows - 2, 13, cols - 16, 1, &app->cursor_y, &app->cursor_x);
        mvwaddch(w, rows - 2, cols - 3, ']');
    }
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            cs->writing ? _("Enter: write the JSON and PDF files there   Esc: cancel")
                        : _("w: write the files into a folder   Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next write_files(struct app *app, struct cert_screen *cs)
{
    struct session *s = tui_session(app);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    long written = 0; /* 0 when the files there hold it already */
    if (!cs->folder.buf[0])
        return TUI_STAY;
    enum mnv_err err = cert_export(s, cs->rec.id, cs->folder.buf, &written, &diag);
    if (err != MNV_OK) {
        char msg[400];
        tui_error_text(msg, sizeof(msg), err, &diag);
        tui_message(app, 1, "%s", msg);
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    cs->writing = 0;
    tui_message(app, 0, _("Written to %s: %s.json and .pdf"), cs->folder.buf, cs->rec.id);
    return TUI_STAY;
}

static enum tui_next cert_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    struct cert_screen *cs = stp;
    if (cs->writing) {
        if (ev->action == TA_OPEN)
            return write_files(app, cs);
        if (ev->action == TA_BACK) {
            cs->writing = 0;
            return TUI_STAY;
        }
        if (field_handle(&cs->folder, ev)) /* q and the other letters are typed here */
            return TUI_STAY;
    }
    switch (ev->action) {
    case TA_WRITE_FILES:
        if (!cs->error[0])
            cs->writing = 1;
        return TUI_STAY;
    case TA_BACK:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    default:
        return TUI_STAY;
    }
}

static void cert_resume(struct app *app, void *stp)
{
    load(app, stp);
}

static void cert_release(void *stp)
{
    struct cert_screen *cs = stp;
    if (cs->have_out)
        cert_outstanding_free(&cs->out);
    field_release(&cs->folder);
    free(cs);
}

static const struct screen_ops cert_ops = {
    .name = "certificate",
    .keys = cert_keys,
    .heading = cert_heading,
    .draw = cert_draw,
    .handle = cert_handle,
    .resume = cert_resume,
    .release = cert_release,
};

enum tui_next scr_cert_push(struct app *app, long long proposal_id,
                            const struct disposal_done *done, const char *after)
{
    struct cert_screen *cs = calloc(1, sizeof(*cs));
    if (!cs || field_init(&cs->folder, PATH_MAX, 0) != 0) {
        free(cs);
        return tui_fail(app, MNV_ERR_NOMEM);
    }
    cs->proposal_id = proposal_id;
    if (done) {
        cs->executed_now = 1;
        cs->done = *done;
        snprintf(cs->after, sizeof(cs->after), "%s", after ? after : "");
    }
    char cwd[PATH_MAX]; /* the folder mnvault was started in, to begin with */
    field_set(&cs->folder, getcwd(cwd, sizeof(cwd)) ? cwd : "");
    load(app, cs);
    return tui_push(app, &cert_ops, cs);
}
