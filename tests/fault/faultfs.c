/*
 * faultfs.c: a fault injector for the fault battery (tests/fault/run), loaded with
 * LD_PRELOAD into mnvault or a test tool. It counts the calls of one kind made on regular
 * files and makes the Nth (and, for a full disk, every later one) fail or kills the process
 * there:
 *   MNV_FAULT_OP      write (write, pwrite, pwrite64, writev), sync (fsync, fdatasync),
 *                     rename (rename, renameat, renameat2), create (open/openat with O_CREAT)
 *   MNV_FAULT_AT      N: the first call that fails (1-based); 0 or unset: only count
 *   MNV_FAULT_ERRNO   ENOSPC (default), EIO or EDQUOT
 *   MNV_FAULT_MODE    once (only call N fails), sticky (N and every later call fail: a full
 *                     disk), kill (SIGKILL at call N before it runs: a crash at that step)
 *   MNV_FAULT_COUNT   a file that receives the number of calls seen, at exit
 *   MNV_FAULT_TRACE   a file that receives a line per call counted: its number and file
 * Calls on pipes, terminals and sockets are not counted (stdout, stderr, the password pipe).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

/* REAL(name, fn_type): the next definition of name (libc's), looked up once. */
#define REAL(name, fn_type)                                                                        \
    static fn_type *real_##name;                                                                   \
    if (!real_##name)                                                                              \
    real_##name = (fn_type *)dlsym(RTLD_NEXT, #name)

typedef ssize_t write_fn(int, const void *, size_t);
typedef ssize_t pwrite_fn(int, const void *, size_t, off_t);
typedef ssize_t writev_fn(int, const struct iovec *, int);
typedef int sync_fn(int);
typedef int rename_fn(const char *, const char *);
typedef int renameat_fn(int, const char *, int, const char *);
typedef int renameat2_fn(int, const char *, int, const char *, unsigned);
typedef int open_fn(const char *, int, ...);
typedef int openat_fn(int, const char *, int, ...);

enum op { OP_NONE, OP_WRITE, OP_SYNC, OP_RENAME, OP_CREATE };
enum mode { MODE_ONCE, MODE_STICKY, MODE_KILL };

static enum op want = OP_NONE;
static enum mode mode = MODE_ONCE;
static long at, seen;
static int fault_errno = ENOSPC, ready;

static void setup(void)
{
    if (ready)
        return;
    ready = 1;
    const char *o = getenv("MNV_FAULT_OP"), *m = getenv("MNV_FAULT_MODE");
    const char *a = getenv("MNV_FAULT_AT"), *e = getenv("MNV_FAULT_ERRNO");
    if (o)
        want = !strcmp(o, "write")    ? OP_WRITE
               : !strcmp(o, "sync")   ? OP_SYNC
               : !strcmp(o, "rename") ? OP_RENAME
               : !strcmp(o, "create") ? OP_CREATE
                                      : OP_NONE;
    if (m)
        mode = !strcmp(m, "sticky") ? MODE_STICKY : !strcmp(m, "kill") ? MODE_KILL : MODE_ONCE;
    at = a ? atol(a) : 0;
    if (e)
        fault_errno = !strcmp(e, "EIO") ? EIO : !strcmp(e, "EDQUOT") ? EDQUOT : ENOSPC;
}

static int regular(int fd)
{
    struct stat st;
    return fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
}

static void trace(long n, int fd, const char *path)
{
    const char *to = getenv("MNV_FAULT_TRACE");
    if (!to)
        return;
    char name[512] = "", line[600], link[64];
    if (!path && fd >= 0) {
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t len = readlink(link, name, sizeof(name) - 1);
        name[len > 0 ? len : 0] = '\0';
        path = name;
    }
    open_fn *real_open = (open_fn *)dlsym(RTLD_NEXT, "open");
    write_fn *real_write = (write_fn *)dlsym(RTLD_NEXT, "write");
    int len = snprintf(line, sizeof(line), "%ld %s\n", n, path ? path : "?");
    int out = real_open(to, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (out >= 0) {
        (void)real_write(out, line, (size_t)len);
        close(out);
    }
}

/* Is this call (of kind k, on fd or path) to fail? Kills the process in kill mode. */
static int hit(enum op k, int fd, const char *path)
{
    setup();
    if (k != want)
        return 0;
    long n = __atomic_add_fetch(&seen, 1, __ATOMIC_SEQ_CST);
    trace(n, fd, path);
    if (at <= 0 || n < at || (mode == MODE_ONCE && n != at))
        return 0;
    if (mode == MODE_KILL) {
        if (n == at)
            kill(getpid(), SIGKILL);
        return 0;
    }
    errno = fault_errno;
    return 1;
}

__attribute__((destructor)) static void report(void)
{
    const char *path = getenv("MNV_FAULT_COUNT");
    if (!path || !ready)
        return;
    char buf[32];
    int len = snprintf(buf, sizeof(buf), "%ld\n", seen);
    open_fn *real_open = (open_fn *)dlsym(RTLD_NEXT, "open");
    write_fn *real_write = (write_fn *)dlsym(RTLD_NEXT, "write");
    int fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND, 0600);
    if (fd >= 0) {
        (void)real_write(fd, buf, (size_t)len);
        close(fd);
    }
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write, write_fn);
    if (regular(fd) && hit(OP_WRITE, fd, NULL))
        return -1;
    return real_write(fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite, pwrite_fn);
    if (regular(fd) && hit(OP_WRITE, fd, NULL))
        return -1;
    return real_pwrite(fd, buf, n, off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite64, pwrite_fn);
    if (regular(fd) && hit(OP_WRITE, fd, NULL))
        return -1;
    return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    REAL(writev, writev_fn);
    if (regular(fd) && hit(OP_WRITE, fd, NULL))
        return -1;
    return real_writev(fd, iov, cnt);
}

int fsync(int fd)
{
    REAL(fsync, sync_fn);
    if (regular(fd) && hit(OP_SYNC, fd, NULL))
        return -1;
    return real_fsync(fd);
}

int fdatasync(int fd)
{
    REAL(fdatasync, sync_fn);
    if (regular(fd) && hit(OP_SYNC, fd, NULL))
        return -1;
    return real_fdatasync(fd);
}

int rename(const char *from, const char *to)
{
    REAL(rename, rename_fn);
    if (hit(OP_RENAME, -1, to))
        return -1;
    return real_rename(from, to);
}

int renameat(int fd1, const char *from, int fd2, const char *to)
{
    REAL(renameat, renameat_fn);
    if (hit(OP_RENAME, -1, to))
        return -1;
    return real_renameat(fd1, from, fd2, to);
}

int renameat2(int fd1, const char *from, int fd2, const char *to, unsigned flags)
{
    REAL(renameat2, renameat2_fn);
    if (hit(OP_RENAME, -1, to))
        return -1;
    return real_renameat2(fd1, from, fd2, to, flags);
}

static int created(const char *path, int flags)
{
    return (flags & O_CREAT) && hit(OP_CREATE, -1, path);
}

/* MODE_OF(flags, m): open's mode argument into m, present only when a file may be made. */
#define MODE_OF(flags, m)                                                                          \
    do {                                                                                           \
        if ((flags) & (O_CREAT | O_TMPFILE)) {                                                     \
            va_list ap;                                                                            \
            va_start(ap, flags);                                                                   \
            m = (mode_t)va_arg(ap, int);                                                           \
            va_end(ap);                                                                            \
        }                                                                                          \
    } while (0)

int open(const char *path, int flags, ...)
{
    REAL(open, open_fn);
    mode_t m = 0;
    MODE_OF(flags, m);
    return created(path, flags) ? -1 : real_open(path, flags, m);
}

int open64(const char *path, int flags, ...)
{
    REAL(open64, open_fn);
    mode_t m = 0;
    MODE_OF(flags, m);
    return created(path, flags) ? -1 : real_open64(path, flags, m);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    REAL(openat, openat_fn);
    mode_t m = 0;
    MODE_OF(flags, m);
    return created(path, flags) ? -1 : real_openat(dirfd, path, flags, m);
}
