/* review_priv.h (service layer, private to review*.c): building a report (review.c) for the
 * signing and status (review_sign.c). */
#ifndef MNVAULT_REVIEW_PRIV_H
#define MNVAULT_REVIEW_PRIV_H

#include "mnvault/review.h"
#include "mnvault/vault.h"

/* The month "YYYY-MM" into its first and last days (YYYY-MM-DD); -1 when it is no month. */
int review_month_days(const char *month, char from[11], char to[11]);

/* Fill r for the days r->from..r->to (already set) from the log, in the caller's read
 * transaction; then the month's signature when r->month is set. */
enum mnv_err review_build(struct session *s, struct vault *v, struct review_report *r,
                          struct mnv_diag *diag);

/* The newest "review.sign" entry of month into r's signature fields (r->signed_ 0: none). */
enum mnv_err review_find_signature(struct vault *v, const char *month, struct review_report *r,
                                   struct mnv_diag *diag);

#endif
