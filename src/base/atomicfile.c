#include "mnvault/atomicfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
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

/*
 * Create f->temp as "<head><12 random letters><tail>" with O_EXCL, trying a few names. The
 * letters are 16 consonants (4 random bits each), never digits: a temporary name shows in an
 * error message, and twelve hex digits are all decimal one time in 280, which reads like a
 * My Number to a person and to the checks that keep numbers out of messages.
 */
static enum mnv_err create_temp(struct atomicfile *f, const char *head, const char *tail,
                                mode_t mode, struct mnv_diag *diag)
{
    static const char letters[] = "bcdfghjklmnpqrst";
    for (int attempt = 0; attempt < 16; attempt++) {
        unsigned char rnd[6];
        char name[13];
        randombytes_buf(rnd, sizeof(rnd));
        for (size_t i = 0; i < sizeof(rnd); i++) {
            name[2 * i] = letters[rnd[i] >> 4];
            name[2 * i + 1] = letters[rnd[i] & 15];
        }
        name[12] = '\0';
        if (snprintf(f->temp, sizeof(f->temp), "%s%s%s", head, name, tail) >=
            (int)sizeof(f->temp)) {
            f->temp[0] = '\0';
            mnv_diag_where(diag, "%s", head);
            return MNV_ERR_TOO_LONG;
        }
        f->fd = open(f->temp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
        if (f->fd >= 0) {
            /* The umask may have narrowed the mode; make it exactly what was asked. */
            if (fchmod(f->fd, mode) == 0)
                return MNV_OK;
            int e = errno;
            atomicfile_abort(f);
            return io_fail(diag, f->path[0] ? f->path : head, e);
        }
        if (errno != EEXIST) {
            int e = errno;
            f->temp[0] = '\0';
            return io_fail(diag, f->path[0] ? f->path : head, e);
        }
    }
    f->temp[0] = '\0';
    return io_fail(diag, f->path[0] ? f->path : head, EEXIST);
}

static void start(struct atomicfile *f)
{
    f->fd = -1;
    f->done = 0;
    f->wipe = 0;
    f->path[0] = '\0';
    f->temp[0] = '\0';
}

void atomicfile_init(struct atomicfile *f)
{
    start(f);
    f->done = 1;
}

enum mnv_err atomicfile_open(struct atomicfile *f, const char *path, mode_t mode,
                             struct mnv_diag *diag)
{
    start(f);
    char head[PATH_MAX];
    if (snprintf(f->path, sizeof(f->path), "%s", path) >= (int)sizeof(f->path) ||
        snprintf(head, sizeof(head), "%s.tmp-", path) >= (int)sizeof(head)) {
        f->path[0] = '\0';
        mnv_diag_where(diag, "%s", path);
        return MNV_ERR_TOO_LONG;
    }
    return create_temp(f, head, "", mode, diag);
}

enum mnv_err atomicfile_open_in(struct atomicfile *f, const char *dir, const char *prefix,
                                const char *suffix, mode_t mode, struct mnv_diag *diag)
{
    start(f);
    char head[PATH_MAX];
    if (snprintf(head, sizeof(head), "%s/%s", dir, prefix) >= (int)sizeof(head)) {
        mnv_diag_where(diag, "%s", dir);
        return MNV_ERR_TOO_LONG;
    }
    return create_temp(f, head, suffix, mode, diag);
}

enum mnv_err atomicfile_write(struct atomicfile *f, const void *data, size_t len,
                              struct mnv_diag *diag)
{
    const unsigned char *p = data;
    if (f->fd < 0)
        return io_fail(diag, f->temp, EBADF);
    while (len > 0) {
        ssize_t n = write(f->fd, p, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return io_fail(diag, f->temp, errno);
        }
        p += n;
        len -= (size_t)n;
    }
    return MNV_OK;
}

void atomicfile_wipe_on_abort(struct atomicfile *f)
{
    f->wipe = 1;
}

/* Overwrite the whole of the file open at fd with zeros, and sync it (best effort). */
static void zero_fd(int fd)
{
    static const unsigned char zero[4096];
    struct stat st;
    if (fstat(fd, &st) != 0 || lseek(fd, 0, SEEK_SET) != 0)
        return;
    for (off_t left = st.st_size; left > 0; left -= (off_t)sizeof(zero))
        if (write(fd, zero, left < (off_t)sizeof(zero) ? (size_t)left : sizeof(zero)) <= 0)
            break;
    if (fsync(fd) != 0)
        return;
}

int atomicfile_fd(const struct atomicfile *f)
{
    return f->fd;
}

const char *atomicfile_temp(const struct atomicfile *f)
{
    return f->temp;
}

enum mnv_err atomicfile_sync(struct atomicfile *f, struct mnv_diag *diag)
{
    if (f->fd < 0)
        return f->temp[0] ? MNV_OK : io_fail(diag, f->path, EBADF);
    int fd = f->fd;
    f->fd = -1;
    if (fsync(fd) != 0) {
        int e = errno;
        close(fd);
        return io_fail(diag, f->temp, e);
    }
    /* close() can report a failed delayed write: check it too. */
    if (close(fd) != 0)
        return io_fail(diag, f->temp, errno);
    return MNV_OK;
}

/* rename without replacing: renameat2(RENAME_NOREPLACE), or link + unlink where the file
 * system does not offer it. Returns 0 or -1 with errno (EEXIST: the name is taken). */
static int rename_noreplace(const char *from, const char *to)
{
    if (renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
    if (link(from, to) != 0)
        return -1;
    unlink(from);
    return 0;
}

enum mnv_err atomicfile_commit(struct atomicfile *f, const char *path, unsigned flags,
                               struct mnv_diag *diag)
{
    if (!path)
        path = f->path;
    if (!path[0] || !f->temp[0] || f->done)
        return io_fail(diag, path[0] ? path : f->temp, EINVAL);
    enum mnv_err err = atomicfile_sync(f, diag);
    if (err != MNV_OK) {
        atomicfile_abort(f);
        return err;
    }
    int rc =
        (flags & ATOMICFILE_NO_REPLACE) ? rename_noreplace(f->temp, path) : rename(f->temp, path);
    if (rc != 0) {
        int e = errno;
        if (e == EEXIST && (flags & ATOMICFILE_NO_REPLACE)) {
            mnv_diag_where(diag, "%s", path);
            return MNV_ERR_EXISTS;
        }
        atomicfile_abort(f);
        return io_fail(diag, path, e);
    }
    f->temp[0] = '\0';
    f->done = 1;
    return atomicfile_sync_dir(path) == MNV_OK ? MNV_OK : io_fail(diag, path, errno);
}

enum mnv_err atomicfile_sync_dir(const char *path)
{
    char dir[PATH_MAX];
    if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
        return MNV_ERR_TOO_LONG;
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
    int e = errno;
    close(fd);
    errno = e;
    return rc == 0 ? MNV_OK : MNV_ERR_IO;
}

void atomicfile_abort(struct atomicfile *f)
{
    if (f->wipe && f->temp[0] && !f->done && f->fd < 0)
        f->fd = open(f->temp, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (f->wipe && f->fd >= 0 && !f->done)
        zero_fd(f->fd);
    if (f->fd >= 0)
        close(f->fd);
    f->fd = -1;
    if (f->temp[0] && !f->done)
        unlink(f->temp);
    f->temp[0] = '\0';
    f->done = 1;
}
