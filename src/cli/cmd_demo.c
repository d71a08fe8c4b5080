/*
 * cmd_demo.c: `mnvault demo` creates a demo vault: a fictitious organisation, one user per
 * role (admin, supervisor, clerk, auditor) with the password given on --password-fd or
 * generated and printed, and synthetic employees (demo.h) with dependents, most with
 * numbers stored and purposes notified, some still missing one, a few refused.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/accounts.h"
#include "mnvault/collect.h"
#include "mnvault/demo.h"
#include "mnvault/i18n.h"
#include "mnvault/keyroles.h"
#include "mnvault/people.h"
#include "mnvault/secmem.h"
#include "mnvault/payroll.h"
#include "mnvault/session.h"
#include "mnvault/setup.h"

#define DEMO_PAYROLL_YEAR 2025

struct demo_args {
    long employees;
    unsigned long long seed;
};

static void demo_help(void)
{
    printf(_("Usage: mnvault demo --data-dir DIR [--employees N] [--seed S] [--password-fd N]\n"
             "Create a demo vault in DIR (which must not hold a vault) with a fictitious\n"
             "organisation, synthetic employees and one user per role: admin, supervisor,\n"
             "clerk and auditor.\n\n"
             "  --employees N   how many employees (default 200)\n"
             "  --seed S        the seed of the synthetic data (default 1)\n"
             "  --password-fd N one line read from file descriptor N is every user's\n"
             "                  password; without it, passwords are generated and printed\n\n"
             "The names are made up (見本, 試験, 架空 …) and the addresses name no real place.\n"
             "The My Numbers are valid numbers (right check digit) and may belong to real\n"
             "people: the vault treats them as real ones (encrypted, masked, audited).\n"));
}

/* A password the policy accepts: groups of random base32 letters. */
static void generate_password(char *buf)
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789";
    size_t o = 0;
    for (int g = 0; g < 5; g++) {
        if (g)
            buf[o++] = '-';
        for (int i = 0; i < 4; i++)
            buf[o++] = alphabet[randombytes_uniform(sizeof(alphabet) - 1)];
    }
    buf[o] = '\0';
}

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct demo_args *a)
{
    const char *employees = NULL, *seed = NULL;
    a->employees = 200;
    a->seed = 1;
    const struct cli_opt opts[] = {
        {"employees", &employees, NULL},
        {"seed", &seed, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, demo_help);
    if (rc != CLI_OK)
        return rc < 0 ? rc : cli_usage_hint("demo");
    char *end;
    errno = 0;
    if (employees)
        a->employees = strtol(employees, &end, 10);
    if (employees && (errno || *end || a->employees < 0 || a->employees > 1000000)) {
        cli_error(_("--employees needs a number from 0 to 1000000"));
        return cli_usage_hint("demo");
    }
    errno = 0;
    if (seed)
        a->seed = strtoull(seed, &end, 10);
    if (seed && (errno || *end)) {
        cli_error(_("--seed needs a number"));
        return cli_usage_hint("demo");
    }
    if (optind < argc) {
        cli_error(_("unexpected argument '%s'"), argv[optind]);
        return cli_usage_hint("demo");
    }
    return CLI_OK;
}

static int login(const char *dir, const char *user, const char *pw, const struct session_options *o,
                 struct session **s)
{
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), o, s, NULL, &diag);
    if (err == MNV_OK || err == MNV_ERR_MUST_CHANGE)
        return err == MNV_OK ? 0 : 1;
    cli_fail(err, &diag);
    return -1;
}

/* Add user with a one-time password as admin, then sign in as them and set pw. */
static int add_user(const char *dir, struct session *admin, const char *name, enum mnv_role role,
                    const char *pw, const struct session_options *o)
{
    struct account_spec spec;
    accounts_spec_init(&spec, name, role);
    char *otp = secmem_alloc(ACCOUNTS_OTP_SIZE);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = otp ? accounts_add(admin, &spec, NULL, 0, otp, &diag) : MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        secmem_free(otp);
        return cli_fail(err, &diag);
    }
    struct session *s = NULL;
    int r = login(dir, name, otp, o, &s);
    if (r == 1)
        err = session_change_password(s, NULL, 0, pw, strlen(pw), NULL, &diag);
    session_logout(s);
    secmem_free(otp);
    if (r < 0)
        return CLI_BAD;
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

/* A clerk made by an administrator reads numbers only once a supervisor approved it. */
static int approve(const char *dir, const char *supervisor, const char *name, const char *pw,
                   const struct session_options *o)
{
    struct session *s = NULL;
    if (login(dir, supervisor, pw, o, &s) != 0) {
        session_logout(s);
        return CLI_BAD;
    }
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    /* The demo plays both people: it reads the code the clerk would be shown. */
    char code[KEYRING_CODE_SIZE];
    enum mnv_err err = keyroles_code(s, name, code);
    if (err == MNV_OK)
        err = keyroles_approve(s, name, code, &diag);
    session_logout(s);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

static void fill_employee(const struct demo_person *p, struct employee *e)
{
    memset(e, 0, sizeof(*e));
    snprintf(e->code, sizeof(e->code), "%.20s", p->code);
    snprintf(e->name, sizeof(e->name), "%s", p->name);
    snprintf(e->kana, sizeof(e->kana), "%s", p->reading);
    snprintf(e->birth_date, sizeof(e->birth_date), "%s", p->birth_date);
    e->sex = p->sex == 'F' ? SEX_FEMALE : SEX_MALE;
    snprintf(e->postal_code, sizeof(e->postal_code), "%s", p->postal_code);
    snprintf(e->address, sizeof(e->address), "%s", p->address);
    snprintf(e->hire_date, sizeof(e->hire_date), "%s", p->hire_date);
    snprintf(e->retire_date, sizeof(e->retire_date), "%s", p->retire_date);
    snprintf(e->emp_ins_no, sizeof(e->emp_ins_no), "%.13s", p->emp_insurance);
    snprintf(e->pension_no, sizeof(e->pension_no), "%s", p->pension);
}

/*
 * The collection of a number as a clerk records it: the person showed what the demo
 * generator says fits the day (a My Number card; a notification card with a driver's
 * licence; a certificate of residence with a passport), or, for a dependent, the employee
 * handed it in on the dependants' declaration. The purposes were stated that day. The
 * number, its purposes and the verification record are written by collect_write() inside
 * the bulk transaction.
 */
static void demo_docs(struct collect_request *req, int docs)
{
    static const char *const shown[][2] = {{"mynumber_card", "mynumber_card"},
                                           {"notification_card", "drivers_licence"},
                                           {"juminhyo_with_number", "passport"}};
    snprintf(req->route, sizeof(req->route), "self");
    req->ndocs = 2;
    snprintf(req->docs[0].doc, sizeof(req->docs[0].doc), "%s", shown[docs][0]);
    req->docs[0].check = ID_CHECK_NUMBER;
    snprintf(req->docs[1].doc, sizeof(req->docs[1].doc), "%s", shown[docs][1]);
    req->docs[1].check = ID_CHECK_IDENTITY;
}

static enum mnv_err collect_demo(struct session *s, const struct person_ref *ref,
                                 const struct mynumber *n, int docs,
                                 const struct purpose_notice *purposes, size_t np, const char *date,
                                 struct mnv_diag *diag)
{
    struct collect_request req;
    memset(&req, 0, sizeof(req));
    req.person = *ref;
    req.number = n;
    req.channel = ID_CHANNEL_IN_PERSON;
    snprintf(req.verified_by, sizeof(req.verified_by), "%s", "人事 見本");
    snprintf(req.verified_on, sizeof(req.verified_on), "%s", date);
    if (docs >= 0)
        demo_docs(&req, docs);
    else
        snprintf(req.route, sizeof(req.route), "employee_declared");
    for (size_t i = 0; i < np && i < NUMBER_PURPOSES_MAX; i++) {
        snprintf(req.purposes[i].code, sizeof(req.purposes[i].code), "%s", purposes[i].code);
        snprintf(req.purposes[i].date, sizeof(req.purposes[i].date), "%s", purposes[i].date);
        req.npurposes++;
    }
    struct collect_result res;
    return collect_write(s, &req, 1, &res, diag);
}

/* Someone who declined to give a number, and the day (the later of hiring and 2016-01-04). */
struct refusal {
    long id;
    char date[11];
};

static enum mnv_err add_person(struct session *s, const struct demo_person *p, struct mynumber *n,
                               struct refusal *refused, int *nrefused, struct mnv_diag *diag)
{
    struct employee e;
    fill_employee(p, &e);
    const char *date = p->has_number ? p->collected_on : p->hire_date;
    struct purpose_notice emp_purposes[] = {
        {"tax_withholding", date}, {"social_insurance", date}, {"employment_insurance", date}};
    enum mnv_err err = MNV_OK;
    if (p->has_number)
        err = mynumber_parse(n, MYNUMBER_INDIVIDUAL, p->number, 12, diag);
    /* A verified number goes in with its verification record; the few numbers on file
     * without one (collected before records were kept) go in bare. */
    int with_record = p->has_number && p->verified;
    if (err == MNV_OK)
        err =
            people_bulk_add(s, &e, p->has_number && !with_record ? n : NULL, emp_purposes, 3, diag);
    if (err == MNV_OK && with_record) {
        struct person_ref ref = {PERSON_EMPLOYEE, e.id};
        err = collect_demo(s, &ref, n, p->docs, emp_purposes, 3, date, diag);
    }
    mynumber_clear(n);
    if (err != MNV_OK)
        return err;
    if (!p->has_number && p->number_era && *nrefused < 64 && e.id % 7 == 0) {
        struct refusal *r = &refused[(*nrefused)++]; /* a few decline, as happens */
        r->id = (long)e.id;
        snprintf(r->date, sizeof(r->date), "%s",
                 strcmp(p->hire_date, "2016-01-04") > 0 ? p->hire_date : "2016-01-04");
    }
    for (int i = 0; i < p->ndependents && err == MNV_OK; i++) {
        const struct demo_dependent *dd = &p->dependents[i];
        struct dependent d;
        memset(&d, 0, sizeof(d));
        d.employee_id = e.id;
        snprintf(d.name, sizeof(d.name), "%s", dd->name);
        snprintf(d.kana, sizeof(d.kana), "%s", dd->reading);
        snprintf(d.birth_date, sizeof(d.birth_date), "%s", dd->birth_date);
        d.sex = dd->sex == 'F' ? SEX_FEMALE : SEX_MALE;
        d.relation = person_relation_parse(dd->relation);
        /* Dependants come from the employee's declaration, for the tax purposes it allows. */
        const char *ddate = dd->has_number ? dd->collected_on : date;
        struct purpose_notice dep_purposes[] = {{"tax_declarations", ddate},
                                                {"tax_withholding", ddate}};
        err = people_bulk_add_dependent(s, &d, NULL, dep_purposes, 2, diag);
        if (err == MNV_OK && dd->has_number && p->verified) {
            err = mynumber_parse(n, MYNUMBER_INDIVIDUAL, dd->number, 12, diag);
            struct person_ref ref = {PERSON_DEPENDENT, d.id};
            if (err == MNV_OK)
                err = collect_demo(s, &ref, n, -1, dep_purposes, 2, ddate, diag);
            mynumber_clear(n);
        }
    }
    return err;
}

/* The year-end figures of 2025 for everyone employed that year, as payroll software
 * would hand them over (payroll_demo_csv), so that the slips can be exported; in files of
 * a tenth of the rows an import takes, as a payroll system would hand over a large
 * workforce. */
static enum mnv_err demo_payroll(struct session *s, const struct demo_args *a,
                                 struct mnv_diag *diag)
{
    const long chunk = PAYROLL_ROWS_MAX / 10;
    enum mnv_err err = MNV_OK;
    for (long from = 0; from < a->employees && err == MNV_OK; from += chunk) {
        long count = a->employees - from < chunk ? a->employees - from : chunk;
        char *text;
        size_t len;
        err = payroll_demo_csv(a->seed, from, count, DEMO_PAYROLL_YEAR, &text, &len);
        if (err != MNV_OK)
            return err;
        const char *first = memchr(text, '\n', len);
        if (first && first + 1 != text + len) { /* else a header only: nobody employed */
            struct payroll_report rep;
            err = payroll_import_text(s, text, len, DEMO_PAYROLL_YEAR, 0, &rep, diag);
            payroll_report_free(&rep);
        }
        free(text);
    }
    return err;
}

static int fill_people(const char *dir, const char *pw, const struct session_options *o,
                       const struct demo_args *a)
{
    struct session *s = NULL;
    if (login(dir, "supervisor", pw, o, &s) != 0)
        return CLI_BAD;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    struct demo_person *p = secmem_alloc(sizeof(*p));
    struct mynumber *n = secmem_alloc(sizeof(*n));
    struct refusal refused[64];
    int nrefused = 0;
    enum mnv_err err = p && n ? people_bulk_begin(s, &diag) : MNV_ERR_NOMEM;
    for (long i = 0; err == MNV_OK && i < a->employees; i++) {
        demo_person_make(a->seed, i, p);
        err = add_person(s, p, n, refused, &nrefused, &diag);
        if (i > 0 && i % 20000 == 0)
            fprintf(stderr, _("  %ld employees…\n"), i);
    }
    if (err == MNV_OK)
        err = people_bulk_commit(s, &diag);
    else if (p && n)
        people_bulk_abort(s);
    /* What such a person says (or how it ended), in the words a clerk would write down. */
    static const char *const why[] = {
        "利用目的を説明したが、本人が提供を拒否",
        "提供の依頼に応じない旨の申出あり（再度依頼予定）",
        "本人の意思により提供なし（書面で依頼済み）",
    };
    for (int i = 0; err == MNV_OK && i < nrefused; i++) {
        struct person_ref ref = {PERSON_EMPLOYEE, refused[i].id};
        err = people_number_refused(s, &ref, refused[i].date, why[i % 3], &diag);
    }
    if (err == MNV_OK)
        err = demo_payroll(s, a, &diag);
    if (p)
        secmem_free(p);
    if (n)
        secmem_free(n);
    session_logout(s);
    return err == MNV_OK ? CLI_OK : cli_fail(err, &diag);
}

int cmd_demo(struct cli_ctx *ctx, int argc, char **argv)
{
    struct demo_args a;
    int rc = parse(ctx, argc, argv, &a);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    char dir[PATH_MAX];
    if ((rc = cli_data_dir(ctx, dir, sizeof(dir))) != CLI_OK)
        return rc;
    char *pw = cli_secret_new();
    if (!pw)
        return cli_fail(MNV_ERR_NOMEM, NULL);
    int generated = ctx->password_fd < 0;
    if (generated) {
        generate_password(pw);
    } else if (cli_read_secret(ctx, "", 0, pw) < 0) {
        secmem_free(pw);
        return CLI_USAGE;
    }
    struct session_options o;
    session_options_from_config(&o, &ctx->cfg);
    if (o.vault.cache_mib < 64)
        o.vault.cache_mib = 64; /* a batch job: the whole database in the cache */
    struct setup_params sp = {"見本商事株式会社 (デモ)",
                              "東京都千代田区千代田1-1",
                              "7123456789012",
                              "admin",
                              pw,
                              strlen(pw),
                              "supervisor",
                              pw,
                              strlen(pw)};
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = setup_create_demo_vault(dir, &sp, &o, &diag);
    if (err != MNV_OK) {
        secmem_free(pw);
        return cli_fail(err, &diag);
    }
    struct session *admin = NULL;
    rc = login(dir, "admin", pw, &o, &admin) == 0 ? CLI_OK : CLI_BAD;
    if (rc == CLI_OK)
        rc = add_user(dir, admin, "clerk", ROLE_CLERK, pw, &o);
    if (rc == CLI_OK)
        rc = add_user(dir, admin, "auditor", ROLE_AUDITOR, pw, &o);
    session_logout(admin);
    if (rc == CLI_OK)
        rc = approve(dir, "supervisor", "clerk", pw, &o);
    if (rc == CLI_OK)
        rc = fill_people(dir, pw, &o, &a);
    if (rc == CLI_OK) {
        printf(_("Demo vault created in %s with %ld employees.\n"), dir, a.employees);
        printf(_("Users: admin, supervisor, clerk, auditor.\n"));
        if (generated)
            printf(_("Password of every user (write it down; it is not stored anywhere "
                     "else): %s\n"),
                   pw);
        else
            printf(_("Every user's password is the one given on --password-fd.\n"));
    }
    secmem_free(pw);
    return rc;
}
