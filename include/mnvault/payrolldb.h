/* payrolldb.h (store layer): each employee's year-end figures (年末調整の結果) as rows of vault.db.
 * The figures are personal data, so they are encrypted the way numbers are: each row has its own
 * random data key, wrapped by the current epoch key (kept only in the key file), and the figures
 * are sealed under it.
 *
 *   wrapped_key  XChaCha20-Poly1305 under the epoch key, associated data
 *                "payroll.wrapped_key" || row id:u64 || epoch:u32
 *   ciphertext   XChaCha20-Poly1305 under the data key, associated data
 *                "payroll.ciphertext" || row id:u64 || employee id:u64 || year:u32 ||
 *                version:u32, so a sealed row cannot be moved to another person, year or
 *                version.
 *
 * One row per employee and year (a new import of that year replaces it with a new version
 * and a new data key); deleting the employee deletes the rows (ON DELETE CASCADE). The
 * plaintext is the service's business (payroll.h): a text of "key=value" lines.
 */
#ifndef MNVAULT_PAYROLLDB_H
#define MNVAULT_PAYROLLDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

#define PAYROLL_BLOB_MAX 32768 /* bytes of one row's plaintext */

/* Facts about a stored row (none of them personal). */
struct payroll_row_info {
    int64_t id;
    int year;
    uint32_t version;
    int64_t imported_at;
    char imported_by[33];
};

/*
 * payrolldb_put: store text[0..len) as the figures of employee_id for year, by user,
 * inside a write transaction; *replaced is set to 1 when figures for that year were there
 * (they are replaced: new version, new data key). Returns MNV_OK, MNV_ERR_PERSON_NOT_FOUND,
 * MNV_ERR_TOO_LONG (over PAYROLL_BLOB_MAX), a keyring error or a database error.
 */
MNV_MUST_CHECK enum mnv_err payrolldb_put(struct vault *v, int64_t employee_id, int year,
                                          const char *text, size_t len, const char *user,
                                          int *replaced, struct mnv_diag *diag)
    MNV_NONNULL(1, 4, 6, 7);

/*
 * payrolldb_get: the figures of employee_id for year, decrypted into *out (secmem,
 * NUL-terminated, *len bytes; free with secmem_free()); info may be NULL. Returns MNV_OK,
 * MNV_ERR_NOT_FOUND (none for that year), MNV_ERR_EPOCH_GONE, MNV_ERR_SEAL_BROKEN or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err payrolldb_get(struct vault *v, int64_t employee_id, int year,
                                          char **out, size_t *len, struct payroll_row_info *info,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 4, 5);

/*
 * payrolldb_years: the rows of employee_id, newest year first, into out[0..max); *count
 * receives how many there are in all.
 */
MNV_MUST_CHECK enum mnv_err payrolldb_years(struct vault *v, int64_t employee_id,
                                            struct payroll_row_info *out, size_t max, size_t *count,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 5);

/*
 * payrolldb_employees: the ids of every employee with figures for year, by employee code,
 * into a malloc'd array (*ids, free with free()) of *count entries.
 */
MNV_MUST_CHECK enum mnv_err payrolldb_employees(struct vault *v, int year, int64_t **ids,
                                                size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4);

/* payrolldb_delete: remove the figures of employee_id for year (MNV_ERR_NOT_FOUND: none). */
MNV_MUST_CHECK enum mnv_err payrolldb_delete(struct vault *v, int64_t employee_id, int year,
                                             struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * payrolldb_rewrap_all: inside a write transaction, rewrap every data key not wrapped by
 * the current epoch key (epoch rotation, numberdb.h); *count receives how many.
 */
MNV_MUST_CHECK enum mnv_err payrolldb_rewrap_all(struct vault *v, long *count,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * payrolldb_check_all: for `verify`: open every row's data key and figures. Returns MNV_OK
 * or the first failure with diag->line = the row id; *checked = rows checked.
 */
MNV_MUST_CHECK enum mnv_err payrolldb_check_all(struct vault *v, long *checked,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
