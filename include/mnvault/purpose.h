/* purpose.h (service layer): purposes of use (利用目的) and their limitation.
 *
 * The purposes are data (purposecat.h reads data/purposes.ini). Each stored number
 * carries the purposes notified to the person, each with its date (numberdb.h); one added
 * later is a new notification. Every use of a number (reveal now; export and transfer
 * later) names a purpose, and purpose_require() refuses, and audits, a purpose that was
 * not notified for that number.
 */
#ifndef MNVAULT_PURPOSE_H
#define MNVAULT_PURPOSE_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/person.h"
#include "mnvault/purposecat.h"

struct session;

/*
 * purpose_notify: record that purpose code was notified to the person ref on date (role:
 * purpose.notify). The person must have a registered number. Audited "purpose.notify".
 * Returns MNV_OK, MNV_ERR_PURPOSE_UNKNOWN, MNV_ERR_FIELD_DATE, MNV_ERR_NUMBER_NONE,
 * MNV_ERR_PURPOSE_NOTIFIED, MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err purpose_notify(struct session *s, const struct person_ref *ref,
                                           const char *code, const char *date,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/*
 * purpose_require: is purpose code notified for the number of ref? To be called by every
 * use of a number before the use begins its transaction (the refusal's entry is committed
 * here, whatever the caller does next); use names it ("reveal", "export"…). Returns
 * MNV_OK; MNV_ERR_PURPOSE_UNKNOWN; MNV_ERR_PURPOSE_NOT_NOTIFIED with diag->item = the code
 * and the refusal audited (action = use, result "refused"); MNV_ERR_INVALID when called
 * inside a transaction.
 */
MNV_MUST_CHECK enum mnv_err purpose_require(struct session *s, const struct person_ref *ref,
                                            const char *code, const char *use,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

#endif
