/*
 * insurance_priv.h: what the insurance service's files share (service layer, private to
 * src/service): the scope and order checks and the merge of changes into a person's facts,
 * used by insurance.c (one person) and insurance_import.c (a file).
 */
#ifndef MNVAULT_INSURANCE_PRIV_H
#define MNVAULT_INSURANCE_PRIV_H

#include <stddef.h>

#include "mnvault/insurance.h"

/* insurance_fact_fits: 1 when fact f is kept for ref (rel: a dependant's relation). */
int insurance_fact_fits(const struct insurance_fact *f, const struct person_ref *ref,
                        enum dependent_relation rel);

/*
 * insurance_order_fault: with vals[k] the value of insurance_fact_at(k) for k < nfacts,
 * the key of the first date that lies before the date it follows (喪失 before 取得 …), or
 * NULL.
 */
const char *insurance_order_fault(const char *const vals[], size_t nfacts);

/*
 * insurance_merge: apply ch[0..n) to old (facts of ref) and write the new stored text into
 * text (size bytes; *len used); *changed = facts that changed, their keys comma-separated
 * into keys. Each value is checked (insurance_fact_check) and for its scope, then the
 * order of dates. Returns MNV_OK or the first error with diag->item = the fact's key.
 */
MNV_MUST_CHECK enum mnv_err insurance_merge(const struct insurance_facts *old,
                                            const struct person_ref *ref,
                                            enum dependent_relation rel,
                                            const struct insurance_change *ch, size_t n, char *text,
                                            size_t size, size_t *len, size_t *changed, char *keys,
                                            size_t ksize, struct mnv_diag *diag);

#endif
