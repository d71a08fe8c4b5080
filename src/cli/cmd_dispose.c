/*
 * cmd_dispose.c: `mnvault dispose`. --due is the daily check for a cron job or systemd
 * timer (counts only, never a name; exit 1 when something needs deletion or review; audit
 * entry and syslog line). The verbs are the four-eyes procedure: a clerk proposes the due
 * numbers (all, or those of some employees), a different supervisor approves or rejects
 * with a reason (and their TOTP code again when they have one), the proposer may
 * withdraw; list and show for everyone who may see persons.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/backup.h"
#include "mnvault/caldate.h"
#include "mnvault/cert.h"
#include "mnvault/custody.h"
#include "mnvault/clock.h"
#include "mnvault/disposal.h"
#include "mnvault/i18n.h"
#include "mnvault/retention.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

static void dispose_help(void)
{
    printf(_("Usage: mnvault dispose --due\n"
             "       mnvault dispose propose (--all | EMPLOYEE_CODE...) [--note TEXT]\n"
             "       mnvault dispose list [--all]\n"
             "       mnvault dispose show ID\n"
             "       mnvault dispose approve ID --reason TEXT\n"
             "       mnvault dispose reject ID --reason TEXT\n"
             "       mnvault dispose withdraw ID\n"
             "       mnvault dispose execute ID\n"
             "       mnvault dispose finish\n"
             "       mnvault dispose outstanding\n"
             "       mnvault dispose destroyed backup|export ID [--note TEXT]\n"
             "Deleting My Numbers past their retention period, with four eyes\n"
             "(doc/disposal.md).\n\n"
             "  --due        the daily check for a cron job or systemd timer (samples:\n"
             "               data/mnvault-due.*): counts only, never a name; the same\n"
             "               counts go to the audit log and syslog\n"
             "  propose      (clerks, supervisors) propose deleting the numbers due now:\n"
             "               every one (--all) or those of the employees named (with their\n"
             "               dependants)\n"
             "  list         the proposals waiting for a decision or execution (--all: all)\n"
             "  show         a proposal's numbers, persons and state\n"
             "  approve      (a supervisor who did not propose it) approve, for a reason;\n"
             "               a user with TOTP gives a new code (the next line of\n"
             "               --password-fd, or asked on the terminal)\n"
             "  reject       (a supervisor who did not propose it) reject, for a reason\n"
             "  withdraw     (the proposer) take a proposal back\n"
             "  execute      (a supervisor) delete the numbers of an approved proposal and\n"
             "               issue the signed certificate of deletion, in one transaction;\n"
             "               then destroy the old epoch key, rewrite the database, write\n"
             "               the certificate to the vault's certificates folder and renew\n"
             "               the managed backups\n"
             "  finish       (a supervisor) complete what an execution could not finish\n"
             "  outstanding  copies that still hold deleted numbers: backups made before\n"
             "               the deletion and exported files not yet submitted, destroyed\n"
             "               or returned\n"
             "  destroyed    record that such a backup (register row ID, see 'mnvault\n"
             "               backup --list') or exported file (custody register ID) was\n"
             "               destroyed\n\n"
             "Exit status: 0 done (--due: nothing is due; outstanding: none), 1 refused, or\n"
             "(--due) numbers are due or have no rule, or (execute, finish) work after the\n"
             "deletion is left to 'finish', or (outstanding) copies are outstanding, 2 usage\n"
             "or input/output error.\n"));
}

struct opts {
    int due, all;
    const char *note, *reason;
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

static int do_due(struct session *s, const struct retention_rules *r)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    struct retention_counts c;
    enum mnv_err err = retention_due_report(s, r, &c, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char day[CALDATE_ISO_SIZE];
    printf(_("due for disposal: %ld (employees %ld, dependants %ld)\n"), c.due, c.employees_due,
           c.dependants_due);
    if (c.due)
        printf(_("oldest due since: %s\n"), caldate_format(c.oldest_due, day));
    printf(_("on hold: %ld\n"), c.held);
    printf(_("without a retention rule: %ld\n"), c.no_rule);
    printf(_("becoming due this month: %ld\n"), c.next_months[0]);
    return c.due || c.no_rule ? CLI_BAD : CLI_OK;
}

/* The due numbers of the employees codes[0..n) into a malloc'd array; prints misses. */
static int due_numbers_of(struct session *s, const struct retention_rules *r, char **codes, int n,
                          int64_t **ids, size_t *count)
{
    struct retention_survey sv;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = retention_survey(s, r, &sv, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    *ids = calloc(sv.count + 1, sizeof(**ids));
    *count = 0;
    int rc = *ids ? CLI_OK : cli_fail(MNV_ERR_NOMEM, NULL);
    for (int k = 0; rc == CLI_OK && k < n; k++) {
        size_t before = *count;
        for (size_t i = 0; i < sv.count; i++)
            if (sv.items[i].state == RETENTION_DUE &&
                strcmp(sv.items[i].subject.employee_code, codes[k]) == 0)
                (*ids)[(*count)++] = sv.items[i].subject.number_id;
        if (*count == before) {
            cli_error(_("%s: no number of this employee or their dependants is due"), codes[k]);
            rc = CLI_BAD;
        }
    }
    retention_survey_free(&sv);
    if (rc != CLI_OK) {
        free(*ids);
        *ids = NULL;
    }
    return rc;
}

static int do_propose(struct session *s, const struct retention_rules *r, const struct opts *o,
                      char **codes, int n)
{
    int64_t *ids = NULL, id;
    size_t count = 0;
    int rc = o->all ? CLI_OK : due_numbers_of(s, r, codes, n, &ids, &count);
    if (rc != CLI_OK)
        return rc;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = disposal_propose(s, r, ids, count, o->note ? o->note : "", &id, &diag);
    free(ids);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    struct disposal_proposal p;
    struct disposal_row *rows;
    size_t nrows;
    err = disposal_get(s, id, &p, &rows, &nrows, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    free(rows);
    printf(_("proposal %lld: %ld numbers (employees %ld, dependants %ld), waiting for a "
             "supervisor's approval\n"),
           (long long)id, p.items, p.employees, p.dependants);
    return CLI_OK;
}

static int do_list(struct session *s, int all)
{
    struct disposal_proposal *list;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = disposal_list(s, !all, &list, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < n; i++) {
        char when[24];
        clock_format_local(when, sizeof(when), (time_t)list[i].proposed_at);
        printf(_("%lld  %s  proposed by %s on %s  %ld numbers"), (long long)list[i].id,
               _(disposal_state_label(list[i].state)), list[i].proposed_by, when, list[i].items);
        if (list[i].decided_by[0] && list[i].state != DISPOSAL_PROPOSED)
            printf(_("  (%s by %s)"), _(disposal_state_label(list[i].state)), list[i].decided_by);
        putchar('\n');
    }
    if (n == 0)
        printf("%s\n", all ? _("no proposals") : _("no proposals waiting"));
    free(list);
    return CLI_OK;
}

static void show_header(const struct disposal_proposal *p)
{
    char when[24];
    printf(_("Proposal %lld: %s\n"), (long long)p->id, _(disposal_state_label(p->state)));
    clock_format_local(when, sizeof(when), (time_t)p->proposed_at);
    printf(_("Proposed by %s on %s"), p->proposed_by, when);
    printf(p->note[0] ? ": %s\n" : "\n", p->note);
    if (p->decided_by[0]) {
        char text[200];
        disposal_decision_text(text, sizeof(text), p);
        printf("%s", text);
        printf(p->reason[0] ? ": %s\n" : "\n", p->reason);
    }
    if (p->executed_by[0]) {
        clock_format_local(when, sizeof(when), (time_t)p->executed_at);
        printf(_("Executed by %s on %s\n"), p->executed_by, when);
    }
    printf(_("Numbers: %ld (employees %ld, dependants %ld)\n"), p->items, p->employees,
           p->dependants);
}

/* "Certificate: ID" for an executed proposal. */
static void show_certificate(struct session *s, int64_t id)
{
    struct cert_rec *all = NULL;
    size_t n = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (cert_list(s, &all, &n, &diag) != MNV_OK)
        return;
    for (size_t i = 0; i < n; i++)
        if (all[i].proposal_id == id)
            printf(_("Certificate: %s\n"), all[i].id);
    free(all);
}

static int do_show(struct session *s, const struct retention_rules *r, int64_t id)
{
    struct disposal_proposal p;
    struct disposal_row *rows;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = disposal_get(s, id, &p, &rows, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    show_header(&p);
    if (p.state == DISPOSAL_EXECUTED)
        show_certificate(s, id);
    if (p.state == DISPOSAL_PROPOSED || p.state == DISPOSAL_APPROVED) {
        int fresh;
        int64_t changed;
        err = disposal_fresh(s, r, id, &fresh, &changed, &diag);
        if (err == MNV_OK && !fresh)
            printf("%s\n", _("STALE: the facts of a number changed since it was proposed; it "
                             "cannot be approved or executed"));
    }
    for (size_t i = 0; i < n; i++) {
        const struct disposal_item *it = &rows[i].item;
        printf("  %-10s %s%s%s  %s %s  %s\n", it->employee_code, rows[i].employee_name,
               it->person.kind == PERSON_DEPENDENT ? " / " : "",
               it->person.kind == PERSON_DEPENDENT ? rows[i].name : "", _("kept until"),
               it->keep_until, retention_doc_label(r, it->doc));
    }
    free(rows);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

static int do_decide(struct cli_ctx *ctx, struct session *s, const struct retention_rules *r,
                     const char *verb, int64_t id, const char *reason)
{
    struct mnv_diag diag;
    struct login_info info;
    mnv_diag_clear(&diag);
    memset(&info, 0, sizeof(info));
    enum mnv_err err;
    if (strcmp(verb, "approve") == 0) {
        char *code = NULL;
        if (session_user_rec(s)->has_totp) {
            code = cli_secret_new();
            if (!code)
                return cli_fail(MNV_ERR_NOMEM, NULL);
            if (cli_read_secret(ctx, _("Confirmation code from the authenticator app: "), 1, code) <
                0) {
                secmem_free(code);
                return CLI_BAD;
            }
        }
        err = disposal_approve(s, r, id, reason, code, &info, &diag);
        secmem_free(code);
    } else if (strcmp(verb, "reject") == 0) {
        err = disposal_reject(s, id, reason, &diag);
    } else {
        err = disposal_withdraw(s, id, &diag);
    }
    if (err == MNV_ERR_TOTP_WRONG || err == MNV_ERR_TOTP_REPLAY) {
        cli_error(_("%s (%d attempts left before the account locks)"), _(mnv_err_str(err)),
                  info.attempts_left);
        return CLI_BAD;
    }
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("proposal %lld: %s\n"), (long long)id,
           _(disposal_state_label(strcmp(verb, "approve") == 0  ? DISPOSAL_APPROVED
                                  : strcmp(verb, "reject") == 0 ? DISPOSAL_REJECTED
                                                                : DISPOSAL_WITHDRAWN)));
    return CLI_OK;
}

/* What an execution (or finish) did after the deletion. */
static void print_after(const struct disposal_done *d)
{
    if (d->epochs_destroyed)
        printf(_("epoch keys destroyed: %zu\n"), d->epochs_destroyed);
    if (d->vacuumed)
        printf("%s\n", _("database rewritten (VACUUM)"));
    if (d->files)
        printf(_("certificate files written: %ld\n"), d->files);
    if (d->backed_up)
        printf("%s\n", _("a new managed backup was made"));
    if (d->backups_forgotten)
        printf(_("managed backups made before the deletion, deleted: %zu\n"), d->backups_forgotten);
}

/* The copies still holding deleted numbers; returns how many. */
static size_t print_outstanding(struct session *s, int verbose)
{
    struct cert_outstanding o;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    if (cert_outstanding(s, &o, &diag) != MNV_OK)
        return 0;
    size_t n = o.nbackups + o.nexports;
    if (n && !verbose)
        printf(_("copies outside the vault still holding deleted numbers: backups %zu, "
                 "exported files %zu ('mnvault dispose outstanding')\n"),
               o.nbackups, o.nexports);
    for (size_t i = 0; verbose && i < o.nbackups; i++) {
        char when[24];
        clock_format_local(when, sizeof(when), (time_t)o.backups[i].created_at);
        printf(_("backup %lld  %s  %s  made by %s\n"), (long long)o.backups[i].id, when,
               o.backups[i].path, o.backups[i].made_by);
    }
    for (size_t i = 0; verbose && i < o.nexports; i++) {
        char when[24];
        const struct custody_entry *e = &o.exports[i];
        clock_format_local(when, sizeof(when), (time_t)e->created_at);
        printf(_("export %lld  %s  %s %d %s  %s  %s\n"), (long long)e->id, when, e->form, e->year,
               e->copy, custody_state_name(e->state), e->path);
    }
    cert_outstanding_free(&o);
    return n;
}

static int do_outstanding(struct session *s)
{
    if (print_outstanding(s, 1))
        return CLI_BAD;
    printf("%s\n", _("no copies outstanding"));
    return CLI_OK;
}

static int do_execute(struct cli_ctx *ctx, struct session *s, const struct retention_rules *r,
                      int64_t id)
{
    struct backup_options bo = {ctx->cfg.backup_dir, ctx->cfg.backup_generations};
    struct disposal_done d;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = disposal_execute(s, r, id, &bo, &d, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char hex[2 * CERT_SHA256_LEN + 1];
    printf(_("proposal %lld: %s\n"), (long long)id, _(disposal_state_label(DISPOSAL_EXECUTED)));
    printf(_("numbers deleted: %ld\n"), d.numbers);
    printf(_("certificate: %s\n"), d.cert.id);
    printf(_("certificate SHA-256: %s\n"), vcrypto_hex(hex, d.cert.sha256, CERT_SHA256_LEN));
    printf(_("data keys rewrapped under epoch key %u: %ld\n"), d.epoch_to, d.rewrapped);
    print_after(&d);
    if (d.after != MNV_OK) {
        char text[512];
        cli_error(_("deleted and certified, but the work after it stopped: %s; run 'mnvault "
                    "dispose finish'"),
                  cli_describe(text, sizeof(text), d.after, &diag));
        return CLI_BAD;
    }
    printf(_("certificate files: %s/%s/%s.json and .pdf\n"), session_dir(s), CERT_FOLDER,
           d.cert.id);
    print_outstanding(s, 0);
    return CLI_OK;
}

static int do_finish(struct cli_ctx *ctx, struct session *s)
{
    struct backup_options bo = {ctx->cfg.backup_dir, ctx->cfg.backup_generations};
    struct disposal_done d;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = disposal_finish(s, &bo, &d, &diag);
    print_after(&d);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (!d.epochs_destroyed && !d.vacuumed && !d.files && !d.backed_up && !d.backups_forgotten)
        printf("%s\n", _("nothing left to finish"));
    print_outstanding(s, 0);
    return CLI_OK;
}

static int do_destroyed(struct session *s, const char *what, int64_t id, const char *note)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err;
    if (strcmp(what, "backup") == 0)
        err = cert_backup_destroyed(s, id, note, &diag);
    else
        err = custody_mark(s, id, CUSTODY_DESTROYED, note, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(strcmp(what, "backup") == 0 ? _("backup %lld: recorded as destroyed\n")
                                       : _("export %lld: recorded as destroyed\n"),
           (long long)id);
    return CLI_OK;
}

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct opts *o)
{
    const struct cli_opt opts[] = {
        {"due", NULL, &o->due},       {"all", NULL, &o->all}, {"note", &o->note, NULL},
        {"reason", &o->reason, NULL}, {NULL, NULL, NULL},
    };
    return cli_parse_opts(ctx, argc, argv, opts, dispose_help);
}

/* A proposal id: a positive whole number. */
static int parse_id(const char *text, int64_t *id)
{
    char *end;
    long long v = text ? strtoll(text, &end, 10) : 0;
    if (!text || !*text || *end || v <= 0)
        return -1;
    *id = (int64_t)v;
    return 0;
}

/* The verb, its operands and the options fit together. */
static int valid(const char *verb, char **args, int nargs, const struct opts *o)
{
    if (o->due)
        return !verb && !o->all && !o->note && !o->reason;
    if (!verb)
        return 0;
    if (strcmp(verb, "propose") == 0)
        return !o->reason && (o->all ? nargs == 0 : nargs > 0);
    if (strcmp(verb, "list") == 0)
        return nargs == 0 && !o->note && !o->reason;
    if (strcmp(verb, "finish") == 0 || strcmp(verb, "outstanding") == 0)
        return nargs == 0 && !o->all && !o->note && !o->reason;
    if (strcmp(verb, "destroyed") == 0)
        return nargs == 2 && !o->all && !o->reason &&
               (strcmp(args[0], "backup") == 0 || strcmp(args[0], "export") == 0);
    if (o->all || o->note || nargs != 1)
        return 0;
    if (strcmp(verb, "approve") == 0 || strcmp(verb, "reject") == 0)
        return o->reason != NULL;
    return (strcmp(verb, "show") == 0 || strcmp(verb, "withdraw") == 0 ||
            strcmp(verb, "execute") == 0) &&
           !o->reason;
}

static int run(struct cli_ctx *ctx, struct session *s, const char *verb, const struct opts *o,
               char **args, int nargs)
{
    struct retention_rules r;
    int rc = load_rules(s, &r);
    if (rc != CLI_OK)
        return rc;
    int64_t id = 0;
    if (o->due)
        rc = do_due(s, &r);
    else if (strcmp(verb, "propose") == 0)
        rc = do_propose(s, &r, o, args, nargs);
    else if (strcmp(verb, "list") == 0)
        rc = do_list(s, o->all);
    else if (strcmp(verb, "finish") == 0)
        rc = do_finish(ctx, s);
    else if (strcmp(verb, "outstanding") == 0)
        rc = do_outstanding(s);
    else if (strcmp(verb, "destroyed") == 0)
        rc = parse_id(args[1], &id) < 0 ? cli_fail(MNV_ERR_NOT_FOUND, NULL)
                                        : do_destroyed(s, args[0], id, o->note ? o->note : "");
    else if (parse_id(args[0], &id) < 0)
        rc = cli_fail(MNV_ERR_NOT_FOUND, NULL);
    else if (strcmp(verb, "show") == 0)
        rc = do_show(s, &r, id);
    else if (strcmp(verb, "execute") == 0)
        rc = do_execute(ctx, s, &r, id);
    else
        rc = do_decide(ctx, s, &r, verb, id, o->reason ? o->reason : "");
    retention_rules_free(&r);
    return rc;
}

int cmd_dispose(struct cli_ctx *ctx, int argc, char **argv)
{
    struct opts o = {0};
    int rc = parse(ctx, argc, argv, &o);
    if (rc < 0)
        return CLI_OK;
    if (rc != CLI_OK)
        return cli_usage_hint("dispose");
    const char *verb = optind < argc ? argv[optind++] : NULL;
    char **args = argv + optind;
    int nargs = argc - optind;
    if (!valid(verb, args, nargs, &o)) {
        cli_error(_("use 'mnvault dispose --due', 'propose', 'list', 'show ID', 'approve ID', "
                    "'reject ID', 'withdraw ID', 'execute ID', 'finish', 'outstanding' or "
                    "'destroyed backup|export ID'"));
        return cli_usage_hint("dispose");
    }
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    rc = run(ctx, s, verb, &o, args, nargs);
    session_logout(s);
    return rc;
}
