#include "mnvault/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sodium.h>

static enum mnv_err io_fail(struct mnv_diag *diag, const char *path, int err)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_errno(diag, err);
    return MNV_ERR_IO;
}

static int write_full(int fd, const unsigned char *p, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return -1;
        }
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

enum mnv_err fileio_fsync_dir(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    else
        snprintf(dir, sizeof(dir), ".");
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return MNV_ERR_IO;
    int rc = fsync(fd);
    close(fd);
    return rc == 0 ? MNV_OK : MNV_ERR_IO;
}

enum mnv_err fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                                 struct mnv_diag *diag)
{
    char tmp[PATH_MAX];
    unsigned char rnd[6];
    int fd = -1;

    for (int attempt = 0; attempt < 16 && fd < 0; attempt++) {
        randombytes_buf(rnd, sizeof(rnd));
        if (snprintf(tmp, sizeof(tmp), "%s.tmp-%02x%02x%02x%02x%02x%02x", path, rnd[0], rnd[1],
                     rnd[2], rnd[3], rnd[4], rnd[5]) >= (int)sizeof(tmp))
            return io_fail(diag, path, ENAMETOOLONG);
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (fd < 0 && errno != EEXIST)
            return io_fail(diag, path, errno);
    }
    if (fd < 0)
        return io_fail(diag, path, EEXIST);
    /* The umask may have narrowed the mode; make it exactly what was asked. */
    if (fchmod(fd, mode) != 0 || write_full(fd, data, len) != 0 || fsync(fd) != 0) {
        int e = errno;
        close(fd);
        unlink(tmp);
        return io_fail(diag, path, e);
    }
    if (close(fd) != 0) {
        int e = errno;
        unlink(tmp);
        return io_fail(diag, path, e);
    }
    if (rename(tmp, path) != 0) {
        int e = errno;
        unlink(tmp);
        return io_fail(diag, path, e);
    }
    if (fileio_fsync_dir(path) != MNV_OK)
        return io_fail(diag, path, errno);
    return MNV_OK;
}

enum mnv_err fileio_read_all(const char *path, size_t max, unsigned char **out, size_t *len,
                             struct mnv_diag *diag)
{
    *out = NULL;
    *len = 0;
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        if (e == ENOENT) {
            mnv_diag_where(diag, "%s", path);
            return MNV_ERR_NOT_FOUND;
        }
        return io_fail(diag, path, e);
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        int e = errno ? errno : EINVAL;
        close(fd);
        return io_fail(diag, path, e);
    }
    if ((unsigned long long)st.st_size > max) {
        close(fd);
        mnv_diag_where(diag, "%s", path);
        return MNV_ERR_TOO_LONG;
    }
    size_t size = (size_t)st.st_size;
    unsigned char *buf = malloc(size + 1);
    if (!buf) {
        close(fd);
        return MNV_ERR_NOMEM;
    }
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int e = n < 0 ? errno : EIO;
            free(buf);
            close(fd);
            return io_fail(diag, path, e);
        }
        got += (size_t)n;
    }
    close(fd);
    buf[size] = '\0';
    *out = buf;
    *len = size;
    return MNV_OK;
}

enum mnv_err fileio_mkdir_private(const char *dir, struct mnv_diag *diag)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof(buf), "%s", dir) >= (int)sizeof(buf))
        return io_fail(diag, dir, ENAMETOOLONG);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0700) != 0 && errno != EEXIST)
            return io_fail(diag, buf, errno);
        *p = '/';
    }
    if (mkdir(buf, 0700) != 0 && errno != EEXIST)
        return io_fail(diag, buf, errno);
    struct stat st;
    if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode))
        return io_fail(diag, buf, ENOTDIR);
    return MNV_OK;
}
