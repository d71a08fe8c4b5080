/*
 * scan/priv.h: what the files of the scan module share (service layer, private to
 * src/service/scan/; the public interface is include/mnvault/scan.h).
 *
 *   scan.c    the state machine itself (core.h: its state and character classes)
 *   file.c    mapping and reading files, reading streams
 *   walk.c    walking folders without following links to folders
 *   blob.c    what a file is (dispatch by content), the limits on unpacking
 *   zip.c     zip archives and office documents (libzip)
 *   xml.c     the text of OOXML / OpenDocument XML parts, cell values as numbers
 *   hint.c    positions, keyword hints, numbers that stand where no number is
 *   stream.c  text from streams, in parts of bounded size
 *   gztar.c   gzip and tar
 *   mime.c    mail: MIME parts, transfer encodings, character sets, attachments
 *   cfb.c     OLE compound files: is the content encrypted?
 *   pdf.c     the text of PDF pages and files attached to a PDF (poppler-glib)
 *   pdfcells.c  numbers printed one digit per cell, found by where the glyphs stand
 *   simd.c    the fast paths: skipping text without numbers, counting lines
 *   pwalk.c   folders: small text files scanned by worker threads, results in order
 *   split.c   one large text scanned in parts by several threads, results in order
 *   detect.c  guessing a text file's encoding
 *   charset.c converting other character sets to UTF-8 (iconv)
 */
#ifndef MNVAULT_SCAN_PRIV_H
#define MNVAULT_SCAN_PRIV_H

#include <setjmp.h>
#include <stddef.h>
#include <stdint.h>

#include "mnvault/scan.h"

/* The state of one top-level file being scanned. */
struct scan_ctx {
    const struct scan_opts *opts;
    const struct scan_handler *h;
    void *ud;
    struct scan_place place;     /* where we are now: members and page pushed and popped */
    struct scan_file_result res; /* what the current top-level file gave so far */
    uint64_t unpacked;           /* bytes unpacked from archives of the current file */
    uint64_t max_unpacked;       /* the limits in effect (scan_limits_begin) */
    unsigned max_ratio;
    double deadline;        /* CLOCK_MONOTONIC seconds */
    int level;              /* containers entered (scan_blob) */
    int office;             /* inside an office document (its pictures are parts) */
    int stop;               /* the handler asked to stop */
    int nomem;              /* memory ran out: stop and say so */
    int halt;               /* a limit of the file was reached: the rest is skipped */
    struct scan_pool *pool; /* workers for the small files of a folder (pwalk.c), or NULL */
    int shrank;             /* a mapping shrank under a worker of split.c (SIGBUS) */
};

/* Files up to this size are read, not mapped (file.c), and scanned by the workers of a
 * folder walk when they are plain text (pwalk.c). */
#define SCAN_SMALL_FILE (64 * 1024)

/* file.c: the context of a walk or of one file (scan_ctx_init: MNV_OK or MNV_ERR_INVALID for
 * bad options), a top-level file's start and end (file_done), and one file from its path
 * (named: given by the caller, so a named pipe is read too). */
enum mnv_err scan_ctx_init(struct scan_ctx *c, const struct scan_opts *opts,
                           const struct scan_handler *h, void *ud);
void scan_file_begin(struct scan_ctx *c, const char *path);
void scan_file_end(struct scan_ctx *c, const char *path);
void scan_one_file(struct scan_ctx *c, const char *path, int named);
/* scan_one_file_at: the same, the file opened as name relative to the folder dirfd (path:
 * how it is reported). scan_problem_errno: a problem with the system's error number. */
void scan_one_file_at(struct scan_ctx *c, int dirfd, const char *name, const char *path, int named);
void scan_problem_errno(struct scan_ctx *c, enum mnv_err err, int saved);

/* walk.c: a folder and everything under it, entries in byte order of their names. */
void scan_walk(struct scan_ctx *c, const char *dir);

/* pwalk.c: worker threads for the small text files of a folder walk, the results handed to
 * c's handler in the order the files were added. scan_pool_new: NULL when one thread is
 * asked for, the machine has one processor, or threads cannot be had. scan_pool_add: a file
 * of the folder dirfd (path: how it is reported, copied; its name starts at path + plen);
 * scan_pool_leave_dir: the walk is about to close dirfd (the pool keeps its own handle as
 * long as it needs one); scan_pool_flush: every file added so far handed on (NULL pool:
 * nothing); scan_pool_free: the threads ended, what was not handed on dropped (NULL:
 * nothing). */
struct scan_pool;
struct scan_pool *scan_pool_new(const struct scan_opts *opts);
void scan_pool_add(struct scan_pool *p, struct scan_ctx *c, int dirfd, const char *path,
                   size_t plen);
void scan_pool_leave_dir(struct scan_pool *p, int dirfd);
void scan_pool_flush(struct scan_pool *p, struct scan_ctx *c);
void scan_pool_free(struct scan_pool *p);

/* scan_is_plain_text (blob.c): 1 when scan_blob() reads b[0..len) as text (no archive,
 * document, PDF, mail, compound file, picture or format not read here). */
int scan_is_plain_text(const uint8_t *b, size_t len);

/* scan_simd_resolve (simd.c): fix the fast path now (before threads read it). */
void scan_simd_resolve(void);

/* scan_bus_arm (file.c): where the calling thread jumps (siglongjmp(*env, 1)) when reading a
 * mapping raises SIGBUS (the file shrank); NULL disarms. Returns what was armed before. */
sigjmp_buf *scan_bus_arm(sigjmp_buf *env);

/* scan_text_split (split.c): a large UTF-8 text scanned in parts by several threads, the
 * findings handed on in order, exactly as one pass gives them. Returns 0 (nothing done) when
 * the text is small, threads are not wanted or cannot be had. */
int scan_text_split(struct scan_ctx *c, const uint8_t *b, size_t len);

/* Unpacked content of one part, grown by scan_out_put(); wiped when freed. */
struct scan_out {
    uint8_t *p;
    size_t n, cap;
    uint64_t packed_now; /* packed bytes read so far (for the ratio); set by the reader */
};

/* scan_limits_begin (blob.c): the limits of a new top-level file (time starts now). */
void scan_limits_begin(struct scan_ctx *c);

/* scan_busy: nothing asked to stop, memory did not run out, no limit was reached. */
int scan_busy(const struct scan_ctx *c);

/* scan_deadline: 1 (after reporting MNV_ERR_SCAN_TIMEOUT once) when the file's time is up. */
int scan_deadline(struct scan_ctx *c);

/* scan_out_init / scan_out_free / scan_out_put: append n bytes within the file's limits.
 * Returns MNV_OK, MNV_ERR_SCAN_TOO_BIG (total or ratio), MNV_ERR_SCAN_TIMEOUT or
 * MNV_ERR_NOMEM; nothing is appended then. */
void scan_out_init(struct scan_out *o);
void scan_out_free(struct scan_out *o);
enum mnv_err scan_out_put(struct scan_ctx *c, struct scan_out *o, const void *data, size_t n);

/* Formats (blob.c, gztar.c, mime.c, cfb.c): 1 when b[0..len) looks like one. */
int scan_is_zip(const uint8_t *b, size_t len);
int scan_is_pdf(const uint8_t *b, size_t len);
int scan_is_gzip(const uint8_t *b, size_t len);
int scan_is_tar(const uint8_t *b, size_t len);
int scan_is_mail(const uint8_t *b, size_t len);
int scan_is_cfb(const uint8_t *b, size_t len);
/* scan_is_container: zip, PDF or gzip: formats that must be read whole, not as a stream. */
int scan_is_container(const uint8_t *b, size_t len);

/* scan_cfb_encrypted (cfb.c): 1 when a compound file's content is encrypted. */
int scan_cfb_encrypted(const uint8_t *b, size_t len);

/* scan_cfb_numbers (cfb.c): the whole numbers an old Excel workbook keeps as numbers,
 * scanned as lines of text under the member "Workbook". */
void scan_cfb_numbers(struct scan_ctx *c, const uint8_t *b, size_t len);

/* Readers: the content of one file at the current place. */
void scan_gzip(struct scan_ctx *c, const uint8_t *data, size_t len);
void scan_tar(struct scan_ctx *c, const uint8_t *data, size_t len);
void scan_mail(struct scan_ctx *c, const uint8_t *data, size_t len);

/* scan_blob: scan one file held in memory at the current place, by what its bytes are. */
void scan_blob(struct scan_ctx *c, const uint8_t *data, size_t len);

/* scan_on_finding (file.c): a finding of the text at the current place, counted and handed
 * to the handler (ud: the scan_ctx); nonzero when the handler asked to stop. */
int scan_on_finding(void *ud, const struct scan_finding *f);

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

/* scan_xml_part (xml.c): the text of one XML part of an office document. */
void scan_xml_part(struct scan_ctx *c, const uint8_t *data, size_t len);

/* scan_pdf (pdf.c): the text of every page, then every attached file. */
void scan_pdf(struct scan_ctx *c, const uint8_t *data, size_t len);

/* One glyph of a PDF page: its box (points, y growing downwards) and its code point. */
struct scan_glyph {
    double x0, y0, x1, y1;
    uint32_t cp;
};

/*
 * scan_pdf_cells (pdfcells.c): the rows of digits printed one per cell among the glyphs
 * g[0..n) of a page, one row a line ("123456789018\n"; wider gaps of grouped cells as one
 * space). *out (malloc'd, NUL-terminated; wipe and free it) is NULL with *len 0 when the
 * page has no such row. Returns MNV_OK or MNV_ERR_NOMEM.
 */
enum mnv_err scan_pdf_cells(const struct scan_glyph *g, size_t n, char **out, size_t *len);

/*
 * scan_next_candidate (simd.c): in UTF-8 (or binary) b[0..len), the first position
 * >= i where a digit stands that may belong to a number; len when there is none. Every
 * number found by the state machine that lies at or after i holds such a position among its
 * digits. The fast path is chosen by scan_simd_set().
 */
size_t scan_next_candidate(const uint8_t *b, size_t len, size_t i);

/* A place in text: its 1-based line and the characters before it on that line. */
struct scan_pos {
    long line;
    long col;
};

/*
 * scan_buffer_at (scan.c): scan_buffer() for one part of a longer text: buf[0..from) is
 * context only (it may be read for keyword hints), numbers are looked for from `from` on,
 * where no number may begin before (a stream is cut where no number can run across).
 * *pos gives the place of `from` and receives that of len (left as it is with
 * SCAN_NO_POSITION, when nothing reads it). No byte-order mark is skipped.
 */
enum mnv_err scan_buffer_at(const uint8_t *buf, size_t len, size_t from, enum scan_encoding enc,
                            const struct scan_opts *opts, scan_finding_fn fn, void *ud,
                            struct scan_pos *pos);

/* scan_is_separator (scan.c): cp may stand between digit groups (see scan.h). */
int scan_is_separator(uint32_t cp);

/* scan_stream_part (stream.c): how many bytes of a stream are read and scanned at a time
 * (4 MiB; the fuzz target lowers it to cut often). */
extern size_t scan_stream_part;

/* scan_fd_text_stream (stream.c): go on scanning fd as text in enc, in parts of bounded
 * size; buf[0..n) (malloc'd, cap bytes) was read already and is taken over (freed). */
void scan_fd_text_stream(struct scan_ctx *c, int fd, uint8_t *buf, size_t n, size_t cap,
                         enum scan_encoding enc);

/* scan_count_newlines (simd.c): how many '\n' bytes b[from..to) holds. */
size_t scan_count_newlines(const uint8_t *b, size_t from, size_t to);

/* scan_cp932_to_utf8 (charset.c): in[0..n) from CP932 into out (size bytes, NUL-terminated).
 * Returns 0, or -1 when it is not CP932 or does not fit. */
int scan_cp932_to_utf8(const char *in, size_t n, char *out, size_t size);

/* scan_bytes_free: wipe and free a buffer that held file content; NULL is fine. */
void scan_bytes_free(void *p, size_t len);

#endif
