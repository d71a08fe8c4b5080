/* Unit tests for recovery shares (recovery.h) and backups (backup.h) at the service level. */
#include <dirent.h>
#include <sys/stat.h>

#include "mnvault/backup.h"
#include "mnvault/recovery.h"
#include "svcfix.h"

static struct share sh[SHARES_MAX];

static int setup(void **state)
{
    (void)state;
    return svc_make();
}

static int teardown(void **state)
{
    (void)state;
    return svc_drop();
}

static void split(int n, int k)
{
    struct session *s = svc_login("sup");
    assert_non_null(s);
    assert_int_equal(recovery_split(s, n, k, sh, NULL), MNV_OK);
    session_logout(s);
}

static enum mnv_err unseal(const struct share *shares, int count)
{
    struct keyring *kr;
    assert_int_equal(keyring_load(svc_dir, &kr, NULL), MNV_OK);
    struct keyring_keys *k = keyring_keys_new();
    enum mnv_err err = recovery_unseal(kr, shares, count, k);
    keyring_keys_free(k);
    keyring_free(kr);
    return err;
}

static int count_files(const char *dir, const char *suffix)
{
    DIR *d = opendir(dir);
    int n = 0;
    if (!d)
        return -1;
    for (struct dirent *e; (e = readdir(d)) != NULL;) {
        size_t l = strlen(e->d_name), sl = strlen(suffix);
        n += l > sl && strcmp(e->d_name + l - sl, suffix) == 0;
    }
    closedir(d);
    return n;
}

static void test_recovery__only_supervisors_split(void **state)
{
    (void)state;
    const char *others[] = {"admin", "clerk", "aud"};
    for (size_t i = 0; i < 3; i++) {
        struct session *s = svc_login(others[i]);
        assert_non_null(s);
        assert_int_equal(recovery_split(s, 5, 3, sh, NULL), MNV_ERR_DENIED);
        struct audit_entry e = svc_last(s);
        assert_string_equal(e.action, "recovery.split");
        assert_string_equal(e.result, "denied");
        session_logout(s);
    }
    assert_int_equal(recovery_check_vault(svc_dir, NULL, NULL), MNV_ERR_RECOVERY_NONE);
    struct session *s = svc_login("sup");
    assert_int_equal(recovery_split(s, 3, 1, sh, NULL), MNV_ERR_RANGE);
    assert_int_equal(recovery_split(s, 2, 3, sh, NULL), MNV_ERR_RANGE);
    assert_int_equal(recovery_split(s, SHARES_MAX + 1, 3, sh, NULL), MNV_ERR_RANGE);
    assert_int_equal(recovery_split(s, 5, 3, sh, NULL), MNV_OK);
    struct audit_entry e = svc_last(s);
    assert_string_equal(e.action, "recovery.split");
    assert_non_null(strstr(e.detail, "n=5 k=3 set="));
    session_logout(s);
    assert_int_equal(recovery_check_vault(svc_dir, NULL, NULL), MNV_OK);
    assert_int_equal(recovery_check_vault(svc_dir, "clerk", NULL), MNV_OK);
    assert_int_equal(recovery_check_vault(svc_dir, "nobody", NULL), MNV_ERR_USER_NOT_FOUND);
}

static void test_recovery__unseal(void **state)
{
    (void)state;
    assert_int_equal(unseal(sh, 3), MNV_ERR_RECOVERY_NONE);
    split(5, 3);
    struct share first[SHARES_MAX];
    memcpy(first, sh, sizeof(first));
    struct share pick[3] = {sh[4], sh[0], sh[2]};
    assert_int_equal(unseal(pick, 3), MNV_OK);
    assert_int_equal(unseal(pick, 2), MNV_ERR_SHARES_FEW);
    struct share dup[3] = {sh[1], sh[1], sh[3]};
    assert_int_equal(unseal(dup, 3), MNV_ERR_SHARES_FEW);
    split(3, 2);
    assert_int_equal(unseal(pick, 3), MNV_ERR_RECOVERY_WRONG); /* an older set */
    struct share mixed[3] = {first[0], sh[0], sh[1]};
    assert_int_equal(unseal(mixed, 3), MNV_ERR_SHARES_MIXED);
    assert_int_equal(unseal(sh, 2), MNV_OK);
}

static void test_recovery__set_password(void **state)
{
    (void)state;
    split(5, 3);
    struct recovery *r;
    assert_int_equal(recovery_open(svc_dir, sh + 1, 3, &svc_opts, &r, NULL), MNV_OK);
    int totp = -1;
    assert_int_equal(recovery_check_user(r, "nobody", &totp, NULL), MNV_ERR_USER_NOT_FOUND);
    assert_int_equal(recovery_check_user(r, "clerk", &totp, NULL), MNV_OK);
    assert_int_equal(totp, 0);
    static const char weak[] = "short";
    static const char good[] = "amber tide over quiet hills";
    assert_int_equal(recovery_set_password(r, "clerk", weak, strlen(weak), NULL), MNV_ERR_PW_SHORT);
    assert_int_equal(recovery_set_password(r, "clerk", good, strlen(good), NULL), MNV_OK);
    recovery_close(r);
    struct keyring *kr;
    assert_int_equal(keyring_load(svc_dir, &kr, NULL), MNV_OK);
    assert_non_null(keyring_find_slot(kr, "clerk"));
    assert_int_equal(keyring_find_slot(kr, "clerk")->kind, KEYRING_SLOT_ONE_TIME);
    keyring_free(kr);

    struct session *s = NULL;
    assert_int_equal(session_login(svc_dir, "clerk", svc_pw("clerk"), strlen(svc_pw("clerk")),
                                   &svc_opts, &s, NULL, NULL),
                     MNV_ERR_LOGIN_FAILED);
    assert_int_equal(session_login(svc_dir, "clerk", good, strlen(good), &svc_opts, &s, NULL, NULL),
                     MNV_ERR_MUST_CHANGE);
    session_logout(s);
    s = svc_login("aud");
    struct audit_entry e[16];
    size_t n;
    assert_int_equal(auditlog_recent(session_vault(s), 16, e, &n, NULL), MNV_OK);
    int found = 0;
    for (size_t i = 0; i < n; i++)
        found |= strcmp(e[i].action, "password.recover") == 0 &&
                 strcmp(e[i].user, "recovery") == 0 && strcmp(e[i].subject, "clerk") == 0;
    assert_true(found);
    session_logout(s);
}

static void test_recovery__disabled_account(void **state)
{
    (void)state;
    struct session *a = svc_login("admin");
    assert_int_equal(accounts_set_disabled(a, "clerk", 1, NULL), MNV_OK);
    session_logout(a);
    split(2, 2);
    struct recovery *r;
    assert_int_equal(recovery_open(svc_dir, sh, 2, &svc_opts, &r, NULL), MNV_OK);
    int totp;
    assert_int_equal(recovery_check_user(r, "clerk", &totp, NULL), MNV_ERR_RECOVERY_DISABLED);
    static const char good[] = "amber tide over quiet hills";
    assert_int_equal(recovery_set_password(r, "clerk", good, strlen(good), NULL),
                     MNV_ERR_RECOVERY_DISABLED);
    recovery_close(r);
}

static void test_recovery__backup_generations_and_missing_files(void **state)
{
    (void)state;
    char dir[400];
    snprintf(dir, sizeof(dir), "%s/managed", svc_dir);
    struct backup_options o = {dir, 2};
    struct backup_made made;
    struct session *s = svc_login("clerk");
    assert_int_equal(backup_make(s, NULL, &o, &made, NULL), MNV_ERR_DENIED);
    session_logout(s);
    s = svc_login("sup");
    char first[PATH_MAX];
    for (int i = 0; i < 3; i++) {
        assert_int_equal(backup_make(s, NULL, &o, &made, NULL), MNV_OK);
        assert_int_equal(made.rec.managed, 1);
        if (i == 0)
            snprintf(first, sizeof(first), "%s", made.rec.path);
    }
    assert_int_equal(made.deleted, 1);
    assert_int_equal(count_files(dir, BACKUP_SUFFIX), 2);
    struct stat st;
    assert_int_not_equal(stat(first, &st), 0);
    /* A generation whose file is gone already is recorded as missing. */
    struct backup_rec *recs;
    size_t n;
    assert_int_equal(backup_list(s, &recs, &n, NULL), MNV_OK);
    assert_int_equal(n, 3);
    assert_string_equal(recs[0].deleted_why, "generations");
    assert_int_equal(unlink(recs[1].path), 0);
    free(recs);
    assert_int_equal(backup_make(s, NULL, &o, &made, NULL), MNV_OK);
    assert_int_equal(made.missing, 1);
    assert_int_equal(made.deleted, 0);
    assert_int_equal(backup_list(s, &recs, &n, NULL), MNV_OK);
    assert_string_equal(recs[1].deleted_why, "missing");
    assert_string_equal(recs[1].deleted_by, "sup");
    struct backup_check c;
    assert_int_equal(backup_verify(s, recs[3].path, &c, NULL), MNV_OK);
    assert_true(c.registered);
    assert_int_equal(c.rec.id, recs[3].id);
    assert_memory_equal(c.hash, recs[3].hash, 32);
    free(recs);
    session_logout(s);
}

static void test_recovery__restore_refusals_leave_nothing(void **state)
{
    (void)state;
    char file[400], target[400], full[500];
    snprintf(file, sizeof(file), "%s/one.mnvbak", svc_dir);
    snprintf(target, sizeof(target), "%s/restored", svc_dir);
    struct backup_options o = {NULL, 7};
    struct backup_made made;
    struct session *s = svc_login("sup");
    assert_int_equal(backup_make(s, file, &o, &made, NULL), MNV_OK);
    unsigned char id[16];
    memcpy(id, made.rec.backup_id, sizeof(id));
    assert_int_equal(backup_make(s, file, &o, &made, NULL), MNV_ERR_BACKUP_EXISTS);
    session_logout(s);

    struct backup_restored out;
    struct backup_login wrong = {"sup", "not the password", 16, NULL, 0};
    assert_int_equal(backup_restore(file, target, &wrong, &svc_opts, &out, NULL),
                     MNV_ERR_BACKUP_LOGIN);
    struct stat st;
    assert_int_not_equal(stat(target, &st), 0);
    /* A clerk's password opens no backup, and hears what a wrong password hears. */
    struct backup_login clerk = {"clerk", svc_pw("clerk"), strlen(svc_pw("clerk")), NULL, 0};
    assert_int_equal(backup_restore(file, target, &clerk, &svc_opts, &out, NULL),
                     MNV_ERR_BACKUP_LOGIN);
    assert_int_not_equal(stat(target, &st), 0);
    struct backup_login sup = {"sup", svc_pw("sup"), strlen(svc_pw("sup")), NULL, 0};
    assert_int_equal(backup_restore(file, svc_dir, &sup, &svc_opts, &out, NULL),
                     MNV_ERR_RESTORE_NOT_EMPTY);
    assert_int_equal(mkdir(target, 0700), 0);
    assert_int_equal(backup_restore(file, target, &sup, &svc_opts, &out, NULL), MNV_OK);
    assert_string_equal(out.actor, "sup");
    assert_memory_equal(out.header.backup_id, id, 16);
    snprintf(full, sizeof(full), "%s/vault.db", target);
    assert_int_equal(stat(full, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
}
