#include "mnvault/backupfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>
#include <sqlite3.h>

#include "mnvault/fileio.h"
#include "mnvault/secmem.h"

#ifndef MNV_VERSION
#define MNV_VERSION "0"
#endif

#define CHUNK_DEFAULT (256u * 1024u)
#define WRITEBACK_AFTER (8u * 1024u * 1024u) /* bytes written before their writeback is started */
#define CHUNK_MIN 4096u
#define CHUNK_MAX (16u * 1024u * 1024u)
#define MANIFEST_LEN 128
#define ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_HEADER_LEN crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define TAG_MESSAGE crypto_secretstream_xchacha20poly1305_TAG_MESSAGE
#define TAG_FINAL crypto_secretstream_xchacha20poly1305_TAG_FINAL
#define CHECKED_LEN 96 /* the prefix bytes its checksum covers */

/* Offsets in the prefix. */
enum {
    P_MAGIC = 0,
    P_VERSION = 10,
    P_FLAGS = 12,
    P_VAULT_ID = 16,
    P_CREATED = 32,
    P_BACKUP_ID = 40,
    P_DB_SIZE = 56,
    P_KEYFILE_LEN = 64,
    P_CHUNK = 68,
    P_SS_HEADER = 72,
    P_CHECKSUM = 96,
};

/* Offsets in the manifest. */
enum {
    M_MAGIC = 0,
    M_SCHEMA = 8,
    M_AUDIT_SEQ = 16,
    M_AUDIT_HEAD = 24,
    M_PROGRAM = 56,
    M_EPOCHS_BOUND = 80, /* 1: the digest below binds the epoch block */
    M_EPOCHS_DIGEST = 96,
};
static const char manifest_magic[8] = {'M', 'N', 'V', 'M', 'A', 'N', 'I', 'F'};

/* The epoch block (format 2): magic, count (u32), then KEYRING_MAX_EPOCHS entries. */
static const char epoch_magic[8] = {'M', 'N', 'V', 'E', 'P', 'O', 'C', 'H'};
#define EPOCH_HEAD 12
_Static_assert(EPOCH_HEAD + KEYRING_MAX_EPOCHS * KEYRING_EPOCH_ENTRY == BACKUPFILE_EPOCH_BLOCK,
               "epoch block layout");

_Static_assert(SS_HEADER_LEN == 24, "the prefix has room for a 24-byte stream header");
_Static_assert(P_SS_HEADER + SS_HEADER_LEN == P_CHECKSUM, "prefix layout");
_Static_assert(M_PROGRAM + BACKUPFILE_PROGRAM_MAX <= M_EPOCHS_BOUND, "manifest layout");
_Static_assert(M_EPOCHS_DIGEST + VCRYPTO_HASH_LEN == MANIFEST_LEN, "manifest layout");
/* A wiped entry: the id KEYRING_EPOCH_WIPED, the hash of the entry it was, zeros. */
#define WIPED_HASH 4
_Static_assert(WIPED_HASH + VCRYPTO_HASH_LEN < KEYRING_EPOCH_ENTRY, "wiped entry layout");

struct backupfile_reader {
    int fd;
    uint64_t file_size;
    int used;
    struct backupfile_header h;
    unsigned char *clear; /* prefix || key file image: the manifest's associated data */
    size_t clear_len;
    crypto_generichash_state hash;
};

/* ---- little-endian fields ------------------------------------------------------------------ */

static void put_le(unsigned char *p, uint64_t v, int n)
{
    for (int i = 0; i < n; i++)
        p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get_le(const unsigned char *p, int n)
{
    uint64_t v = 0;
    for (int i = n - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* ---- I/O ---------------------------------------------------------------------------------- */

static enum mnv_err write_all(int fd, const unsigned char *p, size_t n, struct mnv_diag *diag)
{
    while (n > 0) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            mnv_diag_errno(diag, w < 0 ? errno : ENOSPC);
            return MNV_ERR_IO;
        }
        p += w;
        n -= (size_t)w;
    }
    return MNV_OK;
}

/* Read exactly n bytes, at the file's position (at < 0) or at offset at; *got tells how many
 * came before the end of the file. */
static enum mnv_err read_full_at(int fd, unsigned char *p, size_t n, int64_t at, size_t *got,
                                 struct mnv_diag *diag)
{
    *got = 0;
    while (*got < n) {
        ssize_t r = at < 0 ? read(fd, p + *got, n - *got)
                           : pread(fd, p + *got, n - *got, (off_t)(at + (int64_t)*got));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            mnv_diag_errno(diag, errno);
            return MNV_ERR_IO;
        }
        if (r == 0)
            break;
        *got += (size_t)r;
    }
    return MNV_OK;
}

static enum mnv_err read_full(int fd, unsigned char *p, size_t n, size_t *got,
                              struct mnv_diag *diag)
{
    return read_full_at(fd, p, n, -1, got, diag);
}

/* ---- keys --------------------------------------------------------------------------------- */

enum mnv_err backupfile_key(unsigned version, const unsigned char root[VCRYPTO_KEY_LEN],
                            const unsigned char backup_id[BACKUPFILE_ID_LEN],
                            unsigned char key[VCRYPTO_KEY_LEN])
{
    const char *domain = version == 1 ? "mnvault backup file key v1" : "mnvault backup file key v2";
    unsigned char *sub = secmem_alloc(VCRYPTO_KEY_LEN);
    if (!sub)
        return MNV_ERR_NOMEM;
    enum mnv_err err = version == 1
                           ? vcrypto_derive(sub, VCRYPTO_SUB_BACKUP, root)
                           : vcrypto_derive_root(sub, VCRYPTO_ROOT_BK, VCRYPTO_BK_FILE, root);
    crypto_generichash_state st;
    if (err == MNV_OK &&
        (crypto_generichash_init(&st, sub, VCRYPTO_KEY_LEN, VCRYPTO_KEY_LEN) != 0 ||
         crypto_generichash_update(&st, (const unsigned char *)domain, strlen(domain) + 1) != 0 ||
         crypto_generichash_update(&st, backup_id, BACKUPFILE_ID_LEN) != 0 ||
         crypto_generichash_final(&st, key, VCRYPTO_KEY_LEN) != 0))
        err = MNV_ERR_CRYPTO;
    secmem_wipe(&st, sizeof(st));
    secmem_free(sub);
    return err;
}

/* ---- writing ------------------------------------------------------------------------------ */

/* The audit head and schema version, read inside the open read transaction (this read is
 * also what takes the database's shared lock). */
static enum mnv_err read_state(struct vault *v, struct backupfile_manifest *m,
                               struct mnv_diag *diag)
{
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, "PRAGMA user_version", &st, diag);
    if (err != MNV_OK)
        return err;
    int rc = sqlite3_step(st);
    if (rc != SQLITE_ROW)
        return vault_sql_error(v, rc, diag);
    m->schema = (uint32_t)sqlite3_column_int(st, 0);
    sqlite3_reset(st);
    err = vault_stmt(v, "SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1", &st, diag);
    if (err != MNV_OK)
        return err;
    rc = sqlite3_step(st);
    if (rc == SQLITE_ROW && sqlite3_column_bytes(st, 1) == VCRYPTO_HASH_LEN) {
        m->audit_seq = (uint64_t)sqlite3_column_int64(st, 0);
        memcpy(m->audit_head, sqlite3_column_blob(st, 1), VCRYPTO_HASH_LEN);
    } else if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    snprintf(m->program, sizeof(m->program), "%s", MNV_VERSION);
    return err;
}

static void encode_manifest(const struct backupfile_manifest *m, unsigned char out[MANIFEST_LEN])
{
    memset(out, 0, MANIFEST_LEN);
    memcpy(out + M_MAGIC, manifest_magic, sizeof(manifest_magic));
    put_le(out + M_SCHEMA, m->schema, 4);
    put_le(out + M_AUDIT_SEQ, m->audit_seq, 8);
    memcpy(out + M_AUDIT_HEAD, m->audit_head, VCRYPTO_HASH_LEN);
    memcpy(out + M_PROGRAM, m->program, strnlen(m->program, BACKUPFILE_PROGRAM_MAX));
    if (m->epochs_bound) {
        out[M_EPOCHS_BOUND] = 1;
        memcpy(out + M_EPOCHS_DIGEST, m->epochs_digest, VCRYPTO_HASH_LEN);
    }
}

static enum mnv_err decode_manifest(const unsigned char in[MANIFEST_LEN],
                                    struct backupfile_manifest *m)
{
    if (memcmp(in + M_MAGIC, manifest_magic, sizeof(manifest_magic)) != 0)
        return MNV_ERR_BACKUP_DAMAGED;
    m->schema = (uint32_t)get_le(in + M_SCHEMA, 4);
    m->audit_seq = get_le(in + M_AUDIT_SEQ, 8);
    memcpy(m->audit_head, in + M_AUDIT_HEAD, VCRYPTO_HASH_LEN);
    memcpy(m->program, in + M_PROGRAM, BACKUPFILE_PROGRAM_MAX);
    m->program[BACKUPFILE_PROGRAM_MAX] = '\0';
    for (char *p = m->program; *p; p++)
        if (*p < 0x20 || *p > 0x7e)
            *p = '?';
    if (in[M_EPOCHS_BOUND] > 1)
        return MNV_ERR_BACKUP_DAMAGED;
    m->epochs_bound = in[M_EPOCHS_BOUND];
    memcpy(m->epochs_digest, in + M_EPOCHS_DIGEST, VCRYPTO_HASH_LEN);
    return MNV_OK;
}

/*
 * The digest the manifest keeps of the epoch block: BLAKE2b-256 over its magic and count,
 * then for each counted entry the BLAKE2b-256 of the entry, or for a wiped one the hash it
 * keeps of the entry it was. Wiping in place leaves it unchanged; any other change does not.
 */
static void epochs_digest(const unsigned char *block, unsigned char out[VCRYPTO_HASH_LEN])
{
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, VCRYPTO_HASH_LEN);
    crypto_generichash_update(&st, block, EPOCH_HEAD);
    uint64_t n = get_le(block + sizeof(epoch_magic), 4);
    for (uint64_t i = 0; i < n && i < KEYRING_MAX_EPOCHS; i++) {
        const unsigned char *e = block + EPOCH_HEAD + i * KEYRING_EPOCH_ENTRY;
        unsigned char h[VCRYPTO_HASH_LEN];
        if (get_le(e, 4) == KEYRING_EPOCH_WIPED)
            memcpy(h, e + WIPED_HASH, sizeof(h));
        else
            crypto_generichash(h, sizeof(h), e, KEYRING_EPOCH_ENTRY, NULL, 0);
        crypto_generichash_update(&st, h, sizeof(h));
    }
    crypto_generichash_final(&st, out, VCRYPTO_HASH_LEN);
}

static void make_prefix(unsigned char p[BACKUPFILE_PREFIX_LEN], const struct keyring *kr,
                        const struct backupfile_info *info, size_t keyfile_len,
                        const unsigned char ss_header[SS_HEADER_LEN])
{
    memset(p, 0, BACKUPFILE_PREFIX_LEN);
    memcpy(p + P_MAGIC, BACKUPFILE_MAGIC, strlen(BACKUPFILE_MAGIC));
    put_le(p + P_VERSION, BACKUPFILE_VERSION, 2);
    memcpy(p + P_VAULT_ID, keyring_vault_id(kr), KEYRING_ID_LEN);
    put_le(p + P_CREATED, (uint64_t)info->created, 8);
    memcpy(p + P_BACKUP_ID, info->backup_id, BACKUPFILE_ID_LEN);
    put_le(p + P_DB_SIZE, info->db_size, 8);
    put_le(p + P_KEYFILE_LEN, keyfile_len, 4);
    put_le(p + P_CHUNK, CHUNK_DEFAULT, 4);
    memcpy(p + P_SS_HEADER, ss_header, SS_HEADER_LEN);
    crypto_generichash(p + P_CHECKSUM, VCRYPTO_HASH_LEN, p, CHECKED_LEN, NULL, 0);
}

/* Everything a write needs, allocated once and released by writer_free(). */
struct writer {
    int fd;                                          /* the new file, written */
    int check_fd;                                    /* the same file, read back */
    crypto_secretstream_xchacha20poly1305_state *ss; /* secmem */
    unsigned char *key;                              /* secmem */
    unsigned char *plain, *cipher;                   /* CHUNK_DEFAULT (+ ABYTES) */
    unsigned char *back;                             /* CHUNK_DEFAULT + ABYTES, read back */
    unsigned char *clear;                            /* prefix || key file image */
    size_t clear_len;
    uint64_t written;
    uint64_t writeback;            /* bytes whose writeback was started */
    crypto_generichash_state hash; /* of every byte written, in order */
};

static void writer_free(struct writer *w)
{
    secmem_free(w->ss);
    secmem_free(w->key);
    free(w->plain);
    free(w->cipher);
    free(w->back);
    free(w->clear);
}

/* The n bytes at p, just written at w->written, read back through check_fd and compared. The
 * read is answered from the kernel's cache, as a read after the fsync would be. */
static enum mnv_err read_back(struct writer *w, const unsigned char *p, size_t n,
                              struct mnv_diag *diag)
{
    uint64_t off = w->written;
    while (n > 0) {
        size_t want = n < CHUNK_DEFAULT + ABYTES ? n : CHUNK_DEFAULT + ABYTES, got;
        enum mnv_err err = read_full_at(w->check_fd, w->back, want, (int64_t)off, &got, diag);
        if (err != MNV_OK)
            return err;
        if (got < want)
            return MNV_ERR_BACKUP_VERIFY; /* the file is shorter than what was written */
        if (memcmp(w->back, p, want) != 0)
            return MNV_ERR_BACKUP_VERIFY;
        p += want;
        off += want;
        n -= want;
    }
    return MNV_OK;
}

/* Start the disk's writes of what was written so far, so that they run while the rest is
 * sealed instead of all at the caller's fsync. Only a hint: the fsync is what makes the file
 * durable, and it reports any error of these writes. */
static void start_writeback(struct writer *w)
{
#ifdef SYNC_FILE_RANGE_WRITE
    if (w->written - w->writeback < WRITEBACK_AFTER)
        return;
    (void)sync_file_range(w->fd, (off_t)w->writeback, (off_t)(w->written - w->writeback),
                          SYNC_FILE_RANGE_WRITE);
    w->writeback = w->written;
#else
    (void)w;
#endif
}

/* Write n bytes, read them back, and hash them while they are still in the processor's cache. */
static enum mnv_err emit(struct writer *w, const unsigned char *p, size_t n, struct mnv_diag *diag)
{
    enum mnv_err err = write_all(w->fd, p, n, diag);
    if (err == MNV_OK)
        err = read_back(w, p, n, diag);
    if (err != MNV_OK)
        return err;
    crypto_generichash_update(&w->hash, p, n);
    w->written += n;
    start_writeback(w);
    return MNV_OK;
}

static enum mnv_err push(struct writer *w, const unsigned char *msg, size_t n,
                         const unsigned char *ad, size_t adlen, unsigned char tag,
                         struct mnv_diag *diag)
{
    unsigned long long clen;
    if (crypto_secretstream_xchacha20poly1305_push(w->ss, w->cipher, &clen, msg, n, ad, adlen,
                                                   tag) != 0)
        return MNV_ERR_CRYPTO;
    return emit(w, w->cipher, (size_t)clen, diag);
}

/* Copy vault.db through SQLite's own handle (another descriptor of ours, once closed,
 * would drop the connection's POSIX locks). Where the handle can map the file (unix VFS,
 * SQLITE_FCNTL_MMAP_SIZE), chunks are sealed straight from the kernel's cache; else, or
 * for a chunk the map does not give, read into w->plain. */
static enum mnv_err copy_db(struct writer *w, struct vault *v, sqlite3_file *fp, uint64_t size,
                            struct mnv_diag *diag)
{
    sqlite3_int64 old_limit = (sqlite3_int64)size;
    int mapped =
        fp->pMethods->iVersion >= 3 && fp->pMethods->xFetch &&
        sqlite3_file_control(vault_db(v), "main", SQLITE_FCNTL_MMAP_SIZE, &old_limit) == SQLITE_OK;
    enum mnv_err err = MNV_OK;
    uint64_t off = 0;
    do {
        size_t n = size - off < CHUNK_DEFAULT ? (size_t)(size - off) : CHUNK_DEFAULT;
        void *map = NULL;
        if (mapped && fp->pMethods->xFetch(fp, (sqlite3_int64)off, (int)n, &map) != SQLITE_OK)
            map = NULL;
        if (!map && fp->pMethods->xRead(fp, w->plain, (int)n, (sqlite3_int64)off) != SQLITE_OK) {
            mnv_diag_detail(diag, "vault.db read at %llu", (unsigned long long)off);
            err = MNV_ERR_IO;
            break;
        }
        err = push(w, map ? map : w->plain, n, NULL, 0, off + n == size ? TAG_FINAL : TAG_MESSAGE,
                   diag);
        if (map)
            fp->pMethods->xUnfetch(fp, (sqlite3_int64)off, map);
        off += n;
    } while (err == MNV_OK && off < size);
    if (mapped) /* back to the connection's own limit, which unmaps the file again */
        (void)sqlite3_file_control(vault_db(v), "main", SQLITE_FCNTL_MMAP_SIZE, &old_limit);
    return err;
}

/* The key part of a backup: the key file's image for backups (no sealing state, no epoch
 * keys: VK needed), then the epoch block, which disposal may later wipe in place. */
static enum mnv_err key_part(struct vault *v, unsigned char **out, size_t *len, size_t *img_len)
{
    unsigned char *img;
    enum mnv_err err =
        keyring_serialize(vault_keyring(v), vault_keys(v), KEYRING_IMAGE_BACKUP, &img, img_len);
    if (err != MNV_OK)
        return err;
    *len = *img_len + BACKUPFILE_EPOCH_BLOCK;
    *out = malloc(*len);
    if (!*out) {
        free(img);
        return MNV_ERR_NOMEM;
    }
    memcpy(*out, img, *img_len);
    free(img);
    unsigned char *b = *out + *img_len;
    memset(b, 0, BACKUPFILE_EPOCH_BLOCK);
    memcpy(b, epoch_magic, sizeof(epoch_magic));
    size_t n = keyring_epoch_export(vault_keyring(v), b + EPOCH_HEAD, KEYRING_MAX_EPOCHS);
    put_le(b + sizeof(epoch_magic), n, 4);
    return MNV_OK;
}

static enum mnv_err write_stream(struct writer *w, struct vault *v, struct backupfile_info *info,
                                 struct mnv_diag *diag)
{
    struct keyring *kr = vault_keyring(v);
    unsigned char *part = NULL;
    size_t part_len = 0, img_len = 0;
    enum mnv_err err = key_part(v, &part, &part_len, &img_len);
    if (err != MNV_OK)
        return err;
    sqlite3_file *fp = NULL;
    sqlite3_int64 db_size = 0;
    if (sqlite3_file_control(vault_db(v), "main", SQLITE_FCNTL_FILE_POINTER, &fp) != SQLITE_OK ||
        !fp || !fp->pMethods || fp->pMethods->xFileSize(fp, &db_size) != SQLITE_OK ||
        db_size <= 0) {
        free(part);
        mnv_diag_detail(diag, "vault.db size");
        return MNV_ERR_IO;
    }
    info->db_size = (uint64_t)db_size;
    w->clear_len = BACKUPFILE_PREFIX_LEN + part_len;
    w->clear = malloc(w->clear_len);
    if (!w->clear) {
        free(part);
        return MNV_ERR_NOMEM;
    }
    unsigned char ss_header[SS_HEADER_LEN];
    if (crypto_secretstream_xchacha20poly1305_init_push(w->ss, ss_header, w->key) != 0) {
        free(part);
        return MNV_ERR_CRYPTO;
    }
    make_prefix(w->clear, kr, info, part_len, ss_header);
    memcpy(w->clear + BACKUPFILE_PREFIX_LEN, part, part_len);
    free(part);
    info->manifest.epochs_bound = 1;
    epochs_digest(w->clear + BACKUPFILE_PREFIX_LEN + img_len, info->manifest.epochs_digest);
    unsigned char manifest[MANIFEST_LEN];
    encode_manifest(&info->manifest, manifest);
    err = emit(w, w->clear, w->clear_len, diag);
    /* The epoch block is outside the associated data (disposal wipes entries of it in
     * place); the manifest binds it by its digest instead. */
    if (err == MNV_OK)
        err = push(w, manifest, sizeof(manifest), w->clear, BACKUPFILE_PREFIX_LEN + img_len,
                   TAG_MESSAGE, diag);
    if (err == MNV_OK)
        err = copy_db(w, v, fp, info->db_size, diag);
    return err;
}

enum mnv_err backupfile_write(struct vault *v, int fd, int check_fd, int64_t created,
                              struct backupfile_info *info, struct mnv_diag *diag)
{
    memset(info, 0, sizeof(*info));
    info->created = created;
    randombytes_buf(info->backup_id, sizeof(info->backup_id));
    struct writer w = {.fd = fd, .check_fd = check_fd};
    crypto_generichash_init(&w.hash, NULL, 0, VCRYPTO_HASH_LEN);
    w.ss = secmem_alloc(sizeof(*w.ss));
    w.key = secmem_alloc(VCRYPTO_KEY_LEN);
    w.plain = malloc(CHUNK_DEFAULT);
    w.cipher = malloc(CHUNK_DEFAULT + ABYTES);
    w.back = malloc(CHUNK_DEFAULT + ABYTES);
    enum mnv_err err = w.ss && w.key && w.plain && w.cipher && w.back ? MNV_OK : MNV_ERR_NOMEM;
    const struct keyring_keys *keys = vault_keys(v);
    if (err == MNV_OK && (!(keys->have & KEYRING_HAVE_BK) ||
                          keys->bk_id != keyring_key_id(vault_keyring(v), KEYRING_KEY_BK)))
        err = MNV_ERR_DENIED; /* only the roles that may restore hold BK */
    if (err == MNV_OK)
        err = backupfile_key(BACKUPFILE_VERSION, keys->bk, info->backup_id, w.key);
    if (err == MNV_OK)
        err = vault_begin_read(v, diag);
    if (err == MNV_OK) {
        err = read_state(v, &info->manifest, diag);
        if (err == MNV_OK)
            err = write_stream(&w, v, info, diag);
        vault_rollback(v);
    }
    if (err == MNV_OK) {
        info->size = w.written;
        crypto_generichash_final(&w.hash, info->hash, VCRYPTO_HASH_LEN);
    }
    writer_free(&w);
    return err;
}

/* ---- reading ------------------------------------------------------------------------------ */

static enum mnv_err parse_prefix(struct backupfile_reader *r, const unsigned char *p)
{
    unsigned char sum[VCRYPTO_HASH_LEN];
    crypto_generichash(sum, sizeof(sum), p, CHECKED_LEN, NULL, 0);
    if (sodium_memcmp(sum, p + P_CHECKSUM, sizeof(sum)) != 0)
        return MNV_ERR_BACKUP_DAMAGED;
    struct backupfile_header *h = &r->h;
    h->version = (unsigned)get_le(p + P_VERSION, 2);
    if (h->version > BACKUPFILE_VERSION)
        return MNV_ERR_BACKUP_VERSION;
    if (h->version == 0 || get_le(p + P_FLAGS, 4) != 0 || p[9] != 0)
        return MNV_ERR_BACKUP_DAMAGED;
    memcpy(h->vault_id, p + P_VAULT_ID, KEYRING_ID_LEN);
    h->created = (int64_t)get_le(p + P_CREATED, 8);
    memcpy(h->backup_id, p + P_BACKUP_ID, BACKUPFILE_ID_LEN);
    h->db_size = get_le(p + P_DB_SIZE, 8);
    h->part_len = (size_t)get_le(p + P_KEYFILE_LEN, 4);
    h->chunk_size = (uint32_t)get_le(p + P_CHUNK, 4);
    size_t block = h->version >= 2 ? BACKUPFILE_EPOCH_BLOCK : 0;
    h->keyfile_len = h->part_len > block ? h->part_len - block : 0;
    if (h->keyfile_len == 0 || h->part_len > BACKUPFILE_KEYFILE_MAX || h->db_size == 0 ||
        h->db_size > (UINT64_C(1) << 48) || h->chunk_size < CHUNK_MIN || h->chunk_size > CHUNK_MAX)
        return MNV_ERR_BACKUP_DAMAGED;
    return MNV_OK;
}

static enum mnv_err open_fd(const char *path, int *fd, uint64_t *size, struct mnv_diag *diag)
{
    *fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (*fd < 0) {
        int e = errno;
        mnv_diag_where(diag, "%s", path);
        if (e == ENOENT)
            return MNV_ERR_NOT_FOUND;
        if (e == ELOOP)
            return MNV_ERR_BACKUP_FORMAT;
        mnv_diag_errno(diag, e);
        return MNV_ERR_IO;
    }
    struct stat st;
    if (fstat(*fd, &st) != 0) {
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, errno);
        return MNV_ERR_IO;
    }
    if (!S_ISREG(st.st_mode)) {
        mnv_diag_where(diag, "%s", path);
        return MNV_ERR_BACKUP_FORMAT;
    }
    *size = (uint64_t)st.st_size;
    return MNV_OK;
}

/* Format 2's epoch block, at the end of the key part: magic, count, entries. */
static enum mnv_err parse_epochs(struct backupfile_reader *r)
{
    const unsigned char *b = r->h.keyfile + r->h.keyfile_len;
    if (memcmp(b, epoch_magic, sizeof(epoch_magic)) != 0)
        return MNV_ERR_BACKUP_DAMAGED;
    uint64_t n = get_le(b + sizeof(epoch_magic), 4);
    if (n > KEYRING_MAX_EPOCHS)
        return MNV_ERR_BACKUP_DAMAGED;
    r->h.epochs = b + EPOCH_HEAD;
    r->h.n_epochs = (size_t)n;
    /* Checked for shape here (the manifest's digest binds it, once the file key opens it):
     * live ids rising, a wiped entry zero after the hash it keeps, every entry past the
     * count all zero. */
    static const unsigned char zero[KEYRING_EPOCH_ENTRY];
    uint32_t last = 0;
    for (size_t i = 0; i < KEYRING_MAX_EPOCHS; i++) {
        const unsigned char *e = r->h.epochs + i * KEYRING_EPOCH_ENTRY;
        uint32_t id = (uint32_t)get_le(e, 4);
        int rest_zero = memcmp(e + 4, zero, KEYRING_EPOCH_ENTRY - 4) == 0;
        const size_t tail = WIPED_HASH + VCRYPTO_HASH_LEN;
        int tail_zero = memcmp(e + tail, zero, KEYRING_EPOCH_ENTRY - tail) == 0;
        if (i >= n ? id != 0 || !rest_zero
                   : id == 0 || (id == KEYRING_EPOCH_WIPED ? !tail_zero : id <= last))
            return MNV_ERR_BACKUP_DAMAGED;
        if (i < n && id != KEYRING_EPOCH_WIPED)
            last = id;
    }
    return MNV_OK;
}

static enum mnv_err read_clear(struct backupfile_reader *r, struct mnv_diag *diag)
{
    unsigned char p[BACKUPFILE_PREFIX_LEN];
    size_t got;
    size_t mlen = strlen(BACKUPFILE_MAGIC);
    enum mnv_err err = read_full(r->fd, p, sizeof(p), &got, diag);
    if (err != MNV_OK)
        return err;
    if (memcmp(p, BACKUPFILE_MAGIC, got < mlen ? got : mlen) != 0 || got == 0)
        return MNV_ERR_BACKUP_FORMAT;
    if (got < sizeof(p))
        return MNV_ERR_BACKUP_TRUNCATED;
    err = parse_prefix(r, p);
    if (err != MNV_OK)
        return err;
    r->clear_len = BACKUPFILE_PREFIX_LEN + r->h.part_len;
    r->clear = malloc(r->clear_len);
    if (!r->clear)
        return MNV_ERR_NOMEM;
    memcpy(r->clear, p, sizeof(p));
    err = read_full(r->fd, r->clear + sizeof(p), r->h.part_len, &got, diag);
    if (err == MNV_OK && got < r->h.part_len)
        err = MNV_ERR_BACKUP_TRUNCATED;
    if (err != MNV_OK)
        return err;
    crypto_generichash_update(&r->hash, r->clear, r->clear_len);
    r->h.keyfile = r->clear + sizeof(p);
    return r->h.version >= 2 ? parse_epochs(r) : MNV_OK;
}

enum mnv_err backupfile_open(const char *path, struct backupfile_reader **out,
                             struct mnv_diag *diag)
{
    *out = NULL;
    struct backupfile_reader *r = calloc(1, sizeof(*r));
    if (!r)
        return MNV_ERR_NOMEM;
    crypto_generichash_init(&r->hash, NULL, 0, VCRYPTO_HASH_LEN);
    enum mnv_err err = open_fd(path, &r->fd, &r->file_size, diag);
    if (err == MNV_OK) {
        err = read_clear(r, diag);
        if (err != MNV_OK && diag && !diag->where[0])
            mnv_diag_where(diag, "%s", path);
    }
    if (err != MNV_OK) {
        backupfile_close(r);
        return err;
    }
    *out = r;
    return MNV_OK;
}

const struct backupfile_header *backupfile_header(const struct backupfile_reader *r)
{
    return &r->h;
}

/* Bytes the whole file must have, from the (now authenticated) prefix. */
static uint64_t expected_size(const struct backupfile_header *h)
{
    uint64_t chunks = (h->db_size + h->chunk_size - 1) / h->chunk_size;
    return BACKUPFILE_PREFIX_LEN + h->part_len + MANIFEST_LEN + ABYTES + h->db_size +
           chunks * ABYTES;
}

struct reader_bufs {
    crypto_secretstream_xchacha20poly1305_state *ss; /* secmem */
    unsigned char *cipher, *plain;
};

/* Read one stream message of n plaintext bytes and open it; *tag receives its tag. */
static enum mnv_err pull(struct backupfile_reader *r, struct reader_bufs *b, size_t n,
                         const unsigned char *ad, size_t adlen, unsigned char *tag,
                         struct mnv_diag *diag)
{
    size_t got;
    enum mnv_err err = read_full(r->fd, b->cipher, n + ABYTES, &got, diag);
    if (err != MNV_OK)
        return err;
    crypto_generichash_update(&r->hash, b->cipher, got);
    if (got < n + ABYTES)
        return MNV_ERR_BACKUP_TRUNCATED;
    if (crypto_secretstream_xchacha20poly1305_pull(b->ss, b->plain, NULL, tag, b->cipher,
                                                   n + ABYTES, ad, adlen) != 0)
        return MNV_ERR_BACKUP_DAMAGED;
    return MNV_OK;
}

static enum mnv_err pull_chunks(struct backupfile_reader *r, struct reader_bufs *b, int out_fd,
                                struct mnv_diag *diag)
{
    uint64_t left = r->h.db_size;
    while (left > 0) {
        size_t n = left < r->h.chunk_size ? (size_t)left : r->h.chunk_size;
        unsigned char tag;
        enum mnv_err err = pull(r, b, n, NULL, 0, &tag, diag);
        if (err != MNV_OK)
            return err;
        left -= n;
        if (tag != (left == 0 ? TAG_FINAL : TAG_MESSAGE))
            return MNV_ERR_BACKUP_DAMAGED;
        if (out_fd >= 0 && write_all(out_fd, b->plain, n, diag) != MNV_OK)
            return MNV_ERR_IO;
    }
    unsigned char extra;
    size_t got;
    enum mnv_err err = read_full(r->fd, &extra, 1, &got, diag);
    if (err == MNV_OK && got != 0)
        err = MNV_ERR_BACKUP_DAMAGED; /* bytes after the final chunk */
    return err;
}

/* The manifest (the stream's first message) and the file's length; with whole, every chunk
 * after them too (written to out_fd when >= 0). */
static enum mnv_err extract(struct backupfile_reader *r, struct reader_bufs *b,
                            const unsigned char *key, int whole, int out_fd,
                            struct backupfile_manifest *m, struct mnv_diag *diag)
{
    if (crypto_secretstream_xchacha20poly1305_init_pull(b->ss, r->clear + P_SS_HEADER, key) != 0)
        return MNV_ERR_BACKUP_DAMAGED;
    unsigned char tag;
    /* The associated data: the prefix and the key file image (not the epoch block). */
    enum mnv_err err =
        pull(r, b, MANIFEST_LEN, r->clear, BACKUPFILE_PREFIX_LEN + r->h.keyfile_len, &tag, diag);
    if (err == MNV_OK && tag != TAG_MESSAGE)
        err = MNV_ERR_BACKUP_DAMAGED;
    if (err == MNV_OK)
        err = decode_manifest(b->plain, m);
    if (err == MNV_OK && m->epochs_bound && r->h.version >= 2) {
        unsigned char d[VCRYPTO_HASH_LEN];
        epochs_digest(r->h.keyfile + r->h.keyfile_len, d);
        if (memcmp(d, m->epochs_digest, sizeof(d)) != 0)
            err = MNV_ERR_BACKUP_DAMAGED; /* the epoch block is not the one written */
    }
    if (err != MNV_OK)
        return err;
    /* The prefix is authentic now, so its sizes can be trusted to judge the file's length. */
    uint64_t want = expected_size(&r->h);
    if (r->file_size < want)
        return MNV_ERR_BACKUP_TRUNCATED;
    if (r->file_size > want)
        return MNV_ERR_BACKUP_DAMAGED;
    return whole ? pull_chunks(r, b, out_fd, diag) : MNV_OK;
}

static enum mnv_err read_stream(struct backupfile_reader *r, const unsigned char *key, int whole,
                                int out_fd, struct backupfile_manifest *m, unsigned char *hash,
                                struct mnv_diag *diag)
{
    memset(m, 0, sizeof(*m));
    if (r->used)
        return MNV_ERR_INVALID;
    r->used = 1;
    struct reader_bufs b;
    size_t max = whole && r->h.chunk_size > MANIFEST_LEN ? r->h.chunk_size : MANIFEST_LEN;
    b.ss = secmem_alloc(sizeof(*b.ss));
    b.cipher = malloc(max + ABYTES);
    b.plain = malloc(max);
    enum mnv_err err = b.ss && b.cipher && b.plain ? MNV_OK : MNV_ERR_NOMEM;
    if (err == MNV_OK)
        err = extract(r, &b, key, whole, out_fd, m, diag);
    if (err == MNV_OK && hash)
        crypto_generichash_final(&r->hash, hash, VCRYPTO_HASH_LEN);
    if (err != MNV_OK)
        memset(m, 0, sizeof(*m));
    secmem_free(b.ss);
    free(b.cipher);
    free(b.plain);
    return err;
}

enum mnv_err backupfile_extract(struct backupfile_reader *r,
                                const unsigned char key[VCRYPTO_KEY_LEN], int out_fd,
                                struct backupfile_manifest *m, unsigned char *hash,
                                struct mnv_diag *diag)
{
    return read_stream(r, key, 1, out_fd, m, hash, diag);
}

enum mnv_err backupfile_check_head(struct backupfile_reader *r,
                                   const unsigned char key[VCRYPTO_KEY_LEN],
                                   struct backupfile_manifest *m, struct mnv_diag *diag)
{
    return read_stream(r, key, 0, -1, m, NULL, diag);
}

enum mnv_err backupfile_hash(struct backupfile_reader *r, unsigned char hash[VCRYPTO_HASH_LEN],
                             struct mnv_diag *diag)
{
    if (r->used)
        return MNV_ERR_INVALID;
    r->used = 1;
    unsigned char *buf = malloc(CHUNK_DEFAULT);
    if (!buf)
        return MNV_ERR_NOMEM;
    size_t got = CHUNK_DEFAULT;
    enum mnv_err err = MNV_OK;
    while (err == MNV_OK && got == CHUNK_DEFAULT) {
        err = read_full(r->fd, buf, CHUNK_DEFAULT, &got, diag);
        crypto_generichash_update(&r->hash, buf, got);
    }
    free(buf);
    if (err == MNV_OK)
        crypto_generichash_final(&r->hash, hash, VCRYPTO_HASH_LEN);
    return err;
}

/* ---- disposal: wiping epoch entries in place ------------------------------------------------ */

static int kept(uint32_t id, const uint32_t *keep, size_t n_keep)
{
    for (size_t i = 0; i < n_keep; i++)
        if (keep[i] == id)
            return 1;
    return 0;
}

/* BLAKE2b-256 of the whole file behind fd. */
static enum mnv_err hash_file(int fd, unsigned char hash[VCRYPTO_HASH_LEN], struct mnv_diag *diag)
{
    unsigned char *buf = malloc(CHUNK_DEFAULT);
    if (!buf)
        return MNV_ERR_NOMEM;
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, VCRYPTO_HASH_LEN);
    enum mnv_err err = lseek(fd, 0, SEEK_SET) == 0 ? MNV_OK : MNV_ERR_IO;
    size_t got = CHUNK_DEFAULT;
    while (err == MNV_OK && got == CHUNK_DEFAULT) {
        err = read_full(fd, buf, CHUNK_DEFAULT, &got, diag);
        crypto_generichash_update(&st, buf, got);
    }
    crypto_generichash_final(&st, hash, VCRYPTO_HASH_LEN);
    free(buf);
    return err;
}

enum mnv_err backupfile_wipe_epochs(const char *path, const uint32_t *keep, size_t n_keep,
                                    size_t *wiped, unsigned char *hash, struct mnv_diag *diag)
{
    *wiped = 0;
    struct backupfile_reader *r;
    enum mnv_err err = backupfile_open(path, &r, diag);
    if (err != MNV_OK)
        return err;
    if (r->h.version < 2) {
        backupfile_close(r);
        return MNV_ERR_BACKUP_VERSION;
    }
    int fd = open(path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        err = MNV_ERR_IO;
    off_t at = (off_t)(BACKUPFILE_PREFIX_LEN + r->h.keyfile_len + EPOCH_HEAD);
    unsigned char wiped_entry[KEYRING_EPOCH_ENTRY] = {0};
    put_le(wiped_entry, KEYRING_EPOCH_WIPED, 4);
    for (size_t i = 0; i < r->h.n_epochs && err == MNV_OK; i++) {
        const unsigned char *e = r->h.epochs + i * KEYRING_EPOCH_ENTRY;
        uint32_t id = (uint32_t)get_le(e, 4);
        if (id == KEYRING_EPOCH_WIPED || kept(id, keep, n_keep))
            continue;
        crypto_generichash(wiped_entry + WIPED_HASH, VCRYPTO_HASH_LEN, e, KEYRING_EPOCH_ENTRY, NULL,
                           0);
        off_t off = at + (off_t)(i * KEYRING_EPOCH_ENTRY);
        if (pwrite(fd, wiped_entry, sizeof(wiped_entry), off) != (ssize_t)sizeof(wiped_entry))
            err = MNV_ERR_IO;
        else
            (*wiped)++;
    }
    if (err == MNV_OK && *wiped && fsync(fd) != 0)
        err = MNV_ERR_IO;
    if (err == MNV_ERR_IO) {
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, errno);
    }
    if (err == MNV_OK && hash)
        err = hash_file(fd, hash, diag);
    if (fd >= 0)
        close(fd);
    backupfile_close(r);
    return err;
}

void backupfile_close(struct backupfile_reader *r)
{
    if (!r)
        return;
    if (r->fd >= 0)
        close(r->fd);
    free(r->clear);
    free(r);
}
