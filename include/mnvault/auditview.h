/* auditview.h (service layer): the audit log as auditors and supervisors read it — a filter
 * (user, action, person, result, period) resolved once, pages of entries newest or oldest
 * first from any place in a log of a million entries, one entry in words (who the subject
 * is, the details as pairs), and the filtered view exported as CSV (audited). The screen
 * (F8) and `mnvault audit list|export` both read through it.
 */
#ifndef MNVAULT_AUDITVIEW_H
#define MNVAULT_AUDITVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/auditlog.h"
#include "mnvault/auditor.h"
#include "mnvault/auditquery.h"
#include "mnvault/err.h"
#include "mnvault/person.h"

struct session;

/* What the reader asks for; "" leaves a field open. */
struct auditview_filter {
    char user[AUDIT_USER_MAX + 1];     /* a user name, exactly */
    char action[AUDIT_ACTION_MAX + 1]; /* "reveal", or "disposal." for every disposal action */
    char person[PERSON_CODE_MAX + 1];  /* an employee's code: the employee, their dependants,
                                        * and the exports that held any of them */
    char result[AUDIT_RESULT_MAX + 1]; /* ok, denied, refused, failed, begun */
    char from[11], to[11];             /* YYYY-MM-DD, local days, both included */
};

/* A filter resolved against the vault: the query the store runs. */
struct auditview {
    struct session *s;
    struct auditview_filter filter;
    struct auditquery q; /* below/above/oldest_first are set per page */
    struct auditquery_person persons[AUDITQUERY_SUBJECTS_MAX];
    char user[AUDIT_USER_MAX + 1]; /* the filter's text escaped as the log stores it */
    char action[AUDIT_ACTION_MAX + 1];
    char result[AUDIT_RESULT_MAX + 1];
    uint64_t lo, hi;   /* the period as seq: lo <= seq < hi */
    uint64_t head;     /* the newest entry when opened */
    int64_t head_time; /* and its time */
};

/* auditview_filter_init: every field open. */
void auditview_filter_init(struct auditview_filter *f) MNV_NONNULL(1);

/* auditview_filter_empty: 1 when no field is given. */
int auditview_filter_empty(const struct auditview_filter *f) MNV_NONNULL(1);

/*
 * auditview_open: resolve f into *v (role audit.read): the person's code to the employee and
 * dependants, the period to a range of entries. Returns MNV_OK; MNV_ERR_AUDIT_FILTER_DATE
 * (diag->item "from"/"to"), MNV_ERR_AUDIT_FILTER_ORDER, MNV_ERR_PERSON_NOT_FOUND (item
 * "person"), MNV_ERR_DENIED, or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditview_open(struct session *s, const struct auditview_filter *f,
                                           struct auditview *v, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * auditview_older: at most n matching entries older than seq `before` (0: from the newest),
 * newest first. auditview_newer: at most n matching entries newer than `after` (0: from the
 * oldest), oldest first. Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditview_older(struct auditview *v, uint64_t before, size_t n,
                                            struct audit_entry *out, size_t *count,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 4, 5);
MNV_MUST_CHECK enum mnv_err auditview_newer(struct auditview *v, uint64_t after, size_t n,
                                            struct audit_entry *out, size_t *count,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 4, 5);

/* auditview_get: entry seq (role audit.read); MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err auditview_get(struct session *s, uint64_t seq, struct audit_entry *out,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * auditview_subject: an entry's subject as a person reads it, into out: the employee's code
 * ("E0001", "E0001 dependant 2"), "(deleted person)", a copy in the custody register
 * ("export copy 3"), a proposal, or the text itself (a user name). Never an internal id.
 */
void auditview_subject(struct session *s, const char *subject, char *out, size_t size)
    MNV_NONNULL(1, 2, 3);

/* auditview_action_label: the translated name of an action ("表示" for "reveal"); the
 * action itself when it has none. auditview_result_label: the same for a result. */
const char *auditview_action_label(const char *action) MNV_NONNULL(1);
const char *auditview_result_label(const char *result) MNV_NONNULL(1);

/*
 * auditview_value: a detail's value as a person reads it, into out: a purpose code as its
 * name ("源泉徴収票 (tax_withholding)"), anything else as it is. Returns out.
 */
char *auditview_value(struct session *s, const char *key, const char *value, char *out, size_t size)
    MNV_NONNULL(1, 2, 3, 4);

/*
 * auditview_detail_next: the next "key=value" of an entry's detail from *pos (start at 0):
 * a key is lower-case letters, digits, '_' and '.', and a value runs to the next " key=".
 * Returns 1 with key and value filled (value may be ""; a word without '=' has key ""), 0 at
 * the end.
 */
int auditview_detail_next(const char *detail, size_t *pos, char *key, size_t ksize, char *value,
                          size_t vsize) MNV_NONNULL(1, 2, 3, 5);

/* auditview_detail_value: the value of key in an entry's detail into out (size bytes, cut
 * to fit); "" when the detail has no such key. Returns out. */
char *auditview_detail_value(const char *detail, const char *key, char *out, size_t size)
    MNV_NONNULL(1, 2, 3);

/*
 * auditview_export_csv: every entry of v's filter, oldest first, as CSV (seq, time (UTC),
 * user, role, action, subject (a person as auditview_subject(), other subjects as stored:
 * "proposal:3", "custody:2"), result, detail; UTF-8, CRLF, every
 * field quoted, a leading = + - @ neutralised) to fd (role audit.export; audited as
 * "audit.export" with the filter before the first entry is read). *rows = entries written.
 * Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_IO, or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditview_export_csv(struct auditview *v, int fd, uint64_t *rows,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * auditview_export_file: auditview_export_csv() into the file at path (mode 0600, written
 * whole or not at all through atomicfile.h; an existing file is replaced).
 */
MNV_MUST_CHECK enum mnv_err auditview_export_file(struct auditview *v, const char *path,
                                                  uint64_t *rows, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* ---- the state of the log (auditview_state.c) ----------------------------------------- */

/* How a line of the state reads: fine, worth a look, or wrong. */
enum auditview_tone { AUDITVIEW_FINE, AUDITVIEW_NOTE, AUDITVIEW_BAD };

/* What the log's protections say now, for a screen or `mnvault audit status`. */
struct auditview_state {
    struct audit_last_check last;           /* the last verification of the chain or the vault */
    struct auditseal_status seal;           /* the sealing as stored */
    const char *seal_problem;               /* message id: the seals do not fit the log; NULL */
    int key_checked;                        /* the seals were once checked with the seal key: */
    int64_t key_time;                       /*   when, */
    int key_ok;                             /*   and whether every seal held */
    int have_checkpoint;                    /* a checkpoint was taken: */
    uint64_t checkpoint_seq;                /*   of this entry, */
    int64_t checkpoint_time;                /*   then, */
    char checkpoint_by[AUDIT_USER_MAX + 1]; /* by this user */
};

/*
 * auditview_state: the last verification, the sealing, the last check with the seal key
 * and the last checkpoint (role audit.read). Reads only; writes no audit entry. Returns
 * MNV_OK, MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err auditview_state(struct session *s, struct auditview_state *st,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* The lines of the state, in words a person reads (translated). */
enum auditview_state_line { AUDITVIEW_LINE_CHAIN, AUDITVIEW_LINE_SEAL, AUDITVIEW_LINE_CHECKPOINT };

/* auditview_state_text: one line of st into buf; returns its tone. */
enum auditview_tone auditview_state_text(const struct auditview_state *st,
                                         enum auditview_state_line line, char *buf, size_t size)
    MNV_NONNULL(1, 3);

#endif
