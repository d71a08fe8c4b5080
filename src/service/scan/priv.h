/*
 * scan/priv.h: what the files of the scan module share (service layer, private to
 * src/service/scan/; the public interface is include/mnvault/scan.h).
 *
 *   scan.c    the state machine itself
 *   file.c    walking folders, mapping and reading files, dispatching by content
 *   zip.c     zip archives and the text of OOXML / OpenDocument members (libzip)
 *   pdf.c     the text of PDF pages and files attached to a PDF (poppler-glib)
 *   simd.c    the fast paths: skipping text without numbers, counting lines
 *   detect.c  guessing a text file's encoding
 *   charset.c converting other character sets to UTF-8 (iconv)
 */
#ifndef MNVAULT_SCAN_PRIV_H
#define MNVAULT_SCAN_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/scan.h"

/* Limits against archive bombs: one unpacked part, and everything unpacked for one file. */
#define SCAN_PART_LIMIT ((uint64_t)1 << 30)
#define SCAN_TOTAL_LIMIT ((uint64_t)4 << 30)

/* The state of one top-level file being scanned. */
struct scan_ctx {
    const struct scan_opts *opts;
    const struct scan_handler *h;
    void *ud;
    struct scan_place place;     /* where we are now: members and page pushed and popped */
    struct scan_file_result res; /* what the current top-level file gave so far */
    uint64_t unpacked;           /* bytes unpacked from archives of the current file */
    int stop;                    /* the handler asked to stop */
    int nomem;                   /* memory ran out: stop and say so */
};

/* scan_blob: scan one file held in memory at the current place, by what its bytes are. */
void scan_blob(struct scan_ctx *c, const uint8_t *data, size_t len);

/* scan_text: scan text in a known encoding at the current place. */
void scan_text(struct scan_ctx *c, const uint8_t *data, size_t len, enum scan_encoding enc);

/* scan_problem: report that the current place (plus diag) could not be read. */
void scan_problem(struct scan_ctx *c, enum mnv_err err, const struct mnv_diag *diag);

/* scan_push_member / scan_pop_member: enter and leave an archive member (name borrowed
 * until the pop). Push returns 0, or -1 after reporting MNV_ERR_SCAN_NESTED. */
int scan_push_member(struct scan_ctx *c, const char *name);
void scan_pop_member(struct scan_ctx *c);

/* scan_zip (zip.c): every member of a zip archive; office XML parts as text. */
void scan_zip(struct scan_ctx *c, const uint8_t *data, size_t len);

/* scan_pdf (pdf.c): the text of every page, then every attached file. */
void scan_pdf(struct scan_ctx *c, const uint8_t *data, size_t len);

/*
 * scan_next_candidate (simd.c): in UTF-8 (or binary) b[0..len), the first position
 * >= i where a digit stands that may belong to a number; len when there is none. Every
 * number found by the state machine that lies at or after i holds such a position among its
 * digits. The fast path is chosen by scan_simd_set().
 */
size_t scan_next_candidate(const uint8_t *b, size_t len, size_t i);

/* scan_count_newlines (simd.c): how many '\n' bytes b[from..to) holds. */
size_t scan_count_newlines(const uint8_t *b, size_t from, size_t to);

/* scan_cp932_to_utf8 (charset.c): in[0..n) from CP932 into out (size bytes, NUL-terminated).
 * Returns 0, or -1 when it is not CP932 or does not fit. */
int scan_cp932_to_utf8(const char *in, size_t n, char *out, size_t size);

/* scan_bytes_free: wipe and free a buffer that held file content; NULL is fine. */
void scan_bytes_free(void *p, size_t len);

#endif
