/* fileio.h (base layer): reading whole files, private folders, and two short cuts to the
 * atomic writer (atomicfile.h), through which every file mnvault writes goes.
 */
#ifndef MNVAULT_FILEIO_H
#define MNVAULT_FILEIO_H

#include <stddef.h>
#include <sys/types.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

/*
 * fileio_write_atomic: replace path with data[0..len) in one atomicfile_open(), _write(),
 * _commit(), file mode `mode` (0600 for anything secret). Returns MNV_OK, or
 * MNV_ERR_IO/MNV_ERR_SYSTEM with diag->saved_errno and diag->where = path; on failure the temporary
 * file is removed and the old file (if any) is untouched.
 */
MNV_MUST_CHECK enum mnv_err fileio_write_atomic(const char *path, const void *data, size_t len,
                                                mode_t mode, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * fileio_read_all: read a whole regular file (not following a final symlink) of at most
 * max bytes into a malloc'd buffer (*out, free with free(); with a NUL after the data).
 * Returns MNV_OK, MNV_ERR_NOT_FOUND, MNV_ERR_TOO_LONG, or MNV_ERR_IO with diag filled.
 */
MNV_MUST_CHECK enum mnv_err fileio_read_all(const char *path, size_t max, unsigned char **out,
                                            size_t *len, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4);

/* fileio_fsync_dir: fsync the folder holding path (after a rename or unlink):
 * atomicfile_sync_dir(). */
MNV_MUST_CHECK enum mnv_err fileio_fsync_dir(const char *path) MNV_NONNULL(1);

/*
 * fileio_mkdir_private: create dir (and missing parents) with mode 0700; an existing
 * folder is accepted as it is. Returns MNV_OK or MNV_ERR_IO with diag filled.
 */
MNV_MUST_CHECK enum mnv_err fileio_mkdir_private(const char *dir, struct mnv_diag *diag)
    MNV_NONNULL(1);

#endif
