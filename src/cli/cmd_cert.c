/*
 * cmd_cert.c: `mnvault cert`: the certificates of deletion (list, export, verify, the
 * vault's public key) and contractors' certificates that copies handed to them were
 * returned or destroyed (return, returns). `cert verify FILE` needs no vault: it checks the
 * file's form and signature on their own; with --register it also asks this vault whether
 * the key is its own and the file is in its chain.
 */
#include "cli.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mnvault/cert.h"
#include "mnvault/clock.h"
#include "mnvault/custody.h"
#include "mnvault/fileio.h"
#include "mnvault/i18n.h"
#include "mnvault/session.h"
#include "mnvault/vcrypto.h"

static void cert_help(void)
{
    printf(_("Usage: mnvault cert list\n"
             "       mnvault cert export [ID] [--out DIR]\n"
             "       mnvault cert verify FILE [--register]\n"
             "       mnvault cert key [--pem]\n"
             "       mnvault cert return CUSTODY_ID --contractor NAME --reference TEXT\n"
             "                           --outcome returned|destroyed --on YYYY-MM-DD\n"
             "                           [--file SCAN]\n"
             "       mnvault cert returns\n"
             "Certificates of deletion, signed with the vault's Ed25519 key, one per\n"
             "executed proposal, each naming the previous one's SHA-256 (doc/disposal.md).\n\n"
             "  list         the register of certificates, oldest first\n"
             "  export       write certificate ID (or all) as ID.json and ID.pdf into DIR\n"
             "               (default: the vault's certificates folder)\n"
             "  verify       check FILE's canonical form and signature, without the vault;\n"
             "               --register: also whether this vault signed it and holds it in\n"
             "               its chain\n"
             "  key          the vault's public key (hex, or --pem for openssl)\n"
             "  return       record a contractor's certificate that the exported copy\n"
             "               CUSTODY_ID ('mnvault export list') was returned or destroyed;\n"
             "               --file: the SHA-256 of a scan of their certificate is kept\n"
             "  returns      the contractors' certificates recorded\n\n"
             "Exit status: 0 done (verify: the certificate holds), 1 refused or the\n"
             "certificate does not hold, 2 usage or input/output error.\n"));
}

struct opts {
    const char *out, *contractor, *reference, *outcome, *on, *file;
    int reg, pem;
};

static int parse(struct cli_ctx *ctx, int argc, char **argv, struct opts *o)
{
    const struct cli_opt opts[] = {
        {"out", &o->out, NULL},
        {"contractor", &o->contractor, NULL},
        {"reference", &o->reference, NULL},
        {"outcome", &o->outcome, NULL},
        {"on", &o->on, NULL},
        {"file", &o->file, NULL},
        {"register", NULL, &o->reg},
        {"pem", NULL, &o->pem},
        {NULL, NULL, NULL},
    };
    return cli_parse_opts(ctx, argc, argv, opts, cert_help);
}

/* The verb, its operands and the options fit together. */
static int valid(const char *verb, int nargs, const struct opts *o)
{
    int returns = o->contractor || o->reference || o->outcome || o->on || o->file;
    if (!verb)
        return 0;
    if (strcmp(verb, "return") == 0)
        return nargs == 1 && o->contractor && o->reference && o->outcome && o->on && !o->out &&
               !o->reg && !o->pem;
    if (returns)
        return 0;
    if (strcmp(verb, "export") == 0)
        return nargs <= 1 && !o->reg && !o->pem;
    if (strcmp(verb, "verify") == 0)
        return nargs == 1 && !o->out && !o->pem;
    if (strcmp(verb, "key") == 0)
        return nargs == 0 && !o->out && !o->reg;
    return (strcmp(verb, "list") == 0 || strcmp(verb, "returns") == 0) && nargs == 0 && !o->out &&
           !o->reg && !o->pem;
}

static int do_list(struct session *s)
{
    struct cert_rec *all = NULL;
    size_t n = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = cert_list(s, &all, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < n; i++) {
        char when[24], hex[2 * CERT_SHA256_LEN + 1];
        clock_format_local(when, sizeof(when), (time_t)all[i].issued_at);
        printf(_("%lld  %s  issued %s  proposal %lld  sha256 %s\n"), (long long)all[i].seq,
               all[i].id, when, (long long)all[i].proposal_id,
               vcrypto_hex(hex, all[i].sha256, CERT_SHA256_LEN));
    }
    if (n == 0)
        printf("%s\n", _("no certificates"));
    free(all);
    return CLI_OK;
}

static int do_export(struct session *s, const char *id, const char *dir)
{
    long written = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = cert_export(s, id, dir, &written, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    char folder[4096];
    snprintf(folder, sizeof(folder), "%s/%s", session_dir(s), CERT_FOLDER);
    printf(_("%ld files written to %s\n"), written, dir ? dir : folder);
    return CLI_OK;
}

static void print_check(const struct cert_check *c)
{
    printf(_("certificate: %s\n"), c->id);
    printf(_("issued at: %s\n"), c->issued_at);
    printf(_("numbers deleted: %ld\n"), c->numbers);
    printf(_("public key: %s\n"), c->public_key);
    printf(_("SHA-256 of the file: %s\n"), c->sha256);
    printf(_("previous certificate: %s\n"), c->previous[0] ? c->previous : _("none (the first)"));
}

static int do_verify(struct cli_ctx *ctx, const char *file, int reg)
{
    struct cert_check c;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = cert_verify_file(file, &c, &diag);
    if (err != MNV_OK && err != MNV_ERR_CERT_BAD)
        return cli_fail(err, &diag);
    if (err == MNV_ERR_CERT_BAD) {
        cli_error(_("%s: the certificate does not hold: %s"), file, _(c.problem));
        return CLI_BAD;
    }
    printf("%s\n", _("signature: good (Ed25519, canonical form)"));
    print_check(&c);
    if (!reg)
        return CLI_OK;
    struct session *s;
    int rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    struct cert_standing st;
    err = cert_vault_check(s, &c, &st, &diag);
    session_logout(s);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf("%s\n", st.key_ok ? _("signed with this vault's key: yes")
                             : _("signed with this vault's key: NO"));
    if (st.registered)
        printf(_("in this vault's register: yes, certificate %lld of the chain\n"),
               (long long)st.seq);
    else
        printf("%s\n", _("in this vault's register: NO"));
    if (st.registered)
        printf("%s\n", st.chain_ok ? _("linked to the certificate before it: yes")
                                   : _("linked to the certificate before it: NO"));
    return st.key_ok && st.registered && st.chain_ok ? CLI_OK : CLI_BAD;
}

/* The SubjectPublicKeyInfo of an Ed25519 key (RFC 8410) in PEM, as openssl reads it. */
static void print_pem(const char *hex)
{
    static const unsigned char prefix[12] = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03,
                                             0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    unsigned char der[44];
    memcpy(der, prefix, sizeof(prefix));
    size_t got = 0;
    if (sodium_hex2bin(der + 12, 32, hex, 64, NULL, &got, NULL) != 0 || got != 32)
        return;
    char b64[sodium_base64_ENCODED_LEN(44, sodium_base64_VARIANT_ORIGINAL)];
    sodium_bin2base64(b64, sizeof(b64), der, sizeof(der), sodium_base64_VARIANT_ORIGINAL);
    printf("-----BEGIN PUBLIC KEY-----\n%s\n-----END PUBLIC KEY-----\n", b64);
}

static int do_key(struct session *s, int pem)
{
    char hex[65];
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = cert_public_key(s, hex, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    if (pem)
        print_pem(hex);
    else
        printf("%s\n", hex);
    return CLI_OK;
}

static int do_return(struct session *s, const char *idtext, const struct opts *o)
{
    long id;
    if (cli_parse_long(idtext, 1, 1L << 62, &id) != 0)
        return cli_fail(MNV_ERR_NOT_FOUND, NULL);
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    unsigned char sha[CERT_SHA256_LEN];
    if (o->file) {
        unsigned char *data = NULL;
        size_t len = 0;
        enum mnv_err err = fileio_read_all(o->file, CERT_MAX_FILE, &data, &len, &diag);
        if (err != MNV_OK)
            return cli_fail(err, &diag);
        crypto_hash_sha256(sha, data, len);
        free(data);
    }
    enum mnv_err err = cert_record_return(s, (int64_t)id, o->contractor, o->reference, o->outcome,
                                          o->on, o->file ? sha : NULL, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    printf(strcmp(o->outcome, "returned") == 0
               ? _("export %ld: returned, by the contractor's certificate of %s\n")
               : _("export %ld: destroyed, by the contractor's certificate of %s\n"),
           id, o->on);
    return CLI_OK;
}

static int do_returns(struct session *s)
{
    struct cert_return *all = NULL;
    size_t n = 0;
    struct mnv_diag diag;
    mnv_diag_clear(&diag);
    enum mnv_err err = cert_returns(s, &all, &n, &diag);
    if (err != MNV_OK)
        return cli_fail(err, &diag);
    for (size_t i = 0; i < n; i++)
        printf(_("export %lld  %s on %s  %s  %s  (recorded by %s)\n"), (long long)all[i].custody_id,
               strcmp(all[i].outcome, "returned") == 0 ? _("returned") : _("destroyed"), all[i].on,
               all[i].contractor, all[i].reference, all[i].recorded_by);
    if (n == 0)
        printf("%s\n", _("no contractors' certificates recorded"));
    free(all);
    return CLI_OK;
}

static int run(struct session *s, const char *verb, char **args, int nargs, const struct opts *o)
{
    if (strcmp(verb, "list") == 0)
        return do_list(s);
    if (strcmp(verb, "export") == 0)
        return do_export(s, nargs ? args[0] : NULL, o->out);
    if (strcmp(verb, "key") == 0)
        return do_key(s, o->pem);
    if (strcmp(verb, "return") == 0)
        return do_return(s, args[0], o);
    return do_returns(s);
}

int cmd_cert(struct cli_ctx *ctx, int argc, char **argv)
{
    struct opts o;
    memset(&o, 0, sizeof(o));
    int rc = parse(ctx, argc, argv, &o);
    if (rc < 0)
        return CLI_OK;
    if (rc != CLI_OK)
        return cli_usage_hint("cert");
    const char *verb = optind < argc ? argv[optind++] : NULL;
    char **args = argv + optind;
    int nargs = argc - optind;
    if (!valid(verb, nargs, &o)) {
        cli_error(_("use 'mnvault cert list', 'export [ID]', 'verify FILE', 'key', "
                    "'return CUSTODY_ID …' or 'returns'"));
        return cli_usage_hint("cert");
    }
    if (strcmp(verb, "verify") == 0) {
        rc = cli_load_config(ctx);
        return rc == CLI_OK ? do_verify(ctx, args[0], o.reg) : rc;
    }
    struct session *s;
    rc = cli_login(ctx, &s, 0, NULL, NULL, NULL);
    if (rc != CLI_OK)
        return rc;
    rc = run(s, verb, args, nargs, &o);
    session_logout(s);
    return rc;
}
