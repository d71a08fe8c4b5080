#include "mnvault/keyring.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/secmem.h"
#include "mnvault/utf8.h"

/* File layout (doc/vault-format.md), all integers little-endian:
 *   magic[8] version:u16 flags:u16 sealed_len:u32 sealed[sealed_len] mac[32]
 *   state_len:u32 state[state_len] checksum[32]                                      */
static const unsigned char magic[8] = {'M', 'N', 'V', 'K', 'E', 'Y', 'S', 0};
#define HEADER_LEN 16
#define MAC_LEN 32
#define SUM_LEN 32
#define HASH16 16
#define FILE_MAX (1u << 20)

struct login_rec {
    unsigned char hash[HASH16];
    struct keyring_login_state st;
};

struct epoch_rec {
    uint32_t id;
    unsigned char sealed[KEYRING_SEALED_KEY_LEN];
};

struct keyring {
    char dir[PATH_MAX];
    char path[PATH_MAX];
    int lock_fd;      /* the data folder, locked, between begin and commit/abort; else -1 */
    struct stat seen; /* the file this snapshot was read from or written as */
    int seen_valid;
    /* authenticated part */
    unsigned char vault_id[KEYRING_ID_LEN];
    uint64_t generation;
    int64_t created;
    struct epoch_rec epochs[KEYRING_MAX_EPOCHS];
    size_t n_epochs;
    struct keyring_anchor anchor;
    struct keyring_slot slots[KEYRING_MAX_SLOTS];
    size_t n_slots;
    unsigned char *sealed_raw; /* header..MAC as loaded; NULL for a new keyring */
    size_t sealed_raw_len;
    int dirty; /* authenticated part changed since loading */
    /* login state */
    unsigned char state_salt[HASH16];
    struct login_rec logins[KEYRING_MAX_LOGIN_STATES];
    size_t n_logins;
    struct keyring_event events[KEYRING_MAX_EVENTS];
    size_t n_events;
    uint32_t dropped;
};

/* ---- byte buffers ---------------------------------------------------------------- */

struct wbuf {
    unsigned char *p;
    size_t len, cap;
    int fail;
};

static void w_bytes(struct wbuf *w, const void *data, size_t n)
{
    if (w->fail || n == 0)
        return; /* n == 0: data and w->p may be NULL, which memcpy may not be given */
    if (w->len + n > w->cap) {
        size_t cap = w->cap ? w->cap * 2 : 4096;
        while (cap < w->len + n)
            cap *= 2;
        unsigned char *np = realloc(w->p, cap);
        if (!np) {
            w->fail = 1;
            return;
        }
        w->p = np;
        w->cap = cap;
    }
    memcpy(w->p + w->len, data, n);
    w->len += n;
}

static void w_u8(struct wbuf *w, uint8_t v)
{
    w_bytes(w, &v, 1);
}

static void w_u16(struct wbuf *w, uint16_t v)
{
    unsigned char b[2] = {(unsigned char)v, (unsigned char)(v >> 8)};
    w_bytes(w, b, 2);
}

static void w_u32(struct wbuf *w, uint32_t v)
{
    unsigned char b[4];
    for (int i = 0; i < 4; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    w_bytes(w, b, 4);
}

static void w_u64(struct wbuf *w, uint64_t v)
{
    unsigned char b[8];
    for (int i = 0; i < 8; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    w_bytes(w, b, 8);
}

static void put_u32_at(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

struct rbuf {
    const unsigned char *p;
    size_t len, pos;
    int fail;
};

static const unsigned char *r_bytes(struct rbuf *r, size_t n)
{
    if (r->fail || r->len - r->pos < n) {
        r->fail = 1;
        return NULL;
    }
    const unsigned char *p = r->p + r->pos;
    r->pos += n;
    return p;
}

static void r_copy(struct rbuf *r, void *out, size_t n)
{
    const unsigned char *p = r_bytes(r, n);
    if (p)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

static uint64_t r_uint(struct rbuf *r, int bytes)
{
    const unsigned char *p = r_bytes(r, (size_t)bytes);
    uint64_t v = 0;
    for (int i = 0; p && i < bytes; i++)
        v |= (uint64_t)p[i] << (8 * i);
    return v;
}

/* ---- small helpers ---------------------------------------------------------------- */

/* Password and one-time slots are the slots of a user: at most one per name. */
static int user_kind(uint8_t kind)
{
    return kind == KEYRING_SLOT_PASSWORD || kind == KEYRING_SLOT_ONE_TIME;
}

static int name_ok(const char *name, size_t len)
{
    if (len == 0 || len > KEYRING_NAME_MAX || !utf8_valid(name, len))
        return 0;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)name[i] < 0x20 || name[i] == 0x7F)
            return 0;
    return 1;
}

/* Associated data of a slot: binds the sealed MK to this vault, the slot kind and name. */
static size_t slot_ad(unsigned char *ad, const unsigned char vault_id[KEYRING_ID_LEN], uint8_t kind,
                      const char *name)
{
    static const char tag[] = "mnvault-slot";
    size_t n = 0, nl = strlen(name);
    memcpy(ad, tag, sizeof(tag) - 1);
    n += sizeof(tag) - 1;
    memcpy(ad + n, vault_id, KEYRING_ID_LEN);
    n += KEYRING_ID_LEN;
    ad[n++] = kind;
    memcpy(ad + n, name, nl);
    return n + nl;
}

static size_t epoch_ad(unsigned char *ad, const unsigned char vault_id[KEYRING_ID_LEN], uint32_t id)
{
    static const char tag[] = "mnvault-epoch";
    size_t n = sizeof(tag) - 1;
    memcpy(ad, tag, n);
    memcpy(ad + n, vault_id, KEYRING_ID_LEN);
    n += KEYRING_ID_LEN;
    put_u32_at(ad + n, id);
    return n + 4;
}

static void damaged(struct mnv_diag *diag, const char *what)
{
    mnv_diag_detail(diag, "%s", what);
}

static void set_paths(struct keyring *kr, const char *dir)
{
    snprintf(kr->dir, sizeof(kr->dir), "%s", dir);
    snprintf(kr->path, sizeof(kr->path), "%s/%s", dir, KEYRING_FILE);
}

static void name_hash(const struct keyring *kr, const char *name, unsigned char out[HASH16])
{
    crypto_generichash(out, HASH16, (const unsigned char *)name, strlen(name), kr->state_salt,
                       sizeof(kr->state_salt));
}

/* ---- creating, freeing --------------------------------------------------------------- */

enum mnv_err keyring_new(const char *dir, const unsigned char mk[VCRYPTO_KEY_LEN],
                         struct keyring **out)
{
    *out = NULL;
    if (strlen(dir) + sizeof(KEYRING_FILE) + 32 >= PATH_MAX)
        return MNV_ERR_TOO_LONG;
    struct keyring *kr = calloc(1, sizeof(*kr));
    if (!kr)
        return MNV_ERR_NOMEM;
    kr->lock_fd = -1;
    set_paths(kr, dir);
    randombytes_buf(kr->vault_id, sizeof(kr->vault_id));
    randombytes_buf(kr->state_salt, sizeof(kr->state_salt));
    kr->created = (int64_t)clock_now();
    kr->dirty = 1;
    uint32_t id;
    enum mnv_err err = keyring_epoch_add(kr, mk, &id);
    if (err != MNV_OK) {
        keyring_free(kr);
        return err;
    }
    *out = kr;
    return MNV_OK;
}

void keyring_free(struct keyring *kr)
{
    if (!kr)
        return;
    keyring_abort(kr);
    free(kr->sealed_raw);
    sodium_memzero(kr, sizeof(*kr));
    free(kr);
}

/* ---- parsing ------------------------------------------------------------------------ */

static enum mnv_err parse_slot(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    struct keyring_slot *s = &kr->slots[kr->n_slots];
    memset(s, 0, sizeof(*s));
    s->kind = (uint8_t)r_uint(r, 1);
    size_t nl = (size_t)r_uint(r, 1);
    const unsigned char *name = r_bytes(r, nl);
    s->kdf.alg = (uint32_t)r_uint(r, 4);
    s->kdf.opslimit = r_uint(r, 8);
    s->kdf.memlimit = r_uint(r, 8);
    r_copy(r, s->salt, sizeof(s->salt));
    r_copy(r, s->sealed, sizeof(s->sealed));
    if (r->fail)
        return damaged(diag, "slot"), MNV_ERR_KEYFILE_DAMAGED;
    if (nl > KEYRING_NAME_MAX)
        return damaged(diag, "slot name"), MNV_ERR_KEYFILE_DAMAGED;
    memcpy(s->name, name, nl);
    s->name[nl] = '\0';
    if (user_kind(s->kind)) {
        if (!name_ok(s->name, nl) || !vcrypto_kdf_valid(&s->kdf))
            return damaged(diag, "slot"), MNV_ERR_KEYFILE_DAMAGED;
        for (size_t i = 0; i < kr->n_slots; i++)
            if (user_kind(kr->slots[i].kind) && strcmp(kr->slots[i].name, s->name) == 0)
                return damaged(diag, "duplicate slot"), MNV_ERR_KEYFILE_DAMAGED;
    } else if (s->kind == KEYRING_SLOT_RECOVERY) {
        if (nl != 0 || s->kdf.alg || s->kdf.opslimit || s->kdf.memlimit ||
            keyring_recovery_present(kr))
            return damaged(diag, "recovery slot"), MNV_ERR_KEYFILE_DAMAGED;
    } else {
        return damaged(diag, "slot kind"), MNV_ERR_KEYFILE_DAMAGED;
    }
    kr->n_slots++;
    return MNV_OK;
}

static enum mnv_err parse_sealed(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    r_copy(r, kr->vault_id, sizeof(kr->vault_id));
    kr->generation = r_uint(r, 8);
    kr->created = (int64_t)r_uint(r, 8);
    uint32_t ne = (uint32_t)r_uint(r, 4);
    if (r->fail || ne == 0 || ne > KEYRING_MAX_EPOCHS)
        return damaged(diag, "epochs"), MNV_ERR_KEYFILE_DAMAGED;
    for (uint32_t i = 0; i < ne; i++) {
        kr->epochs[i].id = (uint32_t)r_uint(r, 4);
        r_copy(r, kr->epochs[i].sealed, sizeof(kr->epochs[i].sealed));
        if (kr->epochs[i].id == 0 || (i > 0 && kr->epochs[i].id <= kr->epochs[i - 1].id))
            return damaged(diag, "epoch order"), MNV_ERR_KEYFILE_DAMAGED;
    }
    kr->n_epochs = ne;
    kr->anchor.seq = r_uint(r, 8);
    r_copy(r, kr->anchor.head, sizeof(kr->anchor.head));
    uint32_t ns = (uint32_t)r_uint(r, 4);
    if (r->fail || ns > KEYRING_MAX_SLOTS)
        return damaged(diag, "slots"), MNV_ERR_KEYFILE_DAMAGED;
    for (uint32_t i = 0; i < ns; i++) {
        enum mnv_err err = parse_slot(kr, r, diag);
        if (err != MNV_OK)
            return err;
    }
    if (r->fail || r->pos != r->len)
        return damaged(diag, "protected part length"), MNV_ERR_KEYFILE_DAMAGED;
    return MNV_OK;
}

static enum mnv_err parse_state(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    r_copy(r, kr->state_salt, sizeof(kr->state_salt));
    uint32_t nl = (uint32_t)r_uint(r, 4);
    if (r->fail || nl > KEYRING_MAX_LOGIN_STATES)
        return damaged(diag, "login states"), MNV_ERR_KEYFILE_DAMAGED;
    for (uint32_t i = 0; i < nl; i++) {
        struct login_rec *l = &kr->logins[i];
        r_copy(r, l->hash, sizeof(l->hash));
        l->st.failures = (uint32_t)r_uint(r, 4);
        l->st.lockouts = (uint32_t)r_uint(r, 4);
        l->st.locked_until = (int64_t)r_uint(r, 8);
        l->st.last_failure = (int64_t)r_uint(r, 8);
    }
    kr->n_logins = nl;
    uint32_t ne = (uint32_t)r_uint(r, 4);
    kr->dropped = (uint32_t)r_uint(r, 4);
    if (r->fail || ne > KEYRING_MAX_EVENTS)
        return damaged(diag, "events"), MNV_ERR_KEYFILE_DAMAGED;
    for (uint32_t i = 0; i < ne; i++) {
        struct keyring_event *e = &kr->events[i];
        e->time = (int64_t)r_uint(r, 8);
        e->kind = (uint8_t)r_uint(r, 1);
        size_t len = (size_t)r_uint(r, 1);
        const unsigned char *name = r_bytes(r, len);
        if (r->fail || len > KEYRING_NAME_MAX || e->kind < KEYRING_EVENT_LOGIN_FAILED ||
            e->kind > KEYRING_EVENT_UNLOCK_FAILED || (len && !name_ok((const char *)name, len)))
            return damaged(diag, "event"), MNV_ERR_KEYFILE_DAMAGED;
        memcpy(e->name, name, len);
        e->name[len] = '\0';
    }
    kr->n_events = ne;
    if (r->pos != r->len)
        return damaged(diag, "login state length"), MNV_ERR_KEYFILE_DAMAGED;
    return MNV_OK;
}

/* Parse an image into a scratch keyring; kr is changed only when the whole file is good,
 * so a damaged file on disk never disturbs the snapshot a session holds. */
static enum mnv_err parse_image(struct keyring *kr, const unsigned char *buf, size_t len,
                                struct mnv_diag *diag)
{
    if (len < HEADER_LEN + MAC_LEN + 4 + SUM_LEN)
        return damaged(diag, "too short"), MNV_ERR_KEYFILE_DAMAGED;
    if (memcmp(buf, magic, sizeof(magic)) != 0)
        return damaged(diag, "not a key file"), MNV_ERR_KEYFILE_DAMAGED;
    unsigned char sum[SUM_LEN];
    crypto_generichash(sum, sizeof(sum), buf, len - SUM_LEN, NULL, 0);
    if (sodium_memcmp(sum, buf + len - SUM_LEN, SUM_LEN) != 0)
        return damaged(diag, "checksum"), MNV_ERR_KEYFILE_DAMAGED;
    struct rbuf r = {buf, len - SUM_LEN, sizeof(magic), 0};
    uint16_t version = (uint16_t)r_uint(&r, 2);
    uint16_t flags = (uint16_t)r_uint(&r, 2);
    if (version > KEYRING_VERSION)
        return MNV_ERR_KEYFILE_VERSION;
    if (version != KEYRING_VERSION || flags != 0)
        return damaged(diag, "version"), MNV_ERR_KEYFILE_DAMAGED;
    uint32_t slen = (uint32_t)r_uint(&r, 4);
    const unsigned char *sealed = r_bytes(&r, slen);
    r_bytes(&r, MAC_LEN);
    if (r.fail)
        return damaged(diag, "truncated"), MNV_ERR_KEYFILE_DAMAGED;
    size_t raw_len = r.pos;
    uint32_t stlen = (uint32_t)r_uint(&r, 4);
    const unsigned char *state = r_bytes(&r, stlen);
    if (r.fail || r.pos != r.len)
        return damaged(diag, "length"), MNV_ERR_KEYFILE_DAMAGED;

    struct rbuf rs = {sealed, slen, 0, 0};
    enum mnv_err err = parse_sealed(kr, &rs, diag);
    if (err != MNV_OK)
        return err;
    struct rbuf rt = {state, stlen, 0, 0};
    err = parse_state(kr, &rt, diag);
    if (err != MNV_OK)
        return err;
    kr->sealed_raw = malloc(raw_len);
    if (!kr->sealed_raw)
        return MNV_ERR_NOMEM;
    memcpy(kr->sealed_raw, buf, raw_len);
    kr->sealed_raw_len = raw_len;
    kr->dirty = 0;
    return MNV_OK;
}

static enum mnv_err parse_into(struct keyring *kr, const unsigned char *buf, size_t len,
                               struct mnv_diag *diag)
{
    struct keyring *tmp = calloc(1, sizeof(*tmp));
    if (!tmp)
        return MNV_ERR_NOMEM;
    enum mnv_err err = parse_image(tmp, buf, len, diag);
    if (err == MNV_OK) {
        memcpy(tmp->dir, kr->dir, sizeof(tmp->dir));
        memcpy(tmp->path, kr->path, sizeof(tmp->path));
        tmp->lock_fd = kr->lock_fd;
        tmp->seen = kr->seen;
        tmp->seen_valid = kr->seen_valid;
        free(kr->sealed_raw);
        *kr = *tmp;
    } else {
        free(tmp->sealed_raw);
    }
    sodium_memzero(tmp, sizeof(*tmp));
    free(tmp);
    return err;
}

enum mnv_err keyring_parse(const unsigned char *buf, size_t len, const char *dir,
                           struct keyring **out, struct mnv_diag *diag)
{
    *out = NULL;
    if (strlen(dir) + sizeof(KEYRING_FILE) + 32 >= PATH_MAX)
        return MNV_ERR_TOO_LONG;
    struct keyring *kr = calloc(1, sizeof(*kr));
    if (!kr)
        return MNV_ERR_NOMEM;
    kr->lock_fd = -1;
    set_paths(kr, dir);
    enum mnv_err err = parse_into(kr, buf, len, diag);
    if (err != MNV_OK) {
        keyring_free(kr);
        return err;
    }
    *out = kr;
    return MNV_OK;
}

/* Remember which file (inode, size, time) the snapshot reflects; taken before reading, so
 * a replacement racing with the read shows as a change later rather than being missed. */
static void note_seen(struct keyring *kr, const struct stat *st)
{
    if (st) {
        kr->seen = *st;
        kr->seen_valid = 1;
    } else {
        kr->seen_valid = 0;
    }
}

static enum mnv_err read_file(const char *path, unsigned char **buf, size_t *len,
                              struct mnv_diag *diag)
{
    enum mnv_err err = fileio_read_all(path, FILE_MAX, buf, len, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_ERR_KEYFILE_MISSING;
    if (err == MNV_ERR_TOO_LONG) {
        damaged(diag, "too long");
        return MNV_ERR_KEYFILE_DAMAGED;
    }
    return err;
}

enum mnv_err keyring_load(const char *dir, struct keyring **out, struct mnv_diag *diag)
{
    *out = NULL;
    char path[PATH_MAX];
    if (snprintf(path, sizeof(path), "%s/%s", dir, KEYRING_FILE) >= (int)sizeof(path))
        return MNV_ERR_TOO_LONG;
    unsigned char *buf;
    size_t len;
    struct stat st;
    int have_st = stat(path, &st) == 0;
    enum mnv_err err = read_file(path, &buf, &len, diag);
    if (err != MNV_OK)
        return err;
    err = keyring_parse(buf, len, dir, out, diag);
    if (err != MNV_OK)
        mnv_diag_where(diag, "%s", path);
    else
        note_seen(*out, have_st ? &st : NULL);
    free(buf);
    return err;
}

/* ---- serializing --------------------------------------------------------------------- */

static void write_sealed_body(const struct keyring *kr, struct wbuf *w)
{
    w_bytes(w, kr->vault_id, sizeof(kr->vault_id));
    w_u64(w, kr->generation);
    w_u64(w, (uint64_t)kr->created);
    w_u32(w, (uint32_t)kr->n_epochs);
    for (size_t i = 0; i < kr->n_epochs; i++) {
        w_u32(w, kr->epochs[i].id);
        w_bytes(w, kr->epochs[i].sealed, sizeof(kr->epochs[i].sealed));
    }
    w_u64(w, kr->anchor.seq);
    w_bytes(w, kr->anchor.head, sizeof(kr->anchor.head));
    w_u32(w, (uint32_t)kr->n_slots);
    for (size_t i = 0; i < kr->n_slots; i++) {
        const struct keyring_slot *s = &kr->slots[i];
        size_t nl = strlen(s->name);
        w_u8(w, s->kind);
        w_u8(w, (uint8_t)nl);
        w_bytes(w, s->name, nl);
        w_u32(w, s->kdf.alg);
        w_u64(w, s->kdf.opslimit);
        w_u64(w, s->kdf.memlimit);
        w_bytes(w, s->salt, sizeof(s->salt));
        w_bytes(w, s->sealed, sizeof(s->sealed));
    }
}

static void write_state_body(const struct keyring *kr, struct wbuf *w)
{
    w_bytes(w, kr->state_salt, sizeof(kr->state_salt));
    w_u32(w, (uint32_t)kr->n_logins);
    for (size_t i = 0; i < kr->n_logins; i++) {
        const struct login_rec *l = &kr->logins[i];
        w_bytes(w, l->hash, sizeof(l->hash));
        w_u32(w, l->st.failures);
        w_u32(w, l->st.lockouts);
        w_u64(w, (uint64_t)l->st.locked_until);
        w_u64(w, (uint64_t)l->st.last_failure);
    }
    w_u32(w, (uint32_t)kr->n_events);
    w_u32(w, kr->dropped);
    for (size_t i = 0; i < kr->n_events; i++) {
        const struct keyring_event *e = &kr->events[i];
        size_t nl = strlen(e->name);
        w_u64(w, (uint64_t)e->time);
        w_u8(w, e->kind);
        w_u8(w, (uint8_t)nl);
        w_bytes(w, e->name, nl);
    }
}

static enum mnv_err mac_key(const unsigned char mk[VCRYPTO_KEY_LEN], unsigned char **key)
{
    *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!*key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vcrypto_derive(*key, VCRYPTO_SUB_KEYFILE, mk);
    if (err != MNV_OK) {
        secmem_free(*key);
        *key = NULL;
    }
    return err;
}

enum mnv_err keyring_serialize(struct keyring *kr, const unsigned char *mk, unsigned char **out,
                               size_t *len)
{
    *out = NULL;
    *len = 0;
    struct wbuf w = {0};
    if (!mk) {
        if (kr->dirty || !kr->sealed_raw)
            return MNV_ERR_INVALID;
        w_bytes(&w, kr->sealed_raw, kr->sealed_raw_len);
    } else {
        unsigned char *key;
        enum mnv_err err = mac_key(mk, &key);
        if (err != MNV_OK)
            return err;
        kr->generation++;
        w_bytes(&w, magic, sizeof(magic));
        w_u16(&w, KEYRING_VERSION);
        w_u16(&w, 0);
        w_u32(&w, 0); /* sealed length, patched below */
        write_sealed_body(kr, &w);
        if (!w.fail) {
            put_u32_at(w.p + 12, (uint32_t)(w.len - HEADER_LEN));
            unsigned char mac[MAC_LEN];
            crypto_generichash(mac, sizeof(mac), w.p, w.len, key, VCRYPTO_KEY_LEN);
            w_bytes(&w, mac, sizeof(mac));
        }
        secmem_free(key);
    }
    size_t state_at = w.len;
    w_u32(&w, 0);
    write_state_body(kr, &w);
    if (w.fail) {
        free(w.p);
        return MNV_ERR_NOMEM;
    }
    put_u32_at(w.p + state_at, (uint32_t)(w.len - state_at - 4));
    unsigned char sum[SUM_LEN];
    crypto_generichash(sum, sizeof(sum), w.p, w.len, NULL, 0);
    w_bytes(&w, sum, sizeof(sum));
    if (w.fail) {
        free(w.p);
        return MNV_ERR_NOMEM;
    }
    *out = w.p;
    *len = w.len;
    return MNV_OK;
}

enum mnv_err keyring_verify(const struct keyring *kr, const unsigned char mk[VCRYPTO_KEY_LEN])
{
    if (!kr->sealed_raw || kr->sealed_raw_len < HEADER_LEN + MAC_LEN)
        return MNV_ERR_KEYFILE_ALTERED;
    unsigned char *key;
    enum mnv_err err = mac_key(mk, &key);
    if (err != MNV_OK)
        return err;
    unsigned char mac[MAC_LEN];
    crypto_generichash(mac, sizeof(mac), kr->sealed_raw, kr->sealed_raw_len - MAC_LEN, key,
                       VCRYPTO_KEY_LEN);
    secmem_free(key);
    if (sodium_memcmp(mac, kr->sealed_raw + kr->sealed_raw_len - MAC_LEN, MAC_LEN) != 0)
        return MNV_ERR_KEYFILE_ALTERED;
    return MNV_OK;
}

/* ---- locking, reading, writing ----------------------------------------------------------- */

static enum mnv_err lock_dir(struct keyring *kr, struct mnv_diag *diag)
{
    if (kr->lock_fd >= 0)
        return MNV_OK;
    int fd = open(kr->dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        mnv_diag_where(diag, "%s", kr->dir);
        mnv_diag_errno(diag, errno);
        return MNV_ERR_IO;
    }
    while (flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR)
            continue;
        int e = errno;
        close(fd);
        mnv_diag_where(diag, "%s", kr->dir);
        mnv_diag_errno(diag, e);
        return MNV_ERR_IO;
    }
    kr->lock_fd = fd;
    return MNV_OK;
}

void keyring_abort(struct keyring *kr)
{
    if (kr->lock_fd >= 0) {
        close(kr->lock_fd); /* closing drops the flock */
        kr->lock_fd = -1;
    }
}

/*
 * Temporary files of a write that was killed before its rename. Only called with the
 * folder lock held, when no other write can be half way.
 */
static void remove_stale_temps(const struct keyring *kr)
{
    DIR *d = opendir(kr->dir);
    if (!d)
        return;
    static const char prefix[] = KEYRING_FILE ".tmp-";
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (strncmp(e->d_name, prefix, sizeof(prefix) - 1) != 0)
            continue;
        char path[PATH_MAX];
        if (snprintf(path, sizeof(path), "%s/%s", kr->dir, e->d_name) < (int)sizeof(path))
            unlink(path);
    }
    closedir(d);
}

enum mnv_err keyring_begin(struct keyring *kr, const unsigned char *mk, struct mnv_diag *diag)
{
    enum mnv_err err = lock_dir(kr, diag);
    if (err != MNV_OK)
        return err;
    remove_stale_temps(kr);
    unsigned char *buf;
    size_t len;
    struct stat st;
    int have_st = stat(kr->path, &st) == 0;
    err = read_file(kr->path, &buf, &len, diag);
    if (err == MNV_OK) {
        err = parse_into(kr, buf, len, diag);
        free(buf);
    }
    if (err == MNV_OK)
        note_seen(kr, have_st ? &st : NULL);
    if (err == MNV_OK && mk)
        err = keyring_verify(kr, mk);
    if (err != MNV_OK) {
        mnv_diag_where(diag, "%s", kr->path);
        keyring_abort(kr);
    }
    return err;
}

static enum mnv_err write_image(struct keyring *kr, const unsigned char *mk, struct mnv_diag *diag)
{
    unsigned char *img;
    size_t len;
    enum mnv_err err = keyring_serialize(kr, mk, &img, &len);
    if (err != MNV_OK)
        return err;
    err = fileio_write_atomic(kr->path, img, len, 0600, diag);
    if (err == MNV_OK) {
        struct stat st;
        note_seen(kr, stat(kr->path, &st) == 0 ? &st : NULL);
        /* What is on disk now is the new baseline for byte-for-byte copies. */
        size_t raw_len = HEADER_LEN +
                         (size_t)(img[12] | img[13] << 8 | img[14] << 16 | (size_t)img[15] << 24) +
                         MAC_LEN;
        unsigned char *raw = malloc(raw_len);
        if (raw) {
            memcpy(raw, img, raw_len);
            free(kr->sealed_raw);
            kr->sealed_raw = raw;
            kr->sealed_raw_len = raw_len;
            kr->dirty = 0;
        }
    }
    free(img);
    return err;
}

enum mnv_err keyring_commit(struct keyring *kr, const unsigned char *mk, struct mnv_diag *diag)
{
    if (kr->lock_fd < 0)
        return MNV_ERR_INVALID;
    enum mnv_err err = write_image(kr, mk, diag);
    keyring_abort(kr);
    return err;
}

enum mnv_err keyring_create_file(struct keyring *kr, const unsigned char mk[VCRYPTO_KEY_LEN],
                                 struct mnv_diag *diag)
{
    enum mnv_err err = lock_dir(kr, diag);
    if (err != MNV_OK)
        return err;
    struct stat st;
    if (lstat(kr->path, &st) == 0) {
        keyring_abort(kr);
        return MNV_ERR_VAULT_EXISTS;
    }
    err = write_image(kr, mk, diag);
    keyring_abort(kr);
    return err;
}

/* ---- accessors ----------------------------------------------------------------------- */

const unsigned char *keyring_vault_id(const struct keyring *kr)
{
    return kr->vault_id;
}

const char *keyring_dir(const struct keyring *kr)
{
    return kr->dir;
}

uint64_t keyring_generation(const struct keyring *kr)
{
    return kr->generation;
}

size_t keyring_slot_count(const struct keyring *kr)
{
    return kr->n_slots;
}

const struct keyring_slot *keyring_slot_at(const struct keyring *kr, size_t i)
{
    return i < kr->n_slots ? &kr->slots[i] : NULL;
}

const struct keyring_slot *keyring_find_slot(const struct keyring *kr, const char *name)
{
    for (size_t i = 0; i < kr->n_slots; i++)
        if (user_kind(kr->slots[i].kind) && strcmp(kr->slots[i].name, name) == 0)
            return &kr->slots[i];
    return NULL;
}

/* ---- slots ----------------------------------------------------------------------------- */

static enum mnv_err seal_mk(const struct keyring *kr, struct keyring_slot *s,
                            const unsigned char *key, const unsigned char *mk)
{
    unsigned char ad[64 + KEYRING_NAME_MAX];
    size_t adlen = slot_ad(ad, kr->vault_id, s->kind, s->name);
    return vcrypto_seal(s->sealed, mk, VCRYPTO_KEY_LEN, ad, adlen, key);
}

static enum mnv_err open_mk(const struct keyring *kr, const struct keyring_slot *s,
                            const unsigned char *key, unsigned char *mk)
{
    unsigned char ad[64 + KEYRING_NAME_MAX];
    size_t adlen = slot_ad(ad, kr->vault_id, s->kind, s->name);
    enum mnv_err err = vcrypto_open(mk, s->sealed, sizeof(s->sealed), ad, adlen, key);
    return err == MNV_OK ? MNV_OK : MNV_ERR_SLOT_WRONG;
}

enum mnv_err keyring_slot_make(const struct keyring *kr, enum keyring_slot_kind kind,
                               const char *name, const char *password, size_t len,
                               const struct vcrypto_kdf *kdf,
                               const unsigned char mk[VCRYPTO_KEY_LEN], struct keyring_slot *out)
{
    memset(out, 0, sizeof(*out));
    size_t nl = strlen(name);
    if (nl > KEYRING_NAME_MAX)
        return MNV_ERR_TOO_LONG;
    if (!user_kind((uint8_t)kind) || !name_ok(name, nl) || !vcrypto_kdf_valid(kdf))
        return MNV_ERR_INVALID;
    out->kind = (uint8_t)kind;
    memcpy(out->name, name, nl + 1);
    out->kdf = *kdf;
    randombytes_buf(out->salt, sizeof(out->salt));
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vcrypto_password_key(key, password, len, out->salt, kdf);
    if (err == MNV_OK)
        err = seal_mk(kr, out, key, mk);
    secmem_free(key);
    return err;
}

enum mnv_err keyring_slot_put(struct keyring *kr, const struct keyring_slot *slot)
{
    for (size_t i = 0; i < kr->n_slots; i++) {
        int same =
            user_kind(slot->kind) ? user_kind(kr->slots[i].kind) : kr->slots[i].kind == slot->kind;
        if (same && strcmp(kr->slots[i].name, slot->name) == 0) {
            kr->slots[i] = *slot;
            kr->dirty = 1;
            return MNV_OK;
        }
    }
    if (kr->n_slots >= KEYRING_MAX_SLOTS)
        return MNV_ERR_KEYFILE_FULL;
    kr->slots[kr->n_slots++] = *slot;
    kr->dirty = 1;
    return MNV_OK;
}

int keyring_slot_remove(struct keyring *kr, const char *name)
{
    for (size_t i = 0; i < kr->n_slots; i++) {
        if (user_kind(kr->slots[i].kind) && strcmp(kr->slots[i].name, name) == 0) {
            memmove(&kr->slots[i], &kr->slots[i + 1], (kr->n_slots - i - 1) * sizeof(kr->slots[0]));
            kr->n_slots--;
            kr->dirty = 1;
            return 1;
        }
    }
    return 0;
}

enum mnv_err keyring_slot_open(const struct keyring *kr, const char *name, const char *password,
                               size_t len, unsigned char mk[VCRYPTO_KEY_LEN])
{
    const struct keyring_slot *s = keyring_find_slot(kr, name);
    struct keyring_slot dummy;
    if (!s) {
        /* Same cost as a real user: the first slot's, else the default. */
        memset(&dummy, 0, sizeof(dummy));
        dummy.kind = KEYRING_SLOT_PASSWORD;
        snprintf(dummy.name, sizeof(dummy.name), "%s", "?");
        vcrypto_kdf_default(&dummy.kdf, 0);
        for (size_t i = 0; i < kr->n_slots; i++)
            if (user_kind(kr->slots[i].kind)) {
                dummy.kdf = kr->slots[i].kdf;
                break;
            }
        randombytes_buf(dummy.salt, sizeof(dummy.salt));
        randombytes_buf(dummy.sealed, sizeof(dummy.sealed));
        s = &dummy;
    }
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vcrypto_password_key(key, password, len, s->salt, &s->kdf);
    if (err == MNV_OK)
        err = open_mk(kr, s, key, mk);
    secmem_free(key);
    if (s == &dummy && err == MNV_OK) {
        secmem_wipe(mk, VCRYPTO_KEY_LEN); /* cannot happen: the dummy holds random bytes */
        err = MNV_ERR_SLOT_WRONG;
    }
    return err;
}

static struct keyring_slot *find_recovery(const struct keyring *kr)
{
    for (size_t i = 0; i < kr->n_slots; i++)
        if (kr->slots[i].kind == KEYRING_SLOT_RECOVERY)
            return (struct keyring_slot *)&kr->slots[i];
    return NULL;
}

int keyring_recovery_present(const struct keyring *kr)
{
    return find_recovery(kr) != NULL;
}

enum mnv_err keyring_recovery_set(struct keyring *kr,
                                  const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                  const unsigned char mk[VCRYPTO_KEY_LEN])
{
    struct keyring_slot s;
    memset(&s, 0, sizeof(s));
    s.kind = KEYRING_SLOT_RECOVERY;
    enum mnv_err err = seal_mk(kr, &s, recovery_key, mk);
    if (err != MNV_OK)
        return err;
    return keyring_slot_put(kr, &s);
}

enum mnv_err keyring_recovery_open(const struct keyring *kr,
                                   const unsigned char recovery_key[VCRYPTO_KEY_LEN],
                                   unsigned char mk[VCRYPTO_KEY_LEN])
{
    const struct keyring_slot *s = find_recovery(kr);
    if (!s)
        return MNV_ERR_NOT_FOUND;
    return open_mk(kr, s, recovery_key, mk);
}

/* ---- epochs ---------------------------------------------------------------------------- */

uint32_t keyring_epoch_current(const struct keyring *kr)
{
    return kr->n_epochs ? kr->epochs[kr->n_epochs - 1].id : 0;
}

size_t keyring_epoch_count(const struct keyring *kr)
{
    return kr->n_epochs;
}

static enum mnv_err epoch_wrap_key(const unsigned char *mk, unsigned char **key)
{
    *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!*key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vcrypto_derive(*key, VCRYPTO_SUB_EPOCH, mk);
    if (err != MNV_OK) {
        secmem_free(*key);
        *key = NULL;
    }
    return err;
}

enum mnv_err keyring_epoch_key(const struct keyring *kr, uint32_t id,
                               const unsigned char mk[VCRYPTO_KEY_LEN],
                               unsigned char key[VCRYPTO_KEY_LEN])
{
    const struct epoch_rec *e = NULL;
    for (size_t i = 0; i < kr->n_epochs; i++)
        if (kr->epochs[i].id == id)
            e = &kr->epochs[i];
    if (!e)
        return MNV_ERR_EPOCH_GONE;
    unsigned char *wk;
    enum mnv_err err = epoch_wrap_key(mk, &wk);
    if (err != MNV_OK)
        return err;
    unsigned char ad[64];
    size_t adlen = epoch_ad(ad, kr->vault_id, id);
    err = vcrypto_open(key, e->sealed, sizeof(e->sealed), ad, adlen, wk);
    secmem_free(wk);
    return err;
}

enum mnv_err keyring_epoch_add(struct keyring *kr, const unsigned char mk[VCRYPTO_KEY_LEN],
                               uint32_t *id)
{
    if (kr->n_epochs >= KEYRING_MAX_EPOCHS)
        return MNV_ERR_KEYFILE_FULL;
    uint32_t nid = keyring_epoch_current(kr) + 1;
    unsigned char *wk, *ek = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!ek)
        return MNV_ERR_NOMEM;
    enum mnv_err err = epoch_wrap_key(mk, &wk);
    if (err != MNV_OK) {
        secmem_free(ek);
        return err;
    }
    randombytes_buf(ek, VCRYPTO_KEY_LEN);
    struct epoch_rec *e = &kr->epochs[kr->n_epochs];
    unsigned char ad[64];
    size_t adlen = epoch_ad(ad, kr->vault_id, nid);
    err = vcrypto_seal(e->sealed, ek, VCRYPTO_KEY_LEN, ad, adlen, wk);
    secmem_free(wk);
    secmem_free(ek);
    if (err != MNV_OK)
        return err;
    e->id = nid;
    kr->n_epochs++;
    kr->dirty = 1;
    *id = nid;
    return MNV_OK;
}

size_t keyring_epoch_forget_old(struct keyring *kr)
{
    if (kr->n_epochs <= 1)
        return 0;
    size_t gone = kr->n_epochs - 1;
    kr->epochs[0] = kr->epochs[kr->n_epochs - 1];
    sodium_memzero(&kr->epochs[1], gone * sizeof(kr->epochs[0]));
    kr->n_epochs = 1;
    kr->dirty = 1;
    return gone;
}

/* ---- anchor ---------------------------------------------------------------------------- */

void keyring_anchor_get(const struct keyring *kr, struct keyring_anchor *a)
{
    *a = kr->anchor;
}

void keyring_anchor_set(struct keyring *kr, const struct keyring_anchor *a)
{
    if (kr->anchor.seq == a->seq && memcmp(kr->anchor.head, a->head, sizeof(a->head)) == 0)
        return;
    kr->anchor = *a;
    kr->dirty = 1;
}

/* ---- login state ------------------------------------------------------------------------- */

static struct login_rec *find_login(const struct keyring *kr, const unsigned char h[HASH16])
{
    for (size_t i = 0; i < kr->n_logins; i++)
        if (memcmp(kr->logins[i].hash, h, HASH16) == 0)
            return (struct login_rec *)&kr->logins[i];
    return NULL;
}

void keyring_login_state_get(const struct keyring *kr, const char *name,
                             struct keyring_login_state *st)
{
    unsigned char h[HASH16];
    name_hash(kr, name, h);
    const struct login_rec *l = find_login(kr, h);
    if (l)
        *st = l->st;
    else
        memset(st, 0, sizeof(*st));
}

static int hash_has_slot(const struct keyring *kr, const unsigned char h[HASH16])
{
    unsigned char sh[HASH16];
    for (size_t i = 0; i < kr->n_slots; i++) {
        if (!user_kind(kr->slots[i].kind))
            continue;
        name_hash(kr, kr->slots[i].name, sh);
        if (memcmp(sh, h, HASH16) == 0)
            return 1;
    }
    return 0;
}

/* Index of the record to drop when the table is full: oldest unknown name, else oldest. */
static size_t evict_index(const struct keyring *kr)
{
    size_t best = 0, best_unknown = SIZE_MAX;
    for (size_t i = 0; i < kr->n_logins; i++) {
        if (kr->logins[i].st.last_failure < kr->logins[best].st.last_failure)
            best = i;
        if (!hash_has_slot(kr, kr->logins[i].hash) &&
            (best_unknown == SIZE_MAX ||
             kr->logins[i].st.last_failure < kr->logins[best_unknown].st.last_failure))
            best_unknown = i;
    }
    return best_unknown != SIZE_MAX ? best_unknown : best;
}

void keyring_login_state_set(struct keyring *kr, const char *name,
                             const struct keyring_login_state *st)
{
    unsigned char h[HASH16];
    name_hash(kr, name, h);
    struct login_rec *l = find_login(kr, h);
    int zero = !st->failures && !st->lockouts && !st->locked_until && !st->last_failure;
    if (zero) {
        if (l) {
            size_t i = (size_t)(l - kr->logins);
            memmove(l, l + 1, (kr->n_logins - i - 1) * sizeof(*l));
            kr->n_logins--;
        }
        return;
    }
    if (!l) {
        if (kr->n_logins >= KEYRING_MAX_LOGIN_STATES) {
            size_t i = evict_index(kr);
            memmove(&kr->logins[i], &kr->logins[i + 1],
                    (kr->n_logins - i - 1) * sizeof(kr->logins[0]));
            kr->n_logins--;
        }
        l = &kr->logins[kr->n_logins++];
        memcpy(l->hash, h, HASH16);
    }
    l->st = *st;
}

void keyring_event_add(struct keyring *kr, int64_t time, enum keyring_event_kind kind,
                       const char *name)
{
    if (kr->n_events >= KEYRING_MAX_EVENTS) {
        memmove(&kr->events[0], &kr->events[1], (kr->n_events - 1) * sizeof(kr->events[0]));
        kr->n_events--;
        kr->dropped++;
    }
    struct keyring_event *e = &kr->events[kr->n_events++];
    memset(e, 0, sizeof(*e));
    e->time = time;
    e->kind = (uint8_t)kind;
    size_t nl = strlen(name);
    if (name_ok(name, nl))
        memcpy(e->name, name, nl + 1);
}

size_t keyring_event_count(const struct keyring *kr)
{
    return kr->n_events;
}

const struct keyring_event *keyring_event_at(const struct keyring *kr, size_t i)
{
    return i < kr->n_events ? &kr->events[i] : NULL;
}

uint32_t keyring_events_dropped(const struct keyring *kr)
{
    return kr->dropped;
}

void keyring_events_clear(struct keyring *kr)
{
    sodium_memzero(kr->events, sizeof(kr->events));
    kr->n_events = 0;
    kr->dropped = 0;
}

void keyring_events_consume(struct keyring *kr, const struct keyring_event *seen, size_t n,
                            uint32_t dropped_seen)
{
    kr->dropped = kr->dropped > dropped_seen ? kr->dropped - dropped_seen : 0;
    if (n == 0 || n > kr->n_events)
        return;
    for (size_t i = 0; i < n; i++)
        if (kr->events[i].time != seen[i].time || kr->events[i].kind != seen[i].kind ||
            strcmp(kr->events[i].name, seen[i].name) != 0)
            return;
    memmove(&kr->events[0], &kr->events[n], (kr->n_events - n) * sizeof(kr->events[0]));
    kr->n_events -= n;
    sodium_memzero(&kr->events[kr->n_events], n * sizeof(kr->events[0]));
}

int keyring_changed_on_disk(const struct keyring *kr)
{
    struct stat st;
    if (!kr->seen_valid || stat(kr->path, &st) != 0)
        return 1;
    return st.st_dev != kr->seen.st_dev || st.st_ino != kr->seen.st_ino ||
           st.st_size != kr->seen.st_size || st.st_mtim.tv_sec != kr->seen.st_mtim.tv_sec ||
           st.st_mtim.tv_nsec != kr->seen.st_mtim.tv_nsec;
}
