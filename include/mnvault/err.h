/*
 * err.h: the one error type of mnvault, and the diagnostic record (base layer).
 *
 * Every function that can fail returns enum mnv_err: 0 (MNV_OK) or a negative code. The
 * codes and their messages come from one table (MNV_ERR_LIST) so that a code can never lack
 * a message. mnv_err_str() returns the untranslated message id; only the front ends (cli,
 * tui) translate it with _() and show it. MNV_ERR_SYSTEM means "see the saved errno".
 *
 * Codes are grouped by area so that work on different modules does not collide:
 *   1-99 base, 100-199 key file, 200-299 store, 300-399 accounts and login,
 *   400-499 audit, 500-599 scan, 600-699 collection and import, 700-799 backup and recovery.
 * Messages say what went wrong in words a clerk understands; never a number, key or password.
 */
#ifndef MNVAULT_ERR_H
#define MNVAULT_ERR_H

#include <stddef.h>

#include "mnvault/attr.h"

/* X(NAME, code, N_(message id)); N_ marks the message for xgettext (see i18n.h). */
#define MNV_ERR_LIST(X) \
    /* base */ \
    X(SYSTEM, 1, N_("system error")) \
    X(NOMEM, 2, N_("out of memory")) \
    X(USAGE, 3, N_("invalid usage")) \
    X(IO, 4, N_("cannot read or write the file")) \
    X(RANGE, 5, N_("value out of range")) \
    X(INVALID, 6, N_("invalid value")) \
    X(NOT_FOUND, 7, N_("not found")) \
    X(EXISTS, 8, N_("already exists")) \
    X(TOO_LONG, 9, N_("input line is too long")) \
    X(ENCODING, 10, N_("the text is not valid UTF-8")) \
    X(CONFIG_SYNTAX, 11, N_("this line is neither [section], a comment, nor key = value")) \
    X(CONFIG_INT, 12, N_("expected a whole number in the allowed range")) \
    X(CONFIG_BOOL, 13, N_("expected true or false")) \
    X(CONFIG_CHOICE, 14, N_("expected one of the allowed values")) \
    X(CONFIG_TEXT, 15, N_("the text is too long or contains a control character")) \
    X(CONFIG_UNKNOWN, 16, N_("unknown key (ignored)")) \
    X(CONFIG_BOM, 17, N_("the file starts with a byte-order mark; save it as UTF-8 without BOM")) \
    X(NUM_EMPTY, 20, N_("the number is empty")) \
    X(NUM_SHORT, 21, N_("too few digits: a My Number has 12")) \
    X(NUM_LONG, 22, N_("too many digits: a My Number has 12")) \
    X(NUM_CHAR, 23, N_("contains a character that is not a digit")) \
    X(NUM_CHECK, 24, N_("the check digit is wrong (a digit was probably mistyped)")) \
    X(CORP_SHORT, 25, N_("too few digits: a corporate number has 13")) \
    X(CORP_LONG, 26, N_("too many digits: a corporate number has 13")) \
    X(CRYPTO, 30, N_("cryptographic library failure")) \
    X(INTERRUPTED, 31, N_("interrupted")) \
    /* key file: 100-199 */ \
    /* store: 200-299 */ \
    /* accounts and login: 300-399 */ \
    X(PW_SHORT, 300, N_("the password is too short")) \
    X(PW_LONG, 301, N_("the password is too long (at most 256 bytes)")) \
    X(PW_COMMON, 302, N_("this password is too common; choose another (a long phrase of several words works well)")) \
    X(PW_DICTIONARY, 303, N_("this password is based on a dictionary word; choose another (a long phrase of several words works well)")) \
    X(PW_USERNAME, 304, N_("the password must not contain the user name")) \
    X(PW_UNAVAILABLE, 305, N_("passwords cannot be checked because a word list is missing; ask the administrator to reinstall mnvault and cracklib-runtime")) \
    X(TOTP_WRONG, 310, N_("the confirmation code is wrong")) \
    X(TOTP_REPLAY, 311, N_("this confirmation code was already used; wait for the next one")) \
    /* audit: 400-499 */ \
    /* scan: 500-599 */ \
    /* collection and import: 600-699 */ \
    /* backup and recovery: 700-799 */ \
    X(SHARES_FEW, 700, N_("not enough recovery shares")) \
    X(SHARES_MIXED, 701, N_("these recovery shares come from different sets")) \
    X(SHARES_BAD, 702, N_("the recovery shares do not fit together (one of them is wrong)")) \
    X(SHARES_TYPO, 703, N_("a group of the recovery share was mistyped")) \
    X(SHARES_FORMAT, 704, N_("this is not a recovery share"))

enum mnv_err {
    MNV_OK = 0,
#define MNV_ERR_ENUM_(name, code, msg) MNV_ERR_##name = -(code),
    MNV_ERR_LIST(MNV_ERR_ENUM_)
#undef MNV_ERR_ENUM_
};

/*
 * mnv_err_str: the message id (English, untranslated) for a code; never NULL. Unknown
 * codes give a generic message. The caller translates it with _() before showing it.
 */
const char *mnv_err_str(enum mnv_err err);

/* mnv_err_name: the code's symbolic name ("NUM_CHECK"), for logs and tests; never NULL. */
const char *mnv_err_name(enum mnv_err err);

/*
 * struct mnv_diag: details a service adds to an error for the person who will read it,
 * e.g. the file and line of a bad config key. Owned by the caller; services fill it and
 * never allocate. Text in it is already meant for people (translated message ids are
 * filled in by front ends, so services put data here, not sentences), and never holds a
 * My Number, key or password.
 */
struct mnv_diag {
    int saved_errno;     /* errno at the failure, for MNV_ERR_SYSTEM/IO; 0 if none */
    long line;           /* line number in a file, 1-based; 0 when not about a line */
    long column;         /* column or character position, 1-based; 0 when unknown */
    char where[512];     /* a file name or other place; "" when none */
    char item[128];      /* the item at fault: a config key, a CSV column, a field; "" */
    char detail[512];    /* extra data: the expected form, the bad character…; "" when none */
};

/* mnv_diag_clear: reset every field. diag may be NULL (then nothing happens). */
void mnv_diag_clear(struct mnv_diag *diag);

/* mnv_diag_where/_item/_detail: printf into the field, truncating; NULL diag is ignored. */
void mnv_diag_where(struct mnv_diag *diag, const char *fmt, ...) MNV_PRINTF(2, 3);
void mnv_diag_item(struct mnv_diag *diag, const char *fmt, ...) MNV_PRINTF(2, 3);
void mnv_diag_detail(struct mnv_diag *diag, const char *fmt, ...) MNV_PRINTF(2, 3);

/* mnv_diag_errno: remember errno (call right after the failing system call). */
void mnv_diag_errno(struct mnv_diag *diag, int err);

#endif
