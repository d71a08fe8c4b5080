/* review.h (service layer): the monthly review of the audit log (監査ログの定期点検). A report
 * for a period — reveals per user and purpose, exports, imports, refusals, failed and
 * out-of-window logins, and unusual patterns (many reveals in a short time, access at
 * night) — read from the log (auditquery.h); a supervisor signs a whole month in the
 * application, and the signature is itself an audit entry ("review.sign", subject
 * "review:YYYY-MM", with a digest of the report's figures), so the log holds its own
 * review and nobody can sign for a month twice or unseen. review_status() lists the months
 * since the vault began, signed or not, for the dashboard's reminder.
 */
#ifndef MNVAULT_REVIEW_H
#define MNVAULT_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/auditlog.h"
#include "mnvault/err.h"

struct session;

/* The patterns that are fixed here, not in a file a reviewed user could edit. */
#define REVIEW_BURST_REVEALS 10  /* this many reveals by one user … */
#define REVIEW_BURST_SECONDS 600 /* … within ten minutes is a burst */
#define REVIEW_NIGHT_FROM 22     /* entries of a user from 22:00 … */
#define REVIEW_NIGHT_TO 6        /* … to 06:00, local time, are night access */
#define REVIEW_LIST_MAX 50       /* entries listed per section (the counts are complete) */
#define REVIEW_NOTE_MAX 200      /* bytes of the signer's note */

/* How many entries of one kind by one user ("what" = a purpose code, an action). */
struct review_count {
    char user[AUDIT_USER_MAX + 1];
    char what[AUDIT_ACTION_MAX + 1];
    long n;
};

/* Many reveals by one user in a short time. */
struct review_burst {
    char user[AUDIT_USER_MAX + 1];
    int64_t first, last; /* times of the first and last reveal of the run */
    long reveals;
};

/* A list of entries of one section: the first REVIEW_LIST_MAX, and how many there were. */
struct review_list {
    struct audit_entry *items;
    size_t count;
    long total;
};

struct review_report {
    char month[8];         /* "2026-11" for a month; "" for another period */
    char from[11], to[11]; /* the period's days, both included */
    int64_t t_from, t_to;  /* from <= time < to */
    uint64_t entries;      /* entries in the period */
    uint64_t seq_first, seq_last;
    struct review_count *reveals; /* per user and purpose, by user then purpose */
    size_t n_reveals;
    long reveals_total;
    struct review_list exports;   /* action "export", every result */
    struct review_count *imports; /* per user and action (import, payroll.import …) */
    size_t n_imports;
    struct review_list refusals;       /* result denied or refused */
    struct review_count *login_failed; /* per user and action (login.failed, lockout …) */
    size_t n_login_failed;
    struct review_list outside; /* logins denied: out of the access window, expired, disabled */
    struct review_burst *bursts;
    size_t n_bursts;
    struct review_count *night; /* per user, what = "" */
    size_t n_night;
    struct review_list night_entries;
    char digest[65]; /* SHA-256 (hex) over the figures: what a signature covers */
    /* the month's signature, when signed */
    int signed_;
    char signed_by[AUDIT_USER_MAX + 1];
    int64_t signed_at;
    uint64_t signed_seq;
    char signed_digest[65];
    char note[REVIEW_NOTE_MAX + 1];
};

/*
 * review_report_month: the report for month "YYYY-MM" (local days) into *r (role
 * audit.read; free with review_report_free()), with the month's signature if it has one.
 * review_report_period: the same for days from..to (YYYY-MM-DD or 和暦, both included).
 * Returns MNV_OK, MNV_ERR_REVIEW_MONTH (not a month), MNV_ERR_AUDIT_FILTER_DATE,
 * MNV_ERR_AUDIT_FILTER_ORDER, MNV_ERR_DENIED, MNV_ERR_NOMEM or a database error.
 */
MNV_MUST_CHECK enum mnv_err review_report_month(struct session *s, const char *month,
                                                struct review_report *r, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);
MNV_MUST_CHECK enum mnv_err review_report_period(struct session *s, const char *from,
                                                 const char *to, struct review_report *r,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);
void review_report_free(struct review_report *r);

/*
 * review_sign: a supervisor signs month "YYYY-MM" after reading its report (role
 * review.sign): the report is made again and its digest must equal `digest` (what the
 * signer read; NULL signs what is there now), then one audit entry "review.sign" records
 * it (subject "review:YYYY-MM"; period, counts, digest, note). Refused: a month not over
 * yet (MNV_ERR_REVIEW_OPEN), a month signed already (MNV_ERR_REVIEW_SIGNED), a report that
 * changed since it was read (MNV_ERR_REVIEW_CHANGED), a note holding a number
 * (MNV_ERR_FIELD_NUMBER) or too long. Returns MNV_OK or the error; *r is the signed report.
 */
MNV_MUST_CHECK enum mnv_err review_sign(struct session *s, const char *month, const char *digest,
                                        const char *note, struct review_report *r,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 2, 4, 5);

/* One month since the vault began. */
struct review_month {
    char month[8];
    int signed_;
    char signed_by[AUDIT_USER_MAX + 1];
    int64_t signed_at;
};

/*
 * review_status: every whole month from the vault's first entry up to the last month that
 * is over (at most the last 36), oldest first, into a malloc'd array (free()); *unsigned_n
 * = how many of them nobody signed. Role audit.read. Returns MNV_OK, MNV_ERR_DENIED,
 * MNV_ERR_NOMEM or a database error.
 */
MNV_MUST_CHECK enum mnv_err review_status(struct session *s, struct review_month **months,
                                          size_t *n, size_t *unsigned_n, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

struct strbuf;

/*
 * review_text: the report as lines a person reads (translated; at most 78 columns of
 * ASCII-width text; names of persons as auditview_subject(), never an internal id), for the
 * terminal, the screen and a file. Appends to out; returns strbuf_error(out).
 */
MNV_MUST_CHECK enum mnv_err review_text(struct session *s, const struct review_report *r,
                                        struct strbuf *out) MNV_NONNULL(1, 2, 3);

/* review_last_month: the month before today's ("YYYY-MM", local time) into out[8]. */
char *review_last_month(char out[8]) MNV_NONNULL(1);

#endif
