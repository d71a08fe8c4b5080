/*
 * cmd_export_reg.c: `mnvault export list` and `mnvault export mark`: the custody register
 * of exported files (custody.h, doc/export.md).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/clock.h"
#include "mnvault/custody.h"
#include "mnvault/form.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/textsafe.h"

static int login(struct cli_ctx *ctx, struct session **s)
{
    int rc = cli_load_config(ctx);
    return rc == CLI_OK ? cli_login(ctx, s, 0, NULL, NULL, NULL) : rc;
}

static void print_entry(const struct custody_entry *e, int verbose)
{
    char when[32], hex[65], path[CUSTODY_PATH_MAX * 4 + 1];
    clock_format_local(when, sizeof(when), (time_t)e->created_at);
    printf("%5lld  %s  %-8s %d %-9s %-12s %5ld %5ld  %s\n", (long long)e->id, when, e->form,
           e->year, e->copy, e->destination, e->slips, e->numbers,
           _(custody_state_label(e->state)));
    if (!verbose)
        return;
    textsafe_escape(path, sizeof(path), e->path);
    printf(_("       file %s%s\n"), path, e->packed ? _(" (encrypted zip)") : "");
    printf(_("       SHA-256 %s, %lld bytes; purpose %s; by %s\n"), custody_hash_hex(e, hex),
           (long long)e->size, e->purpose, e->created_by);
    if (e->state != CUSTODY_WRITTEN && e->state != CUSTODY_WRITING) {
        clock_format_local(when, sizeof(when), (time_t)e->state_at);
        printf(_("       %s %s by %s%s%s\n"), _(custody_state_label(e->state)), when, e->state_by,
               e->note[0] ? ": " : "", e->note);
    }
}

int cmd_export_list(struct cli_ctx *ctx, int argc, char **argv)
{
    struct custody_filter f = {0, NULL, 0};
    const char *year = NULL;
    int verbose = 1;
    const struct cli_opt opts[] = {
        {"year", &year, NULL},
        {"form", &f.form, NULL},
        {"outstanding", NULL, &f.outstanding_only},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, cli_export_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("export");
    if (year)
        f.year = atoi(year);
    struct session *s;
    rc = login(ctx, &s);
    if (rc != CLI_OK)
        return rc;
    struct custody_entry *e;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = custody_list(s, &f, &e, &n, &diag);
    session_logout(s);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(_("   ID  written           form     year copy      to            slips numbers  "
             "state\n"));
    for (size_t i = 0; i < n; i++)
        print_entry(&e[i], verbose);
    printf(ngettext("%zu file in the register.\n", "%zu files in the register.\n", n), n);
    free(e);
    return CLI_OK;
}

int cmd_export_mark(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *note = "";
    const struct cli_opt opts[] = {{"note", &note, NULL}, {NULL, NULL, NULL}};
    int rc = cli_parse_opts(ctx, argc, argv, opts, cli_export_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("export");
    char *end = NULL;
    long long id = optind + 2 == argc ? strtoll(argv[optind], &end, 10) : 0;
    enum custody_state to = optind + 2 == argc ? custody_state_parse(argv[optind + 1]) : 0;
    if (id <= 0 || !end || *end ||
        (to != CUSTODY_SUBMITTED && to != CUSTODY_DESTROYED && to != CUSTODY_RETURNED &&
         to != CUSTODY_FAILED)) {
        cli_error(_("say the entry and what became of the file: mark ID "
                    "submitted|destroyed|returned"));
        return cli_usage_hint("export");
    }
    struct session *s;
    rc = login(ctx, &s);
    if (rc != CLI_OK)
        return rc;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = custody_mark(s, (int64_t)id, to, note, &diag);
    struct custody_entry e;
    if (err == MNV_OK && (err = custody_get(s, (int64_t)id, &e, &diag)) == MNV_OK)
        print_entry(&e, 1);
    session_logout(s);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}
