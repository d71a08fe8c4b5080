/* Unit tests for atomicfile.c: the one writer of files. */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/atomicfile.h"
#include "mnvault/fileio.h"

static char dir[64];

static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/mnv-atomicfile-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int group_teardown(void **state)
{
    (void)state;
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "chmod -R u+w '%s'; rm -rf '%s'", dir, dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* Files in d, dot files too, without . and .. */
static int entries(const char *d)
{
    DIR *dp = opendir(d);
    int n = 0;
    struct dirent *e;
    while (dp && (e = readdir(dp)))
        n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
    if (dp)
        closedir(dp);
    return n;
}

static char *slurp(const char *path)
{
    unsigned char *p;
    size_t n;
    return fileio_read_all(path, 1 << 20, &p, &n, NULL) == MNV_OK ? (char *)p : NULL;
}

static void sub(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
    mkdir(out, 0700);
}

static void test_atomicfile__abort_on_a_fresh_or_failed_file(void **state)
{
    (void)state;
    char d[128], path[160];
    sub(d, sizeof(d), "abort");
    struct atomicfile f;
    snprintf(path, sizeof(path), "%s/no/such/folder/x", d);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    assert_int_equal(atomicfile_open(&f, path, 0600, &diag), MNV_ERR_IO);
    assert_int_equal(diag.saved_errno, ENOENT);
    atomicfile_abort(&f); /* harmless */
    atomicfile_abort(&f);
    snprintf(path, sizeof(path), "%s/x", d);
    assert_int_equal(atomicfile_open(&f, path, 0600, NULL), MNV_OK);
    assert_int_equal(entries(d), 1);
    assert_int_equal(atomicfile_write(&f, "abc", 3, NULL), MNV_OK);
    atomicfile_abort(&f);
    assert_int_equal(entries(d), 0);
    assert_int_equal(atomicfile_write(&f, "abc", 3, NULL), MNV_ERR_IO);
    assert_int_not_equal(atomicfile_commit(&f, NULL, 0, NULL), MNV_OK);
    assert_int_equal(entries(d), 0);
    char longp[PATH_MAX + 8];
    memset(longp, 'a', sizeof(longp) - 1);
    longp[sizeof(longp) - 1] = '\0';
    assert_int_equal(atomicfile_open(&f, longp, 0600, NULL), MNV_ERR_TOO_LONG);
}

static void test_atomicfile__stream_replace_and_mode(void **state)
{
    (void)state;
    char d[128], path[160];
    sub(d, sizeof(d), "stream");
    snprintf(path, sizeof(path), "%s/out.csv", d);
    assert_int_equal(fileio_write_atomic(path, "old", 3, 0644, NULL), MNV_OK);
    mode_t old = umask(077);
    struct atomicfile f;
    assert_int_equal(atomicfile_open(&f, path, 0640, NULL), MNV_OK);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(atomicfile_write(&f, "0123456789", 10, NULL), MNV_OK);
    assert_int_equal(atomicfile_write(&f, NULL, 0, NULL), MNV_OK);
    /* Until the commit, readers see the old file. */
    char *t = slurp(path);
    assert_string_equal(t, "old");
    free(t);
    assert_int_equal(atomicfile_commit(&f, NULL, 0, NULL), MNV_OK);
    umask(old);
    t = slurp(path);
    assert_int_equal(strlen(t), 10000);
    free(t);
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0640); /* exactly, whatever the umask */
    assert_int_equal(entries(d), 1);
    atomicfile_abort(&f); /* after a commit: nothing */
    assert_int_equal(entries(d), 1);
}

static void test_atomicfile__temp_read_back_then_no_replace(void **state)
{
    (void)state;
    char d[128], taken[160], free_name[160];
    sub(d, sizeof(d), "noreplace");
    snprintf(taken, sizeof(taken), "%s/a.mnvbak", d);
    snprintf(free_name, sizeof(free_name), "%s/b.mnvbak", d);
    assert_int_equal(fileio_write_atomic(taken, "first", 5, 0600, NULL), MNV_OK);
    struct atomicfile f;
    assert_int_equal(atomicfile_open_in(&f, d, ".mnvault-tmp-", ".part", 0600, NULL), MNV_OK);
    const char *tmp = atomicfile_temp(&f);
    assert_non_null(strstr(tmp, "/.mnvault-tmp-"));
    /* twelve letters between the prefix and the suffix, never a digit */
    const char *rnd = strstr(tmp, "/.mnvault-tmp-") + strlen("/.mnvault-tmp-");
    assert_int_equal(strlen(rnd), 12 + strlen(".part"));
    assert_int_equal(strcspn(rnd, "0123456789"), strlen(rnd));
    assert_int_equal(strcmp(tmp + strlen(tmp) - 5, ".part"), 0);
    int fd = atomicfile_fd(&f);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "second", 6), 6);
    assert_int_equal(atomicfile_sync(&f, NULL), MNV_OK);
    assert_int_equal(atomicfile_fd(&f), -1);
    char *t = slurp(tmp); /* complete before it is placed */
    assert_string_equal(t, "second");
    free(t);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    assert_int_equal(atomicfile_commit(&f, taken, ATOMICFILE_NO_REPLACE, &diag), MNV_ERR_EXISTS);
    assert_string_equal(diag.where, taken);
    t = slurp(taken);
    assert_string_equal(t, "first");
    free(t);
    assert_int_equal(entries(d), 2); /* the temporary file waits for another name */
    assert_int_equal(atomicfile_commit(&f, free_name, ATOMICFILE_NO_REPLACE, NULL), MNV_OK);
    t = slurp(free_name);
    assert_string_equal(t, "second");
    free(t);
    assert_int_equal(entries(d), 2);
}

static void test_atomicfile__failures_leave_no_temp(void **state)
{
    (void)state;
    char d[128], path[160];
    sub(d, sizeof(d), "fail");
    snprintf(path, sizeof(path), "%s/target", d);
    /* A folder where the file should go: the rename fails, the temporary file goes. */
    assert_int_equal(mkdir(path, 0700), 0);
    char inner[200];
    snprintf(inner, sizeof(inner), "%s/keep", path);
    assert_int_equal(fileio_write_atomic(inner, "k", 1, 0600, NULL), MNV_OK);
    struct atomicfile f;
    assert_int_equal(atomicfile_open(&f, path, 0600, NULL), MNV_OK);
    assert_int_equal(atomicfile_write(&f, "x", 1, NULL), MNV_OK);
    assert_int_equal(atomicfile_commit(&f, NULL, 0, NULL), MNV_ERR_IO);
    assert_int_equal(entries(d), 1);
    /* A symbolic link planted as the temporary name is never followed: O_EXCL|O_NOFOLLOW
     * make open() pick another name, and the link's target stays untouched. */
    char victim[160];
    snprintf(victim, sizeof(victim), "%s/victim", d);
    assert_int_equal(fileio_write_atomic(victim, "v", 1, 0600, NULL), MNV_OK);
    snprintf(path, sizeof(path), "%s/file", d);
    assert_int_equal(atomicfile_open(&f, path, 0600, NULL), MNV_OK);
    char planted[PATH_MAX];
    snprintf(planted, sizeof(planted), "%s", atomicfile_temp(&f));
    atomicfile_abort(&f);
    assert_int_equal(symlink(victim, planted), 0);
    assert_int_equal(fileio_write_atomic(path, "new", 3, 0600, NULL), MNV_OK);
    char *t = slurp(victim);
    assert_string_equal(t, "v");
    free(t);
    unlink(planted);
    /* A read-only folder: nothing can be created. */
    char ro[128];
    sub(ro, sizeof(ro), "readonly");
    chmod(ro, 0500);
    snprintf(path, sizeof(path), "%s/x", ro);
    if (geteuid() != 0) /* root writes anyway */
        assert_int_equal(atomicfile_open(&f, path, 0600, NULL), MNV_ERR_IO);
    chmod(ro, 0700);
}

/* A secret temporary file that is given up is zeroed before it goes: a second link to its
 * inode, made by a spy, sees only zeros. */
static void test_atomicfile__wipe_on_abort(void **state)
{
    (void)state;
    char d[128], path[160], spy[160];
    sub(d, sizeof(d), "wipe");
    snprintf(path, sizeof(path), "%s/export.csv", d);
    snprintf(spy, sizeof(spy), "%s/spy", d);
    for (int synced = 0; synced < 2; synced++) {
        struct atomicfile f;
        assert_int_equal(atomicfile_open(&f, path, 0600, NULL), MNV_OK);
        atomicfile_wipe_on_abort(&f);
        assert_int_equal(atomicfile_write(&f, "123456789018", 12, NULL), MNV_OK);
        if (synced)
            assert_int_equal(atomicfile_sync(&f, NULL), MNV_OK);
        assert_int_equal(link(atomicfile_temp(&f), spy), 0);
        atomicfile_abort(&f);
        unsigned char *p;
        size_t n;
        assert_int_equal(fileio_read_all(spy, 100, &p, &n, NULL), MNV_OK);
        assert_int_equal(n, 12);
        for (size_t i = 0; i < n; i++)
            assert_int_equal(p[i], 0);
        free(p);
        assert_int_equal(unlink(spy), 0);
        assert_int_equal(entries(d), 0);
    }
}

static void test_atomicfile__sync_dir(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof(path), "%s/anything", dir);
    assert_int_equal(atomicfile_sync_dir(path), MNV_OK);
    assert_int_equal(atomicfile_sync_dir("relative-name"), MNV_OK); /* the current folder */
    assert_int_equal(atomicfile_sync_dir("/etc"), MNV_OK);          /* "/" */
    assert_int_equal(atomicfile_sync_dir("/no/such/folder/x"), MNV_ERR_IO);
}
