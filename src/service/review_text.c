/* review_text.c: the monthly review's report as text (review.h). */
#include "mnvault/review.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/auditview.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/purposecat.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"
#include "mnvault/textsafe.h"

/* Text from the log, escaped again (entries of older versions) before it is shown. */
static void add_safe(struct strbuf *out, const char *text)
{
    char buf[AUDIT_DETAIL_MAX * 4 + 1];
    textsafe_escape(buf, sizeof(buf), text);
    (void)strbuf_adds(out, buf);
}

static void heading(struct strbuf *out, const char *title, long total)
{
    (void)strbuf_addf(out, "\n%s: %ld\n", title, total);
}

static const char *purpose_words(struct session *s, const char *code)
{
    const struct purpose_def *p = code[0] ? purpose_find(session_purposes(s), code) : NULL;
    if (!p)
        return code[0] ? code : _("(no purpose)");
    return i18n_is_japanese() ? p->short_ja : p->short_en;
}

/* One entry on one line: local time, user, action, subject, result, detail. */
static void entry_line(struct session *s, struct strbuf *out, const struct audit_entry *e)
{
    char when[32], subject[AUDIT_SUBJECT_MAX + 64];
    clock_format_local(when, sizeof(when), (time_t)e->time);
    auditview_subject(s, e->subject, subject, sizeof(subject));
    (void)strbuf_addf(out, "  %s  ", when);
    add_safe(out, e->user[0] ? e->user : "-");
    (void)strbuf_addf(out, "  %s  ", auditview_action_label(e->action));
    add_safe(out, subject[0] ? subject : "-");
    (void)strbuf_addf(out, "  %s", auditview_result_label(e->result));
    if (e->detail[0]) {
        (void)strbuf_adds(out, "  ");
        add_safe(out, e->detail);
    }
    (void)strbuf_addc(out, '\n');
}

static void entry_list(struct session *s, struct strbuf *out, const struct review_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        entry_line(s, out, &l->items[i]);
    if (l->total > (long)l->count)
        (void)strbuf_addf(out, _("  … and %ld more (mnvault audit list shows them all)\n"),
                          l->total - (long)l->count);
}

static void counts(struct strbuf *out, const struct review_count *t, size_t n, int actions)
{
    for (size_t i = 0; i < n; i++) {
        (void)strbuf_adds(out, "  ");
        add_safe(out, t[i].user);
        (void)strbuf_addf(out, "  %s  %ld\n", actions ? auditview_action_label(t[i].what) : "",
                          t[i].n);
    }
}

static void reveals(struct session *s, struct strbuf *out, const struct review_report *r)
{
    heading(out, _("Numbers revealed, per user and purpose"), r->reveals_total);
    for (size_t i = 0; i < r->n_reveals; i++) {
        (void)strbuf_adds(out, "  ");
        add_safe(out, r->reveals[i].user);
        (void)strbuf_addf(out, "  %s  %ld\n", purpose_words(s, r->reveals[i].what),
                          r->reveals[i].n);
    }
    (void)strbuf_addf(out, "\n");
    (void)strbuf_addf(out, _("Many reveals in a short time (%d or more within %d minutes): %zu\n"),
                      REVIEW_BURST_REVEALS, REVIEW_BURST_SECONDS / 60, r->n_bursts);
    for (size_t i = 0; i < r->n_bursts; i++) {
        char a[32], b[32];
        clock_format_local(a, sizeof(a), (time_t)r->bursts[i].first);
        clock_format_local(b, sizeof(b), (time_t)r->bursts[i].last);
        (void)strbuf_adds(out, "  ");
        add_safe(out, r->bursts[i].user);
        (void)strbuf_addf(out, _("  %s – %s  %ld reveals\n"), a, b + 11, r->bursts[i].reveals);
    }
}

static void signature(struct strbuf *out, const struct review_report *r)
{
    (void)strbuf_addc(out, '\n');
    if (!r->month[0]) {
        (void)strbuf_addf(out, "%s\n", _("Review: only a whole month is signed."));
    } else if (r->signed_) {
        char when[32];
        clock_format_local(when, sizeof(when), (time_t)r->signed_at);
        (void)strbuf_addf(out, _("Review: signed by %s on %s (entry %llu)\n"), r->signed_by, when,
                          (unsigned long long)r->signed_seq);
        if (strcmp(r->signed_digest, r->digest) != 0)
            (void)strbuf_addf(out, "%s\n",
                              _("  WARNING: the figures differ from those that were signed"));
        if (r->note[0]) {
            (void)strbuf_addf(out, _("  Note: "));
            add_safe(out, r->note);
            (void)strbuf_addc(out, '\n');
        }
    } else {
        (void)strbuf_addf(out, "%s\n", _("Review: not signed yet"));
    }
    (void)strbuf_addf(out, _("Digest: %s\n"), r->digest);
}

enum mnv_err review_text(struct session *s, const struct review_report *r, struct strbuf *out)
{
    if (r->month[0])
        (void)strbuf_addf(out, _("Monthly review of the audit log: %s (%s to %s)\n"), r->month,
                          r->from, r->to);
    else
        (void)strbuf_addf(out, _("Review of the audit log: %s to %s\n"), r->from, r->to);
    if (r->entries)
        (void)strbuf_addf(out, _("%llu entries (%llu to %llu)\n"), (unsigned long long)r->entries,
                          (unsigned long long)r->seq_first, (unsigned long long)r->seq_last);
    else
        (void)strbuf_addf(out, "%s\n", _("no entries in this period"));
    reveals(s, out, r);
    heading(out, _("Access at night (22:00 to 06:00)"), r->night_entries.total);
    counts(out, r->night, r->n_night, 0);
    entry_list(s, out, &r->night_entries);
    heading(out, _("Exports of filings"), r->exports.total);
    entry_list(s, out, &r->exports);
    long imports = 0, failed = 0;
    for (size_t i = 0; i < r->n_imports; i++)
        imports += r->imports[i].n;
    for (size_t i = 0; i < r->n_login_failed; i++)
        failed += r->login_failed[i].n;
    heading(out, _("Imports"), imports);
    counts(out, r->imports, r->n_imports, 1);
    heading(out, _("Refused or not allowed"), r->refusals.total);
    entry_list(s, out, &r->refusals);
    heading(out, _("Failed logins and lockouts"), failed);
    counts(out, r->login_failed, r->n_login_failed, 1);
    heading(out, _("Logins outside the access window, expired or disabled"), r->outside.total);
    entry_list(s, out, &r->outside);
    signature(out, r);
    return strbuf_error(out);
}
