/*
 * form_priv.h: what the files of the form module share (service layer, private to
 * src/service): the kept sections of a layout, the parsing of one field, the head and the
 * rules (form.c, form_head.c, form_rules.c, form_codes.c, formrec.c).
 */
#ifndef MNVAULT_FORM_PRIV_H
#define MNVAULT_FORM_PRIV_H

#include <stddef.h>

#include <iniparser.h>

#include "mnvault/form.h"

/* Keys of sections form.c does not interpret ("section.key", lower case), kept for the
 * sinks, the code tables and the rules. */
struct form_extra {
    char **keys, **vals;
    size_t count;
    size_t kcap, vcap; /* room of keys and vals (alloc_grow) */
};

/* The items of the insurance filings (form_items_ins.c), after form.c's own. */
extern const struct form_item form_items_insurance[];
extern const size_t form_items_insurance_count;

/*
 * form_parse_field: "item | H/Z | length | chars | required | name | confidence" into *f at
 * position pos; where ("[fields] 7") names it in messages. MNV_OK or MNV_ERR_FORM_FILE.
 */
MNV_MUST_CHECK enum mnv_err form_parse_field(struct form_field *f, int pos, const char *where,
                                             const char *value, struct mnv_diag *diag);

/* form_head_read: the [head] and [limits] sections of d into l (form_head.c). */
MNV_MUST_CHECK enum mnv_err form_head_read(dictionary *d, struct form_layout *l,
                                           struct mnv_diag *diag);

/* form_rules_read: parse the kept "rules.*" keys of l into l->rules (form_rules.c). */
MNV_MUST_CHECK enum mnv_err form_rules_read(struct form_layout *l, struct mnv_diag *diag);

/* form_rules_free: release parsed rules; NULL allowed. */
void form_rules_free(struct form_rules *rs);

/*
 * form_rules_check: the faults of r against its layout's rules, as form_record_check()
 * reports them (up to max written to faults); returns how many in all.
 */
size_t form_rules_check(const struct form_record *r, struct form_fault *faults, size_t max);

#endif
