/*
 * disposal_priv.h: what the files of the disposal service share (service layer, private to
 * src/service/disposal*.c).
 */
#ifndef MNVAULT_DISPOSAL_PRIV_H
#define MNVAULT_DISPOSAL_PRIV_H

#include "mnvault/disposal.h"

/*
 * disposal_fill_item: the item for subject s with verdict v: who, the retention date, the
 * deciding kind of document and the digest of the facts (no digit of the number).
 */
void disposal_fill_item(const struct retention_rules *r, const struct retention_subject *s,
                        const struct retention_verdict *v, struct disposal_item *it);

/*
 * disposal_first_changed: inside a transaction, the number record of the first item of
 * items[0..n) (sorted by number record) that is no longer due with the facts it was
 * proposed on, or that is gone; *changed = 0 when none.
 */
enum mnv_err disposal_first_changed(struct vault *v, const struct retention_rules *r,
                                    const struct disposal_item *items, size_t n, int64_t *changed,
                                    struct mnv_diag *diag);

/* disposal_name_row: the names of row's person and of the household's employee. */
enum mnv_err disposal_name_row(struct vault *v, struct disposal_row *row, struct mnv_diag *diag);

#endif
