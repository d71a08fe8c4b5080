/*
 * keyring_fmt.c: the bytes of vault.keys (doc/vault-format.md): parsing formats 1 and 2,
 * writing format 2 as the file, as the journal image vault.db keeps, and as the copy a
 * backup holds. Part of the key file module (keyring.h).
 */
#include "keyring_int.h"

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "mnvault/alloc.h"
#include "mnvault/secmem.h"
#include "mnvault/utf8.h"

static const unsigned char magic[8] = {'M', 'N', 'V', 'K', 'E', 'Y', 'S', 0};

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
    unsigned char *np = n > SIZE_MAX - w->len ? NULL : alloc_grow(w->p, &w->cap, w->len + n, 1);
    if (!np) {
        w->fail = 1;
        return;
    }
    w->p = np;
    memcpy(w->p + w->len, data, n);
    w->len += n;
}

static void w_zero(struct wbuf *w, size_t n)
{
    static const unsigned char zero[KEYRING_SEALED_KEY_LEN];
    while (n > 0) {
        size_t k = n < sizeof(zero) ? n : sizeof(zero);
        w_bytes(w, zero, k);
        n -= k;
    }
}

static void w_uint(struct wbuf *w, uint64_t v, int bytes)
{
    unsigned char b[8];
    for (int i = 0; i < bytes; i++)
        b[i] = (unsigned char)(v >> (8 * i));
    w_bytes(w, b, (size_t)bytes);
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

int kr_is_zero(const unsigned char *p, size_t n)
{
    unsigned char acc = 0;
    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

static enum mnv_err damaged(struct mnv_diag *diag, const char *what)
{
    mnv_diag_detail(diag, "%s", what);
    return MNV_ERR_KEYFILE_DAMAGED;
}

/* ---- parsing the parts shared by both formats --------------------------------------------- */

static enum mnv_err parse_slot_name(struct rbuf *r, struct keyring_slot *s, struct mnv_diag *diag)
{
    size_t nl = (size_t)r_uint(r, 1);
    const unsigned char *name = r_bytes(r, nl);
    if (r->fail || nl > KEYRING_NAME_MAX)
        return damaged(diag, "slot name");
    memcpy(s->name, name, nl);
    s->name[nl] = '\0';
    return MNV_OK;
}

static void parse_kdf(struct rbuf *r, struct keyring_slot *s)
{
    s->kdf.alg = (uint32_t)r_uint(r, 4);
    s->kdf.opslimit = r_uint(r, 8);
    s->kdf.memlimit = r_uint(r, 8);
    r_copy(r, s->salt, sizeof(s->salt));
    r_copy(r, s->sealed, sizeof(s->sealed));
}

/* A slot's fields must fit its kind; user slots must have distinct names. */
static enum mnv_err check_slot(const struct keyring *kr, const struct keyring_slot *s,
                               struct mnv_diag *diag)
{
    size_t nl = strlen(s->name);
    int zero_kdf = !s->kdf.alg && !s->kdf.opslimit && !s->kdf.memlimit;
    if (kr_user_kind(s->kind)) {
        if (!kr_name_ok(s->name, nl) || !vcrypto_kdf_valid(&s->kdf))
            return damaged(diag, "slot");
        if (kr_find_user(kr, s->name))
            return damaged(diag, "duplicate slot");
    } else if (s->kind == KEYRING_SLOT_RECOVERY || s->kind == KEYRING_SLOT_LEGACY_RECOVERY) {
        if (nl != 0 || !zero_kdf || kr_find_recovery(kr))
            return damaged(diag, "recovery slot");
    } else {
        return damaged(diag, "slot kind");
    }
    int legacy = s->kind == KEYRING_SLOT_LEGACY || s->kind == KEYRING_SLOT_LEGACY_RECOVERY;
    if (legacy && (s->n_env || !kr_is_zero(s->pub, sizeof(s->pub))))
        return damaged(diag, "legacy slot");
    for (size_t i = 0; i < s->n_env; i++) {
        uint8_t k = s->env[i].key;
        if ((k != KEYRING_KEY_VK && k != KEYRING_KEY_NK && k != KEYRING_KEY_BK) ||
            s->env[i].id == 0)
            return damaged(diag, "envelope");
        for (size_t j = 0; j < i; j++)
            if (s->env[j].key == k && s->env[j].id == s->env[i].id)
                return damaged(diag, "envelope");
    }
    return MNV_OK;
}

/* ---- format 1 ------------------------------------------------------------------------- */

static enum mnv_err parse_v1_slot(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    struct keyring_slot *s = &kr->slots[kr->n_slots];
    memset(s, 0, sizeof(*s));
    uint8_t kind = (uint8_t)r_uint(r, 1);
    enum mnv_err err = parse_slot_name(r, s, diag);
    if (err != MNV_OK)
        return err;
    parse_kdf(r, s);
    if (r->fail)
        return damaged(diag, "slot");
    if (kind == KEYRING_SLOT_PASSWORD || kind == KEYRING_SLOT_ONE_TIME) {
        s->kind = KEYRING_SLOT_LEGACY;
        s->legacy_one_time = kind == KEYRING_SLOT_ONE_TIME;
    } else if (kind == KEYRING_SLOT_RECOVERY) {
        s->kind = KEYRING_SLOT_LEGACY_RECOVERY;
    } else {
        return damaged(diag, "slot kind");
    }
    err = check_slot(kr, s, diag);
    if (err == MNV_OK)
        kr->n_slots++;
    return err;
}

static enum mnv_err parse_v1_body(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    r_copy(r, kr->vault_id, sizeof(kr->vault_id));
    kr->generation = r_uint(r, 8);
    kr->created = (int64_t)r_uint(r, 8);
    uint32_t ne = (uint32_t)r_uint(r, 4);
    if (r->fail || ne == 0 || ne > KEYRING_MAX_EPOCHS)
        return damaged(diag, "epochs");
    for (uint32_t i = 0; i < ne; i++) {
        kr->epochs[i].id = (uint32_t)r_uint(r, 4);
        kr->epochs[i].wrap = KR_WRAP_MK;
        r_copy(r, kr->epochs[i].sealed, sizeof(kr->epochs[i].sealed));
        if (kr->epochs[i].id == 0 || (i > 0 && kr->epochs[i].id <= kr->epochs[i - 1].id))
            return damaged(diag, "epoch order");
    }
    kr->n_epochs = ne;
    kr->anchor.seq = r_uint(r, 8);
    r_copy(r, kr->anchor.head, sizeof(kr->anchor.head));
    uint32_t ns = (uint32_t)r_uint(r, 4);
    if (r->fail || ns > KEYRING_MAX_SLOTS)
        return damaged(diag, "slots");
    for (uint32_t i = 0; i < ns; i++) {
        enum mnv_err err = parse_v1_slot(kr, r, diag);
        if (err != MNV_OK)
            return err;
    }
    if (r->fail || r->pos != r->len)
        return damaged(diag, "protected part length");
    return MNV_OK;
}

/* ---- format 2 ------------------------------------------------------------------------- */

/* The bytes of a format-2 slot into s (its fields not checked yet). */
static enum mnv_err read_slot(struct rbuf *r, struct keyring_slot *s, struct mnv_diag *diag)
{
    memset(s, 0, sizeof(*s));
    s->kind = (uint8_t)r_uint(r, 1);
    s->legacy_one_time = (uint8_t)r_uint(r, 1);
    enum mnv_err err = parse_slot_name(r, s, diag);
    if (err != MNV_OK)
        return err;
    parse_kdf(r, s);
    r_copy(r, s->pub, sizeof(s->pub));
    s->n_env = (size_t)r_uint(r, 1);
    if (r->fail || s->n_env > KEYRING_SLOT_ENVS || s->legacy_one_time > 1)
        return damaged(diag, "slot");
    for (size_t i = 0; i < s->n_env; i++) {
        s->env[i].key = (uint8_t)r_uint(r, 1);
        s->env[i].id = (uint32_t)r_uint(r, 4);
        r_copy(r, s->env[i].box, sizeof(s->env[i].box));
    }
    return r->fail ? damaged(diag, "slot") : MNV_OK;
}

static enum mnv_err parse_slot(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    struct keyring_slot *s = &kr->slots[kr->n_slots];
    enum mnv_err err = read_slot(r, s, diag);
    if (err == MNV_OK)
        err = check_slot(kr, s, diag);
    if (err == MNV_OK)
        kr->n_slots++;
    return err;
}

static enum mnv_err parse_epochs(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    uint32_t ne = (uint32_t)r_uint(r, 4);
    if (r->fail || ne > KEYRING_MAX_EPOCHS)
        return damaged(diag, "epochs");
    for (uint32_t i = 0; i < ne; i++) {
        struct kr_epoch *e = &kr->epochs[i];
        e->id = (uint32_t)r_uint(r, 4);
        e->wrap = (uint8_t)r_uint(r, 1);
        r_copy(r, e->sealed, sizeof(e->sealed));
        if (e->id == 0 || (i > 0 && e->id <= kr->epochs[i - 1].id) ||
            (e->wrap != KR_WRAP_NK && e->wrap != KR_WRAP_MK))
            return damaged(diag, "epoch order");
    }
    kr->n_epochs = ne;
    return MNV_OK;
}

static enum mnv_err parse_sealed_parts(struct keyring *kr, struct rbuf *r, struct mnv_diag *diag)
{
    kr->anchor.seq = r_uint(r, 8);
    r_copy(r, kr->anchor.head, sizeof(kr->anchor.head));
    kr->seal_segment = (uint32_t)r_uint(r, 4);
    kr->seal_index = r_uint(r, 8);
    r_copy(r, kr->seal_sealed, sizeof(kr->seal_sealed));
    r_copy(r, kr->seal_pk0, sizeof(kr->seal_pk0));
    r_copy(r, kr->chain_sealed, sizeof(kr->chain_sealed));
    r_copy(r, kr->cert_sealed, sizeof(kr->cert_sealed));
    uint8_t legacy = (uint8_t)r_uint(r, 1);
    if (r->fail || legacy > 1)
        return damaged(diag, "legacy bridge");
    kr->legacy = legacy;
    if (legacy) {
        r_copy(r, kr->mk_check, sizeof(kr->mk_check));
        r_copy(r, kr->bridge_sealed, sizeof(kr->bridge_sealed));
        r_copy(r, kr->mk_sealed, sizeof(kr->mk_sealed));
    }
    return r->fail ? damaged(diag, "protected part") : MNV_OK;
}

enum mnv_err kr_parse_body(struct keyring *kr, const unsigned char *p, size_t len,
                           struct mnv_diag *diag)
{
    struct rbuf r = {p, len, 0, 0};
    r_copy(&r, kr->vault_id, sizeof(kr->vault_id));
    kr->generation = r_uint(&r, 8);
    kr->created = (int64_t)r_uint(&r, 8);
    kr->flags = (uint32_t)r_uint(&r, 4);
    kr->vk_id = (uint32_t)r_uint(&r, 4);
    kr->nk_id = (uint32_t)r_uint(&r, 4);
    kr->bk_id = (uint32_t)r_uint(&r, 4);
    kr->vk_next_id = (uint32_t)r_uint(&r, 4);
    if (r.fail || kr->vk_id == 0 || kr->nk_id == 0 || kr->bk_id == 0 ||
        (kr->vk_next_id && kr->vk_next_id != kr->vk_id + 1) || kr->flags > 7)
        return damaged(diag, "key ids");
    enum mnv_err err = parse_epochs(kr, &r, diag);
    if (err == MNV_OK)
        err = parse_sealed_parts(kr, &r, diag);
    if (err != MNV_OK)
        return err;
    uint32_t ns = (uint32_t)r_uint(&r, 4);
    if (r.fail || ns > KEYRING_MAX_SLOTS)
        return damaged(diag, "slots");
    kr->n_slots = 0;
    for (uint32_t i = 0; i < ns && err == MNV_OK; i++)
        err = parse_slot(kr, &r, diag);
    if (err == MNV_OK && (r.fail || r.pos != r.len))
        err = damaged(diag, "protected part length");
    return err;
}

/* ---- the login state ---------------------------------------------------------------------- */

static enum mnv_err parse_state(struct keyring *kr, struct rbuf *r, int version,
                                struct mnv_diag *diag)
{
    r_copy(r, kr->state_salt, sizeof(kr->state_salt));
    kr->state_seq = version >= 2 ? r_uint(r, 8) : 0;
    uint32_t nl = (uint32_t)r_uint(r, 4);
    if (r->fail || nl > KEYRING_MAX_LOGIN_STATES)
        return damaged(diag, "login states");
    for (uint32_t i = 0; i < nl; i++) {
        struct kr_login *l = &kr->logins[i];
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
        return damaged(diag, "events");
    for (uint32_t i = 0; i < ne; i++) {
        struct keyring_event *e = &kr->events[i];
        e->time = (int64_t)r_uint(r, 8);
        e->kind = (uint8_t)r_uint(r, 1);
        size_t len = (size_t)r_uint(r, 1);
        const unsigned char *name = r_bytes(r, len);
        if (r->fail || len > KEYRING_NAME_MAX || e->kind < KEYRING_EVENT_LOGIN_FAILED ||
            e->kind > KEYRING_EVENT_LOGOUT || (len && !kr_name_ok((const char *)name, len)))
            return damaged(diag, "event");
        memcpy(e->name, name, len);
        e->name[len] = '\0';
    }
    kr->n_events = ne;
    kr->has_pending = version >= 2 ? (int)r_uint(r, 1) : 0;
    if (kr->has_pending) {
        struct keyring_slot *p = &kr->pending;
        if (r->fail || kr->has_pending != 1 || read_slot(r, p, diag) != MNV_OK ||
            p->kind != KEYRING_SLOT_PASSWORD || !kr_name_ok(p->name, strlen(p->name)) ||
            !vcrypto_kdf_valid(&p->kdf))
            return damaged(diag, "pending slot");
    }
    /* Since session 4: the stamp of the write (a file written before has none). */
    kr->written_ns = 0;
    if (version >= 2 && !r->fail && r->pos < r->len) {
        kr->stamp_kind = (int)r_uint(r, 1);
        if (kr->stamp_kind != KR_STAMP_CLOCK && kr->stamp_kind != KR_STAMP_BIRTH)
            return damaged(diag, "write stamp");
        kr->written_ns = (int64_t)r_uint(r, 8);
    }
    if (r->fail || r->pos != r->len)
        return damaged(diag, "login state length");
    return MNV_OK;
}

/* ---- the whole file ----------------------------------------------------------------------- */

static enum mnv_err parse_image(struct keyring *kr, const unsigned char *buf, size_t len,
                                struct mnv_diag *diag)
{
    if (len < KR_HEADER_LEN + KR_MAC_LEN + 4 + KR_SUM_LEN)
        return damaged(diag, "too short");
    if (memcmp(buf, magic, sizeof(magic)) != 0)
        return damaged(diag, "not a key file");
    unsigned char sum[KR_SUM_LEN];
    crypto_generichash(sum, sizeof(sum), buf, len - KR_SUM_LEN, NULL, 0);
    if (sodium_memcmp(sum, buf + len - KR_SUM_LEN, KR_SUM_LEN) != 0)
        return damaged(diag, "checksum");
    struct rbuf r = {buf, len - KR_SUM_LEN, sizeof(magic), 0};
    uint16_t version = (uint16_t)r_uint(&r, 2);
    uint16_t flags = (uint16_t)r_uint(&r, 2);
    if (version > KEYRING_VERSION)
        return MNV_ERR_KEYFILE_VERSION;
    if (version < 1 || flags != 0)
        return damaged(diag, "version");
    uint32_t slen = (uint32_t)r_uint(&r, 4);
    const unsigned char *body = r_bytes(&r, slen);
    r_bytes(&r, KR_MAC_LEN);
    if (r.fail)
        return damaged(diag, "truncated");
    size_t raw_len = r.pos;
    uint32_t stlen = (uint32_t)r_uint(&r, 4);
    const unsigned char *state = r_bytes(&r, stlen);
    if (r.fail || r.pos != r.len)
        return damaged(diag, "length");
    kr->version = version;
    enum mnv_err err;
    if (version == 1) {
        struct rbuf rb = {body, slen, 0, 0};
        err = parse_v1_body(kr, &rb, diag);
        kr->vk_id = kr->nk_id = kr->bk_id = 1;
    } else {
        err = kr_parse_body(kr, body, slen, diag);
    }
    if (err != MNV_OK)
        return err;
    struct rbuf rt = {state, stlen, 0, 0};
    err = parse_state(kr, &rt, version, diag);
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

/* Parse into a scratch keyring; kr changes only when the whole file is good, so a damaged
 * file on disk never disturbs the snapshot a session holds. */
enum mnv_err kr_parse_into(struct keyring *kr, const unsigned char *buf, size_t len,
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
        tmp->prep = kr->prep; /* a prepared write is the lock holder's, not the file's */
        tmp->prep_ino = kr->prep_ino;
        tmp->prep_img = kr->prep_img;
        tmp->prep_len = kr->prep_len;
        free(kr->sealed_raw);
        *kr = *tmp;
    } else {
        free(tmp->sealed_raw);
    }
    sodium_memzero(tmp, sizeof(*tmp));
    free(tmp);
    return err;
}

/* ---- writing format 2 ---------------------------------------------------------------------- */

static void write_slot(struct wbuf *w, const struct keyring_slot *s)
{
    size_t nl = strlen(s->name);
    w_uint(w, s->kind, 1);
    w_uint(w, s->legacy_one_time, 1);
    w_uint(w, nl, 1);
    w_bytes(w, s->name, nl);
    w_uint(w, s->kdf.alg, 4);
    w_uint(w, s->kdf.opslimit, 8);
    w_uint(w, s->kdf.memlimit, 8);
    w_bytes(w, s->salt, sizeof(s->salt));
    w_bytes(w, s->sealed, sizeof(s->sealed));
    w_bytes(w, s->pub, sizeof(s->pub));
    w_uint(w, s->n_env, 1);
    for (size_t i = 0; i < s->n_env; i++) {
        w_uint(w, s->env[i].key, 1);
        w_uint(w, s->env[i].id, 4);
        w_bytes(w, s->env[i].box, sizeof(s->env[i].box));
    }
}

/* The parts after the epochs; what a journal or a backup copy must not hold is blanked. */
static void write_sealed_parts(const struct keyring *kr, struct wbuf *w, enum keyring_image what)
{
    w_uint(w, kr->anchor.seq, 8);
    w_bytes(w, kr->anchor.head, sizeof(kr->anchor.head));
    if (what == KEYRING_IMAGE_BACKUP) {
        w_zero(w, 4 + 8 + KEYRING_SEALED_KEY_LEN + VCRYPTO_PK_LEN);
    } else {
        w_uint(w, kr->seal_segment, 4);
        w_uint(w, kr->seal_index, 8);
        if (what == KEYRING_IMAGE_FILE)
            w_bytes(w, kr->seal_sealed, sizeof(kr->seal_sealed));
        else
            w_zero(w, sizeof(kr->seal_sealed));
        w_bytes(w, kr->seal_pk0, sizeof(kr->seal_pk0));
    }
    w_bytes(w, kr->chain_sealed, sizeof(kr->chain_sealed));
    w_bytes(w, kr->cert_sealed, sizeof(kr->cert_sealed));
    w_uint(w, (uint64_t)kr->legacy, 1);
    if (kr->legacy) {
        w_bytes(w, kr->mk_check, sizeof(kr->mk_check));
        w_bytes(w, kr->bridge_sealed, sizeof(kr->bridge_sealed));
        if (what == KEYRING_IMAGE_FILE)
            w_bytes(w, kr->mk_sealed, sizeof(kr->mk_sealed));
        else
            w_zero(w, sizeof(kr->mk_sealed));
    }
}

static void write_body(const struct keyring *kr, struct wbuf *w, enum keyring_image what)
{
    w_bytes(w, kr->vault_id, sizeof(kr->vault_id));
    w_uint(w, kr->generation, 8);
    w_uint(w, (uint64_t)kr->created, 8);
    uint32_t flags = kr->flags;
    if (what == KEYRING_IMAGE_BACKUP)
        flags = (flags | KEYRING_F_BACKUP_COPY) & ~(uint32_t)KEYRING_F_UPGRADING;
    w_uint(w, flags, 4);
    w_uint(w, kr->vk_id, 4);
    w_uint(w, kr->nk_id, 4);
    w_uint(w, kr->bk_id, 4);
    w_uint(w, kr->vk_next_id, 4);
    size_t ne = what == KEYRING_IMAGE_BACKUP ? 0 : kr->n_epochs;
    w_uint(w, ne, 4);
    for (size_t i = 0; i < ne; i++) {
        w_uint(w, kr->epochs[i].id, 4);
        w_uint(w, kr->epochs[i].wrap, 1);
        if (what == KEYRING_IMAGE_FILE)
            w_bytes(w, kr->epochs[i].sealed, sizeof(kr->epochs[i].sealed));
        else
            w_zero(w, sizeof(kr->epochs[i].sealed));
    }
    write_sealed_parts(kr, w, what);
    w_uint(w, kr->n_slots, 4);
    for (size_t i = 0; i < kr->n_slots; i++)
        write_slot(w, &kr->slots[i]);
}

static void write_state(const struct keyring *kr, struct wbuf *w, enum keyring_image what)
{
    w_bytes(w, kr->state_salt, sizeof(kr->state_salt));
    if (what == KEYRING_IMAGE_BACKUP) {
        w_zero(w, 8 + 4 + 4 + 4 + 1); /* counter, no records or events, none dropped or pending */
        return;
    }
    if (kr->version >= 2)
        w_uint(w, kr->state_seq, 8);
    w_uint(w, kr->n_logins, 4);
    for (size_t i = 0; i < kr->n_logins; i++) {
        const struct kr_login *l = &kr->logins[i];
        w_bytes(w, l->hash, sizeof(l->hash));
        w_uint(w, l->st.failures, 4);
        w_uint(w, l->st.lockouts, 4);
        w_uint(w, (uint64_t)l->st.locked_until, 8);
        w_uint(w, (uint64_t)l->st.last_failure, 8);
    }
    w_uint(w, kr->n_events, 4);
    w_uint(w, kr->dropped, 4);
    for (size_t i = 0; i < kr->n_events; i++) {
        const struct keyring_event *e = &kr->events[i];
        size_t nl = strlen(e->name);
        w_uint(w, (uint64_t)e->time, 8);
        w_uint(w, e->kind, 1);
        w_uint(w, nl, 1);
        w_bytes(w, e->name, nl);
    }
    if (kr->version >= 2) {
        w_uint(w, (uint64_t)(kr->has_pending != 0), 1);
        if (kr->has_pending)
            write_slot(w, &kr->pending);
        w_uint(w, kr->stamp_kind == KR_STAMP_BIRTH ? KR_STAMP_BIRTH : KR_STAMP_CLOCK, 1);
        w_uint(w, (uint64_t)kr->written_ns, 8);
    }
}

/* Header, body and MAC (keyed from VK) into w. */
static enum mnv_err write_protected(const struct keyring *kr, const struct keyring_keys *keys,
                                    struct wbuf *w, enum keyring_image what)
{
    const unsigned char *root = kr_mac_key_root(kr, keys);
    if (!root || kr->version != 2)
        return MNV_ERR_INVALID;
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = vcrypto_derive_root(key, VCRYPTO_ROOT_VK, VCRYPTO_VK_KEYFILE, root);
    w_bytes(w, magic, sizeof(magic));
    w_uint(w, KEYRING_VERSION, 2);
    w_uint(w, 0, 2);
    w_uint(w, 0, 4); /* body length, patched below */
    write_body(kr, w, what);
    if (err == MNV_OK && !w->fail) {
        kr_put_u32(w->p + 12, (uint32_t)(w->len - KR_HEADER_LEN));
        unsigned char mac[KR_MAC_LEN];
        crypto_generichash(mac, sizeof(mac), w->p, w->len, key, VCRYPTO_KEY_LEN);
        w_bytes(w, mac, sizeof(mac));
    }
    secmem_free(key);
    return err;
}

enum mnv_err keyring_serialize(struct keyring *kr, const struct keyring_keys *keys,
                               enum keyring_image what, unsigned char **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    struct wbuf w = {0};
    enum mnv_err err = MNV_OK;
    if (what == KEYRING_IMAGE_JOURNAL) {
        if (kr->version != 2)
            return MNV_ERR_INVALID;
        write_body(kr, &w, what);
    } else {
        if (keys)
            err = write_protected(kr, keys, &w, what);
        else if (what == KEYRING_IMAGE_FILE && !kr->dirty && kr->sealed_raw)
            w_bytes(&w, kr->sealed_raw, kr->sealed_raw_len);
        else
            err = MNV_ERR_INVALID;
        size_t state_at = w.len;
        w_uint(&w, 0, 4);
        write_state(kr, &w, what);
        if (err == MNV_OK && !w.fail) {
            kr_put_u32(w.p + state_at, (uint32_t)(w.len - state_at - 4));
            unsigned char sum[KR_SUM_LEN];
            crypto_generichash(sum, sizeof(sum), w.p, w.len, NULL, 0);
            w_bytes(&w, sum, sizeof(sum));
        }
    }
    if (err == MNV_OK && w.fail)
        err = MNV_ERR_NOMEM;
    if (err != MNV_OK) {
        free(w.p);
        return err;
    }
    *out = w.p;
    *len = w.len;
    return MNV_OK;
}
