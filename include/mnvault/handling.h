/* handling.h (service layer): the handling register (特定個人情報ファイル管理簿) made from the
 * vault itself — every file that holds My Numbers: the vault, each backup in the backup
 * register, each export copy in the custody register, and each certificate of deletion
 * (which names the persons whose numbers were deleted, without the numbers), with its purposes, who
 * may handle it, where it is, whether it is strongly encrypted, and its retention and deletion
 * state — and the guideline's checklist of safety measures
 * (組織的・人的・物理的・技術的安全管理措置) with, for each item the vault can show, its evidence
 * (accounts and roles, lockout, access windows, encryption, audit verification, backups, reviews),
 * the rest left for the supervisor to answer and sign. As CSV and as a PDF that holds no number
 * (PDFDOC_NO_NUMBERS). Neither holds a number or a person's name.
 */
#ifndef MNVAULT_HANDLING_H
#define MNVAULT_HANDLING_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

struct session;

enum handling_kind { HANDLING_VAULT = 0, HANDLING_BACKUP, HANDLING_EXPORT, HANDLING_CERT };

/* One file that holds (or held) My Numbers. Text is for people, already translated. */
struct handling_file {
    enum handling_kind kind;
    int64_t id; /* the backup's or custody entry's row id, the certificate's place in the
                 * chain; 0 for the vault */
    char name[200]; /* 個人番号保管庫 / バックアップ / 源泉徴収票 2025 税務署提出用 */
    char location[PATH_MAX]; /* the folder or file */
    char purposes[300];      /* purpose names, "、"-separated */
    char handlers[300];      /* who may handle it */
    int64_t created_at;
    char created_by[72];
    long persons;        /* -1: not recorded */
    long numbers;        /* -1: not recorded */
    int encrypted;       /* strongly encrypted (the vault, backups, exports packed in a zip) */
    char state[200];     /* kept, submitted, destroyed, deleted … with the date */
    char retention[300]; /* how long, and what is due */
    int outstanding;     /* still in the office's hands holding numbers */
};

/* One item of the checklist of safety measures. */
struct handling_check {
    const char *block; /* "A" … "G" of the guideline's 別添1 */
    const char *item;  /* the measure, translated */
    int by_vault;      /* 1: the vault shows the evidence; 0: the supervisor answers */
    int holds;         /* by_vault: 1 the evidence meets the measure, 0 it does not */
    char evidence[600];
};

#define HANDLING_CHECKS_MAX 24

struct handling_register {
    char org[200];
    int64_t made_at;
    char made_by[72];
    struct handling_file *files; /* the vault first, then backups, exports and certificates of
                                  * deletion, each oldest first */
    size_t nfiles;
    struct handling_check checks[HANDLING_CHECKS_MAX];
    size_t nchecks;
    long due_now; /* numbers past their retention, not held (-1: the rules could not be read) */
};

/*
 * handling_register_build: the register as of now (role audit.read and custody.read:
 * supervisors and auditors); free with handling_register_free(). Audited
 * "register.make". Returns MNV_OK, MNV_ERR_DENIED, MNV_ERR_NOMEM or a database error.
 */
MNV_MUST_CHECK enum mnv_err handling_register_build(struct session *s, struct handling_register *r,
                                                    struct mnv_diag *diag) MNV_NONNULL(1, 2);
void handling_register_free(struct handling_register *r);

/*
 * handling_write: the register to path, as CSV (UTF-8, RFC 4180; one row per file, then
 * one row per checklist item) when path ends in ".csv", else as PDF (A4: the files in a
 * landscape table, the checklist with answer boxes and a signature block; PDFDOC_NO_NUMBERS).
 * Written through atomicfile.h with mode 0600. Returns MNV_OK, an I/O error, or a PDF error
 * (pdfdoc.h).
 */
MNV_MUST_CHECK enum mnv_err handling_write(const struct handling_register *r, const char *path,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
