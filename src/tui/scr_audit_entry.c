/*
 * scr_audit_entry.c: one entry of the audit log (Enter on the F8 screen): time in local
 * and UTC, user and role, action, subject in words, result, each detail on its own line (a
 * reveal's purpose by name, its reason), and the start of the entry's hash.
 */
#include "screens.h"

#include <stdio.h>
#include <stdlib.h>

#include "draw.h"
#include "phrases.h"
#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"

#define SUBJECT_WORDS (AUDIT_SUBJECT_MAX + 64)

/* ---- an entry's details ------------------------------------------------------------------- */

struct entry_screen {
    struct audit_entry e;
    char subject[SUBJECT_WORDS];
};

static const struct keydef entry_keys[] = {{0, 0, TA_NONE}};

static const char *entry_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    struct entry_screen *es = stp;
    static char title[64];
    snprintf(title, sizeof(title), _("Audit entry %llu"), (unsigned long long)es->e.seq);
    snprintf(right, rsize, "%s", auditview_result_label(es->e.result));
    return title;
}

static void entry_row(WINDOW *w, int y, const char *label, const char *value, int cols)
{
    tui_style_on(w, ST_HEADER);
    tui_put(w, y, 2, label, 14, 1);
    tui_style_off(w, ST_HEADER);
    tui_put(w, y, 17, value, cols - 19, 0);
}

static void entry_draw(struct app *app, void *stp, WINDOW *w)
{
    struct entry_screen *es = stp;
    const struct audit_entry *e = &es->e;
    int cols = getmaxx(w), rows = getmaxy(w), y = 1;
    char text[AUDIT_DETAIL_MAX + 200], when[24], iso[32];
    snprintf(text, sizeof(text), "%s  (%s)",
             clock_format_local(when, sizeof(when), (time_t)e->time),
             clock_format_iso(iso, sizeof(iso), (time_t)e->time));
    entry_row(w, y++, _("Time"), text, cols);
    snprintf(text, sizeof(text), "%s (%s)", e->user[0] ? e->user : "-", e->role[0] ? e->role : "-");
    entry_row(w, y++, _("User"), text, cols);
    snprintf(text, sizeof(text), "%s (%s)", auditview_action_label(e->action), e->action);
    entry_row(w, y++, _("Action"), text, cols);
    entry_row(w, y++, _("Subject"), es->subject[0] ? es->subject : "-", cols);
    entry_row(w, y++, _("Result"), auditview_result_label(e->result), cols);
    y++;
    size_t pos = 0;
    char key[64], value[AUDIT_DETAIL_MAX + 1], shown[AUDIT_DETAIL_MAX + 80];
    while (y < rows - 3 &&
           auditview_detail_next(e->detail, &pos, key, sizeof(key), value, sizeof(value))) {
        auditview_value(tui_session(app), key, value, shown, sizeof(shown));
        tui_style_on(w, ST_HEADER);
        tui_put(w, y, 4, key[0] ? key : "-", 12, 1);
        tui_style_off(w, ST_HEADER);
        y += tui_put_wrapped(w, y, 17, shown, cols - 19, rows - 3 - y);
    }
    char hash[2 * VCRYPTO_HASH_LEN + 1];
    for (int i = 0; i < VCRYPTO_HASH_LEN; i++)
        snprintf(hash + 2 * i, 3, "%02x", e->hash[i]);
    tui_style_on(w, ST_DIM);
    snprintf(text, sizeof(text), _("Hash %.32s…   Esc: back"), hash);
    tui_put(w, rows - 1, 2, text, cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next entry_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    (void)app;
    (void)stp;
    if (ev->action == TA_BACK || ev->action == TA_OPEN)
        return TUI_POP;
    return ev->action == TA_QUIT ? TUI_QUIT : TUI_STAY;
}

static const struct screen_ops entry_ops = {
    .name = "audit-entry",
    .keys = entry_keys,
    .heading = entry_heading,
    .draw = entry_draw,
    .handle = entry_handle,
    .release = free,
};

enum tui_next scr_audit_entry_push(struct app *app, uint64_t seq, const char *subject)
{
    struct entry_screen *es = calloc(1, sizeof(*es));
    if (!es)
        return TUI_STAY;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = auditview_get(tui_session(app), seq, &es->e, &diag);
    if (err != MNV_OK) {
        free(es);
        char text[400];
        tui_message(app, 1, "%s", tui_error_text(text, sizeof(text), err, &diag));
        return err == MNV_ERR_SESSION_LOCKED ? TUI_LOCK : TUI_STAY;
    }
    snprintf(es->subject, sizeof(es->subject), "%s", subject);
    return tui_push(app, &entry_ops, es);
}
