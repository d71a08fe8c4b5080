/*
 * cmd_export.c: `mnvault export FORM --year YYYY --out FILE` writes a filing from the vault
 * (export.h, doc/export.md); `export forms` lists the layouts; `export employer` shows or
 * sets the payer's details. The register's verbs (list, mark) are in cmd_export_reg.c,
 * fill mode in cmd_export_fill.c.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/employer.h"
#include "mnvault/export.h"
#include "mnvault/i18n.h"
#include "mnvault/people.h"
#include "mnvault/session.h"
#include "mnvault/textsafe.h"
#include "mnvault/utf8.h"

void cli_export_help(void)
{
    printf(_("Usage: mnvault export FORM --year YYYY --out FILE [--copy COPY] [--to DEST]\n"
             "                      [--purpose CODE] [--employee CODE] [--skip-missing]\n"
             "                      [--dry-run] [--zip]\n"
             "       mnvault export fill nta375|eltax|shfd IN.csv --out OUT.csv [--skip-missing]\n"
             "                      [--skip-unmatched] [--dry-run] [--zip]\n"
             "       mnvault export list [--year YYYY] [--form FORM] [--outstanding]\n"
             "       mnvault export mark ID submitted|destroyed|returned [--note TEXT]\n"
             "       mnvault export forms\n"
             "       mnvault export employer [KEY=VALUE ...]\n"
             "Write a filing with the employees' year-end figures and, where the filing takes\n"
             "them, their My Numbers; or fill the numbers into a file that payroll software\n"
             "wrote with the number columns empty (fill: each row must match one employee by\n"
             "code, name and birth date, and the dependants by name; one row that does not\n"
             "refuses the whole file). fill shfd: an SHFD0006.CSV another program wrote\n"
             "without the numbers; each record matched by 被保険者整理番号, name and birth\n"
             "date, every other byte kept.\n\n"
             "  FORM             nta375 (源泉徴収票, e-Tax CSV), eltax (給与支払報告書, eLTAX\n"
             "                   統一CSV), shfd2200700/shfd2201700/shfd2202700 (年金事務所\n"
             "                   SHFD0006.CSV: 資格取得届, 資格喪失届, 被扶養者（異動）届);\n"
             "                   'mnvault export forms' lists the layouts installed\n"
             "  --year YYYY      the year of the figures (2025 = 令和7年分); a year without a\n"
             "                   layout is refused\n"
             "  --out FILE       the file to write (never over an existing file; mode 0600)\n"
             "  --copy COPY      which copy of the form (default: the layout's first)\n"
             "  --to DEST        where it goes: tax_office, municipality, person, contractor\n"
             "                   (default: the copy's); recorded in the custody register\n"
             "  --purpose CODE   the purpose of use (default: the one covering the filing)\n"
             "  --employee CODE  only this employee's slip\n"
             "  --from DATE, --until DATE\n"
             "                   insurance filings (shfd2200700, shfd2201700, shfd2202700,\n"
             "                   koyo_shutoku, koyo_soshitsu): the events of this period\n"
             "                   (default: the whole --year; --from alone gives the year)\n"
             "  --skip-missing   leave out the numbers that cannot be used (listed first)\n"
             "  --skip-unmatched fill shfd: leave a record that matches no one person\n"
             "                   without a number (listed) instead of refusing the file\n"
             "  --dry-run        check everything and report; write nothing\n"
             "  --zip            pack the file as an AES-256 zip; the passphrase is shown once\n\n"
             "Every number is checked against the purposes notified to its person. If a\n"
             "number is missing, refused, or was not notified for the purpose, the people are\n"
             "listed and nothing is written unless --skip-missing is given. Values that do\n"
             "not fit the filing (a character outside JIS X 0208, a value too long) are\n"
             "listed with the slip and the field, and nothing is written. Clerks and\n"
             "supervisors. Exit status: 0 written, 1 refused, 2 usage or input/output error.\n"));
}

int cli_export_destination_bad(const char *dest)
{
    if (!dest || form_destination_parse(dest))
        return 0;
    cli_error(_("--to takes tax_office, municipality, person or contractor"));
    return 1;
}

static int parse_year(const char *t)
{
    char *end;
    long y = strtol(t, &end, 10);
    return (*end || y < 1989 || y > 2199) ? -1 : (int)y;
}

/* The year of a date "YYYY-MM-DD"; -1 when it has none. */
static int parse_year_of(const char *date)
{
    char y[5];
    snprintf(y, sizeof(y), "%.4s", date);
    return strlen(date) == 10 && date[4] == '-' ? parse_year(y) : -1;
}

/* "spouse", "dependant (2)" … and the dependant's name, for a gap. */
static void who(struct session *s, const struct export_gap *g, char *buf, size_t size)
{
    char name[PERSON_NAME_MAX + 1] = "";
    if (g->person.kind == PERSON_DEPENDENT) {
        struct dependent d;
        struct mnv_diag diag;
        if (people_dependent_get(s, g->person.id, &d, &diag) == MNV_OK)
            textsafe_escape(name, sizeof(name), d.name);
    }
    if (g->slot)
        snprintf(buf, size, "%s (%d) %s", _(export_role_label(g->role)), g->slot, name);
    else
        snprintf(buf, size, "%s%s%s", _(export_role_label(g->role)), name[0] ? " " : "", name);
}

static void print_gaps(struct session *s, const struct export_report *r)
{
    char text[600];
    for (size_t i = 0; i < r->ngaps; i++) {
        const struct export_gap *g = &r->gaps[i];
        who(s, g, text, sizeof(text));
        if (!g->code[0]) /* a record that names no one person */
            fprintf(stderr, _("line %ld, %s: %s\n"), g->line, text,
                    _(export_gap_reason_label(g->reason)));
        else
            fprintf(stderr, r->fill ? _("line %ld (%s), %s: %s\n") : _("slip %ld (%s), %s: %s\n"),
                    g->line, g->code, text, _(export_gap_reason_label(g->reason)));
    }
    if (r->gaps_total > (long)r->ngaps)
        fprintf(stderr, _("… and %ld more\n"), r->gaps_total - (long)r->ngaps);
}

static void print_faults(const struct export_report *r)
{
    for (size_t i = 0; i < r->nfaults; i++) {
        const struct form_fault *f = &r->faults[i];
        char ch[64] = "";
        if (f->cp) {
            char enc[5] = "";
            int n = f->cp >= 0x20 && f->cp != 0x7F ? utf8_encode(f->cp, enc) : 0;
            enc[n > 0 ? n : 0] = '\0';
            snprintf(ch, sizeof(ch), " (U+%04X %s)", (unsigned)f->cp, enc);
        }
        char where[120];
        if (f->line == 0)
            snprintf(where, sizeof(where), "%s", _("the office's details"));
        else if (f->code[0])
            snprintf(where, sizeof(where), r->fill ? _("line %ld (%s)") : _("slip %ld (%s)"),
                     f->line, f->code);
        else
            snprintf(where, sizeof(where), r->fill ? _("line %ld") : _("slip %ld"), f->line);
        if (f->pos == 0)
            fprintf(stderr, "%s: %s\n", where, _(mnv_err_str(f->err)));
        else
            fprintf(stderr,
                    r->fill ? _("%s, column %d %s: %s%s%s%s\n") : _("%s, field %d %s: %s%s%s%s\n"),
                    where, f->pos, f->field, _(mnv_err_str(f->err)), ch, f->rule[0] ? " " : "",
                    f->rule);
    }
    if (r->faults_total > (long)r->nfaults)
        fprintf(stderr, _("… and %ld more\n"), r->faults_total - (long)r->nfaults);
}

static void print_done(const struct export_report *r, const struct export_request *req)
{
    const char *title = i18n_is_japanese() ? r->title_ja : r->title_en;
    if (r->fill && req->dry_run)
        printf(_("Checked the rows against the vault for %s: every row matches. Nothing was "
                 "written (--dry-run).\n"),
               title);
    else if (r->fill)
        printf(_("Filled the numbers into %s: %s\n"), title, req->out_path);
    else if (req->dry_run)
        printf(_("Checked %s (copy %s): it can be written. Nothing was written (--dry-run).\n"),
               title, r->copy);
    else
        printf(_("Wrote %s (copy %s) to %s\n"), title, r->copy, req->out_path);
    if (r->fill)
        printf(_("  rows: %ld (%d)\n"), r->slips, r->year);
    else if (r->since[0])
        printf(_("  records: %ld (events from %s to %s)\n"), r->slips, r->since, r->until);
    else
        printf(_("  slips: %ld (of %ld employees with figures of %d)\n"), r->slips, r->candidates,
               r->year);
    printf(_("  My Numbers written: %ld; left out: %ld\n"), r->numbers, r->left_out);
    printf(_("  purpose of use: %s; destination: %s\n"), r->purpose, r->destination);
    if (!req->dry_run) {
        printf(_("  SHA-256: %s (%lld bytes)\n"), r->sha256, (long long)r->size);
        printf(_("  custody register: entry %lld (mnvault export list)\n"),
               (long long)r->custody_id);
    }
    if (r->nuncertain) {
        printf(_("  check these fields against the authority's current specification (their\n"
                 "  definition is inferred): "));
        for (size_t i = 0; i < r->nuncertain; i++)
            printf("%s%d", i ? ", " : "", r->uncertain[i]);
        printf("\n");
    }
    if (r->passphrase[0])
        printf(_("  zip passphrase (shown only now; give it separately from the file):\n"
                 "      %s\n"),
               r->passphrase);
}

int cli_export_report(struct session *s, const struct export_request *req,
                      const struct export_report *r, enum mnv_err err, const struct mnv_diag *diag)
{
    char text[1200];
    if (err == MNV_ERR_EXPORT_GAPS) {
        print_gaps(s, r);
        cli_error(ngettext("%ld My Number cannot be used for this filing; nothing was written. "
                           "To write the slips without it, run again with --skip-missing.",
                           "%ld My Numbers cannot be used for this filing; nothing was written. "
                           "To write the slips without them, run again with --skip-missing.",
                           (unsigned long)r->gaps_total),
                  r->gaps_total);
        return CLI_BAD;
    }
    if (err == MNV_ERR_EXPORT_FAULTS && r->fill) {
        print_gaps(s, r);
        print_faults(r);
        cli_error(ngettext("%ld problem in the file; nothing was written.",
                           "%ld problems in the file; nothing was written.",
                           (unsigned long)r->faults_total),
                  r->faults_total);
        return CLI_BAD;
    }
    if (err == MNV_ERR_EXPORT_FAULTS) {
        print_gaps(s, r);
        print_faults(r);
        cli_error(ngettext("%ld value does not fit the filing; nothing was written.",
                           "%ld values do not fit the filing; nothing was written.",
                           (unsigned long)r->faults_total),
                  r->faults_total);
        return CLI_BAD;
    }
    if (err == MNV_ERR_FORM_NO_LAYOUT) {
        cli_error(_("%s: %s"), _(mnv_err_str(err)), diag->where);
        return CLI_BAD;
    }
    if (err != MNV_OK) {
        cli_error("%s", cli_describe(text, sizeof(text), err, diag));
        return cli_exit_for(err);
    }
    if (r->gaps_total)
        print_gaps(s, r);
    print_done(r, req);
    return CLI_OK;
}

static int run_export(struct cli_ctx *ctx, struct export_request *req)
{
    int rc = cli_load_config(ctx);
    if (rc != CLI_OK)
        return rc;
    if (ctx->cfg.cache_mib < 64)
        ctx->cfg.cache_mib = 64;
    struct session *s;
    if ((rc = cli_login(ctx, &s, 0, NULL, NULL, NULL)) != CLI_OK)
        return rc;
    struct export_report r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = export_run(s, req, &r, &diag);
    rc = cli_export_report(s, req, &r, err, &diag);
    export_report_free(&r);
    session_logout(s);
    return rc;
}

static int list_forms(void)
{
    struct form_available *a;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = form_list(&a, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < n; i++) {
        struct form_layout *l;
        if (form_layout_load(a[i].id, a[i].year, &l, &diag) != MNV_OK) {
            printf("%-10s %d  %s\n", a[i].id, a[i].year, _("(the layout file is wrong)"));
            continue;
        }
        printf("%-10s %d  %s\n", a[i].id, a[i].year,
               i18n_is_japanese() ? l->title_ja : l->title_en);
        for (size_t c = 0; c < l->ncopies; c++)
            printf("             --copy %-10s %s%s\n", l->copies[c].id,
                   i18n_is_japanese() ? l->copies[c].title_ja : l->copies[c].title_en,
                   l->copies[c].numbers ? "" : _(" (no My Numbers)"));
        form_layout_free(l);
    }
    free(a);
    return CLI_OK;
}

static int employer(struct cli_ctx *ctx, int argc, char **argv)
{
    int rc = cli_load_config(ctx);
    struct session *s;
    if (rc != CLI_OK || (rc = cli_login(ctx, &s, 0, NULL, NULL, NULL)) != CLI_OK)
        return rc;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = MNV_OK;
    for (int i = 0; i < argc && err == MNV_OK; i++) {
        char key[64];
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq - argv[i] >= (int)sizeof(key)) {
            session_logout(s);
            cli_error(_("write each detail as KEY=VALUE ('%s')"), argv[i]);
            return CLI_USAGE;
        }
        snprintf(key, sizeof(key), "%.*s", (int)(eq - argv[i]), argv[i]);
        err = employer_set(s, key, eq + 1, &diag);
    }
    const struct employer_field *f;
    for (size_t i = 0; err == MNV_OK && (f = employer_field_at(i)) != NULL; i++) {
        char value[EMPLOYER_VALUE_MAX + 1];
        err = employer_get(s, f->key, value, sizeof(value));
        if (err == MNV_OK)
            printf("%-15s %-52s %s\n", f->key, _(f->label), value);
    }
    session_logout(s);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

int cmd_export(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *verb = argc > 1 ? argv[1] : "";
    if (!strcmp(verb, "list"))
        return cmd_export_list(ctx, argc - 1, argv + 1);
    if (!strcmp(verb, "mark"))
        return cmd_export_mark(ctx, argc - 1, argv + 1);
    if (!strcmp(verb, "fill"))
        return cmd_export_fill(ctx, argc - 1, argv + 1);
    struct export_request req;
    memset(&req, 0, sizeof(req));
    const char *year = NULL;
    const struct cli_opt opts[] = {
        {"year", &year, NULL},
        {"out", &req.out_path, NULL},
        {"copy", &req.copy, NULL},
        {"to", &req.destination, NULL},
        {"purpose", &req.purpose, NULL},
        {"employee", &req.only_code, NULL},
        {"skip-missing", NULL, &req.skip_missing},
        {"dry-run", NULL, &req.dry_run},
        {"zip", NULL, &req.zip},
        {"from", &req.since, NULL},
        {"until", &req.until, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, cli_export_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("export");
    if (year && (req.year = parse_year(year)) < 0) {
        cli_error(_("--year takes a year such as 2025"));
        return cli_usage_hint("export");
    }
    if (cli_export_destination_bad(req.destination))
        return cli_usage_hint("export");
    const char *first = optind < argc ? argv[optind] : "";
    if (!strcmp(first, "forms") && optind + 1 == argc)
        return list_forms();
    if (!strcmp(first, "employer"))
        return employer(ctx, argc - optind - 1, argv + optind + 1);
    if (!first[0] || optind + 1 != argc) {
        cli_error(_("name one form to export (mnvault export forms lists them)"));
        return cli_usage_hint("export");
    }
    req.form = first;
    if (!req.year && req.since && (req.year = parse_year_of(req.since)) < 0) {
        cli_error(_("--from takes a date such as 2026-04-01"));
        return cli_usage_hint("export");
    }
    if (!req.year || (!req.out_path && !req.dry_run)) {
        cli_error(_("say the year with --year and the file with --out"));
        return cli_usage_hint("export");
    }
    return run_export(ctx, &req);
}
