/* inidata.h (base layer): reading the shipped INI data files (purposes, identity rules) and the
 * configuration through iniparser, with the checks they share.
 */
#ifndef MNVAULT_INIDATA_H
#define MNVAULT_INIDATA_H

#include <stddef.h>

#include <iniparser.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

/*
 * inidata_load: iniparser_load(path) with iniparser's own messages silenced (they would
 * land on a curses screen; callers report errors in their own words). NULL when the file
 * cannot be read or parsed. Free with iniparser_freedict().
 */
MNV_MUST_CHECK dictionary *inidata_load(const char *path) MNV_NONNULL(1);

/*
 * inidata_open: load path, or when path is NULL the shipped data file name (paths.h), into
 * *out (free with iniparser_freedict()). *used is set to the path read (path itself, or a
 * static buffer valid until the next call). Returns MNV_OK; MNV_ERR_NOT_FOUND or MNV_ERR_IO
 * (diag->where and saved errno filled) when the file cannot be opened; MNV_ERR_TOO_LONG;
 * MNV_ERR_INVALID when it is not readable INI (the caller names its own file error).
 */
MNV_MUST_CHECK enum mnv_err inidata_open(const char *path, const char *name, dictionary **out,
                                         const char **used, struct mnv_diag *diag)
    MNV_NONNULL(2, 3, 4);

/* inidata_code_ok: 1 when code is 1..max characters of a-z, 0-9 and '_'. */
MNV_MUST_CHECK int inidata_code_ok(const char *code, size_t max) MNV_NONNULL(1);

/*
 * inidata_text: copy the value of "sec:key" into out (size bytes). Returns 0; 1 when the
 * key is missing and !required (out is then ""); -1 when it is missing but required,
 * empty but required, too long, not UTF-8, or holds a control character.
 */
MNV_MUST_CHECK int inidata_text(dictionary *d, const char *sec, const char *key, char *out,
                                size_t size, int required) MNV_NONNULL(1, 2, 3, 4);

#endif
