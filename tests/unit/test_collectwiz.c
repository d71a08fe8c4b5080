/* Unit tests for collectwiz.c, the collection wizard's model: every step walked as the TUI
 * walks it, with the rules deciding what is asked and offered, and the number wiped
 * whenever the wizard goes back to it. */
#include "collectfix.h"

#include "mnvault/auditor.h"
#include "mnvault/collectwiz.h"

static const char N1[] = "874263411501", N2[] = "291109043456";

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

static void wiz_for(struct collectwiz *w, enum person_kind kind, int64_t id)
{
    struct person_ref ref = {kind, id};
    assert_int_equal(collectwiz_init(w, cfx.s, &ref, NULL), MNV_OK);
}

static int all_zero(const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

/* The index of the document with this code among those offered, or -1. */
static long offered(const struct collectwiz *w, const char *code)
{
    for (size_t i = 0; i < w->ndocs; i++)
        if (strcmp(collectwiz_doc(w, i)->code, code) == 0)
            return (long)i;
    return -1;
}

static void through_method(struct collectwiz *w)
{
    assert_int_equal(collectwiz_set_number(w, N1, 12, "8742 6341 1501", 14, NULL), MNV_OK);
    char iso[11];
    assert_int_equal(collectwiz_set_method(w, "人事 花子", "R8.4.1", iso, NULL), MNV_OK);
    assert_string_equal(iso, "2026-04-01");
}

static void test_collectwiz__init_and_release(void **state)
{
    (void)state;
    struct collectwiz w;
    struct person_ref nobody = {PERSON_EMPLOYEE, 999};
    assert_int_not_equal(collectwiz_init(&w, cfx.s, &nobody, NULL), MNV_OK);
    assert_null(w.num); /* nothing held after a failure */
    collectwiz_release(&w);
    wiz_for(&w, PERSON_EMPLOYEE, cfx_employee("W1", "試験 一郎"));
    assert_int_equal(w.step, COLLECTWIZ_NUMBER);
    assert_false(collectwiz_started(&w));
    assert_string_equal(w.req.verified_on, "2026-11-27"); /* today, by the fixed clock */
    assert_string_equal(w.req.verified_by, "supervisor");
    assert_non_null(collectwiz_route(&w));
    assert_string_equal(collectwiz_route(&w)->code, "self");
    collectwiz_back(&w); /* at the first step: nothing */
    assert_int_equal(w.step, COLLECTWIZ_NUMBER);
    collectwiz_release(&w);
    assert_true(all_zero(&w, sizeof(w)));
    collectwiz_release(&w); /* twice is harmless */
}

static void test_collectwiz__number_step(void **state)
{
    (void)state;
    struct collectwiz w;
    wiz_for(&w, PERSON_EMPLOYEE, cfx_employee("W2", "試験 二郎"));
    assert_int_equal(collectwiz_set_number(&w, NULL, 0, NULL, 0, NULL), MNV_ERR_NUM_EMPTY);
    assert_int_equal(collectwiz_set_number(&w, "874263411502", 12, "874263411502", 12, NULL),
                     MNV_ERR_NUM_CHECK);
    assert_int_equal(collectwiz_set_number(&w, N1, 12, N2, 12, NULL), MNV_ERR_NUMBER_MISMATCH);
    assert_int_equal(w.step, COLLECTWIZ_NUMBER);
    assert_true(all_zero(w.num, sizeof(*w.num))); /* wiped after every failure */
    /* Separators the parser accepts, in either entry. */
    const char *wide = "８７４２ー６３４１ー１５０１";
    assert_int_equal(collectwiz_set_number(&w, wide, strlen(wide), N1, 12, NULL), MNV_OK);
    assert_int_equal(w.step, COLLECTWIZ_METHOD);
    assert_true(collectwiz_started(&w));
    assert_string_equal(w.num->digits, N1);
    /* Back from the method wipes the number. */
    collectwiz_back(&w);
    assert_int_equal(w.step, COLLECTWIZ_NUMBER);
    assert_true(all_zero(w.num, sizeof(*w.num)));
    collectwiz_release(&w);
}

static void test_collectwiz__method_choices(void **state)
{
    (void)state;
    struct collectwiz w;
    wiz_for(&w, PERSON_EMPLOYEE, cfx_employee("W3", "試験 三郎"));
    assert_int_equal(collectwiz_set_number(&w, N1, 12, N1, 12, NULL), MNV_OK);
    /* The exemption only face to face; changing the channel drops it. */
    assert_true(collectwiz_known_allowed(&w));
    collectwiz_toggle_known(&w);
    assert_true(w.req.known_in_person);
    collectwiz_next_channel(&w);
    assert_int_equal(w.req.channel, ID_CHANNEL_POST);
    assert_false(collectwiz_known_allowed(&w));
    assert_false(w.req.known_in_person);
    collectwiz_toggle_known(&w);
    assert_false(w.req.known_in_person);
    collectwiz_next_channel(&w);
    collectwiz_next_channel(&w);
    assert_int_equal(w.req.channel, ID_CHANNEL_IN_PERSON);
    /* Only routes that apply to an employee are offered, round. */
    for (size_t i = 0; i < w.nroutes; i++) {
        assert_true(idrules_route_applies(collectwiz_route(&w), PERSON_EMPLOYEE, 0));
        collectwiz_next_route(&w);
    }
    assert_string_equal(collectwiz_route(&w)->code, "self");
    char iso[11];
    assert_int_equal(collectwiz_set_method(&w, "人事 花子", "2026-13-01", iso, NULL),
                     MNV_ERR_FIELD_NO_SUCH_DAY);
    assert_string_equal(iso, "");
    assert_int_equal(collectwiz_set_method(&w, "人事 花子", "yesterday", iso, NULL),
                     MNV_ERR_FIELD_DATE);
    assert_int_equal(w.step, COLLECTWIZ_METHOD);
    /* The exemption waives identity: only the number's documents are asked. */
    collectwiz_toggle_known(&w);
    assert_int_equal(collectwiz_set_method(&w, "人事 花子", "2026-04-01", iso, NULL), MNV_OK);
    assert_int_equal(w.step, COLLECTWIZ_DOCS);
    assert_int_equal(w.nchecks, 1);
    assert_int_equal(collectwiz_check(&w), ID_CHECK_NUMBER);
    collectwiz_release(&w);
}

static void test_collectwiz__documents_as_the_rules_offer(void **state)
{
    (void)state;
    struct collectwiz w;
    wiz_for(&w, PERSON_EMPLOYEE, cfx_employee("W4", "試験 四郎"));
    through_method(&w);
    assert_int_equal(w.step, COLLECTWIZ_DOCS);
    assert_int_equal(collectwiz_check(&w), ID_CHECK_NUMBER);
    /* Exactly what idrules offers for the check, the channel and the day. */
    size_t want = 0;
    for (size_t i = 0; i < w.rules->ndocs; i++)
        want += idrules_doc_offered(&w.rules->docs[i], ID_CHECK_NUMBER, ID_CHANNEL_IN_PERSON,
                                    "2026-04-01");
    assert_int_equal(w.ndocs, want);
    assert_true(offered(&w, "drivers_licence") < 0); /* proves identity, not the number */
    assert_null(collectwiz_doc(&w, w.ndocs));
    assert_int_equal(collectwiz_toggle_doc(&w, w.ndocs), MNV_ERR_RANGE);
    struct id_verdict v;
    assert_int_equal(collectwiz_docs_done(&w, &v, NULL), MNV_ERR_ID_NUMBER_MISSING);
    long juminhyo = offered(&w, "juminhyo_with_number");
    assert_true(juminhyo >= 0);
    assert_int_equal(collectwiz_toggle_doc(&w, (size_t)juminhyo), MNV_OK);
    assert_non_null(collectwiz_doc_chosen(&w, (size_t)juminhyo));
    assert_false(collectwiz_ref_allowed(&w, (size_t)juminhyo)); /* it shows the number */
    assert_int_equal(collectwiz_set_doc_ref(&w, (size_t)juminhyo, "12"), MNV_ERR_INVALID);
    assert_int_equal(collectwiz_docs_done(&w, &v, NULL), MNV_OK);
    /* Identity next: one document without a photo is not enough. */
    assert_int_equal(collectwiz_check(&w), ID_CHECK_IDENTITY);
    long pension = offered(&w, "pension_book");
    assert_true(pension >= 0);
    assert_int_equal(collectwiz_toggle_doc(&w, (size_t)pension), MNV_OK);
    assert_int_equal(collectwiz_docs_done(&w, &v, NULL), MNV_ERR_ID_IDENTITY_MISSING);
    assert_int_equal(v.more_parts[ID_CHECK_IDENTITY], 1);
    assert_int_equal(collectwiz_toggle_doc(&w, (size_t)pension), MNV_OK); /* unchoose */
    assert_null(collectwiz_doc_chosen(&w, (size_t)pension));
    long licence = offered(&w, "drivers_licence");
    assert_int_equal(collectwiz_toggle_doc(&w, (size_t)licence), MNV_OK);
    assert_true(collectwiz_ref_allowed(&w, (size_t)licence));
    assert_int_equal(collectwiz_set_doc_ref(&w, (size_t)licence, "A1B2"), MNV_OK);
    assert_string_equal(collectwiz_doc_chosen(&w, (size_t)licence)->ref, "A1B2");
    assert_int_equal(collectwiz_set_doc_ref(&w, (size_t)licence, "12345"), MNV_ERR_ID_REF);
    assert_int_equal(collectwiz_docs_done(&w, &v, NULL), MNV_OK);
    assert_int_equal(w.step, COLLECTWIZ_PURPOSES);
    /* Back goes to the last check with its choices kept. */
    collectwiz_back(&w);
    assert_int_equal(w.step, COLLECTWIZ_DOCS);
    assert_int_equal(collectwiz_check(&w), ID_CHECK_IDENTITY);
    assert_non_null(collectwiz_doc_chosen(&w, (size_t)offered(&w, "drivers_licence")));
    collectwiz_back(&w);
    assert_int_equal(collectwiz_check(&w), ID_CHECK_NUMBER);
    collectwiz_back(&w);
    assert_int_equal(w.step, COLLECTWIZ_METHOD);
    assert_true(w.have_num);
    collectwiz_release(&w);
}

static void test_collectwiz__card_skips_identity_and_stores(void **state)
{
    (void)state;
    struct collectwiz w;
    int64_t id = cfx_employee("W5", "試験 五郎");
    wiz_for(&w, PERSON_EMPLOYEE, id);
    through_method(&w);
    struct id_verdict v;
    assert_int_equal(collectwiz_toggle_doc(&w, (size_t)offered(&w, "mynumber_card")), MNV_OK);
    assert_int_equal(collectwiz_docs_done(&w, &v, NULL), MNV_OK);
    assert_int_equal(w.step, COLLECTWIZ_PURPOSES); /* the card proved identity too */
    assert_true(w.npurposes > 0);
    char iso[11];
    assert_int_equal(collectwiz_set_purposes(&w, "2026-04-01", iso, NULL), MNV_ERR_PURPOSE_NEEDED);
    assert_int_equal(collectwiz_store(&w, NULL, NULL), MNV_ERR_INVALID); /* not at the summary */
    for (size_t i = 0; i < w.npurposes; i++)
        if (strcmp(collectwiz_purpose(&w, i)->code, "tax_withholding") == 0)
            collectwiz_toggle_purpose(&w, i);
    collectwiz_toggle_purpose(&w, w.npurposes); /* out of range: nothing */
    assert_int_equal(collectwiz_set_purposes(&w, "R8.4.1", iso, NULL), MNV_OK);
    assert_string_equal(iso, "2026-04-01");
    assert_int_equal(w.step, COLLECTWIZ_SUMMARY);
    assert_int_equal(w.req.npurposes, 1);
    struct collect_result res;
    assert_int_equal(collectwiz_store(&w, &res, NULL), MNV_OK);
    assert_true(all_zero(w.num, sizeof(*w.num)));
    assert_false(w.have_num);
    struct collect_person facts;
    struct person_ref ref = {PERSON_EMPLOYEE, id};
    assert_int_equal(collect_person_facts(cfx.s, &ref, &facts, NULL), MNV_OK);
    assert_int_equal(facts.status, NUMBER_REGISTERED);
    assert_true(facts.verified);
    collectwiz_release(&w);
    /* The same number for another person: refused at the first step, audited, wiped. */
    wiz_for(&w, PERSON_EMPLOYEE, cfx_employee("W6", "試験 六郎"));
    assert_int_equal(collectwiz_set_number(&w, N1, 12, N1, 12, NULL), MNV_ERR_NUMBER_DUPLICATE);
    assert_int_equal(w.step, COLLECTWIZ_NUMBER);
    assert_true(all_zero(w.num, sizeof(*w.num)));
    collectwiz_release(&w);
}

/* Who checked and when are judged with the documents (as the store judges them): a missing
 * name is refused at the purposes, before anything can be stored. */
static void test_collectwiz__verifier_judged_before_store(void **state)
{
    (void)state;
    struct collectwiz w;
    wiz_for(&w, PERSON_EMPLOYEE, cfx_employee("W8", "試験 八郎"));
    assert_int_equal(collectwiz_set_number(&w, N2, 12, N2, 12, NULL), MNV_OK);
    char iso[11];
    assert_int_equal(collectwiz_set_method(&w, "", "2026-04-01", iso, NULL), MNV_OK);
    struct id_verdict v;
    assert_int_equal(collectwiz_toggle_doc(&w, (size_t)offered(&w, "mynumber_card")), MNV_OK);
    assert_int_equal(collectwiz_docs_done(&w, &v, NULL), MNV_ERR_VERIFIER_NEEDED);
    assert_int_equal(w.step, COLLECTWIZ_DOCS);
    collectwiz_back(&w);
    assert_int_equal(collectwiz_set_method(&w, "人事 花子", "2027-04-01", iso, NULL), MNV_OK);
    assert_int_equal(collectwiz_toggle_doc(&w, (size_t)offered(&w, "mynumber_card")), MNV_OK);
    assert_int_equal(collectwiz_docs_done(&w, &v, NULL), MNV_ERR_FIELD_FUTURE);
    collectwiz_release(&w);
}

static void test_collectwiz__dependant_declared_by_the_employee(void **state)
{
    (void)state;
    int64_t emp = cfx_employee("W7", "試験 七郎");
    int64_t dep = cfx_dependent(emp, "試験 花子", REL_SPOUSE);
    struct collectwiz w;
    wiz_for(&w, PERSON_DEPENDENT, dep);
    assert_int_equal(collectwiz_set_number(&w, N2, 12, N2, 12, NULL), MNV_OK);
    while (strcmp(collectwiz_route(&w)->code, "employee_declared") != 0)
        collectwiz_next_route(&w);
    char iso[11];
    /* The employee's own number must be verified first. */
    assert_int_equal(collectwiz_set_method(&w, "人事 花子", "2026-04-01", iso, NULL),
                     MNV_ERR_ID_DECLARANT);
    collectwiz_release(&w);
}
