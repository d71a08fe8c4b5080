/*
 * scan/pwalk.c: the small text files of a folder scanned by several threads (part of the scan
 * module, see scan.h), with the results in the same order as one thread gives them.
 *
 * The folder walk stays in the calling thread and puts each regular file, in walk order, into
 * a batch: up to BATCH_FILES files of one folder, named relative to it (the folder's handle
 * is shared by the batches that need it, so a worker opens with openat() as the walk would,
 * not by the whole path). Whole batches go to a ring; worker threads take them, so the lock
 * and the wake-up are paid once a batch, not once a file. In a batch, a file that turns out
 * to be small plain text (what most folders hold) is read and scanned by the worker, its
 * findings and its result recorded in the batch; anything else (archives, documents, PDFs,
 * pictures, large files, a file that could not be opened or read) is left to the calling
 * thread. The calling thread hands the results to the handler strictly in walk order,
 * scanning the files left to it in their turn, so the output is exactly that of one thread;
 * only the work runs ahead. When the oldest batch has not been taken (the workers are behind,
 * or have no processor on a busy machine) the calling thread runs it itself rather than wait.
 *
 * Threads start only once the walk has met START_FILES files: a folder of a few files is
 * done by the calling thread alone, without starting threads it would have to wait for.
 * Forking (the PDF reader) and every callback happen in the calling thread; the workers read
 * files, scan text and allocate.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/alloc.h"
#include "mnvault/secmem.h"
#include "priv.h"

#define BATCH_FILES 32  /* files of one folder a worker takes at once */
#define RING 32         /* batches queued ahead of the results */
#define START_FILES 256 /* files met before any thread is started */
#define MAX_WORKERS 8

enum job_state { JOB_NEW, JOB_RUNNING, JOB_DONE };

/* A folder's handle, shared by the batches of its files (a copy of the walk's, which the walk
 * closes when it leaves the folder). Counted and closed by the calling thread only. */
struct dirref {
    int fd;
    unsigned refs;
};

/* What one file of a batch gave: left to the calling thread, or its result and its findings
 * found[first .. first + n) of the batch. */
struct file_out {
    struct scan_file_result res;
    size_t first, n;
    int left;
};

struct batch {
    enum job_state state;
    struct dirref *dir;
    char *text; /* the files' paths back to back, each with its NUL (kept between uses) */
    size_t used, room;
    size_t plen; /* where the name starts in each path (one folder: the same for all) */
    size_t at[BATCH_FILES];
    size_t n;
    struct file_out out[BATCH_FILES];
    struct scan_finding *found; /* recorded findings (their last four digits: wiped) */
    size_t nfound, cap;
};

struct scan_pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    struct batch ring[RING];
    size_t head, next, tail; /* oldest not yet handed on; next to take; the one being filled */
    int quit;
    const struct scan_opts *opts;
    pthread_t threads[MAX_WORKERS];
    int want, nthreads;
    size_t met;         /* files added so far */
    struct dirref *cur; /* the folder of the batch being filled, or NULL */
    int cur_fd;         /* the walk's handle of that folder */
    uint8_t *own_buf;   /* the calling thread's, for a batch it runs itself */
};

/* The recorder of one file of a batch (handler for a scan_ctx in a worker). */
struct rec {
    struct batch *b;
    struct file_out *o;
    int failed;
};

static int rec_finding(void *ud, const struct scan_place *place, const struct scan_finding *f)
{
    struct rec *r = ud;
    struct batch *b = r->b;
    (void)place; /* plain text: the file itself */
    struct scan_finding *p =
        alloc_grow_wiped(b->found, &b->cap, b->nfound, b->nfound + 1, sizeof(*p));
    if (!p) {
        r->failed = 1;
        return 1;
    }
    b->found = p;
    b->found[b->nfound++] = *f;
    r->o->n++;
    return 0;
}

/* Text scanning reports no problems; if one came, the calling thread does the file again. */
static void rec_problem(void *ud, const struct scan_place *place, enum mnv_err err,
                        const struct mnv_diag *diag)
{
    struct rec *r = ud;
    (void)place, (void)err, (void)diag;
    r->failed = 1;
}

static void rec_done(void *ud, const char *path, const struct scan_file_result *res)
{
    struct rec *r = ud;
    (void)path;
    r->o->res = *res;
}

static const struct scan_handler recorder = {rec_finding, rec_problem, NULL, rec_done};

static void dir_put(struct dirref *d)
{
    if (d && --d->refs == 0) {
        close(d->fd);
        free(d);
    }
}

/* Empty the batch for its next use (the calling thread: it owns the folder counts). */
static void batch_clear(struct batch *b)
{
    if (b->found)
        secmem_wipe(b->found, b->nfound * sizeof(*b->found));
    dir_put(b->dir);
    b->dir = NULL;
    b->nfound = b->n = b->used = 0;
    memset(b->out, 0, sizeof(b->out));
}

static void batch_free(struct batch *b)
{
    batch_clear(b);
    free(b->found);
    free(b->text);
}

/* Read a small regular file (name in the folder dirfd) whole into buf (SCAN_SMALL_FILE + 1
 * bytes); its length, or -1 when it is anything else or could not be read (the calling
 * thread will say why). */
static ssize_t read_small(int dirfd, const char *name, uint8_t *buf)
{
    int fd = openat(dirfd, name, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
    if (fd < 0)
        return -1;
    struct stat st;
    size_t n = 0;
    int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
             st.st_size <= SCAN_SMALL_FILE;
    while (ok && n < SCAN_SMALL_FILE + 1) {
        ssize_t r = read(fd, buf + n, SCAN_SMALL_FILE + 1 - n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            ok = r == 0;
            break;
        }
        n += (size_t)r;
        if (n == (size_t)st.st_size)
            break; /* all it said it holds: no read for the end */
    }
    close(fd);
    if (!ok || n == 0 || n > SCAN_SMALL_FILE) {
        secmem_wipe(buf, n);
        return -1;
    }
    return (ssize_t)n;
}

/* File k of batch b: scanned and recorded, or left to the calling thread. */
static void run_file(const struct scan_opts *opts, struct batch *b, size_t k, uint8_t *buf)
{
    struct file_out *o = &b->out[k];
    const char *path = b->text + b->at[k];
    o->first = b->nfound;
    o->left = 1;
    ssize_t n = read_small(b->dir->fd, path + b->plen, buf);
    if (n < 0)
        return;
    if (scan_is_plain_text(buf, (size_t)n)) {
        struct rec r = {b, o, 0};
        struct scan_ctx c;
        if (scan_ctx_init(&c, opts, &recorder, &r) == MNV_OK) {
            scan_file_begin(&c, path);
            scan_blob(&c, buf, (size_t)n);
            scan_file_end(&c, path);
            o->left = r.failed || c.nomem;
        }
    }
    secmem_wipe(buf, (size_t)n);
    if (o->left) { /* what was recorded is not used */
        secmem_wipe(b->found + o->first, o->n * sizeof(*b->found));
        b->nfound = o->first;
        o->n = 0;
    }
}

static void run_batch(const struct scan_opts *opts, struct batch *b, uint8_t *buf)
{
    for (size_t k = 0; k < b->n; k++) {
        if (buf)
            run_file(opts, b, k, buf);
        else
            b->out[k].left = 1;
    }
}

static void *worker(void *arg)
{
    struct scan_pool *p = arg;
    uint8_t *buf = malloc(SCAN_SMALL_FILE + 1);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->next == p->tail)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->quit)
            break; /* what was not handed on is dropped */
        struct batch *b = &p->ring[p->next++ % RING];
        b->state = JOB_RUNNING;
        pthread_mutex_unlock(&p->mu);
        run_batch(p->opts, b, buf);
        pthread_mutex_lock(&p->mu);
        b->state = JOB_DONE;
        pthread_cond_broadcast(&p->done);
    }
    pthread_mutex_unlock(&p->mu);
    free(buf);
    return NULL;
}

struct scan_pool *scan_pool_new(const struct scan_opts *opts)
{
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    int want = opts->threads ? (int)opts->threads : (int)(cpus > 0 ? cpus : 1);
    if (want > MAX_WORKERS)
        want = MAX_WORKERS;
    if (want < 2)
        return NULL; /* one thread: the walk scans every file itself */
    struct scan_pool *p = calloc(1, sizeof(*p));
    if (!p)
        return NULL;
    p->own_buf = malloc(SCAN_SMALL_FILE + 1);
    if (!p->own_buf) {
        free(p);
        return NULL;
    }
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->opts = opts;
    p->want = want;
    p->cur_fd = -1;
    return p;
}

/* The threads, once the walk has met enough files (none started: the calling thread runs
 * every batch itself, as it does when the workers are behind). */
static void pool_start(struct scan_pool *p)
{
    scan_simd_resolve(); /* chosen once, before any thread reads it */
    pthread_mutex_lock(&p->mu);
    while (p->nthreads < p->want && pthread_create(&p->threads[p->nthreads], NULL, worker, p) == 0)
        p->nthreads++;
    pthread_mutex_unlock(&p->mu);
}

/* The oldest batch: its recorded results handed on, or run here first (see the file
 * comment). */
static void pool_hand_on(struct scan_pool *p, struct scan_ctx *c)
{
    struct batch *b = &p->ring[p->head % RING];
    pthread_mutex_lock(&p->mu);
    while (b->state != JOB_DONE) {
        if (p->next == p->tail) { /* every batch taken: wait for the oldest */
            pthread_cond_wait(&p->done, &p->mu);
            continue;
        }
        /* One not taken yet (the oldest, or one after it while a worker has the oldest):
         * run it here rather than wait. */
        struct batch *t = &p->ring[p->next++ % RING];
        t->state = JOB_RUNNING;
        pthread_mutex_unlock(&p->mu);
        if (!c->stop && !c->nomem) /* stopped: the rest is dropped, not run */
            run_batch(p->opts, t, p->own_buf);
        pthread_mutex_lock(&p->mu);
        t->state = JOB_DONE;
    }
    pthread_mutex_unlock(&p->mu);
    for (size_t k = 0; k < b->n && !c->stop && !c->nomem; k++) {
        const struct file_out *o = &b->out[k];
        const char *path = b->text + b->at[k];
        if (o->left) {
            scan_one_file_at(c, b->dir->fd, path + b->plen, path, 0);
            continue;
        }
        struct scan_place place;
        memset(&place, 0, sizeof(place));
        place.path = path;
        for (size_t i = 0; i < o->n && !c->stop; i++)
            if (c->h->finding && c->h->finding(c->ud, &place, &b->found[o->first + i]))
                c->stop = 1;
        if (c->h->file_done)
            c->h->file_done(c->ud, path, &o->res);
    }
    batch_clear(b);
    pthread_mutex_lock(&p->mu);
    p->head++;
    pthread_mutex_unlock(&p->mu);
}

/* The batch being filled goes to the workers (an empty one stays; with RING batches
 * published, the slot at tail is the oldest's and none is being filled). */
static void pool_publish(struct scan_pool *p)
{
    struct batch *b = &p->ring[p->tail % RING];
    if (p->tail - p->head == RING || b->n == 0)
        return;
    pthread_mutex_lock(&p->mu);
    b->state = JOB_NEW;
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
    if (p->nthreads == 0 && p->met >= START_FILES)
        pool_start(p);
}

/* Room for one more file in the batch being filled, in the folder dirfd: 0, or -1 (memory). */
static int pool_room(struct scan_pool *p, struct scan_ctx *c, int dirfd, size_t plen)
{
    /* With RING batches published, the slot to fill is the oldest's: hand it on first. */
    if (p->tail - p->head == RING)
        pool_hand_on(p, c);
    struct batch *b = &p->ring[p->tail % RING];
    if (b->n > 0 && (b->n == BATCH_FILES || p->cur_fd != dirfd || b->plen != plen)) {
        pool_publish(p);
        if (p->tail - p->head == RING)
            pool_hand_on(p, c);
        b = &p->ring[p->tail % RING];
    }
    if (!p->cur || p->cur_fd != dirfd) {
        struct dirref *d = malloc(sizeof(*d));
        int fd = d ? fcntl(dirfd, F_DUPFD_CLOEXEC, 0) : -1;
        if (fd < 0) {
            free(d);
            return -1;
        }
        *d = (struct dirref){fd, 1};
        dir_put(p->cur);
        p->cur = d;
        p->cur_fd = dirfd;
    }
    if (!b->dir) {
        b->dir = p->cur;
        p->cur->refs++;
        b->plen = plen;
    }
    return 0;
}

void scan_pool_add(struct scan_pool *p, struct scan_ctx *c, int dirfd, const char *path,
                   size_t plen)
{
    if (pool_room(p, c, dirfd, plen) < 0) {
        /* no handle to share: this file in its turn, by the calling thread */
        scan_pool_flush(p, c);
        if (!c->stop && !c->nomem)
            scan_one_file_at(c, dirfd, path + plen, path, 0);
        return;
    }
    struct batch *b = &p->ring[p->tail % RING];
    size_t k = strlen(path) + 1;
    char *text = alloc_grow(b->text, &b->room, b->used + k, 1);
    if (!text) {
        c->nomem = 1;
        return;
    }
    b->text = text;
    memcpy(b->text + b->used, path, k);
    b->at[b->n++] = b->used;
    b->used += k;
    p->met++;
}

void scan_pool_leave_dir(struct scan_pool *p, int dirfd)
{
    if (!p || p->cur_fd != dirfd)
        return;
    pool_publish(p);
    dir_put(p->cur);
    p->cur = NULL;
    p->cur_fd = -1;
}

void scan_pool_flush(struct scan_pool *p, struct scan_ctx *c)
{
    if (!p)
        return;
    pool_publish(p);
    while (p->head != p->tail)
        pool_hand_on(p, c);
}

void scan_pool_free(struct scan_pool *p)
{
    if (!p)
        return;
    pthread_mutex_lock(&p->mu);
    p->quit = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int i = 0; i < p->nthreads; i++)
        pthread_join(p->threads[i], NULL);
    for (size_t i = 0; i < RING; i++)
        batch_free(&p->ring[i]);
    dir_put(p->cur);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p->own_buf);
    free(p);
}
