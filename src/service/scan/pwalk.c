/*
 * scan/pwalk.c: the small text files of a folder scanned by several threads (part of the scan
 * module, see scan.h), with the results in the same order as one thread gives them.
 *
 * The folder walk stays in the calling thread and hands each regular file, in walk order, to
 * a queue. Worker threads take files from it: a file that turns out to be small plain text
 * (what most folders hold) is read and scanned there, its findings and its result recorded;
 * anything else (archives, documents, PDFs, pictures, large files, a file that could not be
 * opened or read) is left to the calling thread. The calling thread hands the results to the
 * handler strictly in queue order, scanning the files left to it in their turn, so the output
 * is exactly that of one thread; only the work runs ahead. Forking (the PDF reader) and every
 * callback happen in the calling thread; the workers read files, scan text and allocate.
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

#define QUEUE_LEN 512 /* files queued ahead of the results */
#define MAX_WORKERS 8

enum job_state { JOB_NEW, JOB_RUNNING, JOB_DONE, JOB_LEFT };

struct job {
    char *path; /* owned */
    enum job_state state;
    struct scan_finding *found; /* recorded findings (their last four digits: wiped) */
    size_t n, cap;
    struct scan_file_result res;
    int failed; /* recording failed (memory): left to the calling thread */
};

struct scan_pool {
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    struct job ring[QUEUE_LEN];
    size_t head, next, tail; /* oldest not yet handed on; next to take; next free */
    int quit;
    const struct scan_opts *opts;
    pthread_t threads[MAX_WORKERS];
    int nthreads;
    uint8_t *own_buf; /* the calling thread's, for a file it runs itself (or NULL) */
};

static int rec_finding(void *ud, const struct scan_place *place, const struct scan_finding *f)
{
    struct job *j = ud;
    (void)place; /* plain text: the file itself */
    struct scan_finding *p = alloc_grow_wiped(j->found, &j->cap, j->n, j->n + 1, sizeof(*p));
    if (!p) {
        j->failed = 1;
        return 1;
    }
    j->found = p;
    j->found[j->n++] = *f;
    return 0;
}

/* Text scanning reports no problems; if one came, the calling thread does the file again. */
static void rec_problem(void *ud, const struct scan_place *place, enum mnv_err err,
                        const struct mnv_diag *diag)
{
    struct job *j = ud;
    (void)place, (void)err, (void)diag;
    j->failed = 1;
}

static void rec_done(void *ud, const char *path, const struct scan_file_result *res)
{
    struct job *j = ud;
    (void)path;
    j->res = *res;
}

static const struct scan_handler recorder = {rec_finding, rec_problem, NULL, rec_done};

static void job_forget(struct job *j)
{
    if (j->found)
        secmem_wipe(j->found, j->cap * sizeof(*j->found));
    free(j->found);
    free(j->path);
    memset(j, 0, sizeof(*j));
}

/* Read a small regular file whole into buf (SCAN_SMALL_FILE + 1 bytes); its length, or -1
 * when it is anything else or could not be read (the calling thread will say why). */
static ssize_t read_small(const char *path, uint8_t *buf)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
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

/* One file in a worker: JOB_DONE with its results recorded, or JOB_LEFT. */
static enum job_state run_job(const struct scan_opts *opts, struct job *j, uint8_t *buf)
{
    ssize_t n = read_small(j->path, buf);
    if (n < 0)
        return JOB_LEFT;
    enum job_state st = JOB_LEFT;
    if (scan_is_plain_text(buf, (size_t)n)) {
        struct scan_ctx c;
        if (scan_ctx_init(&c, opts, &recorder, j) == MNV_OK) {
            scan_file_begin(&c, j->path);
            scan_blob(&c, buf, (size_t)n);
            scan_file_end(&c, j->path);
            st = j->failed || c.nomem ? JOB_LEFT : JOB_DONE;
        }
    }
    secmem_wipe(buf, (size_t)n);
    if (st == JOB_LEFT) { /* what was recorded is not used */
        char *path = j->path;
        j->path = NULL;
        job_forget(j);
        j->path = path;
    }
    return st;
}

static void *worker(void *arg)
{
    struct scan_pool *p = arg;
    uint8_t *buf = malloc(SCAN_SMALL_FILE + 1);
    pthread_mutex_lock(&p->mu);
    for (;;) {
        while (!p->quit && p->next == p->tail)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->next == p->tail)
            break; /* quit, and nothing left */
        struct job *j = &p->ring[p->next++ % QUEUE_LEN];
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&p->mu);
        enum job_state st = buf ? run_job(p->opts, j, buf) : JOB_LEFT;
        pthread_mutex_lock(&p->mu);
        j->state = st;
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
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    p->opts = opts;
    p->own_buf = malloc(SCAN_SMALL_FILE + 1);
    scan_simd_resolve(); /* chosen once, before any thread reads it */
    for (int i = 0; i < want; i++) {
        if (pthread_create(&p->threads[p->nthreads], NULL, worker, p) != 0)
            break;
        p->nthreads++;
    }
    if (p->nthreads == 0) {
        scan_pool_free(p);
        return NULL;
    }
    return p;
}

/* The oldest file: its recorded results handed on, or scanned here. When no worker has taken
 * it yet (the workers are behind, or have no processor: a busy machine), this thread runs it
 * as a worker would rather than wait for one. */
static void pool_hand_on(struct scan_pool *p, struct scan_ctx *c)
{
    struct job *j = &p->ring[p->head % QUEUE_LEN];
    pthread_mutex_lock(&p->mu);
    if (j->state == JOB_NEW && p->next == p->head && p->own_buf) {
        p->next++;
        j->state = JOB_RUNNING;
        pthread_mutex_unlock(&p->mu);
        enum job_state st = run_job(p->opts, j, p->own_buf);
        pthread_mutex_lock(&p->mu);
        j->state = st;
    }
    while (j->state == JOB_NEW || j->state == JOB_RUNNING)
        pthread_cond_wait(&p->done, &p->mu);
    pthread_mutex_unlock(&p->mu);
    if (c->stop || c->nomem) {
        /* stopped: the rest is dropped */
    } else if (j->state == JOB_LEFT) {
        scan_one_file(c, j->path, 0);
    } else {
        struct scan_place place;
        memset(&place, 0, sizeof(place));
        place.path = j->path;
        for (size_t i = 0; i < j->n && !c->stop; i++)
            if (c->h->finding && c->h->finding(c->ud, &place, &j->found[i]))
                c->stop = 1;
        if (c->h->file_done)
            c->h->file_done(c->ud, j->path, &j->res);
    }
    job_forget(j);
    pthread_mutex_lock(&p->mu);
    p->head++;
    pthread_mutex_unlock(&p->mu);
}

void scan_pool_add(struct scan_pool *p, struct scan_ctx *c, const char *path)
{
    if (p->tail - p->head == QUEUE_LEN)
        pool_hand_on(p, c);
    char *copy = strdup(path);
    if (!copy) {
        c->nomem = 1;
        return;
    }
    pthread_mutex_lock(&p->mu);
    struct job *j = &p->ring[p->tail % QUEUE_LEN];
    memset(j, 0, sizeof(*j));
    j->path = copy;
    j->state = JOB_NEW;
    p->tail++;
    pthread_cond_signal(&p->work);
    pthread_mutex_unlock(&p->mu);
}

void scan_pool_flush(struct scan_pool *p, struct scan_ctx *c)
{
    while (p && p->head != p->tail)
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
    while (p->head != p->tail)
        job_forget(&p->ring[p->head++ % QUEUE_LEN]);
    pthread_cond_destroy(&p->done);
    pthread_cond_destroy(&p->work);
    pthread_mutex_destroy(&p->mu);
    free(p->own_buf);
    free(p);
}
