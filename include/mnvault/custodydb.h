/* custodydb.h (store layer): the custody register's rows in vault.db; the service and its
 * rules are custody.h. Rows are never deleted (a trigger refuses it): the register is the
 * record of what left the vault. The persons a file held are kept as (kind, id) pairs with
 * no foreign key, so the record outlives the person.
 */
#ifndef MNVAULT_CUSTODYDB_H
#define MNVAULT_CUSTODYDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/persondb.h"
#include "mnvault/vault.h"

#define CUSTODY_NOTE_MAX 200 /* bytes */
#define CUSTODY_PATH_MAX 1024

enum custody_state {
    CUSTODY_WRITING = 1,
    CUSTODY_WRITTEN,
    CUSTODY_FAILED,
    CUSTODY_SUBMITTED,
    CUSTODY_DESTROYED,
    CUSTODY_RETURNED,
};

struct custody_entry {
    int64_t id;
    int64_t created_at;
    char created_by[33];
    char form[33];
    int year;
    char copy[33];
    char purpose[33];
    char destination[16];            /* "tax_office", "municipality", "person", "contractor" */
    char path[CUSTODY_PATH_MAX + 1]; /* the file as written (absolute) */
    unsigned char sha256[32];
    int has_hash; /* 0 until the file is complete */
    int64_t size;
    long slips, persons, numbers;
    int packed; /* an AES-256 zip with a passphrase shown once */
    enum custody_state state;
    int64_t state_at;
    char state_by[33];
    char note[CUSTODY_NOTE_MAX + 1];
};

/* custody_state_name: "writing", "written", … (stable; the CLI's words). */
const char *custody_state_name(enum custody_state s);

/* custody_state_parse: the inverse; 0 when unknown. */
enum custody_state custody_state_parse(const char *name) MNV_NONNULL(1);

/* custody_outstanding_state: 1 for the states in which the copy is still in the office's
 * hands (writing, written). */
int custody_outstanding_state(enum custody_state s);

/* Which entries custody_list() returns. */
struct custody_filter {
    int year;             /* 0: any */
    const char *form;     /* NULL: any */
    int outstanding_only; /* only writing and written */
};

/*
 * custodydb_insert: a new entry in state writing from e (id, hash, state fields ignored;
 * created_by and state_by = user), with the persons whose numbers the file will hold;
 * *id receives its id. Inside a write transaction.
 */
MNV_MUST_CHECK enum mnv_err custodydb_insert(struct vault *v, const struct custody_entry *e,
                                             const char *user, const struct person_ref *persons,
                                             size_t npersons, int64_t *id, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 6);

/* custodydb_written: entry id (in state writing) is complete: its hash and size. */
MNV_MUST_CHECK enum mnv_err custodydb_written(struct vault *v, int64_t id,
                                              const unsigned char sha256[32], int64_t size,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* custodydb_set_state: move entry id to state by user with note (no rule checked here). */
MNV_MUST_CHECK enum mnv_err custodydb_set_state(struct vault *v, int64_t id,
                                                enum custody_state state, const char *user,
                                                const char *note, struct mnv_diag *diag)
    MNV_NONNULL(1, 4, 5);

/* custodydb_get: entry id into *out; MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err custodydb_get(struct vault *v, int64_t id, struct custody_entry *out,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* custodydb_list: the entries matching f (NULL: all), newest first (malloc'd; free()). */
MNV_MUST_CHECK enum mnv_err custodydb_list(struct vault *v, const struct custody_filter *f,
                                           struct custody_entry **out, size_t *count,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/* custodydb_outstanding: ids of writing/written entries holding ref's number (malloc'd). */
MNV_MUST_CHECK enum mnv_err custodydb_outstanding(struct vault *v, const struct person_ref *ref,
                                                  int64_t **ids, size_t *count,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

#endif
