/*
 * cmd_backup.c: `mnvault backup [FILE]` writes an encrypted backup of the vault (to FILE,
 * or into the managed backup folder with the configured generations); `--list` shows the
 * backup register; `--verify FILE` reads a backup through and authenticates it.
 */
#include "cli.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/adminview.h"
#include "mnvault/backup.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

static void backup_help(void)
{
    printf(_("Usage: mnvault backup [FILE]\n"
             "       mnvault backup --list\n"
             "       mnvault backup --verify FILE\n"
             "Back up the vault: vault.keys and vault.db together in one file, encrypted and\n"
             "authenticated with a key of this vault (supervisors and administrators).\n\n"
             "  FILE                   write the backup there (never over an existing file);\n"
             "                         without FILE, into the backup folder ([backup] dir,\n"
             "                         default: \"backups\" in the vault's folder), keeping the\n"
             "                         newest [backup] generations backups (default 7)\n"
             "  --list                 show the backup register: every backup written, where,\n"
             "                         its hash, and which were deleted (supervisors, auditors,\n"
             "                         administrators)\n"
             "  --verify FILE          read FILE through and check that it is an intact backup\n"
             "                         of this vault, and whether the register knows it\n\n"
             "Every backup is read back and checked before it gets its name. Restore one with\n"
             "'mnvault restore FILE --data-dir NEW-FOLDER'.\n\n"
             "Exit status: 0 done (or the backup is intact), 1 refused or the backup is\n"
             "damaged, 2 usage or input/output error.\n"));
}

struct bk_opts {
    int list;
    const char *verify;
};

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct bk_opts *o)
{
    const struct cli_opt opts[] = {
        {"list", NULL, &o->list},
        {"verify", &o->verify, NULL},
        {NULL, NULL, NULL},
    };
    int rc = cli_parse_opts(ctx, argc, argv, opts, backup_help);
    return rc == CLI_USAGE ? cli_usage_hint("backup") : rc;
}

/* A failure of the file itself: exit 2 for a missing or unreadable file, 1 otherwise. */
static int file_fail(enum mnv_err err, const struct mnv_diag *diag, const char *path)
{
    if (err == MNV_ERR_NOT_FOUND) {
        cli_error(_("%s: no such file"), path);
        return CLI_USAGE;
    }
    if (err == MNV_ERR_BACKUP_EXISTS) {
        cli_error("%s: %s", diag->where[0] ? diag->where : path, _(mnv_err_str(err)));
        return CLI_BAD;
    }
    if (err >= MNV_ERR_BACKUP_VERIFY && err <= MNV_ERR_BACKUP_FORMAT) {
        cli_error("%s: %s", path, _(mnv_err_str(err)));
        return CLI_BAD;
    }
    return cli_fail(err, diag);
}

static int do_make(struct cli_ctx *ctx, struct session *s, const char *file)
{
    struct backup_options bo = {ctx->cfg.backup_dir, ctx->cfg.backup_generations};
    struct backup_made made;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_make(s, file, &bo, &made, &diag);
    if (err != MNV_OK)
        return file_fail(err, &diag, file ? file : "backup");
    char size[32], hash[2 * VCRYPTO_HASH_LEN + 1];
    adminview_size(size, sizeof(size), made.rec.size);
    printf(_("Backup written and checked: %s (%s)\n"), made.rec.path, size);
    printf(_("BLAKE2b-256: %s\n"), vcrypto_hex(hash, made.rec.hash, VCRYPTO_HASH_LEN));
    printf(_("It holds the audit log up to entry %llu.\n"), (unsigned long long)made.rec.audit_seq);
    if (made.deleted || made.missing)
        printf(_("Older backups deleted (beyond %d generations): %zu; already gone: %zu.\n"),
               bo.generations, made.deleted, made.missing);
    return CLI_OK;
}

static int do_list(struct session *s)
{
    struct backup_rec *recs;
    size_t n;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_list(s, &recs, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (n == 0)
        printf(_("No backup has been written yet.\n"));
    for (size_t i = 0; i < n; i++) {
        const struct backup_rec *r = &recs[i];
        char when[32], size[32], hash[2 * VCRYPTO_HASH_LEN + 1], state[96];
        clock_format_local(when, sizeof(when), (time_t)r->created_at);
        adminview_size(size, sizeof(size), r->size);
        printf(_("#%lld  %s  by %s  %s  audit entry %llu  %s\n"), (long long)r->id, when,
               r->made_by, size, (unsigned long long)r->audit_seq,
               adminview_backup_state(r, state, sizeof(state)));
        printf("     %s\n     BLAKE2b-256 %s\n", r->path,
               vcrypto_hex(hash, r->hash, VCRYPTO_HASH_LEN));
    }
    free(recs);
    return CLI_OK;
}

static int do_verify(struct session *s, const char *path)
{
    struct backup_check r;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = backup_verify(s, path, &r, &diag);
    if (err != MNV_OK)
        return file_fail(err, &diag, path);
    char text[PATH_MAX * 2 + 600];
    printf("%s\n", adminview_backup_verdict(&r, path, text, sizeof(text)));
    return CLI_OK;
}

int cmd_backup(struct cli_ctx *ctx, int argc, char **argv)
{
    struct bk_opts o = {0};
    int rc = parse(ctx, argc, argv, &o);
    if (rc != CLI_OK)
        return rc < 0 ? CLI_OK : rc;
    const char *file = optind < argc ? argv[optind] : NULL;
    if (optind + (file ? 1 : 0) < argc || ((o.list || o.verify) && file) || (o.list && o.verify)) {
        cli_error(_("give one of: FILE, --list, or --verify FILE"));
        return cli_usage_hint("backup");
    }
    if (cli_load_config(ctx) != CLI_OK)
        return CLI_USAGE;
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    if (o.list)
        rc = do_list(s);
    else if (o.verify)
        rc = do_verify(s, o.verify);
    else
        rc = do_make(ctx, s, file);
    session_logout(s);
    return rc;
}
