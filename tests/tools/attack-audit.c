/*
 * attack-audit: the insider attacks of issue 11 on the audit log and the sign-in checks,
 * played with the library's own functions by someone who has a password and runs their
 * own code on the workstation (test build only, never installed). The password comes on
 * standard input (one line), then what the command names. Each command prints what it
 * managed and exits 0 when the attack WORKED, 1 when it failed, 2 when the harness broke;
 * the security tests require exit 1.
 *
 *   attack-audit rewrite DIR USER SEQ   (password, then the auditor's seal key) change the
 *                                       detail of entry SEQ, re-hash the chain after it with
 *                                       the chain key every user holds and move the anchor;
 *                                       worked if the seals still hold
 *   attack-audit truncate DIR USER N    (password, seal key) remove the newest N entries and
 *                                       their seals, put the sealing state's counter back and
 *                                       move the anchor; worked if the seals still hold
 *   attack-audit reseal DIR USER SEQ    (password, seal key) rewrite entry SEQ, then throw the
 *                                       sealing away and seal the whole log again with a key
 *                                       of one's own; worked if the auditor's key still fits
 *   attack-audit totp-replay DIR USER   (password) USER enrols an authenticator app, two
 *                                       sign-ins wait at the code prompt, the first uses the
 *                                       code; worked if the second accepts the same code
 *   attack-audit window DIR USER        (password) sign in with TZ and TZDIR chosen so the
 *                                       workstation's clock is inside USER's access window;
 *                                       worked if the sign-in is let through
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/accounts.h"
#include "mnvault/auditor.h"
#include "mnvault/auditlog.h"
#include "mnvault/auditseal.h"
#include "mnvault/clock.h"
#include "mnvault/keyring.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/totp.h"
#include "mnvault/vault.h"

static struct session_options opts;

static int worked(const char *msg)
{
    printf("ATTACK WORKED: %s\n", msg);
    return 0;
}

static int failed(const char *why)
{
    printf("attack failed: %s\n", why);
    return 1;
}

static char *read_line(const char *what)
{
    char *line = secmem_alloc(300);
    if (!line || !fgets(line, 300, stdin)) {
        fprintf(stderr, "attack-audit: no %s on standard input\n", what);
        exit(2);
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

static struct session *login(const char *dir, const char *user, const char *pw)
{
    struct session *s = NULL;
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, NULL);
    if (err != MNV_OK) {
        fprintf(stderr, "attack-audit: %s cannot sign in: %s\n", user, mnv_err_name(err));
        session_logout(s);
        return NULL;
    }
    return s;
}

static int sql(struct vault *v, const char *text)
{
    char *msg = NULL;
    if (sqlite3_exec(vault_db(v), text, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    fprintf(stderr, "attack-audit: %s\n", msg ? msg : "sql");
    sqlite3_free(msg);
    return -1;
}

/* The chain hash as auditlog.h documents it, with the chain key this session holds. */
static void chain_hash(struct vault *v, sqlite3_stmt *st, const unsigned char *prev,
                       unsigned char out[32])
{
    crypto_generichash_state h;
    unsigned char num[8];
    static const char tag[] = "mnvault-audit-1";
    crypto_generichash_init(&h, vault_subkey(v, VAULT_SUB_CHAIN), 32, 32);
    crypto_generichash_update(&h, (const unsigned char *)tag, sizeof(tag) - 1);
    crypto_generichash_update(&h, prev, 32);
    for (int c = 0; c < 2; c++) {
        uint64_t x = (uint64_t)sqlite3_column_int64(st, c);
        for (int i = 0; i < 8; i++)
            num[i] = (unsigned char)(x >> (8 * i));
        crypto_generichash_update(&h, num, 8);
    }
    for (int c = 2; c < 8; c++) {
        const unsigned char *t = sqlite3_column_text(st, c);
        uint32_t n = (uint32_t)sqlite3_column_bytes(st, c);
        unsigned char len[4] = {(unsigned char)n, (unsigned char)(n >> 8), (unsigned char)(n >> 16),
                                (unsigned char)(n >> 24)};
        crypto_generichash_update(&h, len, 4);
        crypto_generichash_update(&h, t ? t : (const unsigned char *)"", n);
    }
    crypto_generichash_final(&h, out, 32);
}

/* Re-hash every entry from seq on; returns the new head (seq, hash). */
static int rehash_from(struct vault *v, uint64_t from, uint64_t *head, unsigned char hash[32])
{
    sqlite3_stmt *sel, *up;
    if (sqlite3_prepare_v2(vault_db(v),
                           "SELECT seq, ts, user, role, action, subject, result, detail, prev"
                           " FROM audit WHERE seq >= ?1 ORDER BY seq",
                           -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(vault_db(v), "UPDATE audit SET prev = ?2, hash = ?3 WHERE seq = ?1", -1,
                           &up, NULL) != SQLITE_OK)
        return -1;
    unsigned char prev[32];
    sqlite3_bind_int64(sel, 1, (sqlite3_int64)from);
    int first = 1;
    while (sqlite3_step(sel) == SQLITE_ROW) {
        if (first)
            memcpy(prev, sqlite3_column_blob(sel, 8), 32);
        first = 0;
        chain_hash(v, sel, prev, hash);
        *head = (uint64_t)sqlite3_column_int64(sel, 0);
        sqlite3_reset(up);
        sqlite3_bind_int64(up, 1, (sqlite3_int64)*head);
        sqlite3_bind_blob(up, 2, prev, 32, SQLITE_TRANSIENT);
        sqlite3_bind_blob(up, 3, hash, 32, SQLITE_TRANSIENT);
        if (sqlite3_step(up) != SQLITE_DONE)
            return -1;
        memcpy(prev, hash, 32);
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(up);
    return 0;
}

/* The anchor only ever moves forward by itself: set it back by hand, as the key file
 * functions allow whoever holds VK. */
static enum mnv_err set_anchor(struct keyring *kr, void *ud)
{
    keyring_anchor_set(kr, ud);
    return MNV_OK;
}

/* Commit with the anchor moved to (head, hash). */
static int commit_anchor(struct vault *v, uint64_t head, const unsigned char hash[32])
{
    vault_audit_set_head(v, head, hash);
    struct keyring_anchor a = {.seq = head};
    memcpy(a.head, hash, sizeof(a.head));
    enum mnv_err err = vault_commit_with(v, set_anchor, &a, NULL);
    if (err != MNV_OK)
        fprintf(stderr, "attack-audit: commit: %s\n", mnv_err_name(err));
    return err == MNV_OK ? 0 : -1;
}

static int drop_guards(struct vault *v)
{
    return sql(v, "DROP TRIGGER IF EXISTS audit_no_update; DROP TRIGGER IF EXISTS audit_no_delete;"
                  "DROP TRIGGER IF EXISTS audit_seal_no_update;"
                  "DROP TRIGGER IF EXISTS audit_seal_no_delete;"
                  "DROP TRIGGER IF EXISTS audit_seal_state_no_delete;");
}

static int rewrite(struct vault *v, uint64_t seq)
{
    char text[200];
    snprintf(text, sizeof(text), "UPDATE audit SET detail = 'nothing happened' WHERE seq = %llu;",
             (unsigned long long)seq);
    uint64_t head = 0;
    unsigned char hash[32];
    if (vault_begin(v, NULL) != MNV_OK || drop_guards(v) || sql(v, text) ||
        rehash_from(v, seq, &head, hash)) {
        vault_rollback(v);
        return -1;
    }
    return commit_anchor(v, head, hash);
}

/* The verdict: the chain, then the seals with the auditor's key, as an auditor would. */
static int verdict(const char *dir, const char *user, const char *pw, const char *key,
                   const char *what)
{
    struct session *s = login(dir, user, pw);
    if (!s)
        return failed("the vault no longer opens");
    struct auditlog_report lr;
    enum mnv_err chain = auditor_verify_log(s, &lr, NULL);
    struct auditor_seal_check r;
    enum mnv_err seal = auditor_seal_check(s, key, NULL, &r, NULL);
    session_logout(s);
    printf("chain: %s; seals: %s%s%s\n", mnv_err_name(chain), mnv_err_name(seal),
           r.seal.problem ? ": " : "", r.seal.problem ? r.seal.problem : "");
    if (seal == MNV_OK && chain == MNV_OK)
        return worked(what);
    return failed("the auditor's seal key shows it");
}

static int cmd_rewrite(const char *dir, const char *user, const char *seqtext)
{
    char *pw = read_line("password"), *key = read_line("seal key");
    struct session *s = login(dir, user, pw);
    int rc = 2;
    if (s && rewrite(session_vault(s), strtoull(seqtext, NULL, 10)) == 0) {
        session_logout(s);
        s = NULL;
        rc = verdict(dir, user, pw, key, "an entry was rewritten and every check still holds");
    }
    session_logout(s);
    secmem_free(pw);
    secmem_free(key);
    return rc;
}

static int truncate_log(struct vault *v, unsigned n)
{
    uint64_t head;
    unsigned char hash[32];
    vault_audit_head(v, &head, hash);
    if (head <= n)
        return -1;
    uint64_t keep = head - n;
    char text[400];
    snprintf(text, sizeof(text),
             "DELETE FROM audit WHERE seq > %llu; DELETE FROM audit_seal WHERE seq > %llu;"
             "UPDATE audit_seal_state SET next_seq = %llu;",
             (unsigned long long)keep, (unsigned long long)keep, (unsigned long long)keep + 1);
    sqlite3_stmt *st;
    if (vault_begin(v, NULL) != MNV_OK || drop_guards(v) || sql(v, text) ||
        sqlite3_prepare_v2(vault_db(v), "SELECT hash FROM audit WHERE seq = ?1", -1, &st, NULL)) {
        vault_rollback(v);
        return -1;
    }
    sqlite3_bind_int64(st, 1, (sqlite3_int64)keep);
    if (sqlite3_step(st) == SQLITE_ROW)
        memcpy(hash, sqlite3_column_blob(st, 0), 32);
    sqlite3_finalize(st);
    return commit_anchor(v, keep, hash);
}

static int cmd_truncate(const char *dir, const char *user, const char *ntext)
{
    char *pw = read_line("password"), *key = read_line("seal key");
    struct session *s = login(dir, user, pw);
    int rc = 2;
    /* Signing in wrote an entry; cut it too, and N before it. */
    if (s && truncate_log(session_vault(s), (unsigned)atoi(ntext) + 1) == 0) {
        session_logout(s);
        s = NULL;
        /* The verdict signs in again (one entry more): look before it, as the CLI would. */
        rc = verdict(dir, user, pw, key, "the newest entries were removed unnoticed");
    }
    session_logout(s);
    secmem_free(pw);
    secmem_free(key);
    return rc;
}

/* Seal entries from start on under k0 (a key of one's own), as auditseal.h documents it. */
static int seal_all(struct vault *v, uint64_t start, unsigned char *k)
{
    static const char etag[] = "mnvault-seal-entry-1", vtag[] = "mnvault-seal-evolve-1";
    sqlite3_stmt *sel, *ins;
    if (sqlite3_prepare_v2(vault_db(v), "SELECT seq, hash FROM audit WHERE seq >= ?1 ORDER BY seq",
                           -1, &sel, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(vault_db(v), "INSERT INTO audit_seal(seq, tag) VALUES (?1, ?2)", -1,
                           &ins, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_int64(sel, 1, (sqlite3_int64)start);
    uint64_t next = start;
    while (sqlite3_step(sel) == SQLITE_ROW) {
        uint64_t seq = (uint64_t)sqlite3_column_int64(sel, 0);
        unsigned char num[8], tag[32];
        for (int i = 0; i < 8; i++)
            num[i] = (unsigned char)(seq >> (8 * i));
        crypto_generichash_state h;
        crypto_generichash_init(&h, k, 32, 32);
        crypto_generichash_update(&h, (const unsigned char *)etag, sizeof(etag) - 1);
        crypto_generichash_update(&h, num, 8);
        crypto_generichash_update(&h, sqlite3_column_blob(sel, 1), 32);
        crypto_generichash_final(&h, tag, 32);
        crypto_generichash(k, 32, (const unsigned char *)vtag, sizeof(vtag) - 1, k, 32);
        sqlite3_reset(ins);
        sqlite3_bind_int64(ins, 1, (sqlite3_int64)seq);
        sqlite3_bind_blob(ins, 2, tag, 32, SQLITE_TRANSIENT);
        if (sqlite3_step(ins) != SQLITE_DONE)
            return -1;
        next = seq + 1;
    }
    sqlite3_finalize(sel);
    sqlite3_finalize(ins);
    char text[120];
    snprintf(text, sizeof(text), "UPDATE audit_seal_state SET next_seq = %llu",
             (unsigned long long)next);
    if (sql(v, text))
        return -1;
    sqlite3_stmt *up;
    if (sqlite3_prepare_v2(vault_db(v), "UPDATE audit_seal_state SET key = ?1", -1, &up, NULL))
        return -1;
    sqlite3_bind_blob(up, 1, k, 32, SQLITE_TRANSIENT);
    int rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
    sqlite3_finalize(up);
    return rc;
}

/* Throw the sealing away and seal every entry again, from the same first entry, under a key
 * of one's own. */
static int reseal(struct vault *v)
{
    unsigned char *k = secmem_alloc(32);
    struct auditseal_status st;
    uint64_t start;
    int rc = -1;
    if (vault_begin(v, NULL) == MNV_OK && auditseal_status(v, &st, NULL) == MNV_OK && st.started &&
        drop_guards(v) == 0 &&
        sql(v, "DELETE FROM audit_seal; DELETE FROM audit_seal_state;") == 0 &&
        auditseal_start(v, k, &start, NULL) == MNV_OK) {
        char text[120];
        snprintf(text, sizeof(text), "UPDATE audit_seal_state SET start_seq = %llu",
                 (unsigned long long)st.start);
        rc = sql(v, text) || seal_all(v, st.start, k) ? -1 : 0;
        /* The key's public name is not secret: copy it, so only the seals can tell. */
        sqlite3_stmt *up;
        if (rc == 0 && sqlite3_prepare_v2(vault_db(v), "UPDATE audit_seal_state SET key_id = ?1",
                                          -1, &up, NULL) == SQLITE_OK) {
            sqlite3_bind_blob(up, 1, st.key_id, AUDITSEAL_ID_LEN, SQLITE_TRANSIENT);
            rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
            sqlite3_finalize(up);
        }
    }
    secmem_free(k);
    if (rc != 0) {
        vault_rollback(v);
        return -1;
    }
    return vault_commit(v, NULL) == MNV_OK ? 0 : -1;
}

static int cmd_reseal(const char *dir, const char *user, const char *seqtext)
{
    char *pw = read_line("password"), *key = read_line("seal key");
    struct session *s = login(dir, user, pw);
    int rc = 2;
    if (s && rewrite(session_vault(s), strtoull(seqtext, NULL, 10)) == 0 &&
        reseal(session_vault(s)) == 0) {
        session_logout(s);
        s = NULL;
        rc = verdict(dir, user, pw, key, "the log was rewritten and sealed again unnoticed");
    }
    session_logout(s);
    secmem_free(pw);
    secmem_free(key);
    return rc;
}

/* ---- sign-in checks ---------------------------------------------------------------------- */

/* A sign-in that stops at the code prompt. */
static struct session *login_to_code(const char *dir, const char *user, const char *pw)
{
    struct session *s = NULL;
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, NULL);
    if (err == MNV_ERR_TOTP_NEEDED)
        return s;
    fprintf(stderr, "attack-audit: %s: %s instead of the code prompt\n", user, mnv_err_name(err));
    session_logout(s);
    return NULL;
}

static void code_now(const unsigned char *secret, char out[8])
{
    snprintf(out, 8, "%06ld", totp_code(secret, TOTP_SECRET_LEN, clock_now(), TOTP_SHA1, 6));
}

static void move_clock(long seconds)
{
    char t[32];
    snprintf(t, sizeof(t), "%lld", (long long)clock_now() + seconds);
    setenv("MNVAULT_TEST_NOW", t, 1);
}

static int enrol(const char *dir, const char *user, const char *pw, unsigned char *secret)
{
    struct session *s = login(dir, user, pw);
    char *b32 = secmem_alloc(TOTP_BASE32_SIZE), *uri = secmem_alloc(512), code[8];
    int rc = -1;
    if (s && accounts_totp_begin(s, secret, b32, uri, 512, NULL) == MNV_OK) {
        code_now(secret, code);
        rc = accounts_totp_confirm(s, secret, code, NULL) == MNV_OK ? 0 : -1;
    }
    session_logout(s);
    secmem_free(b32);
    secmem_free(uri);
    return rc;
}

static int cmd_totp_replay(const char *dir, const char *user)
{
    char *pw = read_line("password");
    unsigned char *secret = secmem_alloc(TOTP_SECRET_LEN);
    if (!getenv("MNVAULT_TEST_NOW"))
        move_clock(0); /* the clock is moved below: fix it first */
    if (enrol(dir, user, pw, secret) != 0)
        return 2;
    move_clock(90); /* a later code than the one used to enrol */
    struct session *a = login_to_code(dir, user, pw), *b = login_to_code(dir, user, pw);
    secmem_free(pw);
    if (!a || !b)
        return 2;
    char code[8];
    code_now(secret, code);
    secmem_free(secret);
    struct login_info info;
    enum mnv_err first = session_login_totp(a, code, &info, NULL);
    enum mnv_err second = session_login_totp(b, code, &info, NULL);
    session_logout(a);
    session_logout(b);
    printf("first sign-in: %s; second, same code: %s\n", mnv_err_name(first), mnv_err_name(second));
    if (first != MNV_OK)
        return 2;
    return second == MNV_OK ? worked("one code signed in twice")
                            : failed("the second sign-in was refused the code");
}

static int cmd_window(const char *dir, const char *user)
{
    char *pw = read_line("password");
    /* A zoneinfo folder of one's own whose Asia/Tokyo is UTC, and TZ set to UTC too. */
    char fake[] = "/tmp/mnv-tz-XXXXXX", cmd[300];
    if (!mkdtemp(fake))
        return 2;
    snprintf(cmd, sizeof(cmd), "mkdir -p %s/Asia && cp /usr/share/zoneinfo/UTC %s/Asia/Tokyo", fake,
             fake);
    if (system(cmd) != 0)
        return 2;
    setenv("TZDIR", fake, 1);
    setenv("TZ", "UTC0", 1);
    struct session *s = NULL;
    enum mnv_err err = session_login(dir, user, pw, strlen(pw), &opts, &s, NULL, NULL);
    session_logout(s);
    secmem_free(pw);
    snprintf(cmd, sizeof(cmd), "rm -rf %s", fake);
    if (system(cmd) != 0)
        return 2;
    printf("sign-in with TZ=UTC0: %s\n", mnv_err_name(err));
    if (err == MNV_OK)
        return worked("the workstation's time zone let the user in outside the window");
    return err == MNV_ERR_WINDOW ? failed("the organisation's time zone decides") : 2;
}

int main(int argc, char **argv)
{
    if (secmem_init() != MNV_OK)
        return 2;
    vault_options_default(&opts.vault);
    const char *cmd = argc > 1 ? argv[1] : "";
    if (strcmp(cmd, "rewrite") == 0 && argc == 5)
        return cmd_rewrite(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "truncate") == 0 && argc == 5)
        return cmd_truncate(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "reseal") == 0 && argc == 5)
        return cmd_reseal(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "totp-replay") == 0 && argc == 4)
        return cmd_totp_replay(argv[2], argv[3]);
    if (strcmp(cmd, "window") == 0 && argc == 4)
        return cmd_window(argv[2], argv[3]);
    fprintf(stderr, "usage: see tests/tools/attack-audit.c\n");
    return 2;
}
