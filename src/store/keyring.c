/*
 * keyring.c: the key file's life: creating, loading, locking, writing, and the accessors of
 * its protected part. The bytes are keyring_fmt.c, slots keyring_slot.c, the root keys and
 * epochs keyring_rot.c, the format-1 upgrade keyring_up.c, the login state keyring_login.c.
 */
#include "keyring_int.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "mnvault/clock.h"
#include "mnvault/fileio.h"
#include "mnvault/secmem.h"

void kr_put_u32(unsigned char *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

/* The root the MAC key comes from: the file's current VK (format 2), or MK (format 1). */
const unsigned char *kr_mac_key_root(const struct keyring *kr, const struct keyring_keys *keys)
{
    if (kr->version == 1)
        return (keys->have & KEYRING_HAVE_MK) ? keys->mk : NULL;
    if ((keys->have & KEYRING_HAVE_VK) && keys->vk_id == kr->vk_id)
        return keys->vk;
    if ((keys->have & KEYRING_HAVE_VK_NEXT) && keys->vk_next_id == kr->vk_id)
        return keys->vk_next;
    return NULL;
}

/* ---- keys ------------------------------------------------------------------------------ */

struct keyring_keys *keyring_keys_new(void)
{
    return secmem_alloc(sizeof(struct keyring_keys));
}

void keyring_keys_free(struct keyring_keys *k)
{
    secmem_free(k);
}

void keyring_keys_copy(struct keyring_keys *dst, const struct keyring_keys *src)
{
    if (dst != src)
        memcpy(dst, src, sizeof(*dst));
}

/* ---- creating, freeing ------------------------------------------------------------------- */

static void set_paths(struct keyring *kr, const char *dir)
{
    snprintf(kr->dir, sizeof(kr->dir), "%s", dir);
    snprintf(kr->path, sizeof(kr->path), "%s/%s", dir, KEYRING_FILE);
}

static enum mnv_err alloc_kr(const char *dir, struct keyring **out)
{
    *out = NULL;
    if (strlen(dir) + sizeof(KEYRING_FILE) + 32 >= PATH_MAX)
        return MNV_ERR_TOO_LONG;
    struct keyring *kr = calloc(1, sizeof(*kr));
    if (!kr)
        return MNV_ERR_NOMEM;
    kr->lock_fd = -1;
    set_paths(kr, dir);
    *out = kr;
    return MNV_OK;
}

/* The sealed keys of a new file: chain key under VK, certificate seed under NK. */
static enum mnv_err new_sealed_keys(struct keyring *kr, const struct keyring_keys *keys)
{
    unsigned char *k = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!k)
        return MNV_ERR_NOMEM;
    randombytes_buf(k, VCRYPTO_KEY_LEN);
    enum mnv_err err = kr_seal_key(kr, keys->vk, VCRYPTO_ROOT_VK, VCRYPTO_VK_SEAL, "mnvault-chain",
                                   k, kr->chain_sealed);
    randombytes_buf(k, VCRYPTO_KEY_LEN);
    if (err == MNV_OK)
        err = kr_seal_key(kr, keys->nk, VCRYPTO_ROOT_NK, VCRYPTO_NK_CERT, "mnvault-cert", k,
                          kr->cert_sealed);
    secmem_free(k);
    return err;
}

enum mnv_err keyring_new(const char *dir, struct keyring_keys *keys, struct keyring **out)
{
    struct keyring *kr;
    enum mnv_err err = alloc_kr(dir, &kr);
    if (err != MNV_OK)
        return err;
    kr->version = 2;
    randombytes_buf(kr->vault_id, sizeof(kr->vault_id));
    randombytes_buf(kr->state_salt, sizeof(kr->state_salt));
    kr->created = (int64_t)clock_now();
    kr->vk_id = kr->nk_id = kr->bk_id = 1;
    kr->dirty = 1;
    memset(keys, 0, sizeof(*keys));
    randombytes_buf(keys->vk, VCRYPTO_KEY_LEN);
    randombytes_buf(keys->nk, VCRYPTO_KEY_LEN);
    randombytes_buf(keys->bk, VCRYPTO_KEY_LEN);
    keys->vk_id = keys->nk_id = keys->bk_id = 1;
    keys->have = KEYRING_HAVE_VK | KEYRING_HAVE_NK | KEYRING_HAVE_BK;
    uint32_t id;
    err = keyring_epoch_add(kr, keys, &id);
    if (err == MNV_OK)
        err = new_sealed_keys(kr, keys);
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

int keyring_version(const struct keyring *kr)
{
    return kr->version;
}

/* ---- loading ------------------------------------------------------------------------------ */

enum mnv_err keyring_parse(const unsigned char *buf, size_t len, const char *dir,
                           struct keyring **out, struct mnv_diag *diag)
{
    struct keyring *kr;
    *out = NULL;
    enum mnv_err err = alloc_kr(dir, &kr);
    if (err != MNV_OK)
        return err;
    err = kr_parse_into(kr, buf, len, diag);
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
    /* Changed after mnvault wrote it (keyring_replaced()): kept until the next write. */
    int64_t changed = st ? (int64_t)st->st_ctim.tv_sec * 1000000000 + st->st_ctim.tv_nsec : 0;
    if (st && kr->written_ns &&
        changed > kr->written_ns + (int64_t)KEYRING_REPLACED_SLACK_SECONDS * 1000000000) {
        kr->replaced = 1;
        kr->replaced_since = kr->written_ns / 1000000000;
    }
}

int keyring_replaced(const struct keyring *kr, int64_t *since)
{
    if (since)
        *since = kr->replaced ? kr->replaced_since : 0;
    return kr->replaced;
}

/* Before a write: the time it is made (real time: the file system's clock, whatever the
 * test build says the time is), and a replacement found at the last read, queued. */
static void stamp_write(struct keyring *kr)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    kr->written_ns = (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
    if (kr->replaced)
        keyring_event_add(kr, kr->replaced_since, KEYRING_EVENT_REPLACED, "");
    kr->replaced = 0;
}

static enum mnv_err read_file(const char *path, unsigned char **buf, size_t *len,
                              struct mnv_diag *diag)
{
    enum mnv_err err = fileio_read_all(path, KR_FILE_MAX, buf, len, diag);
    if (err == MNV_ERR_NOT_FOUND)
        return MNV_ERR_KEYFILE_MISSING;
    if (err == MNV_ERR_TOO_LONG) {
        mnv_diag_detail(diag, "too long");
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

enum mnv_err keyring_verify(const struct keyring *kr, const struct keyring_keys *keys)
{
    if (!kr->sealed_raw || kr->sealed_raw_len < KR_HEADER_LEN + KR_MAC_LEN)
        return MNV_ERR_KEYFILE_ALTERED;
    const unsigned char *root = kr_mac_key_root(kr, keys);
    if (!root)
        return MNV_ERR_KEYFILE_ALTERED;
    unsigned char *key = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    enum mnv_err err = kr->version == 1
                           ? vcrypto_derive(key, VCRYPTO_SUB_KEYFILE, root)
                           : vcrypto_derive_root(key, VCRYPTO_ROOT_VK, VCRYPTO_VK_KEYFILE, root);
    unsigned char mac[KR_MAC_LEN];
    if (err == MNV_OK)
        crypto_generichash(mac, sizeof(mac), kr->sealed_raw, kr->sealed_raw_len - KR_MAC_LEN, key,
                           VCRYPTO_KEY_LEN);
    secmem_free(key);
    if (err != MNV_OK)
        return err;
    if (sodium_memcmp(mac, kr->sealed_raw + kr->sealed_raw_len - KR_MAC_LEN, KR_MAC_LEN) != 0)
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

int keyring_locked(const struct keyring *kr)
{
    return kr->lock_fd >= 0;
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

enum mnv_err keyring_begin(struct keyring *kr, const struct keyring_keys *keys,
                           struct mnv_diag *diag)
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
        err = kr_parse_into(kr, buf, len, diag);
        free(buf);
    }
    if (err == MNV_OK)
        note_seen(kr, have_st ? &st : NULL);
    if (err == MNV_OK && keys)
        err = keyring_verify(kr, keys);
    if (err != MNV_OK) {
        mnv_diag_where(diag, "%s", kr->path);
        keyring_abort(kr);
    }
    return err;
}

static enum mnv_err write_image(struct keyring *kr, const struct keyring_keys *keys,
                                struct mnv_diag *diag)
{
    unsigned char *img;
    size_t len;
    kr->state_seq++;
    stamp_write(kr);
    enum mnv_err err = keyring_serialize(kr, keys, KEYRING_IMAGE_FILE, &img, &len);
    if (err == MNV_OK)
        err = fileio_write_atomic(kr->path, img, len, 0600, diag);
    if (err != MNV_OK) {
        kr->state_seq--;
        free(img);
        return err;
    }
    struct stat st;
    note_seen(kr, stat(kr->path, &st) == 0 ? &st : NULL);
    /* What is on disk now is the new baseline for byte-for-byte copies. */
    size_t raw_len = KR_HEADER_LEN +
                     (size_t)(img[12] | img[13] << 8 | img[14] << 16 | (size_t)img[15] << 24) +
                     KR_MAC_LEN;
    unsigned char *raw = malloc(raw_len);
    if (raw) {
        memcpy(raw, img, raw_len);
        free(kr->sealed_raw);
        kr->sealed_raw = raw;
        kr->sealed_raw_len = raw_len;
        kr->dirty = 0;
    }
    free(img);
    return MNV_OK;
}

void keyring_pending_set(struct keyring *kr, const struct keyring_slot *slot)
{
    kr->pending = *slot;
    kr->has_pending = 1;
}

int keyring_has_pending(const struct keyring *kr)
{
    return kr->has_pending;
}

enum mnv_err keyring_write_pending(struct keyring *kr, struct mnv_diag *diag)
{
    if (kr->lock_fd < 0 || !kr->has_pending || !kr->sealed_raw)
        return MNV_ERR_INVALID;
    /* The protected part as it is on disk (the change is not committed yet), the login state
     * with the pending slot. */
    int dirty = kr->dirty;
    kr->dirty = 0;
    kr->state_seq++;
    stamp_write(kr);
    unsigned char *img;
    size_t len;
    enum mnv_err err = keyring_serialize(kr, NULL, KEYRING_IMAGE_FILE, &img, &len);
    kr->dirty = dirty;
    if (err == MNV_OK) {
        err = fileio_write_atomic(kr->path, img, len, 0600, diag);
        free(img);
    }
    if (err != MNV_OK) {
        kr->state_seq--;
        return err;
    }
    struct stat st;
    note_seen(kr, stat(kr->path, &st) == 0 ? &st : NULL);
    return MNV_OK;
}

enum mnv_err keyring_commit(struct keyring *kr, const struct keyring_keys *keys,
                            struct mnv_diag *diag)
{
    if (kr->lock_fd < 0)
        return MNV_ERR_INVALID;
    /* A change of the protected part (keys given) is what makes a pending slot the user's
     * (or, after a crash before its commit, stale). A write of the login state alone (keys
     * NULL: counting a failed attempt before the password is checked) keeps it: after a
     * crash between the commit and the final write, the new password must still open it. */
    if (keys)
        kr->has_pending = 0;
    enum mnv_err err = write_image(kr, keys, diag);
    keyring_abort(kr);
    return err;
}

enum mnv_err keyring_create_file(struct keyring *kr, const struct keyring_keys *keys, int replace,
                                 struct mnv_diag *diag)
{
    enum mnv_err err = lock_dir(kr, diag);
    if (err != MNV_OK)
        return err;
    struct stat st;
    if (!replace && lstat(kr->path, &st) == 0) {
        keyring_abort(kr);
        return MNV_ERR_VAULT_EXISTS;
    }
    err = write_image(kr, keys, diag);
    keyring_abort(kr);
    return err;
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

/* ---- the protected part -------------------------------------------------------------------- */

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

uint64_t keyring_state_seq(const struct keyring *kr)
{
    return kr->state_seq;
}

unsigned keyring_flags(const struct keyring *kr)
{
    return kr->flags;
}

void keyring_set_flag(struct keyring *kr, enum keyring_flag f)
{
    if (!(kr->flags & (uint32_t)f)) {
        kr->flags |= (uint32_t)f;
        kr->dirty = 1;
    }
}

void keyring_clear_flag(struct keyring *kr, enum keyring_flag f)
{
    if (kr->flags & (uint32_t)f) {
        kr->flags &= ~(uint32_t)f;
        kr->dirty = 1;
    }
}

uint32_t keyring_key_id(const struct keyring *kr, enum keyring_key key)
{
    switch (key) {
    case KEYRING_KEY_VK:
        return kr->vk_id;
    case KEYRING_KEY_NK:
        return kr->nk_id;
    case KEYRING_KEY_BK:
        return kr->bk_id;
    }
    return 0;
}

void keyring_bump(struct keyring *kr)
{
    kr->generation++;
    kr->dirty = 1;
}

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

/* Epoch keys of the journal: kept from kr when kr holds that id, else dropped. */
static void adopt_epochs(struct keyring *kr, const struct keyring *j)
{
    struct kr_epoch keep[KEYRING_MAX_EPOCHS];
    size_t n = 0;
    for (size_t i = 0; i < j->n_epochs; i++)
        for (size_t k = 0; k < kr->n_epochs; k++)
            if (kr->epochs[k].id == j->epochs[i].id)
                keep[n++] = kr->epochs[k];
    memcpy(kr->epochs, keep, n * sizeof(keep[0]));
    kr->n_epochs = n;
}

enum mnv_err keyring_journal_epochs_held(const struct keyring *kr, const unsigned char *img,
                                         size_t len)
{
    struct keyring *j = calloc(1, sizeof(*j));
    if (!j)
        return MNV_ERR_NOMEM;
    j->version = 2;
    enum mnv_err err = kr_parse_body(j, img, len, NULL);
    for (size_t i = 0; err == MNV_OK && i < j->n_epochs; i++) {
        int held = 0;
        for (size_t k = 0; k < kr->n_epochs; k++)
            held |= kr->epochs[k].id == j->epochs[i].id;
        if (!held)
            err = MNV_ERR_KEYFILE_ROLLBACK;
    }
    sodium_memzero(j, sizeof(*j));
    free(j);
    return err;
}

enum mnv_err keyring_adopt_journal(struct keyring *kr, const unsigned char *img, size_t len)
{
    struct keyring *j = calloc(1, sizeof(*j));
    if (!j)
        return MNV_ERR_NOMEM;
    j->version = 2;
    enum mnv_err err = kr_parse_body(j, img, len, NULL);
    if (err == MNV_OK && memcmp(j->vault_id, kr->vault_id, KEYRING_ID_LEN) != 0)
        err = MNV_ERR_KEYFILE_DAMAGED;
    if (err == MNV_OK) {
        adopt_epochs(kr, j);
        kr->generation = j->generation;
        kr->created = j->created;
        kr->flags = j->flags;
        kr->vk_id = j->vk_id;
        kr->nk_id = j->nk_id;
        kr->bk_id = j->bk_id;
        kr->vk_next_id = j->vk_next_id;
        kr->anchor = j->anchor;
        memcpy(kr->chain_sealed, j->chain_sealed, sizeof(kr->chain_sealed));
        memcpy(kr->cert_sealed, j->cert_sealed, sizeof(kr->cert_sealed));
        kr->legacy = j->legacy;
        memcpy(kr->mk_check, j->mk_check, sizeof(kr->mk_check));
        memcpy(kr->bridge_sealed, j->bridge_sealed, sizeof(kr->bridge_sealed));
        memcpy(kr->slots, j->slots, sizeof(kr->slots));
        kr->n_slots = j->n_slots;
        kr->version = 2;
        kr->dirty = 1;
    }
    sodium_memzero(j, sizeof(*j));
    free(j);
    return err;
}
