/*
 * cmd_retention.c: `mnvault retention` explains how long each number of an employee's
 * household is kept and why (explain), lists numbers by their retention state (list), and
 * lets a supervisor hold a due number with a reason and a review date (hold, release,
 * holds). The rules are data/retention.ini (doc/retention.md).
 */
#include "cli.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/caldate.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/retention.h"
#include "mnvault/session.h"

static void retention_help(void)
{
    printf(_("Usage: mnvault retention explain EMPLOYEE_CODE\n"
             "       mnvault retention list [--state STATE]\n"
             "       mnvault retention hold EMPLOYEE_CODE [--dependent NAME] --reason TEXT\n"
             "                              --review YYYY-MM-DD\n"
             "       mnvault retention release EMPLOYEE_CODE [--dependent NAME]\n"
             "       mnvault retention holds [--all]\n"
             "How long each My Number is kept, and why (data/retention.ini).\n\n"
             "  explain      for the employee and each dependant with a number: every kind of\n"
             "               document that applies, the event that ended its need, its period\n"
             "               and legal basis, and the latest end, which decides\n"
             "  list         every number with its state (needed, running, due, held,\n"
             "               no_rule), the date it is kept until, and the employee code;\n"
             "               --state shows one state only\n"
             "  hold         (supervisors) keep a number that is due, for a reason, until a\n"
             "               review date at most a year ahead; it is due again after that\n"
             "  release      (supervisors) end the hold now\n"
             "  holds        the holds in force (--all: with those released)\n"
             "  --dependent NAME   the employee's dependant of that name (spaces ignored)\n\n"
             "Exit status: 0 done, 1 refused or not found, 2 usage or input/output error.\n"));
}

struct opts {
    const char *dependent, *reason, *review, *state;
    int all;
};

/* Load the rules; prints why not. */
static int load_rules(struct session *s, struct retention_rules *r)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_rules_load(NULL, session_purposes(s), r, &diag);
    if (err == MNV_ERR_RETENTION_FILE) {
        cli_error("%s: %s: %s", diag.where, diag.item, _(mnv_err_str(err)));
        return CLI_BAD;
    }
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

static const char *date_or_dash(int32_t day, char buf[CALDATE_ISO_SIZE])
{
    return day == CALDATE_NONE ? "-" : caldate_format(day, buf);
}

static const char *doc_name(const struct retention_doc *d)
{
    return i18n_is_japanese() ? d->name_ja : d->name_en;
}

/* One line of an explanation: indent spaces, the translated text, a line end. */
static void say(int indent, const char *fmt, ...) MNV_PRINTF(2, 3);

static void say(int indent, const char *fmt, ...)
{
    va_list ap;
    printf("%*s", indent, "");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

static void print_clock(struct session *s, const struct retention_rules *r,
                        const struct retention_clock *c, int binding)
{
    const struct retention_doc *d = &r->docs[c->doc];
    const char *code = r->codes[c->why_code].code;
    char day[CALDATE_ISO_SIZE];
    say(2, "%s %s", binding ? "*" : "-", doc_name(d));
    caldate_format(c->why_day, day);
    if (c->why == REV_FILED) {
        say(6, _("applies: a filing of this kind made on %s"), day);
    } else {
        const struct purpose_def *p = purpose_find(session_purposes(s), code);
        say(6, _("applies: purpose \"%s\" notified on %s"),
            p ? (i18n_is_japanese() ? p->short_ja : p->short_en) : code, day);
    }
    if (c->end == REV__COUNT) {
        say(6, "%s", _("still needed: none of its ending events has happened"));
        return;
    }
    say(6, _("need ended: %s on %s"), _(retention_event_label(c->end)),
        caldate_format(c->end_day, day));
    if (c->last != c->end)
        say(6, _("last handled: %s on %s"), _(retention_event_label(c->last)),
            caldate_format(c->last_day, day));
    char period[300];
    say(6, "%s", retention_period_text(period, sizeof(period), d, c->first_day));
    say(6, _("kept until: %s"), caldate_format(c->keep_until, day));
    say(6, _("basis: %s"), i18n_is_japanese() ? d->basis_ja : d->basis_en);
}

static void print_status(const struct retention_person *p)
{
    const struct retention_verdict *v = &p->verdict;
    char a[CALDATE_ISO_SIZE], b[CALDATE_ISO_SIZE];
    switch (v->state) {
    case RETENTION_NEEDED:
        say(2, "%s", _("Needed: kept while the need lasts."));
        break;
    case RETENTION_RUNNING:
        say(2, _("Kept until %s; due for disposal from %s."), caldate_format(v->keep_until, a),
            caldate_format(v->keep_until + 1, b));
        break;
    case RETENTION_DUE:
        say(2, _("DUE for disposal since %s (kept until %s)."),
            caldate_format(v->keep_until + 1, a), caldate_format(v->keep_until, b));
        break;
    case RETENTION_HELD:
        say(2, _("On hold until %s (due since %s)."), caldate_format(v->hold_review, a),
            caldate_format(v->keep_until + 1, b));
        break;
    case RETENTION_NO_RULE:
        say(2,
            _("No retention rule for \"%s\": ask the administrator to add it to retention.ini; "
              "the number is kept until then."),
            v->unknown);
        break;
    }
    if (v->nclocks == 0 && v->need_end != CALDATE_NONE)
        say(2, _("No purpose of use applies: kept only until %s."), caldate_format(v->need_end, a));
    if (p->has_hold)
        say(2, _("Hold by %s until %s: %s"), p->hold.placed_by, p->hold.review_on, p->hold.reason);
}

static const char *relation_word(enum dependent_relation r)
{
    switch (r) {
    case REL_SPOUSE:
        return _("spouse");
    case REL_CHILD:
        return _("child");
    case REL_PARENT:
        return _("parent");
    default:
        return _("dependant");
    }
}

static int do_explain(struct session *s, const struct retention_rules *r, const char *code)
{
    struct retention_household h;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_explain(s, r, code, &h, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char day[CALDATE_ISO_SIZE];
    caldate_format(h.today, day);
    if (h.employee.retire_date[0])
        printf(_("%s %s, retired on %s. Today: %s.\n"), h.employee.code, h.employee.name,
               h.employee.retire_date, day);
    else
        printf(_("%s %s. Today: %s.\n"), h.employee.code, h.employee.name, day);
    if (h.count == 0)
        printf(_("No My Number is registered in this household.\n"));
    for (size_t i = 0; i < h.count; i++) {
        const struct retention_person *p = &h.people[i];
        printf("\n%s (%s)\n", p->name,
               p->subject.person.kind == PERSON_EMPLOYEE ? _("employee")
                                                         : relation_word(p->relation));
        print_status(p);
        for (size_t k = 0; k < p->verdict.nclocks; k++)
            print_clock(s, r, &p->verdict.clocks[k], (int)k == p->verdict.binding);
    }
    retention_household_free(&h);
    return CLI_OK;
}

static int do_list(struct session *s, const struct retention_rules *r, const char *state)
{
    struct retention_survey sv;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_survey(s, r, &sv, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < sv.count; i++) {
        const struct retention_item *it = &sv.items[i];
        if (state && strcmp(state, retention_state_name(it->state)) != 0)
            continue;
        char day[CALDATE_ISO_SIZE];
        printf("%-8s %-10s %-10s %s\n", retention_state_name(it->state),
               date_or_dash(it->keep_until, day), it->subject.employee_code,
               it->subject.person.kind == PERSON_EMPLOYEE ? _("employee") : _("dependant"));
    }
    retention_survey_free(&sv);
    return CLI_OK;
}

static int do_hold(struct session *s, const struct retention_rules *r, const char *verb,
                   const char *code, const struct opts *o)
{
    struct person_ref ref;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_person(s, code, o->dependent, &ref, &diag);
    if (err == MNV_OK && strcmp(verb, "hold") == 0)
        err = retention_hold(s, r, &ref, o->reason, o->review, &diag);
    else if (err == MNV_OK)
        err = retention_release(s, &ref, &diag);
    if (err == MNV_ERR_NOT_FOUND) {
        cli_error(_("no hold is in force for this number"));
        return CLI_BAD;
    }
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (strcmp(verb, "hold") == 0)
        printf(_("held until %s\n"), o->review);
    else
        printf(_("hold released\n"));
    return CLI_OK;
}

static int do_holds(struct session *s, int all)
{
    struct retention_hold *h;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_holds_list(s, !all, &h, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < n; i++) {
        char placed[24];
        struct employee e;
        const char *code = "?";
        if (people_employee_get(s, h[i].employee_id, &e, NULL) == MNV_OK)
            code = e.code;
        clock_format_local(placed, sizeof(placed), (time_t)h[i].placed_at);
        printf(_("%s %s: review on %s, placed by %s on %s: %s"), code,
               h[i].person.kind == PERSON_EMPLOYEE ? _("employee") : _("dependant"), h[i].review_on,
               h[i].placed_by, placed, h[i].reason);
        if (h[i].released_at)
            printf(" [%s]",
                   strcmp(h[i].release_why, "renewed") == 0 ? _("renewed") : _("released"));
        putchar('\n');
    }
    if (n == 0)
        printf(_("no holds\n"));
    free(h);
    return CLI_OK;
}

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct opts *o)
{
    const struct cli_opt opts[] = {
        {"dependent", &o->dependent, NULL},
        {"reason", &o->reason, NULL},
        {"review", &o->review, NULL},
        {"state", &o->state, NULL},
        {"all", NULL, &o->all},
        {NULL, NULL, NULL},
    };
    return cli_parse_opts(ctx, argc, argv, opts, retention_help);
}

/* The subcommand and its operand fit together with the options given. */
static int valid(const char *sub, const char *code, int extra, const struct opts *o)
{
    if (!sub || extra)
        return 0;
    int needs_code =
        strcmp(sub, "explain") == 0 || strcmp(sub, "hold") == 0 || strcmp(sub, "release") == 0;
    if (needs_code != (code != NULL))
        return 0;
    if (strcmp(sub, "hold") == 0)
        return o->reason && o->review && !o->state && !o->all;
    if (strcmp(sub, "release") == 0)
        return !o->reason && !o->review && !o->state && !o->all;
    if (strcmp(sub, "explain") == 0)
        return !o->dependent && !o->reason && !o->review && !o->state && !o->all;
    if (strcmp(sub, "list") == 0)
        return !o->dependent && !o->reason && !o->review && !o->all &&
               (!o->state || (strcmp(o->state, "needed") == 0 || strcmp(o->state, "running") == 0 ||
                              strcmp(o->state, "due") == 0 || strcmp(o->state, "held") == 0 ||
                              strcmp(o->state, "no_rule") == 0));
    if (strcmp(sub, "holds") == 0)
        return !o->dependent && !o->reason && !o->review && !o->state;
    return 0;
}

int cmd_retention(struct cli_ctx *ctx, int argc, char **argv)
{
    struct opts o = {0};
    int rc = parse(ctx, argc, argv, &o);
    if (rc < 0)
        return CLI_OK;
    if (rc != CLI_OK)
        return cli_usage_hint("retention");
    const char *sub = optind < argc ? argv[optind++] : NULL;
    const char *code = optind < argc ? argv[optind++] : NULL;
    if (!valid(sub, code, optind < argc, &o)) {
        cli_error(_("use 'mnvault retention explain CODE', 'list', 'hold CODE', 'release CODE' "
                    "or 'holds'"));
        return cli_usage_hint("retention");
    }
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    struct retention_rules r;
    rc = load_rules(s, &r);
    if (rc == CLI_OK) {
        if (strcmp(sub, "explain") == 0)
            rc = do_explain(s, &r, code);
        else if (strcmp(sub, "list") == 0)
            rc = do_list(s, &r, o.state);
        else if (strcmp(sub, "holds") == 0)
            rc = do_holds(s, o.all);
        else
            rc = do_hold(s, &r, sub, code, &o);
        retention_rules_free(&r);
    }
    session_logout(s);
    return rc;
}
