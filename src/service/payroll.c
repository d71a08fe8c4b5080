/*
 * payroll.c: reading stored year-end figures (payroll.h). The import is payroll_import.c.
 *
 * The stored text is "key=value" lines: the first is "v=1", then the figures (form items
 * and x.* facts), then one "dep=<dependent id>,<deduction>,<disability>,<nonresident>" line
 * per dependant in file order.
 */
#include "mnvault/payroll.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"

static const struct {
    const char *name, *label;
} deductions[] = {
    [PAYROLL_DED_NONE] = {"none", N_("No deduction")},
    [PAYROLL_DED_SPOUSE] = {"spouse", N_("Spouse (deduction)")},
    [PAYROLL_DED_SPOUSE_AGED] = {"spouse_aged", N_("Spouse aged 70 or over")},
    [PAYROLL_DED_SPOUSE_SPECIAL] = {"spouse_special", N_("Spouse (special deduction)")},
    [PAYROLL_DED_GENERAL] = {"general", N_("Dependant (general)")},
    [PAYROLL_DED_SPECIFIC] = {"specific", N_("Dependant aged 19 to 22")},
    [PAYROLL_DED_AGED] = {"aged", N_("Dependant aged 70 or over")},
    [PAYROLL_DED_AGED_COHABITING] = {"aged_cohabiting",
                                     N_("Parent aged 70 or over, living together")},
    [PAYROLL_DED_UNDER16] = {"under16", N_("Dependant under 16")},
    [PAYROLL_DED_TOKUTEI] = {"tokutei", N_("Specified relative (19 to 22)")},
};

static const char *const disabilities[] = {"none", "general", "special", "special_cohabiting"};

const char *payroll_deduction_name(enum payroll_deduction d)
{
    return (unsigned)d < MNV_ARRAY_LEN(deductions) ? deductions[d].name : "";
}

const char *payroll_deduction_label(enum payroll_deduction d)
{
    return (unsigned)d < MNV_ARRAY_LEN(deductions) ? deductions[d].label : "";
}

static int deduction_of(const char *t)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(deductions); i++)
        if (strcmp(t, deductions[i].name) == 0)
            return (int)i;
    return -1;
}

static int disability_of(const char *t)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(disabilities); i++)
        if (strcmp(t, disabilities[i]) == 0)
            return (int)i;
    return -1;
}

/* "17,specific,none,0" into d; -1 when it is not one. */
static int parse_dep(char *v, struct payroll_dependent *d)
{
    char *parts[4];
    size_t n = 0;
    for (char *p = v; n < 4; n++) {
        parts[n] = p;
        char *comma = strchr(p, ',');
        if (!comma) {
            n++;
            break;
        }
        *comma = '\0';
        p = comma + 1;
    }
    if (n != 4)
        return -1;
    char *end;
    long long id = strtoll(parts[0], &end, 10);
    int ded = deduction_of(parts[1]), dis = disability_of(parts[2]);
    if (*end || id <= 0 || ded < 0 || dis < 0 || (strcmp(parts[3], "0") && strcmp(parts[3], "1")))
        return -1;
    d->dependent_id = id;
    d->deduction = (enum payroll_deduction)ded;
    d->disability = (enum payroll_disability)dis;
    d->nonresident = parts[3][0] == '1';
    return 0;
}

enum mnv_err payroll_parse(char *text, size_t len, struct payroll_figures *f)
{
    f->text = text;
    f->len = len;
    f->nkeys = f->ndeps = 0;
    int first = 1;
    for (char *line = text; line < text + len && *line;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        char *eq = strchr(line, '=');
        if (!eq)
            return MNV_ERR_SEAL_BROKEN;
        *eq = '\0';
        const char *key = line, *val = eq + 1;
        if (first) {
            if (strcmp(key, "v") != 0 || strcmp(val, "1") != 0)
                return MNV_ERR_SEAL_BROKEN;
            first = 0;
        } else if (strcmp(key, "dep") == 0) {
            if (f->ndeps == PAYROLL_DEPS_MAX || parse_dep(eq + 1, &f->deps[f->ndeps]) < 0)
                return MNV_ERR_SEAL_BROKEN;
            f->ndeps++;
        } else {
            if (f->nkeys == PAYROLL_KEYS_MAX)
                return MNV_ERR_SEAL_BROKEN;
            f->keys[f->nkeys] = key;
            f->vals[f->nkeys++] = val;
        }
        if (!nl)
            break;
        line = nl + 1;
    }
    return first ? MNV_ERR_SEAL_BROKEN : MNV_OK;
}

const char *payroll_value(const struct payroll_figures *f, const char *key)
{
    for (size_t i = 0; i < f->nkeys; i++)
        if (strcmp(f->keys[i], key) == 0)
            return f->vals[i];
    return "";
}

void payroll_figures_free(struct payroll_figures *f)
{
    if (!f)
        return;
    secmem_free(f->text);
    f->text = NULL;
    f->len = 0;
    f->nkeys = f->ndeps = 0;
}

enum mnv_err payroll_get(struct session *s, int64_t employee_id, int year,
                         struct payroll_figures *f, struct mnv_diag *diag)
{
    memset(f, 0, sizeof(*f));
    char subject[48];
    snprintf(subject, sizeof(subject), "employee:%lld", (long long)employee_id);
    enum mnv_err err = access_check(s, ACT_PAYROLL_VIEW, subject, diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    err = vault_begin_read(v, diag);
    if (err != MNV_OK)
        return err;
    char *text = NULL;
    size_t len = 0;
    err = payrolldb_get(v, employee_id, year, &text, &len, &f->info, diag);
    vault_rollback(v);
    if (err != MNV_OK)
        return err;
    f->employee_id = employee_id;
    f->year = year;
    err = payroll_parse(text, len, f);
    if (err != MNV_OK)
        payroll_figures_free(f);
    return err;
}

enum mnv_err payroll_years(struct session *s, int64_t employee_id, struct payroll_row_info *out,
                           size_t max, size_t *count, struct mnv_diag *diag)
{
    *count = 0;
    enum mnv_err err = access_check(s, ACT_PAYROLL_VIEW, "", diag);
    if (err != MNV_OK)
        return err;
    return payrolldb_years(session_vault(s), employee_id, out, max, count, diag);
}
