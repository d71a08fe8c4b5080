/* auditseal.c: forward-secure sealing of the audit log (auditseal.h). */
#include "mnvault/auditseal.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/i18n.h"
#include "mnvault/secmem.h"

static const char evolve_tag[] = "mnvault-seal-evolve-1";
static const char entry_tag[] = "mnvault-seal-entry-1";
static const char id_tag[] = "mnvault-seal-id-1";

/* k := BLAKE2b-256_k(evolve_tag); the old value is overwritten. */
static void evolve(unsigned char *k)
{
    unsigned char next[AUDITSEAL_KEY_LEN];
    crypto_generichash(next, sizeof(next), (const unsigned char *)evolve_tag,
                       sizeof(evolve_tag) - 1, k, AUDITSEAL_KEY_LEN);
    memcpy(k, next, AUDITSEAL_KEY_LEN);
    sodium_memzero(next, sizeof(next));
}

static void entry_mac(const unsigned char *k, uint64_t seq, const unsigned char *hash,
                      unsigned char tag[AUDITSEAL_TAG_LEN])
{
    crypto_generichash_state h;
    unsigned char num[8];
    for (int i = 0; i < 8; i++)
        num[i] = (unsigned char)(seq >> (8 * i));
    crypto_generichash_init(&h, k, AUDITSEAL_KEY_LEN, AUDITSEAL_TAG_LEN);
    crypto_generichash_update(&h, (const unsigned char *)entry_tag, sizeof(entry_tag) - 1);
    crypto_generichash_update(&h, num, sizeof(num));
    crypto_generichash_update(&h, hash, VCRYPTO_HASH_LEN);
    crypto_generichash_final(&h, tag, AUDITSEAL_TAG_LEN);
    sodium_memzero(&h, sizeof(h));
}

void auditseal_key_id(const unsigned char *key, unsigned char id[AUDITSEAL_ID_LEN])
{
    unsigned char h[VCRYPTO_HASH_LEN];
    crypto_generichash(h, sizeof(h), (const unsigned char *)id_tag, sizeof(id_tag) - 1, key,
                       AUDITSEAL_KEY_LEN);
    memcpy(id, h, AUDITSEAL_ID_LEN);
}

/* The state row: start, next, key (into key, secmem), key id. 0 rows: *found = 0. */
static enum mnv_err read_state(struct vault *v, struct auditseal_status *st, unsigned char *key,
                               int *found, struct mnv_diag *diag)
{
    sqlite3_stmt *q;
    enum mnv_err err = vault_stmt(
        v, "SELECT start_seq, next_seq, key, key_id FROM audit_seal_state WHERE id = 1", &q, diag);
    if (err != MNV_OK)
        return err;
    *found = 0;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        st->started = 1;
        st->start = (uint64_t)sqlite3_column_int64(q, 0);
        st->next = (uint64_t)sqlite3_column_int64(q, 1);
        if (sqlite3_column_bytes(q, 2) == AUDITSEAL_KEY_LEN &&
            sqlite3_column_bytes(q, 3) == AUDITSEAL_ID_LEN) {
            if (key)
                memcpy(key, sqlite3_column_blob(q, 2), AUDITSEAL_KEY_LEN);
            memcpy(st->key_id, sqlite3_column_blob(q, 3), AUDITSEAL_ID_LEN);
            *found = 1;
        } else {
            *found = -1; /* malformed */
        }
    } else if (rc != SQLITE_DONE) {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(q);
    return err;
}

enum mnv_err auditseal_start(struct vault *v, unsigned char *key, uint64_t *start,
                             struct mnv_diag *diag)
{
    if (!vault_in_tx(v))
        return MNV_ERR_INVALID;
    struct auditseal_status st = {0};
    int found;
    enum mnv_err err = read_state(v, &st, NULL, &found, diag);
    if (err != MNV_OK)
        return err;
    if (st.started)
        return MNV_ERR_EXISTS;
    unsigned char head[VCRYPTO_HASH_LEN];
    vault_audit_head(v, start, head);
    (*start)++;
    randombytes_buf(key, AUDITSEAL_KEY_LEN);
    unsigned char id[AUDITSEAL_ID_LEN];
    auditseal_key_id(key, id);
    sqlite3_stmt *q;
    err = vault_stmt(v,
                     "INSERT INTO audit_seal_state(id, start_seq, next_seq, key, key_id)"
                     " VALUES (1, ?1, ?1, ?2, ?3)",
                     &q, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)*start);
    sqlite3_bind_blob(q, 2, key, AUDITSEAL_KEY_LEN, SQLITE_STATIC);
    sqlite3_bind_blob(q, 3, id, AUDITSEAL_ID_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_clear_bindings(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

static enum mnv_err store_tag(struct vault *v, uint64_t seq, const unsigned char *tag,
                              const unsigned char *next_key, struct mnv_diag *diag)
{
    sqlite3_stmt *q;
    enum mnv_err err = vault_stmt(v, "INSERT INTO audit_seal(seq, tag) VALUES (?1, ?2)", &q, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)seq);
    sqlite3_bind_blob(q, 2, tag, AUDITSEAL_TAG_LEN, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    sqlite3_reset(q);
    if (rc != SQLITE_DONE)
        return vault_sql_error(v, rc, diag);
    /* The same row, the same size: secure_delete overwrites the old key in its page. */
    err =
        vault_stmt(v, "UPDATE audit_seal_state SET next_seq = ?1, key = ?2 WHERE id = 1", &q, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)(seq + 1));
    sqlite3_bind_blob(q, 2, next_key, AUDITSEAL_KEY_LEN, SQLITE_STATIC);
    rc = sqlite3_step(q);
    sqlite3_clear_bindings(q);
    sqlite3_reset(q);
    return rc == SQLITE_DONE ? MNV_OK : vault_sql_error(v, rc, diag);
}

enum mnv_err auditseal_entry(struct vault *v, uint64_t seq,
                             const unsigned char hash[VCRYPTO_HASH_LEN], struct mnv_diag *diag)
{
    unsigned char *k = secmem_alloc(AUDITSEAL_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    struct auditseal_status st = {0};
    int found;
    enum mnv_err err = read_state(v, &st, k, &found, diag);
    if (err == MNV_OK && found == 1 && st.next == seq) {
        unsigned char tag[AUDITSEAL_TAG_LEN];
        entry_mac(k, seq, hash, tag);
        evolve(k);
        err = store_tag(v, seq, tag, k, diag);
    }
    secmem_free(k);
    return err;
}

enum mnv_err auditseal_status(struct vault *v, struct auditseal_status *st, struct mnv_diag *diag)
{
    memset(st, 0, sizeof(*st));
    int found;
    enum mnv_err err = read_state(v, st, NULL, &found, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_stmt *q;
    err = vault_stmt(v,
                     "SELECT (SELECT count(*) FROM audit_seal),"
                     " (SELECT coalesce(max(seq), 0) FROM audit)",
                     &q, diag);
    if (err != MNV_OK)
        return err;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        st->tags = (uint64_t)sqlite3_column_int64(q, 0);
        st->head = (uint64_t)sqlite3_column_int64(q, 1);
    } else {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(q);
    return err;
}

enum mnv_err auditseal_get_tag(struct vault *v, uint64_t seq, unsigned char tag[AUDITSEAL_TAG_LEN],
                               struct mnv_diag *diag)
{
    sqlite3_stmt *q;
    enum mnv_err err = vault_stmt(v, "SELECT tag FROM audit_seal WHERE seq = ?1", &q, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)seq);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(q, 0) == AUDITSEAL_TAG_LEN)
        memcpy(tag, sqlite3_column_blob(q, 0), AUDITSEAL_TAG_LEN);
    else if (rc == SQLITE_ROW || rc == SQLITE_DONE)
        err = MNV_ERR_NOT_FOUND;
    else
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(q);
    return err;
}

static enum mnv_err fail(struct auditseal_report *r, uint64_t seq, const char *why,
                         struct mnv_diag *diag)
{
    r->bad_seq = seq;
    r->problem = why;
    if (diag)
        diag->line = (long)seq;
    return MNV_ERR_AUDIT_SEAL;
}

/* Walk the entries from start with k (evolved in place); *next = the entry after the last. */
static enum mnv_err walk(struct vault *v, unsigned char *k, uint64_t start, uint64_t *next,
                         struct auditseal_report *r, struct mnv_diag *diag)
{
    sqlite3_stmt *q;
    int rc = sqlite3_prepare_v2(vault_db(v),
                                "SELECT a.seq, a.hash, s.tag FROM audit a LEFT JOIN audit_seal s"
                                " ON s.seq = a.seq WHERE a.seq >= ?1 ORDER BY a.seq",
                                -1, &q, NULL);
    if (rc != SQLITE_OK)
        return vault_sql_error(v, rc, diag);
    sqlite3_bind_int64(q, 1, (sqlite3_int64)start);
    enum mnv_err err = MNV_OK;
    uint64_t want = start;
    while (err == MNV_OK && (rc = sqlite3_step(q)) == SQLITE_ROW) {
        uint64_t seq = (uint64_t)sqlite3_column_int64(q, 0);
        unsigned char tag[AUDITSEAL_TAG_LEN];
        if (seq != want)
            err = fail(r, want, N_("a sealed entry is missing"), diag);
        else if (sqlite3_column_bytes(q, 1) != VCRYPTO_HASH_LEN ||
                 sqlite3_column_bytes(q, 2) != AUDITSEAL_TAG_LEN)
            err = fail(r, seq, N_("the entry has no seal"), diag);
        else {
            entry_mac(k, seq, sqlite3_column_blob(q, 1), tag);
            if (sodium_memcmp(tag, sqlite3_column_blob(q, 2), AUDITSEAL_TAG_LEN) != 0)
                err = fail(r, seq, N_("the entry was changed after it was sealed"), diag);
        }
        if (err == MNV_OK) {
            evolve(k);
            r->checked++;
            want++;
        }
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_finalize(q);
    *next = want;
    return err;
}

enum mnv_err auditseal_verify(struct vault *v, const unsigned char *key, uint64_t start,
                              struct auditseal_report *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    unsigned char *k = secmem_alloc(2 * AUDITSEAL_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    unsigned char *kept = k + AUDITSEAL_KEY_LEN;
    struct auditseal_status st = {0};
    int found;
    unsigned char id[AUDITSEAL_ID_LEN];
    auditseal_key_id(key, id);
    enum mnv_err err = read_state(v, &st, kept, &found, diag);
    uint64_t next = start;
    if (err != MNV_OK) {
        /* a database error */
    } else if (!st.started || found != 1) {
        err = fail(r, 0, N_("the sealing of the log was removed"), diag);
    } else if (st.start != start || sodium_memcmp(id, st.key_id, AUDITSEAL_ID_LEN) != 0) {
        err = fail(r, 0,
                   N_("the seal key does not belong to this vault's sealing (sealing was "
                      "started again, or it is another vault's key)"),
                   diag);
    } else {
        memcpy(k, key, AUDITSEAL_KEY_LEN);
        err = walk(v, k, start, &next, r, diag);
    }
    if (err == MNV_OK && st.next > next)
        err = fail(r, next, N_("entries were removed from the end after they were sealed"), diag);
    else if (err == MNV_OK && st.next < next)
        err = fail(r, st.next, N_("the sealing state was put back to an older one"), diag);
    else if (err == MNV_OK && sodium_memcmp(k, kept, AUDITSEAL_KEY_LEN) != 0)
        err = fail(r, 0, N_("the sealing state was replaced"), diag);
    secmem_free(k);
    return err;
}

/* ---- the text form ----------------------------------------------------------------------- */

static unsigned check_group(uint64_t start, const unsigned char *key)
{
    unsigned char in[8 + AUDITSEAL_KEY_LEN], h[VCRYPTO_HASH_LEN];
    for (int i = 0; i < 8; i++)
        in[i] = (unsigned char)(start >> (8 * i));
    memcpy(in + 8, key, AUDITSEAL_KEY_LEN);
    crypto_generichash(h, sizeof(h), in, sizeof(in), NULL, 0);
    sodium_memzero(in, sizeof(in));
    return (unsigned)h[0] << 8 | h[1];
}

void auditseal_key_format(uint64_t start, const unsigned char *key, char *out)
{
    static const char hex[] = "0123456789abcdef";
    int n = snprintf(out, AUDITSEAL_TEXT_MAX, "S%llu", (unsigned long long)start);
    for (int i = 0; i < AUDITSEAL_KEY_LEN; i++) {
        if (i % 2 == 0)
            out[n++] = '-';
        out[n++] = hex[key[i] >> 4];
        out[n++] = hex[key[i] & 15];
    }
    snprintf(out + n, (size_t)(AUDITSEAL_TEXT_MAX - n), "-%04x", check_group(start, key));
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c = tolower(c);
    return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

enum mnv_err auditseal_key_parse(const char *text, uint64_t *start, unsigned char *key)
{
    const char *p = text;
    while (isspace((unsigned char)*p))
        p++;
    if (*p != 'S' && *p != 's')
        return MNV_ERR_INVALID;
    p++;
    uint64_t s = 0;
    int digits = 0;
    for (; *p >= '0' && *p <= '9' && digits < 19; p++, digits++)
        s = s * 10 + (uint64_t)(*p - '0');
    if (!digits || s == 0)
        return MNV_ERR_INVALID;
    unsigned char nib[2 * AUDITSEAL_KEY_LEN + 4];
    size_t n = 0;
    for (; *p; p++) {
        if (*p == '-' || isspace((unsigned char)*p))
            continue;
        int h = hexval((unsigned char)*p);
        if (h < 0 || n == sizeof(nib))
            return MNV_ERR_INVALID;
        nib[n++] = (unsigned char)h;
    }
    if (n != sizeof(nib))
        return MNV_ERR_INVALID;
    for (size_t i = 0; i < AUDITSEAL_KEY_LEN; i++)
        key[i] = (unsigned char)(nib[2 * i] << 4 | nib[2 * i + 1]);
    unsigned check = 0;
    for (size_t i = 2 * AUDITSEAL_KEY_LEN; i < sizeof(nib); i++)
        check = check << 4 | nib[i];
    sodium_memzero(nib, sizeof(nib));
    if (check != check_group(s, key)) {
        sodium_memzero(key, AUDITSEAL_KEY_LEN);
        return MNV_ERR_INVALID;
    }
    *start = s;
    return MNV_OK;
}
