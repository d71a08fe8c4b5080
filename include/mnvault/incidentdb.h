/* incidentdb.h (store layer): recorded incidents (漏えい等事案), a table of vault.db; the
 * service, the rule and the words are incident.h. A record keeps what the file held when
 * the incident was recorded (counts and item kinds, never a number or a name). Rows are
 * never changed or deleted (triggers refuse it).
 */
#ifndef MNVAULT_INCIDENTDB_H
#define MNVAULT_INCIDENTDB_H

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/vault.h"

/* What was affected. */
enum incident_source {
    INCIDENT_EXPORT = 1, /* an export copy in the custody register */
    INCIDENT_BACKUP,     /* a backup in the backup register */
    INCIDENT_DEVICE,     /* the workstation or a disk holding the vault folder */
};

/* What happened to it. */
enum incident_event {
    INCIDENT_LOST = 1, /* 紛失: lost, whereabouts unknown */
    INCIDENT_STOLEN,   /* 盗難: taken by someone */
    INCIDENT_MISSENT,  /* 誤送付・誤送信: sent or handed to the wrong recipient */
    INCIDENT_ACCESSED, /* 不正アクセス: reached by someone without the right */
    INCIDENT_PUBLIC,   /* 公開: could be read by anyone (on the internet, a shared folder) */
    INCIDENT_DAMAGED,  /* 滅失・毀損: destroyed or damaged, no copy to restore from */
};

/* The items a file held (a bit set). */
enum incident_item {
    INCIDENT_ITEM_NUMBER = 1u << 0,     /* 個人番号 */
    INCIDENT_ITEM_NAME = 1u << 1,       /* 氏名・フリガナ */
    INCIDENT_ITEM_BIRTH = 1u << 2,      /* 生年月日 */
    INCIDENT_ITEM_SEX = 1u << 3,        /* 性別 */
    INCIDENT_ITEM_ADDRESS = 1u << 4,    /* 住所 */
    INCIDENT_ITEM_INSURANCE = 1u << 5,  /* 基礎年金番号・雇用保険被保険者番号 */
    INCIDENT_ITEM_EMPLOYMENT = 1u << 6, /* 入社日・退職日・社員番号 */
    INCIDENT_ITEM_DEPENDANTS = 1u << 7, /* 扶養親族の氏名・続柄など */
    INCIDENT_ITEM_PAY = 1u << 8,        /* 給与の支払金額・税額など */
    INCIDENT_ITEM_IDDOCS = 1u << 9,     /* 本人確認の記録 (書類の種類) */
};
#define INCIDENT_ITEMS_ALL 10

/* How the file was protected. */
enum incident_protection {
    INCIDENT_PLAIN = 1,  /* not encrypted (a CSV or PDF as written) */
    INCIDENT_ZIP,        /* an AES-256 zip with a passphrase shown once */
    INCIDENT_BACKUPFILE, /* a backup: XChaCha20-Poly1305 under the backup key */
    INCIDENT_VAULT,      /* the vault: SQLCipher 4 (AES-256) + a key per number */
};

/* The facts the rule looks at. */
struct incident_facts {
    long persons;    /* persons whose My Number the file held (本人の数); -1 unknown */
    int encrypted;   /* strongly encrypted (高度な暗号化) */
    int key_exposed; /* the password, passphrase or key may have gone with it */
    int malicious; /* 不正の目的をもって行われたおそれ (theft, unauthorised access …) */
    int public_view; /* 電磁的方法により不特定多数の者に閲覧されるおそれ */
    int unlawful;    /* 番号法に反して利用・提供されたおそれ */
};

/* Why a report is due (a bit set). */
enum incident_reason {
    INCIDENT_WHY_MALICIOUS = 1u << 0, /* 規則 第2条: 不正の目的 (any number of persons) */
    INCIDENT_WHY_PUBLIC = 1u << 1, /* 電磁的方法により不特定多数が閲覧 (any number) */
    INCIDENT_WHY_UNLAWFUL = 1u << 2, /* 番号法に反する利用・提供 (any number) */
    INCIDENT_WHY_OVER_100 = 1u << 3, /* 本人の数が百人を超える */
};

/* What a file held: read from the registers and the vault. */
struct incident_survey {
    enum incident_source source;
    int64_t source_id; /* custody entry id, backup register row id; 0 for a device */
    char label[200]; /* 源泉徴収票 2025 税務署提出用 / バックアップ … (translated) */
    char where[PATH_MAX]; /* the file as written, or the vault folder */
    int64_t made_at;      /* when the file was made (the vault: now) */
    long persons;         /* every person in it (employees + dependants); -1 unknown */
    long employees, dependants;
    long numbers;   /* persons whose My Number it held */
    unsigned items; /* enum incident_item bits */
    enum incident_protection protection;
    char detail[300]; /* a remark: how the count was made (translated) */
};

/* What the rule says. */
struct incident_verdict {
    int applies;      /* the file held My Numbers: the My Number rules apply */
    int exempt;       /* strongly encrypted, key not exposed: excluded (規則 第2条) */
    unsigned reasons; /* enum incident_reason bits that hold (before the exemption) */
    int must_report;  /* report to the Commission and notify the persons */
    int final_days;   /* 確報 deadline in days after the day it became known */
    int prelim_days;  /* 速報 deadline (the upper end of "about 3-5 days") */
};

#define INCIDENT_TEXT_MAX 400 /* bytes of the summary */

/* A recorded incident. */
struct incident_rec {
    int64_t id;
    int64_t recorded_at;
    char recorded_by[33];
    enum incident_event event;
    char known_on[11];    /* the day it became known (発覚日) */
    char happened_on[11]; /* the day it happened (発生日), "" unknown */
    struct incident_facts facts;
    struct incident_survey survey;
    struct incident_verdict verdict; /* as assessed when recorded */
    char summary[INCIDENT_TEXT_MAX + 1];
};

/*
 * incidentdb_insert: add r (id ignored) recorded by user at r->recorded_at, inside a write
 * transaction; *id receives its id. MNV_OK or a database error.
 */
MNV_MUST_CHECK enum mnv_err incidentdb_insert(struct vault *v, const struct incident_rec *r,
                                              int64_t *id, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* incidentdb_list: every incident, newest first (malloc'd array, free()); verdicts not
 * filled but must_report/reasons as recorded. */
MNV_MUST_CHECK enum mnv_err incidentdb_list(struct vault *v, struct incident_rec **out,
                                            size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* incidentdb_get: incident id into *out; MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err incidentdb_get(struct vault *v, int64_t id, struct incident_rec *out,
                                           struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* What the vault held at a time (for a backup made then, or the vault now). */
struct incident_held {
    long employees, dependants;                /* records created by then */
    long employee_numbers, dependant_numbers;  /* numbers stored by then, not deleted before */
    int payroll, insurance, iddocs, addresses; /* rows of these kinds existed (1) */
};

/*
 * incidentdb_held_at: what the vault held at time t (a Unix time), counted from today's
 * rows: records created by t, numbers stored by t and registered or deleted after t.
 * Persons removed from the vault since are not counted (doc/incident.md).
 */
MNV_MUST_CHECK enum mnv_err incidentdb_held_at(struct vault *v, int64_t t,
                                               struct incident_held *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 3);

/* incidentdb_custody_kinds: how many employees and dependants custody entry id held. */
MNV_MUST_CHECK enum mnv_err incidentdb_custody_kinds(struct vault *v, int64_t id, long *employees,
                                                     long *dependants, struct mnv_diag *diag)
    MNV_NONNULL(1, 3, 4);

#endif
