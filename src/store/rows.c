#include "mnvault/rows.h"

#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "mnvault/alloc.h"

enum mnv_err rows_collect(struct vault *v, struct sqlite3_stmt *st, size_t elem, rows_fill_fn fill,
                          void *ud, struct rows *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = MNV_OK;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        void *grown = alloc_grow(out->items, &out->cap, out->count + 1, elem);
        if (!grown) {
            err = MNV_ERR_NOMEM;
            break;
        }
        out->items = grown;
        void *item = (char *)out->items + out->count * elem;
        memset(item, 0, elem);
        if ((err = fill(st, item, ud)) != MNV_OK)
            break;
        out->count++;
    }
    if (err == MNV_OK && rc != SQLITE_DONE)
        err = vault_sql_error(v, rc, diag);
    sqlite3_reset(st);
    if (err != MNV_OK) {
        free(out->items);
        memset(out, 0, sizeof(*out));
    }
    return err;
}

static enum mnv_err fill_id(struct sqlite3_stmt *st, void *item, void *ud)
{
    (void)ud;
    *(int64_t *)item = sqlite3_column_int64(st, 0);
    return MNV_OK;
}

enum mnv_err rows_ids(struct vault *v, struct sqlite3_stmt *st, int64_t **ids, size_t *count,
                      struct mnv_diag *diag)
{
    struct rows r;
    enum mnv_err err = rows_collect(v, st, sizeof(int64_t), fill_id, NULL, &r, diag);
    *ids = r.items;
    *count = r.count;
    return err;
}
