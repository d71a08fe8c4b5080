/* csv.h (base layer): reading CSV files that clerks export from spreadsheets and HR systems.
 *
 * Encoding: UTF-8 (with or without a byte-order mark) or Shift_JIS as Windows writes it
 * (CP932), detected: text that is valid UTF-8 is UTF-8, anything else is converted from
 * CP932 with iconv, and a byte sequence that is neither is refused with its line. The
 * decoded text lives in secmem (such files hold My Numbers) and is wiped when freed.
 *
 * Syntax (RFC 4180, as spreadsheets write it): fields separated by commas; a field may be
 * quoted with "…", inside which commas, line breaks and doubled quotes ("") are literal;
 * records end with CRLF, LF or CR; empty lines are skipped; a quote inside an unquoted field
 * is taken literally. Errors name the line where the record began (1-based, physical lines
 * of the file). A NUL byte anywhere is refused.
 */
#ifndef MNVAULT_CSV_H
#define MNVAULT_CSV_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

#define CSV_MAX_BYTES (32u << 20) /* largest file read: 32 MiB */
#define CSV_RECORD_MAX 65536      /* bytes of one record after unquoting */
#define CSV_FIELDS_MAX 160        /* fields in one record (the eLTAX record has 147) */

enum csv_encoding { CSV_UTF8 = 0, CSV_UTF8_BOM, CSV_CP932 };

/* csv_encoding_name: "UTF-8", "UTF-8 (BOM)", "Shift_JIS (CP932)". */
const char *csv_encoding_name(enum csv_encoding enc);

/*
 * csv_decode: in[0..len) (a whole file) as UTF-8 text without a BOM, into *out (secmem,
 * NUL-terminated, *out_len bytes; free with secmem_free()), and the encoding found.
 * Returns MNV_OK, MNV_ERR_CSV_ENCODING (diag->line = the first line that is neither UTF-8
 * nor CP932), MNV_ERR_CSV_CHAR (a NUL byte; diag->line), MNV_ERR_CSV_TOO_BIG, NOMEM.
 */
MNV_MUST_CHECK enum mnv_err csv_decode(const unsigned char *in, size_t len, char **out,
                                       size_t *out_len, enum csv_encoding *enc,
                                       struct mnv_diag *diag) MNV_NONNULL(3, 4, 5);

/*
 * csv_read_file: read the regular file path (at most CSV_MAX_BYTES) into secmem and
 * csv_decode() it; the raw bytes are wiped. Returns csv_decode()'s results or
 * MNV_ERR_NOT_FOUND / MNV_ERR_IO (diag->where = path, saved errno).
 */
MNV_MUST_CHECK enum mnv_err csv_read_file(const char *path, char **out, size_t *out_len,
                                          enum csv_encoding *enc, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3, 4);

/* A reader over decoded text (borrowed; it must outlive the reader). */
struct csv_reader {
    const char *text;
    size_t len, pos;
    long line;        /* the physical line at pos */
    long record_line; /* where the record returned last began */
    char *buf;        /* secmem: the current record's fields, NUL-separated */
    size_t cap;
    const char *fields[CSV_FIELDS_MAX]; /* into buf; valid until the next call */
    size_t nfields;
};

/* csv_reader_init: start reading text[0..len). Returns MNV_OK or MNV_ERR_NOMEM. */
MNV_MUST_CHECK enum mnv_err csv_reader_init(struct csv_reader *r, const char *text, size_t len)
    MNV_NONNULL(1, 2);

/*
 * csv_next: the next record into r->fields[0..r->nfields) and r->record_line. Returns
 * MNV_OK; MNV_ERR_NOT_FOUND after the last record; or, with diag->line = the record's first
 * line, MNV_ERR_CSV_QUOTE (a quoted field never closed), MNV_ERR_CSV_CHAR (a character
 * right after a closing quote; diag->column = the field), MNV_ERR_TOO_LONG (over
 * CSV_RECORD_MAX bytes or CSV_FIELDS_MAX fields). After an error, reading stops.
 */
MNV_MUST_CHECK enum mnv_err csv_next(struct csv_reader *r, struct mnv_diag *diag) MNV_NONNULL(1);

/*
 * csv_field: field i of the current record, with spaces and tabs around it trimmed, into
 * out (size bytes; a longer field is cut, so a length check still sees it is too long);
 * "" when i is negative or past the last field. Returns out.
 */
const char *csv_field(const struct csv_reader *r, int i, char *out, size_t size) MNV_NONNULL(1, 3);

/*
 * csv_header_key: a header name as it is matched against column names: trimmed, ASCII
 * letters in lower case ("  Employee_Code " → "employee_code"), into out. Returns out.
 */
const char *csv_header_key(const char *name, char *out, size_t size) MNV_NONNULL(1, 2);

/* csv_reader_release: wipe and free the reader's buffer (not the text). */
void csv_reader_release(struct csv_reader *r);

struct strbuf;

/*
 * csv_put_field: append s to out as one quoted CSV field (RFC 4180: quotes doubled), then
 * "," or, when last, CRLF. A field starting with = + - or @ gets a leading ' so that a
 * spreadsheet does not run it as a formula. Errors stay in out (strbuf_error()).
 */
void csv_put_field(struct strbuf *out, const char *s, int last) MNV_NONNULL(1, 2);

#endif
