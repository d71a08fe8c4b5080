/* atomicfile.h (base layer): the one way mnvault writes a file — key file copies, backups,
 * restored vaults, exports, certificates. The data goes to a new temporary file in the
 * target's folder (O_CREAT|O_EXCL|O_NOFOLLOW, the mode exactly as asked, 0600 for anything
 * secret); every write is checked; the file is fsynced and closed; only then is it renamed
 * to its name (replacing an old file, or never replacing one with ATOMICFILE_NO_REPLACE) and
 * the folder fsynced. A crash or a full disk leaves the old file or the new one, never a
 * mixture, and a temporary file is removed on every failure path.
 *
 *     struct atomicfile f;
 *     err = atomicfile_open(&f, "/data/out.csv", 0600, &diag);
 *     … atomicfile_write(&f, buf, n, &diag) …  (or write to atomicfile_fd(&f))
 *     err = err == MNV_OK ? atomicfile_commit(&f, NULL, 0, &diag) : (atomicfile_abort(&f), err);
 */
#ifndef MNVAULT_ATOMICFILE_H
#define MNVAULT_ATOMICFILE_H

#include <limits.h>
#include <stddef.h>
#include <sys/types.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

enum atomicfile_flag {
    ATOMICFILE_NO_REPLACE = 1 << 0, /* commit refuses (MNV_ERR_EXISTS) when the name exists */
};

/* One file being written. Fields are private; the struct is the caller's (no allocation). */
struct atomicfile {
    int fd;              /* -1 once closed */
    int done;            /* committed or aborted: nothing is left to clean up */
    int wipe;            /* overwrite the temporary file with zeros before removing it */
    char path[PATH_MAX]; /* the name given to atomicfile_open() */
    char temp[PATH_MAX]; /* the temporary file; "" when there is none */
};

/* atomicfile_init: an idle writer, on which atomicfile_abort() is harmless (for structs that
 * may be cleaned up before a file was opened). */
void atomicfile_init(struct atomicfile *f) MNV_NONNULL(1);

/*
 * atomicfile_open: begin writing path: create its temporary file "<path>.tmp-<random>" with
 * exactly mode. Returns MNV_OK, or MNV_ERR_IO / MNV_ERR_TOO_LONG with diag->where and
 * diag->saved_errno; on failure nothing exists and f needs no abort (abort is harmless).
 */
MNV_MUST_CHECK enum mnv_err atomicfile_open(struct atomicfile *f, const char *path, mode_t mode,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * atomicfile_open_in: the same with the temporary file named dir/<prefix><random><suffix>,
 * for writers that clean up stale temporary files by name (backups); the final name is
 * given to atomicfile_commit().
 */
MNV_MUST_CHECK enum mnv_err atomicfile_open_in(struct atomicfile *f, const char *dir,
                                               const char *prefix, const char *suffix, mode_t mode,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/*
 * atomicfile_wipe_on_abort: the data is secret (an export with numbers): a temporary file
 * that is given up is overwritten with zeros and synced before it is removed.
 */
void atomicfile_wipe_on_abort(struct atomicfile *f) MNV_NONNULL(1);

/* atomicfile_write: append data[0..len); every byte is written or an error returned. */
MNV_MUST_CHECK enum mnv_err atomicfile_write(struct atomicfile *f, const void *data, size_t len,
                                             struct mnv_diag *diag) MNV_NONNULL(1);

/* atomicfile_fd: the temporary file's descriptor, for code that writes by descriptor
 * (-1 after atomicfile_sync()). Do not close it. */
int atomicfile_fd(const struct atomicfile *f) MNV_NONNULL(1);

/* atomicfile_temp: the temporary file's path (to read it back before committing). */
const char *atomicfile_temp(const struct atomicfile *f) MNV_NONNULL(1);

/*
 * atomicfile_sync: fsync and close the temporary file; it is complete and can be read back.
 * Called by atomicfile_commit() when not done before. Returns MNV_OK or MNV_ERR_IO.
 */
MNV_MUST_CHECK enum mnv_err atomicfile_sync(struct atomicfile *f, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * atomicfile_commit: sync if needed, rename the temporary file to path (NULL: the path given
 * to atomicfile_open()), fsync the folder. flags: enum atomicfile_flag. Returns MNV_OK;
 * MNV_ERR_EXISTS with ATOMICFILE_NO_REPLACE when path exists (the temporary file is kept:
 * commit again under another name, or abort); or MNV_ERR_IO with the temporary file removed.
 */
MNV_MUST_CHECK enum mnv_err atomicfile_commit(struct atomicfile *f, const char *path,
                                              unsigned flags, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * atomicfile_sync_dir: fsync the folder holding path, after a rename or an unlink there.
 * Returns MNV_OK, or MNV_ERR_IO with errno set.
 */
MNV_MUST_CHECK enum mnv_err atomicfile_sync_dir(const char *path) MNV_NONNULL(1);

/* atomicfile_abort: close and remove the temporary file, wiped first when asked (after a
 * commit: nothing). */
void atomicfile_abort(struct atomicfile *f) MNV_NONNULL(1);

#endif
