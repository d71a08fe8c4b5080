/* rows.h (store layer): every row of a prepared statement read into a growing array — the
 * loop the store's list functions share (step, grow, fill, check the end, reset).
 */
#ifndef MNVAULT_ROWS_H
#define MNVAULT_ROWS_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

/* The rows read: items is a malloc'd array of count elements (free with free()). */
struct rows {
    void *items;
    size_t count, cap;
};

/* Fill item (zeroed, one element) from the statement's current row; MNV_OK or the error that
 * ends the reading. */
typedef enum mnv_err (*rows_fill_fn)(struct sqlite3_stmt *st, void *item, void *ud);

/*
 * rows_collect: step st (prepared and bound by the caller) to its end, filling one element
 * of elem bytes per row with fill(st, item, ud); st is reset afterwards. Returns MNV_OK with
 * *out filled (items NULL when there was no row), or MNV_ERR_NOMEM, fill's error or a
 * database error with *out empty.
 */
MNV_MUST_CHECK enum mnv_err rows_collect(struct vault *v, struct sqlite3_stmt *st, size_t elem,
                                         rows_fill_fn fill, void *ud, struct rows *out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 2, 4, 6);

/*
 * rows_ids: the first column of every row of st as int64 ids in *ids (malloc'd, free with
 * free(); NULL when there was no row) and their number in *count: rows_collect() for the
 * common "SELECT id …" list. On error *ids is NULL and *count 0.
 */
MNV_MUST_CHECK enum mnv_err rows_ids(struct vault *v, struct sqlite3_stmt *st, int64_t **ids,
                                     size_t *count, struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

#endif
