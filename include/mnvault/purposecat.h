/* purposecat.h (base layer): the catalogue of purposes of use (利用目的), read from
 * data/purposes.ini: one section per purpose code with its Japanese and English names, short
 * names for screens, and the filings it covers (doc/purposes.md). The session loads it at
 * login (session_purposes()); purpose.h applies it to stored numbers.
 */
#ifndef MNVAULT_PURPOSECAT_H
#define MNVAULT_PURPOSECAT_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/person.h"

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

#endif
