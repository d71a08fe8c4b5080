/* config.h (base layer): settings from INI files, typed and validated.
 *
 * Files are read in order, later ones overriding earlier ones: the system file
 * /etc/mnvault/mnvault.ini, the user's $XDG_CONFIG_HOME/mnvault/mnvault.ini (default
 * ~/.config/mnvault/mnvault.ini), then the file given with --config. Missing system and
 * user files are fine; a missing --config file is an error.
 *
 * Every key is a row of one table (src/base/config.c) with its section, name, type,
 * default, allowed values and documentation; the shipped sample data/mnvault.ini and
 * doc/config.md describe the same table (a test keeps them in step). A wrong value is an
 * error naming the file, line, section, key and what was expected; an unknown key is a
 * warning.
 */
#ifndef MNVAULT_CONFIG_H
#define MNVAULT_CONFIG_H

#include <limits.h>
#include <stdio.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/mynumber.h"

#define CONFIG_SYSTEM_FILE "/etc/mnvault/mnvault.ini"

struct mnv_config {
    /* [display] */
    enum mynumber_mask mask; /* mask: none | last4 */
    char language[8];        /* language: auto | ja | en */
    int color;               /* color: colours on screens (NO_COLOR always wins) */
    /* [session] */
    int idle_lock_seconds; /* idle_lock_seconds: lock after this much idle time */
    int reveal_seconds;    /* reveal_seconds: how long a revealed number stays shown */
    /* [vault] */
    char data_dir[PATH_MAX]; /* data_dir: "" = $MNVAULT_DATA_DIR or the XDG default */
    char kdf_strength[12];   /* kdf_strength: moderate | sensitive (new password slots) */
    int cache_mib;           /* cache_mib: SQLite page cache of the vault, MiB */
    int memory_security;     /* memory_security: SQLCipher wipes freed memory */
    /* [audit] */
    int syslog; /* syslog: send audit heads and failed logins to syslog */
    /* [backup] */
    char backup_dir[PATH_MAX]; /* dir: "" = <data dir>/backups */
    int backup_generations;    /* generations: managed backups kept */
};

/*
 * config_warn_fn: called for each warning (an unknown key). diag->where is the file,
 * diag->line its line (0 if unknown), diag->item "section.key". The pointer is valid only
 * during the call.
 */
typedef void (*config_warn_fn)(void *ud, enum mnv_err code, const struct mnv_diag *diag);

/* config_defaults: fill cfg with every key's default. */
void config_defaults(struct mnv_config *cfg) MNV_NONNULL(1);

/*
 * config_load_file: apply one INI file over cfg. When the file does not exist, returns
 * MNV_OK if !required, MNV_ERR_NOT_FOUND otherwise. On a bad value returns the matching
 * MNV_ERR_CONFIG_* with diag->where = path, diag->line, diag->item = "section.key" and
 * diag->detail = the allowed values; cfg may then hold values from earlier lines of the
 * file. warn may be NULL.
 */
MNV_MUST_CHECK enum mnv_err config_load_file(struct mnv_config *cfg, const char *path, int required,
                                             config_warn_fn warn, void *ud, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/*
 * config_load: defaults, then the system file, the user file and explicit_path (may be
 * NULL), as described above. The system file's location can be moved with
 * $MNVAULT_SYSTEM_CONFIG (for tests and packagers). Errors as config_load_file().
 */
MNV_MUST_CHECK enum mnv_err config_load(struct mnv_config *cfg, const char *explicit_path,
                                        config_warn_fn warn, void *ud, struct mnv_diag *diag)
    MNV_NONNULL(1);

/*
 * config_write_sample: the fully commented sample configuration (every key with its
 * documentation and default) to out. Returns 0, or -1 on a write error.
 */
MNV_MUST_CHECK int config_write_sample(FILE *out) MNV_NONNULL(1);

/*
 * config_each: every key of cfg in the table's order, to fn with its section, name, the
 * value as it would be written in the file, and 1 when that is the default. For showing
 * the effective settings (`mnvault config show`, the settings screen).
 */
typedef void (*config_each_fn)(void *ud, const char *section, const char *name, const char *value,
                               int is_default);
void config_each(const struct mnv_config *cfg, config_each_fn fn, void *ud) MNV_NONNULL(1, 2);

#endif
