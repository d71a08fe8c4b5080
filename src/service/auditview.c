#include "mnvault/auditview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/access.h"
#include "mnvault/atomicfile.h"
#include "mnvault/audit.h"
#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/persondb.h"
#include "mnvault/purposecat.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"
#include "mnvault/svcread.h"
#include "mnvault/textsafe.h"
#include "mnvault/wareki.h"

void auditview_filter_init(struct auditview_filter *f)
{
    memset(f, 0, sizeof(*f));
}

int auditview_filter_empty(const struct auditview_filter *f)
{
    return !f->user[0] && !f->action[0] && !f->person[0] && !f->result[0] && !f->from[0] &&
           !f->to[0];
}

/* A day of the period (local midnight), normalised to YYYY-MM-DD in iso. */
static enum mnv_err parse_day(const char *text, char iso[11], time_t *t, const char *item,
                              struct mnv_diag *diag)
{
    char day[11];
    if (wareki_parse(text, day) != MNV_OK || clock_parse_date(day, t) != 0) {
        mnv_diag_item(diag, "%s", item);
        return MNV_ERR_AUDIT_FILTER_DATE;
    }
    memcpy(iso, day, sizeof(day));
    return MNV_OK;
}

/* The employee with the filter's code, and their dependants. */
static enum mnv_err resolve_person(struct vault *vt, struct auditview *v, struct mnv_diag *diag)
{
    int64_t id;
    enum mnv_err err = persondb_employee_find(vt, v->filter.person, &id, diag);
    if (err == MNV_ERR_PERSON_NOT_FOUND)
        mnv_diag_item(diag, "person");
    if (err != MNV_OK)
        return err;
    v->persons[0] = (struct auditquery_person){"employee", id};
    v->q.npersons = 1;
    struct dependent *deps = NULL;
    size_t n = 0;
    err = persondb_dependents_of(vt, id, &deps, &n, diag);
    for (size_t i = 0; err == MNV_OK && i < n && v->q.npersons < AUDITQUERY_SUBJECTS_MAX; i++)
        v->persons[v->q.npersons++] = (struct auditquery_person){"dependent", deps[i].id};
    free(deps);
    v->q.persons = v->persons;
    return err;
}

static enum mnv_err open_body(struct vault *vt, void *ud, struct mnv_diag *diag)
{
    struct auditview *v = ud;
    enum mnv_err err = auditquery_head(vt, &v->head, &v->head_time, diag);
    v->lo = 1;
    v->hi = v->head + 1;
    time_t t;
    if (err == MNV_OK && v->filter.from[0] &&
        (err = parse_day(v->filter.from, v->filter.from, &t, "from", diag)) == MNV_OK) {
        v->q.from = (int64_t)t;
        err = auditquery_seq_at(vt, v->q.from, &v->lo, diag);
    }
    if (err == MNV_OK && v->filter.to[0] &&
        (err = parse_day(v->filter.to, v->filter.to, &t, "to", diag)) == MNV_OK) {
        /* the next local midnight: the whole last day is in the period */
        int32_t day = caldate_from_time((long long)t) + 1;
        char next[CALDATE_ISO_SIZE];
        if (clock_parse_date(caldate_format(day, next), &t) != 0)
            err = MNV_ERR_AUDIT_FILTER_DATE;
        v->q.to = (int64_t)t;
        if (err == MNV_OK)
            err = auditquery_seq_at(vt, v->q.to, &v->hi, diag);
    }
    if (err == MNV_OK && v->q.from && v->q.to && v->q.to <= v->q.from)
        err = MNV_ERR_AUDIT_FILTER_ORDER;
    if (err == MNV_OK && v->filter.person[0])
        err = resolve_person(vt, v, diag);
    return err;
}

enum mnv_err auditview_open(struct session *s, const struct auditview_filter *f,
                            struct auditview *v, struct mnv_diag *diag)
{
    memset(v, 0, sizeof(*v));
    v->s = s;
    v->filter = *f;
    /* the log stores text escaped: compare with the filter escaped the same way */
    auditlog_escape(v->user, sizeof(v->user), f->user);
    auditlog_escape(v->action, sizeof(v->action), f->action);
    auditlog_escape(v->result, sizeof(v->result), f->result);
    v->q.user = v->user;
    v->q.action = v->action;
    v->q.result = v->result;
    return svcread_run(s, ACT_AUDIT_READ, open_body, v, diag);
}

struct page_ctx {
    struct auditview *v;
    size_t n;
    struct audit_entry *out;
    size_t *count;
};

static enum mnv_err page_body(struct vault *vt, void *ud, struct mnv_diag *diag)
{
    struct page_ctx *x = ud;
    return auditquery_page(vt, &x->v->q, x->n, x->out, x->count, diag);
}

static enum mnv_err page(struct auditview *v, size_t n, struct audit_entry *out, size_t *count,
                         struct mnv_diag *diag)
{
    *count = 0;
    if (v->q.below && v->q.below <= v->q.above + 1)
        return MNV_OK; /* nothing between the bounds */
    struct page_ctx x = {v, n, out, count};
    return svcread_run(v->s, ACT_AUDIT_READ, page_body, &x, diag);
}

enum mnv_err auditview_older(struct auditview *v, uint64_t before, size_t n,
                             struct audit_entry *out, size_t *count, struct mnv_diag *diag)
{
    v->q.oldest_first = 0;
    v->q.above = v->lo - 1;
    v->q.below = before && before < v->hi ? before : v->hi;
    return page(v, n, out, count, diag);
}

enum mnv_err auditview_newer(struct auditview *v, uint64_t after, size_t n, struct audit_entry *out,
                             size_t *count, struct mnv_diag *diag)
{
    v->q.oldest_first = 1;
    v->q.above = after >= v->lo ? after : v->lo - 1;
    v->q.below = v->hi;
    return page(v, n, out, count, diag);
}

struct get_ctx {
    uint64_t seq;
    struct audit_entry *out;
};

static enum mnv_err get_body(struct vault *vt, void *ud, struct mnv_diag *diag)
{
    struct get_ctx *x = ud;
    return auditquery_get(vt, x->seq, x->out, diag);
}

enum mnv_err auditview_get(struct session *s, uint64_t seq, struct audit_entry *out,
                           struct mnv_diag *diag)
{
    struct get_ctx x = {seq, out};
    return svcread_run(s, ACT_AUDIT_READ, get_body, &x, diag);
}

void auditview_subject(struct session *s, const char *subject, char *out, size_t size)
{
    struct people_subject_label l;
    long long id;
    char tail;
    enum mnv_err err = people_subject_describe(s, subject, &l, NULL);
    if (err == MNV_OK && l.dependent_no)
        snprintf(out, size, _("%s dependent %d"), l.code, l.dependent_no);
    else if (err == MNV_OK)
        snprintf(out, size, "%s", l.code);
    else if (err != MNV_ERR_INVALID)
        snprintf(out, size, "%s", _("(deleted person)"));
    else if (sscanf(subject, "custody:%lld%c", &id, &tail) == 1)
        snprintf(out, size, _("export copy %lld"), id);
    else if (sscanf(subject, "proposal:%lld%c", &id, &tail) == 1)
        snprintf(out, size, _("proposal %lld"), id);
    else if (sscanf(subject, "incident:%lld%c", &id, &tail) == 1)
        snprintf(out, size, _("incident %lld"), id);
    else if (strncmp(subject, "backup:", 7) == 0)
        snprintf(out, size, _("backup %.8s"), subject + 7);
    else if (strcmp(subject, "organisation") == 0)
        snprintf(out, size, "%s", _("the organisation"));
    else
        snprintf(out, size, "%s", subject);
}

static const struct {
    const char *name, *label;
} action_labels[] = {
    {"vault.init", N_("vault created")},
    {"login", N_("login")},
    {"login.failed", N_("wrong password")},
    {"lockout", N_("account locked")},
    {"unlock.failed", N_("wrong unlock password")},
    {"keyfile.replaced", N_("key file replaced by a copy")},
    {"keyfile.state_rollback", N_("key file older than the vault")},
    {"keyfile.rollback", N_("key file rolled forward")},
    {"logout", N_("logout")},
    {"session.lock", N_("screen locked")},
    {"session.unlock", N_("screen unlocked")},
    {"password.change", N_("password changed")},
    {"password.reset", N_("password reset")},
    {"password.recover", N_("password recovered")},
    {"user.add", N_("user added")},
    {"user.disable", N_("user disabled")},
    {"user.enable", N_("user enabled")},
    {"user.unlock", N_("user unlocked")},
    {"user.window", N_("access window set")},
    {"user.approve", N_("user approved")},
    {"user.role", N_("role changed")},
    {"user.expire", N_("account expired")},
    {"key.rotate", N_("keys replaced")},
    {"collect.store", N_("number collected")},
    {"dependent.end", N_("dependant left")},
    {"backup.epochs", N_("backup keys wiped")},
    {"setting.syslog", N_("syslog setting changed")},
    {"audit.checkpoint", N_("checkpoint taken")},
    {"audit.seal", N_("sealing started")},
    {"totp.enrol", N_("TOTP set up")},
    {"totp.remove", N_("TOTP removed")},
    {"setting.change", N_("settings changed")},
    {"person.add", N_("employee added")},
    {"person.update", N_("employee changed")},
    {"person.delete", N_("employee deleted")},
    {"dependent.add", N_("dependent added")},
    {"dependent.update", N_("dependent changed")},
    {"dependent.delete", N_("dependent deleted")},
    {"number.store", N_("number stored")},
    {"number.refused", N_("number refused by the person")},
    {"purpose.notify", N_("purpose notified")},
    {"reveal", N_("number revealed")},
    {"bulk.insert", N_("bulk insert")},
    {"import", N_("import")},
    {"export", N_("export")},
    {"custody.mark", N_("export copy marked")},
    {"employer.update", N_("payer detail changed")},
    {"payroll.import", N_("figures imported")},
    {"insurance.update", N_("insurance facts changed")},
    {"insurance.import", N_("insurance facts imported")},
    {"epoch.rotate", N_("keys rotated")},
    {"audit.verify", N_("audit log verified")},
    {"audit.export", N_("audit log exported")},
    {"vault.verify", N_("vault verified")},
    {"recovery.split", N_("recovery key made")},
    {"backup.make", N_("backup made")},
    {"backup.delete", N_("backup deleted")},
    {"backup.verify", N_("backup checked")},
    {"vault.restore", N_("vault restored")},
    {"disposal.due", N_("disposal check")},
    {"disposal.propose", N_("deletion proposed")},
    {"disposal.approve", N_("deletion approved")},
    {"disposal.reject", N_("deletion rejected")},
    {"disposal.withdraw", N_("proposal withdrawn")},
    {"disposal.stale", N_("proposal out of date")},
    {"retention.hold", N_("number held")},
    {"retention.release", N_("hold ended")},
    {"review.sign", N_("monthly review signed")},
    {"register.make", N_("handling register made")},
    {"incident.record", N_("incident recorded")},
    {"incident.report", N_("incident report written")},
};

const char *auditview_action_label(const char *action)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(action_labels); i++)
        if (strcmp(action_labels[i].name, action) == 0)
            return _(action_labels[i].label);
    return action;
}

const char *auditview_result_label(const char *result)
{
    static const struct {
        const char *name, *label;
    } results[] = {{"ok", N_("ok")},
                   {"denied", N_("denied")},
                   {"refused", N_("refused")},
                   {"failed", N_("failed")},
                   {"begun", N_("begun")}};
    for (size_t i = 0; i < MNV_ARRAY_LEN(results); i++)
        if (strcmp(results[i].name, result) == 0)
            return _(results[i].label);
    return result;
}

char *auditview_value(struct session *s, const char *key, const char *value, char *out, size_t size)
{
    const struct purpose_def *p =
        strcmp(key, "purpose") == 0 ? purpose_find(session_purposes(s), value) : NULL;
    if (p)
        snprintf(out, size, "%s (%s)", i18n_is_japanese() ? p->short_ja : p->short_en, value);
    else
        snprintf(out, size, "%s", value);
    return out;
}

/* Length of the key at d (letters, digits, '_', '.') when an '=' follows it, else 0. */
static size_t key_at(const char *d)
{
    size_t n = 0;
    while ((d[n] >= 'a' && d[n] <= 'z') || (d[n] >= '0' && d[n] <= '9') || d[n] == '_' ||
           d[n] == '.')
        n++;
    return n && d[n] == '=' ? n : 0;
}

int auditview_detail_next(const char *detail, size_t *pos, char *key, size_t ksize, char *value,
                          size_t vsize)
{
    const char *p = detail + *pos;
    while (*p == ' ')
        p++;
    if (!*p)
        return 0;
    size_t k = key_at(p);
    snprintf(key, ksize, "%.*s", (int)k, p);
    p += k ? k + 1 : 0;
    const char *end = p;
    while (*end && !(*end == ' ' && key_at(end + 1)))
        end++;
    snprintf(value, vsize, "%.*s", (int)(end - p), p);
    *pos = (size_t)(end - detail);
    return 1;
}

char *auditview_detail_value(const char *detail, const char *key, char *out, size_t size)
{
    size_t pos = 0;
    char k[32], v[AUDIT_DETAIL_MAX + 1];
    out[0] = '\0';
    while (auditview_detail_next(detail, &pos, k, sizeof(k), v, sizeof(v)))
        if (strcmp(k, key) == 0) {
            snprintf(out, size, "%.*s", (int)(size - 1), v);
            break;
        }
    return out;
}
