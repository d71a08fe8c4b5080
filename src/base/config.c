#include "mnvault/config.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <iniparser.h>

#include "mnvault/inidata.h"
#include "mnvault/testhook.h"
#include "mnvault/i18n.h"
#include "mnvault/utf8.h"

enum key_type { KT_BOOL, KT_INT, KT_CHOICE, KT_TEXT };

struct key_def {
    const char *section;
    const char *name;
    enum key_type type;
    size_t offset;       /* into struct mnv_config */
    size_t size;         /* KT_TEXT: buffer size */
    long min, max;       /* KT_INT */
    const char *choices; /* KT_CHOICE: "a|b|c" (first one is not necessarily the default) */
    const char *def;     /* default, as it would be written in the file */
    const char *doc;     /* one or more comment lines for the sample and the manual */
};

#define OFF(field) offsetof(struct mnv_config, field)
#define SZ(field) sizeof(((struct mnv_config *)0)->field)

static const struct key_def keys[] = {
    {"display", "mask", KT_CHOICE, OFF(mask), 0, 0, 0, "none|last4", "none",
     "How much of a My Number masked displays show: none (\"**** **** ****\", the\n"
     "default) or last4 (\"**** **** 9018\"). Lists never show digits, whatever this says."},
    {"display", "language", KT_CHOICE, OFF(language), SZ(language), 0, 0, "auto|ja|en", "auto",
     "Language of screens and messages: auto (from LANG/LC_ALL), ja or en."},
    {"display", "color", KT_BOOL, OFF(color), 0, 0, 0, NULL, "true",
     "Use colours on screens. The NO_COLOR environment variable always turns them off."},
    {"session", "idle_lock_seconds", KT_INT, OFF(idle_lock_seconds), 0, 30, 3600, NULL, "300",
     "Lock the screen after this many seconds without a key press (30-3600)."},
    {"session", "reveal_seconds", KT_INT, OFF(reveal_seconds), 0, 5, 300, NULL, "30",
     "A revealed My Number masks itself again after this many seconds (5-300)."},
    {"vault", "data_dir", KT_TEXT, OFF(data_dir), SZ(data_dir), 0, 0, NULL, "",
     "Folder holding vault.db and vault.keys. Empty: $MNVAULT_DATA_DIR, else\n"
     "$XDG_DATA_HOME/mnvault (~/.local/share/mnvault). --data-dir overrides it."},
    {"vault", "kdf_strength", KT_CHOICE, OFF(kdf_strength), SZ(kdf_strength), 0, 0,
     "moderate|sensitive", "moderate",
     "Cost of Argon2id for passwords set from now on: moderate (256 MiB, about 0.5-1 s\n"
     "per login) or sensitive (1 GiB, about 3-4 s). Existing passwords keep theirs."},
    {"vault", "cache_mib", KT_INT, OFF(cache_mib), 0, 4, 1024, NULL, "8",
     "Memory for the vault database's page cache, in MiB (4-1024). 8 keeps the terminal\n"
     "application small; batch commands (demo, import) use at least 64, which holds the\n"
     "whole database of 100,000 employees."},
    {"vault", "memory_security", KT_BOOL, OFF(memory_security), 0, 0, 0, NULL, "false",
     "Also have SQLCipher lock every block of memory SQLite uses (cipher_memory_security).\n"
     "mnvault wipes every block SQLite frees either way. Very slow: a system call for\n"
     "each allocation (storing 100,000 employees takes about a minute instead of seconds)."},
    {"audit", "syslog", KT_BOOL, OFF(syslog), 0, 0, 0, NULL, "true",
     "Send each new audit chain head (sequence number and hash, nothing else) and each\n"
     "failed login or lockout to syslog (LOG_AUTHPRIV), a copy outside the vault. Read\n"
     "only from the system file; switching it is recorded in the audit log."},
    {"backup", "dir", KT_TEXT, OFF(backup_dir), SZ(backup_dir), 0, 0, NULL, "",
     "Folder of the managed backups ('mnvault backup' without a file name). Empty: the\n"
     "folder \"backups\" inside the vault's folder. Better: a folder on another disk."},
    {"backup", "generations", KT_INT, OFF(backup_generations), 0, 1, 1000, NULL, "7",
     "How many managed backups to keep (1-1000). After each new one, the oldest beyond\n"
     "this count are deleted, and the deletion is recorded in the backup register."},
};

/* Decimal integer, optional sign, nothing else (iniparser's getint reads 010 as 8). */
static int parse_long10(const char *s, long *out)
{
    while (isspace((unsigned char)*s))
        s++;
    if (!*s)
        return -1;
    errno = 0;
    char *end;
    long v = strtol(s, &end, 10);
    while (isspace((unsigned char)*end))
        end++;
    if (errno || *end || end == s)
        return -1;
    *out = v;
    return 0;
}

static int parse_bool(const char *s, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(yes); i++) {
        if (strcasecmp(s, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(s, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* Is value one of the "|"-separated choices? */
static int choice_ok(const char *choices, const char *value)
{
    size_t vlen = strlen(value);
    const char *p = choices;
    while (*p) {
        const char *bar = strchr(p, '|');
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        if (n == vlen && strncmp(p, value, n) == 0)
            return 1;
        if (!bar)
            break;
        p = bar + 1;
    }
    return 0;
}

static int text_ok(const char *value, size_t size)
{
    size_t n = strlen(value);
    if (n >= size || !utf8_valid(value, n))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)value[i] < 0x20 || value[i] == 0x7F)
            return 0;
    return 1;
}

static void describe_allowed(const struct key_def *k, struct mnv_diag *diag)
{
    switch (k->type) {
    case KT_BOOL:
        mnv_diag_detail(diag, "true|false");
        break;
    case KT_INT:
        mnv_diag_detail(diag, "%ld-%ld", k->min, k->max);
        break;
    case KT_CHOICE:
        mnv_diag_detail(diag, "%s", k->choices);
        break;
    case KT_TEXT:
        break;
    }
}

/* Store value into cfg according to k; MNV_OK or the MNV_ERR_CONFIG_* of its type. */
static enum mnv_err apply_value(struct mnv_config *cfg, const struct key_def *k, const char *value)
{
    char *field = (char *)cfg + k->offset;
    switch (k->type) {
    case KT_BOOL: {
        int b;
        if (parse_bool(value, &b) < 0)
            return MNV_ERR_CONFIG_BOOL;
        *(int *)(void *)field = b;
        return MNV_OK;
    }
    case KT_INT: {
        long v;
        if (parse_long10(value, &v) < 0 || v < k->min || v > k->max)
            return MNV_ERR_CONFIG_INT;
        *(int *)(void *)field = (int)v;
        return MNV_OK;
    }
    case KT_CHOICE:
        if (!choice_ok(k->choices, value))
            return MNV_ERR_CONFIG_CHOICE;
        if (k->offset == OFF(mask)) {
            if (mynumber_mask_parse(value, &cfg->mask) < 0)
                return MNV_ERR_CONFIG_CHOICE;
        } else {
            snprintf(field, k->size, "%s", value);
        }
        return MNV_OK;
    case KT_TEXT:
        if (!text_ok(value, k->size))
            return MNV_ERR_CONFIG_TEXT;
        snprintf(field, k->size, "%s", value);
        return MNV_OK;
    }
    return MNV_ERR_INVALID;
}

void config_defaults(struct mnv_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    for (size_t i = 0; i < MNV_ARRAY_LEN(keys); i++) {
        enum mnv_err e = apply_value(cfg, &keys[i], keys[i].def);
        (void)e; /* defaults are valid by construction; a unit test checks it */
    }
}

static const struct key_def *find_key(const char *section, const char *name)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(keys); i++)
        if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
            return &keys[i];
    return NULL;
}

/*
 * Line of "key =" inside "[section]" in the file (iniparser keeps no line numbers), or of
 * the first line iniparser could not read when key is NULL. 0 when not found.
 */
static long find_line(FILE *f, const char *section, const char *key)
{
    char line[2048], cur[256] = "";
    long n = 0;
    rewind(f);
    while (fgets(line, sizeof(line), f)) {
        n++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        char *e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (*p == '\0' || *p == ';' || *p == '#')
            continue;
        if (*p == '[') {
            char *close = strchr(p, ']');
            if (!close) {
                if (!key)
                    return n;
                continue;
            }
            size_t len = (size_t)(close - p - 1);
            if (len >= sizeof(cur))
                len = sizeof(cur) - 1;
            for (size_t i = 0; i < len; i++)
                cur[i] = (char)tolower((unsigned char)p[1 + i]);
            cur[len] = '\0';
            continue;
        }
        char *eq = strchr(p, '=');
        if (!eq) {
            if (!key)
                return n;
            continue;
        }
        if (!key)
            continue;
        char *ke = eq;
        while (ke > p && isspace((unsigned char)ke[-1]))
            ke--;
        if (strcmp(cur, section) == 0 && (size_t)(ke - p) == strlen(key) &&
            strncasecmp(p, key, strlen(key)) == 0)
            return n;
    }
    return 0;
}

static enum mnv_err check_bom(FILE *f)
{
    unsigned char b[3];
    size_t n = fread(b, 1, 3, f);
    if (n == 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        return MNV_ERR_CONFIG_BOM;
    return MNV_OK;
}

/* Settings a user's own file may not change: the copies outside the vault that a user who
 * wants to hide something would switch off (issue 11). Only the system file sets them. */
static int system_only(const char *sec, const char *name)
{
    return strcmp(sec, "audit") == 0 && strcmp(name, "syslog") == 0;
}

static void warn_unknown(config_warn_fn warn, void *ud, FILE *f, const char *path, const char *sec,
                         const char *name, enum mnv_err code)
{
    if (!warn)
        return;
    struct mnv_diag w;
    mnv_diag_clear(&w);
    mnv_diag_where(&w, "%s", path);
    if (sec[0])
        mnv_diag_item(&w, "%s.%s", sec, name);
    else
        mnv_diag_item(&w, "%s", name);
    w.line = find_line(f, sec, name);
    warn(ud, code, &w);
}

/* Walk every "section:key" entry in file order (iniparser keeps insertion order). */
static enum mnv_err apply_dict(struct mnv_config *cfg, const dictionary *d, FILE *f,
                               const char *path, int is_system, config_warn_fn warn, void *ud,
                               struct mnv_diag *diag)
{
    for (ssize_t i = 0; i < (ssize_t)d->size;
         i++) { /* int in iniparser 4.1 (Debian 12), size_t in 4.2 (Debian 13) */
        const char *full = d->key[i];
        if (!full)
            continue;
        const char *colon = strchr(full, ':');
        if (!colon)
            continue; /* a section header */
        char sec[128];
        size_t slen = (size_t)(colon - full);
        if (slen >= sizeof(sec))
            slen = sizeof(sec) - 1;
        memcpy(sec, full, slen);
        sec[slen] = '\0';
        const char *name = colon + 1;
        const struct key_def *k = find_key(sec, name);
        if (!k) {
            warn_unknown(warn, ud, f, path, sec, name, MNV_ERR_CONFIG_UNKNOWN);
            continue;
        }
        if (!is_system && system_only(sec, name)) {
            warn_unknown(warn, ud, f, path, sec, name, MNV_ERR_CONFIG_SYSTEM_ONLY);
            continue;
        }
        enum mnv_err err = apply_value(cfg, k, d->val[i] ? d->val[i] : "");
        if (err != MNV_OK) {
            mnv_diag_where(diag, "%s", path);
            mnv_diag_item(diag, "%s.%s", sec, name);
            if (diag)
                diag->line = find_line(f, sec, name);
            describe_allowed(k, diag);
            return err;
        }
    }
    return MNV_OK;
}

static enum mnv_err load_file(struct mnv_config *cfg, const char *path, int required, int is_system,
                              config_warn_fn warn, void *ud, struct mnv_diag *diag)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        int e = errno;
        if (e == ENOENT && !required)
            return MNV_OK;
        mnv_diag_where(diag, "%s", path);
        mnv_diag_errno(diag, e);
        return e == ENOENT ? MNV_ERR_NOT_FOUND : MNV_ERR_IO;
    }
    enum mnv_err err = check_bom(f);
    if (err != MNV_OK) {
        mnv_diag_where(diag, "%s", path);
        if (diag)
            diag->line = 1;
        fclose(f);
        return err;
    }
    dictionary *d = inidata_load(path); /* our own message replaces iniparser's */
    if (!d) {
        mnv_diag_where(diag, "%s", path);
        if (diag)
            diag->line = find_line(f, "", NULL);
        fclose(f);
        return MNV_ERR_CONFIG_SYNTAX;
    }
    /* Keys outside any section are unknown by definition; iniparser files them as ":key". */
    err = apply_dict(cfg, d, f, path, is_system, warn, ud, diag);
    iniparser_freedict(d);
    fclose(f);
    return err;
}

enum mnv_err config_load_file(struct mnv_config *cfg, const char *path, int required,
                              config_warn_fn warn, void *ud, struct mnv_diag *diag)
{
    return load_file(cfg, path, required, 0, warn, ud, diag);
}

static void user_config_path(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    const char *home = getenv("HOME");
    buf[0] = '\0';
    if (xdg && xdg[0] == '/')
        snprintf(buf, size, "%s/mnvault/mnvault.ini", xdg);
    else if (home && *home)
        snprintf(buf, size, "%s/.config/mnvault/mnvault.ini", home);
}

enum mnv_err config_load(struct mnv_config *cfg, const char *explicit_path, config_warn_fn warn,
                         void *ud, struct mnv_diag *diag)
{
    config_defaults(cfg);
    /* Only the test build may point at another system file. */
    const char *sys = testhook_enabled() ? getenv("MNVAULT_SYSTEM_CONFIG") : NULL;
    enum mnv_err err = load_file(cfg, sys && *sys ? sys : CONFIG_SYSTEM_FILE, 0, 1, warn, ud, diag);
    if (err != MNV_OK)
        return err;
    char user[PATH_MAX];
    user_config_path(user, sizeof(user));
    if (user[0]) {
        err = config_load_file(cfg, user, 0, warn, ud, diag);
        if (err != MNV_OK)
            return err;
    }
    if (explicit_path)
        err = config_load_file(cfg, explicit_path, 1, warn, ud, diag);
    return err;
}

static int write_comment(FILE *out, const char *doc)
{
    const char *p = doc;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        if (fprintf(out, "; %.*s\n", (int)n, p) < 0)
            return -1;
        p += n + (nl ? 1 : 0);
    }
    return 0;
}

int config_write_sample(FILE *out)
{
    const char *section = NULL;
    if (fputs("; mnvault configuration. Read in order, later files overriding earlier ones:\n"
              ";   /etc/mnvault/mnvault.ini, $XDG_CONFIG_HOME/mnvault/mnvault.ini, --config FILE.\n"
              "; Every key is optional; the values below are the defaults. See doc/config.md.\n",
              out) < 0)
        return -1;
    for (size_t i = 0; i < MNV_ARRAY_LEN(keys); i++) {
        const struct key_def *k = &keys[i];
        if (!section || strcmp(section, k->section) != 0) {
            section = k->section;
            if (fprintf(out, "\n[%s]\n", section) < 0)
                return -1;
        } else if (fputc('\n', out) == EOF) {
            return -1;
        }
        if (write_comment(out, k->doc) < 0)
            return -1;
        if (k->type == KT_CHOICE && fprintf(out, "; Allowed: %s\n", k->choices) < 0)
            return -1;
        if (fprintf(out, k->def[0] ? "%s = %s\n" : "%s =%s\n", k->name, k->def) < 0)
            return -1;
    }
    return fflush(out) == 0 ? 0 : -1;
}

/* The value of k in cfg as the file would write it. */
static void value_text(const struct mnv_config *cfg, const struct key_def *k, char *buf,
                       size_t size)
{
    const char *field = (const char *)cfg + k->offset;
    switch (k->type) {
    case KT_BOOL:
        snprintf(buf, size, "%s", *(const int *)(const void *)field ? "true" : "false");
        return;
    case KT_INT:
        snprintf(buf, size, "%d", *(const int *)(const void *)field);
        return;
    case KT_CHOICE:
        if (k->offset == OFF(mask))
            snprintf(buf, size, "%s", cfg->mask == MYNUMBER_MASK_LAST4 ? "last4" : "none");
        else
            snprintf(buf, size, "%s", field);
        return;
    case KT_TEXT:
        snprintf(buf, size, "%s", field);
        return;
    }
    buf[0] = '\0';
}

void config_each(const struct mnv_config *cfg, config_each_fn fn, void *ud)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(keys); i++) {
        char value[PATH_MAX];
        value_text(cfg, &keys[i], value, sizeof(value));
        fn(ud, keys[i].section, keys[i].name, value, strcmp(value, keys[i].def) == 0);
    }
}
