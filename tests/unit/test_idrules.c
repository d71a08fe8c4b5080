/* Unit tests for idrules.c: the shipped rules file, judged against the rules written out
 * independently here (the sets below restate doc/collection.md), for every single document
 * and every pair of documents in every channel, and the agent, dependant and exemption
 * cases. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/idrules.h"

static struct idrules R;

static int group_setup(void **state)
{
    (void)state;
    return idrules_load("data/id-documents.ini", &R, NULL) == MNV_OK ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    idrules_free(&R);
    return 0;
}

static int in(const char *code, const char *const *set)
{
    for (; *set; set++)
        if (strcmp(code, *set) == 0)
            return 1;
    return 0;
}

static const char *const NUMBER[] = {"mynumber_card", "notification_card", "juminhyo_with_number",
                                     NULL};
static const char *const PHOTO[] = {"mynumber_card",
                                    "drivers_licence",
                                    "driving_record",
                                    "passport",
                                    "disability_certificate",
                                    "mental_health_certificate",
                                    "rehabilitation_certificate",
                                    "residence_card",
                                    "special_permanent_resident",
                                    "official_photo_id",
                                    "photo_id_card",
                                    "tax_accountant_card",
                                    "war_injury_book",
                                    "preprinted_form",
                                    "jpki_signature",
                                    "issued_credentials",
                                    NULL};
/* 施行規則 第3条第2項 (two without a photo); 資格確認書 beside the old card. */
static const char *const PART[] = {"pension_book",
                                   "health_insurance_card",
                                   "qualification_certificate",
                                   "child_support_certificate",
                                   "special_child_support",
                                   NULL};
/* The 国税庁告示's further documents: each only beside one of PART. */
static const char *const SUPP[] = {"tax_or_utility_receipt", "tax_payment_certificate",
                                   "seal_certificate",       "koseki_fuhyo",
                                   "nophoto_id_card",        NULL};
static const char *const AUTHORITY[] = {"power_of_attorney", "legal_agent_proof", NULL};
static const char *const NOTHING[] = {"number_notice", NULL};
/* Online: images of the number documents and of any photo ID (国税庁「本人確認書類」), the
 * two online-only proofs, a power of attorney. Not: a printed form, documents without a
 * photo, a family register. */
static const char *const NOT_ONLINE[] = {"preprinted_form", "legal_agent_proof", NULL};
static const char *const ONLINE_ONLY[] = {"jpki_signature", "issued_credentials", NULL};

static int usable_in(const char *code, enum id_channel ch)
{
    if (ch == ID_CHANNEL_ONLINE)
        return !in(code, NOT_ONLINE) && !in(code, PART) && !in(code, SUPP);
    return !in(code, ONLINE_ONLY);
}

/* The check a clerk would list it under (as the import does). */
static enum id_check check_for(const char *code)
{
    if (in(code, AUTHORITY))
        return ID_CHECK_AUTHORITY;
    return in(code, NUMBER) ? ID_CHECK_NUMBER : ID_CHECK_IDENTITY;
}

/* The expected refusal of one document on its own, or MNV_OK. */
static enum mnv_err doc_expect(const char *code, enum id_channel ch, const char *date)
{
    if (in(code, NOTHING))
        return MNV_ERR_ID_DOC_WRONG_CHECK;
    if (!usable_in(code, ch))
        return MNV_ERR_ID_DOC_CHANNEL;
    if (!strcmp(code, "health_insurance_card") && strcmp(date, "2025-12-01") > 0)
        return MNV_ERR_ID_DOC_EXPIRED;
    return MNV_OK;
}

static enum mnv_err self_expect(const char *const *codes, size_t n, enum id_channel ch,
                                const char *date)
{
    int number = 0, photo = 0, parts = 0, supp = 0;
    for (size_t i = 0; i < n; i++) {
        enum mnv_err e = doc_expect(codes[i], ch, date);
        if (e != MNV_OK)
            return e;
        for (size_t k = 0; k < i; k++)
            if (!strcmp(codes[k], codes[i]))
                return MNV_ERR_ID_DOC_REPEAT;
        number |= in(codes[i], NUMBER);
        photo |= in(codes[i], PHOTO);
        parts += in(codes[i], PART);
        supp += in(codes[i], SUPP);
    }
    if (!number)
        return MNV_ERR_ID_NUMBER_MISSING;
    if (!photo && !(parts >= 1 && parts + supp >= 2))
        return MNV_ERR_ID_IDENTITY_MISSING;
    return MNV_OK;
}

static enum mnv_err judge(const char *route, enum id_channel ch, enum person_kind kind,
                          enum dependent_relation rel, int known, int declarant, const char *date,
                          const char *const *codes, const enum id_check *checks, size_t n)
{
    struct id_presented p[IDRULES_DOCS_MAX + 1];
    for (size_t i = 0; i < n; i++)
        p[i] = (struct id_presented){codes[i], checks ? checks[i] : check_for(codes[i]), ""};
    struct id_case c = {route, ch, kind, rel, known, declarant, date, p, n};
    struct id_verdict v;
    return idrules_evaluate(&R, &c, &v, NULL);
}

static void test_idrules__file_loads(void **state)
{
    (void)state;
    assert_true(R.ndocs >= 20);
    assert_int_equal(R.nroutes, 5);
    assert_int_equal(R.identity_parts, 2);
    assert_non_null(idrules_doc(&R, "mynumber_card"));
    assert_null(idrules_doc(&R, "selfie"));
    /* Every document of the file is in exactly one of the sets this test restates. */
    for (size_t i = 0; i < R.ndocs; i++) {
        const char *c = R.docs[i].code;
        int sets = (in(c, PHOTO) || in(c, NUMBER)) + in(c, PART) + in(c, SUPP) + in(c, AUTHORITY) +
                   in(c, NOTHING);
        assert_int_equal(sets, 1);
    }
}

static void test_idrules__bad_files_refused(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "[doc.x]\nja = x\nen = x\nproves = number\nchannels = in_person\n", /* no rules */
        "[rules]\nidentity_parts = 0\n[doc.x]\nja=x\nen=x\nproves=number\nchannels=post\n"
        "[route.r]\nja=r\nen=r\npersons=employee\n",
        "[rules]\nidentity_parts = 2\n[doc.x]\nja=x\nen=x\nproves=magic\nchannels=post\n"
        "[route.r]\nja=r\nen=r\npersons=employee\n",
        "[rules]\nidentity_parts = 2\n[doc.x]\nja=x\nen=x\nproves=number\nchannels=fax\n"
        "[route.r]\nja=r\nen=r\npersons=employee\n",
        "[rules]\nidentity_parts = 2\n[doc.x-y]\nja=x\nen=x\nproves=number\nchannels=post\n"
        "[route.r]\nja=r\nen=r\npersons=employee\n",
        "[rules]\nidentity_parts = 2\n[doc.x]\nja=x\nen=x\nproves=number\nchannels=post\n"
        "[route.r]\nja=r\nen=r\npersons=robot\n",
        "[rules]\nidentity_parts = 2\n[doc.x]\nja=x\nen=x\nproves=number\nchannels=post\n"
        "usable_until = 2025-02-30\n[route.r]\nja=r\nen=r\npersons=employee\n",
        "[rules]\nidentity_parts = 2\n[doc.x]\nja=x\nen=x\nproves=number\nchannels=post\n"
        "[route.r]\nja=r\nen=r\npersons=employee\nnotice = sometimes\n",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char path[] = "/tmp/mnv-idrules-XXXXXX";
        int fd = mkstemp(path);
        assert_true(fd >= 0);
        FILE *f = fdopen(fd, "w");
        fputs(bad[i], f);
        fclose(f);
        struct idrules r;
        struct mnv_diag d;
        mnv_diag_clear(&d);
        enum mnv_err err = idrules_load(path, &r, &d);
        unlink(path);
        if (err != MNV_ERR_IDRULES_FILE)
            fail_msg("bad file %zu: %s", i, mnv_err_name(err));
    }
    struct idrules r;
    assert_int_equal(idrules_load("/nonexistent/id.ini", &r, NULL), MNV_ERR_NOT_FOUND);
}

/* Every document alone, and every ordered pair, through the person, in each channel, on a
 * day before and after the paper insurance cards lapsed. */
static void test_idrules__self_every_single_and_pair(void **state)
{
    (void)state;
    static const char *const days[] = {"2025-06-01", "2026-04-01"};
    long judged = 0, accepted = 0;
    for (int ch = 0; ch < ID_CHANNEL__COUNT; ch++)
        for (int d = 0; d < 2; d++)
            for (size_t a = 0; a < R.ndocs; a++) {
                const char *one[1] = {R.docs[a].code};
                assert_int_equal(judge("self", (enum id_channel)ch, PERSON_EMPLOYEE, 0, 0, 0,
                                       days[d], one, NULL, 1),
                                 self_expect(one, 1, (enum id_channel)ch, days[d]));
                for (size_t b = 0; b < R.ndocs; b++) {
                    const char *two[2] = {R.docs[a].code, R.docs[b].code};
                    enum mnv_err want = self_expect(two, 2, (enum id_channel)ch, days[d]);
                    enum mnv_err got = judge("self", (enum id_channel)ch, PERSON_EMPLOYEE, 0, 0, 0,
                                             days[d], two, NULL, 2);
                    if (got != want)
                        fail_msg("%s + %s, channel %d, %s: got %s, want %s", two[0], two[1], ch,
                                 days[d], mnv_err_name(got), mnv_err_name(want));
                    judged++;
                    accepted += got == MNV_OK;
                }
            }
    assert_true(judged > 3000);
    assert_true(accepted > 100);
}

static void test_idrules__named_combinations(void **state)
{
    (void)state;
    static const struct {
        const char *docs[3];
        int ch;
        enum mnv_err want;
    } cases[] = {
        {{"mynumber_card"}, ID_CHANNEL_IN_PERSON, MNV_OK},
        {{"mynumber_card"}, ID_CHANNEL_POST, MNV_OK},
        {{"notification_card", "drivers_licence"}, ID_CHANNEL_IN_PERSON, MNV_OK},
        {{"notification_card"}, ID_CHANNEL_IN_PERSON, MNV_ERR_ID_IDENTITY_MISSING},
        {{"drivers_licence"}, ID_CHANNEL_IN_PERSON, MNV_ERR_ID_NUMBER_MISSING},
        {{"juminhyo_with_number", "pension_book"},
         ID_CHANNEL_IN_PERSON,
         MNV_ERR_ID_IDENTITY_MISSING},
        {{"juminhyo_with_number", "pension_book", "child_support_certificate"},
         ID_CHANNEL_IN_PERSON,
         MNV_OK},
        {{"juminhyo_with_number", "pension_book", "tax_or_utility_receipt"},
         ID_CHANNEL_IN_PERSON,
         MNV_OK},
        {{"juminhyo_with_number", "tax_or_utility_receipt"},
         ID_CHANNEL_IN_PERSON,
         MNV_ERR_ID_IDENTITY_MISSING},
        {{"notification_card", "passport"}, ID_CHANNEL_ONLINE, MNV_OK},
        {{"juminhyo_with_number", "residence_card"}, ID_CHANNEL_ONLINE, MNV_OK},
        {{"notification_card", "pension_book"}, ID_CHANNEL_ONLINE, MNV_ERR_ID_DOC_CHANNEL},
        {{"notification_card", "photo_id_card"}, ID_CHANNEL_IN_PERSON, MNV_OK},
        {{"notification_card", "tax_accountant_card"}, ID_CHANNEL_POST, MNV_OK},
        {{"notification_card", "preprinted_form"}, ID_CHANNEL_POST, MNV_OK},
        {{"notification_card", "preprinted_form"}, ID_CHANNEL_ONLINE, MNV_ERR_ID_DOC_CHANNEL},
        {{"notification_card", "qualification_certificate"},
         ID_CHANNEL_IN_PERSON,
         MNV_ERR_ID_IDENTITY_MISSING},
        {{"notification_card", "qualification_certificate", "pension_book"},
         ID_CHANNEL_IN_PERSON,
         MNV_OK},
        {{"notification_card", "qualification_certificate", "seal_certificate"},
         ID_CHANNEL_POST,
         MNV_OK},
        {{"notification_card", "koseki_fuhyo", "tax_payment_certificate"},
         ID_CHANNEL_IN_PERSON,
         MNV_ERR_ID_IDENTITY_MISSING},
        {{"notification_card", "jpki_signature"}, ID_CHANNEL_ONLINE, MNV_OK},
        {{"notification_card", "jpki_signature"}, ID_CHANNEL_IN_PERSON, MNV_ERR_ID_DOC_CHANNEL},
        {{"number_notice", "drivers_licence"}, ID_CHANNEL_IN_PERSON, MNV_ERR_ID_DOC_WRONG_CHECK},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = 0;
        while (n < 3 && cases[i].docs[n])
            n++;
        enum mnv_err got = judge("self", (enum id_channel)cases[i].ch, PERSON_EMPLOYEE, 0, 0, 0,
                                 "2026-04-01", cases[i].docs, NULL, n);
        if (got != cases[i].want)
            fail_msg("case %zu: got %s, want %s", i, mnv_err_name(got),
                     mnv_err_name(cases[i].want));
    }
}

static void test_idrules__known_in_person(void **state)
{
    (void)state;
    const char *num[1] = {"juminhyo_with_number"};
    assert_int_equal(
        judge("self", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 1, 0, "2026-04-01", num, NULL, 1),
        MNV_OK);
    /* Only face to face, only from the person, and the number is never waived. */
    assert_int_equal(
        judge("self", ID_CHANNEL_POST, PERSON_EMPLOYEE, 0, 1, 0, "2026-04-01", num, NULL, 1),
        MNV_ERR_ID_EXEMPTION);
    assert_int_equal(
        judge("self", ID_CHANNEL_ONLINE, PERSON_EMPLOYEE, 0, 1, 0, "2026-04-01", num, NULL, 1),
        MNV_ERR_ID_EXEMPTION);
    /* Through an agent the exemption is the agent's (below), and the number still counts. */
    assert_int_equal(
        judge("agent", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 1, 0, "2026-04-01", num, NULL, 1),
        MNV_ERR_ID_AUTHORITY_MISSING);
    assert_int_equal(
        judge("self", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 1, 0, "2026-04-01", NULL, NULL, 0),
        MNV_ERR_ID_NUMBER_MISSING);
}

/* Through an agent: authority, the agent's identity and the person's number, each needed. */
static void test_idrules__agent_every_combination(void **state)
{
    (void)state;
    const enum id_check checks[3] = {ID_CHECK_AUTHORITY, ID_CHECK_AGENT_IDENTITY, ID_CHECK_NUMBER};
    for (size_t a = 0; AUTHORITY[a]; a++)
        for (size_t g = 0; g < R.ndocs; g++) {
            const char *agent = R.docs[g].code;
            if (!in(agent, PHOTO))
                continue;
            for (size_t n = 0; NUMBER[n]; n++) {
                const char *docs[3] = {AUTHORITY[a], agent, NUMBER[n]};
                enum mnv_err want =
                    usable_in(agent, ID_CHANNEL_IN_PERSON) ? MNV_OK : MNV_ERR_ID_DOC_CHANNEL;
                assert_int_equal(judge("agent", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0,
                                       "2026-04-01", docs, checks, 3),
                                 want);
                if (want != MNV_OK)
                    continue;
                /* Leave each one out. */
                const char *no_auth[2] = {agent, NUMBER[n]};
                assert_int_equal(judge("agent", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0,
                                       "2026-04-01", no_auth, checks + 1, 2),
                                 MNV_ERR_ID_AUTHORITY_MISSING);
                const char *no_agent[2] = {AUTHORITY[a], NUMBER[n]};
                const enum id_check c2[2] = {ID_CHECK_AUTHORITY, ID_CHECK_NUMBER};
                assert_int_equal(judge("agent", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0,
                                       "2026-04-01", no_agent, c2, 2),
                                 MNV_ERR_ID_AGENT_MISSING);
                assert_int_equal(judge("agent", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0,
                                       "2026-04-01", docs, checks, 2),
                                 MNV_ERR_ID_NUMBER_MISSING);
            }
        }
    /* The agent's identity without a photo: two documents. */
    const char *two[4] = {"power_of_attorney", "pension_book", "child_support_certificate",
                          "mynumber_card"};
    const enum id_check c4[4] = {ID_CHECK_AUTHORITY, ID_CHECK_AGENT_IDENTITY,
                                 ID_CHECK_AGENT_IDENTITY, ID_CHECK_NUMBER};
    assert_int_equal(judge("agent", ID_CHANNEL_POST, PERSON_DEPENDENT, REL_CHILD, 0, 0,
                           "2026-04-01", two, c4, 4),
                     MNV_OK);
    const char *one[3] = {"power_of_attorney", "pension_book", "mynumber_card"};
    const enum id_check c3[3] = {ID_CHECK_AUTHORITY, ID_CHECK_AGENT_IDENTITY, ID_CHECK_NUMBER};
    assert_int_equal(judge("agent", ID_CHANNEL_POST, PERSON_DEPENDENT, REL_CHILD, 0, 0,
                           "2026-04-01", one, c3, 3),
                     MNV_ERR_ID_AGENT_MISSING);
    /* The same card may be the person's (number) and, separately, the agent's. */
    const char *cards[3] = {"power_of_attorney", "mynumber_card", "mynumber_card"};
    const enum id_check cc[3] = {ID_CHECK_AUTHORITY, ID_CHECK_AGENT_IDENTITY, ID_CHECK_NUMBER};
    assert_int_equal(
        judge("agent", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0, "2026-04-01", cards, cc, 3),
        MNV_OK);
}

static void test_idrules__dependents(void **state)
{
    (void)state;
    /* The tax declaration: the employee verifies; the employer only needs the employee's own
     * number verified first, and only tax purposes. */
    assert_int_equal(judge("employee_declared", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_CHILD,
                           0, 1, "2026-04-01", NULL, NULL, 0),
                     MNV_OK);
    assert_int_equal(judge("employee_declared", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_CHILD,
                           0, 0, "2026-04-01", NULL, NULL, 0),
                     MNV_ERR_ID_DECLARANT);
    assert_int_equal(judge("employee_declared", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 1,
                           "2026-04-01", NULL, NULL, 0),
                     MNV_ERR_ID_ROUTE_PERSON);
    const struct id_route_def *decl = idrules_route(&R, "employee_declared");
    assert_true(idrules_route_allows_purpose(decl, "tax_declarations"));
    assert_false(idrules_route_allows_purpose(decl, "social_insurance"));
    assert_true(idrules_route_allows_purpose(idrules_route(&R, "self"), "social_insurance"));
    /* Category 3: the employer verifies, with the employee as the spouse's agent. */
    const char *docs[3] = {"power_of_attorney", "drivers_licence", "juminhyo_with_number"};
    const enum id_check c[3] = {ID_CHECK_AUTHORITY, ID_CHECK_AGENT_IDENTITY, ID_CHECK_NUMBER};
    assert_int_equal(judge("category3", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_SPOUSE, 0, 0,
                           "2026-04-01", docs, c, 3),
                     MNV_OK);
    assert_int_equal(judge("category3", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_CHILD, 0, 0,
                           "2026-04-01", docs, c, 3),
                     MNV_ERR_ID_ROUTE_PERSON);
    assert_int_equal(judge("category3", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_SPOUSE, 0, 0,
                           "2026-04-01", docs, c, 2),
                     MNV_ERR_ID_NUMBER_MISSING);
    assert_int_equal(judge("unknown", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0, "2026-04-01",
                           NULL, NULL, 0),
                     MNV_ERR_ID_ROUTE_UNKNOWN);
}

static void test_idrules__references(void **state)
{
    (void)state;
    struct id_presented p[2] = {{"notification_card", ID_CHECK_NUMBER, ""},
                                {"drivers_licence", ID_CHECK_IDENTITY, "12AB"}};
    struct id_case c = {"self", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0, "2026-04-01", p, 2};
    struct id_verdict v;
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_OK);
    p[1].ref = "12345"; /* never the whole number */
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_REF);
    p[1].ref = "1-2";
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_REF);
    p[1].ref = "";
    p[0].ref = "9018"; /* the card shows the My Number itself */
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(idrules_evaluate(&R, &c, &v, &d), MNV_ERR_ID_REF_NUMBER);
    assert_string_equal(d.item, "notification_card");
    assert_int_equal(d.line, 1);
}

static void test_idrules__verdict_counts(void **state)
{
    (void)state;
    struct id_presented p[2] = {{"notification_card", ID_CHECK_NUMBER, ""},
                                {"pension_book", ID_CHECK_IDENTITY, ""}};
    struct id_case c = {"self", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0, "2026-04-01", p, 2};
    struct id_verdict v;
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_IDENTITY_MISSING);
    assert_int_equal(v.more_parts[ID_CHECK_IDENTITY], 1);
    assert_true(v.satisfied & (1u << ID_CHECK_NUMBER));
    c.ndocs = 1;
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_IDENTITY_MISSING);
    assert_int_equal(v.more_parts[ID_CHECK_IDENTITY], 2);
    struct id_presented many[IDRULES_DOCS_MAX + 1];
    for (int i = 0; i <= IDRULES_DOCS_MAX; i++)
        many[i] = (struct id_presented){"mynumber_card", ID_CHECK_NUMBER, ""};
    c.docs = many;
    c.ndocs = IDRULES_DOCS_MAX + 1;
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_DOC_COUNT);
}

static void test_idrules__words(void **state)
{
    (void)state;
    assert_int_equal(idrules_channel_parse("郵送"), ID_CHANNEL_POST);
    assert_int_equal(idrules_channel_parse("online"), ID_CHANNEL_ONLINE);
    assert_int_equal(idrules_channel_parse("fax"), -1);
    assert_int_equal(idrules_check_parse("agent_identity"), ID_CHECK_AGENT_IDENTITY);
    assert_string_equal(idrules_check_name(ID_CHECK_NUMBER), "number");
    assert_int_equal(idrules_missing_error(ID_CHECK_AUTHORITY), MNV_ERR_ID_AUTHORITY_MISSING);
}

/* 人違いでないことが明らかな場合 for an agent the employer knows and sees face to face (an
 * employee acting for the spouse): the agent's identity documents may be skipped; the
 * authority and the person's number never are. */
static void test_idrules__known_agent(void **state)
{
    (void)state;
    const char *docs[2] = {"power_of_attorney", "notification_card"};
    const enum id_check c[2] = {ID_CHECK_AUTHORITY, ID_CHECK_NUMBER};
    assert_int_equal(judge("category3", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_SPOUSE, 1, 0,
                           "2026-04-01", docs, c, 2),
                     MNV_OK);
    assert_int_equal(
        judge("agent", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 1, 0, "2026-04-01", docs, c, 2),
        MNV_OK);
    /* Not claimed: the agent's identity is missing. */
    assert_int_equal(judge("category3", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_SPOUSE, 0, 0,
                           "2026-04-01", docs, c, 2),
                     MNV_ERR_ID_AGENT_MISSING);
    /* Only face to face. */
    assert_int_equal(judge("category3", ID_CHANNEL_POST, PERSON_DEPENDENT, REL_SPOUSE, 1, 0,
                           "2026-04-01", docs, c, 2),
                     MNV_ERR_ID_EXEMPTION);
    /* The authority and the number are never waived. */
    assert_int_equal(judge("category3", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_SPOUSE, 1, 0,
                           "2026-04-01", docs + 1, c + 1, 1),
                     MNV_ERR_ID_AUTHORITY_MISSING);
    assert_int_equal(judge("category3", ID_CHANNEL_IN_PERSON, PERSON_DEPENDENT, REL_SPOUSE, 1, 0,
                           "2026-04-01", docs, c, 1),
                     MNV_ERR_ID_NUMBER_MISSING);
    /* The waiver is the agent's: the person's identity is not what a known agent waives. */
    assert_int_equal(idrules_route_waives(idrules_route(&R, "agent")), ID_CHECK_AGENT_IDENTITY);
    assert_int_equal(idrules_route_waives(idrules_route(&R, "self")), ID_CHECK_IDENTITY);
}

/* Who verifies a dependant: for the tax declaration and for the health insurance dependant
 * filing the employee does (the employer checks no document of the dependant and notices
 * may follow); for category 3 the employer does, with the employee as the spouse's agent. */
static void test_idrules__dependant_routes(void **state)
{
    (void)state;
    const struct id_route_def *ins = idrules_route(&R, "insurance_dependant");
    assert_non_null(ins);
    assert_int_equal(ins->requires, 0);
    assert_true(ins->declarant_verified);
    assert_true(ins->notice_after);
    assert_true(idrules_route_allows_purpose(ins, "social_insurance"));
    assert_false(idrules_route_allows_purpose(ins, "tax_withholding"));
    assert_int_equal(judge("insurance_dependant", ID_CHANNEL_POST, PERSON_DEPENDENT, REL_CHILD, 0,
                           1, "2026-04-01", NULL, NULL, 0),
                     MNV_OK);
    assert_int_equal(judge("insurance_dependant", ID_CHANNEL_POST, PERSON_DEPENDENT, REL_PARENT, 0,
                           0, "2026-04-01", NULL, NULL, 0),
                     MNV_ERR_ID_DECLARANT);
    assert_true(idrules_route(&R, "employee_declared")->notice_after);
    assert_false(idrules_route(&R, "self")->notice_after);
    assert_false(idrules_route(&R, "agent")->notice_after);
    assert_false(idrules_route(&R, "category3")->notice_after);
    assert_int_equal(idrules_route(&R, "category3")->requires, (1u << ID_CHECK_NUMBER) |
                                                                   (1u << ID_CHECK_AUTHORITY) |
                                                                   (1u << ID_CHECK_AGENT_IDENTITY));
}

/* 健康保険法 第194条の2 (告知要求制限): the insured person's symbol and number are never asked
 * for or copied, on the old card and on the 資格確認書; documents showing the My Number have
 * no reference either. The paper card ends on 2025-12-01 at the latest. */
static void test_idrules__no_reference_for_insurance_cards(void **state)
{
    (void)state;
    static const char *const never[] = {"health_insurance_card", "qualification_certificate",
                                        "mynumber_card",         "notification_card",
                                        "juminhyo_with_number",  NULL};
    for (size_t i = 0; never[i]; i++) {
        const struct id_doc_def *d = idrules_doc(&R, never[i]);
        assert_non_null(d);
        if (d->ref_allowed)
            fail_msg("%s allows a reference", never[i]);
    }
    struct id_presented p[3] = {{"notification_card", ID_CHECK_NUMBER, ""},
                                {"health_insurance_card", ID_CHECK_IDENTITY, "1234"},
                                {"pension_book", ID_CHECK_IDENTITY, ""}};
    struct id_case c = {"self", ID_CHANNEL_IN_PERSON, PERSON_EMPLOYEE, 0, 0, 0, "2025-11-01", p, 3};
    struct id_verdict v;
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_REF_NUMBER);
    p[1].ref = "";
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_OK);
    c.date = "2025-12-01";
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_OK);
    c.date = "2025-12-02";
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_DOC_EXPIRED);
    p[1].doc = "qualification_certificate";
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_OK);
    p[1].ref = "12";
    assert_int_equal(idrules_evaluate(&R, &c, &v, NULL), MNV_ERR_ID_REF_NUMBER);
}

/* The questions a wizard puts: the exemption, the checks in order, the documents offered. */
static void test_idrules__plan_and_offers(void **state)
{
    (void)state;
    const struct id_route_def *self = idrules_route(&R, "self");
    const struct id_route_def *agent = idrules_route(&R, "agent");
    const struct id_route_def *declared = idrules_route(&R, "employee_declared");
    assert_non_null(self);
    assert_non_null(agent);
    assert_non_null(declared);
    assert_true(idrules_known_allowed(&R, self, ID_CHANNEL_IN_PERSON));
    assert_false(idrules_known_allowed(&R, self, ID_CHANNEL_POST));
    assert_false(idrules_known_allowed(&R, self, (enum id_channel)99));
    assert_false(idrules_known_allowed(&R, declared, ID_CHANNEL_IN_PERSON));
    enum id_check c[ID_CHECK__COUNT];
    assert_int_equal(idrules_plan(self, 0, c), 2);
    assert_int_equal(c[0], ID_CHECK_NUMBER);
    assert_int_equal(c[1], ID_CHECK_IDENTITY);
    assert_int_equal(idrules_plan(self, 1, c), 1); /* identity waived; the number never */
    assert_int_equal(c[0], ID_CHECK_NUMBER);
    assert_int_equal(idrules_plan(agent, 0, c), 3);
    assert_int_equal(c[1], ID_CHECK_AUTHORITY);
    assert_int_equal(c[2], ID_CHECK_AGENT_IDENTITY);
    assert_int_equal(idrules_plan(agent, 1, c), 2); /* the agent's identity waived */
    assert_int_equal(c[1], ID_CHECK_AUTHORITY);
    assert_int_equal(idrules_plan(declared, 0, c), 0);
    /* Offered exactly when idrules_evaluate() would take the document for that check. */
    for (size_t i = 0; i < R.ndocs; i++)
        for (int k = 0; k < ID_CHECK__COUNT; k++)
            for (int ch = 0; ch < ID_CHANNEL__COUNT; ch++) {
                const struct id_doc_def *d = &R.docs[i];
                struct id_presented p = {d->code, (enum id_check)k, ""};
                struct id_case cs = {
                    "self", (enum id_channel)ch, PERSON_EMPLOYEE, 0, 0, 0, "2026-04-01", &p, 1};
                struct id_verdict v;
                enum mnv_err err = idrules_evaluate(&R, &cs, &v, NULL);
                int taken = err != MNV_ERR_ID_DOC_WRONG_CHECK && err != MNV_ERR_ID_DOC_CHANNEL &&
                            err != MNV_ERR_ID_DOC_EXPIRED;
                assert_int_equal(
                    idrules_doc_offered(d, (enum id_check)k, (enum id_channel)ch, "2026-04-01"),
                    taken);
            }
    const struct id_doc_def *card = idrules_doc(&R, "notification_card");
    assert_non_null(card);
    assert_true(idrules_doc_offered(card, ID_CHECK_NUMBER, ID_CHANNEL_POST, NULL));
    assert_false(idrules_doc_offered(card, ID_CHECK_IDENTITY, ID_CHANNEL_POST, NULL));
    assert_false(idrules_doc_offered(card, ID_CHECK_NUMBER, (enum id_channel) - 1, NULL));
}
