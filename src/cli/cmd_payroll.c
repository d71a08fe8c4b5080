/*
 * cmd_payroll.c: `mnvault payroll import|show|list`: each employee's year-end figures
 * from a payroll system's CSV file (payroll.h, doc/payroll.md).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/payroll.h"
#include "mnvault/people.h"
#include "mnvault/session.h"

static void payroll_help(void)
{
    printf(_("Usage: mnvault payroll import --year YYYY [--dry-run] FILE.csv\n"
             "       mnvault payroll show CODE [--year YYYY]\n"
             "       mnvault payroll list --year YYYY\n"
             "Each employee's year-end figures (年末調整の結果) for the withholding slips and\n"
             "salary payment reports, from a payroll system's CSV file (UTF-8 or Shift_JIS).\n\n"
             "  import   check every row and store the figures of the year; if any row has an\n"
             "           error nothing is stored and each one is listed with its line and\n"
             "           column. Figures already stored for that year are replaced.\n"
             "  show     one employee's figures (the newest year, or --year)\n"
             "  list     the employees with figures for the year\n\n"
             "  --year YYYY   the year of the figures (2025 = 令和7年分)\n"
             "  --dry-run     check every row, store nothing\n\n"
             "A row without dependent_name holds an employee's figures; a row with\n"
             "dependent_name and dependent_birth_date gives that dependant's category for the\n"
             "year. Columns (English or Japanese header names; * = required):\n"));
    const struct payroll_column *c;
    for (size_t i = 0; (c = payroll_column_at(i)) != NULL; i++)
        printf("  %s %-34s %s\n", c->required ? "*" : " ", c->en, c->ja);
    printf(_("\ndoc/payroll.md describes each column and the words it takes; a sample is\n"
             "data/payroll-sample.csv. Clerks and supervisors.\n"
             "Exit status: 0 done, 1 rows refused or nothing found, 2 usage or input/output\n"
             "error.\n"));
}

static void print_problem(const struct payroll_problem *p)
{
    char where[160], text[1200];
    const char *msg = _(mnv_err_str(p->err));
    if (p->column)
        snprintf(where, sizeof(where), _("column %d (%s)"), p->column, p->name);
    else
        snprintf(where, sizeof(where), "%s", _("the row"));
    if (p->err == MNV_ERR_IMPORT_PERSON_TWICE)
        snprintf(text, sizeof(text), _("line %ld, %s: %s (line %s)"), p->line, where, msg, p->item);
    else if (p->err == MNV_ERR_PAYROLL_DEP_AGE)
        snprintf(text, sizeof(text), _("line %ld, %s: %s (age %s)"), p->line, where, msg, p->item);
    else if (p->item[0])
        snprintf(text, sizeof(text), _("line %ld, %s: %s (%s)"), p->line, where, msg, p->item);
    else
        snprintf(text, sizeof(text), _("line %ld, %s: %s"), p->line, where, msg);
    fprintf(stderr, "%s\n", text);
}

static void problem_at(const void *problems, size_t i)
{
    print_problem(&((const struct payroll_problem *)problems)[i]);
}

static int import_report(const struct payroll_report *r, enum mnv_err err, int dry_run,
                         const struct mnv_diag *diag)
{
    struct cli_import_outcome o = {r->rows,      r->problems_total,
                                   r->nproblems, csv_encoding_name(r->encoding),
                                   r->problems,  problem_at};
    int rc = cli_import_said(&o, err, dry_run, diag);
    if (rc >= 0)
        return rc;
    printf(ngettext("Imported the figures of %d from %ld row (%s).\n",
                    "Imported the figures of %d from %ld rows (%s).\n", (unsigned long)r->rows),
           r->year, r->rows, csv_encoding_name(r->encoding));
    printf(_("  employees:   %ld (of them replacing figures stored before: %ld)\n"
             "  dependants:  %ld\n"),
           r->employees, r->replaced, r->dependents);
    return CLI_OK;
}

/* The stored employee with this code (from the list), or NULL. */
static const struct person_row *find_code(const struct person_list *l, const char *code)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->rows[i].code, code) == 0)
            return &l->rows[i];
    return NULL;
}

static void show_dependants(struct session *s, const struct payroll_figures *f)
{
    struct dependent *deps = NULL;
    size_t n = 0;
    struct mnv_diag diag;
    if (f->ndeps == 0 || people_dependents_of(s, f->employee_id, &deps, &n, &diag) != MNV_OK) {
        free(deps);
        return;
    }
    printf(_("  dependants:\n"));
    for (size_t i = 0; i < f->ndeps; i++) {
        const struct payroll_dependent *d = &f->deps[i];
        const char *name = _("(no longer recorded)");
        for (size_t j = 0; j < n; j++)
            if (deps[j].id == d->dependent_id)
                name = deps[j].name;
        printf("    %s  %s%s%s\n", name, _(payroll_deduction_label(d->deduction)),
               d->disability == PAYROLL_DIS_NONE ? "" : _(", disabled"),
               d->nonresident ? _(", non-resident") : "");
    }
    free(deps);
}

static int show(struct session *s, const char *code, int year)
{
    struct person_list l;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = people_list(s, &l, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    const struct person_row *row = find_code(&l, code);
    if (!row) {
        person_list_free(&l);
        cli_error(_("no employee has the code '%s'"), code);
        return CLI_BAD;
    }
    int64_t id = row->id;
    printf("%s  %s\n", row->code, row->name);
    person_list_free(&l);
    struct payroll_row_info years[16];
    size_t count = 0;
    err = payroll_years(s, id, years, 16, &count, &diag);
    if (err == MNV_OK && count == 0) {
        printf(_("  no figures are stored for this employee\n"));
        return CLI_BAD;
    }
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    struct payroll_figures f;
    err = payroll_get(s, id, year ? year : years[0].year, &f, &diag);
    if (err == MNV_ERR_NOT_FOUND) {
        printf(_("  no figures are stored for %d\n"), year);
        return CLI_BAD;
    }
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char when[32], value[1024];
    int word;
    printf(_("  figures of %d, imported %s by %s\n"), f.year,
           clock_format_local(when, sizeof(when), (time_t)f.info.imported_at), f.info.imported_by);
    const struct payroll_column *c;
    for (size_t i = 0; (c = payroll_column_at(i)) != NULL; i++)
        if (payroll_shown_at(&f, i, value, sizeof(value), &word) == 0)
            printf("  %-28s %s\n", i18n_is_japanese() ? c->ja : c->en, word ? _(value) : value);
    show_dependants(s, &f);
    payroll_figures_free(&f);
    return CLI_OK;
}

static int list(struct session *s, int year)
{
    struct person_list l;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = people_list(s, &l, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    long shown = 0;
    char pay[32], tax[32];
    int word;
    for (size_t i = 0; i < l.count && err == MNV_OK; i++) {
        struct payroll_figures f;
        err = payroll_get(s, l.rows[i].id, year, &f, &diag);
        if (err == MNV_ERR_NOT_FOUND) {
            err = MNV_OK;
            continue;
        }
        if (err != MNV_OK)
            break;
        size_t pi = 0, ti = 0;
        const struct payroll_column *c;
        for (size_t k = 0; (c = payroll_column_at(k)) != NULL; k++) {
            pi = strcmp(c->en, "payment") == 0 ? k : pi;
            ti = strcmp(c->en, "tax") == 0 ? k : ti;
        }
        (void)payroll_shown_at(&f, pi, pay, sizeof(pay), &word);
        (void)payroll_shown_at(&f, ti, tax, sizeof(tax), &word);
        if (shown++ == 0)
            printf("%-12s %-20s %15s %13s\n", _("Code"), _("Name"), _("Payment"), _("Tax"));
        printf("%-12s %-20s %15s %13s\n", l.rows[i].code, l.rows[i].name, pay, tax);
        payroll_figures_free(&f);
    }
    person_list_free(&l);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(ngettext("%ld employee has figures for %d.\n", "%ld employees have figures for %d.\n",
                    (unsigned long)shown),
           shown, year);
    return shown ? CLI_OK : CLI_BAD;
}

static int parse_year(const char *t)
{
    char *end;
    long y = strtol(t, &end, 10);
    return (*end || y < PAYROLL_YEAR_MIN || y > PAYROLL_YEAR_MAX) ? -1 : (int)y;
}

int cmd_payroll(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *year_text = NULL;
    int dry_run = 0, year = 0;
    const struct cli_opt opts[] = {
        {"year", &year_text, NULL},
        {"dry-run", NULL, &dry_run},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, payroll_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("payroll");
    if (year_text && (year = parse_year(year_text)) < 0) {
        cli_error(_("--year takes a year from %d to %d, such as 2025"), PAYROLL_YEAR_MIN,
                  PAYROLL_YEAR_MAX);
        return cli_usage_hint("payroll");
    }
    const char *verb = optind < argc ? argv[optind] : "";
    int nargs = argc - optind - 1;
    int need = strcmp(verb, "list") == 0 ? 0 : 1;
    if ((strcmp(verb, "import") && strcmp(verb, "show") && strcmp(verb, "list")) || nargs != need) {
        cli_error(_("say import FILE.csv, show CODE or list"));
        return cli_usage_hint("payroll");
    }
    if ((strcmp(verb, "import") == 0 || strcmp(verb, "list") == 0) && !year) {
        cli_error(_("name the year of the figures with --year"));
        return cli_usage_hint("payroll");
    }
    rc = cli_load_config(ctx);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(verb, "import") == 0 && ctx->cfg.cache_mib < 64)
        ctx->cfg.cache_mib = 64;
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(verb, "import") == 0) {
        struct payroll_report r;
        struct mnv_diag diag;
        mnv_diag_clear(&diag);
        enum mnv_err err = payroll_import_csv(s, argv[optind + 1], year, dry_run, &r, &diag);
        session_logout(s);
        rc = err == MNV_ERR_DENIED ? cli_fail(err, &diag) : import_report(&r, err, dry_run, &diag);
        payroll_report_free(&r);
        return rc;
    }
    rc = strcmp(verb, "show") == 0 ? show(s, argv[optind + 1], year) : list(s, year);
    session_logout(s);
    return rc;
}
