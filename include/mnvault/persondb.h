/* persondb.h (store layer): employees and their dependents as rows of vault.db, and the
 * compact list the terminal application filters in memory (100,000 employees in one read
 * transaction). The types and the checks of every field are the person model (person.h):
 * rows given here are validated already. My Numbers are never here: see numberdb.h.
 */
#ifndef MNVAULT_PERSONDB_H
#define MNVAULT_PERSONDB_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/person.h"
#include "mnvault/vault.h"

/* --- Rows (inside transactions) ------------------------------------------------------------ */

/*
 * persondb_employee_insert: insert e (already validated) and set e->id and times. Returns
 * MNV_OK, MNV_ERR_CODE_TAKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_insert(struct vault *v, struct employee *e,
                                                     struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* persondb_employee_get: employee id into *e; MNV_ERR_PERSON_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err persondb_employee_get(struct vault *v, int64_t id, struct employee *e,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 3);

/*
 * persondb_employee_update: store e (validated) over the row e->id; *changed receives the
 * enum employee_field bits that differ from the stored row (0: nothing written). Returns
 * MNV_OK, MNV_ERR_PERSON_NOT_FOUND, MNV_ERR_CODE_TAKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_update(struct vault *v, struct employee *e,
                                                     unsigned *changed, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * persondb_employee_delete: delete employee id with its dependents and number records.
 * Returns MNV_OK or MNV_ERR_PERSON_NOT_FOUND.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_delete(struct vault *v, int64_t id,
                                                     struct mnv_diag *diag) MNV_NONNULL(1);

/* persondb_dependent_insert / _get / _update / _delete: as for employees. */
MNV_MUST_CHECK enum mnv_err persondb_dependent_insert(struct vault *v, struct dependent *d,
                                                      struct mnv_diag *diag) MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err persondb_dependent_get(struct vault *v, int64_t id, struct dependent *d,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 3);
MNV_MUST_CHECK enum mnv_err persondb_dependent_update(struct vault *v, struct dependent *d,
                                                      unsigned *changed, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);
MNV_MUST_CHECK enum mnv_err persondb_dependent_delete(struct vault *v, int64_t id,
                                                      struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * persondb_dependent_set_left: record that dependent id left the employee's 扶養 on date
 * (checked by the caller with person_check_left()); "" clears it. Inside a write
 * transaction. Returns MNV_OK, MNV_ERR_PERSON_NOT_FOUND or a database error.
 */
MNV_MUST_CHECK enum mnv_err persondb_dependent_set_left(struct vault *v, int64_t id,
                                                        const char *date, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/*
 * persondb_dependents_of: the dependents of employee_id into a malloc'd array (*out, free
 * with free()) of *count entries, by id.
 */
MNV_MUST_CHECK enum mnv_err persondb_dependents_of(struct vault *v, int64_t employee_id,
                                                   struct dependent **out, size_t *count,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

/* persondb_exists: 1 when the person exists, 0 when not, negative mnv_err on failure. */
int persondb_exists(struct vault *v, const struct person_ref *ref) MNV_NONNULL(1, 2);

/*
 * persondb_employee_find: the id of the employee with this code into *id. Returns MNV_OK,
 * MNV_ERR_PERSON_NOT_FOUND or a database error.
 */
MNV_MUST_CHECK enum mnv_err persondb_employee_find(struct vault *v, const char *code, int64_t *id,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* --- The compact list and counts ------------------------------------------------------------- */

/*
 * persondb_list: every employee as a compact row, in one read transaction of its own when
 * none is open. Free with person_list_free().
 */
MNV_MUST_CHECK enum mnv_err persondb_list(struct vault *v, struct person_list *out,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * persondb_list_first: the first limit current (not retired) employees in code order, as
 * persondb_list would give them: what the list shows first, read in milliseconds while the
 * whole list is still to come.
 */
MNV_MUST_CHECK enum mnv_err persondb_list_first(struct vault *v, long limit,
                                                struct person_list *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/*
 * persondb_list_each: every employee with what the list shows of it beside its number
 * (code, name, reading, hire date, retired; status NUMBER_MISSING, purposes "", dependents
 * and verified 0: ask persondb_row_detail for the rows shown), in code order, to fn one at
 * a time while the query steps (fn must not use v; a return other than MNV_OK stops and is
 * returned). In one read transaction of its own when none is open. Reads the list's own
 * index (schema step 15), not the table: at 100,000 employees about 40 % of the pages of
 * the employees table and a tenth of what persondb_list reads; holds nothing itself.
 */
MNV_MUST_CHECK enum mnv_err persondb_list_each(struct vault *v, person_row_fn fn, void *ud,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * persondb_row_detail: the number status, purposes, dependents and identity check of
 * employee id, as persondb_list gives them (a missing employee: the values of none).
 * Inside a read transaction. Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err persondb_row_detail(struct vault *v, int64_t id,
                                                struct person_detail *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/* persondb_counts: the figures of the dashboard. */
MNV_MUST_CHECK enum mnv_err persondb_counts(struct vault *v, struct person_counts *c,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
