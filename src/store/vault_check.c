/*
 * vault_check.c: the database's part of `mnvault verify` (vault.h vault_check_integrity*):
 * on a second connection in a thread, SQLite's quick_check, every index against its table
 * (vault_check_index.c) and the foreign keys; every page's HMAC; and the page cache a
 * whole-file check needs.
 *
 * SQLCipher checks a page's HMAC each time it reads the page from the file; a page that
 * fails puts the connection's pager in its error state, so that every later read of the
 * same statement fails, and the check reports it. quick_check walks the b-trees as
 * integrity_check does (the same sqlite3BtreeIntegrityCheck): it reads every page of every
 * b-tree (overflow chains too), the freelist's trunk pages and page 1, and reports any page
 * that is neither in a b-tree nor on the freelist ("never used"). So when no page is free
 * and the file is exactly the database's pages, it has read, and so authenticated, every
 * page of the file, and SQLCipher's cipher_integrity_check (a second pass computing every
 * page's HMAC) would add nothing. Otherwise (free pages: the freelist's leaf pages are never
 * read; a cut page, pages beyond the end) cipher_integrity_check runs as well.
 *
 * What integrity_check adds to quick_check (each row looked up in each index: most of its
 * time) is done by vault_check_index.c with one pass over each table and index, after
 * quick_check has brought every page into the connection's cache; the foreign keys are
 * checked there too, against that cache. All three read one snapshot (one read
 * transaction), so a writer between the passes cannot make them disagree.
 */
#include "vault_int.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/clock.h"
#include "mnvault/testhook.h"

void vault_check_problem(struct vault_integrity *r, int *failed, const char *what)
{
    *failed = 1;
    r->problems++;
    if (!r->first[0])
        snprintf(r->first, sizeof(r->first), "%s", what);
}

int vault_check_run(sqlite3 *db, const char *sql, struct vault_integrity *r, int *failed)
{
    sqlite3_stmt *st;
    int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
    if (rc != SQLITE_OK) {
        vault_check_problem(r, failed, sqlite3_errmsg(db));
        return rc;
    }
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        if (t && strcmp(t, "ok") == 0 && sqlite3_column_count(st) == 1)
            continue;
        vault_check_problem(r, failed, t ? t : "?");
    }
    if (rc != SQLITE_DONE)
        vault_check_problem(r, failed, sqlite3_errmsg(db));
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? SQLITE_OK : rc;
}

static long long pragma_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    if (sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* Does quick_check read every page of db's file? Only when no page is free (it does not
 * read the freelist's leaf pages) and the file is exactly the database's pages. Else the
 * HMACs need SQLCipher's cipher_integrity_check of the whole file. */
static int reads_every_page(sqlite3 *db)
{
    long long pages = pragma_int(db, "PRAGMA page_count");
    long long psize = pragma_int(db, "PRAGMA page_size");
    long long free_pages = pragma_int(db, "PRAGMA freelist_count");
    const char *path = sqlite3_db_filename(db, "main");
    struct stat sb;
    return pages > 0 && psize > 0 && free_pages == 0 && path && stat(path, &sb) == 0 &&
           (long long)sb.st_size == pages * psize;
}

int vault_scan_cache_mib(struct vault *v)
{
    int mib = v->opt.cache_mib > 0 ? v->opt.cache_mib : 64;
    char count[32], size[32];
    long long bytes = 0;
    if (vault_query_text(v, "PRAGMA page_count", count, sizeof(count)) == SQLITE_OK &&
        vault_query_text(v, "PRAGMA page_size", size, sizeof(size)) == SQLITE_OK)
        bytes = atoll(count) * atoll(size);
    long long want = bytes / 1048576 + bytes / 10485760 + 1; /* the file and 10 % */
    long pages = sysconf(_SC_AVPHYS_PAGES), psize = sysconf(_SC_PAGESIZE);
    long long avail = pages > 0 && psize > 0 ? (long long)pages * psize / 1048576 / 4 : 0;
    if (want > VAULT_SCAN_CACHE_MAX_MIB)
        want = VAULT_SCAN_CACHE_MAX_MIB;
    if (avail > 0 && want > avail)
        want = avail;
    return want > mib ? (int)want : mib;
}

struct tree_job {
    sqlite3 *db;
    struct vault_integrity r;
    int bad, bad_fk, rc, rc_fk;
    long long usec[3]; /* quick_check, the indexes, the foreign keys */
};

/* The checks on the tree connection, in one read transaction: quick_check (which reads, and
 * so authenticates, every page in use, and leaves them in the cache), the indexes against
 * their tables, the foreign keys. */
static void *tree_thread(void *p)
{
    struct tree_job *j = p;
    int own_tx = sqlite3_get_autocommit(j->db) &&
                 sqlite3_exec(j->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
    long long t0 = clock_monotonic_ms();
    j->rc = vault_check_run(j->db, "PRAGMA quick_check", &j->r, &j->bad);
    long long t1 = clock_monotonic_ms();
    if (j->rc == SQLITE_OK && !j->bad)
        j->rc = vault_check_indexes(j->db, &j->r, &j->bad);
    long long t2 = clock_monotonic_ms();
    j->rc_fk = vault_check_run(j->db, "PRAGMA foreign_key_check", &j->r, &j->bad_fk);
    long long t3 = clock_monotonic_ms();
    if (own_tx)
        (void)sqlite3_exec(j->db, "COMMIT", NULL, NULL, NULL);
    j->usec[0] = (t1 - t0) * 1000;
    j->usec[1] = (t2 - t1) * 1000;
    j->usec[2] = (t3 - t2) * 1000;
    return NULL;
}

/* The problems of the tree check j into r, after r's own (the first said stays first). */
static void merge_tree(struct vault_integrity *r, const struct tree_job *j)
{
    if (!r->first[0])
        memcpy(r->first, j->r.first, sizeof(r->first));
    r->problems += j->r.problems;
}

enum mnv_err vault_check_integrity_with(struct vault *v, struct vault_integrity *r,
                                        void (*also)(void *ud), void *ud)
{
    memset(r, 0, sizeof(*r));
    int bad_cipher = 0, rc_cipher = SQLITE_OK;
    /* The b-tree, index and reference checks (the longest part) on a connection of their
     * own, in a thread, while this one checks the HMACs if it must and whatever also()
     * checks; one after the other where a thread cannot be had. */
    int every_page = reads_every_page(v->db);
    struct tree_job j = {0};
    pthread_t th;
    int threaded = sqlite3_threadsafe() &&
                   (j.db = vault_open_reader(v, vault_scan_cache_mib(v))) != NULL &&
                   pthread_create(&th, NULL, tree_thread, &j) == 0;
    if (!threaded) {
        if (j.db)
            sqlite3_close_v2(j.db);
        j.db = v->db;
        (void)vault_scan_cache(v, 1);
        tree_thread(&j);
    }
    long long t0 = clock_monotonic_ms();
    if (!every_page)
        rc_cipher = vault_check_run(v->db, "PRAGMA cipher_integrity_check", r, &bad_cipher);
    testhook_timing("verify.pages", (clock_monotonic_ms() - t0) * 1000);
    if (also)
        also(ud);
    if (threaded) {
        pthread_join(th, NULL);
        sqlite3_close_v2(j.db);
    }
    testhook_timing("verify.tree", j.usec[0]);
    testhook_timing("verify.index", j.usec[1]);
    testhook_timing("verify.fk", j.usec[2]);
    merge_tree(r, &j);
    r->cipher_ok = !bad_cipher;
    r->integrity_ok = !j.bad;
    r->foreign_ok = !j.bad_fk;
    if (!threaded)
        (void)vault_scan_cache(v, 0);
    /* A check that could not run (no memory, the disk failed) says nothing of the file. */
    int rcs[] = {rc_cipher, j.rc, j.rc_fk}, nomem = vault_memory_failed(v);
    for (size_t i = 0; i < MNV_ARRAY_LEN(rcs); i++) {
        int c = rcs[i] & 0xFF;
        if (nomem && (c == SQLITE_CORRUPT || c == SQLITE_NOTADB))
            return MNV_ERR_DB_NOMEM;
        if (c == SQLITE_NOMEM || c == SQLITE_IOERR || c == SQLITE_FULL)
            return vault_sql_error(v, rcs[i], NULL);
    }
    return (bad_cipher || j.bad || j.bad_fk) ? MNV_ERR_DB_CORRUPT : MNV_OK;
}

enum mnv_err vault_check_integrity(struct vault *v, struct vault_integrity *r)
{
    return vault_check_integrity_with(v, r, NULL, NULL);
}

int vault_scan_cache(struct vault *v, int on)
{
    int mib = on ? vault_scan_cache_mib(v) : (v->opt.cache_mib > 0 ? v->opt.cache_mib : 64);
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = %d", -1024 * mib);
    if (vault_exec(v, sql, NULL) != MNV_OK)
        return 0;
    if (!on)
        sqlite3_db_release_memory(v->db);
    return on ? mib : 0;
}
