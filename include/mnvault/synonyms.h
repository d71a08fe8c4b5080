/* synonyms.h (base layer): words that people and payroll systems write for a coded value
 * ("男性" for the sex code M, "配偶者" for the relation spouse), read from a shipped INI
 * data file so that a new word is a data change (data/import-words.ini). Each section is a
 * column; each key a code; its value the words, separated by commas (spaces around a word
 * are dropped). iniparser folds keys to lower case, so codes are looked up in lower case.
 */
#ifndef MNVAULT_SYNONYMS_H
#define MNVAULT_SYNONYMS_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/strmap.h"

struct synonyms {
    struct strmap words; /* "section\x1fword" → index into codes */
    char **codes;        /* "section\x1fcode", malloc'd */
    size_t ncodes;
};

/*
 * synonyms_load: read path, or when path is NULL the shipped data file name, into *out (free
 * with synonyms_free()). A word given twice in one section is an error. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND / MNV_ERR_IO (diag->where), MNV_ERR_INVALID with diag->where = the file
 * and diag->item = the section.code at fault, or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err synonyms_load(const char *path, const char *name, struct synonyms *out,
                                          struct mnv_diag *diag) MNV_NONNULL(2, 3);

/* synonyms_code: the code (lower case) that word means in section, or NULL. Borrowed from s. */
const char *synonyms_code(const struct synonyms *s, const char *section, const char *word)
    MNV_NONNULL(1, 2, 3);

/* synonyms_free: release everything; s is empty afterwards. */
void synonyms_free(struct synonyms *s) MNV_NONNULL(1);

#endif
