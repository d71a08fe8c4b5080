/*
 * scan/walk.c: walking folders for the scanner (part of the scan module, see scan.h), without
 * following links to folders, entries in byte order of their names.
 *
 * Each folder is opened once and its entries read into one block of names (no allocation per
 * entry); files and folders inside it are opened relative to it (openat), so the system does
 * not look the whole path up again for every file, and a folder entry is opened with
 * O_NOFOLLOW, so a folder swapped for a link while the walk runs is not followed. The folder
 * says what most entries are (d_type): only links and entries of unknown type cost a stat.
 * One path buffer per folder holds "folder/name" for the reports.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mnvault/alloc.h"
#include "priv.h"

#define SCAN_MAX_DIR_DEPTH 256

/* One folder's entries: names back to back in names[], each with its NUL. */
struct dir_list {
    char *names;
    size_t used, room;
    struct entry *ents;
    size_t n, cap;
};

struct entry {
    size_t at; /* offset of the name in names[]; a pointer once all are read */
    const char *name;
    unsigned char type;
};

static int by_bytes(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* Read every entry but . and .. into l; 0, or an errno value. */
static int read_entries(DIR *d, struct dir_list *l)
{
    struct dirent *e;
    errno = 0;
    while ((e = readdir(d)) != NULL) {
        const char *nm = e->d_name;
        if (nm[0] == '.' && (nm[1] == '\0' || (nm[1] == '.' && nm[2] == '\0')))
            continue;
        size_t k = strlen(nm) + 1;
        char *names = alloc_grow(l->names, &l->room, l->used + k, 1);
        struct entry *ents = names ? alloc_grow(l->ents, &l->cap, l->n + 1, sizeof(*ents)) : NULL;
        if (names)
            l->names = names;
        if (!ents)
            return ENOMEM;
        l->ents = ents;
        memcpy(l->names + l->used, nm, k);
        l->ents[l->n++] = (struct entry){l->used, NULL, e->d_type};
        l->used += k;
        errno = 0;
    }
    if (errno)
        return errno;
    for (size_t i = 0; i < l->n; i++)
        l->ents[i].name = l->names + l->ents[i].at;
    if (l->n > 1) /* an empty folder has no list at all */
        qsort(l->ents, l->n, sizeof(*l->ents), by_bytes);
    return 0;
}

/* Before the walk reports anything itself, the files queued before it are handed on (and
 * may have asked to stop): 1 to go on. */
static int settled(struct scan_ctx *c)
{
    scan_pool_flush(c->pool, c);
    return !c->stop && !c->nomem;
}

static void walk_dir(struct scan_ctx *c, int parent, const char *name, const char *path, int depth,
                     int nofollow);

/* One entry of a folder (path: how it is reported; the name starts at path + plen). A
 * regular file or a folder goes on without waiting for the files queued before it: the
 * files under a folder are queued behind them, and the walk reports nothing itself before
 * it has settled. */
static void walk_entry(struct scan_ctx *c, int dfd, const struct entry *e, const char *path,
                       size_t plen, int depth)
{
    if (e->type == DT_REG) {
        if (c->pool)
            scan_pool_add(c->pool, c, dfd, path, plen);
        else
            scan_one_file_at(c, dfd, e->name, path, 0);
        return;
    }
    if (e->type == DT_DIR) {
        if (!c->stop && !c->nomem)
            walk_dir(c, dfd, e->name, path, depth + 1, 1);
        return;
    }
    if (!settled(c))
        return;
    struct stat st;
    if (fstatat(dfd, e->name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
        scan_file_begin(c, path);
        scan_problem_errno(c, MNV_ERR_IO, errno);
        return;
    }
    if (S_ISLNK(st.st_mode)) {
        if (fstatat(dfd, e->name, &st, 0) < 0) { /* a dangling link: the file it names is missing */
            scan_file_begin(c, path);
            scan_problem_errno(c, MNV_ERR_IO, errno);
            return;
        }
        if (S_ISDIR(st.st_mode)) {
            if (c->h->skipped)
                c->h->skipped(c->ud, path, MNV_ERR_SCAN_LINK_DIR);
            return;
        }
    }
    if (S_ISDIR(st.st_mode))
        walk_dir(c, dfd, e->name, path, depth + 1, 1);
    else if (S_ISREG(st.st_mode))
        scan_one_file_at(c, dfd, e->name, path, 0);
    else if (c->h->skipped)
        c->h->skipped(c->ud, path, MNV_ERR_SCAN_SPECIAL);
}

/* A folder trouble reported on the folder itself (once the files before it are handed on). */
static void dir_problem(struct scan_ctx *c, const char *path, enum mnv_err err, int e)
{
    if (e == ENOMEM) {
        c->nomem = 1;
        return;
    }
    if (!settled(c))
        return;
    scan_file_begin(c, path);
    if (e)
        scan_problem_errno(c, err, e);
    else
        scan_problem(c, err, NULL);
}

/* The folder name (relative to parent; path: how it is reported) and everything under it;
 * nofollow: a link found there is not followed (every folder but the one named). */
static void walk_dir(struct scan_ctx *c, int parent, const char *name, const char *path, int depth,
                     int nofollow)
{
    if (depth > SCAN_MAX_DIR_DEPTH) {
        dir_problem(c, path, MNV_ERR_SCAN_DEPTH, 0);
        return;
    }
    int fd = openat(parent, name,
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC | O_NOCTTY | (nofollow ? O_NOFOLLOW : 0));
    DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
    if (!d) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        dir_problem(c, path, MNV_ERR_IO, e);
        return;
    }
    struct dir_list l = {0};
    int e = read_entries(d, &l);
    size_t plen = strlen(path);
    int slash = plen > 0 && path[plen - 1] != '/';
    char *full = e ? NULL : malloc(plen + (size_t)slash + NAME_MAX + 1);
    if (!full) {
        dir_problem(c, path, MNV_ERR_IO, e ? e : ENOMEM);
    } else {
        memcpy(full, path, plen);
        full[plen] = '/';
        for (size_t i = 0; i < l.n && !c->stop && !c->nomem; i++) {
            size_t k = strlen(l.ents[i].name);
            if (k > NAME_MAX)
                continue; /* no file system gives such a name */
            memcpy(full + plen + (size_t)slash, l.ents[i].name, k + 1);
            walk_entry(c, dirfd(d), &l.ents[i], full, plen + (size_t)slash, depth);
        }
    }
    scan_pool_leave_dir(c->pool, dirfd(d));
    free(full);
    free(l.names);
    free(l.ents);
    closedir(d);
}

void scan_walk(struct scan_ctx *c, const char *dir)
{
    walk_dir(c, AT_FDCWD, dir, dir, 0, 0);
}
