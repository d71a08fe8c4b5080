/* err.h (base layer): the one error type of mnvault, and the diagnostic record.
 *
 * Every function that can fail returns enum mnv_err: 0 (MNV_OK) or a negative code. The
 * codes and their messages come from one table (MNV_ERR_LIST) so that a code can never lack
 * a message. mnv_err_str() returns the untranslated message id; only the front ends (cli,
 * tui) translate it with _() and show it. MNV_ERR_SYSTEM means "see the saved errno".
 *
 * Codes are grouped by area so that work on different modules does not collide:
 *   1-99 base, 100-199 key file, 200-299 store, 300-399 accounts and login,
 *   400-499 audit, 500-599 scan, 600-699 collection and import, 700-799 backup and recovery,
 *   800-899 forms, exports and payroll figures, 900-949 printed forms (PDF),
 *   950-999 retention and disposal.
 * Messages say what went wrong in words a clerk understands; never a number, key or password.
 */
#ifndef MNVAULT_ERR_H
#define MNVAULT_ERR_H

#include <stddef.h>

#include "mnvault/attr.h"

/* X(NAME, code, N_(message id)); N_ marks the message for xgettext (see i18n.h). */
#define MNV_ERR_LIST(X)                                                                                        \
    /* base */                                                                                                 \
    X(SYSTEM, 1, N_("system error"))                                                                           \
    X(NOMEM, 2, N_("out of memory"))                                                                           \
    X(USAGE, 3, N_("invalid usage"))                                                                           \
    X(IO, 4, N_("cannot read or write the file"))                                                              \
    X(RANGE, 5, N_("value out of range"))                                                                      \
    X(INVALID, 6, N_("invalid value"))                                                                         \
    X(NOT_FOUND, 7, N_("not found"))                                                                           \
    X(EXISTS, 8, N_("already exists"))                                                                         \
    X(TOO_LONG, 9, N_("input line is too long"))                                                               \
    X(ENCODING, 10, N_("the text is not valid UTF-8"))                                                         \
    X(CONFIG_SYNTAX, 11, N_("this line is neither [section], a comment, nor key = value"))                     \
    X(CONFIG_INT, 12, N_("expected a whole number in the allowed range"))                                      \
    X(CONFIG_BOOL, 13, N_("expected true or false"))                                                           \
    X(CONFIG_CHOICE, 14, N_("expected one of the allowed values"))                                             \
    X(CONFIG_TEXT, 15, N_("the text is too long or contains a control character"))                             \
    X(CONFIG_UNKNOWN, 16, N_("unknown key (ignored)"))                                                         \
    X(CONFIG_BOM, 17, N_("the file starts with a byte-order mark; save it as UTF-8 without BOM"))              \
    X(CONFIG_SYSTEM_ONLY, 18,                                                                                  \
      N_("this setting is read only from the system configuration /etc/mnvault/mnvault.ini "                   \
         "(ignored here)"))                                                                                    \
    X(NUM_EMPTY, 20, N_("the number is empty"))                                                                \
    X(NUM_SHORT, 21, N_("too few digits: a My Number has 12"))                                                 \
    X(NUM_LONG, 22, N_("too many digits: a My Number has 12"))                                                 \
    X(NUM_CHAR, 23, N_("contains a character that is not a digit"))                                            \
    X(NUM_CHECK, 24, N_("the check digit is wrong (a digit was probably mistyped)"))                           \
    X(CORP_SHORT, 25, N_("too few digits: a corporate number has 13"))                                         \
    X(CORP_LONG, 26, N_("too many digits: a corporate number has 13"))                                         \
    X(CRYPTO, 30, N_("cryptographic library failure"))                                                         \
    X(INTERRUPTED, 31, N_("interrupted"))                                                                      \
    /* key file: 100-199 */                                                                                    \
    X(KEYFILE_MISSING, 100,                                                                                    \
      N_("there is no vault in this folder (the key file vault.keys is missing)"))                             \
    X(KEYFILE_DAMAGED, 101,                                                                                    \
      N_("the key file vault.keys is damaged or truncated; restore it from a backup"))                         \
    X(KEYFILE_VERSION, 102, N_("the key file was written by a newer version of mnvault"))                      \
    X(KEYFILE_ALTERED, 103,                                                                                    \
      N_("the protected part of the key file was altered, or the key file belongs to another "                 \
         "vault"))                                                                                             \
    X(KEYFILE_FULL, 104, N_("the key file cannot hold more users"))                                            \
    X(SLOT_WRONG, 105, N_("the password does not open this key slot"))                                         \
    X(EPOCH_GONE, 106,                                                                                         \
      N_("this data key was wrapped by a key generation that has been destroyed"))                             \
    X(SEAL_BROKEN, 107, N_("encrypted data failed its integrity check (damaged or altered)"))                  \
    X(VAULT_EXISTS, 108,                                                                                       \
      N_("a vault already exists in this folder; init never touches an existing vault"))                       \
    X(VAULT_PARTIAL, 109,                                                                                      \
      N_("this folder holds part of a vault (one of vault.db and vault.keys is missing)"))                     \
    /* store: 200-299 */                                                                                       \
    X(NUMBER_KEY, 110, N_("this sign-in holds no key that opens My Numbers"))                                  \
    X(KEYFILE_UPGRADE, 111,                                                                                    \
      N_("this vault's keys must be upgraded to the new format: a supervisor signs in first"))                 \
    X(KEYFILE_ROLLBACK, 112,                                                                                   \
      N_("the key file vault.keys is older than the vault database records"))                                  \
    X(DB_OPEN, 200, N_("cannot open the vault database"))                                                      \
    X(DB_CIPHER, 201, N_("the SQLCipher library is not version 4; refusing to use it"))                        \
    X(DB_KEY, 202,                                                                                             \
      N_("the vault database cannot be decrypted with its key (wrong key file, or page 1 is "                  \
         "damaged)"))                                                                                          \
    X(DB_CORRUPT, 203, N_("the vault database is damaged"))                                                    \
    X(DB_NEWER, 204, N_("the vault database was written by a newer version of mnvault"))                       \
    X(DB_ROLLBACK, 205,                                                                                        \
      N_("the vault database is older than its key file records (rolled back or replaced by an "               \
         "old copy); refusing to open it"))                                                                    \
    X(DB_MISSING, 206, N_("the vault database vault.db is missing"))                                           \
    X(DB, 207, N_("database error"))                                                                           \
    X(DB_BUSY, 208, N_("the vault is in use by another mnvault process; try again"))                           \
    X(DB_TEMP, 209, N_("this SQLite build keeps temporary data in files; refusing to run"))                    \
    X(DB_FOREIGN, 210, N_("the vault database and the key file belong to different vaults"))                   \
    X(DB_NOMEM, 211,                                                                                           \
      N_("out of memory while decrypting the vault database (the vault is not damaged); "                      \
         "try again when more memory is free"))                                                                \
    X(FIELD_EMPTY, 220, N_("this field must not be empty"))                                                    \
    X(FIELD_LONG, 221, N_("this field is too long"))                                                           \
    X(FIELD_CHARS, 222, N_("this field contains characters that are not allowed"))                             \
    X(FIELD_DATE, 223,                                                                                         \
      N_("not a date: write it as 2025-04-01, 2025/4/1, R7.4.1 or 令和7年4月1日"))                             \
    X(FIELD_DATE_ORDER, 224, N_("the retirement date is before the hire date"))                                \
    X(FIELD_FUTURE, 225, N_("this date is in the future"))                                                     \
    X(FIELD_POSTAL, 226, N_("a postal code has 7 digits (123-4567)"))                                          \
    X(FIELD_EMPINS, 227, N_("an employment insurance number has 11 digits (1234-567890-1)"))                   \
    X(FIELD_PENSION, 228, N_("a basic pension number has 10 digits (1234-567890)"))                            \
    X(FIELD_CHOICE, 229, N_("not one of the allowed values"))                                                  \
    X(FIELD_KANA, 230, N_("the reading must be written in katakana"))                                          \
    X(CODE_TAKEN, 231, N_("this employee code is already in use"))                                             \
    X(PERSON_NOT_FOUND, 232, N_("no such employee or dependent"))                                              \
    X(FIELD_NUMBER, 233, N_("this text must not contain a My Number"))                                         \
    X(FIELD_NO_SUCH_DAY, 234,                                                                                  \
      N_("there is no such day: check the month, the day, and the years of the era"))                          \
    X(FIELD_LEFT_ORDER, 235, N_("the day the dependant left is before their birth date"))                      \
    X(NUMBER_DUPLICATE, 240, N_("this My Number is already registered to another record"))                     \
    X(NUMBER_NONE, 241, N_("no My Number is stored for this person"))                                          \
    X(PURPOSE_UNKNOWN, 242, N_("unknown purpose of use"))                                                      \
    X(PURPOSE_NOT_NOTIFIED, 243,                                                                               \
      N_("this purpose of use was not notified for this number, so the number may not be used "                \
         "for it"))                                                                                            \
    X(PURPOSE_NEEDED, 244, N_("name at least one purpose of use notified to the person"))                      \
    X(REASON_NEEDED, 245, N_("give a reason"))                                                                 \
    X(REASON_NUMBER, 246, N_("the reason must not contain a My Number"))                                       \
    X(NUMBER_STATE, 247, N_("the number's status does not allow this"))                                        \
    X(PURPOSE_NOTIFIED, 248, N_("this purpose of use was already notified for this number"))                   \
    X(PURPOSES_FILE, 249, N_("the list of purposes of use (purposes.ini) is wrong"))                           \
    X(REFUSAL_HAS_NUMBER, 250,                                                                                 \
      N_("a My Number is stored for this person; a refusal can be recorded only while none is"))               \
    /* accounts and login: 300-399 */                                                                          \
    X(PW_SHORT, 300, N_("the password is too short"))                                                          \
    X(PW_LONG, 301, N_("the password is too long (at most 256 bytes)"))                                        \
    X(PW_COMMON, 302,                                                                                          \
      N_("this password is too common; choose another (a long phrase of several words works "                  \
         "well)"))                                                                                             \
    X(PW_DICTIONARY, 303,                                                                                      \
      N_("this password is based on a dictionary word; choose another (a long phrase of several "              \
         "words works well)"))                                                                                 \
    X(PW_USERNAME, 304, N_("the password must not contain the user name"))                                     \
    X(PW_UNAVAILABLE, 305,                                                                                     \
      N_("passwords cannot be checked because a word list is missing; ask the administrator to "               \
         "reinstall mnvault and cracklib-runtime"))                                                            \
    X(TOTP_WRONG, 310, N_("the confirmation code is wrong"))                                                   \
    X(TOTP_REPLAY, 311, N_("this confirmation code was already used; wait for the next one"))                  \
    X(LOGIN_FAILED, 320, N_("wrong user name or password"))                                                    \
    X(LOCKED, 321, N_("this account is locked after too many failed attempts"))                                \
    X(WINDOW, 322, N_("this account may not sign in at this time"))                                            \
    X(EXPIRED, 323, N_("this account is no longer valid"))                                                     \
    X(TOTP_NEEDED, 324, N_("enter the confirmation code from the authenticator app"))                          \
    X(MUST_CHANGE, 325, N_("the password must be changed now"))                                                \
    X(DISABLED, 326, N_("this account is disabled"))                                                           \
    X(DENIED, 327, N_("your role does not allow this"))                                                        \
    X(USER_EXISTS, 328, N_("a user with this name already exists"))                                            \
    X(USER_NOT_FOUND, 329, N_("no such user"))                                                                 \
    X(USER_NAME, 330, N_("a user name has 1 to 32 letters, digits, dots, hyphens or underscores"))             \
    X(ROLE, 331, N_("unknown role (clerk, supervisor, auditor or admin)"))                                     \
    X(SESSION_LOCKED, 332, N_("the session is locked; enter the password to continue"))                        \
    X(LAST_ADMIN, 333, N_("the last active administrator cannot be disabled"))                                 \
    X(PW_SAME, 334, N_("the new password must differ from the old one"))                                       \
    X(PW_MISMATCH, 335, N_("the two new passwords differ"))                                                    \
    X(TOTP_NONE, 336, N_("no authenticator app is set up for this user"))                                      \
    X(TOTP_ENROLLED, 337, N_("an authenticator app is already set up for this user"))                          \
    X(SELF, 338, N_("you cannot do this to your own account"))                                                 \
    X(WINDOW_FORMAT, 339, N_("an access window is days like mon-fri and hours like 08:00-20:00"))              \
    /* audit: 400-499 */                                                                                       \
    X(APPROVAL_PENDING, 340,                                                                                   \
      N_("this account waits for a supervisor's approval before it can use My Numbers"))                       \
    X(NOT_PENDING, 341, N_("this account does not wait for approval"))                                         \
    X(SESSION_ENDED, 342,                                                                                      \
      N_("your access to this vault changed since you signed in; sign in again"))                              \
    X(APPROVAL_EARLY, 343,                                                                                     \
      N_("the account still has the password an administrator set: approve it once its owner "                 \
         "has signed in and chosen their own"))                                                                \
    X(APPROVAL_CODE, 344,                                                                                      \
      N_("the approval code does not match this account's key: ask its owner for the code "                    \
         "they were shown"))                                                                                   \
    X(AUDIT_BROKEN, 400,                                                                                       \
      N_("the audit log does not fit together: an entry was changed, removed or inserted"))                    \
    X(AUDIT_ANCHOR, 401, N_("the audit log does not reach the head recorded in the key file"))                 \
    X(VERIFY_FAILED, 402, N_("the vault failed verification"))                                                 \
    X(AUDIT_NUMBER, 403, N_("the audit log refuses text that contains a My Number"))                           \
    X(AUDIT_SEAL, 404,                                                                                         \
      N_("the seals of the audit log do not fit: entries were changed or removed"))                            \
    X(AUDIT_CHECKPOINT, 405, N_("the audit log no longer holds the checkpoint's entry as it was"))             \
    X(AUDIT_SEAL_KEY, 406,                                                                                     \
      N_("this is not a seal key (a digit was mistyped, or a group is missing)"))                              \
    X(AUDIT_CHECKPOINT_FILE, 407, N_("not a checkpoint of the audit log, or one that was edited"))             \
    X(AUDIT_SEALED, 408,                                                                                       \
      N_("the audit log is sealed already; its seal key was shown when sealing started"))                      \
    X(AUDIT_FILTER_DATE, 450, N_("write a date of the period as 2026-11-01"))                                  \
    X(AUDIT_FILTER_ORDER, 451, N_("the period ends before it begins"))                                         \
    X(REVIEW_MONTH, 452, N_("write a month as 2026-11"))                                                       \
    X(REVIEW_OPEN, 453,                                                                                        \
      N_("this month is not over yet: sign its review from the 1st of the next"))                              \
    X(REVIEW_SIGNED, 454, N_("this month's review is signed already"))                                         \
    X(REVIEW_CHANGED, 455,                                                                                     \
      N_("the log of this month changed since the report was read: read the report again"))                    \
    X(INCIDENT_DATE, 456,                                                                                      \
      N_("write the day as 2026-11-30; not in the future, and not after the day it became known"))             \
    /* scan: 500-599 */                                                                                        \
    /* The scan messages follow "not scanned: " or a file name. */                                             \
    X(SCAN_DAMAGED, 500, N_("damaged, or not what its contents claim"))                                        \
    X(SCAN_ENCRYPTED, 501, N_("protected by a password (encrypted)"))                                          \
    X(SCAN_TOO_BIG, 502,                                                                                       \
      N_("too large after decompression (over the limit against archive bombs)"))                              \
    X(SCAN_CHANGED, 503, N_("the file changed while it was being read; check it again"))                       \
    X(SCAN_SPECIAL, 504,                                                                                       \
      N_("not a regular file or folder (a device, pipe or socket); not checked"))                              \
    X(SCAN_LINK_DIR, 505, N_("a symbolic link to a folder; not followed"))                                     \
    X(SCAN_NESTED, 506, N_("archives nested too deeply"))                                                      \
    X(SCAN_METHOD, 507, N_("packed in a way that cannot be unpacked here"))                                    \
    X(SCAN_DEPTH, 508, N_("folders nested too deeply"))                                                        \
    X(SCAN_TIMEOUT, 509, N_("reading it took too long (over the time limit for one file)"))                    \
    X(SCAN_FORMAT, 510, N_("a kind of file not read here (such as 7z, RAR, bzip2 or xz)"))                     \
    X(SCAN_PICTURE, 511, N_("a picture (text in pictures is not read)"))                                       \
    X(SCAN_UNMAPPED, 512,                                                                                      \
      N_("text in a font without a character map: its letters could not be read"))                             \
    /* collection and import: 600-699 */                                                                       \
    X(IDRULES_FILE, 600, N_("the identity document rules (id-documents.ini) are wrong"))                       \
    X(ID_DOC_UNKNOWN, 601, N_("unknown kind of document"))                                                     \
    X(ID_ROUTE_UNKNOWN, 602,                                                                                   \
      N_("unknown way of collecting (self, agent, employee_declared, insurance_dependant or "                  \
         "category3)"))                                                                                        \
    X(ID_CHANNEL_UNKNOWN, 603, N_("unknown channel (in person, by post or online)"))                           \
    X(ID_DOC_WRONG_CHECK, 604, N_("this document does not prove what it was given for"))                       \
    X(ID_DOC_CHANNEL, 605, N_("this document cannot be accepted through this channel"))                        \
    X(ID_DOC_EXPIRED, 606,                                                                                     \
      N_("this kind of document can no longer be used (abolished or expired)"))                                \
    X(ID_NUMBER_MISSING, 607,                                                                                  \
      N_("the number is not proven: a document that shows the number is needed (My Number card, "              \
         "notification card whose details still match, or a residence certificate with the "                   \
         "number)"))                                                                                           \
    X(ID_IDENTITY_MISSING, 608,                                                                                \
      N_("identity is not proven: one photo ID, or two documents without a photo, are needed"))                \
    X(ID_AUTHORITY_MISSING, 609,                                                                               \
      N_("the agent's authority is not proven: a power of attorney or a family register is "                   \
         "needed"))                                                                                            \
    X(ID_AGENT_MISSING, 610,                                                                                   \
      N_("the agent's identity is not proven: one photo ID, or two documents without a photo, "                \
         "are needed"))                                                                                        \
    X(ID_ROUTE_PERSON, 611, N_("this way of collecting does not apply to this person"))                        \
    X(ID_EXEMPTION, 612,                                                                                       \
      N_("identity documents may be skipped only face to face, when it is obvious that the "                   \
         "person handing over the number is not someone else"))                                                \
    X(ID_REF, 613,                                                                                             \
      N_("a document reference is at most the last 4 letters or digits of the document's own "                 \
         "number"))                                                                                            \
    X(ID_REF_NUMBER, 614,                                                                                      \
      N_("record no reference for this document: it shows the My Number, or the law forbids "                  \
         "copying its number (health insurance)"))                                                             \
    X(ID_DECLARANT, 615,                                                                                       \
      N_("the employee's own My Number must be collected and verified before dependents can be "               \
         "taken from the employee's declaration"))                                                             \
    X(ID_PURPOSE_ROUTE, 616,                                                                                   \
      N_("this purpose of use is not allowed for a number collected this way"))                                \
    X(ID_DOC_REPEAT, 617, N_("the same document is listed twice"))                                             \
    X(ID_DOC_COUNT, 618, N_("too many documents (at most 8)"))                                                 \
    X(VERIFIER_NEEDED, 619, N_("name the person who checked the documents"))                                   \
    X(NUMBER_MISMATCH, 620, N_("the two entries of the number differ; type it again"))                         \
    X(NUMBER_SAME, 621, N_("this person already has exactly this number registered"))                          \
    X(ID_NOTICE_LATE, 622,                                                                                     \
      N_("the purposes of use must be stated to the person before or when the number is "                      \
         "collected from them: the notice date is after the collection"))                                      \
    X(CSV_QUOTE, 630, N_("a quoted field is not closed"))                                                      \
    X(CSV_FIELDS, 631, N_("this line has more fields than the header"))                                        \
    X(CSV_HEADER, 632, N_("unknown column name in the header"))                                                \
    X(CSV_COLUMN_MISSING, 633, N_("a required column is missing from the header"))                             \
    X(CSV_ENCODING, 634, N_("the file is neither UTF-8 nor Shift_JIS (CP932) text"))                           \
    X(CSV_TOO_BIG, 635, N_("the file is too large (at most 32 MiB and 100,000 rows)"))                         \
    X(CSV_COLUMN_TWICE, 636, N_("a column appears twice in the header"))                                       \
    X(CSV_CHAR, 637,                                                                                           \
      N_("the line contains a control character or a character after a closing quote"))                        \
    X(IMPORT_REFUSED, 640, N_("the file has errors; nothing was imported"))                                    \
    X(IMPORT_EMPTY, 641, N_("the file has no data rows"))                                                      \
    X(IMPORT_DUP_FILE, 642, N_("this My Number appears on another line of the file"))                          \
    X(IMPORT_NEW_FIELDS, 643,                                                                                  \
      N_("no record with this employee code: to add one, the row needs name, kana, birth_date, "               \
         "sex and hire_date"))                                                                                 \
    X(IMPORT_DEP_FIELDS, 644,                                                                                  \
      N_("no such dependent of this employee: to add one, the row needs kana, relation, "                      \
         "birth_date and sex"))                                                                                \
    X(IMPORT_PERSON_TWICE, 645, N_("this person appears on another line of the file"))                         \
    X(IMPORT_FIELD_VALUE, 646, N_("this value is not one of the allowed words"))                               \
    X(IMPORT_NAME_MISMATCH, 647,                                                                               \
      N_("the name differs from the one stored for this employee code; check the code"))                       \
    X(IMPORT_DEP_EMPLOYEE, 648,                                                                                \
      N_("no employee with this code: add the employee first, or on an earlier line of the file"))             \
    /* backup and recovery: 700-799 */                                                                         \
    X(SHARES_FEW, 700, N_("not enough recovery shares"))                                                       \
    X(SHARES_MIXED, 701, N_("these recovery shares come from different sets"))                                 \
    X(SHARES_BAD, 702, N_("the recovery shares do not fit together (one of them is wrong)"))                   \
    X(SHARES_TYPO, 703, N_("a group of the recovery share was mistyped"))                                      \
    X(SHARES_FORMAT, 704, N_("this is not a recovery share"))                                                  \
    X(BACKUP_FORMAT, 710, N_("this file is not an mnvault backup"))                                            \
    X(BACKUP_VERSION, 711,                                                                                     \
      N_("this backup was made by a newer version of mnvault; restore it with that version"))                  \
    X(BACKUP_DAMAGED, 712,                                                                                     \
      N_("the backup is damaged or was altered: it failed its integrity check"))                               \
    X(BACKUP_TRUNCATED, 713, N_("the backup is incomplete: the file was cut short"))                           \
    X(BACKUP_LOGIN, 714, N_("the user name or password does not open this backup"))                            \
    X(BACKUP_FOREIGN, 715, N_("this backup belongs to another vault"))                                         \
    X(BACKUP_EXISTS, 716,                                                                                      \
      N_("a file with this name already exists; a backup never overwrites a file"))                            \
    X(BACKUP_VERIFY, 717,                                                                                      \
      N_("the backup just written did not read back correctly and was removed; check the disk"))               \
    X(BACKUP_UNCHECKED, 723,                                                                                   \
      N_("this file is not in the backup register; only a supervisor or an administrator can "                 \
         "check its contents"))                                                                                \
    X(RESTORE_NOT_EMPTY, 718,                                                                                  \
      N_("the folder to restore into is not empty; restore only into an empty or new folder"))                 \
    X(RESTORE_ROLE, 719,                                                                                       \
      N_("only a supervisor or an administrator of the backed-up vault may restore it"))                       \
    X(RECOVERY_NONE, 720,                                                                                      \
      N_("this vault has no recovery shares; a supervisor can make them with 'mnvault recovery "               \
         "split'"))                                                                                            \
    X(RECOVERY_WRONG, 721,                                                                                     \
      N_("these recovery shares do not open this vault: they belong to another vault, or to an "               \
         "older set that a newer split replaced"))                                                             \
    X(RESTORE_DEMO, 724,                                                                                       \
      N_("this is a backup of a demo vault; restore it only into a demo folder (restore --demo)"))             \
    X(RESTORE_NOT_DEMO, 725,                                                                                   \
      N_("this is a backup of a real vault; it cannot be restored as a demo (without --demo)"))                \
    X(RECOVERY_DISABLED, 722,                                                                                  \
      N_("this account is disabled; an administrator must enable it before its password is "                   \
         "recovered"))                                                                                         \
    /* forms, exports, payroll figures: 800-899 */                                                             \
    X(FORM_NO_LAYOUT, 800,                                                                                     \
      N_("there is no layout for this form and year (a new year needs its own layout file)"))                  \
    X(FORM_FILE, 801, N_("the form layout file is wrong"))                                                     \
    X(FORM_UNKNOWN, 802, N_("unknown form"))                                                                   \
    X(FORM_COPY, 803, N_("this form has no such copy"))                                                        \
    X(FORM_CHAR, 804,                                                                                          \
      N_("this character cannot be written in the filing (only JIS X 0208 characters are "                     \
         "allowed); correct the record, for example with the common form of the kanji or in "                  \
         "kana"))                                                                                              \
    X(FORM_FIELD_CHARS, 805, N_("this field of the filing does not allow this character"))                     \
    X(FORM_FIELD_LONG, 806, N_("the value is longer than this field of the filing allows"))                    \
    X(FORM_FIELD_EXACT, 807, N_("this field of the filing needs an exact number of characters"))               \
    X(FORM_FIELD_REQUIRED, 808, N_("this field of the filing must not be empty"))                              \
    X(FORM_FIELD_BLANK, 809, N_("this field of the filing must be left empty"))                                \
    X(FORM_FIELD_NUMBER, 810,                                                                                  \
      N_("this field must hold a valid My Number or corporate number, or nothing"))                            \
    X(FORM_NUMBER_COPY, 811, N_("this copy must not carry any My Number"))                                     \
    X(PAYROLL_YEAR, 820, N_("name the year of the figures, such as 2025"))                                     \
    X(PAYROLL_AMOUNT, 821,                                                                                     \
      N_("an amount is a whole number of yen (digits, commas allowed), at most 10 digits"))                    \
    X(PAYROLL_COUNT, 822, N_("a count is a whole number from 0 to 99"))                                        \
    X(PAYROLL_FLAG, 823, N_("expected yes or no (はい / いいえ, 1 / 0)"))                                      \
    X(PAYROLL_CODE, 824, N_("this code has the wrong number of digits or a wrong character"))                  \
    X(PAYROLL_DATE_YEAR, 825, N_("this date is not in the year of the figures"))                               \
    X(PAYROLL_MIDYEAR_BOTH, 826,                                                                               \
      N_("give either the day of joining or the day of leaving during the year, not both"))                    \
    X(PAYROLL_DEP_COLUMN, 827,                                                                                 \
      N_("this column belongs on a dependant's row (one with dependent_name)"))                                \
    X(PAYROLL_EMP_COLUMN, 828,                                                                                 \
      N_("this column belongs on the employee's row (one without dependent_name)"))                            \
    X(PAYROLL_NO_EMPLOYEE, 829,                                                                                \
      N_("no employee with this code: add the employee (or import the numbers) first"))                        \
    X(PAYROLL_DEP_BIRTH_NEEDED, 830, N_("a dependant's row needs dependent_birth_date"))                       \
    X(PAYROLL_DEP_NOT_FOUND, 831,                                                                              \
      N_("this employee has no dependant of this name: add the dependant first"))                              \
    X(PAYROLL_DEP_BIRTH, 832,                                                                                  \
      N_("this employee has a dependant of this name, but with another birth date"))                           \
    X(PAYROLL_DEP_AMBIGUOUS, 833,                                                                              \
      N_("two dependants of this employee have this name and birth date; correct the records"))                \
    X(PAYROLL_DEDUCTION_NEEDED, 834, N_("a dependant's row needs the deduction category"))                     \
    X(PAYROLL_SPOUSE_CATEGORY, 835,                                                                            \
      N_("the spouse categories are for the spouse, and the spouse takes only those (or none)"))               \
    X(PAYROLL_NO_EMPLOYEE_ROW, 836,                                                                            \
      N_("this dependant's employee has no row of figures in the file"))                                       \
    X(PAYROLL_TWO_SPOUSES, 837,                                                                                \
      N_("only one dependant of an employee can be in a spouse category"))                                     \
    X(PAYROLL_TOO_MANY_DEPS, 838, N_("too many dependants for one employee (at most 24)"))                     \
    X(PAYROLL_DEP_AGE, 839,                                                                                    \
      N_("this category does not fit the dependant's age at the end of the year "                              \
         "(16歳未満: under 16; 特定: 19 to 22; 老人: 70 or over; 一般: the other ages from 16)"))              \
    X(EXPORT_FAULTS, 850, N_("some values do not fit the filing; nothing was written"))                        \
    X(EXPORT_GAPS, 851,                                                                                        \
      N_("some My Numbers cannot be used for this filing; nothing was written (to leave them "                 \
         "out and write the rest, confirm: --skip-missing)"))                                                  \
    X(EXPORT_PURPOSE, 852, N_("no purpose of use covers this filing (data/purposes.ini)"))                     \
    X(EXPORT_NONE, 853,                                                                                        \
      N_("no employee has year-end figures for this year (mnvault payroll import)"))                           \
    X(EXPORT_EXISTS, 854,                                                                                      \
      N_("a file with this name already exists; an export never overwrites a file"))                           \
    X(EXPORT_CHANGED, 855,                                                                                     \
      N_("the vault changed while the file was being written; nothing was kept, run it again"))                \
    X(EXPORT_SINK, 856, N_("this kind of output cannot be written by this build"))                             \
    X(EXPORT_PURPOSE_WRONG, 857, N_("this purpose of use does not cover this filing"))                         \
    X(CUSTODY_STATE, 860,                                                                                      \
      N_("the register does not allow this change (a copy submitted, destroyed or returned stays "             \
         "so)"))                                                                                               \
    X(EMPLOYER_KEY, 870, N_("unknown employer detail"))                                                        \
    X(ZIP, 880, N_("the encrypted zip file could not be made"))                                                \
    X(FILL_SHAPE, 881,                                                                                         \
      N_("this is not an SHFD0006.CSV as the pension office takes it (Shift_JIS lines ending in "              \
         "CR LF: 媒体管理レコード, [kanri], 事業所情報, [data], records)"))                                    \
    X(FILL_OFFICE, 882,                                                                                        \
      N_("the file's 事業所整理記号 or 事業所番号 differs from the office's details in the vault " \
         "(mnvault export employer)"))                                                                         \
    X(FILL_SHIFTED, 883,                                                                                       \
      N_("the name or birth date differs from the employee with this 被保険者整理番号: the "           \
         "records may be shifted"))                                                                            \
    X(FILL_NOT_RECORD, 890,                                                                                    \
      N_("this line is not a record of the form (wrong first column or number of columns)"))                   \
    X(FILL_NO_EMPLOYEE, 891, N_("no employee matches this row (code, name and birth date)"))                   \
    X(FILL_AMBIGUOUS, 892,                                                                                     \
      N_("more than one person matches this name (and birth date); the row cannot be placed"))                 \
    X(FILL_MISMATCH, 893,                                                                                      \
      N_("the name or birth date differs from the employee with this 受給者番号: "                        \
         "the rows may be shifted"))                                                                           \
    X(FILL_NO_DEPENDENT, 894, N_("this employee has no dependant of this name"))                               \
    X(FILL_NUMBER_GIVEN, 895,                                                                                  \
      N_("this number column already holds something; the payroll file must leave the "                        \
         "numbers empty"))                                                                                     \
    X(FILL_YEAR, 896, N_("the 年分 of this row is missing or differs from the file's"))                        \
    X(FILL_EXTRA, 897,                                                                                         \
      N_("5th and later dependants are listed in 摘要; fill mode cannot place their "                        \
         "numbers (export from the vault instead)"))                                                           \
    X(FILL_TWICE, 898, N_("this employee is on another line of the file too"))                                 \
    X(FILL_FORM, 899,                                                                                          \
      N_("fill mode works on the CSV forms of slips (nta375, eltax) and on SHFD0006.CSV (shfd)"))              \
    /* printed forms (PDF): 900-949 */                                                                         \
    X(PDF_FONT, 900,                                                                                           \
      N_("the Japanese fonts for printed forms (IPAex Gothic and IPAex Mincho) are not "                       \
         "installed; install the package fonts-ipaexfont"))                                                    \
    X(PDF_FIT, 901,                                                                                            \
      N_("the text does not fit into its box on the form, even in the smallest print; shorten "                \
         "it"))                                                                                                \
    X(PDF_GLYPH, 902,                                                                                          \
      N_("the text holds a character that the form's font cannot print; write it with another "                \
         "character or in kana"))                                                                              \
    X(PDF_META, 903, N_("the document's title or other properties must not hold a long number"))               \
    X(PDF_DRAW, 904, N_("the PDF could not be drawn"))                                                         \
    X(PDF_NUMBER, 905,                                                                                         \
      N_("a My Number was about to be printed on a copy that must not show one; nothing was "                  \
         "written"))                                                                                           \
    X(PDF_DIGITS, 906, N_("this box takes only digits, and no more of them than it has cells"))                \
    X(PDF_STATE, 907, N_("the PDF is already finished or no page is open"))                                    \
    X(PDF_EMPTY, 908, N_("there is nothing to print: no slip was selected"))                                   \
    X(LAYOUT_FILE, 910, N_("the layout file of the printed form is wrong"))                                    \
    /* retention and disposal: 950-999 */                                                                      \
    X(RETENTION_FILE, 950, N_("the retention rules (retention.ini) are wrong"))                                \
    X(NOT_DUE, 951, N_("this number is not past its retention period"))                                        \
    X(HOLD_REVIEW, 952,                                                                                        \
      N_("the review date of a hold must be after today and at most one year ahead"))                          \
    X(OWN_PROPOSAL, 953, N_("you made this proposal; a different supervisor must decide on it"))               \
    X(PROPOSAL_STALE, 954,                                                                                     \
      N_("the facts of a number in this proposal changed after it was made; it can no longer "                 \
         "be approved or executed: propose again"))                                                            \
    X(PROPOSAL_STATE, 955, N_("this proposal is not in a state that allows this"))                             \
    X(NOTHING_DUE, 956, N_("none of the numbers chosen is due for deletion"))                                  \
    X(IN_PROPOSAL, 957,                                                                                        \
      N_("a number chosen is already in another proposal that is not yet decided or executed"))                \
    X(CERT_BAD, 958, N_("the certificate of deletion does not hold up"))                                       \
    /* insurance facts and filings: 1100-1149 */                                                               \
    X(INSURANCE_KEY, 1100, N_("unknown insurance fact"))                                                       \
    X(INSURANCE_SCOPE, 1101,                                                                                   \
      N_("this fact is not kept for this person (employees' facts for employees, 被扶養者 facts "          \
         "for dependants, the spouse's for the spouse)"))                                                      \
    X(INSURANCE_CHOICE, 1102, N_("not one of the values this fact takes"))                                     \
    X(INSURANCE_AMOUNT, 1103, N_("an amount is written in whole yen, digits only"))                            \
    X(INSURANCE_DIGITS, 1104, N_("only digits, and not more of them than the fact takes"))                     \
    X(INSURANCE_HOURS, 1105, N_("working hours are written as hours and minutes, e.g. 40:00"))                 \
    X(INSURANCE_KANA, 1106, N_("only katakana, digits, letters, spaces and - are written here"))               \
    X(INSURANCE_ORDER, 1107, N_("this date lies before the date it follows from"))                             \
    X(INSURANCE_NO_EMPLOYEE, 1108, N_("no employee with this code"))                                           \
    X(INSURANCE_DEP_NOT_FOUND, 1109,                                                                           \
      N_("this employee has no dependant of this name and birth date: add the dependant first"))               \
    X(INSURANCE_DEP_AMBIGUOUS, 1110,                                                                           \
      N_("two dependants of this employee have this name and birth date; correct the records"))                \
    X(INSURANCE_COLUMN, 1111, N_("this column is not an insurance fact (doc/insurance.md)"))                   \
    X(INSURANCE_TWICE, 1112, N_("this person's facts are given on two rows of the file"))                      \
    X(INSURANCE_RULES, 1113, N_("the file of filing deadlines is wrong"))                                      \
    X(INSURANCE_NOTHING, 1114, N_("nothing is due for this filing: no event waits for it"))                    \
    X(INSURANCE_FACTS, 1115,                                                                                   \
      N_("the facts this filing needs are not all recorded; complete the insurance facts"))                    \
    X(FORM_RULE, 1117, N_("this value does not meet a rule of the filing"))                                    \
    X(EXPORT_TOO_BIG, 1118,                                                                                    \
      N_("the file is larger than the destination takes; write it in parts (--employee)"))                     \
    X(OFFICE_SETTING, 1116,                                                                                    \
      N_("the office's insurance settings are incomplete (mnvault export employer)"))

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
    int saved_errno;  /* errno at the failure, for MNV_ERR_SYSTEM/IO; 0 if none */
    long line;        /* line number in a file, 1-based; 0 when not about a line */
    long column;      /* column or character position, 1-based; 0 when unknown */
    char where[512];  /* a file name or other place; "" when none */
    char item[128];   /* the item at fault: a config key, a CSV column, a field; "" */
    char detail[512]; /* extra data: the expected form, the bad character…; "" when none */
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
