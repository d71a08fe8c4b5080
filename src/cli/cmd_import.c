/*
 * cmd_import.c: `mnvault import FILE.csv` collects My Numbers in bulk, with how identity
 * was verified and the purposes notified (import.h, doc/import.md). Every row is checked
 * before anything is written; when one fails, nothing is imported and each bad row is
 * listed with its line and reason, never with a digit of a number.
 */
#include "cli.h"

#include <string.h>

#include "mnvault/i18n.h"
#include "mnvault/import.h"
#include "mnvault/mynumber.h"
#include "mnvault/session.h"
#include "mnvault/textsafe.h"

static void import_help(void)
{
    printf(_("Usage: mnvault import [--dry-run] FILE.csv\n"
             "Collect My Numbers from a CSV file (UTF-8 or Shift_JIS, detected) with how\n"
             "identity was verified and the purposes notified to each person. A row names an\n"
             "employee by employee code, or one of their dependents by name; unknown people\n"
             "are added when the row has the fields a new record needs.\n\n"
             "Every row is checked first. If any row has an error, nothing is imported and\n"
             "each bad row is listed with its line number and the reason. Otherwise all rows\n"
             "are stored in one transaction and recorded in the audit log.\n\n"
             "  --dry-run   check every row and report, but store nothing\n\n"
             "Columns (English or Japanese header names; * = required):\n"));
    const char *en, *ja;
    int req;
    for (int i = 0; import_column_names(i, &en, &ja, &req) == 0; i++)
        printf("  %s %-16s %s\n", req ? "*" : " ", en, ja);
    printf(_("\nThe columns and the allowed values are described in doc/import.md; a sample\n"
             "is data/import-sample.csv. Needs the clerk or supervisor role.\n"
             "Exit status: 0 imported (or, with --dry-run, every row is good), 1 rows were\n"
             "refused or the file is not a valid import, 2 usage or input/output error.\n"));
}

static void print_problem(const struct import_problem *p)
{
    char text[900], where[200], item[sizeof(p->item) * 2], masked[MYNUMBER_FORMAT_SIZE];
    const char *msg = _(mnv_err_str(p->err));
    textsafe_escape(item, sizeof(item), p->item); /* words from the file */
    /* The column as the file names it, and its place: "column 9 (個人番号)". */
    char name[sizeof(p->header) * 2];
    textsafe_escape(name, sizeof(name), p->header[0] ? p->header : p->column);
    if (strcmp(p->column, "my_number") == 0)
        snprintf(where, sizeof(where), _("column %d (%s, %s)"), p->field, name,
                 mynumber_format_masked(masked, MYNUMBER_INDIVIDUAL, MYNUMBER_MASK_NONE, NULL));
    else if (p->field > 0)
        snprintf(where, sizeof(where), _("column %d (%s)"), p->field, name);
    else
        snprintf(where, sizeof(where), "%s", p->column[0] ? name : _("the row"));
    if (p->err == MNV_ERR_IMPORT_DUP_FILE || p->err == MNV_ERR_IMPORT_PERSON_TWICE ||
        (p->err == MNV_ERR_IMPORT_DEP_EMPLOYEE && p->item[0]))
        snprintf(text, sizeof(text), _("line %ld, %s: %s (line %s)"), p->line, where, msg, item);
    else if (p->item[0])
        snprintf(text, sizeof(text), _("line %ld, %s: %s (%s)"), p->line, where, msg, item);
    else
        snprintf(text, sizeof(text), _("line %ld, %s: %s"), p->line, where, msg);
    textsafe_fputs(text, TEXTSAFE_KEEP_BACKSLASH, stderr);
    fputc('\n', stderr);
}

static void problem_at(const void *problems, size_t i)
{
    print_problem(&((const struct import_problem *)problems)[i]);
}

static int report(const struct import_report *r, enum mnv_err err, int dry_run,
                  const struct mnv_diag *diag)
{
    struct cli_import_outcome o = {r->rows,      r->problems_total,
                                   r->nproblems, csv_encoding_name(r->encoding),
                                   r->problems,  problem_at};
    int rc = cli_import_said(&o, err, dry_run, diag);
    if (rc >= 0)
        return rc;
    printf(
        ngettext("Imported %ld row (%s).\n", "Imported %ld rows (%s).\n", (unsigned long)r->rows),
        r->rows, csv_encoding_name(r->encoding));
    printf(_("  employees added:   %ld\n  dependents added:  %ld\n  numbers stored:    %ld\n"
             "  of them changed numbers (re-collections): %ld\n"),
           r->employees_added, r->dependents_added, r->numbers_stored, r->recollected);
    if (r->verified_added)
        printf(_("  identity checks added to numbers stored without one: %ld\n"),
               r->verified_added);
    return CLI_OK;
}

int cmd_import(struct cli_ctx *ctx, int argc, char **argv)
{
    int dry_run = 0;
    const struct cli_opt opts[] = {{"dry-run", NULL, &dry_run}, {NULL, NULL, NULL}};
    int rc = cli_parse_opts(ctx, argc, argv, opts, import_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("import");
    if (optind >= argc) {
        cli_error(_("name the CSV file to import"));
        return cli_usage_hint("import");
    }
    if (optind + 1 < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind + 1]);
        return cli_usage_hint("import");
    }
    struct session *s;
    rc = cli_load_config(ctx);
    if (rc != CLI_OK)
        return rc;
    if (ctx->cfg.cache_mib < 64)
        ctx->cfg.cache_mib = 64; /* a batch job: the whole database in the cache */
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    struct import_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = import_csv(s, argv[optind], dry_run, &r, &diag);
    session_logout(s);
    if (err == MNV_ERR_DENIED) {
        import_report_free(&r);
        return cli_fail(err, &diag);
    }
    rc = report(&r, err, dry_run, &diag);
    import_report_free(&r);
    return rc;
}
