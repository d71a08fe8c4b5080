/* persondetail.c: what the employee list shows of one employee beside the names. */
#include "mnvault/persondb.h"

#include <string.h>

#include <sqlite3.h>

/* The same values as the list's five scans give (persondb.c), for one employee. */
static const char detail_sql[] =
    "SELECT coalesce(n.status, ''),"
    " coalesce((SELECT group_concat(purpose, ',') FROM"
    "           (SELECT purpose FROM number_purposes p WHERE p.number_id = n.id"
    "            ORDER BY purpose)), ''),"
    " (SELECT count(*) FROM dependents d WHERE d.employee_id = e.id),"
    " n.status = 'registered' AND EXISTS (SELECT 1 FROM collections c"
    "   WHERE c.number_id = n.id AND c.number_version = n.version)"
    " FROM employees e LEFT JOIN numbers n ON n.employee_id = e.id WHERE e.id = ?1";

/* Copy the comma-separated list text into out (size bytes), cut after a whole code. */
static void copy_codes(const char *text, char *out, size_t size)
{
    size_t n = strlen(text);
    if (n >= size) {
        n = size - 1;
        while (n > 0 && text[n] != ',')
            n--;
    }
    memcpy(out, text, n);
    out[n] = '\0';
}

enum mnv_err persondb_row_detail(struct vault *v, int64_t id, struct person_detail *out,
                                 struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    out->status = NUMBER_MISSING;
    sqlite3_stmt *st;
    enum mnv_err err = vault_stmt(v, detail_sql, &st, diag);
    if (err != MNV_OK)
        return err;
    sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        const char *status = (const char *)sqlite3_column_text(st, 0);
        const char *purposes = (const char *)sqlite3_column_text(st, 1);
        out->status = person_number_status_parse(status ? status : "");
        copy_codes(purposes ? purposes : "", out->purposes, sizeof(out->purposes));
        out->dependents = sqlite3_column_int(st, 2);
        out->verified = sqlite3_column_int(st, 3);
    } else if (rc != SQLITE_DONE) {
        err = vault_sql_error(v, rc, diag);
    }
    sqlite3_reset(st);
    return err;
}
