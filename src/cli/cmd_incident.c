/*
 * cmd_incident.c: `mnvault incident new|list|show|report` — a lost or leaked export copy,
 * backup or device: what it held, whether it must be reported to the Personal Information
 * Protection Commission, and the report's fields (incident.h, doc/incident.md).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/incident.h"
#include "mnvault/session.h"
#include "mnvault/strbuf.h"

static void incident_help(void)
{
    printf(_("Usage: mnvault incident new (--export ID | --backup ID | --device) --event EVENT\n"
             "                            [--known DATE] [--happened DATE] [--malicious]\n"
             "                            [--public] [--unlawful] [--key-exposed] [--note TEXT]\n"
             "       mnvault incident held (--export ID | --backup ID | --device)\n"
             "       mnvault incident list\n"
             "       mnvault incident show ID\n"
             "       mnvault incident report ID FILE.pdf | FILE.csv\n"
             "A lost or leaked file that held My Numbers: what it held (persons, items,\n"
             "encryption), from the custody register (mnvault export list), the backup\n"
             "register (mnvault backup --list) or the vault itself (--device); whether it must\n"
             "be reported to the Personal Information Protection Commission, with the\n"
             "deadlines; and the report's fields filled in.\n\n"
             "  new            record an incident (clerks and supervisors; audited) and print\n"
             "                 the report\n"
             "  held           what the file held, without recording anything\n"
             "  list, show     the incidents recorded\n"
             "  report         write the report as a PDF or, for a name ending in .csv, CSV\n"
             "                 (mode 0600; never holds a number or a name; audited)\n"
             "  --event EVENT  lost, stolen, missent (sent to the wrong recipient), accessed\n"
             "                 (reached without the right), public (readable by anyone),\n"
             "                 damaged\n"
             "  --known DATE   the day it became known (default today); --happened: the day\n"
             "                 it happened, if known\n"
             "  --malicious    it may have been done with an unlawful purpose (the default for\n"
             "                 stolen and accessed); --not-malicious says it was not\n"
             "  --public       it could be read by anyone (the default for public)\n"
             "  --unlawful     it was used or provided against the My Number Act\n"
             "  --key-exposed  the password, zip passphrase or key may have gone with it\n"
             "  --note TEXT    what happened, for the report (no My Number)\n\n"
             "Exit status: 0 done, 1 refused or not found, 2 usage or input/output error.\n"));
}

struct incident_opts {
    struct incident_request req;
    int have_source;
};

static int print_rec(const struct incident_rec *r)
{
    struct strbuf out = STRBUF_INIT;
    enum mnv_err err = incident_text(r, &out);
    if (err == MNV_OK)
        fputs(strbuf_str(&out), stdout);
    strbuf_release(&out);
    return err == MNV_OK ? CLI_OK : cli_fail(err, NULL);
}

static void print_survey(const struct incident_survey *s)
{
    char items[600], when[32];
    printf("%s: %s\n", _(incident_source_label(s->source)), s->label);
    printf(_("  file        %s (made %s)\n"), s->where,
           clock_format_local(when, sizeof(when), (time_t)s->made_at));
    printf(_("  persons     %ld (%ld employees, %ld dependants); My Numbers of %ld\n"), s->persons,
           s->employees, s->dependants, s->numbers);
    printf(_("  items       %s\n"), incident_items_text(s->items, items, sizeof(items)));
    printf(_("  encryption  %s\n"), _(incident_protection_label(s->protection)));
    if (s->detail[0])
        printf(_("  note        %s\n"), s->detail);
}

static int do_list(struct session *s)
{
    struct incident_rec *r;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = incident_list(s, &r, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < n; i++)
        printf("%4lld  %s  %-7s %-9s %6ld  %s  %s\n", (long long)r[i].id, r[i].known_on,
               incident_source_name(r[i].survey.source), incident_event_name(r[i].event),
               r[i].survey.numbers,
               r[i].verdict.must_report ? _("report required") : _("no report required"),
               r[i].survey.label);
    if (n == 0)
        printf("%s\n", _("no incident recorded"));
    free(r);
    return CLI_OK;
}

static int do_one(struct session *s, const char *sub, const char *id_text, const char *path)
{
    char *end;
    long long id = strtoll(id_text, &end, 10);
    if (*end || id <= 0) {
        cli_error(_("'%s' is not an incident number (see mnvault incident list)"), id_text);
        return CLI_USAGE;
    }
    struct incident_rec r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = incident_get(s, id, &r, &diag);
    if (err == MNV_OK && path) {
        err = incident_write(s, &r, path, &diag);
        if (err == MNV_OK)
            printf(_("incident report written to %s\n"), path);
        return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
    }
    (void)sub;
    return err == MNV_OK ? print_rec(&r) : cli_fail(err, &diag);
}

static int do_new(struct session *s, const struct incident_opts *o, int record)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (!record) {
        struct incident_survey sv;
        enum mnv_err err = incident_survey_source(s, o->req.source, o->req.source_id, &sv, &diag);
        if (err != MNV_OK)
            return cli_fail(err, &diag);
        print_survey(&sv);
        return CLI_OK;
    }
    struct incident_rec r;
    enum mnv_err err = incident_record(s, &o->req, &r, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("incident %lld recorded\n"), (long long)r.id);
    return print_rec(&r);
}

/* The register entry number of --export or --backup into o; -1 after saying it is not one. */
static int source_id(struct incident_opts *o, const char *arg)
{
    char *end;
    o->req.source_id = strtoll(arg, &end, 10);
    if (!*arg || *end || o->req.source_id <= 0) {
        cli_error(_("'%s' is not an entry number of the register"), arg);
        return -1;
    }
    return 0;
}

/*
 * The options' texts and flags into o (the file named, the event and what is known of it);
 * -1 after saying what is wrong.
 */
static int take_opts(struct incident_opts *o, const char *export_id, const char *backup_id,
                     int device, const char *event, const int flags[3])
{
    struct incident_request *q = &o->req;
    o->have_source = !!export_id + !!backup_id + !!device;
    if (o->have_source > 1) {
        cli_error("%s", _("name one file: --export ID, --backup ID or --device"));
        return -1;
    }
    q->source = export_id ? INCIDENT_EXPORT : backup_id ? INCIDENT_BACKUP : INCIDENT_DEVICE;
    if ((export_id || backup_id) && source_id(o, export_id ? export_id : backup_id) < 0)
        return -1;
    if (event && !(q->event = incident_event_parse(event))) {
        cli_error(_("unknown event '%s': lost, stolen, missent, accessed, public or damaged"),
                  event);
        return -1;
    }
    if (flags[0] && flags[1]) {
        cli_error("%s", _("say --malicious or --not-malicious, not both"));
        return -1;
    }
    if (flags[0] || flags[1])
        q->malicious = flags[0];
    if (flags[2])
        q->public_view = 1;
    return 0;
}

int cmd_incident(struct cli_ctx *ctx, int argc, char **argv)
{
    struct incident_opts o = {.req = {.malicious = -1, .public_view = -1}};
    struct incident_request *q = &o.req;
    const char *export_id = NULL, *backup_id = NULL, *event = NULL;
    int device = 0, flags[3] = {0}; /* --malicious, --not-malicious, --public */
    const struct cli_opt opts[] = {
        {"export", &export_id, NULL},
        {"backup", &backup_id, NULL},
        {"device", NULL, &device},
        {"event", &event, NULL},
        {"known", &q->known_on, NULL},
        {"happened", &q->happened_on, NULL},
        {"malicious", NULL, &flags[0]},
        {"not-malicious", NULL, &flags[1]},
        {"public", NULL, &flags[2]},
        {"unlawful", NULL, &q->unlawful},
        {"key-exposed", NULL, &q->key_exposed},
        {"note", &q->summary, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, incident_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("incident");
    if (take_opts(&o, export_id, backup_id, device, event, flags) < 0)
        return cli_usage_hint("incident");
    int others = event || q->known_on || q->happened_on || flags[0] || flags[1] || flags[2] ||
                 q->unlawful || q->key_exposed || q->summary;
    const char *sub = optind < argc ? argv[optind++] : "";
    int nargs = argc - optind;
    int is_new = strcmp(sub, "new") == 0, is_held = strcmp(sub, "held") == 0;
    int ok = (is_new && o.have_source && o.req.event && nargs == 0) ||
             (is_held && o.have_source && !others && nargs == 0) ||
             (strcmp(sub, "list") == 0 && !o.have_source && !others && nargs == 0) ||
             (strcmp(sub, "show") == 0 && !o.have_source && !others && nargs == 1) ||
             (strcmp(sub, "report") == 0 && !o.have_source && !others && nargs == 2);
    if (!ok) {
        cli_error("%s", _("use 'mnvault incident new --export ID --event lost' (or --backup ID, "
                          "--device), 'incident held', 'incident list', 'incident show ID' or "
                          "'incident report ID FILE.pdf'"));
        return cli_usage_hint("incident");
    }
    struct session *s;
    rc = cli_load_config(ctx);
    if (rc == CLI_OK)
        rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (is_new || is_held)
        rc = do_new(s, &o, is_new);
    else if (strcmp(sub, "list") == 0)
        rc = do_list(s);
    else
        rc = do_one(s, sub, argv[optind], nargs == 2 ? argv[optind + 1] : NULL);
    session_logout(s);
    return rc;
}
