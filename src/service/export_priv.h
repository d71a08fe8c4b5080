/*
 * export_priv.h: what the export's files share (service layer, private to src/service):
 * one slip as the source sees it (export_src.c), the streaming file that takes a sink's
 * bytes (export_file.c), and the driver's context (export.c).
 */
#ifndef MNVAULT_EXPORT_PRIV_H
#define MNVAULT_EXPORT_PRIV_H

#include <limits.h>
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "mnvault/atomicfile.h"
#include "mnvault/export.h"
#include "mnvault/form.h"
#include "mnvault/insurance.h"
#include "mnvault/insurancedb.h"
#include "mnvault/payroll.h"
#include "mnvault/persondb.h"
#include "mnvault/setup.h"
#include "mnvault/strbuf.h"

struct session;
struct vault;

/* A person on a slip whose number the layout may ask for. */
struct slip_person {
    struct person_ref ref;
    enum export_role role;
    int slot;                   /* dependants and children: 1.. in file order; 0 otherwise */
    int dep;                    /* index into the slip's deps; -1 for the employee */
    int needs_number;           /* the layout has a field for this person's number */
    enum export_gap_reason gap; /* 0 when the number may go out */
    uint32_t version;           /* the number record's version when checked */
    int category3; /* a spouse filed as 国民年金第3号被保険者: the gate asks for the
                    * purpose covering the layout's [gate] category3 filing */
};

/* One employee's slip: the record, the dependants, the figures, who is where. */
struct slip {
    struct employee emp;
    struct dependent *deps; /* every dependant of the employee (malloc'd) */
    size_t ndeps;
    struct payroll_figures fig;
    int spouse; /* index into fig.deps of the spouse shown, -1 */
    int kids[PAYROLL_DEPS_MAX], ndeps_block[PAYROLL_DEPS_MAX]; /* fig.deps indexes */
    size_t nkids, nblock;
    struct slip_person people[1 + PAYROLL_DEPS_MAX];
    size_t npeople;
    int to_tax_office; /* the slip goes to the tax office (thresholds or override) */
    /* the insurance filings (form_unit_is_event; export_ins.c) */
    int event;                    /* fuyo: 1 join (該当), 2 leave (非該当); 0 otherwise */
    struct insurance_facts ins;   /* the employee's facts */
    struct insurance_facts *dins; /* the facts of deps[i] (malloc'd, ndeps) */
    int on_spouse;                /* index into deps of the spouse on the record, -1 */
    int on_other[2];              /* the other dependants on the record, -1 */
    char since[11], until[11];    /* the period of the events */
};

/* An insurance record's unit: the employee, and for fuyo the kind and part. */
#define EXPORT_UNIT(employee_id, sub) ((employee_id)*8 + (sub))
#define EXPORT_UNIT_EMPLOYEE(unit) ((unit) / 8)
#define EXPORT_UNIT_SUB(unit) ((int)((unit) % 8))

/* The payer's details, once per export. */
struct payer {
    char address[SETUP_ADDRESS_MAX + 1], name[SETUP_ORG_MAX + 1], number[14];
    char extra[24][310]; /* employer.h details, in employer_field_at() order */
    char serial[4];      /* 媒体通番 of the pension office's file: "001"-"999" */
};

/* The fill of a record: without numbers (check), with placeholder numbers (check of a
 * copy that carries them) or with the real numbers (write). */
enum slip_fill { SLIP_NO_NUMBERS = 0, SLIP_PLACEHOLDERS, SLIP_NUMBERS };

/*
 * slip_load: employee id's record, dependants and figures for year into *sl, the
 * dependants placed (spouse, 控除対象扶養親族, 16歳未満) and the persons listed with
 * needs_number from layout l. Release with slip_free().
 */
MNV_MUST_CHECK enum mnv_err slip_load(struct vault *v, const struct form_layout *l,
                                      const struct export_request *req, int64_t unit,
                                      struct slip *sl, struct mnv_diag *diag);
void slip_free(struct slip *sl);

/* slip_add_person: the next of sl->people for this role, slot and dependant (-1: the
 * employee), its number not yet asked for (needs_number 0). */
struct slip_person *slip_add_person(struct slip *sl, enum export_role role, int slot, int dep);

/* slip_goes_to_tax_office: the thresholds of l (and the person's override) for sl. */
int slip_goes_to_tax_office(const struct form_layout *l, const struct slip *sl);

/*
 * slip_gate: look at each number sl needs: status, and whether purpose was notified for
 * it; sets people[].gap and .version. Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err slip_gate(struct vault *v, struct slip *sl, const char *purpose,
                                      const char *purpose3, struct mnv_diag *diag);

/*
 * slip_fill: every field of r from the slip, the payer and the year (r cleared first). In
 * SLIP_NUMBERS mode the numbers of the persons without a gap are decrypted into r (and
 * counted in *numbers); a person whose record changed since slip_gate() gives
 * MNV_ERR_EXPORT_CHANGED. Returns MNV_OK or an error.
 */
MNV_MUST_CHECK enum mnv_err slip_fill(struct vault *v, const struct slip *sl, const struct payer *p,
                                      int year, enum slip_fill mode, struct form_record *r,
                                      long *numbers, struct mnv_diag *diag);

/*
 * export_gate_one: whether ref's number may go out for purpose (NULL: never): *gap 0, or
 * why not; *version the number record's version. Returns MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err export_gate_one(struct vault *v, const struct person_ref *ref,
                                            const char *purpose, enum export_gap_reason *gap,
                                            uint32_t *version, struct mnv_diag *diag);

/*
 * export_reveal_checked: ref's number into digits (secmem, 12 digits and a NUL) when its
 * record is still registered at version (else MNV_ERR_EXPORT_CHANGED).
 */
MNV_MUST_CHECK enum mnv_err export_reveal_checked(struct vault *v, const struct person_ref *ref,
                                                  uint32_t version, char digits[13],
                                                  struct mnv_diag *diag);

/* The filling of one record (export_src.c, export_ins.c). */
struct fill {
    struct vault *v;
    const struct slip *sl; /* NULL for a layout's head */
    const struct payer *p;
    int year;
    enum slip_fill mode;
    struct form_record *r;
    long numbers;
    char *num; /* secmem scratch for one number's digits */
};

/* slip_number: the number of p into f->num ("" when it may not go out), per the fill mode. */
MNV_MUST_CHECK enum mnv_err slip_number(struct fill *f, const struct slip_person *p,
                                        struct mnv_diag *diag);

/* slip_set_cut: set field i of r, a value too long for any field cut at a character. */
MNV_MUST_CHECK enum mnv_err slip_set_cut(struct form_record *r, size_t i, char *value,
                                         struct mnv_diag *diag);

/* export_payer_load: the organisation's and the employer's details (export.c). */
MNV_MUST_CHECK enum mnv_err export_payer_load(struct session *s, struct payer *p);

/* shfd_fill: export_fill() for req->form "shfd": an SHFD0006.CSV (export_shfd.c). */
MNV_MUST_CHECK enum mnv_err shfd_fill(struct session *s, const struct export_fill_request *req,
                                      struct export_report *rep, struct mnv_diag *diag);

/* ---- the insurance filings (export_ins.c) ---- */

/*
 * ins_units: the records of an insurance layout (form_unit_is_event): every event of the
 * layout's unit in [since, until] (ISO dates), of the employee only_code (NULL: all), as
 * EXPORT_UNIT()s into a malloc'd array (*out, *count), by employee. Inside the caller's
 * transaction.
 */
MNV_MUST_CHECK enum mnv_err ins_units(struct vault *v, const struct form_layout *l,
                                      const char *since, const char *until, const char *only_code,
                                      int64_t **out, size_t *count, struct mnv_diag *diag);

/* ins_slip_load: the record for unit into *sl (the people placed per l). */
MNV_MUST_CHECK enum mnv_err ins_slip_load(struct vault *v, const struct form_layout *l,
                                          const char *since, const char *until, int64_t unit,
                                          struct slip *sl, struct mnv_diag *diag);

/* ins_item: the value of an insurance item (office.*, media.*, shaho.*, …) into buf. */
MNV_MUST_CHECK enum mnv_err ins_item(struct fill *f, const struct form_field *fd, char *buf,
                                     size_t size, struct mnv_diag *diag);

/* ins_head_fill: the head of l (l->head, codes from l) into r (a record of l->head). */
MNV_MUST_CHECK enum mnv_err ins_head_fill(const struct form_layout *l, const struct payer *p,
                                          struct form_record *r, struct mnv_diag *diag);

/* ins_event_of: the filing register's event and day of the record of sl for layout l, and
 * the dependants on it (up to 3 ids, 0 for none). */
void ins_event_of(const struct form_layout *l, const struct slip *sl, int *event, char day[11],
                  int64_t deps[3]);

/* ins_filings_record: rows[0..n) into the filings register as carried by custody_id, by
 * the session's user (inside step 3's change). */
MNV_MUST_CHECK enum mnv_err ins_filings_record(struct session *s, struct vault *v,
                                               struct filing_row *rows, size_t n,
                                               int64_t custody_id, struct mnv_diag *diag);

/* A file being written: an atomicfile (temporary name, mode 0600), hashed on the way. */
struct export_file {
    struct atomicfile af;
    char path[PATH_MAX]; /* absolute */
    crypto_hash_sha256_state hash;
    int64_t size;
};

/*
 * export_file_open: start the file path (which must not exist: MNV_ERR_EXPORT_EXISTS) as a
 * temporary file beside it. export_file_write matches struct form_output's write.
 * export_file_commit: fsync, give it its name (never over another file), fsync the folder,
 * and the SHA-256 of its bytes. export_file_abort: zero and remove the temporary file.
 */
MNV_MUST_CHECK enum mnv_err export_file_open(struct export_file *f, const char *path,
                                             struct mnv_diag *diag);
enum mnv_err export_file_write(void *ctx, const void *data, size_t len, struct mnv_diag *diag);
MNV_MUST_CHECK enum mnv_err export_file_commit(struct export_file *f, unsigned char sha256[32],
                                               struct mnv_diag *diag);
void export_file_abort(struct export_file *f);

/* export_file_pending: 1 while a temporary file exists (not yet committed or aborted). */
int export_file_pending(const struct export_file *f);

/* export_file_remove: zero and remove the file after it was given its name. */
void export_file_remove(struct export_file *f);

/* What export_out_run() needs: the records are good (step 1 passed) and the write
 * transaction of step 1 is still open; it is committed with the custody entry. */
struct export_out {
    struct session *s;
    struct vault *v;
    const char *form;
    int year;
    const struct form_layout *layout;
    const struct form_copy *copy;
    const char *purpose;
    const char *out_path;
    int zip;
    int dry_run;
    struct export_report *rep;     /* destination, slips, numbers, left_out in; hash, size out */
    const struct person_ref *refs; /* whose numbers the file will hold (set by check) */
    size_t nrefs;
    export_sink_fn make_sink;
    /* Step 1, inside the first change (a write transaction): check every record and set
     * refs/nrefs and the report's counts. On MNV_ERR_EXPORT_FAULTS or _GAPS, also write the
     * refusal's audit detail (counts only) into refusal. */
    enum mnv_err (*check)(void *ud, struct export_out *x, char *refusal, size_t size,
                          struct mnv_diag *diag);
    /* Step 2: hand every record to sink (inside a read transaction). */
    enum mnv_err (*write_records)(void *ud, struct form_sink *sink, const struct form_job *job,
                                  struct mnv_diag *diag);
    /* Optional: inside step 1's change, after the custody entry (NULL: nothing). */
    enum mnv_err (*begun)(void *ud, struct mnv_diag *diag);
    /* Optional: inside step 3's change, with the custody entry's id (NULL: nothing). */
    enum mnv_err (*recorded)(void *ud, int64_t custody_id, struct mnv_diag *diag);
    const struct form_record *head; /* the layout's head, filled by write_records; NULL */
    void *ud;
};

/*
 * export_out_run: export.h's three steps. Step 1 is one change (change.h): x->check, then
 * (unless it refused, or this is a dry run) the file opened and the custody entry made,
 * audited "export begun"; a refusal is audited with check's detail. Steps 2 and 3 follow.
 */
MNV_MUST_CHECK enum mnv_err export_out_run(struct export_out *x, struct mnv_diag *diag);

/* export_sink_for: the sink constructor for an output kind; NULL when there is none. */
export_sink_fn export_sink_for(enum form_output_kind kind);

/*
 * export_purpose: the purpose of use for layout l: requested (it must exist and cover the
 * layout's filing), or the first purpose covering it. Returns MNV_OK, PURPOSE_UNKNOWN,
 * EXPORT_PURPOSE_WRONG or EXPORT_PURPOSE (diag->item says which).
 */
MNV_MUST_CHECK enum mnv_err export_purpose(struct session *s, const struct form_layout *l,
                                           const char *requested, const char **code,
                                           struct mnv_diag *diag);

/*
 * export_purpose3: the purpose a 第3号被保険者's number needs (l's [gate] category3 filing)
 * into *code; NULL when l has none. MNV_ERR_EXPORT_PURPOSE when no purpose covers it.
 */
MNV_MUST_CHECK enum mnv_err export_purpose3(struct session *s, const struct form_layout *l,
                                            const char **code, struct mnv_diag *diag);

/* One municipality of a 総括表 (export_sum.c). */
struct muni {
    char code[8], name[130], designation[16];
    long persons, special, ordinary_retired, ordinary_other;
};

/*
 * muni_collect: the municipalities of the employees ids[0..nids) for year, by code, with
 * their counts, into a malloc'd array (*out, free with free()).
 */
MNV_MUST_CHECK enum mnv_err muni_collect(struct vault *v, int year, const int64_t *ids, size_t nids,
                                         struct muni **out, size_t *count, struct mnv_diag *diag);

/* muni_fill: every field of r for municipality m (total: persons in all of them). */
MNV_MUST_CHECK enum mnv_err muni_fill(const struct muni *m, long total, const struct payer *p,
                                      int year, struct form_record *r, struct mnv_diag *diag);

/* export_buffer_write: struct form_output's write into a struct strbuf (ctx), which keeps a
 * sink's bytes in memory for packing into a zip: make it with strbuf_init_secret() (its old
 * blocks and, at strbuf_release(), the last are wiped). */
enum mnv_err export_buffer_write(void *ctx, const void *data, size_t len, struct mnv_diag *diag);

/*
 * export_zip: plain as the one entry `entry` of a zip encrypted with AES-256 under a
 * generated passphrase (written into passphrase, 29 characters and a NUL), deflated, the
 * archive's bytes written to out. Returns MNV_OK, MNV_ERR_ZIP or out's error.
 */
MNV_MUST_CHECK enum mnv_err export_zip(const struct strbuf *plain, const char *entry,
                                       char passphrase[30], const struct form_output *out,
                                       struct mnv_diag *diag);

#endif
