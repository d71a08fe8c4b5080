/* incident_write.c: the incident report as lines, CSV and PDF (incident.h). The fields follow
 * the report to the Commission (doc/incident.md); those the vault cannot know are left to
 * be written. Nothing here holds a number or a person's name. */
#include "mnvault/incident.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/fileio.h"
#include "mnvault/audit.h"
#include "mnvault/clock.h"
#include "mnvault/csv.h"
#include "mnvault/i18n.h"
#include "mnvault/pdfdoc.h"
#include "mnvault/session.h"

#define FIELD_MAX 900
#define FIELDS_MAX 16

struct report_field {
    const char *key;   /* CSV: a stable name */
    const char *label; /* translated */
    char value[FIELD_MAX];
};

struct report {
    struct report_field f[FIELDS_MAX];
    size_t n;
};

static char *add(struct report *rp, const char *key, const char *label)
{
    struct report_field *f = &rp->f[rp->n++];
    f->key = key;
    f->label = label;
    f->value[0] = '\0';
    return f->value;
}

static void reasons_text(const struct incident_verdict *v, char *out, size_t size)
{
    static const struct {
        unsigned bit;
        const char *what;
    } why[] = {
        {INCIDENT_WHY_MALICIOUS, N_("may have been done with an unlawful purpose (不正の目的)")},
        {INCIDENT_WHY_PUBLIC, N_("could be read by an unspecified number of people")},
        {INCIDENT_WHY_UNLAWFUL, N_("used or provided against the My Number Act")},
        {INCIDENT_WHY_OVER_100, N_("more than 100 persons (or their number is unknown)")},
    };
    size_t len = 0;
    out[0] = '\0';
    for (size_t i = 0; i < sizeof(why) / sizeof(why[0]); i++) {
        if (!(v->reasons & why[i].bit))
            continue;
        int k = snprintf(out + len, size - len, "%s%s", len ? "; " : "", _(why[i].what));
        if (k > 0 && (size_t)k < size - len)
            len += (size_t)k;
    }
    if (!len)
        snprintf(out, size, "%s", _("none of the cases that must be reported"));
}

static void verdict_text(const struct incident_rec *r, char *out, size_t size)
{
    const struct incident_verdict *v = &r->verdict;
    char why[400];
    reasons_text(v, why, sizeof(why));
    if (!v->applies)
        snprintf(out, size, "%s",
                 _("NOT A MY NUMBER INCIDENT: the file held no My Number. The Act on the "
                   "Protection of Personal Information may still ask for a report (over 1,000 "
                   "persons, or an unlawful purpose)."));
    else if (v->must_report)
        snprintf(out, size,
                 _("MUST BE REPORTED to the Personal Information Protection Commission, "
                   "and the persons notified: %s."),
                 why);
    else if (v->exempt && v->reasons)
        snprintf(out, size,
                 _("Not required: strongly encrypted and its key not exposed, so excluded "
                   "(otherwise: %s). Reporting is still recommended (effort duty)."),
                 why);
    else
        snprintf(out, size,
                 _("Not required (%s). Reporting is still recommended (effort duty); contain, "
                   "investigate and tell the persons."),
                 why);
}

static void deadlines_text(const struct incident_rec *r, char *out, size_t size)
{
    char pre[11], fin[11];
    if (!r->verdict.must_report) {
        snprintf(out, size, "%s", _("none (no report is required)"));
        return;
    }
    if (incident_deadline(r->known_on, r->verdict.prelim_days, pre) != MNV_OK ||
        incident_deadline(r->known_on, r->verdict.final_days, fin) != MNV_OK) {
        snprintf(out, size, "-");
        return;
    }
    snprintf(out, size,
             _("preliminary report (速報) promptly, about 3-5 days: by %s; final report (確報) "
               "within %d days of %s: by %s"),
             pre, r->verdict.final_days, r->known_on, fin);
}

static void build(const struct incident_rec *r, struct report *rp)
{
    const struct incident_survey *s = &r->survey;
    char items[600], when[24];
    memset(rp, 0, sizeof(*rp));
    verdict_text(r, add(rp, "verdict", _("Must it be reported?")), FIELD_MAX);
    deadlines_text(r, add(rp, "deadlines", _("Deadlines")), FIELD_MAX);
    snprintf(add(rp, "overview", _("1. Overview (概要)")), FIELD_MAX,
             _("%s: %s, %s. Became known %s; happened %s. %s"), _(incident_source_label(s->source)),
             s->label, _(incident_event_label(r->event)), r->known_on,
             r->happened_on[0] ? r->happened_on : _("(unknown)"), r->summary);
    snprintf(add(rp, "items", _("2. Items of specific personal information (項目)")), FIELD_MAX,
             "%s", incident_items_text(s->items, items, sizeof(items)));
    snprintf(add(rp, "persons", _("3. Number of persons (本人の数)")), FIELD_MAX,
             _("%ld persons whose My Number it held; %ld persons in all (%ld employees, %ld "
               "dependants)"),
             s->numbers, s->persons, s->employees, s->dependants);
    snprintf(add(rp, "protection", _("Encryption")), FIELD_MAX, "%s%s",
             _(incident_protection_label(s->protection)),
             r->facts.key_exposed ? _("; the password, passphrase or key may have gone with it")
                                  : "");
    static const struct {
        const char *key, *label;
    } open[] = {
        {"cause", N_("4. Cause (原因)")},
        {"harm", N_("5. Secondary harm or its risk (二次被害)")},
        {"persons_told", N_("6. What was done for the persons (本人への対応)")},
        {"published", N_("7. Public announcement (公表)")},
        {"prevention", N_("8. Measures against recurrence (再発防止策)")},
    };
    for (size_t i = 0; i < sizeof(open) / sizeof(open[0]); i++)
        snprintf(add(rp, open[i].key, _(open[i].label)), FIELD_MAX, "%s",
                 _("(to be written by the supervisor)"));
    clock_format_local(when, sizeof(when), (time_t)s->made_at);
    char rec[24];
    clock_format_local(rec, sizeof(rec), (time_t)r->recorded_at);
    snprintf(add(rp, "other", _("9. Other (その他参考となる事項)")), FIELD_MAX,
             _("File: %s, made %s. Recorded %s by %s as incident %lld. %s"), s->where, when, rec,
             r->recorded_by, (long long)r->id, s->detail);
}

enum mnv_err incident_text(const struct incident_rec *r, struct strbuf *out)
{
    struct report rp;
    build(r, &rp);
    strbuf_addf(out, _("Incident %lld: %s — %s\n"), (long long)r->id,
                _(incident_event_label(r->event)), r->survey.label);
    for (size_t i = 0; i < rp.n; i++)
        strbuf_addf(out, "%s\n    %s\n", rp.f[i].label, rp.f[i].value);
    return strbuf_error(out);
}

/* ---- files ---------------------------------------------------------------------------- */

static enum mnv_err write_csv(const char *org, const struct report *rp, const char *path,
                              struct mnv_diag *diag)
{
    struct strbuf out = STRBUF_INIT;
    (void)strbuf_adds(&out, "field,label,value\r\n");
    csv_put_field(&out, "organisation", 0);
    csv_put_field(&out, _("Organisation"), 0);
    csv_put_field(&out, org, 1);
    for (size_t i = 0; i < rp->n; i++) {
        csv_put_field(&out, rp->f[i].key, 0);
        csv_put_field(&out, rp->f[i].label, 0);
        csv_put_field(&out, rp->f[i].value, 1);
    }
    enum mnv_err err = strbuf_error(&out);
    if (err == MNV_OK)
        err = fileio_write_atomic(path, out.buf, out.len, 0600, diag);
    strbuf_release(&out);
    return err;
}

#define MARGIN 15.0
#define LABEL_W 55.0
#define VALUE_W (210.0 - 2 * MARGIN - LABEL_W)

static enum mnv_err pdf_field(struct pdfdoc *doc, double *y, const char *label, const char *value,
                              struct mnv_diag *diag)
{
    static const struct pdfdoc_style st = {PDFDOC_GOTHIC, 9.0,         6.0, PDFDOC_LEFT,
                                           PDFDOC_TOP,    PDFDOC_WRAP, 1.5, 0};
    double hl, hv;
    enum mnv_err err = pdfdoc_text_height(doc, LABEL_W - 3.0, label, &st, &hl, diag);
    if (err == MNV_OK)
        err = pdfdoc_text_height(doc, VALUE_W - 3.0, value, &st, &hv, diag);
    if (err != MNV_OK)
        return err;
    double h = (hl > hv ? hl : hv) + 4.0;
    if (h < 14.0)
        h = 14.0;
    if (*y + h > 297.0 - MARGIN) {
        if ((err = pdfdoc_page_end(doc)) != MNV_OK ||
            (err = pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT)) != MNV_OK)
            return err;
        *y = MARGIN;
    }
    struct boxfit_rect lb = {MARGIN, *y, LABEL_W, h}, vb = {MARGIN + LABEL_W, *y, VALUE_W, h};
    pdfdoc_fill(doc, &lb, 0.92);
    pdfdoc_rect(doc, &lb, &(struct pdfdoc_pen){0.2, PDFDOC_SOLID, 0});
    pdfdoc_rect(doc, &vb, &(struct pdfdoc_pen){0.2, PDFDOC_SOLID, 0});
    err = pdfdoc_text(doc, &lb, label, &st, diag);
    if (err == MNV_OK)
        err = pdfdoc_text(doc, &vb, value, &st, diag);
    *y += h;
    return err;
}

static enum mnv_err write_pdf(const char *org, const struct incident_rec *r,
                              const struct report *rp, const char *path, struct mnv_diag *diag)
{
    struct pdfdoc *doc;
    struct pdfdoc_info info = {_("Report of a leak or loss of specific personal information"), org,
                               "mnvault", "", PDFDOC_NO_NUMBERS};
    enum mnv_err err = pdfdoc_new(&doc, &info, diag);
    if (err != MNV_OK)
        return err;
    err = pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT);
    char title[300];
    snprintf(title, sizeof(title),
             _("Incident %lld — %s — draft of the report to the "
               "Personal Information Protection Commission"),
             (long long)r->id, org);
    struct pdfdoc_style ts = {PDFDOC_MINCHO, 13.0,        8.0, PDFDOC_LEFT,
                              PDFDOC_MIDDLE, PDFDOC_WRAP, 0,   0};
    if (err == MNV_OK)
        err = pdfdoc_text(doc, &(struct boxfit_rect){MARGIN, MARGIN, 210 - 2 * MARGIN, 14}, title,
                          &ts, diag);
    double y = MARGIN + 18;
    for (size_t i = 0; err == MNV_OK && i < rp->n; i++)
        err = pdf_field(doc, &y, rp->f[i].label, rp->f[i].value, diag);
    struct pdfdoc_style sig = {PDFDOC_MINCHO, 10.0, 7.0, PDFDOC_LEFT, PDFDOC_BOTTOM, 0, 0, 0};
    if (err == MNV_OK && y + 20 > 297 - MARGIN) {
        if ((err = pdfdoc_page_end(doc)) == MNV_OK)
            err = pdfdoc_page_begin(doc, PDFDOC_A4_PORTRAIT);
        y = MARGIN;
    }
    if (err == MNV_OK)
        err = pdfdoc_text(doc, &(struct boxfit_rect){MARGIN, y + 8, 180, 8},
                          _("Checked on: ____________   Supervisor: ______________________   "
                            "Signature or seal: ________"),
                          &sig, diag);
    if (err == MNV_OK)
        err = pdfdoc_page_end(doc);
    if (err == MNV_OK)
        err = pdfdoc_write(doc, path, diag);
    pdfdoc_free(doc);
    return err;
}

enum mnv_err incident_write(struct session *s, const struct incident_rec *r, const char *path,
                            struct mnv_diag *diag)
{
    char subject[48];
    snprintf(subject, sizeof(subject), "incident:%lld", (long long)r->id);
    enum mnv_err err = access_check(s, ACT_CUSTODY_READ, subject, diag);
    if (err != MNV_OK)
        return err;
    struct report rp;
    build(r, &rp);
    size_t n = strlen(path);
    int csv = n >= 4 && strcmp(path + n - 4, ".csv") == 0;
    err = csv ? write_csv(session_org(s), &rp, path, diag)
              : write_pdf(session_org(s), r, &rp, path, diag);
    if (err == MNV_OK)
        err = audit_record(s, "incident.report", subject, "ok", csv ? "format=csv" : "format=pdf",
                           diag);
    return err;
}
