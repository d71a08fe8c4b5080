/*
 * cmd_employee.c: `mnvault employee`: the clerk's work on one person from the command line,
 * as the terminal application's employee screens do it: the list with each number's status
 * (list), one employee's record with the dependants, numbers' status, identity checks and
 * purposes (show), an employee added before the number comes (add), a refusal to give the
 * number (refused), a dependant leaving the 扶養 (left). Collecting a number for one person
 * (collect) is in cmd_employee_collect.c. No command prints or takes a My Number.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mnvault/clock.h"
#include "mnvault/collect.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/purpose.h"
#include "mnvault/reveal.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

#include "cmd_employee.h"

static void employee_help(void)
{
    printf(_("Usage: mnvault employee list [--retired] [--status STATUS]\n"
             "       mnvault employee show CODE\n"
             "       mnvault employee add --code CODE --name NAME --kana READING\n"
             "                            --birth-date DATE --sex M|F --hire-date DATE\n"
             "                            [--postal-code CODE] [--address TEXT]\n"
             "       mnvault employee refused CODE [--dependent NAME] --on DATE --reason TEXT\n"
             "       mnvault employee left CODE --dependent NAME (--on DATE | --undo)\n"
             "The employees and their dependants, as the terminal application shows them.\n\n"
             "  list      every current employee (--retired: also the retired) with the\n"
             "            status of the number (registered, missing, refused, deleted; --status\n"
             "            shows one), whether identity was verified (ID), and the name\n"
             "  show      one employee's record: each person's number status, the identity\n"
             "            check, the purposes notified, a refusal with its day and reason, and\n"
             "            the dependants who left the 扶養\n"
             "  add       a new employee without a number (hired, the number still to come);\n"
             "            the reading may be typed in hiragana or half-width katakana\n"
             "  refused   the person declined to give the number (提供拒否): the day it was\n"
             "            asked for and refused, and the reason in their words; shown on the\n"
             "            record, as 提供拒否 in lists, and to the filings\n"
             "  left      the dependant left the employee's 扶養 on that day (the event that\n"
             "            ends the need for their number); --undo takes it back\n\n"
             "  --dependent NAME   the employee's dependant of that name (spaces ignored)\n"
             "Dates may be written 2026-04-01, 2026/4/1, R8.4.1 or 令和8年4月1日.\n"
             "Clerks and supervisors change records; every role that sees records may list\n"
             "and show them. Exit status: 0 done, 1 refused or not found, 2 usage or\n"
             "input/output error.\n"));
}

/* ---- words --------------------------------------------------------------------------------- */

const char *employee_status_word(enum number_status st)
{
    switch (st) {
    case NUMBER_REGISTERED:
        return _("registered");
    case NUMBER_REFUSED:
        return _("refused");
    case NUMBER_DISPOSED:
        return _("deleted");
    default:
        return _("missing");
    }
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
        return _("other");
    }
}

/* text, then spaces up to cells terminal cells (wide characters take two). */
static void put_padded(const char *text, int cells)
{
    mbstate_t ps;
    memset(&ps, 0, sizeof(ps));
    int used = 0;
    const char *p = text;
    wchar_t wc;
    size_t n;
    while (*p && (n = mbrtowc(&wc, p, strlen(p), &ps)) > 0 && n < (size_t)-2) {
        int w = wcwidth(wc);
        used += w > 0 ? w : 1;
        p += n;
    }
    fputs(text, stdout);
    for (; used < cells; used++)
        putchar(' ');
}

int employee_date_arg(const char *opt, const char *text, char out[11])
{
    enum mnv_err err = wareki_parse(text, out);
    if (err != MNV_OK) {
        cli_error("%s: %s", opt, _(mnv_err_str(err)));
        return -1;
    }
    return 0;
}

int employee_fail(enum mnv_err err, const struct mnv_diag *diag,
                  const struct employee_optname *names)
{
    for (size_t i = 0; names && names[i].item; i++)
        if (diag && strcmp(diag->item, names[i].item) == 0) {
            cli_error("%s: %s", names[i].option, _(mnv_err_str(err)));
            return cli_exit_for(err);
        }
    if (err == MNV_ERR_PERSON_NOT_FOUND || err == MNV_ERR_EXISTS) {
        cli_error("%s", err == MNV_ERR_EXISTS
                            ? _("two dependants of this employee have that name")
                            : _("no such employee, or no dependant of that name"));
        return CLI_BAD;
    }
    return cli_fail(err, diag);
}

/* ---- list ------------------------------------------------------------------------------------ */

static int do_list(struct session *s, int retired, const char *status)
{
    struct person_list l;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = people_list(s, &l, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    long shown = 0;
    for (size_t i = 0; i < l.count; i++) {
        const struct person_row *r = &l.rows[i];
        if ((r->retired && !retired) ||
            (status && strcmp(status, person_number_status_name(r->status)) != 0 &&
             !(strcmp(status, "deleted") == 0 && r->status == NUMBER_DISPOSED)))
            continue;
        if (shown++ == 0) {
            put_padded(_("Code"), 12);
            put_padded(_("My Number"), 12);
            put_padded(_("ID"), 6);
            printf("%s\n", _("Name"));
        }
        put_padded(r->code, 12);
        put_padded(employee_status_word(r->status), 12);
        put_padded(r->verified ? "○" : "-", 6);
        printf("%s%s\n", r->name, r->retired ? _(" (retired)") : "");
    }
    person_list_free(&l);
    printf(ngettext("%ld employee\n", "%ld employees\n", (unsigned long)shown), shown);
    return CLI_OK;
}

/* ---- show ------------------------------------------------------------------------------------ */

static void show_check(struct session *s, int indent, const struct person_ref *ref,
                       const struct number_info *info, struct collect_rec *rec, int *have)
{
    const struct idrules *rules = NULL;
    *have = collect_current(s, ref, rec, NULL) == MNV_OK;
    if (info->status != NUMBER_REGISTERED)
        return;
    printf("%*s", indent, "");
    if (!*have) {
        printf("%s\n", _("ID check: not recorded"));
        return;
    }
    if (collect_rules(&rules, NULL) != MNV_OK)
        rules = NULL;
    const struct id_route_def *route = rules ? idrules_route(rules, rec->route) : NULL;
    printf(_("ID check: %s"), rec->verified_on);
    if (route && strcmp(route->code, "self") != 0)
        printf(" %s", i18n_is_japanese() ? route->name_ja : route->name_en);
    if (rec->known_in_person)
        printf(" %s", _("obviously not someone else"));
    for (size_t i = 0, shown = 0; i < rec->ndocs; i++) {
        int seen = 0; /* one card can serve two checks: name it once */
        for (size_t j = 0; j < i; j++)
            seen |= strcmp(rec->docs[j].doc, rec->docs[i].doc) == 0;
        const struct id_doc_def *d = rules ? idrules_doc(rules, rec->docs[i].doc) : NULL;
        if (!seen)
            printf("%s%s", shown++ ? "・" : " ",
                   d ? (i18n_is_japanese() ? d->name_ja : d->name_en) : rec->docs[i].doc);
    }
    printf(" (%s)\n", rec->verified_by);
}

static void show_number(struct session *s, enum mynumber_mask mask, int indent,
                        const struct person_ref *ref)
{
    struct number_info info;
    struct collect_rec rec;
    int have;
    char masked[MYNUMBER_FORMAT_SIZE];
    if (people_number_info(s, ref, &info, NULL) != MNV_OK)
        return;
    printf("%*s%s %s", indent, "", _("My Number:"), employee_status_word(info.status));
    if (info.status == NUMBER_REGISTERED) {
        enum mnv_err err = reveal_masked(s, ref, mask, masked, NULL); /* [display] mask */
        printf(" %s", masked); /* fully masked when the last four cannot be read */
        (void)err;
    }
    if (info.status == NUMBER_REFUSED)
        printf(_(" on %s: %s"), info.refused_on, info.refused_reason);
    putchar('\n');
    show_check(s, indent, ref, &info, &rec, &have);
    for (size_t i = 0; i < info.n_purposes; i++) {
        const struct number_purpose *p = &info.purposes[i];
        const struct purpose_def *d = purpose_find(session_purposes(s), p->code);
        printf("%*s%s %s (%s", indent, "", _("purpose:"),
               d ? (i18n_is_japanese() ? d->short_ja : d->short_en) : p->code, p->notified_on);
        int after = have ? collect_notice_days_after(rec.verified_on, p->notified_on) : 0;
        if (after > 0)
            printf(ngettext(", %d day after the ID check", ", %d days after the ID check",
                            (unsigned long)after),
                   after);
        printf(")\n");
    }
}

static int do_show(struct session *s, enum mynumber_mask mask, const char *code)
{
    struct person_ref ref;
    struct employee e;
    struct dependent *deps = NULL;
    size_t n = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = people_find(s, code, NULL, &ref, &diag);
    if (err == MNV_OK)
        err = people_employee_get(s, ref.id, &e, &diag);
    if (err == MNV_OK)
        err = people_dependents_of(s, ref.id, &deps, &n, &diag);
    if (err != MNV_OK)
        return employee_fail(err, &diag, NULL);
    printf("%s  %s (%s)\n", e.code, e.name, e.kana);
    printf(_("  born %s, hired %s"), e.birth_date, e.hire_date);
    if (e.retire_date[0])
        printf(_(", retired %s"), e.retire_date);
    putchar('\n');
    if (e.postal_code[0] || e.address[0])
        printf("  %s%s %s\n", e.postal_code[0] ? "〒" : "", e.postal_code, e.address);
    show_number(s, mask, 2, &ref);
    for (size_t i = 0; i < n; i++) {
        printf(_("  dependant %s (%s, born %s)"), deps[i].name, relation_word(deps[i].relation),
               deps[i].birth_date);
        if (deps[i].left_on[0])
            printf(_(", left the 扶養 on %s"), deps[i].left_on);
        putchar('\n');
        struct person_ref d = {PERSON_DEPENDENT, deps[i].id};
        show_number(s, mask, 4, &d);
    }
    free(deps);
    return CLI_OK;
}

/* ---- changes --------------------------------------------------------------------------------- */

static int do_add(struct session *s, const struct employee_opts *o)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", o->code);
    snprintf(e.name, sizeof(e.name), "%s", o->name);
    person_fold_kana(o->kana, e.kana, sizeof(e.kana));
    e.sex = person_sex_parse(o->sex);
    if (!e.sex) {
        cli_error(_("--sex: say M or F"));
        return CLI_USAGE;
    }
    snprintf(e.postal_code, sizeof(e.postal_code), "%s", o->postal ? o->postal : "");
    snprintf(e.address, sizeof(e.address), "%s", o->address ? o->address : "");
    if (employee_date_arg("--birth-date", o->birth, e.birth_date) != 0 ||
        employee_date_arg("--hire-date", o->hire, e.hire_date) != 0)
        return CLI_BAD;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    static const struct employee_optname names[] = {
        {"code", "--code"},
        {"name", "--name"},
        {"kana", "--kana"},
        {"birth_date", "--birth-date"},
        {"postal_code", "--postal-code"},
        {"address", "--address"},
        {"hire_date", "--hire-date"},
        {NULL, NULL},
    };
    enum mnv_err err = people_employee_add(s, &e, &diag);
    if (err != MNV_OK)
        return employee_fail(err, &diag, names);
    printf(_("Added %s %s. No My Number yet: collect it with F2 in the terminal "
             "application or with mnvault import.\n"),
           e.code, e.name);
    return CLI_OK;
}

static int do_refused(struct session *s, const char *code, const struct employee_opts *o)
{
    char day[11];
    if (employee_date_arg("--on", o->on, day) != 0)
        return CLI_BAD;
    struct person_ref ref;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    static const struct employee_optname names[] = {
        {"refused_on", "--on"}, {"reason", "--reason"}, {NULL, NULL}};
    enum mnv_err err = people_find(s, code, o->dependent, &ref, &diag);
    if (err == MNV_OK)
        err = people_number_refused(s, &ref, day, o->reason, &diag);
    if (err != MNV_OK)
        return employee_fail(err, &diag, names);
    printf(_("Recorded: %s refused to give the My Number on %s.\n"),
           o->dependent ? o->dependent : code, day);
    return CLI_OK;
}

static int do_left(struct session *s, const char *code, const struct employee_opts *o)
{
    char day[11] = "";
    if (!o->undo && employee_date_arg("--on", o->on, day) != 0)
        return CLI_BAD;
    struct person_ref ref;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    static const struct employee_optname names[] = {{"left_on", "--on"}, {NULL, NULL}};
    enum mnv_err err = people_find(s, code, o->dependent, &ref, &diag);
    if (err == MNV_OK)
        err = people_dependent_end(s, ref.id, day, &diag);
    if (err != MNV_OK)
        return employee_fail(err, &diag, names);
    if (o->undo)
        printf(_("Recorded: %s is a dependant again.\n"), o->dependent);
    else
        printf(_("Recorded: %s left the 扶養 on %s.\n"), o->dependent, day);
    return CLI_OK;
}

/* ---- options --------------------------------------------------------------------------------- */

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct employee_opts *o)
{
    const struct cli_opt opts[] = {
        {"dependent", &o->dependent, NULL},
        {"on", &o->on, NULL},
        {"reason", &o->reason, NULL},
        {"status", &o->status, NULL},
        {"code", &o->code, NULL},
        {"name", &o->name, NULL},
        {"kana", &o->kana, NULL},
        {"birth-date", &o->birth, NULL},
        {"sex", &o->sex, NULL},
        {"hire-date", &o->hire, NULL},
        {"postal-code", &o->postal, NULL},
        {"address", &o->address, NULL},
        {"retired", NULL, &o->retired},
        {"undo", NULL, &o->undo},
        {NULL, NULL, NULL},
    };
    return cli_parse_opts(ctx, argc, argv, opts, employee_help);
}

/* The verb, its operand and the options fit together. */
static int valid(const char *verb, const char *code, int extra, const struct employee_opts *o)
{
    if (!verb || extra)
        return 0;
    int changes =
        o->code || o->name || o->kana || o->birth || o->sex || o->hire || o->postal || o->address;
    if (strcmp(verb, "list") == 0)
        return !code && !changes && !o->dependent && !o->on && !o->reason && !o->undo &&
               (!o->status || strcmp(o->status, "registered") == 0 ||
                strcmp(o->status, "missing") == 0 || strcmp(o->status, "refused") == 0 ||
                strcmp(o->status, "deleted") == 0);
    if (o->status || o->retired)
        return 0;
    if (strcmp(verb, "show") == 0)
        return code && !changes && !o->dependent && !o->on && !o->reason && !o->undo;
    if (strcmp(verb, "add") == 0)
        return !code && o->code && o->name && o->kana && o->birth && o->sex && o->hire &&
               !o->dependent && !o->on && !o->reason && !o->undo;
    if (strcmp(verb, "refused") == 0)
        return code && !changes && o->on && o->reason && !o->undo;
    if (strcmp(verb, "left") == 0)
        return code && !changes && o->dependent && !o->reason && (!o->on != !o->undo);
    return 0;
}

int cmd_employee(struct cli_ctx *ctx, int argc, char **argv)
{
    struct employee_opts o;
    memset(&o, 0, sizeof(o));
    int rc = parse(ctx, argc, argv, &o);
    if (rc < 0)
        return CLI_OK; /* the help */
    if (rc != CLI_OK)
        return cli_usage_hint("employee");
    const char *verb = optind < argc ? argv[optind] : NULL;
    const char *code = optind + 1 < argc ? argv[optind + 1] : NULL;
    if (!valid(verb, code, optind + 2 < argc, &o)) {
        cli_error(_("use 'mnvault employee list', 'show CODE', 'add --code …', "
                    "'refused CODE' or 'left CODE'"));
        return cli_usage_hint("employee");
    }
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(verb, "list") == 0)
        rc = do_list(s, o.retired, o.status);
    else if (strcmp(verb, "show") == 0)
        rc = do_show(s, ctx->cfg.mask, code);
    else if (strcmp(verb, "add") == 0)
        rc = do_add(s, &o);
    else if (strcmp(verb, "refused") == 0)
        rc = do_refused(s, code, &o);
    else
        rc = do_left(s, code, &o);
    session_logout(s);
    return rc;
}
