/* collectdb.h (store layer): the identity verification records made when a number is collected
 * (tables of schema step 3).
 *
 * One record per collection event: the person, the number record and the version of it
 * that was verified, the way of collecting (route), the channel, whether identity
 * documents were skipped for a person the employer knows, who checked the documents and on
 * which day, who recorded it and when, and each document as its kind, the check it served
 * and optionally the last characters (at most 4) of the document's own number. Never an
 * image and never the My Number. A later collection (a changed number) adds a record; the
 * older ones stay as history, and only the newest one matching the number's current version
 * counts as "verified". The rules that decide what is enough are idrules.h (service layer):
 * this module stores text codes and does not judge them.
 */
#ifndef MNVAULT_COLLECTDB_H
#define MNVAULT_COLLECTDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/mynumber.h"
#include "mnvault/person.h"
#include "mnvault/vault.h"

#define COLLECT_CODE_MAX 32
#define COLLECT_VERIFIER_MAX 120 /* bytes of the verifier's name (40 kanji) */
#define COLLECT_REF_MAX 4
#define COLLECT_DOCS_MAX 8

struct collect_doc_rec {
    char doc[COLLECT_CODE_MAX + 1]; /* idrules document code */
    char check[16];                 /* "number", "identity", "authority", "agent_identity" */
    char ref[COLLECT_REF_MAX + 1];  /* "" or the last characters of its own number */
};

struct collect_rec {
    int64_t id;
    struct person_ref person;
    int64_t number_id;       /* numbers.id; 0 once that record is gone */
    uint32_t number_version; /* the version of the number that was verified */
    char route[COLLECT_CODE_MAX + 1];
    char channel[16]; /* "in_person", "post", "online" */
    int known_in_person;
    char verified_by[COLLECT_VERIFIER_MAX + 1];
    char verified_on[11]; /* "YYYY-MM-DD" */
    int64_t recorded_at;
    char recorded_by[33];
    int current; /* read back: it verified the number now stored */
    size_t ndocs;
    struct collect_doc_rec docs[COLLECT_DOCS_MAX];
};

/*
 * collectdb_insert: store rec (inside a write transaction); sets rec->id and
 * rec->recorded_at (clock.h). The caller has validated the codes. Returns MNV_OK,
 * MNV_ERR_INVALID (a field the table refuses), MNV_ERR_PERSON_NOT_FOUND or a database
 * error.
 */
MNV_MUST_CHECK enum mnv_err collectdb_insert(struct vault *v, struct collect_rec *rec,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * collectdb_history: every record of the person ref, newest first, into a malloc'd array
 * (*out, free with free()) of *count entries; `current` is set on the newest record that
 * verified the number's current version. Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err collectdb_history(struct vault *v, const struct person_ref *ref,
                                              struct collect_rec **out, size_t *count,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/*
 * collectdb_current: the newest record verifying ref's registered number in its current
 * version into *out. Returns MNV_OK, MNV_ERR_NOT_FOUND (none: unverified, or the number
 * changed since) or a database error.
 */
MNV_MUST_CHECK enum mnv_err collectdb_current(struct vault *v, const struct person_ref *ref,
                                              struct collect_rec *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * collectdb_forget_refs: for disposal, inside a write transaction: the documents of every
 * record that verified number record number_id lose their reference (the last characters
 * of a document's own number, which for a 個人番号カード could be those of the number).
 * The records themselves (who verified what, when, how) stay. Returns MNV_OK or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err collectdb_forget_refs(struct vault *v, int64_t number_id,
                                                  struct mnv_diag *diag) MNV_NONNULL(1);

#endif
