/* Unit tests for the backup file format and the backup register. */
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>

#include "mnvault/auditlog.h"
#include "mnvault/backupdb.h"
#include "mnvault/backupfile.h"
#include "vaultfix.h"

static char bk[400];
static struct backupfile_info info;

static void append(const char *action)
{
    struct audit_event ev = {0, "alice", "supervisor", action, "", "ok", ""};
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_equal(auditlog_append(fix.v, &ev, NULL, NULL), MNV_OK);
    assert_int_equal(vault_commit(fix.v, NULL), MNV_OK);
}

/* Write a backup of the fixture vault to dir/backup under the folder lock. */
static void write_backup(const char *name)
{
    fix_path(bk, sizeof(bk), name);
    int fd = open(bk, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    int check_fd = open(bk, O_RDONLY);
    assert_true(check_fd >= 0);
    assert_int_equal(keyring_begin(vault_keyring(fix.v), fix.keys, NULL), MNV_OK);
    assert_int_equal(backupfile_write(fix.v, fd, check_fd, 1700000000, &info, NULL), MNV_OK);
    keyring_abort(vault_keyring(fix.v));
    assert_int_equal(close(fd), 0);
    assert_int_equal(close(check_fd), 0);
}

static int setup(void **state)
{
    (void)state;
    if (fix_make() != 0)
        return -1;
    append("one");
    append("two");
    write_backup("backup");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return fix_drop();
}

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    rewind(f);
    unsigned char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    fclose(f);
    *len = (size_t)n;
    return buf;
}

static void spill(const char *path, const unsigned char *buf, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(buf, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Open path and extract it with the fixture's key; the error of whichever step failed. */
static enum mnv_err check_file(const char *path, unsigned char *hash, int out_fd)
{
    struct backupfile_reader *r;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = backupfile_open(path, &r, &d);
    if (err != MNV_OK)
        return err;
    unsigned char key[32];
    struct backupfile_manifest m;
    assert_int_equal(
        backupfile_key(BACKUPFILE_VERSION, fix.keys->bk, backupfile_header(r)->backup_id, key),
        MNV_OK);
    err = backupfile_extract(r, key, out_fd, &m, hash, &d);
    backupfile_close(r);
    return err;
}

static void test_backupfile__round_trip(void **state)
{
    (void)state;
    struct backupfile_reader *r;
    assert_int_equal(backupfile_open(bk, &r, NULL), MNV_OK);
    const struct backupfile_header *h = backupfile_header(r);
    assert_int_equal(h->version, BACKUPFILE_VERSION);
    assert_memory_equal(h->vault_id, keyring_vault_id(fix.kr), KEYRING_ID_LEN);
    assert_memory_equal(h->backup_id, info.backup_id, BACKUPFILE_ID_LEN);
    assert_int_equal(h->created, 1700000000);
    char db[300], out[300];
    fix_path(db, sizeof(db), "vault.db");
    fix_path(out, sizeof(out), "extracted.db");
    size_t dblen, outlen;
    unsigned char *dbb = slurp(db, &dblen);
    assert_int_equal(h->db_size, dblen);
    /* The key file as a backup holds it: no sealing state, the epoch keys in their block. */
    struct keyring *kb;
    assert_int_equal(keyring_parse(h->keyfile, h->keyfile_len, fix.dir, &kb, NULL), MNV_OK);
    assert_memory_equal(keyring_vault_id(kb), keyring_vault_id(fix.kr), KEYRING_ID_LEN);
    assert_true(keyring_flags(kb) & KEYRING_F_BACKUP_COPY);
    assert_int_equal(keyring_epoch_count(kb), 0);
    assert_int_equal(h->n_epochs, keyring_epoch_count(fix.kr));
    assert_int_equal(keyring_verify(kb, fix.keys), MNV_OK);
    keyring_free(kb);
    unsigned char key[32], hash[32];
    struct backupfile_manifest m;
    assert_int_equal(backupfile_key(BACKUPFILE_VERSION, fix.keys->bk, h->backup_id, key), MNV_OK);
    int fd = open(out, O_WRONLY | O_CREAT | O_EXCL, 0600);
    assert_true(fd >= 0);
    assert_int_equal(backupfile_extract(r, key, fd, &m, hash, NULL), MNV_OK);
    close(fd);
    backupfile_close(r);
    unsigned char *outb = slurp(out, &outlen);
    assert_int_equal(outlen, dblen);
    assert_memory_equal(outb, dbb, dblen);
    unsigned char want[32];
    size_t all_len;
    unsigned char *all = slurp(bk, &all_len);
    crypto_generichash(want, sizeof(want), all, all_len, NULL, 0);
    free(all);
    assert_memory_equal(hash, want, 32);
    assert_memory_equal(info.hash, want, 32); /* the hash taken while writing */
    assert_int_equal(m.audit_seq, 2);
    assert_int_equal(m.schema, (uint32_t)vault_schema_latest());
    size_t bklen;
    free(slurp(bk, &bklen));
    assert_int_equal(bklen, info.size);
    free(dbb);
    free(outb);
}

static void test_backupfile__no_plaintext_of_the_database(void **state)
{
    (void)state;
    size_t len, dblen;
    char db[300];
    fix_path(db, sizeof(db), "vault.db");
    unsigned char *b = slurp(bk, &len), *d = slurp(db, &dblen);
    /* The database's own (SQLCipher) bytes are encrypted again: no 64-byte run repeats. */
    for (size_t off = 0; off + 64 <= dblen; off += 4096)
        assert_null(memmem(b, len, d + off, 64));
    free(b);
    free(d);
}

static void test_backupfile__wrong_key_is_damage(void **state)
{
    (void)state;
    struct backupfile_reader *r;
    assert_int_equal(backupfile_open(bk, &r, NULL), MNV_OK);
    unsigned char other[32], key[32];
    struct backupfile_manifest m;
    randombytes_buf(other, sizeof(other));
    assert_int_equal(
        backupfile_key(BACKUPFILE_VERSION, other, backupfile_header(r)->backup_id, key), MNV_OK);
    assert_int_equal(backupfile_extract(r, key, -1, &m, NULL, NULL), MNV_ERR_BACKUP_DAMAGED);
    assert_int_equal(m.audit_seq, 0);
    backupfile_close(r);
}

/* What is read back while writing must be what was written: through a descriptor of another
 * file (an earlier backup of the same vault, whose backup id differs; an empty file) the
 * write fails as a failed check and leaves no transaction open. A byte changed on its way to
 * the file is tests/security/backup.sh's case (faultfs flip). */
static void test_backupfile__read_back_must_match(void **state)
{
    (void)state;
    char empty[300], out[300];
    fix_path(empty, sizeof(empty), "empty");
    fix_path(out, sizeof(out), "checked");
    spill(empty, (const unsigned char *)"", 0);
    const char *others[] = {bk, empty};
    for (size_t i = 0; i < MNV_ARRAY_LEN(others); i++) {
        int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int check_fd = open(others[i], O_RDONLY);
        assert_true(fd >= 0 && check_fd >= 0);
        struct backupfile_info i2;
        assert_int_equal(keyring_begin(vault_keyring(fix.v), fix.keys, NULL), MNV_OK);
        assert_int_equal(backupfile_write(fix.v, fd, check_fd, 1700000000, &i2, NULL),
                         MNV_ERR_BACKUP_VERIFY);
        keyring_abort(vault_keyring(fix.v));
        assert_int_equal(vault_in_tx(fix.v), 0);
        close(fd);
        close(check_fd);
    }
}

/* The head check opens the manifest and judges the length, without the chunks. */
static void test_backupfile__check_head(void **state)
{
    (void)state;
    struct backupfile_reader *r;
    unsigned char key[32], other[32];
    struct backupfile_manifest m;
    assert_int_equal(backupfile_open(bk, &r, NULL), MNV_OK);
    assert_int_equal(backupfile_key(BACKUPFILE_VERSION, fix.keys->bk, info.backup_id, key), MNV_OK);
    assert_int_equal(backupfile_check_head(r, key, &m, NULL), MNV_OK);
    assert_int_equal(m.audit_seq, info.manifest.audit_seq);
    assert_memory_equal(m.epochs_digest, info.manifest.epochs_digest, 32);
    assert_int_equal(backupfile_check_head(r, key, &m, NULL), MNV_ERR_INVALID); /* once */
    backupfile_close(r);
    randombytes_buf(other, sizeof(other));
    assert_int_equal(backupfile_open(bk, &r, NULL), MNV_OK);
    assert_int_equal(backupfile_check_head(r, other, &m, NULL), MNV_ERR_BACKUP_DAMAGED);
    backupfile_close(r);
    size_t len;
    unsigned char *b = slurp(bk, &len);
    char cut[300];
    fix_path(cut, sizeof(cut), "cut-head");
    spill(cut, b, len - 1);
    assert_int_equal(backupfile_open(cut, &r, NULL), MNV_OK);
    assert_int_equal(backupfile_check_head(r, key, &m, NULL), MNV_ERR_BACKUP_TRUNCATED);
    backupfile_close(r);
    free(b);
}

static void test_backupfile__key_differs_per_backup(void **state)
{
    (void)state;
    unsigned char id1[16] = {1}, id2[16] = {2}, k1[32], k2[32];
    assert_int_equal(backupfile_key(BACKUPFILE_VERSION, fix.keys->bk, id1, k1), MNV_OK);
    assert_int_equal(backupfile_key(BACKUPFILE_VERSION, fix.keys->bk, id2, k2), MNV_OK);
    assert_memory_not_equal(k1, k2, 32);
    assert_memory_not_equal(k1, fix.keys->bk, 32);
}

static void test_backupfile__every_truncation_is_refused(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = slurp(bk, &len);
    char cut[300];
    fix_path(cut, sizeof(cut), "cut");
    size_t points[] = {0, 1, 8, 9, 60, 127, 128, 129, 200, len / 2, len - 17, len - 1};
    for (size_t i = 0; i < MNV_ARRAY_LEN(points); i++) {
        spill(cut, b, points[i]);
        enum mnv_err err = check_file(cut, NULL, -1);
        if (points[i] == 0)
            assert_int_equal(err, MNV_ERR_BACKUP_FORMAT);
        else
            assert_int_equal(err, MNV_ERR_BACKUP_TRUNCATED);
    }
    free(b);
}

/* The seed of the sampled flips: MNV_TEST_SEED when set (to run a failure again), else the
 * time; printed either way. */
static uint32_t flip_seed(void)
{
    const char *e = getenv("MNV_TEST_SEED");
    uint32_t seed = e && *e ? (uint32_t)strtoul(e, NULL, 10) : (uint32_t)time(NULL);
    print_message("# flipped bytes: seed %u (MNV_TEST_SEED=%u to repeat)\n", seed, seed);
    return seed ? seed : 1;
}

static uint32_t xorshift(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

/* Where the epoch block of the backup at path starts. */
static size_t epoch_block_at(const char *path)
{
    struct backupfile_reader *r;
    assert_int_equal(backupfile_open(path, &r, NULL), MNV_OK);
    size_t at = BACKUPFILE_PREFIX_LEN + backupfile_header(r)->keyfile_len;
    backupfile_close(r);
    return at;
}

/* Flip one bit at off of the file held in b; the check must refuse the file. */
static void flip_refused(const char *path, unsigned char *b, size_t len, size_t off,
                         unsigned char bit)
{
    b[off] ^= bit;
    spill(path, b, len);
    if (check_file(path, NULL, -1) == MNV_OK)
        fail_msg("a flip of bit %u at offset %zu was not noticed", bit, off);
    b[off] ^= bit;
}

static void test_backupfile__flipped_bytes_are_refused(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = slurp(bk, &len);
    char bad[300];
    fix_path(bad, sizeof(bad), "bad");
    /* Every byte of the prefix and of the epoch block (bound by the manifest's digest), and
     * a sample of the rest; the bit of each, and the sample, from the printed seed. */
    size_t block = epoch_block_at(bk);
    uint32_t s = flip_seed();
    for (size_t i = 0; i < BACKUPFILE_PREFIX_LEN + BACKUPFILE_EPOCH_BLOCK + 64; i++) {
        size_t off = i < BACKUPFILE_PREFIX_LEN ? i
                     : i < BACKUPFILE_PREFIX_LEN + BACKUPFILE_EPOCH_BLOCK
                         ? block + i - BACKUPFILE_PREFIX_LEN
                         : xorshift(&s) % len;
        flip_refused(bad, b, len, off, (unsigned char)(1u << xorshift(&s) % 8));
    }
    spill(bad, b, len);
    assert_int_equal(check_file(bad, NULL, -1), MNV_OK);
    free(b);
    /* A byte-for-byte copy elsewhere is the same backup. */
    assert_int_equal(fix_copy("backup", "copy"), 0);
    fix_path(bad, sizeof(bad), "copy");
    unsigned char hash[32], orig[32];
    assert_int_equal(check_file(bad, hash, -1), MNV_OK);
    assert_int_equal(check_file(bk, orig, -1), MNV_OK);
    assert_memory_equal(hash, orig, 32);
}

/* Disposal wipes epoch entries in place: the file still checks, and a wiped entry is bound
 * like a live one (the hash it keeps, the zeros after it). */
static void test_backupfile__wiped_entries_keep_the_digest(void **state)
{
    (void)state;
    assert_int_equal(fix_copy("backup", "wiped"), 0);
    char path[300];
    fix_path(path, sizeof(path), "wiped");
    size_t wiped = 0;
    assert_int_equal(backupfile_wipe_epochs(path, NULL, 0, &wiped, NULL, NULL), MNV_OK);
    assert_true(wiped >= 1);
    assert_int_equal(check_file(path, NULL, -1), MNV_OK);
    size_t len;
    unsigned char *b = slurp(path, &len);
    size_t entry = epoch_block_at(path) + BACKUPFILE_EPOCH_BLOCK -
                   KEYRING_MAX_EPOCHS * KEYRING_EPOCH_ENTRY; /* the first entry: wiped */
    assert_int_equal(b[entry], 0xFF);
    for (size_t i = 0; i < KEYRING_EPOCH_ENTRY; i++)
        flip_refused(path, b, len, entry + i, 0x10);
    free(b);
}

static void test_backupfile__trailing_bytes_are_refused(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = slurp(bk, &len);
    unsigned char *c = malloc(len + 1);
    assert_non_null(c);
    memcpy(c, b, len);
    c[len] = 0;
    char bad[300];
    fix_path(bad, sizeof(bad), "longer");
    spill(bad, c, len + 1);
    assert_int_equal(check_file(bad, NULL, -1), MNV_ERR_BACKUP_DAMAGED);
    free(b);
    free(c);
}

static void test_backupfile__newer_version_is_named(void **state)
{
    (void)state;
    size_t len;
    unsigned char *b = slurp(bk, &len);
    b[10] = BACKUPFILE_VERSION + 1; /* with a matching checksum: a file from a newer program */
    crypto_generichash(b + 96, 32, b, 96, NULL, 0);
    char f[300];
    fix_path(f, sizeof(f), "newer");
    spill(f, b, len);
    assert_int_equal(check_file(f, NULL, -1), MNV_ERR_BACKUP_VERSION);
    free(b);
}

static void test_backupfile__not_a_backup(void **state)
{
    (void)state;
    char f[300];
    fix_path(f, sizeof(f), "vault.db");
    assert_int_equal(check_file(f, NULL, -1), MNV_ERR_BACKUP_FORMAT);
    fix_path(f, sizeof(f), "missing");
    assert_int_equal(check_file(f, NULL, -1), MNV_ERR_NOT_FOUND);
    assert_int_equal(check_file(fix.dir, NULL, -1), MNV_ERR_BACKUP_FORMAT);
    char link[300];
    fix_path(link, sizeof(link), "link");
    assert_int_equal(symlink(bk, link), 0);
    assert_int_equal(check_file(link, NULL, -1), MNV_ERR_BACKUP_FORMAT);
}

static void test_backupfile__register(void **state)
{
    (void)state;
    struct backup_rec r;
    memset(&r, 0, sizeof(r));
    memcpy(r.backup_id, info.backup_id, sizeof(r.backup_id));
    r.created_at = 1700000000;
    snprintf(r.path, sizeof(r.path), "%s", bk);
    r.size = info.size;
    assert_int_equal(check_file(bk, r.hash, -1), MNV_OK);
    r.managed = 1;
    snprintf(r.made_by, sizeof(r.made_by), "alice");
    r.audit_seq = 2;
    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_equal(backupdb_insert(fix.v, &r, NULL), MNV_OK);
    assert_true(r.id > 0);
    assert_int_equal(backupdb_insert(fix.v, &r, NULL), MNV_ERR_EXISTS);
    assert_int_equal(vault_commit(fix.v, NULL), MNV_OK);
    assert_int_equal(fix_reopen(), MNV_OK);

    struct backup_rec *list, found;
    size_t n;
    assert_int_equal(backupdb_list(fix.v, &list, &n, NULL), MNV_OK);
    assert_int_equal(n, 1);
    assert_string_equal(list[0].path, bk);
    assert_memory_equal(list[0].hash, r.hash, 32);
    assert_int_equal(list[0].deleted_at, 0);
    free(list);
    assert_int_equal(backupdb_find_hash(fix.v, r.hash, &found, NULL), MNV_OK);
    assert_int_equal(found.id, r.id);
    unsigned char other[32] = {0};
    assert_int_equal(backupdb_find_hash(fix.v, other, &found, NULL), MNV_ERR_NOT_FOUND);

    assert_int_equal(vault_begin(fix.v, NULL), MNV_OK);
    assert_int_equal(backupdb_mark_deleted(fix.v, r.id, 1700000100, "bob", "generations", NULL),
                     MNV_OK);
    assert_int_equal(backupdb_mark_deleted(fix.v, r.id, 1700000200, "bob", "generations", NULL),
                     MNV_ERR_NOT_FOUND);
    assert_int_equal(vault_commit(fix.v, NULL), MNV_OK);
    assert_int_equal(backupdb_list(fix.v, &list, &n, NULL), MNV_OK);
    assert_int_equal(list[0].deleted_at, 1700000100);
    assert_string_equal(list[0].deleted_by, "bob");
    assert_string_equal(list[0].deleted_why, "generations");
    free(list);
}

static void test_backupfile__copy_is_consistent_while_locked(void **state)
{
    (void)state;
    /* The read transaction of the copy must be over: the vault accepts writes again. */
    append("three");
    write_backup("second");
    assert_int_equal(info.manifest.audit_seq, 3);
    assert_int_equal(vault_in_tx(fix.v), 0);
    assert_int_equal(check_file(bk, NULL, -1), MNV_OK);
}
