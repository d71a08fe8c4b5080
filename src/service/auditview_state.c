/*
 * auditview_state.c: what the audit log's protections say now, in words (auditview.h): the
 * last verification of the chain, the sealing as stored, the last check of the seals with
 * the seal key and the last checkpoint — both found as entries of the log itself, so
 * nothing new is stored. The F8 screen and `mnvault audit status` show the same lines.
 */
#include "mnvault/auditview.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/i18n.h"

#define SCAN_MAX 200 /* verifications looked at for the last check with the seal key */
#define PAGE 20

/* The newest entry of action (0 found: none). */
static enum mnv_err newest_of(struct session *s, const char *action, struct audit_entry *e,
                              int *found, struct mnv_diag *diag)
{
    struct auditview_filter f;
    struct auditview v;
    size_t n = 0;
    auditview_filter_init(&f);
    snprintf(f.action, sizeof(f.action), "%s", action);
    enum mnv_err err = auditview_open(s, &f, &v, diag);
    if (err == MNV_OK)
        err = auditview_older(&v, 0, 1, e, &n, diag);
    *found = err == MNV_OK && n == 1;
    return err;
}

/* The newest verification that checked the seals with the seal key. */
static enum mnv_err last_key_check(struct session *s, struct auditview_state *st,
                                   struct mnv_diag *diag)
{
    struct auditview_filter f;
    struct auditview v;
    auditview_filter_init(&f);
    snprintf(f.action, sizeof(f.action), "audit.verify");
    enum mnv_err err = auditview_open(s, &f, &v, diag);
    struct audit_entry *page = err == MNV_OK ? calloc(PAGE, sizeof(*page)) : NULL;
    if (err == MNV_OK && !page)
        err = MNV_ERR_NOMEM;
    uint64_t before = 0;
    for (int seen = 0; err == MNV_OK && seen < SCAN_MAX && !st->key_checked;) {
        size_t n = 0;
        err = auditview_older(&v, before, PAGE, page, &n, diag);
        for (size_t i = 0; err == MNV_OK && i < n && !st->key_checked; i++) {
            char seal[16];
            auditview_detail_value(page[i].detail, "seal", seal, sizeof(seal));
            if (strcmp(seal, "ok") == 0 || strcmp(seal, "bad") == 0) {
                st->key_checked = 1;
                st->key_ok = strcmp(seal, "ok") == 0;
                st->key_time = page[i].time;
            }
        }
        if (n < PAGE)
            break;
        before = page[n - 1].seq;
        seen += (int)n;
    }
    free(page);
    return err;
}

enum mnv_err auditview_state(struct session *s, struct auditview_state *st, struct mnv_diag *diag)
{
    memset(st, 0, sizeof(*st));
    enum mnv_err err = auditor_seal_status(s, &st->seal, &st->seal_problem, diag);
    if (err == MNV_OK)
        err = auditor_last_check(s, &st->last);
    struct audit_entry *e = err == MNV_OK ? calloc(1, sizeof(*e)) : NULL;
    if (err == MNV_OK && !e)
        err = MNV_ERR_NOMEM;
    int found = 0;
    if (err == MNV_OK)
        err = newest_of(s, "audit.checkpoint", e, &found, diag);
    if (err == MNV_OK && found) {
        char seq[32];
        auditview_detail_value(e->detail, "seq", seq, sizeof(seq));
        st->have_checkpoint = 1;
        st->checkpoint_seq = strtoull(seq, NULL, 10);
        st->checkpoint_time = e->time;
        snprintf(st->checkpoint_by, sizeof(st->checkpoint_by), "%s", e->user);
    }
    free(e);
    if (err == MNV_OK && st->seal.started)
        err = last_key_check(s, st, diag);
    return err;
}

static enum auditview_tone chain_text(const struct auditview_state *st, char *buf, size_t size)
{
    char when[24];
    if (st->last.at == 0) {
        snprintf(buf, size, "%s", _("Chain: never verified"));
        return AUDITVIEW_NOTE;
    }
    clock_format_local(when, sizeof(when), (time_t)st->last.at);
    int ok = strcmp(st->last.result, "ok") == 0;
    int vault = strcmp(st->last.kind, "vault") == 0;
    if (ok)
        snprintf(buf, size,
                 vault ? _("Chain: verified %s with the whole vault, intact")
                       : _("Chain: verified %s, intact"),
                 when);
    else
        snprintf(buf, size,
                 vault ? _("Chain: the vault check of %s FAILED") : _("Chain: verified %s, BROKEN"),
                 when);
    return ok ? AUDITVIEW_FINE : AUDITVIEW_BAD;
}

static enum auditview_tone seal_text(const struct auditview_state *st, char *buf, size_t size)
{
    const struct auditseal_status *ss = &st->seal;
    char when[24];
    if (!ss->started) {
        snprintf(buf, size, "%s", _("Seals: sealing not started (an auditor starts it)"));
        return AUDITVIEW_NOTE;
    }
    if (st->seal_problem) {
        snprintf(buf, size, _("Seals: %s"), _(st->seal_problem));
        return AUDITVIEW_BAD;
    }
    if (!st->key_checked) {
        snprintf(
            buf, size,
            _("Seals: entries %" PRIu64 "–%" PRIu64 " sealed; never checked with the seal key"),
            ss->start, ss->next - 1);
        return AUDITVIEW_NOTE;
    }
    clock_format_local(when, sizeof(when), (time_t)st->key_time);
    snprintf(
        buf, size,
        st->key_ok
            ? _("Seals: entries %" PRIu64 "–%" PRIu64 " sealed; seal key check %s: all hold")
            : _("Seals: entries %" PRIu64 "–%" PRIu64 " sealed; seal key check %s: a seal FAILED"),
        ss->start, ss->next - 1, when);
    return st->key_ok ? AUDITVIEW_FINE : AUDITVIEW_BAD;
}

static enum auditview_tone checkpoint_text(const struct auditview_state *st, char *buf, size_t size)
{
    char when[24];
    if (!st->have_checkpoint) {
        snprintf(buf, size, "%s", _("Checkpoint: none taken yet"));
        return AUDITVIEW_NOTE;
    }
    clock_format_local(when, sizeof(when), (time_t)st->checkpoint_time);
    snprintf(buf, size, _("Checkpoint: entry %" PRIu64 ", taken %s by %s"), st->checkpoint_seq,
             when, st->checkpoint_by);
    return AUDITVIEW_FINE;
}

enum auditview_tone auditview_state_text(const struct auditview_state *st,
                                         enum auditview_state_line line, char *buf, size_t size)
{
    switch (line) {
    case AUDITVIEW_LINE_CHAIN:
        return chain_text(st, buf, size);
    case AUDITVIEW_LINE_SEAL:
        return seal_text(st, buf, size);
    case AUDITVIEW_LINE_CHECKPOINT:
        return checkpoint_text(st, buf, size);
    }
    buf[0] = '\0';
    return AUDITVIEW_NOTE;
}
