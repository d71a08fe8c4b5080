/* incident.c: what a lost or leaked file held, and recording the incident (incident.h). */
#include "mnvault/incident.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/backupdb.h"
#include "mnvault/caldate.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/custody.h"
#include "mnvault/form.h"
#include "mnvault/i18n.h"
#include "mnvault/person.h"
#include "mnvault/session.h"
#include "mnvault/svcread.h"

#define BACKUP_COUNT_NOTE                                                                          \
    N_("counted from the vault's records as they stood when the backup was made; persons "         \
       "removed from the vault since are not counted")
#define VAULT_LABEL N_("My Number vault (vault.db, vault.keys)")

/* The item kind a form's item name carries (employee.address → address); 0: none of ours. */
static unsigned item_kind(const char *item)
{
    static const struct {
        const char *prefix;
        unsigned kind;
    } prefixes[] = {
        {"pay.", INCIDENT_ITEM_PAY},
        {"previous.amount", INCIDENT_ITEM_PAY},
        {"previous.tax", INCIDENT_ITEM_PAY},
        {"shaho.pay", INCIDENT_ITEM_PAY},
        {"koyo.wage", INCIDENT_ITEM_PAY},
        {"spouse.", INCIDENT_ITEM_DEPENDANTS},
        {"dependent", INCIDENT_ITEM_DEPENDANTS},
        {"child", INCIDENT_ITEM_DEPENDANTS},
        {"other", INCIDENT_ITEM_DEPENDANTS},
    };
    static const struct {
        const char *part;
        unsigned kind;
    } parts[] = {
        {".name", INCIDENT_ITEM_NAME},         {".kana", INCIDENT_ITEM_NAME},
        {".address", INCIDENT_ITEM_ADDRESS},   {".postal", INCIDENT_ITEM_ADDRESS},
        {".birth", INCIDENT_ITEM_BIRTH},       {".sex", INCIDENT_ITEM_SEX},
        {".pension", INCIDENT_ITEM_INSURANCE}, {".emp_ins", INCIDENT_ITEM_INSURANCE},
        {".code", INCIDENT_ITEM_EMPLOYMENT},   {".retired", INCIDENT_ITEM_EMPLOYMENT},
    };
    for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++)
        if (strncmp(item, prefixes[i].prefix, strlen(prefixes[i].prefix)) == 0)
            return prefixes[i].kind;
    if (strncmp(item, "employee.", 9) != 0)
        return 0; /* the payer, the office, the filing: not a person's */
    for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++)
        if (strstr(item, parts[i].part))
            return parts[i].kind;
    return 0;
}

static void export_items(const struct custody_entry *e, struct incident_survey *out)
{
    struct form_layout *l = NULL;
    out->items = INCIDENT_ITEM_NAME;
    if (form_layout_load(e->form, e->year, &l, NULL) != MNV_OK) {
        snprintf(out->label, sizeof(out->label), "%s %d (%s)", e->form, e->year, e->copy);
        snprintf(out->detail, sizeof(out->detail), "%s",
                 _("the form's layout could not be read: only names are listed as held"));
        return;
    }
    for (size_t i = 0; i < l->nfields; i++)
        out->items |= item_kind(l->fields[i].item);
    const char *copy = e->copy;
    for (size_t i = 0; i < l->ncopies; i++)
        if (strcmp(l->copies[i].id, e->copy) == 0)
            copy = i18n_is_japanese() ? l->copies[i].title_ja : l->copies[i].title_en;
    snprintf(out->label, sizeof(out->label), "%s (%s)",
             i18n_is_japanese() ? l->title_ja : l->title_en, copy);
    form_layout_free(l);
}

static enum mnv_err survey_export(struct vault *v, int64_t id, struct incident_survey *out,
                                  struct mnv_diag *diag)
{
    struct custody_entry e;
    enum mnv_err err = custodydb_get(v, id, &e, diag);
    if (err == MNV_OK)
        err = incidentdb_custody_kinds(v, id, &out->employees, &out->dependants, diag);
    if (err != MNV_OK)
        return err;
    export_items(&e, out);
    if (e.numbers > 0)
        out->items |= INCIDENT_ITEM_NUMBER;
    snprintf(out->where, sizeof(out->where), "%s", e.path);
    out->made_at = e.created_at;
    out->persons = e.persons;
    out->numbers = e.numbers;
    out->protection = e.packed ? INCIDENT_ZIP : INCIDENT_PLAIN;
    return MNV_OK;
}

static void vault_items(const struct incident_held *h, struct incident_survey *out)
{
    out->employees = h->employees;
    out->dependants = h->dependants;
    out->persons = h->employees + h->dependants;
    out->numbers = h->employee_numbers + h->dependant_numbers;
    out->items = 0;
    if (out->numbers > 0)
        out->items |= INCIDENT_ITEM_NUMBER;
    if (h->employees > 0)
        out->items |=
            INCIDENT_ITEM_NAME | INCIDENT_ITEM_BIRTH | INCIDENT_ITEM_SEX | INCIDENT_ITEM_EMPLOYMENT;
    if (h->addresses)
        out->items |= INCIDENT_ITEM_ADDRESS;
    if (h->insurance)
        out->items |= INCIDENT_ITEM_INSURANCE;
    if (h->dependants > 0)
        out->items |= INCIDENT_ITEM_DEPENDANTS;
    if (h->payroll)
        out->items |= INCIDENT_ITEM_PAY;
    if (h->iddocs)
        out->items |= INCIDENT_ITEM_IDDOCS;
}

static enum mnv_err survey_backup(struct vault *v, int64_t id, struct incident_survey *out,
                                  struct mnv_diag *diag)
{
    struct backup_rec *list = NULL;
    size_t n = 0;
    enum mnv_err err = backupdb_list(v, &list, &n, diag);
    if (err != MNV_OK)
        return err;
    const struct backup_rec *b = NULL;
    for (size_t i = 0; i < n; i++)
        if (list[i].id == id)
            b = &list[i];
    struct incident_held h;
    if (!b)
        err = MNV_ERR_NOT_FOUND;
    if (err == MNV_OK)
        err = incidentdb_held_at(v, b->created_at, &h, diag);
    if (err == MNV_OK) {
        char day[24];
        clock_format_local(day, sizeof(day), (time_t)b->created_at);
        snprintf(out->label, sizeof(out->label), _("Backup of the vault, %s"), day);
        snprintf(out->where, sizeof(out->where), "%s", b->path);
        out->made_at = b->created_at;
        out->protection = INCIDENT_BACKUPFILE;
        vault_items(&h, out);
        snprintf(out->detail, sizeof(out->detail), "%s", _(BACKUP_COUNT_NOTE));
    }
    free(list);
    return err;
}

static enum mnv_err survey_device(struct session *s, struct vault *v, struct incident_survey *out,
                                  struct mnv_diag *diag)
{
    struct incident_held h;
    out->made_at = (int64_t)clock_now();
    enum mnv_err err = incidentdb_held_at(v, out->made_at, &h, diag);
    if (err != MNV_OK)
        return err;
    snprintf(out->label, sizeof(out->label), "%s", _(VAULT_LABEL));
    snprintf(out->where, sizeof(out->where), "%s", session_dir(s));
    out->protection = INCIDENT_VAULT;
    vault_items(&h, out);
    return MNV_OK;
}

struct survey_ctx {
    struct session *s;
    struct incident_survey *out;
};

static enum mnv_err survey_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct survey_ctx *c = ud;
    switch (c->out->source) {
    case INCIDENT_EXPORT:
        return survey_export(v, c->out->source_id, c->out, diag);
    case INCIDENT_BACKUP:
        return survey_backup(v, c->out->source_id, c->out, diag);
    case INCIDENT_DEVICE:
        return survey_device(c->s, v, c->out, diag);
    }
    return MNV_ERR_INVALID;
}

enum mnv_err incident_survey_source(struct session *s, enum incident_source src, int64_t id,
                                    struct incident_survey *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    out->source = src;
    out->source_id = src == INCIDENT_DEVICE ? 0 : id;
    struct survey_ctx c = {s, out};
    enum mnv_err err = svcread_run(s, ACT_CUSTODY_READ, survey_body, &c, diag);
    if (err == MNV_ERR_NOT_FOUND && diag)
        snprintf(diag->item, sizeof(diag->item), "%s %lld", incident_source_name(src),
                 (long long)id);
    return err;
}

/* A day given as YYYY-MM-DD, not after today; "" or NULL: allowed when may_be_empty. */
static enum mnv_err check_day(const char *day, int may_be_empty, char out[11])
{
    int32_t d;
    out[0] = '\0';
    if (!day || !day[0])
        return may_be_empty ? MNV_OK : MNV_ERR_INCIDENT_DATE;
    if (caldate_parse(day, &d) != 0 || d > clock_today())
        return MNV_ERR_INCIDENT_DATE;
    snprintf(out, 11, "%s", day);
    return MNV_OK;
}

static enum mnv_err fill_request(const struct incident_request *req, struct incident_rec *r)
{
    char today[CALDATE_ISO_SIZE];
    caldate_format(clock_today(), today);
    r->event = req->event;
    if (req->event < INCIDENT_LOST || req->event > INCIDENT_DAMAGED)
        return MNV_ERR_INVALID;
    enum mnv_err err =
        check_day(req->known_on && req->known_on[0] ? req->known_on : today, 0, r->known_on);
    if (err == MNV_OK)
        err = check_day(req->happened_on, 1, r->happened_on);
    if (err == MNV_OK && r->happened_on[0] && strcmp(r->happened_on, r->known_on) > 0)
        err = MNV_ERR_INCIDENT_DATE;
    if (err == MNV_OK)
        err = person_check_text(req->summary ? req->summary : "", INCIDENT_TEXT_MAX, 0);
    if (err != MNV_OK)
        return err;
    snprintf(r->summary, sizeof(r->summary), "%s", req->summary ? req->summary : "");
    int bad_actor = req->event == INCIDENT_STOLEN || req->event == INCIDENT_ACCESSED;
    r->facts.malicious = req->malicious >= 0 ? req->malicious != 0 : bad_actor;
    r->facts.public_view =
        req->public_view >= 0 ? req->public_view != 0 : req->event == INCIDENT_PUBLIC;
    r->facts.unlawful = req->unlawful > 0;
    r->facts.key_exposed = req->key_exposed > 0;
    return MNV_OK;
}

static enum mnv_err record_body(struct session *s, struct change *c, void *ud,
                                struct mnv_diag *diag)
{
    struct incident_rec *r = ud;
    enum mnv_err err = incidentdb_insert(session_vault(s), r, &r->id, diag);
    if (err != MNV_OK)
        return err;
    change_subject(c, "incident:%lld", (long long)r->id);
    change_detail(c, "source=%s:%lld event=%s persons=%ld numbers=%ld encrypted=%d report=%s",
                  incident_source_name(r->survey.source), (long long)r->survey.source_id,
                  incident_event_name(r->event), r->survey.persons, r->survey.numbers,
                  r->facts.encrypted && !r->facts.key_exposed,
                  r->verdict.must_report ? "yes" : "no");
    return MNV_OK;
}

enum mnv_err incident_record(struct session *s, const struct incident_request *req,
                             struct incident_rec *out, struct mnv_diag *diag)
{
    enum mnv_err err = access_check(s, ACT_INCIDENT_RECORD, "", diag);
    if (err != MNV_OK)
        return err;
    struct incident_rec r;
    memset(&r, 0, sizeof(r));
    err = fill_request(req, &r);
    if (err == MNV_OK)
        err = incident_survey_source(s, req->source, req->source_id, &r.survey, diag);
    if (err != MNV_OK)
        return err;
    r.recorded_at = (int64_t)clock_now();
    snprintf(r.recorded_by, sizeof(r.recorded_by), "%s", session_user(s));
    r.facts.persons = r.survey.numbers;
    r.facts.encrypted = r.survey.protection != INCIDENT_PLAIN;
    incident_assess(&r.facts, &r.verdict);
    err = change_run(s, "incident.record", NULL, record_body, &r, diag);
    if (err == MNV_OK && out)
        *out = r;
    return err;
}

struct list_ctx {
    struct session *s;
    struct incident_rec **out;
    size_t *count;
    int64_t id;
};

/* The label and remark in the reader's language (the row keeps the recorder's). */
static void relabel(struct session *s, struct vault *v, struct incident_rec *r)
{
    struct incident_survey *sv = &r->survey;
    struct custody_entry e;
    char day[24];
    switch (sv->source) {
    case INCIDENT_EXPORT:
        if (custodydb_get(v, sv->source_id, &e, NULL) == MNV_OK) {
            unsigned items = sv->items;
            export_items(&e, sv);
            sv->items = items;
        }
        break;
    case INCIDENT_BACKUP:
        clock_format_local(day, sizeof(day), (time_t)sv->made_at);
        snprintf(sv->label, sizeof(sv->label), _("Backup of the vault, %s"), day);
        snprintf(sv->detail, sizeof(sv->detail), "%s", _(BACKUP_COUNT_NOTE));
        break;
    case INCIDENT_DEVICE:
        snprintf(sv->label, sizeof(sv->label), "%s", _(VAULT_LABEL));
        break;
    }
    (void)s;
}

static enum mnv_err list_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct list_ctx *c = ud;
    enum mnv_err err = c->count ? incidentdb_list(v, c->out, c->count, diag)
                                : incidentdb_get(v, c->id, *c->out, diag);
    size_t n = c->count ? *c->count : 1;
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        relabel(c->s, v, &(*c->out)[i]);
        incident_assess(&(*c->out)[i].facts, &(*c->out)[i].verdict);
    }
    return err;
}

enum mnv_err incident_list(struct session *s, struct incident_rec **out, size_t *count,
                           struct mnv_diag *diag)
{
    struct list_ctx c = {s, out, count, 0};
    return svcread_run(s, ACT_CUSTODY_READ, list_body, &c, diag);
}

enum mnv_err incident_get(struct session *s, int64_t id, struct incident_rec *out,
                          struct mnv_diag *diag)
{
    struct list_ctx c = {s, &out, NULL, id};
    return svcread_run(s, ACT_CUSTODY_READ, list_body, &c, diag);
}
