/*
 * Execution and certificates: an approved proposal is executed by a supervisor in one
 * transaction (the numbers, data keys, blind indexes, purposes and document references
 * gone; every other number still opens under the new epoch key; the old epoch key gone from
 * the key file); the certificate is canonical JSON signed with Ed25519, holds no number and
 * no hash of one, fails on every changed byte, and names the previous one; a proposal that
 * went stale is refused at execution with nothing deleted; copies outstanding; finishing
 * twice does nothing more. Called directly, as a program linking the library would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/backup.h"
#include "mnvault/cert.h"
#include "mnvault/cjson.h"
#include "mnvault/collect.h"
#include "mnvault/disposal.h"
#include "mnvault/insurance.h"
#include "mnvault/keyring.h"
#include "mnvault/numtext.h"
#include "mnvault/people.h"
#include "mnvault/purpose.h"
#include "mnvault/retention.h"
#include "mnvault/reveal.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"
#include "svcfix.h"

static struct purpose_catalog cat;
static struct retention_rules rules;
static struct mynumber num;
static struct person_ref ref_a, ref_b, ref_c, ref_keep;
static int64_t nr_a, nr_b, nr_c;
static const char *const digits_a = "123456789018", *const digits_b = "987654321093",
                         *const digits_c = "111111111118", *const digits_keep = "222222222225";

/* An employee with a number collected in person; the driving licence's reference is kept. */
static int64_t add(struct session *s, const char *code, const char *retire, const char *digits,
                   struct person_ref *ref)
{
    struct employee e;
    memset(&e, 0, sizeof(e));
    snprintf(e.code, sizeof(e.code), "%s", code);
    snprintf(e.name, sizeof(e.name), "見本 %s", code);
    snprintf(e.kana, sizeof(e.kana), "ミホン");
    snprintf(e.birth_date, sizeof(e.birth_date), "1930-01-02");
    e.sex = SEX_MALE;
    snprintf(e.hire_date, sizeof(e.hire_date), "1955-04-01");
    snprintf(e.retire_date, sizeof(e.retire_date), "%s", retire);
    if (people_employee_add(s, &e, NULL) != MNV_OK)
        return 0;
    struct collect_request r;
    memset(&r, 0, sizeof(r));
    r.person = (struct person_ref){PERSON_EMPLOYEE, e.id};
    if (mynumber_parse(&num, MYNUMBER_INDIVIDUAL, digits, 12, NULL) != MNV_OK)
        return 0;
    r.number = &num;
    snprintf(r.route, sizeof(r.route), "self");
    r.channel = ID_CHANNEL_IN_PERSON;
    snprintf(r.verified_by, sizeof(r.verified_by), "人事 花子");
    snprintf(r.verified_on, sizeof(r.verified_on), "1990-01-04");
    r.ndocs = 2;
    snprintf(r.docs[0].doc, sizeof(r.docs[0].doc), "mynumber_card");
    r.docs[0].check = ID_CHECK_NUMBER;
    snprintf(r.docs[1].doc, sizeof(r.docs[1].doc), "drivers_licence");
    r.docs[1].check = ID_CHECK_IDENTITY;
    snprintf(r.docs[1].ref, sizeof(r.docs[1].ref), "A7X2");
    r.npurposes = 1;
    snprintf(r.purposes[0].code, sizeof(r.purposes[0].code), "tax_withholding");
    snprintf(r.purposes[0].date, sizeof(r.purposes[0].date), "1990-01-04");
    enum mnv_err err = collect_store(s, &r, NULL, NULL);
    if (err != MNV_OK) {
        fprintf(stderr, "collect_store %s: %s\n", code, mnv_err_name(err));
        return 0;
    }
    *ref = r.person;
    struct number_info info;
    return people_number_info(s, ref, &info, NULL) == MNV_OK ? info.id : 0;
}

static int group_setup(void **state)
{
    (void)state;
    if (svc_make() != 0 || purpose_catalog_load(NULL, &cat, NULL) != MNV_OK ||
        retention_rules_load(NULL, &cat, &rules, NULL) != MNV_OK)
        return -1;
    struct session *c = svc_login("clerk");
    if (!c)
        return -1;
    nr_a = add(c, "D0001", "1993-03-31", digits_a, &ref_a);
    nr_b = add(c, "D0002", "1995-03-31", digits_b, &ref_b);
    nr_c = add(c, "D0003", "1998-03-31", digits_c, &ref_c);
    int64_t keep = add(c, "C0001", "", digits_keep, &ref_keep);
    /* Insurance facts of the employee kept: rows sealed under the epoch key too, which
     * every execution must rewrap before it can destroy the old key. */
    struct insurance_change ch[] = {{"shaho.acquired_on", "2025-04-01"},
                                    {"shaho.pay_cash", "280000"}};
    size_t changed = 0;
    enum mnv_err err = insurance_set(c, &ref_keep, ch, 2, &changed, NULL);
    session_logout(c);
    return nr_a && nr_b && nr_c && keep && err == MNV_OK && changed == 2 ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    mynumber_clear(&num);
    retention_rules_free(&rules);
    purpose_catalog_free(&cat);
    return svc_drop();
}

/* Propose ids as the clerk and approve as sup2 (made here on first use). */
static int64_t approved(const int64_t *ids, size_t n)
{
    static int have_sup2;
    static const char pw[] = "nine quiet herons at dusk";
    if (!have_sup2) {
        struct session *a = svc_login("admin");
        struct account_spec spec;
        char otp[ACCOUNTS_OTP_SIZE];
        accounts_spec_init(&spec, "sup2", ROLE_SUPERVISOR);
        assert_int_equal(accounts_add(a, &spec, pw, strlen(pw), otp, NULL), MNV_OK);
        session_logout(a);
        struct session *s2 = NULL;
        enum mnv_err err =
            session_login(svc_dir, "sup2", pw, strlen(pw), &svc_opts, &s2, NULL, NULL);
        if (err == MNV_ERR_MUST_CHANGE)
            err = session_change_password(s2, NULL, 0, pw, strlen(pw), NULL, NULL);
        session_logout(s2);
        assert_int_equal(err, MNV_OK);
        /* a supervisor an administrator made waits for another's approval */
        assert_int_equal(svc_approve("sup2"), MNV_OK);
        have_sup2 = 1;
    }
    struct session *c = svc_login("clerk");
    int64_t id = 0;
    assert_int_equal(disposal_propose(c, &rules, ids, n, "年度末", &id, NULL), MNV_OK);
    session_logout(c);
    struct session *s = NULL;
    enum mnv_err err = session_login(svc_dir, "sup2", pw, strlen(pw), &svc_opts, &s, NULL, NULL);
    if (err == MNV_ERR_MUST_CHANGE)
        err = session_change_password(s, NULL, 0, pw, strlen(pw), NULL, NULL);
    assert_int_equal(err, MNV_OK);
    assert_int_equal(disposal_approve(s, &rules, id, "保存期間経過を確認", NULL, NULL, NULL),
                     MNV_OK);
    session_logout(s);
    return id;
}

static struct backup_options bo = {NULL, 3};

/* The digits of a number and the hex SHA-256 of them must not be in text. */
static void no_number(const char *text, const char *digits)
{
    assert_null(strstr(text, digits));
    assert_null(strstr(text, digits + 4)); /* not even the last 8 */
    unsigned char h[32];
    char hex[65];
    crypto_hash_sha256(h, (const unsigned char *)digits, 12);
    sodium_bin2hex(hex, sizeof(hex), h, sizeof(h));
    assert_null(strstr(text, hex));
}

static unsigned char *cert_file(struct session *s, const char *id, size_t *len)
{
    char dir[300], path[400];
    snprintf(dir, sizeof(dir), "%s/%s", svc_dir, CERT_FOLDER);
    snprintf(path, sizeof(path), "%s/%s.json", dir, id);
    (void)s;
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    static unsigned char buf[1 << 16];
    *len = fread(buf, 1, sizeof(buf), f);
    fclose(f);
    return buf;
}

/* The newest audit entry of this action among the last 20. */
static struct audit_entry last_of(struct session *s, const char *action)
{
    struct audit_entry e[20], none;
    size_t n = 0;
    memset(&none, 0, sizeof(none));
    if (auditlog_recent(session_vault(s), 20, e, &n, NULL) != MNV_OK)
        return none;
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].action, action) == 0)
            return e[i];
    return none;
}

static char first_id[CERT_ID_MAX + 1];
static unsigned char first_sha[CERT_SHA256_LEN];

/* A vault id that starts with 8 decimal digits: no certificate id holds a number the audit
 * writer refuses (with "-" as the joint, "12345678-000009" is 14 digits in one token, and one
 * vault in about 40 starts that way: its disposals stopped at the first unlucky serial). */
static void test_cert__id_never_holds_a_number(void **state)
{
    (void)state;
    const char *ids[] = {"12345678abcdef", "99999999", "00000000ffff", "1a4f172c0011"};
    char id[CERT_ID_MAX + 1];
    for (size_t k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
        for (long long n = 1; n <= 200000; n++) {
            cert_id_format(id, ids[k], n);
            if (numtext_has_number(id, strlen(id), NUMTEXT_ANY_RUN | NUMTEXT_WORDS))
                fail_msg("certificate id %s holds a number", id);
        }
    cert_id_format(id, "1a4f172c99", 1);
    assert_string_equal(id, "1a4f172c_000001");
    /* the old joint would have: the check is able to fail */
    int old_hits = 0;
    for (long long n = 1; n <= 1000; n++) {
        char bad[64];
        snprintf(bad, sizeof(bad), "%.8s-%06lld", ids[0], n);
        old_hits += numtext_has_number(bad, strlen(bad), NUMTEXT_ANY_RUN | NUMTEXT_WORDS);
    }
    assert_true(old_hits > 0);
}

static void test_cert__execute_deletes_and_certifies(void **state)
{
    (void)state;
    int64_t ids[] = {nr_a, nr_b};
    int64_t id = approved(ids, 2);
    struct session *c = svc_login("clerk");
    struct disposal_done d;
    assert_int_equal(disposal_execute(c, &rules, id, &bo, &d, NULL), MNV_ERR_DENIED);
    session_logout(c);
    struct session *s = svc_login("sup");
    uint32_t before = keyring_epoch_current(vault_keyring(session_vault(s)));
    assert_int_equal(disposal_execute(s, &rules, id, &bo, &d, NULL), MNV_OK);
    assert_int_equal(d.after, MNV_OK);
    assert_int_equal(d.numbers, 2);
    assert_int_equal(d.epoch_from, before);
    assert_true(d.epoch_to > before);
    assert_true(d.epochs_destroyed >= 1);
    assert_true(d.vacuumed);
    assert_int_equal(d.files, 2);
    assert_int_equal(d.cert.seq, 1);
    assert_false(d.cert.has_previous);
    snprintf(first_id, sizeof(first_id), "%s", d.cert.id);
    memcpy(first_sha, d.cert.sha256, CERT_SHA256_LEN);
    /* Executed once only. */
    struct disposal_done again;
    assert_int_equal(disposal_execute(s, &rules, id, &bo, &again, NULL), MNV_ERR_PROPOSAL_STATE);
    /* The audit entry names the certificate; the VACUUM after it is recorded too. */
    struct audit_entry e = last_of(s, "disposal.execute");
    assert_string_equal(e.action, "disposal.execute");
    assert_true(last_of(s, "disposal.vacuum").seq > e.seq);
    char want[200], hex[65];
    snprintf(want, sizeof(want), "certificate=%s sha256=%s numbers=2 epoch=%u>%u", d.cert.id,
             vcrypto_hex(hex, d.cert.sha256, 32), d.epoch_from, d.epoch_to);
    assert_string_equal(e.detail, want);

    /* The numbers are gone: disposed, nothing to reveal, no purposes, no references. */
    struct number_info info;
    assert_int_equal(people_number_info(s, &ref_a, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_DISPOSED);
    assert_int_equal(info.n_purposes, 0);
    struct mynumber *out = secmem_alloc(sizeof(*out));
    assert_int_not_equal(reveal_number(s, &ref_b, "tax_withholding", "確認", out, NULL), MNV_OK);
    struct collect_rec *hist = NULL;
    size_t nh = 0;
    assert_int_equal(collect_history(s, &ref_a, &hist, &nh, NULL), MNV_OK);
    assert_int_equal(nh, 1);
    assert_int_equal(hist[0].ndocs, 2);
    assert_string_equal(hist[0].docs[1].doc, "drivers_licence");
    assert_string_equal(hist[0].docs[1].ref, "");
    free(hist);
    assert_int_equal(collect_history(s, &ref_keep, &hist, &nh, NULL), MNV_OK);
    assert_string_equal(hist[0].docs[1].ref, "A7X2"); /* a number kept keeps its references */
    free(hist);
    /* Everyone else's number opens under the new epoch key. */
    assert_int_equal(reveal_number(s, &ref_keep, "tax_withholding", "確認", out, NULL), MNV_OK);
    assert_string_equal(out->digits, digits_keep);
    mynumber_clear(out);
    secmem_free(out);
    /* The insurance facts kept were rewrapped and open. */
    struct insurance_facts f;
    assert_int_equal(insurance_get(s, &ref_keep, &f, NULL), MNV_OK);
    assert_string_equal(insurance_value(&f, "shaho.pay_cash"), "280000");
    insurance_facts_free(&f);
    /* The old epoch key is gone from the key file; the vault checks out whole. */
    const unsigned char *key;
    assert_int_equal(vault_epoch_key(session_vault(s), d.epoch_from, &key), MNV_ERR_EPOCH_GONE);
    session_logout(s);
}

static void test_cert__certificate_holds_and_breaks(void **state)
{
    (void)state;
    struct session *s = svc_login("aud");
    size_t len;
    unsigned char *data = cert_file(s, first_id, &len);
    char *text = calloc(1, len + 1);
    memcpy(text, data, len);
    no_number(text, digits_a);
    no_number(text, digits_b);
    assert_non_null(strstr(text, "\"employee_code\":\"D0001\",\"employee_name\":\"見本 D0001\""));
    assert_non_null(strstr(text, "\"by\":\"sup2\",\"reason\":\"保存期間経過を確認\""));
    assert_non_null(strstr(text, "\"format\":\"" CERT_FORMAT "\""));
    struct cert_check r;
    assert_int_equal(cert_verify_data(data, len, &r), MNV_OK);
    assert_true(r.signature_ok);
    assert_string_equal(r.id, first_id);
    assert_int_equal(r.numbers, 2);
    assert_string_equal(r.previous, "");
    struct cert_standing st;
    assert_int_equal(cert_vault_check(s, &r, &st, NULL), MNV_OK);
    assert_true(st.key_ok && st.registered && st.chain_ok);
    assert_int_equal(st.seq, 1);
    char key[65];
    struct session *sup = svc_login("sup");
    assert_int_equal(cert_public_key(sup, key, NULL), MNV_OK);
    session_logout(sup);
    assert_string_equal(key, r.public_key);
    /* Every byte changed (one bit each) breaks it. */
    unsigned char *copy = malloc(len);
    long held = 0;
    for (size_t i = 0; i < len; i++)
        for (int bit = 0; bit < 8; bit += 7) {
            memcpy(copy, data, len);
            copy[i] ^= (unsigned char)(1u << bit);
            held += cert_verify_data(copy, len, &r) == MNV_OK;
        }
    assert_int_equal(held, 0);
    /* Cut short, lengthened, or the same JSON laid out differently: refused too. */
    assert_int_equal(cert_verify_data(data, len - 1, &r), MNV_ERR_CERT_BAD);
    memcpy(copy, data, len);
    assert_int_equal(cert_verify_data(copy, len - 1, &r), MNV_ERR_CERT_BAD);
    char *pretty = malloc(len + 16);
    snprintf(pretty, len + 16, "%s\n", text); /* a second newline */
    assert_int_equal(cert_verify_data((unsigned char *)pretty, len + 1, &r), MNV_ERR_CERT_BAD);
    /* Valid JSON with a space after the first comma: the same object, not canonical. */
    char *comma = strchr(text, ',');
    snprintf(pretty, len + 16, "%.*s, %s", (int)(comma - text), text, comma + 1);
    struct cjson *doc = NULL;
    assert_int_equal(cjson_parse(pretty, len, &doc, NULL), MNV_OK);
    cjson_free(doc);
    assert_int_equal(cert_verify_data((unsigned char *)pretty, len + 1, &r), MNV_ERR_CERT_BAD);
    free(pretty);
    free(copy);
    free(text);
    session_logout(s);
}

static void test_cert__stale_at_execution_deletes_nothing(void **state)
{
    (void)state;
    int64_t id = approved(&nr_c, 1);
    /* A hold placed after the approval: the facts changed. */
    struct session *s = svc_login("sup");
    assert_int_equal(retention_hold(s, &rules, &ref_c, "税務調査", "2027-03-01", NULL), MNV_OK);
    struct disposal_done d;
    assert_int_equal(disposal_execute(s, &rules, id, &bo, &d, NULL), MNV_ERR_PROPOSAL_STALE);
    struct number_info info;
    assert_int_equal(people_number_info(s, &ref_c, &info, NULL), MNV_OK);
    assert_int_equal(info.status, NUMBER_REGISTERED);
    struct cert_rec *all = NULL;
    size_t n = 0;
    assert_int_equal(cert_list(s, &all, &n, NULL), MNV_OK);
    assert_int_equal(n, 1);
    free(all);
    struct disposal_proposal p;
    struct disposal_row *rows;
    assert_int_equal(disposal_get(s, id, &p, &rows, &n, NULL), MNV_OK);
    free(rows);
    assert_int_equal(p.state, DISPOSAL_STALE);
    assert_string_equal(svc_last(s).action, "disposal.stale");
    /* The number still opens (its data key was rewrapped with every other). */
    struct mynumber *out = secmem_alloc(sizeof(*out));
    assert_int_equal(reveal_number(s, &ref_c, "tax_withholding", "確認", out, NULL), MNV_OK);
    mynumber_clear(out);
    secmem_free(out);
    assert_int_equal(retention_release(s, &ref_c, NULL), MNV_OK);
    session_logout(s);
}

static void test_cert__chain_and_outstanding(void **state)
{
    (void)state;
    /* A backup written to a file of the user's choosing before the deletion. */
    struct session *s = svc_login("sup");
    char path[400];
    snprintf(path, sizeof(path), "%s/mine.mnvbak", svc_dir);
    struct backup_made made;
    assert_int_equal(backup_make(s, path, &bo, &made, NULL), MNV_OK);
    session_logout(s);
    int64_t id = approved(&nr_c, 1);
    s = svc_login("sup");
    struct disposal_done d;
    assert_int_equal(disposal_execute(s, &rules, id, &bo, &d, NULL), MNV_OK);
    assert_int_equal(d.cert.seq, 2);
    assert_true(d.cert.has_previous);
    assert_memory_equal(d.cert.previous, first_sha, CERT_SHA256_LEN);
    size_t len;
    unsigned char *data = cert_file(s, d.cert.id, &len);
    struct cert_check r;
    assert_int_equal(cert_verify_data(data, len, &r), MNV_OK);
    char hex[65];
    assert_string_equal(r.previous, vcrypto_hex(hex, first_sha, CERT_SHA256_LEN));
    struct cert_standing st;
    assert_int_equal(cert_vault_check(s, &r, &st, NULL), MNV_OK);
    assert_true(st.key_ok && st.registered && st.chain_ok);
    assert_int_equal(st.seq, 2);
    /* The same, as the certificate screen asks for it: by proposal. */
    struct cert_rec rec;
    memset(&st, 0, sizeof(st));
    assert_int_equal(cert_of_proposal(s, id, &rec, &r, &st, NULL), MNV_OK);
    assert_string_equal(rec.id, d.cert.id);
    assert_true(r.signature_ok && st.key_ok && st.registered && st.chain_ok);
    assert_int_equal(st.seq, 2);
    assert_int_equal(cert_of_proposal(s, id + 1000, &rec, &r, &st, NULL), MNV_ERR_NOT_FOUND);
    assert_non_null(memmem(data, len, path, strlen(path)));
    /* Outstanding: the user's backup, until recorded as destroyed. */
    struct cert_outstanding o;
    assert_int_equal(cert_outstanding(s, &o, NULL), MNV_OK);
    assert_int_equal(o.nbackups, 1);
    assert_string_equal(o.backups[0].path, path);
    assert_int_equal(o.nexports, 0);
    int64_t bid = o.backups[0].id;
    cert_outstanding_free(&o);
    struct session *c = svc_login("clerk");
    assert_int_equal(cert_backup_destroyed(c, bid, "", NULL), MNV_ERR_DENIED);
    session_logout(c);
    assert_int_equal(cert_backup_destroyed(s, bid, "番号 1234 5678 9018", NULL),
                     MNV_ERR_REASON_NUMBER);
    assert_int_equal(cert_backup_destroyed(s, bid, "シュレッダー", NULL), MNV_OK);
    assert_string_equal(svc_last(s).action, "backup.destroyed");
    assert_int_equal(cert_backup_destroyed(s, bid, "", NULL), MNV_ERR_NOT_FOUND);
    assert_int_equal(cert_outstanding(s, &o, NULL), MNV_OK);
    assert_int_equal(o.nbackups + o.nexports, 0);
    cert_outstanding_free(&o);
    /* Finishing again finds nothing left to do. */
    assert_int_equal(disposal_finish(s, &bo, &d, NULL), MNV_OK);
    assert_int_equal(d.epochs_destroyed + d.files + (size_t)d.vacuumed + (size_t)d.backed_up +
                         d.backups_forgotten,
                     0);
    session_logout(s);
}
