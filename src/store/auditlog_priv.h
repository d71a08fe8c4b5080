/* auditlog_priv.h (store layer, private to src/store): reading an audit row, shared by the
 * chain (auditlog.c) and the filtered reader (auditquery.c). */
#ifndef MNVAULT_AUDITLOG_PRIV_H
#define MNVAULT_AUDITLOG_PRIV_H

#include <sqlite3.h>

#include "mnvault/auditlog.h"

/* The columns auditlog_read_row() reads, in its order. */
#define AUDITLOG_COLUMNS "seq, ts, user, role, action, subject, result, detail, prev, hash"

/* Read the row at st (AUDITLOG_COLUMNS) into e; 0, or -1 when the stored hashes are
 * malformed. */
int auditlog_read_row(sqlite3_stmt *st, struct audit_entry *e);

#endif
