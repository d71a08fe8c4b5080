/*
 * auditor_seal.c: the auditor's side of the sealed audit log (auditor.h, auditseal.h):
 * starting the sealing of an older vault, checking the seals with the seal key, and
 * checkpoints (the head of the log as the auditor saw it, kept away from the machine).
 */
#include "mnvault/auditor.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mnvault/access.h"
#include "mnvault/change.h"
#include "mnvault/clock.h"
#include "mnvault/i18n.h"
#include "mnvault/keyring.h"
#include "mnvault/secmem.h"
#include "mnvault/session.h"
#include "mnvault/testhook.h"
#include "mnvault/svcread.h"
#include "auditor_int.h"

/* ---- starting ---------------------------------------------------------------------------- */

static enum mnv_err start_body(struct session *s, struct change *c, void *ud, struct mnv_diag *diag)
{
    char *text = ud;
    unsigned char *key = secmem_alloc(AUDITSEAL_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    uint64_t start = 0;
    enum mnv_err err = auditseal_start(session_vault(s), key, &start, diag);
    if (err == MNV_OK) {
        auditseal_key_format(start, key, text);
        unsigned char id[AUDITSEAL_ID_LEN];
        char hex[2 * AUDITSEAL_ID_LEN + 1];
        auditseal_key_id(key, id);
        change_detail(c, "start=%" PRIu64 " key_id=%s", start,
                      vcrypto_hex(hex, id, AUDITSEAL_ID_LEN));
    } else if (err == MNV_ERR_EXISTS) {
        c->refusal = "already_sealed";
    }
    secmem_free(key);
    return err;
}

enum mnv_err auditor_seal_start(struct session *s, char *key_text, struct mnv_diag *diag)
{
    key_text[0] = '\0';
    enum mnv_err err = access_check(s, ACT_AUDIT_SEAL, "", diag);
    if (err == MNV_OK)
        err = change_run(s, "audit.seal", NULL, start_body, key_text, diag);
    if (err != MNV_OK)
        secmem_wipe(key_text, AUDITSEAL_TEXT_MAX);
    return err == MNV_ERR_EXISTS ? MNV_ERR_AUDIT_SEALED : err;
}

/* ---- checkpoints ------------------------------------------------------------------------- */

static const char cp_magic[] = "mnvault-audit-checkpoint 1";

/* The check line: the first 8 bytes of BLAKE2b-256 over the lines before it. */
static void cp_check(const char *text, size_t len, char out[17])
{
    unsigned char h[VCRYPTO_HASH_LEN];
    crypto_generichash(h, sizeof(h), (const unsigned char *)text, len, NULL, 0);
    vcrypto_hex(out, h, 8);
}

enum mnv_err auditor_checkpoint_format(const struct audit_checkpoint *cp, struct strbuf *out)
{
    char id[2 * KEYRING_ID_LEN + 1], hash[2 * VCRYPTO_HASH_LEN + 1], tag[2 * AUDITSEAL_TAG_LEN + 1];
    char made[32], check[17];
    vcrypto_hex(id, cp->vault_id, KEYRING_ID_LEN);
    vcrypto_hex(hash, cp->hash, VCRYPTO_HASH_LEN);
    if (cp->has_tag)
        vcrypto_hex(tag, cp->tag, AUDITSEAL_TAG_LEN);
    else
        snprintf(tag, sizeof(tag), "none");
    clock_format_iso(made, sizeof(made), (time_t)cp->made);
    strbuf_reset(out);
    enum mnv_err err = strbuf_addf(out,
                                   "%s\nvault %s\nseq %" PRIu64 "\nhash %s\nseal %s\n"
                                   "made %s\nby %s\n",
                                   cp_magic, id, cp->seq, hash, tag, made, cp->by);
    if (err != MNV_OK)
        return err;
    cp_check(strbuf_str(out), strlen(strbuf_str(out)), check);
    return strbuf_addf(out, "check %s\n", check);
}

static int hex_field(const char *line, const char *name, unsigned char *out, size_t len)
{
    size_t n = strlen(name);
    if (strncmp(line, name, n) != 0 || line[n] != ' ')
        return -1;
    const char *p = line + n + 1;
    size_t got = 0;
    return sodium_hex2bin(out, len, p, strcspn(p, "\n"), NULL, &got, NULL) == 0 && got == len ? 0
                                                                                              : -1;
}

/* Next line of text at *p (without its "\n"), or NULL at the end. */
static const char *next_line(const char **p, size_t *len)
{
    if (!**p)
        return NULL;
    const char *line = *p;
    *len = strcspn(line, "\n");
    *p = line + *len + (line[*len] == '\n');
    return line;
}

/* "made YYYY-MM-DDTHH:MM:SSZ" into *t; nonzero when it is not that. */
static int parse_made(const char *line, int64_t *t)
{
    struct tm tm = {0};
    char z = 0;
    if (strlen(line) != 25 ||
        sscanf(line, "made %4d-%2d-%2dT%2d:%2d:%2d%c", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
               &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &z) != 7 ||
        z != 'Z')
        return -1;
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    time_t v = timegm(&tm);
    if (v == (time_t)-1)
        return -1;
    *t = (int64_t)v;
    return 0;
}

static enum mnv_err cp_lines(const char *text, struct audit_checkpoint *cp)
{
    const char *p = text, *l;
    size_t n;
    char buf[128];
    l = next_line(&p, &n);
    if (!l || n != sizeof(cp_magic) - 1 || strncmp(l, cp_magic, n) != 0)
        return MNV_ERR_AUDIT_CHECKPOINT_FILE;
    const char *fields[] = {"vault", "seq", "hash", "seal", "made", "by", "check"};
    for (size_t i = 0; i < MNV_ARRAY_LEN(fields); i++) {
        l = next_line(&p, &n);
        if (!l || n >= sizeof(buf))
            return MNV_ERR_AUDIT_CHECKPOINT_FILE;
        memcpy(buf, l, n);
        buf[n] = '\0';
        int bad = 0;
        if (i == 0)
            bad = hex_field(buf, "vault", cp->vault_id, KEYRING_ID_LEN);
        else if (i == 1)
            bad = sscanf(buf, "seq %" SCNu64, &cp->seq) != 1 || cp->seq == 0;
        else if (i == 2)
            bad = hex_field(buf, "hash", cp->hash, VCRYPTO_HASH_LEN);
        else if (i == 3) {
            cp->has_tag = strcmp(buf, "seal none") != 0;
            bad = cp->has_tag && hex_field(buf, "seal", cp->tag, AUDITSEAL_TAG_LEN);
        } else if (i == 4)
            bad = parse_made(buf, &cp->made);
        else if (i == 5)
            bad = strncmp(buf, "by ", 3) != 0 ||
                  snprintf(cp->by, sizeof(cp->by), "%s", buf + 3) >= (int)sizeof(cp->by);
        else {
            char want[17];
            cp_check(text, (size_t)(l - text), want);
            bad = strcmp(buf + (strncmp(buf, "check ", 6) == 0 ? 6 : 0), want) != 0 ||
                  strncmp(buf, "check ", 6) != 0;
        }
        if (bad)
            return MNV_ERR_AUDIT_CHECKPOINT_FILE;
    }
    return *p ? MNV_ERR_AUDIT_CHECKPOINT_FILE : MNV_OK;
}

enum mnv_err auditor_checkpoint_parse(const char *text, struct audit_checkpoint *cp)
{
    memset(cp, 0, sizeof(*cp));
    enum mnv_err err = cp_lines(text, cp);
    if (err != MNV_OK)
        memset(cp, 0, sizeof(*cp));
    return err;
}

static enum mnv_err checkpoint_body(struct session *s, struct change *c, void *ud,
                                    struct mnv_diag *diag)
{
    struct audit_checkpoint *cp = ud;
    struct vault *v = session_vault(s);
    vault_audit_head(v, &cp->seq, cp->hash);
    memcpy(cp->vault_id, keyring_vault_id(vault_keyring(v)), KEYRING_ID_LEN);
    enum mnv_err err = auditseal_get_tag(v, cp->seq, cp->tag, diag);
    cp->has_tag = err == MNV_OK;
    if (err == MNV_ERR_NOT_FOUND)
        err = MNV_OK;
    cp->made = (int64_t)clock_now();
    snprintf(cp->by, sizeof(cp->by), "%s", session_user(s));
    change_detail(c, "seq=%" PRIu64 " sealed=%s", cp->seq, cp->has_tag ? "yes" : "no");
    return err;
}

enum mnv_err auditor_checkpoint(struct session *s, struct audit_checkpoint *cp,
                                struct mnv_diag *diag)
{
    memset(cp, 0, sizeof(*cp));
    enum mnv_err err = access_check(s, ACT_AUDIT_VERIFY, "", diag);
    if (err == MNV_OK)
        err = change_run(s, "audit.checkpoint", NULL, checkpoint_body, cp, diag);
    return err;
}

/* Does the log still hold the checkpoint's entry as it was? NULL, or the problem. */
static const char *checkpoint_problem(struct vault *v, const struct audit_checkpoint *cp,
                                      struct mnv_diag *diag)
{
    if (sodium_memcmp(cp->vault_id, keyring_vault_id(vault_keyring(v)), KEYRING_ID_LEN) != 0)
        return N_("the checkpoint was made of another vault");
    struct audit_entry e;
    int found = 0;
    if (auditlog_get(v, cp->seq, &e, &found, diag) != MNV_OK)
        return N_("the log could not be read");
    if (!found)
        return N_("the log no longer reaches the checkpoint: entries were removed from the end");
    if (sodium_memcmp(e.hash, cp->hash, VCRYPTO_HASH_LEN) != 0)
        return N_("the entry of the checkpoint was changed or replaced");
    unsigned char tag[AUDITSEAL_TAG_LEN];
    if (cp->has_tag && (auditseal_get_tag(v, cp->seq, tag, diag) != MNV_OK ||
                        sodium_memcmp(tag, cp->tag, AUDITSEAL_TAG_LEN) != 0))
        return N_("the seal of the checkpoint's entry was changed or removed");
    return NULL;
}

/* ---- checking ---------------------------------------------------------------------------- */

/* The sealing as stored fits the log: a tag for every entry from start, the state after the
 * newest. Anyone holding VK can make it fit again; only the seal key tells. */
static const char *shape_problem(const struct auditseal_status *st)
{
    uint64_t head = st->head;
    if (!st->started)
        return NULL;
    if (st->next > head + 1)
        return N_("entries were removed from the end after they were sealed");
    if (st->next < head + 1)
        return N_("the newest entries are not sealed");
    if (st->tags != st->next - st->start)
        return N_("the number of seals does not fit the log");
    return NULL;
}

struct status_ctx {
    struct auditseal_status *st;
    const char **problem;
};

static enum mnv_err status_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct status_ctx *x = ud;
    enum mnv_err err = auditseal_status(v, x->st, diag);
    if (err == MNV_OK)
        *x->problem = shape_problem(x->st);
    return err;
}

enum mnv_err auditor_seal_status(struct session *s, struct auditseal_status *st,
                                 const char **shape_problem, struct mnv_diag *diag)
{
    memset(st, 0, sizeof(*st));
    *shape_problem = NULL;
    struct status_ctx x = {st, shape_problem};
    return svcread_run(s, ACT_AUDIT_READ, status_body, &x, diag);
}

struct check_ctx {
    const char *key_text;
    const struct audit_checkpoint *against;
    struct auditor_seal_check *r;
};

static enum mnv_err key_check(struct vault *v, const char *key_text, struct auditor_seal_check *r,
                              struct mnv_diag *diag)
{
    unsigned char *key = secmem_alloc(AUDITSEAL_KEY_LEN);
    if (!key)
        return MNV_ERR_NOMEM;
    uint64_t start;
    enum mnv_err err = auditseal_key_parse(key_text, &start, key);
    if (err == MNV_OK) {
        r->key_checked = 1;
        err = auditseal_verify(v, key, start, &r->seal, diag);
    } else {
        err = MNV_ERR_AUDIT_SEAL_KEY;
    }
    secmem_free(key);
    return err;
}

static enum mnv_err check_body(struct vault *v, void *ud, struct mnv_diag *diag)
{
    struct check_ctx *x = ud;
    struct auditor_seal_check *r = x->r;
    enum mnv_err err = auditseal_status(v, &r->status, diag);
    if (err != MNV_OK)
        return err;
    r->shape_problem = shape_problem(&r->status);
    if (x->against) {
        r->checkpoint_checked = 1;
        r->checkpoint_problem = checkpoint_problem(v, x->against, diag);
    }
    if (x->key_text) {
        err = key_check(v, x->key_text, r, diag);
        if (err != MNV_OK && err != MNV_ERR_AUDIT_SEAL)
            return err;
    }
    if (r->checkpoint_problem)
        return MNV_ERR_AUDIT_CHECKPOINT;
    return r->shape_problem || r->seal.problem ? MNV_ERR_AUDIT_SEAL : MNV_OK;
}

enum mnv_err auditor_seal_check(struct session *s, const char *key_text,
                                const struct audit_checkpoint *against,
                                struct auditor_seal_check *r, struct mnv_diag *diag)
{
    memset(r, 0, sizeof(*r));
    struct check_ctx x = {key_text, against, r};
    long long t0 = clock_monotonic_ms();
    enum mnv_err err = svcread_run(s, ACT_AUDIT_VERIFY, check_body, &x, diag);
    testhook_timing("audit.seals", (clock_monotonic_ms() - t0) * 1000);
    if (err != MNV_OK && err != MNV_ERR_AUDIT_SEAL && err != MNV_ERR_AUDIT_CHECKPOINT)
        return err;
    char detail[160];
    snprintf(detail, sizeof(detail), "sealed_from=%" PRIu64 " shape=%s seal=%s checkpoint=%s",
             r->status.start, r->shape_problem ? "bad" : "ok",
             !r->key_checked ? "not_checked" : (r->seal.problem ? "bad" : "ok"),
             !r->checkpoint_checked ? "none" : (r->checkpoint_problem ? "bad" : "ok"));
    (void)auditor_store_result(s, "audit", err == MNV_OK, detail);
    return err;
}
