/*
 * purpose.h: purposes of use (利用目的) and their limitation (service layer).
 *
 * The purposes are data: data/purposes.ini, one section per purpose code with its Japanese
 * and English names and the filings it covers (doc/purposes.md). Each stored number
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

struct session;

#define PURPOSE_NAME_MAX 320
#define PURPOSE_FILINGS_MAX 256
#define PURPOSE_SHORT_MAX 48
#define PURPOSE_FILE "purposes.ini"

struct purpose_def {
    char code[PURPOSE_CODE_MAX + 1];    /* e.g. "tax_withholding" */
    char name_ja[PURPOSE_NAME_MAX + 1]; /* as notified to the person */
    char name_en[PURPOSE_NAME_MAX + 1];
    char short_ja[PURPOSE_SHORT_MAX + 1];  /* for screens: 源泉徴収票 */
    char short_en[PURPOSE_SHORT_MAX + 1];  /* for screens: Withholding slips */
    char filings[PURPOSE_FILINGS_MAX + 1]; /* filing codes it covers, comma-separated */
};

struct purpose_catalog {
    struct purpose_def *items; /* in file order */
    size_t count;
};

/*
 * purpose_catalog_load: read the purposes file at path (NULL: purposes.ini in the data
 * folder, paths.h) into *out (free with purpose_catalog_free()). Codes are 1-32 of [a-z0-9_];
 * every section needs ja, en and filings. Returns MNV_OK, MNV_ERR_NOT_FOUND, or
 * MNV_ERR_PURPOSES_FILE with diag->where = the file and diag->item = the section.key at fault.
 */
MNV_MUST_CHECK enum mnv_err purpose_catalog_load(const char *path, struct purpose_catalog *out,
                                                 struct mnv_diag *diag) MNV_NONNULL(2);

/* purpose_catalog_free: release the items; c may be empty. */
void purpose_catalog_free(struct purpose_catalog *c);

/* purpose_find: the purpose with this code, or NULL. Borrowed from c. */
const struct purpose_def *purpose_find(const struct purpose_catalog *c, const char *code)
    MNV_NONNULL(1, 2);

/* purpose_covers: 1 when p lists filing among the filings it covers. */
MNV_MUST_CHECK int purpose_covers(const struct purpose_def *p, const char *filing)
    MNV_NONNULL(1, 2);

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
