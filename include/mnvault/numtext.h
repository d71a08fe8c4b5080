/* numtext.h (base layer): the one place that knows how a My Number looks inside text —
 * which characters are its digits and separators, its check digits, and whether a text
 * holds a valid number. The parser (mynumber.h), the scanner (scan.h), the reveal reason,
 * the person fields and the audit writer all ask here, so they never disagree.
 *
 * Characters (numtext_classify):
 *   digits      ASCII 0-9 and full-width ０-９ (U+FF10-U+FF19);
 *   separators  space, tab, ideographic space U+3000, hyphen-minus, full-width hyphen-minus
 *               U+FF0D, the hyphens and dashes U+2010-U+2015, minus sign U+2212, and the
 *               prolonged sound marks ー U+30FC and ｰ U+FF70 (Japanese input often types a
 *               dash as a long-vowel mark);
 *   line breaks CR and LF (the parser skips them; finding treats them as separators only in
 *               NUMTEXT_ANY_RUN mode).
 *
 * Check digits (see doc/mynumber.md):
 *   individual (個人番号, 12 digits): the last digit; weights 6 5 4 3 2 7 6 5 4 3 2 on digits
 *     1..11, r = sum mod 11, check = r <= 1 ? 0 : 11 - r.
 *   corporate (法人番号, 13 digits): the FIRST digit; over the 12 base digits counted from the
 *     right, weight 1 on odd and 2 on even positions, check = 9 - sum mod 9.
 *
 * Finding numbers. A "token" is digits joined by separators. Two rules:
 *   written (flags without NUMTEXT_ANY_RUN): a number as people write one: a group of
 *     exactly 12 digits (ASCII, full-width or mixed), or three groups of four joined by one
 *     separator each, not continued on either side by the same separator and more digits
 *     (so the 16 digits of "4111 1111 1111 1111" are no number). It is never part of a
 *     longer digit run. Letters, kana and kanji may touch it ("番号123456789018です" counts).
 *     With NUMTEXT_CORPORATE: 13 digits, plain or grouped 1-4-4-4, check digit first.
 *   any run (NUMTEXT_ANY_RUN): any 12 (13) digits in a row, any number of separators and
 *     line breaks between them, inside longer runs too ("99123456789018" counts). The rule
 *     for text that will be stored, where a number must not hide in any form.
 * NUMTEXT_WORDS adds: a token that touches an ASCII letter on either side, or that is one run
 * of more than 12 (13) digits without separators, is an identifier and holds no number (the
 * digits of a hex identifier such as "backup:3fa1234567890185c…", a long count).
 * It is for text that machines compose (the audit writer); text a person typed is checked
 * without it. Under NUMTEXT_ANY_RUN or NUMTEXT_WORDS a token reports at most one number (its
 * first), when the token ends.
 */
#ifndef MNVAULT_NUMTEXT_H
#define MNVAULT_NUMTEXT_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"

enum numtext_class {
    NUMTEXT_OTHER = 0,
    NUMTEXT_DIGIT,
    NUMTEXT_SEPARATOR,
    NUMTEXT_LINEBREAK,
};

/* numtext_classify: the class of one code point (see above). */
enum numtext_class numtext_classify(uint32_t cp);

/* numtext_digit: the value 0-9 of an ASCII or full-width digit, or -1. */
int numtext_digit(uint32_t cp);

/*
 * numtext_check_digit_individual: the check digit (0-9) for 11 ASCII digits, most
 * significant first. Returns -1 when base11 holds a non-digit.
 */
MNV_MUST_CHECK int numtext_check_digit_individual(const char base11[11]) MNV_NONNULL(1);

/*
 * numtext_check_digit_corporate: the check digit (1-9) for the 12 base digits of a
 * corporate number, most significant first. Returns -1 when base12 holds a non-digit.
 */
MNV_MUST_CHECK int numtext_check_digit_corporate(const char base12[12]) MNV_NONNULL(1);

/*
 * numtext_valid_individual: 1 when d[0..12) are ASCII digits whose last digit is the right
 * check digit, else 0.
 */
MNV_MUST_CHECK int numtext_valid_individual(const char d[12]) MNV_NONNULL(1);

/* numtext_valid_corporate: the same for 13 digits, check digit first. */
MNV_MUST_CHECK int numtext_valid_corporate(const char d[13]) MNV_NONNULL(1);

/* Options of finding (bits of the flags arguments below). */
enum numtext_flag {
    NUMTEXT_CORPORATE = 1 << 0, /* corporate numbers (13 digits) instead of individual ones */
    NUMTEXT_ANY_RUN = 1 << 1,   /* the "any run" rule instead of the "written" one */
    NUMTEXT_WORDS = 1 << 2,     /* identifiers (see above) hold no number */
};

/* How a number found was written (bits of numtext_span.form). */
enum numtext_form {
    NUMTEXT_FORM_GROUPED = 1 << 0,   /* 4-4-4 (1-4-4-4) groups; else plain (written rule) */
    NUMTEXT_FORM_ASCII = 1 << 1,     /* has ASCII digits */
    NUMTEXT_FORM_FULLWIDTH = 1 << 2, /* has full-width digits (both bits: mixed) */
};

/*
 * One number found. start and end are offsets as the caller gave them to the reader: the
 * first digit's, and the end of the last digit. last4 holds the last four digits (not
 * NUL-terminated); the span is valid only during the callback and is wiped afterwards.
 */
struct numtext_span {
    size_t start, end;
    unsigned form; /* enum numtext_form bits */
    char last4[4];
};

/* Called once per number found; a nonzero return stops the reader. */
typedef int (*numtext_fn)(void *ud, const struct numtext_span *span);

/* A group of digits inside the token being read (the reader's own state). */
struct numtext_group {
    size_t start, end;  /* offsets of the first digit and after the last */
    uint32_t sep;       /* the separator before the group; 0 when the token starts here */
    unsigned n;         /* digits, counting stops at 14 */
    unsigned char form; /* enum numtext_form bits */
    char d[13];         /* the first 13 digits, ASCII */
};

/*
 * numtext_grouped: the written rule's grouped form, over the groups g[0..ng) of a token read
 * so far (want: 12 or 13 digits). When the last groups are 4-4-4 (corporate 1-4-4-4) and
 * neither the separator before the first of them nor right (the separator after the last,
 * 0 for none) continues the run, copies their digits to d and ORs their form bits into
 * *form; returns the index of the first of them. Else returns -1 and leaves d alone. The
 * check digit is not looked at. For the scanner, which reads its tokens its own way.
 */
MNV_MUST_CHECK int numtext_grouped(const struct numtext_group *g, int ng, unsigned want,
                                   uint32_t right, char d[13], unsigned *form) MNV_NONNULL(1, 5, 6);

/*
 * struct numtext_reader: the recogniser as a state machine fed one code point at a time,
 * so that any decoder (UTF-8 here; CP932 and UTF-16 in the scanner) can drive it. Its
 * fields are private; it holds digits of the text, so finish with numtext_reader_end().
 */
struct numtext_reader {
    unsigned flags, want; /* enum numtext_flag bits; 12 or 13 digits */
    numtext_fn fn;
    void *ud;
    size_t found; /* numbers reported */
    int stop;     /* fn asked to stop */
    int state;    /* 0 outside a token, 1 in a group of digits, 2 after a separator */
    int prev_letter, touch_left;
    uint32_t sep; /* the separator read after the last group (state 2) */
    int ng;
    struct numtext_group g[4];
    unsigned nwin; /* any-run rule: the last digits of the token, oldest first */
    char win[13];
    size_t win_start[13];
    unsigned char win_form[13];
    int held; /* a number kept until the token ends (any-run rule, NUMTEXT_WORDS) */
    struct numtext_span hold;
};

/*
 * numtext_reader_init: a reader that reports numbers to fn(ud, span) under flags (enum
 * numtext_flag bits). fn may be NULL: then only r->found counts them.
 */
void numtext_reader_init(struct numtext_reader *r, unsigned flags, numtext_fn fn, void *ud)
    MNV_NONNULL(1);

/*
 * numtext_reader_put: feed the code point cp that takes the bytes [off, off+len) of the
 * caller's text (offsets must grow). Feed U+FFFD for undecodable bytes. Returns 1 once fn
 * asked to stop (later input is ignored), else 0.
 */
int numtext_reader_put(struct numtext_reader *r, uint32_t cp, size_t off, size_t len)
    MNV_NONNULL(1);

/*
 * numtext_reader_end: the text ended: decide the last token, then wipe every digit the
 * reader holds. Returns the count of numbers reported (r->found). The reader may be
 * initialised again afterwards.
 */
size_t numtext_reader_end(struct numtext_reader *r) MNV_NONNULL(1);

/*
 * numtext_find: run a reader over the UTF-8 text[0..len) (invalid bytes count as other
 * characters) and report each number to fn (may be NULL). Returns how many were reported.
 * text may be NULL when len is 0.
 */
size_t numtext_find(const char *text, size_t len, unsigned flags, numtext_fn fn, void *ud);

/*
 * numtext_has_number: 1 when the UTF-8 text[0..len) holds a valid number under flags, else
 * 0. Free text a person typed and that will be stored is checked with NUMTEXT_ANY_RUN.
 */
MNV_MUST_CHECK int numtext_has_number(const char *text, size_t len, unsigned flags);

#endif
