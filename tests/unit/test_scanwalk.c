/* Unit tests for folder walks (scan/walk.c) and walks with worker threads (scan/pwalk.c):
 * entries in byte order of their names, paths joined once; every event, in the same order,
 * whatever the number of threads; a stop asked for by the handler stops at the same place;
 * files the workers leave to the walk (large files, pictures, gzip, empty files, symbolic
 * links) keep their places among the others. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "mnvault/scan.h"

struct log {
    char *text; /* every event, one line each */
    size_t len, cap;
    size_t findings, stop_after; /* stop_after 0: never */
};

static void put(struct log *l, const char *line)
{
    size_t n = strlen(line);
    if (l->len + n + 2 > l->cap) {
        l->cap = (l->len + n + 2) * 2;
        l->text = realloc(l->text, l->cap);
        assert_non_null(l->text);
    }
    memcpy(l->text + l->len, line, n);
    l->len += n;
    l->text[l->len++] = '\n';
    l->text[l->len] = '\0';
}

static int on_finding(void *ud, const struct scan_place *p, const struct scan_finding *f)
{
    struct log *l = ud;
    char line[512];
    snprintf(line, sizeof(line), "F %s %d %ld:%ld %s %s", p->path, p->depth, f->line, f->column,
             f->last4, f->keyword ? f->keyword : "-");
    put(l, line);
    l->findings++;
    return l->stop_after && l->findings >= l->stop_after;
}

static void on_problem(void *ud, const struct scan_place *p, enum mnv_err err,
                       const struct mnv_diag *d)
{
    char line[512];
    (void)d;
    snprintf(line, sizeof(line), "P %s %d %d", p->path, p->depth, (int)err);
    put(ud, line);
}

static void on_skipped(void *ud, const char *path, enum mnv_err why)
{
    char line[512];
    snprintf(line, sizeof(line), "S %s %d", path, (int)why);
    put(ud, line);
}

static void on_done(void *ud, const char *path, const struct scan_file_result *r)
{
    char line[512];
    snprintf(line, sizeof(line), "D %s %d %d %zu %zu", path, (int)r->format, (int)r->encoding,
             r->findings, r->problems);
    put(ud, line);
}

static void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
}

/* A file past the workers' size (lines of filler, then one number): left to the walk. */
static void write_large(const char *path, int lines)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    for (int i = 0; i < lines; i++)
        fputs("a line of filler text that holds no number at all, just words\n", f);
    fputs("マイナンバー 621498320257\n", f);
    assert_int_equal(fclose(f), 0);
}

/* A folder of small text files (some with numbers, in UTF-8 and CP932), and among them
 * what the workers leave to the walk. */
static void make_tree(const char *root)
{
    static const char *const numbers[] = {"123456789018", "621498320257", "1234 5678 9018"};
    char path[512], text[256];
    for (int d = 0; d < 3; d++) {
        snprintf(path, sizeof(path), "%s/d%d", root, d);
        assert_int_equal(mkdir(path, 0700), 0);
        for (int i = 0; i < 300; i++) {
            snprintf(path, sizeof(path), "%s/d%d/f%03d.txt", root, d, i);
            if (i % 7 == 0)
                snprintf(text, sizeof(text), "行 %d\n個人番号 %s\n", i, numbers[i % 3]);
            else
                snprintf(text, sizeof(text), "row %d, 2024-04-01, 905,781円\n", i);
            write_file(path, text, strlen(text));
        }
    }
    /* Left to the walk: a large file, a picture, a gzip, an empty file, a link to a folder. */
    snprintf(path, sizeof(path), "%s/d1/f100-large.txt", root);
    write_large(path, 3000);
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n', 0, 0, 0, 13};
    snprintf(path, sizeof(path), "%s/d1/f150-photo.png", root);
    write_file(path, png, sizeof(png));
    snprintf(path, sizeof(path), "%s/d2/f050-list.gz", root);
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    assert_true(gzputs(gz, "社員 123456789018\n") > 0);
    assert_int_equal(gzclose(gz), Z_OK);
    snprintf(path, sizeof(path), "%s/d0/f200-empty.txt", root);
    write_file(path, "", 0);
    snprintf(path, sizeof(path), "%s/d0", root);
    char link[512];
    snprintf(link, sizeof(link), "%s/d2/f299z-link", root);
    assert_int_equal(symlink(path, link), 0);
    /* CP932: 個人番号 123456789018 */
    static const char sjis[] = "\x8c\xc2\x90\x6c\x94\xd4\x8d\x86 123456789018\n";
    snprintf(path, sizeof(path), "%s/d2/f151-sjis.csv", root);
    write_file(path, sjis, sizeof(sjis) - 1);
}

static const struct scan_handler logger = {on_finding, on_problem, on_skipped, on_done};

/* The options of a scan with threads, and l emptied for its events (stop_after: see log). */
static struct scan_opts start_log(unsigned threads, size_t stop_after, struct log *l)
{
    struct scan_opts o;
    memset(&o, 0, sizeof(o));
    o.kind = MYNUMBER_INDIVIDUAL;
    o.encoding = SCAN_ENC_AUTO;
    o.threads = threads;
    memset(l, 0, sizeof(*l));
    l->stop_after = stop_after;
    return o;
}

static enum mnv_err walk_with(const char *root, unsigned threads, size_t stop_after, struct log *l)
{
    struct scan_opts o = start_log(threads, stop_after, l);
    return scan_path(root, &o, &logger, l);
}

static void remove_tree(const char *root)
{
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

/* What is scanned (a folder, or a text in memory) with threads and a stop after stop
 * findings (0: none), every event in l. */
typedef enum mnv_err (*run_fn)(const void *what, unsigned threads, size_t stop, struct log *l);

static enum mnv_err run_walk(const void *root, unsigned threads, size_t stop, struct log *l)
{
    return walk_with(root, threads, stop, l);
}

/* The events with each of threads[0..n) are one's, line for line. */
static void same_with_threads(run_fn run, const void *what, const struct log *one,
                              const unsigned *threads, size_t n)
{
    for (size_t t = 0; t < n; t++) {
        struct log many;
        assert_int_equal(run(what, threads[t], 0, &many), MNV_OK);
        assert_string_equal(one->text, many.text);
        free(many.text);
    }
}

/* A stop after `stop` findings comes at the same place with one thread and with threads. */
static void same_stop(run_fn run, const void *what, size_t stop, unsigned threads)
{
    struct log one, many;
    assert_int_equal(run(what, 1, stop, &one), MNV_ERR_INTERRUPTED);
    assert_int_equal(run(what, threads, stop, &many), MNV_ERR_INTERRUPTED);
    assert_int_equal(many.findings, stop);
    assert_string_equal(one.text, many.text);
    free(one.text);
    free(many.text);
}

static void test_scanwalk__same_events_in_the_same_order(void **state)
{
    (void)state;
    char root[] = "/tmp/mnvault-scanwalk-XXXXXX";
    assert_non_null(mkdtemp(root));
    make_tree(root);
    struct log one;
    assert_int_equal(walk_with(root, 1, 0, &one), MNV_OK);
    /* 129 small files with a number, the large one, the gzip's, the CP932 one; the link
     * skipped, the picture not scanned */
    assert_int_equal(one.findings, 132);
    assert_non_null(strstr(one.text, "/d1/f150-photo.png 0 "));
    assert_non_null(strstr(one.text, "S "));
    static const unsigned threads[] = {2, 3, 8};
    same_with_threads(run_walk, root, &one, threads, MNV_ARRAY_LEN(threads));
    free(one.text);
    remove_tree(root);
}

static void test_scanwalk__stop_at_the_same_place(void **state)
{
    (void)state;
    char root[] = "/tmp/mnvault-scanwalk-XXXXXX";
    assert_non_null(mkdtemp(root));
    make_tree(root);
    static const size_t stops[] = {1, 20, 65, 130};
    for (size_t s = 0; s < MNV_ARRAY_LEN(stops); s++)
        same_stop(run_walk, root, stops[s], 4);
    remove_tree(root);
}

/* Names in byte order (upper case before lower, UTF-8 after ASCII, dot files first), a folder
 * among the files, a path given with a slash at its end joined without a second one; a
 * dangling link is a problem of its own, a link to a file is followed. */
static void test_scanwalk__byte_order_and_paths(void **state)
{
    (void)state;
    char root[] = "/tmp/mnvault-scanwalk-XXXXXX", path[600];
    assert_non_null(mkdtemp(root));
    static const char *const names[] = {"b.txt", "\xc3\xa4.txt", "a.txt", ".hidden", "A.txt"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", root, names[i]);
        write_file(path, "x\n", 2);
    }
    snprintf(path, sizeof(path), "%s/c", root);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/c/x.txt", root);
    write_file(path, "123456789018\n", 13);
    char link[600];
    snprintf(link, sizeof(link), "%s/c/y-link", root);
    assert_int_equal(symlink(path, link), 0);
    snprintf(link, sizeof(link), "%s/c/z-dangling", root);
    assert_int_equal(symlink("/nonexistent/mnvault-scanwalk", link), 0);
    char given[600];
    snprintf(given, sizeof(given), "%s/", root);
    static const unsigned threads[] = {1, 3};
    for (size_t t = 0; t < sizeof(threads) / sizeof(threads[0]); t++) {
        struct log l;
        assert_int_equal(walk_with(given, threads[t], 0, &l), MNV_OK);
        char want[4096];
        snprintf(want, sizeof(want),
                 "D %1$s/.hidden 1 1 0 0\nD %1$s/A.txt 1 1 0 0\nD %1$s/a.txt 1 1 0 0\n"
                 "D %1$s/b.txt 1 1 0 0\nF %1$s/c/x.txt 0 1:1 9018 -\nD %1$s/c/x.txt 1 1 1 0\n"
                 "F %1$s/c/y-link 0 1:1 9018 -\nD %1$s/c/y-link 1 1 1 0\n"
                 "P %1$s/c/z-dangling 0 %2$d\nD %1$s/\xc3\xa4.txt 1 1 0 0\n",
                 root, (int)MNV_ERR_IO);
        assert_string_equal(want, l.text);
        free(l.text);
    }
    remove_tree(root);
}

/* Folders past the workers' queue (more files than it holds, folder ends falling on a full
 * queue and beside it; a folder among the files; a large file, which workers leave to the
 * walk, in the middle): every event in the order one thread gives, with or without a stop. */
static void test_scanwalk__past_the_queue(void **state)
{
    (void)state;
    char root[] = "/tmp/mnvault-scanwalk-XXXXXX", path[600];
    assert_non_null(mkdtemp(root));
    static const int counts[] = {1025, 1056, 700, 33};
    for (int d = 0; d < 4; d++) {
        snprintf(path, sizeof(path), "%s/d%d", root, d);
        assert_int_equal(mkdir(path, 0700), 0);
        for (int i = 0; i < counts[d]; i++) {
            char text[128];
            snprintf(path, sizeof(path), "%s/d%d/f%04d", root, d, i);
            int n = i % 37 == 0 ? snprintf(text, sizeof(text), "%d 個人番号 123456789018\n", i)
                                : snprintf(text, sizeof(text), "row %d, 2024-04-01\n", i);
            write_file(path, text, (size_t)n);
        }
    }
    snprintf(path, sizeof(path), "%s/d1/f0500", root); /* becomes a folder */
    assert_int_equal(unlink(path), 0);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof(path), "%s/d1/f0500/x", root);
    write_file(path, "個人番号 621498320257\n", strlen("個人番号 621498320257\n"));
    snprintf(path, sizeof(path), "%s/d2/f0300", root);
    write_large(path, 2000);
    struct log one;
    assert_int_equal(walk_with(root, 1, 0, &one), MNV_OK);
    assert_true(one.findings > 70);
    static const unsigned threads[] = {2, 4};
    same_with_threads(run_walk, root, &one, threads, MNV_ARRAY_LEN(threads));
    size_t total = one.findings;
    free(one.text);
    const size_t stops[] = {29, 57, total - 1};
    for (size_t s = 0; s < MNV_ARRAY_LEN(stops); s++)
        same_stop(run_walk, root, stops[s], 2);
    remove_tree(root);
}

/* A text in memory, scanned as a file of that name would be. */
struct text {
    const char *p;
    size_t n;
    const char *path; /* the name it is scanned under (and its file, for run_file) */
};

static enum mnv_err run_memory(const void *what, unsigned threads, size_t stop, struct log *l)
{
    const struct text *t = what;
    struct scan_opts o = start_log(threads, stop, l);
    return scan_memory(t->p, t->n, t->path, &o, &logger, l);
}

/* The same text in a file of that name (mapped, and read by each thread from the mapping). */
static enum mnv_err run_file(const void *what, unsigned threads, size_t stop, struct log *l)
{
    const struct text *t = what;
    struct scan_opts o = start_log(threads, stop, l);
    return scan_path(t->path, &o, &logger, l);
}

/* One text past 16 MiB in memory (five parts or more of 8 MiB; more parts than threads, so
 * the calling thread takes parts too): the same findings, lines and columns with any number
 * of threads, and a stop at the same place; from a file, the same as from memory. */
static void test_scanwalk__large_text_in_parts(void **state)
{
    (void)state;
    size_t cap = (size_t)44 << 20, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    for (long i = 1; n + 200 < cap; i++) {
        int k = i % 9000 == 0
                    ? snprintf(text + n, 200, "社員 %ld 個人番号 １２３４ ５６７８ ９０１８\n", i)
                : i % 7001 == 0 ? snprintf(text + n, 200, "%ld,621498320257,2024-04-01\n", i)
                                : snprintf(text + n, 200, "row %ld, 2024-04-01, 905,781円\n", i);
        n += (size_t)k;
    }
    char path[] = "/tmp/mnvault-scan-big-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    assert_int_equal(close(fd), 0);
    struct text t = {text, n, path};
    struct log one;
    assert_int_equal(run_memory(&t, 1, 0, &one), MNV_OK);
    assert_true(one.findings > 300);
    static const unsigned threads[] = {2, 3, 8};
    same_with_threads(run_memory, &t, &one, threads, MNV_ARRAY_LEN(threads));
    same_stop(run_memory, &t, one.findings / 2 + 3, 3);
    static const unsigned file_threads[] = {1, 2, 3, 8};
    same_with_threads(run_file, &t, &one, file_threads, MNV_ARRAY_LEN(file_threads));
    same_stop(run_file, &t, one.findings / 2 + 3, 3);
    unlink(path);
    free(one.text);
    free(text);
}
