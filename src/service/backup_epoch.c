/*
 * backup_epoch.c: what disposal needs from backups (backup.h, doc/backup.md "Disposal and
 * backups"): after an epoch rotation destroyed epoch keys in the key file, the same keys are
 * wiped from the epoch blocks of the managed backups, so that no password, recovery set or
 * key of today opens the numbers those backups held under them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/access.h"
#include "mnvault/audit.h"
#include "mnvault/backupdb.h"
#include "mnvault/change.h"
#include "mnvault/keyring.h"
#include "mnvault/session.h"
#include "mnvault/vault.h"
#include "backup_int.h"

struct wiped_file {
    int64_t id;                /* backupdb row */
    const unsigned char *hash; /* the file's hash after the wipe */
    size_t wiped;              /* epoch entries wiped */
};

static enum mnv_err set_hash_body(struct session *s, struct change *c, void *ud,
                                  struct mnv_diag *diag)
{
    const struct wiped_file *w = ud;
    change_detail(c, "wiped=%zu", w->wiped);
    return backupdb_set_hash(session_vault(s), w->id, w->hash, diag);
}

/* Wipe one file and record it (its new hash and an audit entry) in one change. */
static enum mnv_err wipe_one(struct session *s, const struct backup_rec *r, const uint32_t *keep,
                             size_t n_keep, struct backup_wiped *out, struct mnv_diag *diag)
{
    size_t wiped = 0;
    unsigned char hash[VCRYPTO_HASH_LEN];
    char subject[BACKUP_SUBJECT_SIZE];
    backup_subject_of(subject, r->backup_id);
    enum mnv_err err = backupfile_wipe_epochs(r->path, keep, n_keep, &wiped, hash, NULL);
    if (err != MNV_OK) {
        out->skipped++;
        audit_note(s, "backup.epochs", subject, "failed", mnv_err_name(err));
        return MNV_OK; /* the others still get wiped; this one is on record for a person */
    }
    if (wiped == 0)
        return MNV_OK;
    out->files++;
    out->entries += wiped;
    struct wiped_file w = {r->id, hash, wiped};
    return change_run(s, "backup.epochs", subject, set_hash_body, &w, diag);
}

enum mnv_err backup_wipe_epochs(struct session *s, struct backup_wiped *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    enum mnv_err err = access_check(s, ACT_EPOCH_ROTATE, "", diag);
    if (err != MNV_OK)
        return err;
    struct vault *v = session_vault(s);
    const struct keyring *kr = vault_keyring(v);
    uint32_t keep[KEYRING_MAX_EPOCHS];
    size_t n_keep = keyring_epoch_count(kr);
    for (size_t i = 0; i < n_keep; i++)
        keep[i] = keyring_epoch_id_at(kr, i);
    struct backup_rec *recs = NULL;
    size_t n = 0;
    err = backupdb_list(v, &recs, &n, diag);
    for (size_t i = 0; err == MNV_OK && i < n; i++)
        if (recs[i].managed && !recs[i].deleted_at)
            err = wipe_one(s, &recs[i], keep, n_keep, out, diag);
    free(recs);
    return err;
}
