/* Unit tests for logging in: lockout, unknown users, TOTP, must-change, windows, locking. */
#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/keyring.h"
#include "mnvault/people.h"
#include "mnvault/totp.h"
#include "svcfix.h"

static int setup(void **state)
{
    (void)state;
    return svc_make();
}

static int teardown(void **state)
{
    (void)state;
    setenv("MNVAULT_TEST_NOW", SVC_NOW, 1);
    return svc_drop();
}

static enum mnv_err try_login(const char *name, const char *pw, struct login_info *info,
                              struct session **out)
{
    struct session *s = NULL;
    enum mnv_err err = session_login(svc_dir, name, pw, strlen(pw), &svc_opts, &s, info, NULL);
    if (out)
        *out = s;
    else
        session_logout(s);
    return err;
}

static void test_session__login_ok_and_accessors(void **state)
{
    (void)state;
    struct session *s;
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, &s), MNV_OK);
    assert_string_equal(session_user(s), "clerk");
    assert_int_equal(session_role(s), ROLE_CLERK);
    assert_string_equal(session_org(s), "テスト株式会社");
    assert_int_equal(session_ready(s), MNV_OK);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "login");
    assert_string_equal(e.result, "ok");
    session_logout(s);
}

static void test_session__wrong_and_unknown_look_the_same(void **state)
{
    (void)state;
    struct login_info a, b;
    assert_int_equal(try_login("clerk", "not the password at all", &a, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(try_login("nobody", "not the password at all", &b, NULL),
                     MNV_ERR_LOGIN_FAILED);
    assert_int_equal(a.attempts_left, 4);
    assert_int_equal(b.attempts_left, 4);
    assert_int_equal(try_login("clerk", "not the password at all", &a, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(try_login("nobody", "not the password at all", &b, NULL),
                     MNV_ERR_LOGIN_FAILED);
    assert_int_equal(a.attempts_left, b.attempts_left);
    for (int i = 0; i < 3; i++)
        (void)try_login("nobody", "x", &b, NULL);
    assert_int_equal(try_login("nobody", "x", &b, NULL), MNV_ERR_LOCKED); /* locks too */
}

/* A My Number never reaches the audit log as a user name: such names cannot be made, an
 * unknown name is queued as "", and a queued name that holds one (a slot made before names
 * were checked) is withheld, so the queue of failures cannot jam on it. */
static void test_session__number_typed_as_name_is_withheld(void **state)
{
    (void)state;
    assert_false(userdb_name_valid("123456789018"));
    assert_false(userdb_name_valid("u.1234-5678-9018"));
    assert_true(userdb_name_valid("tanaka123456789018"));
    assert_true(userdb_name_valid("123456789019"));
    assert_int_equal(try_login("1234-5678-9018", "not the password at all", NULL, NULL),
                     MNV_ERR_LOGIN_FAILED);
    struct keyring *kr;
    assert_int_equal(keyring_load(svc_dir, &kr, NULL), MNV_OK);
    assert_int_equal(keyring_begin(kr, NULL, NULL), MNV_OK);
    keyring_event_add(kr, (int64_t)clock_now(), KEYRING_EVENT_LOGIN_FAILED, "123456789018");
    assert_int_equal(keyring_commit(kr, NULL, NULL), MNV_OK);
    keyring_free(kr);
    struct session *s = svc_login("aud");
    assert_non_null(s);
    struct audit_entry e[4];
    size_t n;
    assert_int_equal(auditor_recent(s, 4, e, &n, NULL), MNV_OK);
    int withheld = 0;
    for (size_t i = 0; i < n; i++) {
        assert_null(strstr(e[i].user, "9018"));
        assert_null(strstr(e[i].subject, "9018"));
        withheld +=
            strcmp(e[i].action, "login.failed") == 0 && strcmp(e[i].detail, "name_withheld") == 0;
    }
    assert_int_equal(withheld, 1);
    session_logout(s);
}

static void test_session__counter_is_written_before_the_check(void **state)
{
    (void)state;
    assert_int_equal(try_login("sup", "wrong wrong wrong wrong", NULL, NULL), MNV_ERR_LOGIN_FAILED);
    struct keyring *kr;
    assert_int_equal(keyring_load(svc_dir, &kr, NULL), MNV_OK);
    struct keyring_login_state st;
    keyring_login_state_get(kr, "sup", &st);
    assert_int_equal(st.failures, 1);
    assert_int_equal(keyring_event_count(kr), 1);
    assert_string_equal(keyring_event_at(kr, 0)->name, "sup");
    keyring_free(kr);
}

static void test_session__lockout_after_five_and_it_grows(void **state)
{
    (void)state;
    struct login_info info;
    for (int i = 1; i <= 4; i++) {
        assert_int_equal(try_login("clerk", "bad", &info, NULL), MNV_ERR_LOGIN_FAILED);
        assert_int_equal(info.attempts_left, 5 - i);
    }
    assert_int_equal(try_login("clerk", "bad", &info, NULL), MNV_ERR_LOCKED);
    assert_int_equal(info.wait_seconds, 15 * 60);
    /* The right password does not help while locked, and nothing is counted. */
    assert_int_equal(try_login("clerk", svc_pw("clerk"), &info, NULL), MNV_ERR_LOCKED);
    setenv("MNVAULT_TEST_NOW", "2026-12-01T01:14:00", 1);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), &info, NULL), MNV_ERR_LOCKED);
    assert_int_equal(info.wait_seconds, 60);
    /* After the lock: five more attempts, then twice as long. */
    setenv("MNVAULT_TEST_NOW", "2026-12-01T01:16:00", 1);
    for (int i = 0; i < 4; i++)
        assert_int_equal(try_login("clerk", "bad", &info, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(try_login("clerk", "bad", &info, NULL), MNV_ERR_LOCKED);
    assert_int_equal(info.wait_seconds, 30 * 60);
    assert_int_equal(session_lock_delay(1), 900);
    assert_int_equal(session_lock_delay(3), 3600);
    assert_int_equal(session_lock_delay(20), 24 * 3600);
}

static void test_session__clock_set_back_keeps_the_lock(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        (void)try_login("clerk", "bad", NULL, NULL);
    setenv("MNVAULT_TEST_NOW", "2026-11-01T01:00:00", 1);
    struct login_info info;
    assert_int_equal(try_login("clerk", svc_pw("clerk"), &info, NULL), MNV_ERR_LOCKED);
}

static void test_session__unlock_by_supervisor_and_events_audited(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        (void)try_login("clerk", "bad", NULL, NULL);
    struct session *s = svc_login("sup");
    assert_non_null(s);
    /* The queued failures reached the audit log at sup's login. */
    struct audit_entry e[10];
    size_t n;
    assert_int_equal(auditor_recent(s, 10, e, &n, NULL), MNV_OK);
    int failed = 0, lockout = 0;
    for (size_t i = 0; i < n; i++) {
        failed += strcmp(e[i].action, "login.failed") == 0 && strcmp(e[i].user, "clerk") == 0;
        lockout += strcmp(e[i].action, "lockout") == 0;
    }
    assert_int_equal(failed, 5);
    assert_int_equal(lockout, 1);
    assert_int_equal(accounts_unlock(s, "clerk", NULL), MNV_OK);
    session_logout(s);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_OK);
}

static void test_session__disabled_window_expired(void **state)
{
    (void)state;
    struct session *a = svc_login("admin");
    assert_int_equal(accounts_set_disabled(a, "clerk", 1, NULL), MNV_OK);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_LOGIN_FAILED);
    /* Disabling removed the key slot: enabling needs a new one-time password. */
    assert_int_equal(accounts_set_disabled(a, "clerk", 0, NULL), MNV_OK);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_LOGIN_FAILED);
    char otp[ACCOUNTS_OTP_SIZE];
    assert_int_equal(accounts_reset_password(a, "clerk", otp, NULL), MNV_OK);
    struct session *c = NULL;
    assert_int_equal(session_login(svc_dir, "clerk", otp, strlen(otp), &svc_opts, &c, NULL, NULL),
                     MNV_ERR_MUST_CHANGE);
    assert_int_equal(
        session_change_password(c, NULL, 0, svc_pw("clerk"), strlen(svc_pw("clerk")), NULL, NULL),
        MNV_OK);
    session_logout(c);
    unsigned days;
    int start, end;
    assert_int_equal(accounts_parse_days("sat-sun", &days), MNV_OK);
    assert_int_equal(accounts_parse_hours("all", &start, &end), MNV_OK);
    assert_int_equal(accounts_set_window(a, "clerk", days, start, end, NULL, NULL), MNV_OK);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_WINDOW);
    assert_int_equal(accounts_parse_days("mon-fri", &days), MNV_OK);
    assert_int_equal(accounts_parse_hours("11:00-18:00", &start, &end), MNV_OK);
    assert_int_equal(accounts_set_window(a, "clerk", days, start, end, NULL, NULL), MNV_OK);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_WINDOW);
    assert_int_equal(accounts_parse_hours("09:00-18:00", &start, &end), MNV_OK);
    assert_int_equal(accounts_set_window(a, "clerk", days, start, end, "2026-11-30", NULL), MNV_OK);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_EXPIRED);
    assert_int_equal(accounts_set_window(a, "clerk", days, start, end, "2026-12-01", NULL), MNV_OK);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_OK);
    struct audit_entry e = svc_last(a);
    assert_string_equal(e.action, "logout"); /* clerk's */
    session_logout(a);
}

static void test_session__window_rules(void **state)
{
    (void)state;
    struct session *a = svc_login("admin");
    struct vault *v = session_vault(a);
    struct user_rec u;
    userdb_init(&u);
    time_t tue10 = 1764550800; /* 2026-12-01 10:00 JST */
    assert_int_equal(session_window_check(v, &u, tue10), MNV_OK);
    u.win_start = 22 * 60;
    u.win_end = 6 * 60;       /* over midnight */
    setenv("TZ", "UTC+8", 1); /* the workstation's zone does not matter */
    assert_int_equal(session_window_check(v, &u, tue10), MNV_ERR_WINDOW);
    assert_int_equal(session_window_check(v, &u, tue10 + 13 * 3600), MNV_OK); /* 23:00 */
    /* the organisation's zone does */
    assert_int_equal(setup_set_timezone(a, "UTC", NULL), MNV_OK);
    assert_int_equal(session_window_check(v, &u, tue10 + 13 * 3600), MNV_ERR_WINDOW);
    assert_int_equal(session_window_check(v, &u, tue10 + 22 * 3600), MNV_OK); /* 23:00 UTC */
    assert_int_equal(setup_set_timezone(a, "Mars/Olympus", NULL), MNV_ERR_FIELD_CHOICE);
    setenv("TZ", "Asia/Tokyo", 1);
    session_logout(a);
    unsigned d;
    int s, e;
    assert_int_equal(accounts_parse_days("fri-mon", &d), MNV_OK);
    assert_int_equal(d, (1u << 4) | (1u << 5) | (1u << 6) | 1u);
    assert_int_equal(accounts_parse_days("mon,xyz", &d), MNV_ERR_WINDOW_FORMAT);
    assert_int_equal(accounts_parse_hours("08:00-24:00", &s, &e), MNV_OK);
    assert_int_equal(e, 1440);
    assert_int_equal(accounts_parse_hours("8-9", &s, &e), MNV_ERR_WINDOW_FORMAT);
    assert_int_equal(accounts_parse_hours("10:00-10:00", &s, &e), MNV_ERR_WINDOW_FORMAT);
    char buf[64];
    u.win_days = 0x1F;
    u.win_start = 8 * 60;
    u.win_end = 20 * 60;
    snprintf(u.valid_until, sizeof(u.valid_until), "2027-03-31");
    assert_string_equal(accounts_format_window(buf, sizeof(buf), &u),
                        "mon-fri 08:00-20:00 until 2027-03-31");
}

static void test_session__must_change_after_reset(void **state)
{
    (void)state;
    struct session *a = svc_login("admin");
    char otp[ACCOUNTS_OTP_SIZE];
    assert_int_equal(accounts_reset_password(a, "clerk", otp, NULL), MNV_OK);
    assert_int_equal(strlen(otp), 29);
    char other[ACCOUNTS_OTP_SIZE];
    assert_int_equal(accounts_reset_password(a, "admin", other, NULL), MNV_ERR_SELF);
    session_logout(a);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_LOGIN_FAILED);
    struct session *s;
    assert_int_equal(try_login("clerk", otp, NULL, &s), MNV_ERR_MUST_CHANGE);
    assert_int_equal(session_ready(s), MNV_ERR_MUST_CHANGE);
    struct person_list l;
    assert_int_equal(people_list(s, &l, NULL), MNV_ERR_MUST_CHANGE);
    assert_int_equal(session_change_password(s, NULL, 0, "short", 5, NULL, NULL), MNV_ERR_PW_SHORT);
    const char *np = "a completely different secret phrase";
    assert_int_equal(session_change_password(s, NULL, 0, np, strlen(np), NULL, NULL), MNV_OK);
    assert_int_equal(session_ready(s), MNV_OK);
    session_logout(s);
    assert_int_equal(try_login("clerk", np, NULL, NULL), MNV_OK);
    assert_int_equal(try_login("clerk", otp, NULL, NULL), MNV_ERR_LOGIN_FAILED);
}

static void test_session__password_change_needs_the_old_one(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    const char *np = "another completely new passphrase";
    assert_int_equal(session_change_password(s, NULL, 0, np, strlen(np), NULL, NULL),
                     MNV_ERR_LOGIN_FAILED);
    assert_int_equal(session_change_password(s, "wrong old one", 13, np, strlen(np), NULL, NULL),
                     MNV_ERR_LOGIN_FAILED);
    const char *old = svc_pw("clerk");
    assert_int_equal(session_change_password(s, old, strlen(old), old, strlen(old), NULL, NULL),
                     MNV_ERR_PW_SAME);
    assert_int_equal(session_change_password(s, old, strlen(old), np, strlen(np), NULL, NULL),
                     MNV_OK);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "password.change");
    session_logout(s);
    assert_int_equal(try_login("clerk", old, NULL, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(try_login("clerk", np, NULL, NULL), MNV_OK);
}

/* The key file a crash leaves between the commit of a password change and the file's final
 * write: the old protected part, the new slot pending in the login state. */
static void crash_file(const unsigned char *old, size_t old_len, const char *name)
{
    char path[300];
    snprintf(path, sizeof(path), "%s/vault.keys", svc_dir);
    struct keyring *now, *kr;
    assert_int_equal(keyring_load(svc_dir, &now, NULL), MNV_OK);
    struct keyring_slot slot = *keyring_find_slot(now, name);
    keyring_free(now);
    assert_int_equal(fileio_write_atomic(path, old, old_len, 0600, NULL), MNV_OK);
    assert_int_equal(keyring_load(svc_dir, &kr, NULL), MNV_OK);
    assert_int_equal(keyring_begin(kr, NULL, NULL), MNV_OK);
    keyring_pending_set(kr, &slot);
    assert_int_equal(keyring_write_pending(kr, NULL), MNV_OK);
    keyring_abort(kr);
    keyring_free(kr);
}

/* A password change interrupted after its commit: the new password works, the old one not;
 * interrupted before it (the pending slot never committed): the old one works. */
static void test_session__password_change_crash(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/vault.keys", svc_dir);
    unsigned char *before;
    size_t len;
    assert_int_equal(fileio_read_all(path, 1 << 20, &before, &len, NULL), MNV_OK);
    struct session *s = svc_login("aud");
    const char *old = svc_pw("aud"), *np = "a passphrase chosen just before the crash";
    assert_int_equal(session_change_password(s, old, strlen(old), np, strlen(np), NULL, NULL),
                     MNV_OK);
    crash_file(before, len, "aud");
    session_logout(s);
    assert_int_equal(try_login("aud", old, NULL, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(try_login("aud", np, NULL, NULL), MNV_OK);
    assert_int_equal(try_login("aud", old, NULL, NULL), MNV_ERR_LOGIN_FAILED);
    free(before);
    /* Before the commit: the file as it was, with a pending slot the vault never took. */
    assert_int_equal(fileio_read_all(path, 1 << 20, &before, &len, NULL), MNV_OK);
    struct keyring *kr;
    assert_int_equal(keyring_load(svc_dir, &kr, NULL), MNV_OK);
    struct keyring_slot slot;
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, 0);
    struct keyring_keys *k = keyring_keys_new();
    assert_int_equal(keyring_slot_open(kr, "aud", np, strlen(np), k), MNV_OK);
    const char *never = "the password of a change that never committed";
    assert_int_equal(keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, "aud", never, strlen(never), &kdf,
                                       k, KEYRING_KEY_VK, &slot, NULL),
                     MNV_OK);
    assert_int_equal(keyring_begin(kr, NULL, NULL), MNV_OK);
    keyring_pending_set(kr, &slot);
    assert_int_equal(keyring_write_pending(kr, NULL), MNV_OK);
    keyring_abort(kr);
    keyring_free(kr);
    keyring_keys_free(k);
    free(before);
    assert_int_equal(try_login("aud", never, NULL, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(try_login("aud", np, NULL, NULL), MNV_OK);
}

static long code_at(const unsigned char *secret, const char *when)
{
    setenv("MNVAULT_TEST_NOW", when, 1);
    return totp_code(secret, TOTP_SECRET_LEN, clock_now(), TOTP_SHA1, 6);
}

static void test_session__totp_enrol_login_replay(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    unsigned char secret[TOTP_SECRET_LEN];
    char b32[TOTP_BASE32_SIZE], uri[512], code[16];
    assert_int_equal(accounts_totp_begin(s, secret, b32, uri, sizeof(uri), NULL), MNV_OK);
    assert_non_null(strstr(uri, "otpauth://totp/"));
    assert_int_equal(accounts_totp_confirm(s, secret, "000000", NULL) == MNV_OK, 0);
    snprintf(code, sizeof(code), "%06ld", code_at(secret, SVC_NOW));
    assert_int_equal(accounts_totp_confirm(s, secret, code, NULL), MNV_OK);
    assert_true(session_user_rec(s)->has_totp);
    session_logout(s);

    /* The enrolment's code cannot be used again to log in. */
    struct session *t;
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, &t), MNV_ERR_TOTP_NEEDED);
    assert_int_equal(session_ready(t), MNV_ERR_TOTP_NEEDED);
    struct login_info info;
    assert_int_equal(session_login_totp(t, code, &info, NULL), MNV_ERR_TOTP_REPLAY);
    snprintf(code, sizeof(code), "%06ld", (code_at(secret, "2026-12-01T01:01:00") + 1) % 1000000);
    assert_int_equal(session_login_totp(t, code, &info, NULL), MNV_ERR_TOTP_WRONG);
    snprintf(code, sizeof(code), "%06ld", code_at(secret, "2026-12-01T01:01:00"));
    assert_int_equal(session_login_totp(t, code, &info, NULL), MNV_OK);
    assert_int_equal(session_ready(t), MNV_OK);
    session_logout(t);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, &t), MNV_ERR_TOTP_NEEDED);
    assert_int_equal(session_login_totp(t, code, &info, NULL), MNV_ERR_TOTP_REPLAY);
    session_logout(t);

    struct session *a = svc_login("admin");
    assert_int_equal(accounts_totp_remove(a, "clerk", NULL), MNV_OK);
    assert_int_equal(accounts_totp_remove(a, "clerk", NULL), MNV_ERR_TOTP_NONE);
    session_logout(a);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_MUST_CHANGE);
}

/* Two sign-ins wait at the code prompt; the first uses the code: the second may not. */
static void test_session__totp_code_used_by_another_login(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    unsigned char secret[TOTP_SECRET_LEN];
    char b32[TOTP_BASE32_SIZE], uri[512], code[16];
    assert_int_equal(accounts_totp_begin(s, secret, b32, uri, sizeof(uri), NULL), MNV_OK);
    snprintf(code, sizeof(code), "%06ld", code_at(secret, SVC_NOW));
    assert_int_equal(accounts_totp_confirm(s, secret, code, NULL), MNV_OK);
    session_logout(s);

    struct session *a, *b;
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, &a), MNV_ERR_TOTP_NEEDED);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, &b), MNV_ERR_TOTP_NEEDED);
    snprintf(code, sizeof(code), "%06ld", code_at(secret, "2026-12-01T01:02:00"));
    struct login_info info;
    assert_int_equal(session_login_totp(a, code, &info, NULL), MNV_OK);
    assert_int_equal(session_login_totp(b, code, &info, NULL), MNV_ERR_TOTP_REPLAY);
    assert_int_equal(session_ready(b), MNV_ERR_TOTP_NEEDED);
    /* ... and the refusal is in the log, as a failed sign-in */
    struct audit_entry e = svc_last(a);
    assert_string_equal(e.action, "login");
    assert_string_equal(e.result, "failed");
    assert_string_equal(e.detail, "totp_replay");
    session_logout(a);
    session_logout(b);
}

static void test_session__lock_and_unlock(void **state)
{
    (void)state;
    struct session *s = svc_login("clerk");
    struct vault *v = session_vault(s);
    assert_true(vault_has_numbers(v));
    session_lock(s);
    assert_int_equal(session_ready(s), MNV_ERR_SESSION_LOCKED);
    /* Locked: no connection and no key (vault_suspend) */
    assert_true(vault_suspended(v));
    assert_ptr_equal(session_vault(s), v);
    const struct keyring_keys *k = vault_keys(v);
    static const unsigned char zero[VCRYPTO_KEY_LEN];
    assert_int_equal(k->have, 0);
    assert_memory_equal(k->vk, zero, sizeof(zero));
    assert_memory_equal(k->nk, zero, sizeof(zero));
    assert_memory_equal(k->sk, zero, sizeof(zero));
    assert_null(vault_subkey(v, VAULT_SUB_CHAIN));
    assert_null(vault_db(v));
    struct person_list l;
    assert_int_equal(people_list(s, &l, NULL), MNV_ERR_SESSION_LOCKED);
    struct login_info info;
    assert_int_equal(session_unlock(s, "not it", 6, &info, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(info.attempts_left, 4);
    assert_true(vault_suspended(v));
    const char *pw = svc_pw("clerk");
    assert_int_equal(session_unlock(s, pw, strlen(pw), &info, NULL), MNV_OK);
    assert_false(vault_suspended(v));
    assert_ptr_equal(session_vault(s), v);
    assert_true(vault_has_numbers(v));
    assert_int_equal(people_list(s, &l, NULL), MNV_OK);
    person_list_free(&l);
    /* The failure queued in the key file while the vault was closed, then the unlock */
    struct audit_entry e[2];
    size_t n = 0;
    assert_int_equal(auditlog_recent(v, 2, e, &n, NULL), MNV_OK);
    assert_int_equal(n, 2);
    assert_string_equal(e[0].action, "session.unlock");
    assert_string_equal(e[0].result, "ok");
    assert_string_equal(e[1].action, "unlock.failed");
    assert_string_equal(e[1].subject, "clerk");
    assert_int_equal(session_unlock(s, pw, strlen(pw), &info, NULL), MNV_ERR_INVALID);
    /* Locked again, then quit from the lock screen: nothing to write, nothing leaks */
    session_lock(s);
    assert_true(vault_suspended(v));
    session_logout(s);
}

static void test_session__missing_and_partial_vault(void **state)
{
    (void)state;
    struct session *s = NULL;
    assert_int_equal(session_login("/nonexistent/mnv", "x", "y", 1, &svc_opts, &s, NULL, NULL),
                     MNV_ERR_KEYFILE_MISSING);
    char keys[300];
    snprintf(keys, sizeof(keys), "%s/vault.keys", svc_dir);
    assert_int_equal(unlink(keys), 0);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_VAULT_PARTIAL);
}

/* A wrong password never reaches the database: it works with vault.db gone. */
static void test_session__wrong_password_before_database(void **state)
{
    (void)state;
    char db[300], away[300];
    snprintf(db, sizeof(db), "%s/vault.db", svc_dir);
    snprintf(away, sizeof(away), "%s/away.db", svc_dir);
    assert_int_equal(rename(db, away), 0);
    assert_int_equal(try_login("clerk", "wrong", NULL, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(try_login("clerk", svc_pw("clerk"), NULL, NULL), MNV_ERR_DB_MISSING);
    assert_int_equal(rename(away, db), 0);
    /* The right password reset the counter even though the database was missing. */
    struct login_info info;
    assert_int_equal(try_login("clerk", "wrong", &info, NULL), MNV_ERR_LOGIN_FAILED);
    assert_int_equal(info.attempts_left, 4);
}

/* Even if the database lost its must-change flag (a crash between the database and the
 * key file), a one-time slot still forces the change. */
static void test_session__one_time_slot_forces_change(void **state)
{
    (void)state;
    struct session *a = svc_login("admin");
    char otp[ACCOUNTS_OTP_SIZE];
    assert_int_equal(accounts_reset_password(a, "clerk", otp, NULL), MNV_OK);
    struct user_rec u;
    assert_int_equal(userdb_get(session_vault(a), "clerk", &u, NULL), MNV_OK);
    u.must_change = 0;
    assert_int_equal(vault_begin(session_vault(a), NULL), MNV_OK);
    assert_int_equal(userdb_update(session_vault(a), &u, NULL), MNV_OK);
    assert_int_equal(vault_commit(session_vault(a), NULL), MNV_OK);
    session_logout(a);
    assert_int_equal(try_login("clerk", otp, NULL, NULL), MNV_ERR_MUST_CHANGE);
}

/* An account past its last valid day loses its key slot at the next sign-in of anyone, as
 * one audited change (user.expire) with the key file's change. */
static void test_session__expired_account_loses_its_slot(void **state)
{
    (void)state;
    struct session *a = svc_login("admin");
    unsigned days;
    int start, end;
    assert_int_equal(accounts_parse_days("mon-sun", &days), MNV_OK);
    assert_int_equal(accounts_parse_hours("all", &start, &end), MNV_OK);
    assert_int_equal(accounts_set_window(a, "aud", days, start, end, "2026-11-30", NULL), MNV_OK);
    assert_non_null(keyring_find_slot(vault_keyring(session_vault(a)), "aud"));
    session_logout(a);
    a = svc_login("admin");
    assert_null(keyring_find_slot(vault_keyring(session_vault(a)), "aud"));
    struct audit_entry e[8];
    size_t n = 0, found = 0;
    assert_int_equal(auditlog_recent(session_vault(a), 8, e, &n, NULL), MNV_OK);
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].action, "user.expire") == 0 && strcmp(e[i].subject, "aud") == 0 &&
            strcmp(e[i].result, "ok") == 0)
            found++;
    assert_int_equal(found, 1);
    session_logout(a);
    assert_int_equal(try_login("aud", svc_pw("aud"), NULL, NULL), MNV_ERR_LOGIN_FAILED);
}
