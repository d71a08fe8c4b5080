/* custody.h (service layer): the custody register of exported files (rows in custodydb.h).
 *
 * Every file an export writes (a filing with or without My Numbers, a copy for the
 * employee) gets an entry: an id, the file's SHA-256, size and name, the form, year, copy
 * and purpose, where it is going (税務署, 市区町村, 本人, 委託先), how many slips, persons and
 * My Numbers it holds, whether it was packed in an encrypted zip, who wrote it and when. A
 * copy then moves on: marked submitted (提出済), destroyed (廃棄済) or returned (返却済), each
 * change with who, when and a note, and audited. The register holds no number and no name;
 * which persons a file held is kept as internal ids only, so that disposal can name the
 * copies still outstanding for a person (custody_outstanding()).
 *
 * States: writing (the export has begun; a crash leaves it here) → written → submitted,
 * destroyed or returned (final); writing → failed (the export stopped; the file was
 * removed) or destroyed (a crashed export's leftover was removed by hand).
 */
#ifndef MNVAULT_CUSTODY_H
#define MNVAULT_CUSTODY_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/custodydb.h"
#include "mnvault/err.h"
#include "mnvault/persondb.h"

struct session;

/* custody_state_label: 書出し中 / Being written … as a msgid (translate with _()). */
const char *custody_state_label(enum custody_state s);

/*
 * custody_list: the entries matching f (NULL: all), newest first, into a malloc'd array
 * (*out, free with free()) of *count (role: custody.read). Not audited (no personal data).
 * Returns MNV_OK, MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err custody_list(struct session *s, const struct custody_filter *f,
                                         struct custody_entry **out, size_t *count,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/* custody_get: one entry (custody.read). MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err custody_get(struct session *s, int64_t id, struct custody_entry *out,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * custody_mark: move entry id to state to (submitted, destroyed or returned; or failed for
 * an entry stuck in writing) with a note (may be "" or NULL; never a My Number), by the
 * session's user (role: custody.mark). Audited "custody.mark" (subject custody:<id>,
 * detail from=… to=…). Returns MNV_OK, MNV_ERR_NOT_FOUND, MNV_ERR_CUSTODY_STATE (not a move
 * the register allows, e.g. a destroyed copy cannot be submitted), MNV_ERR_FIELD_LONG /
 * FIELD_CHARS / FIELD_NUMBER (the note), MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err custody_mark(struct session *s, int64_t id, enum custody_state to,
                                         const char *note, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * custody_outstanding: the ids of the entries still in the office's hands (writing or
 * written) whose file held the My Number of ref, oldest first, into a malloc'd array (*ids,
 * free with free()) of *count (role: custody.read). For disposal: a number is not gone
 * while such a copy exists. Returns MNV_OK, MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err custody_outstanding(struct session *s, const struct person_ref *ref,
                                                int64_t **ids, size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

/* custody_hash_hex: the entry's SHA-256 as 64 lower-case hex digits into out ("" if none). */
char *custody_hash_hex(const struct custody_entry *e, char out[65]) MNV_NONNULL(1, 2);

#endif
