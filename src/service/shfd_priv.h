/*
 * shfd_priv.h: what the two files of the SHFD0006.CSV fill share (service layer, private
 * to src/service): export_shfd_read.c reads the file and finds the people, export_shfd.c
 * checks the records and writes the file.
 */
#ifndef MNVAULT_SHFD_PRIV_H
#define MNVAULT_SHFD_PRIV_H

#include "export_priv.h"
#include "mnvault/insurancedb.h"

#define SHFD_FORMS 3
#define SHFD_FIELDS 160 /* more than any record's (2202700: 139) */
#define SHFD_PEOPLE 3   /* on a 2202700 record: the spouse and two other dependants */
#define SHFD_MAX_BYTES (32u << 20)

/* A line of the file: its bytes without CR LF, and the same line decoded. */
struct sline {
    size_t off, len;   /* into raw */
    size_t toff, tlen; /* into text */
};

/* A change to a record: a number written, or a field emptied (number 0). */
struct edit {
    size_t line;
    int field; /* 0-based */
    int number;
    struct person_ref ref;
    uint32_t version;
};

/* An employee as a record names them. */
struct who {
    char *key; /* folded kana, TAB, birth date */
    char seiri[8];
    int64_t id;
    const char *code, *name;
    unsigned seen; /* bit per form: on a record of it already */
};

struct sctx {
    struct session *s;
    struct vault *v;
    const struct export_fill_request *req;
    struct export_report *rep;
    unsigned char *raw; /* secmem */
    size_t rawlen;
    char *text; /* secmem */
    size_t textlen;
    struct sline *lines;
    size_t nlines, cap, data_from;
    struct form_layout *layout[SHFD_FORMS];
    struct form_record *rec[SHFD_FORMS], *head;
    const char *purpose[SHFD_FORMS], *purpose3;
    struct person_list people;
    struct who *who; /* by key */
    size_t nwho;
    struct who **by_seiri; /* the employees with a 被保険者整理番号, by it */
    size_t nseiri;
    struct edit *edits;
    size_t nedits, capedits;
    struct filing_row *filed;
    size_t nfiled, capfiled;
    struct person_ref *refs;
    long gap_counts[EXPORT_GAP_UNMATCHED + 1];
};

/* A problem with the file at line (1-based), field pos (0: the line): a fault of rep. */
void shfd_problem(struct sctx *c, long line, int pos, const char *field, enum mnv_err err,
                  const char *code);

/* shfd_read_file: the file as bytes and decoded, split into lines (CR LF each). */
MNV_MUST_CHECK enum mnv_err shfd_read_file(struct sctx *c, struct mnv_diag *diag);

/* shfd_read_head: the head (forms notes §3.2) checked; *year from the 作成年月日. */
MNV_MUST_CHECK enum mnv_err shfd_read_head(struct sctx *c, int *year);

/* shfd_fields_of: the fields of decoded line i, split in place (up to max kept); returns
 * how many there are. shfd_fields_join puts the commas back. */
size_t shfd_fields_of(struct sctx *c, size_t i, char **f, size_t max);
void shfd_fields_join(struct sctx *c, size_t i);

/* shfd_check_offices / shfd_office_differs: the office lines / a record's office fields
 * against the vault's (c->head); each difference a problem. */
void shfd_check_offices(struct sctx *c);
int shfd_office_differs(struct sctx *c, const struct form_layout *l, char **f, size_t n, long line);

/* shfd_people_load: every employee with kana, birth date and 被保険者整理番号 (in the
 * caller's transaction). */
MNV_MUST_CHECK enum mnv_err shfd_people_load(struct sctx *c, struct mnv_diag *diag);

/* shfd_item / shfd_item_pos: a record's value of item ("" when none); its position (0). */
const char *shfd_item(const struct form_record *r, const char *name);
int shfd_item_pos(const struct form_layout *l, const char *name);

/* shfd_match_employee: the employee record r names (MNV_OK, *w) or why not (FILL_*). */
enum mnv_err shfd_match_employee(struct sctx *c, const struct form_record *r, struct who **w);

/* shfd_match_dependent: the index into deps of the person of block ("spouse", "other1" …)
 * on r, or -1 with *why (FILL_NO_DEPENDENT, FILL_AMBIGUOUS). */
int shfd_match_dependent(const struct form_record *r, const char *block,
                         const struct dependent *deps, size_t n, enum mnv_err *why);

#endif
