/* insurancedb.h (store layer): the insurance facts of employees and dependants, and the
 * register of the insurance filings made for them, as rows of vault.db (schema step 8).
 *
 * Facts (健康保険・厚生年金保険 資格取得年月日, 報酬月額, 雇用保険 取得区分, 賃金, 被扶養者
 * 認定年月日 …) are personal data: one row per person, its text sealed under a data key of the row
 * wrapped by the epoch key (rowseal.h):
 *   wrapped_key  associated data "insurance.wrapped_key" || row id:u64 || epoch:u32
 *   ciphertext   associated data "insurance.ciphertext" || row id:u64 || person kind:u8
 *                (1 employee, 2 dependent) || person id:u64 || version:u32
 * so a sealed row cannot be moved to another person or version. Deleting the person
 * deletes the row (ON DELETE CASCADE). The plaintext is the service's business
 * (insurance.h): "key=value" lines.
 *
 * The filings register says, for each event a filing is about (a person's 資格取得, 資格喪失,
 * a dependant joining or leaving 扶養), which exported file carried it (a custody entry) or
 * that a clerk recorded it as filed another way. It holds no number and no name.
 */
#ifndef MNVAULT_INSURANCEDB_H
#define MNVAULT_INSURANCEDB_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/person.h"
#include "mnvault/vault.h"

#define INSURANCE_BLOB_MAX 8192 /* bytes of one person's facts */

/* Facts about a stored row (none of them personal). */
struct insurance_row_info {
    int64_t id;
    uint32_t version;
    int64_t updated_at;
    char updated_by[33];
};

/*
 * insurancedb_put: store text[0..len) as the facts of ref, by user, inside a write
 * transaction, replacing any (new version, new data key). Returns MNV_OK,
 * MNV_ERR_PERSON_NOT_FOUND, MNV_ERR_TOO_LONG (over INSURANCE_BLOB_MAX), a keyring error or
 * a database error.
 */
MNV_MUST_CHECK enum mnv_err insurancedb_put(struct vault *v, const struct person_ref *ref,
                                            const char *text, size_t len, const char *user,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 5);

/*
 * insurancedb_get: the facts of ref decrypted into *out (secmem, NUL-terminated, *len
 * bytes; free with secmem_free()); info may be NULL. Returns MNV_OK, MNV_ERR_NOT_FOUND
 * (none stored), MNV_ERR_EPOCH_GONE, MNV_ERR_SEAL_BROKEN or a database error.
 */
MNV_MUST_CHECK enum mnv_err insurancedb_get(struct vault *v, const struct person_ref *ref,
                                            char **out, size_t *len,
                                            struct insurance_row_info *info, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

/*
 * Called by insurancedb_each for every stored row: the person and its text (secmem,
 * borrowed for the call). A non-OK return stops the walk and is returned.
 */
typedef enum mnv_err (*insurancedb_fn)(void *ud, const struct person_ref *ref, int64_t employee_id,
                                       const char *text, size_t len);

/*
 * insurancedb_each: every stored row, employees first then dependants, by id (inside the
 * caller's transaction, or a read transaction of its own); employee_id is the person's
 * employee (the dependant's). Returns MNV_OK, fn's error, a seal error (diag->line = the
 * row) or a database error.
 */
MNV_MUST_CHECK enum mnv_err insurancedb_each(struct vault *v, insurancedb_fn fn, void *ud,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* insurancedb_rewrap_all: after an epoch rotation (numberdb.h), rewrap every data key not
 * wrapped by the current epoch key; *count receives how many. */
MNV_MUST_CHECK enum mnv_err insurancedb_rewrap_all(struct vault *v, long *count,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* insurancedb_check_all: for `verify`: open every row. MNV_OK or the first failure with
 * diag->line = the row id; *checked = rows checked. */
MNV_MUST_CHECK enum mnv_err insurancedb_check_all(struct vault *v, long *checked,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* --- The filings register ----------------------------------------------------------------- */

#define FILING_NOTE_MAX 200

/* What a filing is about. */
enum filing_event {
    FILING_ACQUIRE = 1, /* the employee became insured (資格取得) */
    FILING_LOSE,        /* the employee lost coverage (資格喪失) */
    FILING_JOIN,        /* a dependant became 被扶養者 (該当) */
    FILING_LEAVE,       /* a dependant ceased to be 被扶養者 (非該当) */
};

struct filing_row {
    int64_t id;
    char form[33];           /* the form id: "shaho_shutoku", "koyo_soshitsu" … */
    enum filing_event event; /* what it is about */
    int64_t employee_id;
    int64_t dependent_id;   /* 0 for the employee's own events */
    char event_on[11];      /* the day of the event ("YYYY-MM-DD") */
    int64_t custody_id;     /* the file that carried it; 0 when recorded by hand */
    char custody_state[16]; /* read back: the custody entry's state; "" when by hand */
    int64_t recorded_at;
    char recorded_by[33];
    char note[FILING_NOTE_MAX + 1];
};

/* filing_event_name / _parse: "acquire", "lose", "join", "leave"; parse returns 0. */
const char *filing_event_name(enum filing_event e);
enum filing_event filing_event_parse(const char *name) MNV_NONNULL(1);

/*
 * insurancedb_filing_add: add r (inside a write transaction; recorded_at and recorded_by
 * given); sets r->id. Returns MNV_OK, MNV_ERR_PERSON_NOT_FOUND or a database error.
 */
MNV_MUST_CHECK enum mnv_err insurancedb_filing_add(struct vault *v, struct filing_row *r,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 2);

/*
 * insurancedb_filings: the register's rows for employee_id (0: every employee), oldest
 * first, into a malloc'd array (*out, free with free()) of *count. Returns MNV_OK or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err insurancedb_filings(struct vault *v, int64_t employee_id,
                                                struct filing_row **out, size_t *count,
                                                struct mnv_diag *diag) MNV_NONNULL(1, 3, 4);

#endif
