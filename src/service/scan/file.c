/*
 * scan/file.c: files for the scanner (part of the scan module, see scan.h): mapping regular
 * files, reading small ones and streams, and sending each file to the text, zip or PDF
 * scanner by what its bytes are (folders: walk.c).
 *
 * A mapped file that shrinks while it is read raises SIGBUS; while a mapping is being read
 * a handler turns that into MNV_ERR_SCAN_CHANGED for that file instead of a crash. Zip and
 * PDF files are copied out of the mapping first, so the libraries never touch it.
 */
#include "mnvault/scan.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/secmem.h"
#include "priv.h"

void scan_bytes_free(void *p, size_t len)
{
    if (!p)
        return;
    secmem_wipe(p, len);
    free(p);
}

void scan_problem(struct scan_ctx *c, enum mnv_err err, const struct mnv_diag *diag)
{
    c->res.problems++;
    if (c->h->problem)
        c->h->problem(c->ud, &c->place, err, diag);
}

void scan_problem_errno(struct scan_ctx *c, enum mnv_err err, int saved)
{
    struct mnv_diag d;
    mnv_diag_clear(&d);
    mnv_diag_errno(&d, saved);
    scan_problem(c, err, &d);
}

int scan_push_member(struct scan_ctx *c, const char *name)
{
    if (c->place.depth >= SCAN_MAX_NESTING) {
        scan_problem(c, MNV_ERR_SCAN_NESTED, NULL);
        return -1;
    }
    c->place.members[c->place.depth++] = name;
    return 0;
}

void scan_pop_member(struct scan_ctx *c)
{
    if (c->place.depth > 0)
        c->place.members[--c->place.depth] = NULL;
}

int scan_on_finding(void *ud, const struct scan_finding *f)
{
    struct scan_ctx *c = ud;
    c->res.findings++;
    if (c->h->finding && c->h->finding(c->ud, &c->place, f)) {
        c->stop = 1;
        return 1;
    }
    return 0;
}

void scan_text(struct scan_ctx *c, const uint8_t *data, size_t len, enum scan_encoding enc)
{
    if (enc == SCAN_ENC_UTF8 && scan_text_split(c, data, len))
        return;
    enum mnv_err err = scan_buffer(data, len, enc, c->opts, scan_on_finding, c, NULL);
    if (err == MNV_ERR_INTERRUPTED)
        c->stop = 1;
}

/* ---- one file ------------------------------------------------------------------------ */

void scan_file_begin(struct scan_ctx *c, const char *path)
{
    memset(&c->place, 0, sizeof(c->place));
    memset(&c->res, 0, sizeof(c->res));
    c->place.path = path;
    scan_limits_begin(c);
}

void scan_file_end(struct scan_ctx *c, const char *path)
{
    if (c->h->file_done)
        c->h->file_done(c->ud, path, &c->res);
}

/* read_head: read fd into a malloc'd buffer until its end or limit bytes (*out, *len, *cap;
 * free with scan_bytes_free(*out, *cap)); *more: the limit stopped it. Returns 0 or errno. */
static int read_head(int fd, uint64_t limit, uint8_t **out, size_t *len, size_t *cap_out, int *more)
{
    size_t cap = 64 * 1024, n = 0;
    uint8_t *buf = malloc(cap);
    *more = 0;
    if (!buf)
        return ENOMEM;
    for (;;) {
        if (n == limit) {
            *more = 1;
            break;
        }
        if (n == cap) {
            size_t bigger = cap > SIZE_MAX / 2 ? SIZE_MAX : cap * 2;
            if ((uint64_t)bigger > limit)
                bigger = (size_t)limit;
            uint8_t *p = malloc(bigger);
            if (!p) {
                scan_bytes_free(buf, cap);
                return ENOMEM;
            }
            memcpy(p, buf, n);
            scan_bytes_free(buf, cap); /* the old copy held file content */
            buf = p;
            cap = bigger;
        }
        size_t room = cap - n;
        if ((uint64_t)room > limit - n)
            room = (size_t)(limit - n); /* never more than the limit: the rest is a stream */
        ssize_t r = read(fd, buf + n, room);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            scan_bytes_free(buf, cap);
            return e;
        }
        if (r == 0)
            break;
        n += (size_t)r;
    }
    *out = buf;
    *len = n;
    *cap_out = cap;
    return 0;
}

/*
 * scan_fd_stream: a stream (standard input, a pipe, a /proc file): held in memory up to the
 * file's limit for unpacked bytes and scanned like a file; past that, text goes on as a
 * stream in bounded memory, and an archive or PDF (which must be read whole) is too large.
 */
static void scan_fd_stream(struct scan_ctx *c, int fd, const char *path)
{
    uint8_t *buf = NULL;
    size_t len = 0, cap = 0;
    int more = 0;
    scan_file_begin(c, path);
    int e = read_head(fd, c->max_unpacked, &buf, &len, &cap, &more);
    if (e == ENOMEM) {
        c->nomem = 1;
        return;
    }
    if (e) {
        scan_problem_errno(c, MNV_ERR_IO, e);
        return;
    }
    if (!more) {
        scan_blob(c, buf, len);
        scan_bytes_free(buf, cap);
    } else if (scan_is_container(buf, len) || scan_is_tar(buf, len) || scan_is_mail(buf, len)) {
        c->res.format = SCAN_FMT_OTHER;
        scan_problem(c, MNV_ERR_SCAN_TOO_BIG, NULL);
        scan_bytes_free(buf, cap);
    } else {
        enum scan_encoding enc = c->opts->encoding;
        if (enc == SCAN_ENC_AUTO)
            enc = scan_detect_encoding(buf, len);
        c->res.format = SCAN_FMT_TEXT;
        c->res.encoding = enc;
        scan_fd_text_stream(c, fd, buf, len, cap, enc); /* takes buf over */
    }
    if (!c->nomem)
        scan_file_end(c, path);
}

/* SIGBUS while a mapping is read: the file shrank under us. The signal comes to the thread
 * that touched the page (a worker of split.c too), which jumps back to where it armed. */
static _Thread_local sigjmp_buf *volatile bus_jump;

sigjmp_buf *scan_bus_arm(sigjmp_buf *env)
{
    sigjmp_buf *before = bus_jump;
    bus_jump = env;
    return before;
}

static void on_sigbus(int sig)
{
    sigjmp_buf *env = bus_jump;
    if (env) {
        bus_jump = NULL;
        siglongjmp(*env, 1);
    }
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Scan a mapping; zip and PDF bytes are copied out first (see the file comment). */
static void scan_mapping(struct scan_ctx *c, const uint8_t *map, size_t len,
                         uint8_t *volatile *copy)
{
    if (scan_is_zip(map, len) || scan_is_pdf(map, len)) {
        *copy = malloc(len);
        if (!*copy) {
            c->nomem = 1;
            return;
        }
        memcpy(*copy, map, len);
        scan_blob(c, *copy, len);
        return;
    }
    scan_blob(c, map, len);
}

static void scan_fd_mapped(struct scan_ctx *c, int fd, const char *path, size_t size)
{
    /* Paged in as it is read (sequential: the kernel maps ahead of each fault); mapping every
     * page at once (MAP_POPULATE) took longer than the pass itself on text in the cache. */
    void *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) { /* some file systems cannot map: read instead */
        scan_fd_stream(c, fd, path);
        return;
    }
    (void)madvise(map, size, MADV_SEQUENTIAL);
    scan_file_begin(c, path);

    struct sigaction sa, old;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_sigbus;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGBUS, &sa, &old);
    uint8_t *volatile copy = NULL;
    int changed = 0;
    sigjmp_buf env;
    if (sigsetjmp(env, 1) == 0) {
        scan_bus_arm(&env);
        scan_mapping(c, map, size, &copy);
        scan_bus_arm(NULL);
        changed = c->shrank;
    } else {
        changed = 1;
    }
    c->shrank = 0;
    sigaction(SIGBUS, &old, NULL);
    scan_bytes_free(copy, size);
    munmap(map, size);
    if (changed) {
        /* Parts of the place may point into freed memory: report on the file itself. */
        memset(c->place.members, 0, sizeof(c->place.members));
        c->place.depth = 0;
        c->place.page = 0;
        scan_problem(c, MNV_ERR_SCAN_CHANGED, NULL);
    }
    if (!c->nomem)
        scan_file_end(c, path);
}

/*
 * scan_fd_small: a small regular file is read, not mapped: for folders of many small files
 * a read costs less than mapping, faulting and unmapping (and arming the SIGBUS guard).
 * A file that turns out longer than it said goes the way of a stream.
 */
static void scan_fd_small(struct scan_ctx *c, int fd, const char *path, size_t size)
{
    uint8_t buf[SCAN_SMALL_FILE + 1];
    size_t n = 0;
    while (n < sizeof(buf)) {
        ssize_t r = read(fd, buf + n, sizeof(buf) - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            int e = errno;
            scan_file_begin(c, path);
            scan_problem_errno(c, MNV_ERR_IO, e);
            secmem_wipe(buf, n);
            return;
        }
        if (r == 0)
            break;
        n += (size_t)r;
        if (n == size)
            break; /* all it said it holds: no read for the end (it may grow: a race anyway) */
    }
    if (n > SCAN_SMALL_FILE) { /* it grew: read it all as a stream */
        secmem_wipe(buf, n);
        if (lseek(fd, 0, SEEK_SET) == 0)
            scan_fd_stream(c, fd, path);
        return;
    }
    scan_file_begin(c, path);
    scan_blob(c, buf, n);
    secmem_wipe(buf, n);
    if (!c->nomem)
        scan_file_end(c, path);
}

void scan_one_file_at(struct scan_ctx *c, int dirfd, const char *name, const char *path, int named)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0) {
        scan_file_begin(c, path);
        scan_problem_errno(c, MNV_ERR_IO, errno);
        return;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        scan_file_begin(c, path);
        scan_problem_errno(c, MNV_ERR_IO, e);
        close(fd);
        return;
    }
    if (S_ISREG(st.st_mode) || (named && S_ISFIFO(st.st_mode))) {
        if (S_ISFIFO(st.st_mode)) { /* opened without blocking; now read it as it comes */
            int fl = fcntl(fd, F_GETFL);
            if (fl >= 0)
                (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
            /* A pipe no one has opened for writing yet reads as empty: wait, as any reader of
             * a pipe does, for its first bytes or for its writer to come and go. */
            struct pollfd pf = {.fd = fd, .events = POLLIN};
            while (poll(&pf, 1, -1) < 0 && errno == EINTR)
                ;
        }
        if (S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= SCAN_SMALL_FILE)
            scan_fd_small(c, fd, path, (size_t)st.st_size);
        else if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size <= SIZE_MAX)
            scan_fd_mapped(c, fd, path, (size_t)st.st_size);
        else
            scan_fd_stream(c, fd, path); /* pipes, and /proc-like files that say size 0 */
    } else if (c->h->skipped) {
        c->h->skipped(c->ud, path, MNV_ERR_SCAN_SPECIAL);
    }
    close(fd);
}

void scan_one_file(struct scan_ctx *c, const char *path, int named)
{
    scan_one_file_at(c, AT_FDCWD, path, path, named);
}

/* ---- entry points -------------------------------------------------------------------- */

enum mnv_err scan_ctx_init(struct scan_ctx *c, const struct scan_opts *opts,
                           const struct scan_handler *h, void *ud)
{
    memset(c, 0, sizeof(*c));
    if (opts->kind != MYNUMBER_INDIVIDUAL && opts->kind != MYNUMBER_CORPORATE)
        return MNV_ERR_INVALID;
    if (opts->encoding < SCAN_ENC_AUTO || opts->encoding > SCAN_ENC_BINARY)
        return MNV_ERR_INVALID;
    c->opts = opts;
    c->h = h;
    c->ud = ud;
    return MNV_OK;
}

static enum mnv_err ctx_result(const struct scan_ctx *c)
{
    if (c->nomem)
        return MNV_ERR_NOMEM;
    return c->stop ? MNV_ERR_INTERRUPTED : MNV_OK;
}

enum mnv_err scan_path(const char *path, const struct scan_opts *opts, const struct scan_handler *h,
                       void *ud)
{
    struct scan_ctx c;
    enum mnv_err err = scan_ctx_init(&c, opts, h, ud);
    if (err != MNV_OK)
        return err;
    struct stat st;
    if (stat(path, &st) < 0) {
        scan_file_begin(&c, path);
        scan_problem_errno(&c, MNV_ERR_IO, errno);
    } else if (S_ISDIR(st.st_mode)) {
        c.pool = scan_pool_new(opts); /* NULL: one thread does it all */
        scan_walk(&c, path);
        scan_pool_flush(c.pool, &c);
        scan_pool_free(c.pool);
    } else {
        scan_one_file(&c, path, 1);
    }
    return ctx_result(&c);
}

enum mnv_err scan_stream(int fd, const char *label, const struct scan_opts *opts,
                         const struct scan_handler *h, void *ud)
{
    struct scan_ctx c;
    enum mnv_err err = scan_ctx_init(&c, opts, h, ud);
    if (err != MNV_OK)
        return err;
    scan_fd_stream(&c, fd, label);
    return ctx_result(&c);
}

enum mnv_err scan_memory(const void *buf, size_t len, const char *label,
                         const struct scan_opts *opts, const struct scan_handler *h, void *ud)
{
    struct scan_ctx c;
    enum mnv_err err = scan_ctx_init(&c, opts, h, ud);
    if (err != MNV_OK)
        return err;
    scan_file_begin(&c, label);
    scan_blob(&c, buf, len);
    if (!c.nomem)
        scan_file_end(&c, label);
    return ctx_result(&c);
}
