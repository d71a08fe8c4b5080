/* auditor_int.h: what auditor.c and auditor_seal.c share (service layer, not installed). */
#ifndef MNVAULT_AUDITOR_INT_H
#define MNVAULT_AUDITOR_INT_H

#include "mnvault/err.h"

struct session;

/* Remember the last verification (kind "audit" or "vault") for the dashboard, and audit
 * it as "audit.verify" / "vault.verify" with detail, in one transaction. */
enum mnv_err auditor_store_result(struct session *s, const char *kind, int ok, const char *detail);

#endif
