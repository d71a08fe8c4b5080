/*
 * scan/split.c: one large UTF-8 text scanned in parts by several threads (part of the scan
 * module, see scan.h), with exactly the findings of one pass, in the same order.
 *
 * The text is cut after line breaks (no number, keyword hint or neighbour rule reaches across
 * one: a token never holds a line break, and the hint looks at the number's line and the one
 * above, which stay visible before a part's start) into parts of at least 8 MiB, up to 16.
 * The calling thread scans the first part and hands its findings on at once; the other parts
 * are taken in order by whichever thread is free, the calling thread too: a worker records
 * a part's findings, with lines counted from the part's start, and counts the part's line
 * breaks. The calling thread hands the recorded findings on, part by part, their lines moved
 * by the line breaks of the parts before; while the next part to hand on is still being
 * scanned by a worker, it scans a part no one has taken yet rather than wait (on a busy
 * machine a worker may wait long for a processor). A handler that asks to stop stops the
 * workers too. A mapping that shrinks under a worker (SIGBUS) ends that part; the findings
 * before it are handed on and the file is reported as changed, as one pass would.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/alloc.h"
#include "mnvault/secmem.h"
#include "priv.h"

#define SPLIT_MIN ((size_t)16 << 20) /* smaller texts are scanned in one pass */
#define SPLIT_PART ((size_t)8 << 20) /* at least this much per part */
#define SPLIT_SEEK ((size_t)1 << 20) /* how far past the even cut a line break is looked for */
#define SPLIT_PARTS 16               /* at most this many parts */
#define SPLIT_MAX 8                  /* threads, the calling one included */

struct part {
    const uint8_t *b;
    size_t from, to; /* this part: b[from..to), b[0..from) context */
    const struct scan_opts *opts;
    atomic_int *stop;
    struct scan_finding *found; /* recorded (their last four digits: wiped) */
    size_t n, cap;
    size_t lines; /* line breaks in the part */
    int failed;   /* memory ran out while recording */
    int shrank;   /* SIGBUS: the mapping shrank */
    int done;     /* scanned (under the split's lock) */
};

/* The parts of one text and the threads that take them. */
struct split {
    struct part parts[SPLIT_PARTS];
    int n;
    atomic_int next; /* the next part no one has taken */
    atomic_int stop;
    pthread_mutex_t mu;
    pthread_cond_t done;
};

static int record(void *ud, const struct scan_finding *f)
{
    struct part *p = ud;
    if (atomic_load_explicit(p->stop, memory_order_relaxed))
        return 1;
    struct scan_finding *q = alloc_grow_wiped(p->found, &p->cap, p->n, p->n + 1, sizeof(*q));
    if (!q) {
        p->failed = 1;
        return 1;
    }
    p->found = q;
    p->found[p->n++] = *f;
    return 0;
}

static void scan_part(struct part *p)
{
    struct scan_pos pos = {1, 0};
    sigjmp_buf env, *outer = scan_bus_arm(NULL);
    if (sigsetjmp(env, 1) == 0) {
        scan_bus_arm(&env);
        (void)scan_buffer_at(p->b, p->to, p->from, SCAN_ENC_UTF8, p->opts, record, p, &pos);
        p->lines = (size_t)(pos.line - 1); /* the part's line breaks (0 without positions) */
    } else {
        p->shrank = 1;
    }
    scan_bus_arm(outer);
}

/* Take the next part no one has taken and scan it: 0 when none was left (or stopped). */
static int take_part(struct split *s)
{
    if (atomic_load(&s->stop))
        return 0;
    int k = atomic_fetch_add(&s->next, 1);
    if (k >= s->n)
        return 0;
    scan_part(&s->parts[k]);
    pthread_mutex_lock(&s->mu);
    s->parts[k].done = 1;
    pthread_cond_broadcast(&s->done);
    pthread_mutex_unlock(&s->mu);
    return 1;
}

static void *worker(void *arg)
{
    struct split *s = arg;
    while (take_part(s))
        ;
    return NULL;
}

/* Wait until part k is scanned, scanning parts no one has taken meanwhile. */
static void wait_part(struct split *s, int k)
{
    for (;;) {
        pthread_mutex_lock(&s->mu);
        int done = s->parts[k].done;
        pthread_mutex_unlock(&s->mu);
        if (done || !take_part(s))
            break;
    }
    pthread_mutex_lock(&s->mu);
    while (!s->parts[k].done)
        pthread_cond_wait(&s->done, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

/* How many parts, and where they start: cuts[0..n], cuts[n] == len. */
static int plan(const uint8_t *b, size_t len, size_t start, size_t *cuts, int want)
{
    int n = 0;
    cuts[0] = start;
    for (int k = 1; k < want; k++) {
        size_t even = start + (len - start) / (size_t)want * (size_t)k;
        if (even <= cuts[n])
            continue;
        size_t span = len - even < SPLIT_SEEK ? len - even : SPLIT_SEEK;
        const uint8_t *nl = memchr(b + even, '\n', span);
        if (!nl || (size_t)(nl - b) + 1 >= len)
            continue; /* no line break near: the part goes on */
        cuts[++n] = (size_t)(nl - b) + 1;
    }
    cuts[++n] = len;
    return n;
}

/* Threads for a text of len bytes (the calling one included); 1: one pass. */
static int wanted(const struct scan_ctx *c, size_t len)
{
    if (len < SPLIT_MIN || c->opts->threads == 1)
        return 1;
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    long want = c->opts->threads ? (long)c->opts->threads : cpus;
    if (want > SPLIT_MAX)
        want = SPLIT_MAX;
    return want > 1 ? (int)want : 1;
}

/* The recorded findings of part p, lines moved by `lines`, handed on; 0 to go on. */
static int hand_on(struct scan_ctx *c, struct part *p, size_t lines)
{
    for (size_t i = 0; i < p->n; i++) {
        struct scan_finding *f = &p->found[i];
        if (f->line)
            f->line += (long)lines;
        if (scan_on_finding(c, f)) {
            c->stop = 1;
            return 1;
        }
    }
    return 0;
}

/* The first part in the calling thread, its findings handed on at once (as scan_text()
 * would); 1 when the mapping shrank under it. */
static int first_part(struct scan_ctx *c, const uint8_t *b, size_t end)
{
    sigjmp_buf env, *outer = scan_bus_arm(NULL);
    int shrank = 0;
    if (sigsetjmp(env, 1) == 0) {
        scan_bus_arm(&env);
        if (scan_buffer(b, end, SCAN_ENC_UTF8, c->opts, scan_on_finding, c, NULL) ==
            MNV_ERR_INTERRUPTED)
            c->stop = 1;
    } else {
        shrank = 1;
    }
    scan_bus_arm(outer);
    return shrank;
}

int scan_text_split(struct scan_ctx *c, const uint8_t *b, size_t len)
{
    int threads = wanted(c, len);
    if (threads < 2)
        return 0;
    size_t bom = len >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF ? 3 : 0;
    size_t cuts[SPLIT_PARTS + 1];
    size_t nparts = len / SPLIT_PART < SPLIT_PARTS ? len / SPLIT_PART : SPLIT_PARTS;
    int n = plan(b, len, bom, cuts, (int)nparts);
    if (n < 2)
        return 0;
    struct split *s = calloc(1, sizeof(*s));
    if (!s)
        return 0; /* one pass, then */
    s->n = n;
    atomic_init(&s->next, 1);
    atomic_init(&s->stop, 0);
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->done, NULL);
    for (int k = 1; k < n; k++)
        s->parts[k] =
            (struct part){b, cuts[k], cuts[k + 1], c->opts, &s->stop, NULL, 0, 0, 0, 0, 0, 0};
    scan_simd_resolve();
    pthread_t tid[SPLIT_MAX];
    int started = 0;
    while (started < threads - 1 && started < n - 1 &&
           pthread_create(&tid[started], NULL, worker, s) == 0)
        started++;
    int shrank = first_part(c, b, cuts[1]);
    if (c->stop || shrank)
        atomic_store(&s->stop, 1);
    size_t lines = 0;
    if (!c->stop && !shrank && !(c->opts->flags & SCAN_NO_POSITION))
        lines = scan_count_newlines(b, bom, cuts[1]);
    for (int k = 1; k < n; k++) {
        struct part *p = &s->parts[k];
        if (!atomic_load(&s->stop))
            wait_part(s, k);
        if (!c->stop && !shrank && !c->nomem) {
            if (p->failed)
                c->nomem = 1;
            else if (!hand_on(c, p, lines))
                shrank = p->shrank;
            lines += p->lines;
        }
        if (c->stop || shrank || c->nomem)
            atomic_store(&s->stop, 1);
    }
    for (int t = 0; t < started; t++)
        pthread_join(tid[t], NULL);
    for (int k = 1; k < n; k++) {
        struct part *p = &s->parts[k];
        if (p->found)
            secmem_wipe(p->found, p->cap * sizeof(*p->found));
        free(p->found);
    }
    pthread_cond_destroy(&s->done);
    pthread_mutex_destroy(&s->mu);
    free(s);
    c->shrank = shrank;
    return 1;
}
