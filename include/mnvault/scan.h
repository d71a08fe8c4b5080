/* scan.h (service layer): find My Numbers in files before they leave the workstation.
 *
 * Two levels:
 *   - the core, scan_buffer(): one pass over a byte buffer in a known encoding (UTF-8,
 *     CP932, UTF-16LE/BE, or "binary"), calling back once per number found. A fast path
 *     (AVX2, SSE2 or portable 8-byte words, chosen at run time) skips bytes that cannot
 *     start a digit; every candidate then goes through one careful state machine on code
 *     points. No regular expressions, no backtracking.
 *   - files, scan_path() / scan_stream(): folders recursively, files memory-mapped, the
 *     encoding detected per file, zip-based office files (.xlsx .docx .pptx .ods .odt, and
 *     plain .zip archives) through libzip, gzip and tar, mail (MIME parts in base64 or
 *     quoted-printable, attachments as files), PDF text and form fields through poppler
 *     (in a child process, loaded only when a PDF is met). What cannot be looked into
 *     (password-protected files, archive bombs past the limits, pictures, formats not
 *     read here) is reported as a problem, never passed over as clean.
 *
 * What counts as a number (individual mode, the default): 12 digits, ASCII or full-width
 * (mixed allowed), whose last digit is the right check digit, written either plain
 * ("123456789018") or in 4-4-4 groups with one separator between groups (space, hyphen,
 * ideographic space U+3000, full-width hyphen U+FF0D, hyphens U+2010-U+2013, minus sign
 * U+2212, prolonged sound marks U+30FC/U+FF70). Letters, kana and kanji may touch it
 * ("番号123456789018です" counts). It must not be part of a longer digit run: the
 * characters just before and after are not digits (ASCII or full-width), and a grouped
 * number is not continued by the same separator and more digits on either side (so the
 * 16 digits of "4111 1111 1111 1111" are no My Number). In corporate mode the same holds
 * for 13 digits, check digit first, plain or grouped 1-4-4-4; individual numbers are then
 * not reported, and in individual mode corporate numbers are not.
 *
 * The whole number never leaves the core: a finding carries its position, its form and at
 * most its last four digits. Buffers the scanner fills itself (office text, PDF text) are
 * wiped before they are freed.
 */
#ifndef MNVAULT_SCAN_H
#define MNVAULT_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/mynumber.h"

/* Encodings of text; SCAN_ENC_AUTO means "detect" where a function allows it. */
enum scan_encoding {
    SCAN_ENC_AUTO = 0,
    SCAN_ENC_UTF8,
    SCAN_ENC_CP932, /* Windows Shift_JIS */
    SCAN_ENC_UTF16LE,
    SCAN_ENC_UTF16BE,
    /* Not text: ASCII/UTF-8 digits are looked for, then UTF-16LE at both byte alignments
     * (old .doc/.xls files keep their text that way). */
    SCAN_ENC_BINARY,
};

/* How a number was written (bits of scan_finding.form). */
enum scan_form {
    SCAN_FORM_GROUPED = 1 << 0,   /* 4-4-4 (1-4-4-4) groups; else plain */
    SCAN_FORM_ASCII = 1 << 1,     /* has ASCII digits */
    SCAN_FORM_FULLWIDTH = 1 << 2, /* has full-width digits (both bits: mixed) */
};

/* Options of scan_buffer() and the file functions (bits of scan_opts.flags). */
enum scan_flag {
    SCAN_NO_POSITION = 1 << 0, /* do not compute line and column (they stay 0): faster */
    SCAN_NO_CONTEXT = 1 << 1,  /* do not look for keywords near a number */
};

/* Limits for one file given to scan_path() (with everything inside it), against archive
 * and PDF bombs; 0 in scan_opts means the default. */
#define SCAN_DEFAULT_MAX_UNPACKED ((uint64_t)512 << 20) /* bytes unpacked in all */
#define SCAN_DEFAULT_MAX_RATIO 100u  /* unpacked : packed bytes of one part (past 8 MiB) */
#define SCAN_DEFAULT_MAX_SECONDS 60u /* time spent unpacking and reading containers */

struct scan_opts {
    enum mynumber_kind kind;     /* MYNUMBER_INDIVIDUAL (default) or MYNUMBER_CORPORATE */
    enum scan_encoding encoding; /* SCAN_ENC_AUTO: detect per file; else force for text */
    unsigned flags;              /* enum scan_flag bits */
    uint64_t max_unpacked;       /* see the limits above; 0: the default */
    unsigned max_ratio;
    unsigned max_seconds;
    unsigned threads; /* a folder's small text files scanned by this many threads (results in
                         the same order); 0: one per processor (at most 8); 1: no threads */
};

/*
 * struct scan_finding: one number found. Pointers in it are static strings; the struct is
 * valid only during the callback.
 */
struct scan_finding {
    enum mynumber_kind kind;
    long line;                   /* 1-based line (LF-separated); 0 with SCAN_NO_POSITION */
    long column;                 /* 1-based column in characters (code points) */
    size_t offset;               /* byte offset of the first digit in the scanned buffer */
    size_t length;               /* bytes from the first to the last digit */
    enum scan_encoding encoding; /* the encoding it was found in */
    unsigned form;               /* enum scan_form bits */
    char last4[5];               /* the last four digits, NUL-terminated: show only on request */
    const char *keyword;         /* a keyword found nearby ("個人番号", "マイナンバー",
                                    "My Number"), or NULL; a confidence hint */
};

/*
 * scan_finding_fn: called once per finding, in order of position within a buffer.
 * Return 0 to go on, nonzero to stop the scan (e.g. --quiet after the first number).
 */
typedef int (*scan_finding_fn)(void *ud, const struct scan_finding *f);

/*
 * scan_buffer: look for numbers in buf[0..len) in encoding enc (not SCAN_ENC_AUTO; use
 * scan_detect_encoding() first). A byte-order mark matching enc is skipped. Calls fn for
 * each finding. *found (may be NULL) receives the number of findings.
 * Returns MNV_OK, MNV_ERR_INTERRUPTED when fn asked to stop, or MNV_ERR_INVALID for a bad
 * enc or kind. buf may be NULL when len is 0. The buffer is only read; nothing is allocated.
 */
MNV_MUST_CHECK enum mnv_err scan_buffer(const void *buf, size_t len, enum scan_encoding enc,
                                        const struct scan_opts *opts, scan_finding_fn fn, void *ud,
                                        size_t *found) MNV_NONNULL(4, 5);

/*
 * scan_detect_encoding: guess the encoding of a text buffer: a byte-order mark first, then
 * NUL bytes and the shape of UTF-16, then whichever of UTF-8 and CP932 decodes a sample
 * with fewer errors (UTF-8 on a tie, and for pure ASCII). Text that fits none of them is
 * SCAN_ENC_BINARY. Looks at a bounded sample (64 KiB, moved to the first non-ASCII byte
 * when the start is pure ASCII), so the cost does not grow with the file.
 */
enum scan_encoding scan_detect_encoding(const void *buf, size_t len);

/* scan_encoding_name: "utf-8", "cp932", "utf-16le", "utf-16be", "binary"; never NULL. */
const char *scan_encoding_name(enum scan_encoding enc);

/*
 * scan_encoding_parse: the inverse of scan_encoding_name(), plus "auto", "sjis",
 * "shift_jis" and "utf8" (case-insensitive). Returns 0, or -1 when unknown.
 */
MNV_MUST_CHECK int scan_encoding_parse(const char *name, enum scan_encoding *enc) MNV_NONNULL(1, 2);

/* Which fast path scan_buffer() uses to skip bytes without digits. */
enum scan_simd {
    SCAN_SIMD_AUTO = -1, /* the best the CPU has (the default) */
    SCAN_SIMD_PORTABLE = 0,
    SCAN_SIMD_SSE2 = 1,
    SCAN_SIMD_AVX2 = 2,
};

/*
 * scan_simd_set: choose the fast path, for tests and benchmarks (all give the same
 * findings). A level the CPU or the build lacks falls back to the best one below it.
 * Returns the level now in effect. Not thread-safe; call before scanning.
 */
enum scan_simd scan_simd_set(enum scan_simd level);

/* Where a finding or problem is: a file, maybe members of archives inside it, maybe a page. */
#define SCAN_MAX_NESTING 8
struct scan_place {
    const char *path;                      /* as given or found while walking; "-" for stdin */
    const char *members[SCAN_MAX_NESTING]; /* archive members, outermost first */
    int depth;                             /* how many members[] are set */
    int page;                              /* 1-based PDF page, 0 when not a PDF page */
    int page_depth; /* the page is of the PDF that members[0..page_depth) lead to; members
                       after it are inside the page (a form field) */
};

/* What a file turned out to be (scan_file_result.format). */
enum scan_format {
    SCAN_FMT_EMPTY = 0,
    SCAN_FMT_TEXT,   /* scan_file_result.encoding says which */
    SCAN_FMT_OFFICE, /* a zip-based office document (OOXML or OpenDocument) */
    SCAN_FMT_ZIP,    /* another zip archive: every member is checked */
    SCAN_FMT_PDF,
    SCAN_FMT_GZIP, /* gzip (a .tar.gz is this, with the tar inside) */
    SCAN_FMT_TAR,
    SCAN_FMT_MAIL,     /* a MIME message (.eml) */
    SCAN_FMT_COMPOUND, /* an OLE compound file (.doc .xls .ppt .msg; encrypted OOXML) */
    SCAN_FMT_OTHER,    /* a picture or a format not read here (reported as a problem) */
};

/*
 * What a problem means for the result (scan_problem_kind()):
 *   SCAN_NOT_SCANNED: the file was there, but (a part of) it could not be looked into:
 *     password protection, a limit, damage, a picture, a format or method not read here.
 *   SCAN_ERROR: the scan itself failed: a file could not be opened or read, memory ran out.
 * Neither ever counts as clean.
 */
enum scan_problem_kind {
    SCAN_ERROR = 0,
    SCAN_NOT_SCANNED = 1,
};

/* scan_problem_kind: which kind a problem reported with err is. */
enum scan_problem_kind scan_problem_kind(enum mnv_err err);

/* scan_problem_tag: a short stable name of what was not scanned, for programs:
 * "encrypted", "too_large", "too_long", "damaged", "unsupported", "picture", "too_deep",
 * "changed"; "error" for SCAN_ERROR problems. Never NULL. */
const char *scan_problem_tag(enum mnv_err err);

struct scan_file_result {
    enum scan_format format;
    enum scan_encoding encoding; /* for SCAN_FMT_TEXT */
    size_t findings;             /* numbers found in this file (all members and pages) */
    size_t problems;             /* parts that could not be read (reported to .problem) */
};

/*
 * Callbacks of the file functions; ud is passed through. Every pointer they receive is
 * valid only during the call. Any callback may be NULL.
 *   finding:   a number; return nonzero to stop everything (scan_path then returns
 *              MNV_ERR_INTERRUPTED).
 *   problem:   a file or part of one that could not be read, and why (err with diag:
 *              diag->saved_errno for I/O errors). The caller should count it as an error.
 *   skipped:   a path deliberately not scanned, and why (MNV_ERR_SCAN_SPECIAL for devices,
 *              pipes and sockets met while walking a folder, MNV_ERR_SCAN_LINK_DIR for
 *              symbolic links to folders, which are never followed inside a folder).
 *   file_done: a file (on disk or stdin) was read, with what was found in it.
 */
struct scan_handler {
    int (*finding)(void *ud, const struct scan_place *place, const struct scan_finding *f);
    void (*problem)(void *ud, const struct scan_place *place, enum mnv_err err,
                    const struct mnv_diag *diag);
    void (*skipped)(void *ud, const char *path, enum mnv_err why);
    void (*file_done)(void *ud, const char *path, const struct scan_file_result *res);
};

/*
 * scan_path: scan a file, or a folder and everything under it (entries in byte order of
 * their names). Symbolic links named in path itself are followed; inside folders, links
 * to files are followed and links to folders are not (no loops). Regular files are
 * memory-mapped (files reporting size 0, like those in /proc, are read instead); a named
 * pipe given as path is read as a stream.
 * Returns MNV_OK when the walk finished (problems are reported through h->problem, not
 * here), MNV_ERR_INTERRUPTED when h->finding asked to stop, MNV_ERR_NOMEM when memory ran
 * out. Never prints.
 */
MNV_MUST_CHECK enum mnv_err scan_path(const char *path, const struct scan_opts *opts,
                                      const struct scan_handler *h, void *ud) MNV_NONNULL(1, 2, 3);

/*
 * scan_stream: read fd to its end (into memory) and scan it as one file named label
 * (e.g. "-" for standard input). fd is not closed. Returns as scan_path().
 */
MNV_MUST_CHECK enum mnv_err scan_stream(int fd, const char *label, const struct scan_opts *opts,
                                        const struct scan_handler *h, void *ud)
    MNV_NONNULL(2, 3, 4);

/*
 * scan_memory: scan an in-memory file (any format scan_path() understands) as if it were
 * the file label. The buffer is only read. Returns as scan_path(). For tests and for
 * callers that already hold the bytes.
 */
MNV_MUST_CHECK enum mnv_err scan_memory(const void *buf, size_t len, const char *label,
                                        const struct scan_opts *opts, const struct scan_handler *h,
                                        void *ud) MNV_NONNULL(3, 4, 5);

#endif
