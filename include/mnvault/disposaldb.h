/* disposaldb.h (store layer): disposal proposals and their items, tables of vault.db
 * (schema step 5).
 *
 * A clerk proposes a batch of numbers that are due for deletion; a different supervisor
 * approves or rejects it; only an approved proposal is executed. Each item records the
 * number record, whose it is (employee and dependant ids, the employee code at the time),
 * the retention date and the kind of document that made it due, and a digest of the facts
 * retention decided on (disposal.c), so that a proposal whose facts changed is stale.
 * Nothing here holds or derives from the digits of a number.
 */
#ifndef MNVAULT_DISPOSALDB_H
#define MNVAULT_DISPOSALDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/persondb.h"
#include "mnvault/vault.h"
#include "mnvault/vcrypto.h"

#define DISPOSAL_TEXT_MAX 300 /* bytes of a note or a decision's reason */
#define DISPOSAL_USER_MAX 32
#define DISPOSAL_DOC_MAX 32

enum disposal_state {
    DISPOSAL_PROPOSED = 0, /* waiting for a supervisor's decision */
    DISPOSAL_APPROVED,     /* approved; waiting to be executed */
    DISPOSAL_REJECTED,     /* a supervisor said no, with a reason */
    DISPOSAL_WITHDRAWN,    /* the proposer took it back */
    DISPOSAL_STALE,        /* the facts of an item changed after it was proposed */
    DISPOSAL_EXECUTED,     /* the numbers were deleted (a certificate records it) */
    DISPOSAL__STATES
};

struct disposal_proposal {
    int64_t id;
    enum disposal_state state;
    char proposed_by[DISPOSAL_USER_MAX + 1];
    int64_t proposed_at;
    char note[DISPOSAL_TEXT_MAX + 1];
    char decided_by[DISPOSAL_USER_MAX + 1]; /* approved, rejected, withdrawn, stale: who */
    int64_t decided_at;
    char reason[DISPOSAL_TEXT_MAX + 1];
    char executed_by[DISPOSAL_USER_MAX + 1];
    int64_t executed_at;
    long items, employees, dependants;
};

struct disposal_item {
    int64_t number_id;
    struct person_ref person;
    int64_t employee_id;
    char employee_code[PERSON_CODE_MAX + 1]; /* when proposed */
    char keep_until[11];                     /* "YYYY-MM-DD": the retention date passed */
    char doc[DISPOSAL_DOC_MAX + 1];          /* the kind of document that decided it */
    unsigned char digest[VCRYPTO_HASH_LEN];  /* the retention facts when proposed */
};

/* disposaldb_state_name / _parse: "proposed", "approved", …; DISPOSAL__STATES if unknown. */
const char *disposaldb_state_name(enum disposal_state s);
enum disposal_state disposaldb_state_parse(const char *name) MNV_NONNULL(1);

/*
 * disposaldb_insert: a new proposal p (state proposed; id, counts set here) with items
 * it[0..n), inside a write transaction. Returns MNV_OK, MNV_ERR_IN_PROPOSAL (a number is
 * in another proposal not yet decided or executed; diag->line = its number record) or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err disposaldb_insert(struct vault *v, struct disposal_proposal *p,
                                              const struct disposal_item *it, size_t n,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * disposaldb_in_open: *proposal = the proposal, proposed or approved, that holds number_id;
 * 0 when none.
 */
MNV_MUST_CHECK enum mnv_err disposaldb_in_open(struct vault *v, int64_t number_id,
                                               int64_t *proposal, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/* disposaldb_get: proposal id into *p. MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err disposaldb_get(struct vault *v, int64_t id, struct disposal_proposal *p,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * disposaldb_items: the items of proposal id, by number record, into a malloc'd array
 * (*out, free with free(); NULL when none) of *count.
 */
MNV_MUST_CHECK enum mnv_err disposaldb_items(struct vault *v, int64_t id,
                                             struct disposal_item **out, size_t *count,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/*
 * disposaldb_list: proposals, newest first: only those open (proposed or approved) when
 * open_only, else all; malloc'd (*out, free with free(); NULL when none).
 */
MNV_MUST_CHECK enum mnv_err disposaldb_list(struct vault *v, int open_only,
                                            struct disposal_proposal **out, size_t *count,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/*
 * disposaldb_decide: move proposal id from state `from` to `to`, recording by, time and
 * reason (the decision for approved, rejected, withdrawn, stale; the execution for
 * executed), inside a write transaction. Returns MNV_OK, MNV_ERR_PROPOSAL_STATE (not in
 * state from) or a database error.
 */
MNV_MUST_CHECK enum mnv_err disposaldb_decide(struct vault *v, int64_t id, enum disposal_state from,
                                              enum disposal_state to, const char *by, int64_t time,
                                              const char *reason, struct mnv_diag *diag)
    MNV_NONNULL(1, 5, 7);

/* disposaldb_count: how many proposals are in state s. */
MNV_MUST_CHECK enum mnv_err disposaldb_count(struct vault *v, enum disposal_state s, long *n,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 3);

#endif
