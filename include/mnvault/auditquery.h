/* auditquery.h (store layer): the audit log read a page at a time through a filter (user,
 * action, result, subjects, time range), newest or oldest first, from a place in the chain —
 * what the audit screen, the filtered export and the monthly review read. The user, action,
 * result and subject filters are served by indexes of schema step 9 (audit_by_user,
 * _action, _subject, _result); a time range becomes a range of seq (entries are written in
 * time order, auditquery_seq_at()), so a page costs about the same on a log of ten entries
 * or of a million.
 */
#ifndef MNVAULT_AUDITQUERY_H
#define MNVAULT_AUDITQUERY_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/auditlog.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

#define AUDITQUERY_SUBJECTS_MAX 64

/* A person whose entries are wanted: "employee"/"dependent" and the row id. Entries naming
 * the person (subject "employee:<id>") and the exports that held them (custody register)
 * both match. */
struct auditquery_person {
    const char *kind;
    int64_t id;
};

struct auditquery {
    const char *user;   /* NULL or "": any; else exactly (as stored, escaped) */
    const char *action; /* NULL or "": any; "disposal." (ends in '.'): every action under it */
    const char *result; /* NULL or "": any */
    const struct auditquery_person *persons; /* npersons 0: any */
    size_t npersons;
    int64_t from, to; /* entries with from <= time < to; 0: open */
    uint64_t below;   /* only seq < below (0: no bound) */
    uint64_t above;   /* only seq > above */
    int oldest_first; /* 0: newest first */
};

/*
 * auditquery_page: at most n entries matching q into out[0..*count), in q's order. Runs in
 * the caller's transaction (or none). Returns MNV_OK, MNV_ERR_INVALID (too many persons),
 * or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditquery_page(struct vault *v, const struct auditquery *q, size_t n,
                                            struct audit_entry *out, size_t *count,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2, 4, 5);

/*
 * auditquery_each: every entry matching q, in q's order, to fn (a nonzero return stops).
 * Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditquery_each(struct vault *v, const struct auditquery *q,
                                            auditlog_fn fn, void *ud, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* auditquery_get: the entry seq into *out; MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err auditquery_get(struct vault *v, uint64_t seq, struct audit_entry *out,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * auditquery_seq_at: the first seq whose time is at or after t, by bisection over the chain
 * (entries are appended in time order); head + 1 when every entry is older.
 */
MNV_MUST_CHECK enum mnv_err auditquery_seq_at(struct vault *v, int64_t t, uint64_t *seq,
                                              struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* auditquery_head: the newest entry's seq and time (0, 0 for an empty log). */
MNV_MUST_CHECK enum mnv_err auditquery_head(struct vault *v, uint64_t *seq, int64_t *time,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

#endif
