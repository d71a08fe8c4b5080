/* Unit tests for collect.c and collectdb.c: storing a number with its verification and
 * purposes in one transaction, duplicates refused without saying whose, purposes added later,
 * re-collection keeping the history without the number, the route's limits, the list's
 * "verified" flag, and the audit entries. */
#include "collectfix.h"

#include "mnvault/audit.h"
#include "mnvault/auditor.h"
#include "mnvault/collect.h"
#include "mnvault/collectdb.h"
#include "mnvault/purpose.h"

static const char N1[] = "874263411501", N2[] = "291109043456", N3[] = "382642468278";

static int setup(void **state)
{
    (void)state;
    return cfx_make();
}

static int teardown(void **state)
{
    (void)state;
    return cfx_drop();
}

static struct mynumber num;

/* A request for the person with a My Number card shown in person, one purpose. */
static void request(struct collect_request *r, enum person_kind kind, int64_t id,
                    const char *digits)
{
    memset(r, 0, sizeof(*r));
    r->person = (struct person_ref){kind, id};
    assert_int_equal(mynumber_parse(&num, MYNUMBER_INDIVIDUAL, digits, 12, NULL), MNV_OK);
    r->number = &num;
    snprintf(r->route, sizeof(r->route), "self");
    r->channel = ID_CHANNEL_IN_PERSON;
    snprintf(r->verified_by, sizeof(r->verified_by), "人事 花子");
    snprintf(r->verified_on, sizeof(r->verified_on), "2026-04-01");
    r->ndocs = 1;
    snprintf(r->docs[0].doc, sizeof(r->docs[0].doc), "mynumber_card");
    r->docs[0].check = ID_CHECK_NUMBER;
    r->npurposes = 1;
    snprintf(r->purposes[0].code, sizeof(r->purposes[0].code), "tax_withholding");
    snprintf(r->purposes[0].date, sizeof(r->purposes[0].date), "2026-04-01");
}

static long count_audit(const char *action, const char *result)
{
    struct audit_entry e[64];
    size_t n = 0;
    assert_int_equal(auditor_recent(cfx.s, 64, e, &n, NULL), MNV_OK);
    long c = 0;
    for (size_t i = 0; i < n; i++)
        c += !strcmp(e[i].action, action) && !strcmp(e[i].result, result);
    return c;
}

static void test_collect__store_records_everything(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E1", "試験 太郎");
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, id, N1);
    r.npurposes = 2;
    snprintf(r.purposes[1].code, sizeof(r.purposes[1].code), "social_insurance");
    snprintf(r.purposes[1].date, sizeof(r.purposes[1].date), "2026-03-31");
    struct collect_result res;
    assert_int_equal(collect_store(cfx.s, &r, &res, NULL), MNV_OK);
    assert_int_equal(res.version, 1);
    assert_false(res.recollected);
    struct number_info info;
    assert_int_equal(people_number_info(cfx.s, &r.person, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_REGISTERED);
    assert_int_equal(info.n_purposes, 2);
    assert_string_equal(info.purposes[0].code, "social_insurance");
    assert_string_equal(info.purposes[0].notified_on, "2026-03-31");
    struct collect_rec rec;
    assert_int_equal(collect_current(cfx.s, &r.person, &rec, NULL), MNV_OK);
    assert_string_equal(rec.route, "self");
    assert_string_equal(rec.channel, "in_person");
    assert_string_equal(rec.verified_by, "人事 花子");
    assert_string_equal(rec.verified_on, "2026-04-01");
    assert_string_equal(rec.recorded_by, "supervisor");
    assert_int_equal(rec.ndocs, 1);
    assert_string_equal(rec.docs[0].doc, "mynumber_card");
    assert_string_equal(rec.docs[0].check, "number");
    assert_true(rec.current);
    assert_int_equal(count_audit("collect.store", "ok"), 1);
    struct person_list list;
    assert_int_equal(people_list(cfx.s, &list, NULL), MNV_OK);
    assert_int_equal(list.count, 1);
    assert_int_equal(list.rows[0].verified, 1);
    person_list_free(&list);
}

static void test_collect__refused_documents_store_nothing(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E1", "試験 太郎");
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, id, N1);
    snprintf(r.docs[0].doc, sizeof(r.docs[0].doc), "notification_card");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_ID_IDENTITY_MISSING);
    r.npurposes = 0;
    r.ndocs = 0;
    r.known_in_person = 1;
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_ID_NUMBER_MISSING);
    r.ndocs = 1;
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_PURPOSE_NEEDED);
    r.npurposes = 1;
    r.verified_by[0] = '\0';
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_VERIFIER_NEEDED);
    snprintf(r.verified_by, sizeof(r.verified_by), "人事");
    snprintf(r.verified_on, sizeof(r.verified_on), "2027-01-01");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_FIELD_FUTURE);
    struct number_info info;
    assert_int_equal(people_number_info(cfx.s, &r.person, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_MISSING);
    struct collect_rec rec;
    assert_int_equal(collect_current(cfx.s, &r.person, &rec, NULL), MNV_ERR_NOT_FOUND);
    /* The known-person exemption with a number document is enough. */
    snprintf(r.verified_on, sizeof(r.verified_on), "2026-04-01");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    assert_int_equal(collect_current(cfx.s, &r.person, &rec, NULL), MNV_OK);
    assert_int_equal(rec.known_in_person, 1);
}

static void test_collect__duplicate_refused_at_once(void **state)
{
    (void)state;
    int64_t a = cfx_employee("E1", "試験 太郎"), b = cfx_employee("E2", "試験 次郎");
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, a, N1);
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    struct person_ref rb = {PERSON_EMPLOYEE, b}, ra = {PERSON_EMPLOYEE, a};
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(collect_check_number(cfx.s, &rb, &num, NULL, &d), MNV_ERR_NUMBER_DUPLICATE);
    /* The refusal names no one. */
    assert_string_equal(d.item, "");
    assert_string_equal(d.detail, "");
    assert_int_equal(collect_check_number(cfx.s, &ra, &num, NULL, NULL), MNV_ERR_NUMBER_SAME);
    request(&r, PERSON_EMPLOYEE, b, N1);
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_NUMBER_DUPLICATE);
    assert_int_equal(count_audit("collect.store", "refused"), 2);
    struct number_info info;
    assert_int_equal(people_number_info(cfx.s, &rb, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_MISSING);
    assert_int_equal(mynumber_parse(&num, MYNUMBER_INDIVIDUAL, N2, 12, NULL), MNV_OK);
    assert_int_equal(collect_check_number(cfx.s, &rb, &num, NULL, NULL), MNV_OK);
}

static void test_collect__recollection_keeps_history(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E1", "試験 太郎");
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, id, N1);
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    /* The same number again is no re-collection. */
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_NUMBER_SAME);
    request(&r, PERSON_EMPLOYEE, id, N2);
    snprintf(r.route, sizeof(r.route), "agent");
    r.ndocs = 3;
    r.docs[0] = (struct collect_doc){"power_of_attorney", ID_CHECK_AUTHORITY, ""};
    r.docs[1] = (struct collect_doc){"drivers_licence", ID_CHECK_AGENT_IDENTITY, "12AB"};
    r.docs[2] = (struct collect_doc){"juminhyo_with_number", ID_CHECK_NUMBER, ""};
    struct collect_result res;
    assert_int_equal(collect_store(cfx.s, &r, &res, NULL), MNV_OK);
    assert_int_equal(res.version, 2);
    assert_true(res.recollected);
    struct collect_rec *h;
    size_t n;
    assert_int_equal(collect_history(cfx.s, &r.person, &h, &n, NULL), MNV_OK);
    assert_int_equal(n, 2);
    assert_true(h[0].current);
    assert_string_equal(h[0].route, "agent");
    assert_int_equal(h[0].number_version, 2);
    assert_string_equal(h[0].docs[1].ref, "12AB");
    assert_false(h[1].current);
    assert_int_equal(h[1].number_version, 1);
    assert_string_equal(h[1].docs[0].doc, "mynumber_card");
    free(h);
    /* The old number is gone: it is free for someone else, and the purposes stay. */
    int64_t other = cfx_employee("E2", "試験 次郎");
    struct person_ref ro = {PERSON_EMPLOYEE, other};
    assert_int_equal(mynumber_parse(&num, MYNUMBER_INDIVIDUAL, N1, 12, NULL), MNV_OK);
    assert_int_equal(collect_check_number(cfx.s, &ro, &num, NULL, NULL), MNV_OK);
    struct number_info info;
    assert_int_equal(people_number_info(cfx.s, &r.person, &info, NULL), MNV_OK);
    assert_int_equal(info.n_purposes, 1);
    assert_int_equal(count_audit("collect.store", "ok"), 2);
}

static void test_collect__purposes_later(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E1", "試験 太郎");
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, id, N1);
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    assert_int_equal(
        collect_notify_purpose(cfx.s, &r.person, "employment_insurance", "2026-06-01", NULL),
        MNV_OK);
    assert_int_equal(
        collect_notify_purpose(cfx.s, &r.person, "employment_insurance", "2026-06-02", NULL),
        MNV_ERR_PURPOSE_NOTIFIED);
    assert_int_equal(
        collect_notify_purpose(cfx.s, &r.person, "social_insurance", "2099-01-01", NULL),
        MNV_ERR_FIELD_FUTURE);
    assert_int_equal(collect_notify_purpose(cfx.s, &r.person, "no_such", "2026-06-01", NULL),
                     MNV_ERR_PURPOSE_UNKNOWN);
    struct number_info info;
    assert_int_equal(people_number_info(cfx.s, &r.person, &info, NULL), MNV_OK);
    assert_int_equal(info.n_purposes, 2);
    assert_string_equal(info.purposes[1].code, "employment_insurance");
    assert_string_equal(info.purposes[1].notified_on, "2026-06-01");
    assert_int_equal(count_audit("purpose.notify", "ok"), 1);
}

static void test_collect__dependents_routes(void **state)
{
    (void)state;
    int64_t emp = cfx_employee("E1", "試験 太郎");
    int64_t child = cfx_dependent(emp, "試験 一子", REL_CHILD);
    int64_t spouse = cfx_dependent(emp, "試験 花子", REL_SPOUSE);
    struct collect_request r;
    request(&r, PERSON_DEPENDENT, child, N2);
    snprintf(r.route, sizeof(r.route), "employee_declared");
    r.ndocs = 0;
    snprintf(r.purposes[0].code, sizeof(r.purposes[0].code), "tax_declarations");
    /* The employee's own number must be verified first. */
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_ID_DECLARANT);
    struct collect_request re;
    request(&re, PERSON_EMPLOYEE, emp, N1);
    assert_int_equal(collect_store(cfx.s, &re, NULL, NULL), MNV_OK);
    request(&r, PERSON_DEPENDENT, child, N2);
    snprintf(r.route, sizeof(r.route), "employee_declared");
    r.ndocs = 0;
    snprintf(r.purposes[0].code, sizeof(r.purposes[0].code), "social_insurance");
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(collect_store(cfx.s, &r, NULL, &d), MNV_ERR_ID_PURPOSE_ROUTE);
    assert_string_equal(d.item, "social_insurance");
    snprintf(r.purposes[0].code, sizeof(r.purposes[0].code), "tax_declarations");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    struct person_ref rc = {PERSON_DEPENDENT, child};
    assert_int_equal(collect_notify_purpose(cfx.s, &rc, "pension_category3", "2026-06-01", NULL),
                     MNV_ERR_ID_PURPOSE_ROUTE);
    /* Category 3 only for the spouse. */
    request(&r, PERSON_DEPENDENT, spouse, N3);
    snprintf(r.route, sizeof(r.route), "category3");
    r.ndocs = 3;
    r.docs[0] = (struct collect_doc){"power_of_attorney", ID_CHECK_AUTHORITY, ""};
    r.docs[1] = (struct collect_doc){"drivers_licence", ID_CHECK_AGENT_IDENTITY, ""};
    r.docs[2] = (struct collect_doc){"mynumber_card", ID_CHECK_NUMBER, ""};
    snprintf(r.purposes[0].code, sizeof(r.purposes[0].code), "pension_category3");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    struct collect_person f;
    assert_int_equal(collect_person_facts(cfx.s, &rc, &f, NULL), MNV_OK);
    assert_int_equal(f.relation, REL_CHILD);
    assert_int_equal(f.employee_id, emp);
    assert_true(f.declarant_verified);
    assert_true(f.verified);
}

static void test_collect__roles(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E1", "試験 太郎");
    struct session *aud = NULL;
    /* The administrator may not collect. */
    assert_int_equal(
        session_login(cfx.dir, "admin", CFX_PW, strlen(CFX_PW), &cfx.o, &aud, NULL, NULL), MNV_OK);
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, id, N1);
    assert_int_equal(collect_store(aud, &r, NULL, NULL), MNV_ERR_DENIED);
    assert_int_equal(collect_check_number(aud, &r.person, &num, NULL, NULL), MNV_ERR_DENIED);
    session_logout(aud);
}

/* 個人情報保護法 第21条: a number taken from the person in writing needs its purposes stated
 * before or at the collection; dependants' numbers reach the employer through the employee,
 * where a prompt notice afterwards is lawful. */
static void test_collect__notice_before_collection(void **state)
{
    (void)state;
    int64_t emp = cfx_employee("E1", "試験 太郎");
    int64_t child = cfx_dependent(emp, "試験 一子", REL_CHILD);
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, emp, N1);
    snprintf(r.verified_on, sizeof(r.verified_on), "2026-03-01");
    snprintf(r.purposes[0].date, sizeof(r.purposes[0].date), "2026-03-02");
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(collect_store(cfx.s, &r, NULL, &d), MNV_ERR_ID_NOTICE_LATE);
    assert_string_equal(d.item, "tax_withholding");
    snprintf(r.purposes[0].date, sizeof(r.purposes[0].date), "2026-03-01");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    /* Through the employee, the notice may follow. */
    request(&r, PERSON_DEPENDENT, child, N2);
    snprintf(r.route, sizeof(r.route), "employee_declared");
    r.ndocs = 0;
    snprintf(r.verified_on, sizeof(r.verified_on), "2026-03-01");
    snprintf(r.purposes[0].code, sizeof(r.purposes[0].code), "tax_declarations");
    snprintf(r.purposes[0].date, sizeof(r.purposes[0].date), "2026-03-20");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
}

/* The health insurance dependant filing: the employee verifies the dependant (no document
 * at the employer), for the social insurance purpose only. */
static void test_collect__insurance_dependant(void **state)
{
    (void)state;
    int64_t emp = cfx_employee("E1", "試験 太郎");
    int64_t parent = cfx_dependent(emp, "試験 父", REL_PARENT);
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, emp, N1);
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
    request(&r, PERSON_DEPENDENT, parent, N2);
    snprintf(r.route, sizeof(r.route), "insurance_dependant");
    r.ndocs = 0;
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_ID_PURPOSE_ROUTE);
    snprintf(r.purposes[0].code, sizeof(r.purposes[0].code), "social_insurance");
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_OK);
}

/* A number stored without a record of identity verification (people_number_store, or data
 * from before the records were kept): collecting the same number again adds the verification
 * and any new purpose, keeps the number's version, and is audited as collect.verify. */
static void test_collect__verification_added_to_a_stored_number(void **state)
{
    (void)state;
    int64_t id = cfx_employee("E1", "試験 太郎");
    struct person_ref ref = {PERSON_EMPLOYEE, id};
    assert_int_equal(mynumber_parse(&num, MYNUMBER_INDIVIDUAL, N1, 12, NULL), MNV_OK);
    struct purpose_notice p = {"tax_withholding", "2026-04-01"};
    assert_int_equal(people_number_store(cfx.s, &ref, &num, &p, 1, NULL), MNV_OK);
    struct collect_rec rec;
    assert_int_equal(collect_current(cfx.s, &ref, &rec, NULL), MNV_ERR_NOT_FOUND);
    enum collect_kind kind = COLLECT_NEW;
    assert_int_equal(collect_check_number(cfx.s, &ref, &num, &kind, NULL), MNV_OK);
    assert_int_equal(kind, COLLECT_VERIFY);
    struct collect_request r;
    request(&r, PERSON_EMPLOYEE, id, N1);
    snprintf(r.verified_on, sizeof(r.verified_on), "2026-11-20");
    r.npurposes = 2;
    snprintf(r.purposes[1].code, sizeof(r.purposes[1].code), "social_insurance");
    snprintf(r.purposes[1].date, sizeof(r.purposes[1].date), "2026-11-20");
    struct collect_result res;
    assert_int_equal(collect_store(cfx.s, &r, &res, NULL), MNV_OK);
    assert_true(res.verified_only);
    assert_false(res.recollected);
    assert_int_equal(res.version, 1);
    assert_int_equal(collect_current(cfx.s, &ref, &rec, NULL), MNV_OK);
    assert_string_equal(rec.verified_on, "2026-11-20");
    assert_int_equal(rec.number_version, 1);
    struct number_info info;
    assert_int_equal(people_number_info(cfx.s, &ref, &info, NULL), MNV_OK);
    assert_int_equal(info.version, 1);
    assert_int_equal(info.n_purposes, 2);
    assert_int_equal(count_audit("collect.verify", "ok"), 1);
    assert_int_equal(count_audit("collect.store", "ok"), 0);
    /* Verified now: the same number again is refused, a different one replaces it. */
    assert_int_equal(collect_check_number(cfx.s, &ref, &num, &kind, NULL), MNV_ERR_NUMBER_SAME);
    assert_int_equal(collect_store(cfx.s, &r, NULL, NULL), MNV_ERR_NUMBER_SAME);
    assert_int_equal(mynumber_parse(&num, MYNUMBER_INDIVIDUAL, N2, 12, NULL), MNV_OK);
    assert_int_equal(collect_check_number(cfx.s, &ref, &num, &kind, NULL), MNV_OK);
    assert_int_equal(kind, COLLECT_REPLACE);
    struct person_ref other = {PERSON_EMPLOYEE, cfx_employee("E2", "試験 次郎")};
    assert_int_equal(collect_check_number(cfx.s, &other, &num, &kind, NULL), MNV_OK);
    assert_int_equal(kind, COLLECT_NEW);
}
