/* setup.h (service layer): creating a vault and changing the organisation's settings.
 *
 * setup_create_vault() makes the two files of a new vault in a data folder: a random
 * master key, the key file with the first administrator's and the first supervisor's
 * slots, and the database with the organisation (name, address, corporate number with
 * its check digit verified), the two users and the first audit entries. It never touches
 * an existing vault: when vault.keys or vault.db exists it refuses. The database is built
 * as vault.db.new and renamed into place only after the key file is written, so an
 * interrupted init leaves no half vault (a leftover vault.db.new is removed by the next
 * init).
 */
#ifndef MNVAULT_SETUP_H
#define MNVAULT_SETUP_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

struct vault;

struct session;
struct session_options;

#define SETUP_ORG_MAX 200     /* bytes of the organisation's name */
#define SETUP_ADDRESS_MAX 300 /* bytes of its address */

struct setup_params {
    const char *org_name;
    const char *org_address;      /* may be "" */
    const char *corporate_number; /* 法人番号, 13 digits (public, not a My Number) */
    const char *admin_name;
    const char *admin_password;
    size_t admin_password_len;
    const char *supervisor_name;
    const char *supervisor_password;
    size_t supervisor_password_len;
};

/*
 * setup_create_vault: create the vault in dir (created with mode 0700 if missing) as
 * described above; the audit log is sealed from its first entry. Passwords are checked with
 * pwpolicy.h. Returns MNV_OK or: MNV_ERR_VAULT_EXISTS, MNV_ERR_FIELD_EMPTY / FIELD_LONG /
 * FIELD_CHARS (diag->item = "org_name", "org_address"), a corporate-number error from
 * mynumber_parse (diag->item = "corporate_number"), MNV_ERR_USER_NAME / MNV_ERR_USER_EXISTS (the
 * two names are the same), MNV_ERR_PW_* (diag->item = the user name), or an I/O or database error.
 */
MNV_MUST_CHECK enum mnv_err setup_create_vault(const char *dir, const struct setup_params *p,
                                               const struct session_options *o,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/*
 * setup_create_vault_sealed: setup_create_vault(), and the audit log's seal key
 * (auditseal.h; its text form, AUDITSEAL_TEXT_MAX bytes, secmem) into seal_key (may be
 * NULL: nobody will be able to check the seals), to show once to the auditor.
 */
MNV_MUST_CHECK enum mnv_err setup_create_vault_sealed(const char *dir, const struct setup_params *p,
                                                      const struct session_options *o,
                                                      char *seal_key, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/*
 * setup_is_demo: 1 when the session's vault was made as a demo vault (meta "vault_demo",
 * written once by setup_create_vault() and never changed), else 0. Every screen, every
 * printed document and certificate of a demo vault carries a 見本/DEMO mark, and a backup of
 * one is restored only as a demo (backup_restore()). setup_vault_is_demo: the same for an
 * open vault without a session (restore).
 */
int setup_is_demo(struct session *s) MNV_NONNULL(1);
int setup_vault_is_demo(struct vault *v) MNV_NONNULL(1);

/* The mark a demo vault carries on screens and documents ("見本 DEMO"). */
#define SETUP_DEMO_MARK "見本 DEMO"

/* setup_demo_marks: after a login, when the vault is a demo vault, every PDF this process
 * makes from now on (filings, certificates, the handling register) carries SETUP_DEMO_MARK
 * (pdfdoc_mark_all(); it cannot be taken back). Returns 1 for a demo vault, else 0. The
 * front ends call it once a session is open; the screens show the mark themselves. */
int setup_demo_marks(struct session *s) MNV_NONNULL(1);

/* setup_create_demo_vault: setup_create_vault() for a demo vault (`mnvault demo`): marked
 * as one for good (setup_is_demo()); its seal key is not kept. */
MNV_MUST_CHECK enum mnv_err setup_create_demo_vault(const char *dir, const struct setup_params *p,
                                                    const struct session_options *o,
                                                    struct mnv_diag *diag) MNV_NONNULL(1, 2, 3);

/* The organisation as stored. */
struct setup_org {
    char name[SETUP_ORG_MAX + 1];
    char address[SETUP_ADDRESS_MAX + 1];
    char corporate_number[14];
};

/* setup_get_org: the organisation's settings (any ready session). */
MNV_MUST_CHECK enum mnv_err setup_get_org(struct session *s, struct setup_org *org)
    MNV_NONNULL(1, 2);

/*
 * setup_set_org: change the organisation's settings (settings.change: admins). Audited
 * "setting.change" with the names of the fields changed.
 */
MNV_MUST_CHECK enum mnv_err setup_set_org(struct session *s, const struct setup_org *org,
                                          struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* setup_get_timezone: the organisation's time zone (CLOCK_ZONE_MAX + 1 bytes; any ready
 * session), SESSION_DEFAULT_ZONE when none was set. */
MNV_MUST_CHECK enum mnv_err setup_get_timezone(struct session *s, char *zone, size_t size)
    MNV_NONNULL(1, 2);

/*
 * setup_set_timezone: set the organisation's time zone, in which access windows and last
 * valid days are read (settings.change: admins). Audited "setting.change" (subject
 * organisation, detail fields=org_timezone zone=…). Returns MNV_OK, MNV_ERR_FIELD_CHOICE
 * (diag->item "timezone": not a zone of the system's tz database), MNV_ERR_DENIED or a
 * database error.
 */
MNV_MUST_CHECK enum mnv_err setup_set_timezone(struct session *s, const char *zone,
                                               struct mnv_diag *diag) MNV_NONNULL(1, 2);

#endif
