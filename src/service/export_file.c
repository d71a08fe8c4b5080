/*
 * export_file.c: the file an export writes (export_priv.h), through the atomic writer
 * (atomicfile.h): a temporary file beside the target, mode 0600, hashed (SHA-256) as it is
 * written, given its name without ever replacing another file; on failure the temporary
 * file is overwritten with zeros and removed.
 */
#include "export_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/atomicfile.h"

static enum mnv_err io_error(struct mnv_diag *diag, const char *path, int e)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_errno(diag, e);
    return MNV_ERR_IO;
}

enum mnv_err export_file_open(struct export_file *f, const char *path, struct mnv_diag *diag)
{
    memset(f, 0, sizeof(*f));
    atomicfile_init(&f->af);
    struct stat st;
    if (lstat(path, &st) == 0) {
        mnv_diag_where(diag, "%s", path);
        return MNV_ERR_EXPORT_EXISTS;
    }
    if (errno != ENOENT)
        return io_error(diag, path, errno);
    char cwd[PATH_MAX] = "";
    if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
        return io_error(diag, path, errno);
    if (snprintf(f->path, sizeof(f->path), "%s%s%s", cwd, cwd[0] ? "/" : "", path) >=
        (int)sizeof(f->path))
        return MNV_ERR_TOO_LONG;
    /* absolute from here on: the register names where the file went */
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", f->path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    enum mnv_err err = atomicfile_open_in(&f->af, dir, ".mnvault-export-", ".tmp", 0600, diag);
    if (err != MNV_OK)
        return err;
    atomicfile_wipe_on_abort(&f->af);
    crypto_hash_sha256_init(&f->hash);
    return MNV_OK;
}

int export_file_pending(const struct export_file *f)
{
    return atomicfile_temp(&f->af)[0] != '\0';
}

enum mnv_err export_file_write(void *ctx, const void *data, size_t len, struct mnv_diag *diag)
{
    struct export_file *f = ctx;
    crypto_hash_sha256_update(&f->hash, data, len);
    enum mnv_err err = atomicfile_write(&f->af, data, len, diag);
    if (err == MNV_OK)
        f->size += (int64_t)len;
    return err;
}

enum mnv_err export_file_commit(struct export_file *f, unsigned char sha256[32],
                                struct mnv_diag *diag)
{
    enum mnv_err err = atomicfile_commit(&f->af, f->path, ATOMICFILE_NO_REPLACE, diag);
    if (err == MNV_ERR_EXISTS)
        return MNV_ERR_EXPORT_EXISTS; /* the temporary file stays for export_file_abort() */
    if (err == MNV_OK)
        crypto_hash_sha256_final(&f->hash, sha256);
    return err;
}

static void zero_fd(int fd, int64_t size)
{
    static const unsigned char zero[4096];
    if (lseek(fd, 0, SEEK_SET) != 0)
        return;
    for (int64_t left = size; left > 0; left -= (int64_t)sizeof(zero))
        if (write(fd, zero, left < (int64_t)sizeof(zero) ? (size_t)left : sizeof(zero)) <= 0)
            break;
    (void)fsync(fd);
}

void export_file_remove(struct export_file *f)
{
    int fd = open(f->path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd >= 0) {
        zero_fd(fd, f->size);
        close(fd);
    }
    unlink(f->path);
    enum mnv_err ignored = atomicfile_sync_dir(f->path); /* best effort: nothing else to do */
    (void)ignored;
}

void export_file_abort(struct export_file *f)
{
    atomicfile_abort(&f->af);
    sodium_memzero(&f->hash, sizeof(f->hash));
}
