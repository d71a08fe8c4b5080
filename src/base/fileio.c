#include "mnvault/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/atomicfile.h"

static enum mnv_err io_fail(struct mnv_diag *diag, const char *path, int err)
{
    mnv_diag_where(diag, "%s", path);
    mnv_diag_errno(diag, err);
    return MNV_ERR_IO;
}

enum mnv_err fileio_fsync_dir(const char *path)
{
    return atomicfile_sync_dir(path);
}

enum mnv_err fileio_write_atomic(const char *path, const void *data, size_t len, mode_t mode,
                                 struct mnv_diag *diag)
{
    struct atomicfile f;
    enum mnv_err err = atomicfile_open(&f, path, mode, diag);
    if (err == MNV_OK)
        err = atomicfile_write(&f, data, len, diag);
    if (err == MNV_OK)
        return atomicfile_commit(&f, NULL, 0, diag);
    atomicfile_abort(&f);
    return err;
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
