/*
 * export_file.c: the file an export writes (export_priv.h): a temporary file beside the
 * target, created with O_EXCL|O_NOFOLLOW and mode 0600, hashed (SHA-256) as it is written,
 * fsync'd, then given its name with renameat2(RENAME_NOREPLACE) (or link + unlink where the
 * file system cannot), so an export never replaces another file; the folder is fsync'd.
 * On failure the temporary file is overwritten with zeros and removed.
 */
#include "export_priv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/fileio.h"

static enum mnv_err io_error(struct mnv_diag *diag, const char *path, int e)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_errno(diag, e);
    return MNV_ERR_IO;
}

enum mnv_err export_file_open(struct export_file *f, const char *path, struct mnv_diag *diag)
{
    memset(f, 0, sizeof(*f));
    f->fd = -1;
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
    path = f->path; /* absolute from here on: the register names where the file went */
    const char *slash = strrchr(path, '/');
    int dirlen = slash ? (int)(slash - path + 1) : 0;
    unsigned char rnd[8];
    randombytes_buf(rnd, sizeof(rnd));
    if (snprintf(f->tmp, sizeof(f->tmp), "%.*s.mnvault-export-%02x%02x%02x%02x%02x%02x%02x%02x.tmp",
                 dirlen, path, rnd[0], rnd[1], rnd[2], rnd[3], rnd[4], rnd[5], rnd[6],
                 rnd[7]) >= (int)sizeof(f->tmp))
        return MNV_ERR_TOO_LONG;
    f->fd = open(f->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (f->fd < 0)
        return io_error(diag, path, errno);
    crypto_hash_sha256_init(&f->hash);
    return MNV_OK;
}

enum mnv_err export_file_write(void *ctx, const void *data, size_t len, struct mnv_diag *diag)
{
    struct export_file *f = ctx;
    const unsigned char *p = data;
    crypto_hash_sha256_update(&f->hash, p, len);
    while (len > 0) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return io_error(diag, f->path, n < 0 ? errno : EIO);
        p += n;
        len -= (size_t)n;
        f->size += n;
    }
    return MNV_OK;
}

enum mnv_err export_file_commit(struct export_file *f, unsigned char sha256[32],
                                struct mnv_diag *diag)
{
    if (fsync(f->fd) != 0)
        return io_error(diag, f->path, errno);
    int rc = close(f->fd);
    f->fd = -1;
    if (rc != 0)
        return io_error(diag, f->path, errno);
    if (renameat2(AT_FDCWD, f->tmp, AT_FDCWD, f->path, RENAME_NOREPLACE) != 0) {
        int e = errno;
        if (e == EEXIST) {
            mnv_diag_where(diag, "%s", f->path);
            return MNV_ERR_EXPORT_EXISTS;
        }
        if (e != EINVAL && e != ENOSYS)
            return io_error(diag, f->path, e);
        if (link(f->tmp, f->path) != 0) { /* no RENAME_NOREPLACE here: link refuses too */
            e = errno;
            if (e == EEXIST) {
                mnv_diag_where(diag, "%s", f->path);
                return MNV_ERR_EXPORT_EXISTS;
            }
            return io_error(diag, f->path, e);
        }
        unlink(f->tmp);
    }
    f->tmp[0] = '\0';
    crypto_hash_sha256_final(&f->hash, sha256);
    return fileio_fsync_dir(f->path);
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
    enum mnv_err ignored = fileio_fsync_dir(f->path); /* best effort: nothing else to do */
    (void)ignored;
}

void export_file_abort(struct export_file *f)
{
    if (f->fd >= 0) {
        zero_fd(f->fd, f->size);
        close(f->fd);
        f->fd = -1;
    }
    if (f->tmp[0])
        unlink(f->tmp);
    f->tmp[0] = '\0';
    sodium_memzero(&f->hash, sizeof(f->hash));
}
