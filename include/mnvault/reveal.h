/* reveal.h (service layer): showing a stored My Number in full, deliberately.
 *
 * A reveal needs the role (number.reveal: clerks and supervisors), a purpose of use that
 * was notified for that number (purpose.h), and a reason in words (which must not itself
 * contain a My Number in any form: numtext.h, any-run rule). It is audited ("reveal", with the
 * purpose and the reason) in the same transaction that reads the number, and the number is handed
 * over only after that entry is committed. Refusals (role, purpose) are audited too. The screens
 * mask the number again after reveal_seconds and on lock.
 */
#ifndef MNVAULT_REVEAL_H
#define MNVAULT_REVEAL_H

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/mynumber.h"
#include "mnvault/person.h"

struct session;

#define REVEAL_REASON_MAX 200 /* bytes */

/*
 * reveal_number: decrypt the number of ref into *out for purpose code, giving reason.
 * out must be secmem (secmem_alloc(sizeof(struct mynumber))); clear it with
 * mynumber_clear() as soon as it is off the screen. Returns MNV_OK, MNV_ERR_DENIED,
 * MNV_ERR_REASON_NEEDED, MNV_ERR_REASON_NUMBER, MNV_ERR_FIELD_LONG (reason too long),
 * MNV_ERR_PURPOSE_UNKNOWN, MNV_ERR_PURPOSE_NOT_NOTIFIED (diag->item = the code),
 * MNV_ERR_NUMBER_NONE, MNV_ERR_SEAL_BROKEN, MNV_ERR_EPOCH_GONE, or the session's state.
 * On any failure *out holds no digit.
 */
MNV_MUST_CHECK enum mnv_err reveal_number(struct session *s, const struct person_ref *ref,
                                          const char *purpose, const char *reason,
                                          struct mynumber *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4, 5);

/*
 * reveal_masked: how ref's number shows in a masked display ([display] mask) into buf
 * (MYNUMBER_FORMAT_SIZE bytes): "**** **** ****" always for MYNUMBER_MASK_NONE and for roles
 * that may not reveal; with MYNUMBER_MASK_LAST4 and a role that may, the last four digits
 * ("**** **** 9018"), never more: the number is decrypted in secmem, its last four taken and
 * the rest wiped. Not audited (no number is shown). person.view. Returns MNV_OK;
 * MNV_ERR_NUMBER_NONE (none stored), MNV_ERR_EPOCH_GONE, MNV_ERR_SEAL_BROKEN, MNV_ERR_DENIED
 * or a database error, with buf holding the fully masked form in every case but MNV_OK.
 */
MNV_MUST_CHECK enum mnv_err reveal_masked(struct session *s, const struct person_ref *ref,
                                          enum mynumber_mask mask, char buf[MYNUMBER_FORMAT_SIZE],
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2, 4);

#endif
