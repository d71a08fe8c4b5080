/* form.h (service layer): filing layouts as data, one slip's record, and the sinks that turn
 * records into a file. STYLE.md 13: exports are source → sink.
 *
 *   layout   data/forms/<form>-<year>.ini: what the filing looks like for that year — the
 *            fields in order with their name, 半角/全角 width, length, character set,
 *            whether they are required, what fills them (an "item" of the vocabulary
 *            below) and whose My Number they carry; the copies of the form (tax office,
 *            employee, municipality) and whether each may carry numbers; the output kind
 *            (csv or pdf) and the rules that pick the slips a copy holds. A new year is a
 *            new data file, not code (doc/forms.md describes the format).
 *   record   one slip's values, one UTF-8 string per field, in locked memory (records hold
 *            numbers); filled by a source (export.h: the vault; or fill mode: a file from
 *            payroll software), made to fit the field (form_record_fit: the conversions
 *            the NTA standard allows) and checked (form_record_check) before a sink sees it.
 *   sink     begin / record / end callbacks with a context: the CSV sink (strict
 *            Shift_JIS within JIS X 0208, CRLF), the PDF sinks (pdfdoc), and the memory sink
 *            that records the calls (unit tests, the on-screen preview).
 *
 * Items: the vocabulary that links a layout field to a value. "employee.name",
 * "pay.amount", "spouse.number", "dependent3.kana", "child2.number", "payer.number"… The
 * list, with what each means, is form_item_find() / doc/forms.md; a layout naming an
 * unknown item is refused when loaded, so a typo cannot silently leave a column empty.
 * Items ending in ".number" (and "dependents.extra_numbers", "children.extra_numbers")
 * carry My Numbers: a copy whose layout says numbers = no never gets them filled — the
 * source does not even decrypt them — and form_record_check() refuses a record that has one.
 */
#ifndef MNVAULT_FORM_H
#define MNVAULT_FORM_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/person.h"

#define FORM_ID_MAX 32        /* "nta375": 1-32 of a-z, 0-9, _ */
#define FORM_FIELDS_MAX 200   /* fields in one layout */
#define FORM_ITEM_MAX 40      /* "dependent4.number" */
#define FORM_NAME_MAX 160     /* a field's name as the specification writes it */
#define FORM_TITLE_MAX 160    /* a form's or copy's title */
#define FORM_FIXED_MAX 16     /* a fixed value ("375") */
#define FORM_COPIES_MAX 4     /* copies of one form */
#define FORM_VALUE_MAX 400    /* characters in one field, the largest any layout allows */
#define FORM_FILE_DIR "forms" /* below the data folder (paths.h) */

/* 半角 or 全角: how the characters of a field are written. */
enum form_width { FORM_HALF = 1, FORM_FULL = 2 };

/* Which characters a field accepts (after form_record_fit's conversions). */
enum form_chars {
    FORM_CHARS_DIGITS = 1, /* 0-9 */
    FORM_CHARS_CODE,       /* 0-9 A-Z a-z and '-' (telephone numbers, codes) */
    FORM_CHARS_KANA,       /* half-width katakana (with ﾞ ﾟ ｰ) and the half-width space */
    FORM_CHARS_TEXT,       /* half fields: printable ASCII except , \ ~ and " ;
                            * full fields: JIS X 0208 characters (全角) */
    FORM_CHARS_KANATEXT,   /* half fields: half-width katakana and the TEXT characters
                            * (the pension office's addresses in カナ, 事業所記号) */
};

/* Whether a field must hold something. */
enum form_required {
    FORM_REQ_OPTIONAL = 0, /* may be empty */
    FORM_REQ_ALWAYS,       /* Y: never empty */
    FORM_REQ_IF_KNOWN,     /* C: when the person it is about exists and the number is known */
    FORM_REQ_BLANK,        /* must be left empty */
    FORM_REQ_SPACE,        /* Y*: the last field; when empty, one half-width space is written */
};

/* Whose My Number (or corporate number) a field carries. */
enum form_number {
    FORM_NUM_NONE = 0,
    FORM_NUM_PAYER,      /* the employer's corporate number (13 digits, public) */
    FORM_NUM_EMPLOYEE,   /* the person paid */
    FORM_NUM_SPOUSE,     /* (源泉・特別)控除対象配偶者 */
    FORM_NUM_DEPENDENT,  /* 控除対象扶養親族 (1)-(4): slot */
    FORM_NUM_CHILD,      /* 16歳未満の扶養親族 (1)-(4): slot */
    FORM_NUM_EXTRA_DEPS, /* 5th and later 控除対象扶養親族: "(5)…" entries */
    FORM_NUM_EXTRA_KIDS, /* 5th and later 16歳未満: "(5)…" entries */
};

/* How sure the research is about a field's definition (forms.md's marks). */
enum form_confidence {
    FORM_CONF_CONFIRMED = 'C', /* an official artefact */
    FORM_CONF_SECONDARY = 'S', /* third-party code or notes quoting the specification */
    FORM_CONF_INFERRED = 'I',  /* inferred: check against the current 仕様書 */
    FORM_CONF_UNKNOWN = '?',   /* not found */
};

struct form_field {
    int pos;                         /* 1-based column */
    char name[FORM_NAME_MAX + 1];    /* 項目名, as the specification writes it */
    char item[FORM_ITEM_MAX + 1];    /* what fills it; "" = nothing (left empty) */
    char fixed[FORM_FIXED_MAX + 1];  /* a constant value ("375"), or "" */
    enum form_width width;           /* 半角 / 全角 */
    enum form_chars chars;           /* character set */
    unsigned length;                 /* at most this many characters */
    int exact;                       /* exactly `length` characters when not empty */
    enum form_required required;     /* Y, C, blank, Y* */
    enum form_number number;         /* whose number it carries; FORM_NUM_NONE */
    int slot;                        /* 1-4 for FORM_NUM_DEPENDENT/_CHILD and their fields */
    enum form_confidence confidence; /* C, S, I, ? */
    int line;                        /* a head field: its line of the head (1-based); 0 */
};

/* Who receives a copy (the custody register's destinations). */
enum form_destination {
    FORM_DEST_TAX_OFFICE = 1, /* 税務署 */
    FORM_DEST_MUNICIPALITY,   /* 市区町村 */
    FORM_DEST_PERSON,         /* 本人 */
    FORM_DEST_CONTRACTOR,     /* 委託先 (a tax accountant, a payroll bureau) */
    FORM_DEST_PENSION_OFFICE, /* 年金事務所 (日本年金機構, through e-Gov or on media) */
    FORM_DEST_HELLO_WORK,     /* 公共職業安定所 (ハローワーク) */
};

/* Which slips a copy holds. */
enum form_select {
    FORM_SELECT_ALL = 1,    /* every employee with figures for the year */
    FORM_SELECT_TAX_OFFICE, /* only slips that go to the tax office (thresholds) */
};

/* One copy of a form: "tax", "employee", "municipal". */
struct form_copy {
    char id[FORM_ID_MAX + 1];
    char title_ja[FORM_TITLE_MAX + 1]; /* 税務署提出用 */
    char title_en[FORM_TITLE_MAX + 1];
    enum form_destination destination;
    enum form_select select;
    int numbers; /* 1: may carry My Numbers; 0: never (受給者交付用) */
};

/* What the output is. */
enum form_output_kind { FORM_OUTPUT_CSV = 1, FORM_OUTPUT_PDF };

/* What one record stands for. */
enum form_unit {
    FORM_UNIT_SLIP = 1,     /* one employee's slip for the year */
    FORM_UNIT_MUNICIPALITY, /* one municipality's summary (総括表) */
    /* the insurance filings: one record per event in the period asked for (insurance.h) */
    FORM_UNIT_SHAHO_JOIN,  /* an employee's 健保・厚年 資格取得 (shaho.acquired_on) */
    FORM_UNIT_SHAHO_LEAVE, /* an employee's 健保・厚年 資格喪失 (shaho.lost_on) */
    FORM_UNIT_FUYO,        /* dependants joining (fuyo.since) or leaving (fuyo.until) 扶養:
                            * one record per employee and kind, the spouse and at most two
                            * others on it (more: further records) */
    FORM_UNIT_KOYO_JOIN,   /* an employee's 雇用保険 資格取得 (koyo.acquired_on) */
    FORM_UNIT_KOYO_LEAVE,  /* an employee's 雇用保険 離職 (koyo.left_on) */
};

/* form_unit_is_event: 1 for the units of the insurance filings (events in a period). */
int form_unit_is_event(enum form_unit u);

/* Amount limits deciding which slips go to the tax office (NTA; [submission] section). */
struct form_thresholds {
    int64_t adjusted;         /* 年末調整済: 支払金額 above this (5,000,000) */
    int64_t adjusted_officer; /* the same for officers (1,500,000) */
    int64_t retired;          /* left during the year, no 年末調整 (2,500,000) */
    int64_t retired_officer;  /* the same for officers (500,000) */
    int64_t otsu;             /* 乙欄 (500,000) */
    int64_t unadjusted;       /* 年末調整 not made, e.g. over 20,000,000 (20,000,000) */
};

struct form_layout {
    char id[FORM_ID_MAX + 1]; /* "nta375" (the name before -<year>.ini) */
    int year;                 /* Western year the layout is for: 2025 = 令和7年分 */
    char title_ja[FORM_TITLE_MAX + 1];
    char title_en[FORM_TITLE_MAX + 1];
    char filing[FORM_ID_MAX + 1]; /* the filing code purposes cover (purposes.ini) */
    enum form_output_kind output;
    enum form_unit unit;
    int header_row;  /* CSV: write a header row of field names (no for e-Tax and eLTAX) */
    char path[1024]; /* the file it was read from */
    char source[FORM_TITLE_MAX + 1]; /* where the layout comes from (the specification) */
    struct form_field *fields;       /* [nfields], by position */
    size_t nfields;
    struct form_copy copies[FORM_COPIES_MAX];
    size_t ncopies;
    int has_thresholds;
    struct form_thresholds thresholds;
    struct form_extra *extra; /* keys of sections this module does not read (private) */
    struct form_layout *head; /* the lines before the records ([head]), fields with line
                               * numbers, filled as one record; NULL when none */
    long long max_bytes;      /* [limits] max_bytes: the largest file the destination takes;
                               * 0 when no limit */
    struct form_rules *rules; /* the conditional rules ([rules], private); NULL when none */
};

/* --- Items ----------------------------------------------------------------------------- */

/* What kind of value an item is. */
enum form_item_kind {
    FORM_ITEM_TEXT = 1, /* names, addresses, free text */
    FORM_ITEM_AMOUNT,   /* yen, a whole number >= 0 */
    FORM_ITEM_COUNT,    /* persons, 0-99 */
    FORM_ITEM_FLAG,     /* "1" when it applies, else empty */
    FORM_ITEM_CODE,     /* a code of the filing (era, 区分, …) */
    FORM_ITEM_NUMBER,   /* a My Number or corporate number */
};

struct form_item {
    const char *key; /* "pay.amount"; slotted items are written "dependent#.name" */
    enum form_item_kind kind;
    const char *about_en; /* one line, for doc/forms.md and help */
};

/*
 * form_item_find: the vocabulary entry for item ("dependent3.kana" finds "dependent#.kana";
 * slots 1-4). *slot receives the slot (0 for unslotted items). NULL when unknown.
 */
const struct form_item *form_item_find(const char *item, int *slot) MNV_NONNULL(1);

/* form_item_at: the i-th vocabulary entry (for documentation); NULL past the end. */
const struct form_item *form_item_at(size_t i);

/* --- Layouts --------------------------------------------------------------------------- */

/*
 * form_layout_path: the file a layout for form/year is read from, into buf:
 * <data folder>/forms/<form>-<year>.ini. Returns 0, or -1 when form is not a form id
 * (1-32 of a-z, 0-9, _) or buf is too small.
 */
MNV_MUST_CHECK int form_layout_path(char *buf, size_t size, const char *form, int year)
    MNV_NONNULL(1, 3);

/*
 * form_layout_load: read the layout of form for year (form_layout_path) into *out (free
 * with form_layout_free()). Returns MNV_OK; MNV_ERR_FORM_NO_LAYOUT when there is none for
 * that year, with diag->where = the file it looked for (never an older year's layout);
 * MNV_ERR_FORM_UNKNOWN when form is not a form id; MNV_ERR_FORM_FILE with diag->where = the
 * file, diag->item = the section or field at fault and diag->detail = what is wrong;
 * MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err form_layout_load(const char *form, int year, struct form_layout **out,
                                             struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* form_layout_load_file: the same for an explicit file (tests, tools). */
MNV_MUST_CHECK enum mnv_err form_layout_load_file(const char *path, struct form_layout **out,
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* form_layout_free: release a layout; NULL allowed. */
void form_layout_free(struct form_layout *l);

/* form_layout_copy: the copy with this id ("tax"), or NULL. Borrowed from l. */
const struct form_copy *form_layout_copy(const struct form_layout *l, const char *id)
    MNV_NONNULL(1, 2);

/* form_layout_field: the field filled by item, or NULL. Borrowed from l. */
const struct form_field *form_layout_field(const struct form_layout *l, const char *item)
    MNV_NONNULL(1, 2);

/*
 * form_layout_extra: the value of key "section.key" from a section this module does not
 * interpret (e.g. the PDF sinks' box geometry), or NULL. Borrowed from l.
 */
const char *form_layout_extra(const struct form_layout *l, const char *key) MNV_NONNULL(1, 2);

/* A form and year found in the data folder. */
struct form_available {
    char id[FORM_ID_MAX + 1];
    int year;
};

/*
 * form_list: every <form>-<year>.ini in the forms folder, sorted by form then year, into a
 * malloc'd array (*out, free with free()) of *count entries. The files are not parsed.
 * Returns MNV_OK (an empty folder gives 0 entries), MNV_ERR_NOT_FOUND (no forms folder) or
 * MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err form_list(struct form_available **out, size_t *count,
                                      struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* form_destination_name: "tax_office", "municipality", "person", "contractor",
 * "pension_office", "hello_work" (stable). */
const char *form_destination_name(enum form_destination d);

/* form_destination_parse: the inverse of form_destination_name; 0 when unknown. */
enum form_destination form_destination_parse(const char *name) MNV_NONNULL(1);

/* form_destination_label: 税務署 / Tax office … as a msgid (translate with _()). */
const char *form_destination_label(enum form_destination d);

/*
 * form_layout_code: the code the layout's table [codes.<table>] gives word (the words are
 * read in lower case: "R" and "r" are one), or NULL when the table has none. Borrowed from l.
 */
const char *form_layout_code(const struct form_layout *l, const char *table, const char *word)
    MNV_NONNULL(1, 2, 3);

/*
 * form_rule_why: the reason the layout gives for its rule name (the words after "|" in
 * [rules]) into buf; "" when it gives none. Returns buf.
 */
const char *form_rule_why(const struct form_layout *l, const char *name, char *buf, size_t size)
    MNV_NONNULL(1, 2, 3);

/*
 * form_era_day: a date written as l's era code ([codes.era]) and YYMMDD, as a caldate.h day
 * number; CALDATE_NONE when it is not one.
 */
int32_t form_era_day(const struct form_layout *l, const char *era, const char *ymd)
    MNV_NONNULL(1, 2, 3);

/* --- Records --------------------------------------------------------------------------- */

/*
 * One record: a value for every field of its layout. The values live in one secmem arena
 * (they may hold My Numbers) and are wiped by form_record_clear() and form_record_free().
 */
struct form_record {
    const struct form_layout *layout; /* borrowed; must outlive the record */
    struct person_ref person;         /* the employee the slip is about; id 0 for summaries */
    char code[PERSON_CODE_MAX + 1];   /* the employee code (messages), "" for summaries */
    char group[16];                   /* municipality code, for the 総括表; "" */
    long line;                        /* the input line (fill mode) or slip number, 1-based */
    size_t numbers;                   /* how many My Numbers the record holds */
    /* private */
    char **values;
    size_t *cap;
    char *arena;
    size_t arena_len;
    char *scratch; /* FORM_SCRATCH_SIZE bytes after the values, in the same secmem block */
};

/* The size of a record's scratch (form_record_scratch). */
#define FORM_SCRATCH_SIZE (FORM_VALUE_MAX * 12 + 48)

/* form_record_new: a record for l with every value "". Free with form_record_free(). */
MNV_MUST_CHECK enum mnv_err form_record_new(const struct form_layout *l, struct form_record **out)
    MNV_NONNULL(1, 2);

/*
 * form_record_scratch: r's own secmem scratch of FORM_SCRATCH_SIZE bytes for building a
 * value (one secure allocation per record, not per value); wipe what you wrote when done.
 * form_record_fit() uses it too.
 */
char *form_record_scratch(struct form_record *r) MNV_NONNULL(1);

/* form_record_free: wipe and release; NULL allowed. */
void form_record_free(struct form_record *r);

/* form_record_clear: wipe every value back to "" and reset person, code, group, numbers. */
void form_record_clear(struct form_record *r) MNV_NONNULL(1);

/*
 * form_record_set: set field index i (0-based) to value (UTF-8, copied into the arena).
 * Returns MNV_OK, MNV_ERR_RANGE (no such field) or MNV_ERR_FORM_FIELD_LONG (more than the
 * room a field of its length can ever need; diag->item = the field's name).
 */
MNV_MUST_CHECK enum mnv_err form_record_set(struct form_record *r, size_t i, const char *value,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* form_record_set_item: set every field filled by item (none: MNV_OK, nothing set). */
MNV_MUST_CHECK enum mnv_err form_record_set_item(struct form_record *r, const char *item,
                                                 const char *value, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * form_rules_clear: empty every field of r that a rule of its layout requires empty while
 * the rule's condition holds ("13 filled => 29 30 31 32 empty": the address beside a My
 * Number); their positions (1-based) into cleared[0..max). Returns how many were emptied.
 */
size_t form_rules_clear(struct form_record *r, int *cleared, size_t max) MNV_NONNULL(1);

/* form_record_get: the value of field i ("" when empty); borrowed until the next change. */
const char *form_record_get(const struct form_record *r, size_t i) MNV_NONNULL(1);

/*
 * form_record_fit: make every value fit its field with the conversions the NTA standard
 * allows, and nothing else: in 全角 fields half-width katakana become full-width (ｶﾞ → ガ),
 * ASCII becomes full-width (A → Ａ, space → U+3000) and parenthesised ideographs are
 * written out (㈱ → （株）); in half-width kana fields full-width katakana become
 * half-width (ガ → ｶﾞ). Characters that need no conversion are left as they are; any
 * other character is left for form_record_check() to refuse. Returns MNV_OK or
 * MNV_ERR_FORM_FIELD_LONG (diag->item = field name).
 */
MNV_MUST_CHECK enum mnv_err form_record_fit(struct form_record *r, struct mnv_diag *diag)
    MNV_NONNULL(1);

/* One reason a record does not fit its layout. */
struct form_fault {
    long line;                      /* r->line */
    char code[PERSON_CODE_MAX + 1]; /* r->code */
    int pos;                        /* the field's column, 1-based */
    char field[FORM_NAME_MAX + 1];  /* the field's name */
    enum mnv_err err;               /* MNV_ERR_FORM_* */
    uint32_t cp;                    /* MNV_ERR_FORM_CHAR: the character refused */
    char rule[48];                  /* MNV_ERR_FORM_RULE: the rule's name ([rules]) */
};

/*
 * form_record_check: check every value of r against its field: characters (JIS X 0208 for
 * 全角 fields, the field's set for 半角 fields, never a comma, quote or line break), length
 * and exact length, required and blank fields, and My Number fields (12 digits with a
 * valid check digit; the payer's 13-digit corporate number with its check digit) — and
 * that a record for a copy without numbers holds none; then the layout's conditional
 * rules ([rules]: MNV_ERR_FORM_RULE on the field the rule asks about, with its name). Up to max
 * faults are written to faults[] (may be NULL when max is 0); returns how many faults there are in
 * all (0: the record is good). Never puts a value into a fault, only the character refused.
 */
MNV_MUST_CHECK size_t form_record_check(const struct form_record *r, const struct form_copy *copy,
                                        struct form_fault *faults, size_t max) MNV_NONNULL(1, 2);

/* --- Sinks ----------------------------------------------------------------------------- */

/* Where a sink writes its bytes (the export's atomic file, hashed on the way). */
struct form_output {
    enum mnv_err (*write)(void *ctx, const void *data, size_t len, struct mnv_diag *diag);
    void *ctx;
};

/* What a sink is asked to write, for its begin and end. */
struct form_job {
    const struct form_layout *layout;
    const struct form_copy *copy;
    const char *purpose;            /* purpose code the numbers are used for */
    const char *org;                /* the organisation's name */
    long expected;                  /* records to come, or -1 when unknown */
    const struct form_record *head; /* the head's values (layout->head); NULL when none */
};

struct form_sink_ops {
    /* begin: the document starts (a CSV header row, a PDF's first page). */
    enum mnv_err (*begin)(void *ctx, const struct form_job *job, struct mnv_diag *diag);
    /* record: one checked record; the sink must not keep pointers into it. */
    enum mnv_err (*record)(void *ctx, const struct form_job *job, const struct form_record *r,
                           struct mnv_diag *diag);
    /* end: the document is complete; flush everything to the output. */
    enum mnv_err (*end)(void *ctx, const struct form_job *job, struct mnv_diag *diag);
    /* release: free the context (after end, or after a failure at any point). */
    void (*release)(void *ctx);
};

/* A sink: its callbacks and their context. */
struct form_sink {
    const struct form_sink_ops *ops;
    void *ctx;
};

/*
 * form_sink_run_begin/_record/_end: call the sink's callbacks (a NULL callback is MNV_OK).
 * form_sink_release: release it (NULL ops or ctx allowed); the sink is then empty.
 */
MNV_MUST_CHECK enum mnv_err form_sink_begin(struct form_sink *s, const struct form_job *job,
                                            struct mnv_diag *diag) MNV_NONNULL(1, 2);
MNV_MUST_CHECK enum mnv_err form_sink_record(struct form_sink *s, const struct form_job *job,
                                             const struct form_record *r, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);
MNV_MUST_CHECK enum mnv_err form_sink_end(struct form_sink *s, const struct form_job *job,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2);
void form_sink_release(struct form_sink *s) MNV_NONNULL(1);

/*
 * form_csv_sink_new: a sink writing the layout's CSV to out (borrowed; must outlive the
 * sink): each value encoded as Shift_JIS within JIS X 0208 (plus ASCII and half-width
 * katakana for 半角 fields), unquoted, fields separated by commas, every line ended by
 * CRLF, no byte-order mark; the head's lines first when the layout has a head (job->head,
 * each line its fields joined by commas); a header row of field names only when the layout
 * asks for one;
 * FORM_REQ_SPACE fields written as one space when empty. A value that cannot be encoded is
 * refused (MNV_ERR_FORM_CHAR, diag->item = field name, diag->line = record line), never
 * replaced. Returns MNV_OK or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err form_csv_sink_new(struct form_sink *sink, const struct form_output *out)
    MNV_NONNULL(1, 2);

/*
 * The memory sink records every call as text, for unit tests (no cairo, no files) and the
 * on-screen preview: "begin nta375 2025 tax purpose=tax_withholding", then for each record
 * "record <line> <code>" followed by "  <pos> <value>" for every non-empty field, then
 * "end <records>". Numbers are recorded only when keep_numbers is set (tests); otherwise
 * a number field is recorded as "[number]".
 */
struct form_memsink {
    char **lines; /* malloc'd strings (secmem when keep_numbers) */
    size_t count, cap;
    long records;
    int keep_numbers;
    int fail_at; /* tests: the record call with this 1-based index fails (MNV_ERR_IO) */
};

/*
 * form_memsink_new: a memory sink into *mem (zeroed here, owned by the caller, who releases
 * it with form_memsink_release() after the sink is released). Returns MNV_OK.
 */
MNV_MUST_CHECK enum mnv_err form_memsink_new(struct form_sink *sink, struct form_memsink *mem,
                                             int keep_numbers) MNV_NONNULL(1, 2);

/* form_memsink_release: wipe and free the recorded lines. */
void form_memsink_release(struct form_memsink *mem);

#endif
