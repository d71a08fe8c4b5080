/* Unit tests for atomic file writing. */
#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/fileio.h"

static char dir[256];

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mnv-fileio-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[600];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int count_entries(const char *d)
{
    DIR *dp = opendir(d);
    int n = 0;
    struct dirent *e;
    while (dp && (e = readdir(dp)))
        if (e->d_name[0] != '.')
            n++;
    if (dp)
        closedir(dp);
    return n;
}

static void test_fileio__write_replace_read(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/a.bin", dir);
    assert_int_equal(fileio_write_atomic(path, "one", 3, 0600, NULL), MNV_OK);
    assert_int_equal(fileio_write_atomic(path, "second", 6, 0600, NULL), MNV_OK);
    unsigned char *buf;
    size_t len;
    assert_int_equal(fileio_read_all(path, 100, &buf, &len, NULL), MNV_OK);
    assert_int_equal(len, 6);
    assert_memory_equal(buf, "second", 6);
    free(buf);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0600);
    assert_int_equal(count_entries(dir), 1); /* no temporary file left */
}

static void test_fileio__read_limits(void **state)
{
    (void)state;
    char path[300];
    snprintf(path, sizeof(path), "%s/big.bin", dir);
    assert_int_equal(fileio_write_atomic(path, "0123456789", 10, 0600, NULL), MNV_OK);
    unsigned char *buf;
    size_t len;
    assert_int_equal(fileio_read_all(path, 9, &buf, &len, NULL), MNV_ERR_TOO_LONG);
    assert_null(buf);
    snprintf(path, sizeof(path), "%s/missing", dir);
    assert_int_equal(fileio_read_all(path, 9, &buf, &len, NULL), MNV_ERR_NOT_FOUND);
}

static void test_fileio__symlink_not_followed(void **state)
{
    (void)state;
    char target[300], link[300];
    snprintf(target, sizeof(target), "%s/target", dir);
    snprintf(link, sizeof(link), "%s/link", dir);
    assert_int_equal(fileio_write_atomic(target, "t", 1, 0600, NULL), MNV_OK);
    assert_int_equal(symlink(target, link), 0);
    unsigned char *buf;
    size_t len;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    assert_int_equal(fileio_read_all(link, 10, &buf, &len, &d), MNV_ERR_IO);
    assert_string_equal(d.where, link);
    unlink(link);
    unlink(target);
}

static void test_fileio__failure_keeps_old_file(void **state)
{
    (void)state;
    char path[320];
    snprintf(path, sizeof(path), "%s/keep", dir);
    assert_int_equal(fileio_write_atomic(path, "old", 3, 0600, NULL), MNV_OK);
    /* A file-size limit makes the write fail with EFBIG, like a full disk would. */
    struct rlimit saved, tiny = {2, 2};
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    tiny.rlim_max = saved.rlim_max;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &tiny), 0);
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = fileio_write_atomic(path, "newdata", 7, 0600, &d);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(err, MNV_ERR_IO);
    assert_int_equal(d.saved_errno, EFBIG);
    unsigned char *buf;
    size_t len;
    assert_int_equal(fileio_read_all(path, 10, &buf, &len, NULL), MNV_OK);
    assert_int_equal(len, 3);
    assert_memory_equal(buf, "old", 3);
    free(buf);
    unlink(path);
}

static void test_fileio__mkdir_private(void **state)
{
    (void)state;
    char sub[300];
    snprintf(sub, sizeof(sub), "%s/x/y/z", dir);
    assert_int_equal(fileio_mkdir_private(sub, NULL), MNV_OK);
    assert_int_equal(fileio_mkdir_private(sub, NULL), MNV_OK);
    struct stat st;
    assert_int_equal(stat(sub, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0700);
}
