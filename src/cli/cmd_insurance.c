/*
 * cmd_insurance.c: `mnvault insurance facts|show|set|import`: the facts the social and
 * employment insurance filings need, per employee and dependant (insurance.h,
 * doc/insurance.md).
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/insurance.h"
#include "mnvault/people.h"
#include "mnvault/session.h"
#include "mnvault/wareki.h"

static void insurance_help(void)
{
    printf(
        _("Usage: mnvault insurance facts\n"
          "       mnvault insurance show CODE\n"
          "       mnvault insurance set CODE [--dependent NAME [--born DATE]] KEY=VALUE...\n"
          "       mnvault insurance import [--dry-run] FILE.csv\n"
          "       mnvault insurance due [--employee CODE] [--all]\n"

          "The facts the health and pension insurance (健康保険・厚生年金保険), employment\n"
          "insurance (雇用保険) and dependants' (被扶養者) filings need.\n\n"
          "  facts    list every fact: its key, its Japanese column name and the values\n"
          "           it takes\n"
          "  show     an employee's facts and each dependant's\n"
          "  set      change facts of an employee, or of a dependant picked by name (and\n"
          "           birth date when two share a name); VALUE \"\" clears a fact\n"
          "  import   set facts from a CSV file (UTF-8 or Shift_JIS): employee_code, then\n"
          "           dependent_name and dependent_birth_date for a dependant's row, then\n"
          "           fact columns; an empty cell keeps the fact, \"-\" clears it; if any\n"
          "           row has an error nothing is stored\n"
          "  due      the filings the events call for (資格取得届, 資格喪失届, 被扶養者（異動）\n"
          "           届 …), by legal deadline, not yet written (--all: written ones too)\n"
          "\n"
          "doc/insurance.md describes each fact; clerks and supervisors.\n"
          "Exit status: 0 done, 1 refused or not found, 2 usage or input/output error.\n"));
}

static void print_fact_list(void)
{
    const struct insurance_fact *f;
    const char *group = "";
    for (size_t i = 0; (f = insurance_fact_at(i)) != NULL; i++) {
        if (strncmp(f->key, group, strlen(group)) != 0 || !group[0]) {
            group = f->key[0] == 's' ? "shaho" : f->key[0] == 'k' ? "koyo" : "fuyo";
            printf("%s%s\n", i ? "\n" : "", _(insurance_group_label(group)));
        }
        printf("  %-26s %s\n", f->key, f->ja);
        for (const struct insurance_choice *c = f->choices; c && c->word; c++)
            printf("      %-16s %s\n", c->word, _(c->label));
    }
}

/* The value of fact f as a person reads it: a choice's label, a date with its era. */
static const char *shown(const struct insurance_fact *f, const char *v, char *buf, size_t size)
{
    char era[40];
    if (f->kind == INS_CHOICE)
        snprintf(buf, size, "%s", _(insurance_choice_label(f, v)));
    else if (f->kind == INS_FLAG)
        snprintf(buf, size, "%s", _("yes"));
    else if (f->kind == INS_AMOUNT) {
        long long n = atoll(v);
        char digits[32];
        int len = snprintf(digits, sizeof(digits), "%lld", n), o = 0;
        for (int i = 0; i < len && o + 2 < (int)size; i++) {
            if (i && (len - i) % 3 == 0)
                buf[o++] = ',';
            buf[o++] = digits[i];
        }
        buf[o] = '\0';
    } else if (f->kind == INS_DATE && i18n_is_japanese() && wareki_format(era, sizeof(era), v, 0))
        snprintf(buf, size, "%s (%s)", v, era);
    else
        snprintf(buf, size, "%s", v);
    return buf;
}

/* Print text padded with spaces to cells terminal cells (East Asian characters take two). */
static void print_padded(const char *text, int cells)
{
    wchar_t w[256];
    size_t n = mbstowcs(w, text, 255);
    int used = n == (size_t)-1 ? (int)strlen(text) : wcswidth(w, n);
    printf("%s%*s", text, used < cells ? cells - used : 1, "");
}

static void print_facts(const struct insurance_facts *f)
{
    char buf[400];
    const struct insurance_fact *d;
    long shown_n = 0;
    size_t group = 0;
    for (size_t i = 0; (d = insurance_fact_at(i)) != NULL; i++) {
        const char *v = insurance_value(f, d->key);
        if (!v[0])
            continue;
        size_t plen = strcspn(d->key, ".");
        if (!group || strncmp(insurance_fact_at(group - 1)->key, d->key, plen) != 0)
            printf("    %s\n", _(insurance_group_label(d->key)));
        group = i + 1;
        printf("      ");
        print_padded(_(d->label), 46);
        printf("%s\n", shown(d, v, buf, sizeof(buf)));
        shown_n++;
    }
    if (!shown_n)
        printf("    %s\n", _("(no facts recorded)"));
}

/* The employee with code, from the list; NULL when none (an error printed). */
static const struct person_row *find_code(const struct person_list *l, const char *code)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->rows[i].code, code) == 0)
            return &l->rows[i];
    cli_error(_("no employee has the code '%s'"), code);
    return NULL;
}

static int show(struct session *s, const char *code)
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
        return CLI_BAD;
    }
    struct person_ref ref = {PERSON_EMPLOYEE, row->id};
    printf("%s  %s\n", row->code, row->name);
    person_list_free(&l);
    struct insurance_facts f;
    struct dependent *deps = NULL;
    size_t n = 0;
    err = insurance_get(s, &ref, &f, &diag);
    if (err == MNV_OK) {
        print_facts(&f);
        insurance_facts_free(&f);
        err = people_dependents_of(s, ref.id, &deps, &n, &diag);
    }
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        struct person_ref dref = {PERSON_DEPENDENT, deps[i].id};
        printf("  %s (%s)\n", deps[i].name, deps[i].birth_date);
        if ((err = insurance_get(s, &dref, &f, &diag)) == MNV_OK) {
            print_facts(&f);
            insurance_facts_free(&f);
        }
    }
    free(deps);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

/* The person named on the command line: the employee with code, or one dependant. */
static int cli_insurance_person(struct session *s, const char *code, const char *dep_name,
                                const char *born, struct person_ref *ref)
{
    struct person_list l;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = people_list(s, &l, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    const struct person_row *row = find_code(&l, code);
    ref->kind = PERSON_EMPLOYEE;
    ref->id = row ? row->id : 0;
    person_list_free(&l);
    if (!row)
        return CLI_BAD;
    if (!dep_name)
        return CLI_OK;
    char iso[11] = "";
    if (born && wareki_to_iso(born, iso) != 0) {
        cli_error(_("--born takes a date such as 2015-04-01"));
        return CLI_USAGE;
    }
    struct dependent *deps = NULL;
    size_t n = 0, found = 0;
    err = people_dependents_of(s, ref->id, &deps, &n, &diag);
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        if (strcmp(deps[i].name, dep_name) == 0 && (!iso[0] || !strcmp(deps[i].birth_date, iso))) {
            found++;
            ref->kind = PERSON_DEPENDENT;
            ref->id = deps[i].id;
        }
    free(deps);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (found != 1) {
        cli_error("%s", found ? _("two dependants have this name: give --born DATE as well")
                              : _("this employee has no dependant of this name and birth date"));
        return CLI_BAD;
    }
    return CLI_OK;
}

static int set(struct session *s, const char *code, const char *dep, const char *born, int argc,
               char **argv)
{
    struct person_ref ref;
    int rc = cli_insurance_person(s, code, dep, born, &ref);
    if (rc != CLI_OK)
        return rc;
    struct insurance_change ch[INSURANCE_FACTS_MAX];
    char keys[INSURANCE_FACTS_MAX][64];
    if (argc > INSURANCE_FACTS_MAX) {
        cli_error(_("too many facts at once"));
        return CLI_USAGE;
    }
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        if (!eq || eq - argv[i] >= 64) {
            cli_error(_("write each fact as KEY=VALUE ('%s')"), argv[i]);
            return CLI_USAGE;
        }
        snprintf(keys[i], sizeof(keys[i]), "%.*s", (int)(eq - argv[i]), argv[i]);
        ch[i].key = keys[i];
        ch[i].value = eq + 1;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    size_t changed = 0;
    enum mnv_err err = insurance_set(s, &ref, ch, (size_t)argc, &changed, &diag);
    if (err != MNV_OK) {
        const struct insurance_fact *f = diag.item[0] ? insurance_fact_find(diag.item) : NULL;
        if (f)
            cli_error(_("%s: %s; nothing was changed"), _(f->label), _(mnv_err_str(err)));
        else if (diag.item[0] && err == MNV_ERR_INSURANCE_KEY)
            cli_error(_("%s: '%s'; nothing was changed"), _(mnv_err_str(err)), diag.item);
        else
            return cli_fail(err, &diag);
        return err == MNV_ERR_DENIED ? CLI_BAD : cli_exit_for(err);
    }
    printf(ngettext("%zu fact changed.\n", "%zu facts changed.\n", changed), changed);
    return CLI_OK;
}

static void problem_at(const void *problems, size_t i)
{
    const struct insurance_problem *p = &((const struct insurance_problem *)problems)[i];
    if (p->column)
        fprintf(stderr, _("line %ld, column %d (%s): %s\n"), p->line, p->column, p->name,
                _(mnv_err_str(p->err)));
    else
        fprintf(stderr, _("line %ld: %s\n"), p->line, _(mnv_err_str(p->err)));
}

static int import_report(const struct insurance_report *r, enum mnv_err err, int dry_run,
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
    printf(_("  employees:   %ld\n  dependants:  %ld\n  facts changed: %ld\n"), r->employees,
           r->dependants, r->changed);
    return CLI_OK;
}

/* The checklist: every filing due (--all: filed ones too), its deadline and its basis. */
static int due(struct session *s, const char *emp, int all)
{
    struct person_ref ref = {PERSON_EMPLOYEE, 0};
    if (emp && cli_insurance_person(s, emp, NULL, NULL, &ref) != CLI_OK)
        return CLI_BAD;
    int64_t id = ref.id;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = MNV_OK;
    struct insurance_due *items = NULL;
    size_t n = 0;
    if (err == MNV_OK)
        err = insurance_due_list(s, id, all, &items, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (n == 0)
        printf("%s\n", _("No insurance filing is due."));
    for (size_t i = 0; i < n; i++) {
        const struct insurance_due *d = &items[i];
        const char *state = d->filed ? _("filed") : d->overdue ? _("OVERDUE") : _("due");
        printf("%s  %-8s %-14s %-8s %s%s%s  %s %s\n", d->deadline, state, d->filing->form, d->code,
               d->name, d->dependant[0] ? " / " : "", d->dependant, _("event"), d->event_on);
        printf("            %s; %s\n", _(d->filing->title), _(d->filing->basis));
    }
    if (n)
        printf("%s\n", _("Write a filing with: mnvault export FORM --employee CODE --from DATE "
                         "--until DATE --out FILE"));
    free(items);
    return CLI_OK;
}

static int run(struct cli_ctx *ctx, const char *verb, int nargs, char **args, const char *dep,
               const char *born, const char *note, const char *emp, int flag)
{
    int rc = cli_load_config(ctx);
    if (rc != CLI_OK)
        return rc;
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (strcmp(verb, "import") == 0) {
        struct insurance_report r;
        struct mnv_diag diag;
        mnv_diag_clear(&diag);
        enum mnv_err err = insurance_import_csv(s, args[0], flag, &r, &diag);
        session_logout(s);
        rc = err == MNV_ERR_DENIED ? cli_fail(err, &diag) : import_report(&r, err, flag, &diag);
        insurance_report_free(&r);
        return rc;
    }
    if (strcmp(verb, "due") == 0)
        rc = due(s, emp, flag);
    else if (strcmp(verb, "show") == 0)
        rc = show(s, args[0]);
    else
        rc = set(s, args[0], dep, born, nargs - 1, args + 1);
    (void)note;
    (void)emp;
    session_logout(s);
    return rc;
}

int cmd_insurance(struct cli_ctx *ctx, int argc, char **argv)
{
    const char *dep = NULL, *born = NULL, *note = NULL, *emp = NULL;
    int dry = 0, all = 0;
    const struct cli_opt opts[] = {
        {"dependent", &dep, NULL}, {"born", &born, NULL}, {"dry-run", NULL, &dry},
        {"all", NULL, &all},       {"note", &note, NULL}, {"employee", &emp, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, insurance_help);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : cli_usage_hint("insurance");
    int flag = dry || all;
    const char *verb = optind < argc ? argv[optind] : "";
    int nargs = argc - optind - 1;
    if (strcmp(verb, "facts") == 0 && nargs == 0) {
        print_fact_list();
        return CLI_OK;
    }
    int ok = (!strcmp(verb, "show") && nargs == 1) || (!strcmp(verb, "set") && nargs >= 2) ||
             (!strcmp(verb, "import") && nargs == 1) || (!strcmp(verb, "due") && nargs == 0);
    if (!ok) {
        cli_error(_("say facts, show CODE, set CODE KEY=VALUE…, import FILE.csv or due"));
        return cli_usage_hint("insurance");
    }
    return run(ctx, verb, nargs, argv + optind + 1, dep, born, note, emp, flag);
}
