/*
 * faultfs.c: a fault injector for the fault battery (tests/fault/run), loaded with
 * LD_PRELOAD into mnvault or a test tool. It counts the calls of one kind made on regular
 * files and makes the Nth (and, for a full disk, every later one) fail or kills the process
 * there:
 *   MNV_FAULT_OP      write (write, pwrite, pwrite64, writev), sync (fsync, fdatasync),
 *                     rename (rename, renameat, renameat2), create (open/openat with O_CREAT),
 *                     step (sqlite3_step and sqlite3_exec: the call returns the error without
 *                     running, as when SQLite meets an I/O error or a full disk there),
 *                     smalloc (sodium_malloc: every secret buffer; NULL, errno ENOMEM),
 *                     malloc (malloc, calloc, realloc made while SQLite runs a statement:
 *                     SQLite's own memory, through the vault's allocator, and SQLCipher's;
 *                     NULL, errno ENOMEM: SQLite answers SQLITE_NOMEM)
 *   MNV_FAULT_AT      N: the first call that fails (1-based); 0 or unset: only count
 *   MNV_FAULT_ERRNO   ENOSPC (default), EIO or EDQUOT; for step IOERR (SQLITE_IOERR_WRITE)
 *                     or FULL (SQLITE_FULL); for smalloc and malloc ENOMEM
 *   MNV_FAULT_MODE    once (only call N fails), sticky (N and every later call fail: a full
 *                     disk), kill (SIGKILL at call N before it runs: a crash at that step),
 *                     flip (write and pwrite only: call N writes what it was given with its
 *                     middle byte changed and reports success, as a disk or driver that
 *                     corrupts silently)
 *   MNV_FAULT_PATH    only calls on files whose path contains this text are counted (unset:
 *                     all; the write, sync, rename and create kinds)
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

enum op { OP_NONE, OP_WRITE, OP_SYNC, OP_RENAME, OP_CREATE, OP_STEP, OP_SMALLOC, OP_MALLOC };
enum mode { MODE_ONCE, MODE_STICKY, MODE_KILL, MODE_FLIP };

static enum op want = OP_NONE;
static enum mode mode = MODE_ONCE;
static long at, seen;
static int fault_errno = ENOSPC, ready;
static int step_rc = 778;      /* SQLITE_IOERR_WRITE; SQLITE_FULL is 13 */
static __thread int in_sqlite; /* inside sqlite3_step/exec/prepare (the malloc kind) */

static void setup(void)
{
    if (ready)
        return;
    ready = 1;
    const char *o = getenv("MNV_FAULT_OP"), *m = getenv("MNV_FAULT_MODE");
    const char *a = getenv("MNV_FAULT_AT"), *e = getenv("MNV_FAULT_ERRNO");
    if (o)
        want = !strcmp(o, "write")     ? OP_WRITE
               : !strcmp(o, "sync")    ? OP_SYNC
               : !strcmp(o, "rename")  ? OP_RENAME
               : !strcmp(o, "create")  ? OP_CREATE
               : !strcmp(o, "step")    ? OP_STEP
               : !strcmp(o, "smalloc") ? OP_SMALLOC
               : !strcmp(o, "malloc")  ? OP_MALLOC
                                       : OP_NONE;
    if (m)
        mode = !strcmp(m, "sticky") ? MODE_STICKY
               : !strcmp(m, "kill") ? MODE_KILL
               : !strcmp(m, "flip") ? MODE_FLIP
                                    : MODE_ONCE;
    at = a ? atol(a) : 0;
    if (e)
        fault_errno = !strcmp(e, "EIO")      ? EIO
                      : !strcmp(e, "EDQUOT") ? EDQUOT
                      : !strcmp(e, "ENOMEM") ? ENOMEM
                                             : ENOSPC;
    if (e && !strcmp(e, "FULL"))
        step_rc = 13;
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

/* Is the file (fd, or path when fd < 0) one whose calls are counted (MNV_FAULT_PATH)? */
static int wanted_file(int fd, const char *path)
{
    const char *want_path = getenv("MNV_FAULT_PATH");
    if (!want_path || !want_path[0])
        return 1;
    char name[512] = "", link[64];
    if (!path && fd >= 0) {
        snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
        ssize_t len = readlink(link, name, sizeof(name) - 1);
        name[len > 0 ? len : 0] = '\0';
        path = name;
    }
    return path && strstr(path, want_path) != NULL;
}

/* Is this call (of kind k, on fd or path) to fail? Kills the process in kill mode. In flip
 * mode 2: call N is to write changed bytes (only the write kind asks, through flipped()). */
static int hit(enum op k, int fd, const char *path)
{
    setup();
    if (k != want || (k <= OP_CREATE && !wanted_file(fd, path)))
        return 0;
    long n = __atomic_add_fetch(&seen, 1, __ATOMIC_SEQ_CST);
    if (k != OP_MALLOC)
        trace(n, fd, path);
    if (at <= 0 || n < at || ((mode == MODE_ONCE || mode == MODE_FLIP) && n != at))
        return 0;
    if (mode == MODE_FLIP)
        return 2;
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

/* A copy of buf with its middle byte changed (flip mode), or NULL; free() it. */
static void *flipped(const void *buf, size_t n)
{
    void *copy = n ? malloc(n) : NULL;
    if (copy) {
        memcpy(copy, buf, n);
        ((unsigned char *)copy)[n / 2] ^= 0x01;
    }
    return copy;
}

ssize_t write(int fd, const void *buf, size_t n)
{
    REAL(write, write_fn);
    int h = regular(fd) ? hit(OP_WRITE, fd, NULL) : 0;
    if (h == 1)
        return -1;
    void *copy = h == 2 ? flipped(buf, n) : NULL;
    ssize_t r = real_write(fd, copy ? copy : buf, n);
    free(copy);
    return r;
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite, pwrite_fn);
    int h = regular(fd) ? hit(OP_WRITE, fd, NULL) : 0;
    if (h == 1)
        return -1;
    void *copy = h == 2 ? flipped(buf, n) : NULL;
    ssize_t r = real_pwrite(fd, copy ? copy : buf, n, off);
    free(copy);
    return r;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off_t off)
{
    REAL(pwrite64, pwrite_fn);
    if (regular(fd) && hit(OP_WRITE, fd, NULL) == 1)
        return -1;
    return real_pwrite64(fd, buf, n, off);
}

ssize_t writev(int fd, const struct iovec *iov, int cnt)
{
    REAL(writev, writev_fn);
    if (regular(fd) && hit(OP_WRITE, fd, NULL) == 1)
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

/* ---- SQLite's calls and memory -------------------------------------------------------------- */

typedef int step_fn(void *);
typedef int exec_fn(void *, const char *, void *, void *, char **);
typedef int prepare_fn(void *, const char *, int, void **, const char **);
typedef void *smalloc_fn(size_t);
typedef void *handle_fn(void *);
typedef int errcode_fn(void *);
typedef const char *errmsg_fn(void *);
typedef const char *errstr_fn(int);

/* Is the caller SQLite itself (sqlite3_exec stepping its statements, the schema being read)?
 * Only the application's own calls fail: SQLite does not expect its internal calls to fail
 * without the reason recorded, and a real failure there reaches the application anyway. */
static int from_sqlite(const void *caller)
{
    Dl_info info;
    return dladdr(caller, &info) && info.dli_fname && strstr(info.dli_fname, "libsqlcipher");
}

/* A failure made here is the connection's last error until its next statement runs, as
 * SQLite's own would be: sqlite3_errcode() and sqlite3_errmsg() say it. */
static void *failed_db;

static int fail_on(void *db)
{
    failed_db = db;
    return step_rc;
}

int sqlite3_step(void *st)
{
    REAL(sqlite3_step, step_fn);
    REAL(sqlite3_db_handle, handle_fn);
    void *db = real_sqlite3_db_handle(st);
    if (!from_sqlite(__builtin_return_address(0)) && hit(OP_STEP, -1, "sqlite3_step"))
        return fail_on(db);
    if (failed_db == db)
        failed_db = NULL;
    in_sqlite++;
    int rc = real_sqlite3_step(st);
    in_sqlite--;
    return rc;
}

int sqlite3_exec(void *db, const char *sql, void *cb, void *arg, char **err)
{
    REAL(sqlite3_exec, exec_fn);
    if (!from_sqlite(__builtin_return_address(0)) && hit(OP_STEP, -1, "sqlite3_exec")) {
        if (err)
            *err = NULL;
        return fail_on(db);
    }
    if (failed_db == db)
        failed_db = NULL;
    in_sqlite++;
    int rc = real_sqlite3_exec(db, sql, cb, arg, err);
    in_sqlite--;
    return rc;
}

int sqlite3_prepare_v2(void *db, const char *sql, int n, void **st, const char **tail)
{
    REAL(sqlite3_prepare_v2, prepare_fn);
    setup();
    if (failed_db == db)
        failed_db = NULL;
    in_sqlite++;
    int rc = real_sqlite3_prepare_v2(db, sql, n, st, tail);
    in_sqlite--;
    return rc;
}

int sqlite3_errcode(void *db)
{
    REAL(sqlite3_errcode, errcode_fn);
    return db && db == failed_db ? (step_rc & 0xff) : real_sqlite3_errcode(db);
}

int sqlite3_extended_errcode(void *db)
{
    REAL(sqlite3_extended_errcode, errcode_fn);
    return db && db == failed_db ? step_rc : real_sqlite3_extended_errcode(db);
}

const char *sqlite3_errmsg(void *db)
{
    REAL(sqlite3_errmsg, errmsg_fn);
    REAL(sqlite3_errstr, errstr_fn);
    return db && db == failed_db ? real_sqlite3_errstr(step_rc) : real_sqlite3_errmsg(db);
}

void *sodium_malloc(size_t n)
{
    REAL(sodium_malloc, smalloc_fn);
    if (hit(OP_SMALLOC, -1, "sodium_malloc"))
        return NULL;
    return real_sodium_malloc(n);
}

/* glibc's own entry points: no dlsym (which may allocate) on the way. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static __thread int in_alloc;

/* Is this allocation to fail? Only those made while SQLite runs, and never from here. */
static int alloc_hit(void)
{
    if (!in_sqlite || in_alloc)
        return 0;
    in_alloc = 1;
    int r = hit(OP_MALLOC, -1, NULL);
    in_alloc = 0;
    return r;
}

void *malloc(size_t n)
{
    return in_sqlite && alloc_hit() ? NULL : __libc_malloc(n);
}

void *calloc(size_t k, size_t n)
{
    return in_sqlite && alloc_hit() ? NULL : __libc_calloc(k, n);
}

void *realloc(void *p, size_t n)
{
    return in_sqlite && alloc_hit() ? NULL : __libc_realloc(p, n);
}
