/*
 * import_said.c: what every import (people, payroll figures, insurance facts) says alike
 * (cli layer). Apart from common.c so that the scan's own program (front.c) links none of the
 * vault's code: this one reaches cli_exit_for() and, through it, the session.
 */
#include "cli.h"

#include <stdio.h>

#include "mnvault/i18n.h"
#include "mnvault/textsafe.h"

int cli_import_said(const struct cli_import_outcome *o, enum mnv_err err, int dry_run,
                    const struct mnv_diag *diag)
{
    char text[1200], item[sizeof(diag->item) * 2];
    if (err == MNV_ERR_IMPORT_REFUSED) {
        for (size_t i = 0; i < o->nproblems; i++)
            o->print_problem(o->problems, i);
        if (o->problems_total > (long)o->nproblems)
            fprintf(stderr, _("… and %ld more problems\n"), o->problems_total - (long)o->nproblems);
        cli_error(ngettext("%ld problem in %ld rows; nothing was imported.",
                           "%ld problems in %ld rows; nothing was imported.",
                           (unsigned long)o->problems_total),
                  o->problems_total, o->rows);
        return CLI_BAD;
    }
    if (err != MNV_OK) {
        textsafe_escape(item, sizeof(item), diag->item); /* a header name from the file */
        if (err == MNV_ERR_CSV_HEADER || err == MNV_ERR_CSV_COLUMN_TWICE ||
            err == MNV_ERR_CSV_COLUMN_MISSING || err == MNV_ERR_INSURANCE_COLUMN) {
            cli_error(_("%s: '%s'; nothing was imported"), _(mnv_err_str(err)), item);
            return CLI_BAD;
        }
        if (err == MNV_ERR_IDRULES_FILE && diag->item[0])
            cli_error(_("%s (%s); nothing was imported"),
                      cli_describe(text, sizeof(text), err, diag), item);
        else
            cli_error(_("%s; nothing was imported"), cli_describe(text, sizeof(text), err, diag));
        return err == MNV_ERR_NOT_FOUND ? CLI_USAGE : cli_exit_for(err);
    }
    if (!dry_run)
        return -1;
    printf(ngettext("%ld row checked (%s): every row is good. Nothing was stored (--dry-run).\n",
                    "%ld rows checked (%s): every row is good. Nothing was stored (--dry-run).\n",
                    (unsigned long)o->rows),
           o->rows, o->encoding);
    return CLI_OK;
}
