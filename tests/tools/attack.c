/*
 * attack: the insider attacks of issue 11, played with the library's own functions by
 * someone who has a password and runs their own code on the workstation (test build only,
 * never installed). Passwords come on standard input, one per line, as --password-fd gives
 * them. Each command prints what it managed and exits 0 when the attack WORKED, 1 when it
 * failed, 2 when the harness itself broke; the security tests require exit 1.
 *
 *   attack numbers DIR USER           read every stored number with USER's key slot
 *   attack oldkeys OLDKEYS DIR USER   USER's password opens the slot of an old copy of
 *                                     vault.keys: read the numbers of today's vault.db
 *   attack copyback OLDKEYS DIR USER  put the old copy back and sign in with the password it
 *                                     knew (after a password change, say)
 *   attack swap DIR USER              swap the number records of the first two employees
 *                                     with the vault's own connection; worked if verify
 *                                     still says the vault is intact
 *   attack admin-clerk DIR ADMIN      an administrator makes a clerk with a password of
 *                                     their own choosing and reads numbers as that clerk
 *   attack backup-open FILE USER      open a backup file with USER's password (any role)
 *                                     and decrypt the database inside
 *   attack backup-numbers FILE USER   the same, then read the numbers in that database
 *   attack backup-keys FILE OUT       (no password) write the key file a backup holds to OUT
 *   attack copyback-epoch OLDKEYS DIR USER
 *                                     put an old copy back and sign in; worked if an epoch
 *                                     key that was rotated away is in vault.keys again
 *   attack lockout DIR VICTIM WITNESS (victim's password, then the witness's) lock VICTIM
 *                                     out, let WITNESS sign in, copy back the key file
 *                                     taken before, sign in as VICTIM; worked if the lockout
 *                                     was erased and nothing in the audit log says so
 *   attack lockout-gap DIR VICTIM WITNESS (victim's password, then the witness's) WITNESS
 *                                     signs in (the last success), the key file is copied,
 *                                     VICTIM is locked out, the copy is put back some seconds
 *                                     later, VICTIM signs in; worked if that erased the lockout
 *                                     and nothing in the audit log says so
 *   attack copyback-step DIR USER     (old password, then a new one) USER signs in and
 *                                     changes their password; the key file copied just before
 *                                     the change is put back at once (one write behind, like
 *                                     a crash); worked if the old password signs in
 *   attack approve-early DIR SUP NAME (the supervisor's password, then NAME's one-time
 *                                     password, which the administrator who set it knows)
 *                                     the supervisor approves NAME, given the code of NAME's
 *                                     slot; worked if the one-time password then reads numbers
 *   attack approve-swap DIR ADMIN SUP NAME CODE (admin's password, then the supervisor's)
 *                                     the administrator replaces NAME's slot by one of their
 *                                     own; the supervisor approves NAME with the code NAME
 *                                     gave; worked if the administrator's password then reads
 *                                     numbers as NAME
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "mnvault/accounts.h"
#include "mnvault/auditor.h"
#include "mnvault/auditlog.h"
#include "mnvault/backupfile.h"
#include "mnvault/fileio.h"
#include "mnvault/keyring.h"
#include "mnvault/keyroles.h"
#include "mnvault/numberdb.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/vault.h"

static struct session_options opts;

static int worked(const char *msg)
{
    printf("ATTACK WORKED: %s\n", msg);
    return 0;
}

static char msgbuf[300];

static int failed(const char *why)
{
    printf("attack failed: %s\n", why);
    return 1;
}

static char *read_pw(void)
{
    char *pw = secmem_alloc(300);
    if (!pw || !fgets(pw, 300, stdin)) {
        fprintf(stderr, "attack: no password on standard input\n");
        exit(2);
    }
    pw[strcspn(pw, "\r\n")] = '\0';
    return pw;
}

/* Decrypt every registered number of the open vault; returns how many opened. */
static long read_all(struct vault *v)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(vault_db(v),
                           "SELECT coalesce(employee_id, 0), coalesce(dependent_id, 0)"
                           " FROM numbers WHERE status = 'registered'",
                           -1, &st, NULL) != SQLITE_OK)
        return 0;
    long ok = 0;
    struct mynumber *n = secmem_alloc(sizeof(*n));
    while (sqlite3_step(st) == SQLITE_ROW) {
        struct person_ref ref;
        int64_t e = sqlite3_column_int64(st, 0);
        ref.kind = e ? PERSON_EMPLOYEE : PERSON_DEPENDENT;
        ref.id = e ? e : sqlite3_column_int64(st, 1);
        if (numberdb_reveal(v, &ref, n, NULL) == MNV_OK)
            ok++;
    }
    sqlite3_finalize(st);
    mynumber_clear(n);
    secmem_free(n);
    return ok;
}

/*
 * Every key the attacker holds, tried as the number key: if any opens the current epoch
 * key, every number of a copy of vault.db is theirs. Returns 1 when one does.
 */
static int any_key_opens_epochs(const struct keyring *kr, const struct keyring_keys *k)
{
    const unsigned char *tries[] = {k->vk, k->nk, k->bk, k->mk, k->vk_next};
    const unsigned have[] = {KEYRING_HAVE_VK, KEYRING_HAVE_NK, KEYRING_HAVE_BK, KEYRING_HAVE_MK,
                             KEYRING_HAVE_VK_NEXT};
    struct keyring_keys *fake = keyring_keys_new();
    unsigned char ek[32];
    int opened = 0;
    for (size_t i = 0; i < 5 && !opened; i++) {
        if (!(k->have & have[i]))
            continue;
        memset(fake, 0, sizeof(*fake));
        memcpy(fake->nk, tries[i], 32);
        fake->nk_id = keyring_key_id(kr, KEYRING_KEY_NK);
        fake->have = KEYRING_HAVE_NK;
        opened = keyring_epoch_key(kr, keyring_epoch_current(kr), fake, ek) == MNV_OK;
        memcpy(fake->mk, tries[i], 32); /* and as a format-1 master key */
        fake->have = KEYRING_HAVE_MK;
        opened |= keyring_epoch_key(kr, keyring_epoch_current(kr), fake, ek) == MNV_OK;
    }
    keyring_keys_free(fake);
    return opened;
}

/* The keys USER's slot of kr gives, then the numbers of dir/vault.db with them (-1: the
 * slot or the database did not open at all). */
static long numbers_with(struct keyring *kr, const char *dir, const char *user, const char *pw,
                         int try_epochs)
{
    struct keyring_keys *k = keyring_keys_new();
    struct vault *v = NULL;
    long n = -1;
    if (keyring_slot_open(kr, user, pw, strlen(pw), k) == MNV_OK) {
        if (vault_open(dir, kr, k, &opts.vault, &v, NULL) == MNV_OK)
            n = read_all(v);
        if (n <= 0 && try_epochs && any_key_opens_epochs(kr, k)) {
            printf("(a key of the slot opens the epoch key)\n");
            n = 1000000;
        }
    }
    vault_close(v);
    keyring_keys_free(k);
    return n;
}

/* A private copy of dir with the key file at keys in it: an attacker works on copies. */
static void copy_vault(const char *dir, const char *keys, char out[64])
{
    snprintf(out, 64, "/tmp/mnv-attack-XXXXXX");
    char cmd[1400];
    if (!mkdtemp(out))
        exit(2);
    snprintf(cmd, sizeof(cmd), "cp '%s/vault.db' '%s/' && cp '%s' '%s/vault.keys'", dir, out, keys,
             out);
    if (system(cmd) != 0)
        exit(2);
}

static void drop_copy(const char *copy)
{
    char cmd[200];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", copy);
    if (system(cmd) != 0)
        exit(2);
}

static int cmd_numbers(const char *dir, const char *user)
{
    char *pw = read_pw();
    struct keyring *kr;
    if (keyring_load(dir, &kr, NULL) != MNV_OK)
        return 2;
    long n = numbers_with(kr, dir, user, pw, 1);
    keyring_free(kr);
    secmem_free(pw);
    if (n > 0)
        return (snprintf(msgbuf, sizeof(msgbuf), "%s's key slot decrypted %ld numbers", user, n),
                worked(msgbuf));
    return failed("no number could be decrypted with this key slot");
}

static int cmd_oldkeys(const char *old, const char *dir, const char *user)
{
    char *pw = read_pw();
    char copy[64], keys[600];
    snprintf(keys, sizeof(keys), "%s/vault.keys", dir);
    copy_vault(dir, old, copy);
    struct keyring *kr, *today;
    if (keyring_load(copy, &kr, NULL) != MNV_OK || keyring_load(dir, &today, NULL) != MNV_OK)
        return 2;
    /* Today's vault.db through the old key file's slot, and today's epoch keys (the file is
     * readable on the workstation) with every key that slot gave. */
    long n = numbers_with(kr, copy, user, pw, 0);
    struct keyring_keys *k = keyring_keys_new();
    if (n <= 0 && keyring_slot_open(kr, user, pw, strlen(pw), k) == MNV_OK &&
        any_key_opens_epochs(today, k)) {
        printf("(the old slot's keys open today's epoch key)\n");
        n = 1000000;
    }
    keyring_keys_free(k);
    keyring_free(kr);
    keyring_free(today);
    drop_copy(copy);
    secmem_free(pw);
    if (n > 0)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "an old key file and %s's old password decrypted %ld of today's numbers",
                         user, n),
                worked(msgbuf));
    return failed("the old key file opens nothing of today's vault");
}

static int cmd_copyback(const char *old, const char *dir, const char *user)
{
    char *pw = read_pw();
    char path[600];
    snprintf(path, sizeof(path), "%s/vault.keys", dir);
    unsigned char *img;
    size_t len;
    if (fileio_read_all(old, 1 << 20, &img, &len, NULL) != MNV_OK ||
        fileio_write_atomic(path, img, len, 0600, NULL) != MNV_OK)
        return 2;
    free(img);
    struct session *s = NULL;
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, NULL);
    secmem_free(pw);
    session_logout(s);
    if (err == MNV_OK || err == MNV_ERR_MUST_CHANGE || err == MNV_ERR_TOTP_NEEDED)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "the copied-back key file let %s in with the old password", user),
                worked(msgbuf));
    printf("(login: %s)\n", mnv_err_name(err));
    return failed("the old key file was not accepted");
}

static struct session *login(const char *dir, const char *user, const char *pw)
{
    struct session *s = NULL;
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, NULL);
    if (err != MNV_OK) {
        printf("(login %s: %s)\n", user, mnv_err_name(err));
        session_logout(s);
        return NULL;
    }
    return s;
}

static int cmd_swap(const char *dir, const char *user)
{
    char *pw = read_pw();
    struct session *s = login(dir, user, pw);
    secmem_free(pw);
    if (!s)
        return 2;
    sqlite3 *db = vault_db(session_vault(s));
    int rc = sqlite3_exec(db,
                          "PRAGMA foreign_keys = OFF; BEGIN;"
                          "CREATE TEMP TABLE two AS SELECT id, employee_id FROM numbers"
                          "  WHERE employee_id IS NOT NULL ORDER BY id LIMIT 2;"
                          "UPDATE numbers SET employee_id = -employee_id"
                          "  WHERE id IN (SELECT id FROM two);"
                          "UPDATE numbers SET employee_id = (SELECT t.employee_id FROM two t"
                          "  WHERE t.id <> numbers.id) WHERE id IN (SELECT id FROM two);"
                          "COMMIT;",
                          NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "attack: swap: %s\n", sqlite3_errmsg(db));
        session_logout(s);
        return 2;
    }
    struct vault_check r;
    enum mnv_err err = auditor_verify_vault(s, &r, NULL);
    session_logout(s);
    if (err == MNV_OK)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "two people's numbers were swapped and verify says %s", "intact"),
                worked(msgbuf));
    printf("(verify: %s, numbers_ok=%d)\n", mnv_err_name(err), r.numbers_ok);
    return failed("verify reports the swapped records");
}

static int cmd_admin_clerk(const char *dir, const char *admin)
{
    char *pw = read_pw();
    struct session *a = login(dir, admin, pw);
    secmem_free(pw);
    if (!a)
        return 2;
    static const char mpw[] = "mallory chose this password herself";
    struct account_spec spec;
    char otp[ACCOUNTS_OTP_SIZE];
    accounts_spec_init(&spec, "mallory", ROLE_CLERK);
    enum mnv_err err = accounts_add(a, &spec, mpw, sizeof(mpw) - 1, otp, NULL);
    session_logout(a);
    if (err != MNV_OK) {
        printf("(user add: %s)\n", mnv_err_name(err));
        return failed("the administrator could not add the clerk");
    }
    struct keyring *kr;
    if (keyring_load(dir, &kr, NULL) != MNV_OK)
        return 2;
    long n = numbers_with(kr, dir, "mallory", mpw, 1);
    keyring_free(kr);
    if (n > 0)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "the administrator's clerk %s decrypted %ld numbers", "mallory", n),
                worked(msgbuf));
    return failed("the clerk an administrator made alone reads no number");
}

/* Open the backup file with USER's key slot in the key file it holds; with out_dir, also
 * write the database and key file there. Returns the result of the decryption. */
/* Open the backup file with USER's key slot in the key file it holds, trying every key the
 * slot gives as the backup key; with out_dir, also write the database and the key file
 * there and read the numbers (into m->audit_seq). Returns the result of the decryption. */
static enum mnv_err open_backup(const char *file, const char *user, const char *pw,
                                const char *out_dir, struct backupfile_manifest *m)
{
    struct backupfile_reader *rd;
    if (backupfile_open(file, &rd, NULL) != MNV_OK)
        exit(2);
    const struct backupfile_header *h = backupfile_header(rd);
    struct keyring *kr;
    if (keyring_parse(h->keyfile, h->keyfile_len, out_dir ? out_dir : "/nonexistent", &kr, NULL) !=
        MNV_OK)
        exit(2);
    struct keyring_keys *k = keyring_keys_new();
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    enum mnv_err err = keyring_slot_open(kr, user, pw, strlen(pw), k);
    const unsigned char *roots[] = {k->bk, k->vk, k->nk, k->mk};
    const unsigned have[] = {KEYRING_HAVE_BK, KEYRING_HAVE_VK, KEYRING_HAVE_NK, KEYRING_HAVE_MK};
    size_t root = 4;
    /* Which of the slot's keys is the backup key? Try the stream's first message with each. */
    for (size_t i = 0; err == MNV_OK && i < 4 && root == 4; i++) {
        struct backupfile_reader *probe;
        if (!(k->have & have[i]) || backupfile_open(file, &probe, NULL) != MNV_OK)
            continue;
        if (backupfile_key(h->version, roots[i], h->backup_id, key) == MNV_OK &&
            backupfile_extract(probe, key, -1, m, NULL, NULL) == MNV_OK)
            root = i;
        backupfile_close(probe);
    }
    if (err == MNV_OK && root == 4)
        err = MNV_ERR_BACKUP_LOGIN;
    int fd = -1;
    if (err == MNV_OK && out_dir) {
        /* What restore does: the epoch keys back into the key file, the file written. */
        char path[600];
        unsigned char *img;
        size_t len;
        snprintf(path, sizeof(path), "%s/vault.db", out_dir);
        fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        snprintf(path, sizeof(path), "%s/vault.keys", out_dir);
        if (keyring_epoch_import(kr, h->epochs, h->n_epochs) != MNV_OK)
            exit(2);
        keyring_clear_flag(kr, KEYRING_F_BACKUP_COPY);
        if (keyring_serialize(kr, k, KEYRING_IMAGE_FILE, &img, &len) != MNV_OK ||
            fileio_write_atomic(path, img, len, 0600, NULL) != MNV_OK)
            exit(2);
        free(img);
    }
    if (err == MNV_OK)
        err = backupfile_key(h->version, roots[root], h->backup_id, key);
    if (err == MNV_OK)
        err = backupfile_extract(rd, key, fd, m, NULL, NULL);
    if (fd >= 0)
        close(fd);
    if (err == MNV_OK && out_dir) {
        struct vault *v = NULL;
        long n = 0;
        if (any_key_opens_epochs(kr, k) && !(k->have & KEYRING_HAVE_NK))
            n = 1000000;
        else if (vault_open(out_dir, kr, k, &opts.vault, &v, NULL) == MNV_OK)
            n = read_all(v);
        vault_close(v);
        m->audit_seq = (uint64_t)n; /* the count of numbers read, for the caller */
    }
    keyring_free(kr);
    backupfile_close(rd);
    keyring_keys_free(k);
    secmem_free(key);
    return err;
}

static int cmd_backup_open(const char *file, const char *user)
{
    char *pw = read_pw();
    struct backupfile_manifest m;
    enum mnv_err err = open_backup(file, user, pw, NULL, &m);
    secmem_free(pw);
    if (err == MNV_OK)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "%s's password decrypted the backup (audit entry %ld inside)", user,
                         (long)m.audit_seq),
                worked(msgbuf));
    printf("(%s)\n", mnv_err_name(err));
    return failed("the password does not open the backup");
}

static int cmd_backup_numbers(const char *file, const char *user)
{
    char *pw = read_pw();
    char dir[] = "/tmp/mnv-attack-XXXXXX";
    if (!mkdtemp(dir))
        return 2;
    struct backupfile_manifest m;
    enum mnv_err err = open_backup(file, user, pw, dir, &m);
    secmem_free(pw);
    char cmd[100];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        return 2;
    if (err == MNV_OK && m.audit_seq > 0)
        return (snprintf(msgbuf, sizeof(msgbuf), "%s read %ld numbers of the backup", user,
                         (long)m.audit_seq),
                worked(msgbuf));
    printf("(%s)\n", mnv_err_name(err));
    return failed("no number of the backup could be read");
}

static int cmd_backup_keys(const char *file, const char *out)
{
    struct backupfile_reader *rd;
    if (backupfile_open(file, &rd, NULL) != MNV_OK)
        return 2;
    const struct backupfile_header *h = backupfile_header(rd);
    enum mnv_err err = fileio_write_atomic(out, h->keyfile, h->keyfile_len, 0600, NULL);
    backupfile_close(rd);
    return err == MNV_OK ? 0 : 2;
}

/* The epoch ids a key file image holds, as a bit set (ids below 64). */
static uint64_t epochs_of(const char *path)
{
    unsigned char *img;
    size_t len;
    struct keyring *kr;
    uint64_t set = 0;
    if (fileio_read_all(path, 1 << 20, &img, &len, NULL) != MNV_OK)
        exit(2);
    if (keyring_parse(img, len, "/nonexistent", &kr, NULL) != MNV_OK)
        exit(2);
    free(img);
    uint32_t cur = keyring_epoch_current(kr);
    struct keyring_keys *none = keyring_keys_new();
    for (uint32_t id = 1; id <= cur && id < 64; id++) {
        unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
        /* Presence only: EPOCH_GONE says the id is not held, any other answer that it is. */
        if (keyring_epoch_key(kr, id, none, k) != MNV_ERR_EPOCH_GONE)
            set |= UINT64_C(1) << id;
        secmem_free(k);
    }
    keyring_keys_free(none);
    keyring_free(kr);
    return set;
}

static int cmd_copyback_epoch(const char *old, const char *dir, const char *user)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/vault.keys", dir);
    uint64_t before = epochs_of(path), old_set = epochs_of(old);
    int rc = cmd_copyback(old, dir, user);
    if (rc == 2)
        return 2;
    uint64_t after = epochs_of(path);
    uint64_t back = after & old_set & ~before;
    printf("(epochs before %llx, in the old file %llx, after %llx)\n", (unsigned long long)before,
           (unsigned long long)old_set, (unsigned long long)after);
    /* Back means in use: the vault accepted the old file with the destroyed key in it. */
    if (back && rc == 0)
        return worked("an epoch key that was rotated away is in use again");
    return failed("no destroyed epoch key came back into use");
}

/* 1 when the audit log has an entry whose action starts with prefix. */
static int audited(struct session *s, const char *prefix)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(vault_db(session_vault(s)),
                           "SELECT count(*) FROM audit WHERE action LIKE ?1 || '%'", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            found = sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
    }
    return found;
}

static int cmd_lockout(const char *dir, const char *victim, const char *witness)
{
    char *vpw = read_pw(), *wpw = read_pw();
    char keys[600], snap[600];
    snprintf(keys, sizeof(keys), "%s/vault.keys", dir);
    snprintf(snap, sizeof(snap), "%s/../attack-keys.snapshot", dir);
    unsigned char *img;
    size_t len;
    if (fileio_read_all(keys, 1 << 20, &img, &len, NULL) != MNV_OK ||
        fileio_write_atomic(snap, img, len, 0600, NULL) != MNV_OK)
        return 2;
    free(img);
    for (int i = 0; i < SESSION_MAX_FAILURES; i++) {
        struct session *s = NULL;
        if (session_login(dir, victim, "a wrong guess at the password", 29, &opts, &s, NULL,
                          NULL) == MNV_OK)
            return 2;
    }
    struct session *w = login(dir, witness, wpw); /* the queued failures reach the log */
    if (!w)
        return 2;
    session_logout(w);
    if (fileio_read_all(snap, 1 << 20, &img, &len, NULL) != MNV_OK ||
        fileio_write_atomic(keys, img, len, 0600, NULL) != MNV_OK)
        return 2;
    free(img);
    struct session *s = NULL;
    enum mnv_err err = session_login(dir, victim, vpw, strlen(vpw), &opts, &s, NULL, NULL);
    session_logout(s);
    w = login(dir, witness, wpw);
    int noticed = w && (audited(w, "keyfile.") || audited(w, "login.rollback"));
    session_logout(w);
    secmem_free(vpw);
    secmem_free(wpw);
    printf("(victim's login after the copy-back: %s; noticed: %d)\n", mnv_err_name(err), noticed);
    if ((err == MNV_OK || err == MNV_ERR_MUST_CHANGE) && !noticed)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "the copied-back key file erased %s's lockout unnoticed", victim),
                worked(msgbuf));
    return failed("the lockout held, or its erasure is on record");
}

/* The key file as it is now, into path (a copy the attacker keeps); or back. */
static int copy_file(const char *from, const char *to)
{
    unsigned char *img;
    size_t len;
    if (fileio_read_all(from, 1 << 20, &img, &len, NULL) != MNV_OK)
        return -1;
    enum mnv_err err = fileio_write_atomic(to, img, len, 0600, NULL);
    free(img);
    return err == MNV_OK ? 0 : -1;
}

/* The newest audit entry's seq. */
static int64_t audit_head(struct session *s)
{
    sqlite3_stmt *st;
    int64_t seq = -1;
    if (sqlite3_prepare_v2(vault_db(session_vault(s)), "SELECT max(seq) FROM audit", -1, &st,
                           NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            seq = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    return seq;
}

/* 1 when an entry after seq says something of the erased failures: a key file notice, or
 * the victim's failures or lockout themselves. */
static int noticed_since(struct session *s, int64_t seq, const char *victim)
{
    sqlite3_stmt *st;
    int found = 0;
    if (sqlite3_prepare_v2(vault_db(session_vault(s)),
                           "SELECT count(*) FROM audit WHERE seq > ?1 AND (action LIKE 'keyfile.%'"
                           " OR (action IN ('login.failed', 'lockout') AND subject = ?2))",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, seq);
        sqlite3_bind_text(st, 2, victim, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            found = sqlite3_column_int(st, 0) > 0;
        sqlite3_finalize(st);
    }
    return found;
}

static int cmd_lockout_gap(const char *dir, const char *victim, const char *witness)
{
    char *vpw = read_pw(), *wpw = read_pw();
    char keys[600], snap[600];
    snprintf(keys, sizeof(keys), "%s/vault.keys", dir);
    snprintf(snap, sizeof(snap), "%s/../attack-keys.gap", dir);
    struct session *w = login(dir, witness, wpw); /* the last successful sign-in */
    if (!w)
        return 2;
    int64_t seq = audit_head(w);
    session_logout(w);
    if (copy_file(keys, snap) != 0)
        return 2;
    for (int i = 0; i < SESSION_MAX_FAILURES; i++) {
        struct session *s = NULL;
        if (session_login(dir, victim, "a wrong guess at the password", 29, &opts, &s, NULL,
                          NULL) == MNV_OK)
            return 2;
    }
    /* Like a person copying the file back by hand: some seconds after the copy was taken. */
    sleep(KEYRING_REPLACED_SLACK_SECONDS + 1);
    if (copy_file(snap, keys) != 0)
        return 2;
    struct session *s = NULL;
    enum mnv_err err = session_login(dir, victim, vpw, strlen(vpw), &opts, &s, NULL, NULL);
    session_logout(s);
    w = login(dir, witness, wpw);
    int noticed = w && noticed_since(w, seq, victim);
    session_logout(w);
    secmem_free(vpw);
    secmem_free(wpw);
    printf("(victim's login after the copy-back: %s; noticed: %d)\n", mnv_err_name(err), noticed);
    if ((err == MNV_OK || err == MNV_ERR_MUST_CHANGE) && !noticed)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "a copy taken after the last sign-in erased %s's lockout unnoticed",
                         victim),
                worked(msgbuf));
    return failed("the lockout held, or its erasure is on record");
}

static int cmd_copyback_step(const char *dir, const char *user)
{
    char *old = read_pw(), *pw = read_pw();
    char path[600];
    snprintf(path, sizeof(path), "%s/vault.keys", dir);
    struct session *s = login(dir, user, old);
    unsigned char *img = NULL;
    size_t len;
    enum mnv_err err = s ? fileio_read_all(path, 1 << 20, &img, &len, NULL) : MNV_ERR_LOGIN_FAILED;
    if (err == MNV_OK)
        err = session_change_password(s, old, strlen(old), pw, strlen(pw), NULL, NULL);
    if (err == MNV_OK)
        err = fileio_write_atomic(path, img, len, 0600, NULL);
    free(img);
    secmem_free(pw);
    if (err != MNV_OK) {
        printf("(setting up: %s)\n", mnv_err_name(err));
        secmem_free(old);
        session_logout(s);
        return 2;
    }
    struct session *again = login(dir, user, old);
    secmem_free(old);
    int in = again != NULL;
    session_logout(again);
    session_logout(s);
    if (in)
        return worked("the key file of one write before the password change let the old password "
                      "in");
    return failed("the old password stays out");
}

/* ---- approvals ---------------------------------------------------------------------------- */

static enum mnv_err approve_as(const char *dir, const char *sup, const char *pw, const char *name,
                               const char *code)
{
    struct session *s = login(dir, sup, pw);
    if (!s)
        return MNV_ERR_LOGIN_FAILED;
    char own[KEYRING_CODE_SIZE];
    if (!code[0] && keyring_slot_code(vault_keyring(session_vault(s)), name, own) == MNV_OK)
        code = own; /* the attacker reads the code of the slot and hands it over */
    enum mnv_err err = keyroles_approve(s, name, code, NULL);
    session_logout(s);
    printf("(approve %s: %s)\n", name, mnv_err_name(err));
    return err;
}

static long numbers_of_dir(const char *dir, const char *name, const char *pw)
{
    struct keyring *kr;
    if (keyring_load(dir, &kr, NULL) != MNV_OK)
        return -1;
    long n = numbers_with(kr, dir, name, pw, 1);
    keyring_free(kr);
    return n;
}

static int cmd_approve_early(const char *dir, const char *sup, const char *name)
{
    char *spw = read_pw(), *otp = read_pw();
    enum mnv_err err = approve_as(dir, sup, spw, name, "");
    long n = err == MNV_OK ? numbers_of_dir(dir, name, otp) : -1;
    secmem_free(spw);
    secmem_free(otp);
    if (n > 0)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "the one-time password an administrator set decrypted %ld numbers", n),
                worked(msgbuf));
    return failed("a slot whose password the administrator knows is never approved");
}

struct swap_slot {
    const char *name;
    const struct keyring_keys *keys;
};

static const char swap_pw[] = "the administrator's own password for it";

static enum mnv_err swap_fn(struct keyring *kr, void *ud)
{
    struct swap_slot *w = ud;
    struct vcrypto_kdf kdf;
    vcrypto_kdf_default(&kdf, 0);
    struct keyring_slot slot;
    enum mnv_err err =
        keyring_slot_make(kr, KEYRING_SLOT_PASSWORD, w->name, swap_pw, sizeof(swap_pw) - 1, &kdf,
                          w->keys, KEYRING_KEY_VK, &slot, NULL);
    return err == MNV_OK ? keyring_slot_put(kr, &slot) : err;
}

static int cmd_approve_swap(const char *dir, const char *admin, const char *sup, const char *name,
                            const char *code)
{
    char *apw = read_pw(), *spw = read_pw();
    struct session *a = login(dir, admin, apw);
    secmem_free(apw);
    if (!a) {
        secmem_free(spw);
        return 2;
    }
    struct vault *v = session_vault(a);
    struct swap_slot w = {name, vault_keys(v)};
    enum mnv_err err = vault_keyring_update(v, swap_fn, &w, NULL);
    session_logout(a);
    if (err != MNV_OK) {
        secmem_free(spw);
        printf("(swap: %s)\n", mnv_err_name(err));
        return 2;
    }
    err = approve_as(dir, sup, spw, name, code);
    secmem_free(spw);
    long n = err == MNV_OK ? numbers_of_dir(dir, name, swap_pw) : -1;
    if (n > 0)
        return (snprintf(msgbuf, sizeof(msgbuf),
                         "the administrator's slot for %s was approved and decrypted %ld numbers",
                         name, n),
                worked(msgbuf));
    return failed("the approval went to no slot the administrator made");
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    vault_options_default(&opts.vault);
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "numbers") == 0 && argc == 4)
        return cmd_numbers(argv[2], argv[3]);
    if (strcmp(cmd, "oldkeys") == 0 && argc == 5)
        return cmd_oldkeys(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "copyback") == 0 && argc == 5)
        return cmd_copyback(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "swap") == 0 && argc == 4)
        return cmd_swap(argv[2], argv[3]);
    if (strcmp(cmd, "admin-clerk") == 0 && argc == 4)
        return cmd_admin_clerk(argv[2], argv[3]);
    if (strcmp(cmd, "backup-open") == 0 && argc == 4)
        return cmd_backup_open(argv[2], argv[3]);
    if (strcmp(cmd, "backup-numbers") == 0 && argc == 4)
        return cmd_backup_numbers(argv[2], argv[3]);
    if (strcmp(cmd, "backup-keys") == 0 && argc == 4)
        return cmd_backup_keys(argv[2], argv[3]);
    if (strcmp(cmd, "copyback-epoch") == 0 && argc == 5)
        return cmd_copyback_epoch(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "lockout") == 0 && argc == 5)
        return cmd_lockout(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "lockout-gap") == 0 && argc == 5)
        return cmd_lockout_gap(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "copyback-step") == 0 && argc == 4)
        return cmd_copyback_step(argv[2], argv[3]);
    if (strcmp(cmd, "approve-early") == 0 && argc == 5)
        return cmd_approve_early(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "approve-swap") == 0 && argc == 7)
        return cmd_approve_swap(argv[2], argv[3], argv[4], argv[5], argv[6]);
    fprintf(stderr, "usage: see tests/tools/attack.c\n");
    return 2;
}
