#include "mnvault/shares.h"

#include <libgfshare.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "mnvault/secmem.h"
#include "mnvault/utf8.h"

#define SHARE_DATA_LEN (SHARES_SECRET_LEN + 16)
#define TAG_LEN 16
#define SHEET_VERSION 1
/* What a sheet carries: version, index, n, k, set id, share data. */
#define PAYLOAD_LEN (4 + 8 + SHARE_DATA_LEN)
#define PAYLOAD_CHARS (PAYLOAD_LEN * 8 / 5) /* 96: 480 bits, no padding */
#define GROUP_DATA 4                        /* base32 characters per group ... */
#define GROUP_LEN (GROUP_DATA + 1)          /* ... plus one check character */
#define GROUPS (PAYLOAD_CHARS / GROUP_DATA) /* 24 */
#define GROUPS_PER_ROW 6
#define SHEET_CHARS (GROUPS * GROUP_LEN) /* 120 */
#define CHECKSUM_BYTES 5                 /* 8 base32 characters */
#define CHECKSUM_CHARS 8
#define LABEL_MAX 64 /* bytes of label printed */
#define PARSE_MAX 65536

static const char b32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

_Static_assert(PAYLOAD_LEN * 8 % 5 == 0, "the payload fills whole base32 characters");
_Static_assert(PAYLOAD_CHARS % GROUP_DATA == 0, "the payload fills whole groups");

/* libgfshare draws its random coefficients (and its wipe bytes) through this hook. */
static void shares_fill_rand(unsigned char *buf, unsigned int n)
{
    randombytes_buf(buf, n);
}

/* The tag binds the secret to its split, so a wrong share or a stray set never combines. */
static void shares_tag(const unsigned char secret[SHARES_SECRET_LEN], const struct share *s,
                       unsigned char tag[TAG_LEN])
{
    static const char domain[] = "mnvault shares tag v1";
    unsigned char params[2] = {s->n, s->k};
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, TAG_LEN);
    crypto_generichash_update(&st, (const unsigned char *)domain, sizeof(domain));
    crypto_generichash_update(&st, s->set_id, sizeof(s->set_id));
    crypto_generichash_update(&st, params, sizeof(params));
    crypto_generichash_update(&st, secret, SHARES_SECRET_LEN);
    crypto_generichash_final(&st, tag, TAG_LEN);
    secmem_wipe(&st, sizeof(st));
}

enum mnv_err shares_split(const unsigned char secret[SHARES_SECRET_LEN], int n, int k,
                          struct share *out)
{
    if (k < 2 || n < k || n > SHARES_MAX)
        return MNV_ERR_RANGE;
    unsigned char *buf = secmem_alloc(SHARE_DATA_LEN);
    if (!buf)
        return MNV_ERR_NOMEM;
    unsigned char xs[SHARES_MAX];
    struct share proto = {.n = (uint8_t)n, .k = (uint8_t)k};
    randombytes_buf(proto.set_id, sizeof(proto.set_id));
    memcpy(buf, secret, SHARES_SECRET_LEN);
    shares_tag(secret, &proto, buf + SHARES_SECRET_LEN);
    for (int i = 0; i < n; i++)
        xs[i] = (unsigned char)(i + 1);

    gfshare_fill_rand = shares_fill_rand;
    gfshare_ctx *ctx = gfshare_ctx_init_enc(xs, (unsigned)n, (unsigned char)k, SHARE_DATA_LEN);
    if (!ctx) {
        secmem_free(buf);
        return MNV_ERR_CRYPTO;
    }
    gfshare_ctx_enc_setsecret(ctx, buf);
    for (int i = 0; i < n; i++) {
        out[i] = proto;
        out[i].index = xs[i];
        gfshare_ctx_enc_getshare(ctx, (unsigned char)i, out[i].data);
    }
    gfshare_ctx_free(ctx); /* overwrites its copy of the coefficients before freeing */
    secmem_free(buf);
    return MNV_OK;
}

/* Index of the first share of shares[0..count) with the same index as s, or -1. */
static int shares_find(const struct share *shares, int count, const struct share *s)
{
    for (int i = 0; i < count; i++)
        if (shares[i].index == s->index)
            return i;
    return -1;
}

/* Which shares take part: one per index, checked for agreement. */
static enum mnv_err shares_pick(const struct share *shares, int count, int picked[SHARES_MAX],
                                int *npicked)
{
    const struct share *ref = &shares[0];
    for (int i = 1; i < count; i++)
        if (!secmem_equal(shares[i].set_id, ref->set_id, sizeof(ref->set_id)))
            return MNV_ERR_SHARES_MIXED;
    if (ref->k < 2 || ref->n < ref->k || ref->n > SHARES_MAX)
        return MNV_ERR_SHARES_BAD;
    *npicked = 0;
    for (int i = 0; i < count; i++) {
        const struct share *s = &shares[i];
        if (s->n != ref->n || s->k != ref->k || s->index == 0 || s->index > ref->n)
            return MNV_ERR_SHARES_BAD;
        int first = shares_find(shares, i, s);
        if (first >= 0) {
            /* The same share typed twice counts once; two different ones cannot both be
             * right. */
            if (!secmem_equal(shares[first].data, s->data, sizeof(s->data)))
                return MNV_ERR_SHARES_BAD;
            continue;
        }
        picked[(*npicked)++] = i;
    }
    return *npicked < ref->k ? MNV_ERR_SHARES_FEW : MNV_OK;
}

enum mnv_err shares_combine(const struct share *shares, int count,
                            unsigned char secret[SHARES_SECRET_LEN])
{
    secmem_wipe(secret, SHARES_SECRET_LEN);
    if (count < 1)
        return MNV_ERR_SHARES_FEW;
    int picked[SHARES_MAX], np = 0;
    enum mnv_err err = shares_pick(shares, count, picked, &np);
    if (err != MNV_OK)
        return err;

    unsigned char xs[SHARES_MAX];
    unsigned char data[SHARE_DATA_LEN];
    unsigned char *buf = secmem_alloc(SHARE_DATA_LEN + TAG_LEN);
    if (!buf)
        return MNV_ERR_NOMEM;
    for (int i = 0; i < np; i++)
        xs[i] = shares[picked[i]].index;
    gfshare_fill_rand = shares_fill_rand;
    gfshare_ctx *ctx = gfshare_ctx_init_dec(xs, (unsigned)np, SHARE_DATA_LEN);
    if (!ctx) {
        secmem_free(buf);
        return MNV_ERR_CRYPTO;
    }
    for (int i = 0; i < np; i++) {
        memcpy(data, shares[picked[i]].data, sizeof(data));
        gfshare_ctx_dec_giveshare(ctx, (unsigned char)i, data);
    }
    secmem_wipe(data, sizeof(data));
    gfshare_ctx_dec_extract(ctx, buf);
    gfshare_ctx_free(ctx);

    unsigned char *tag = buf + SHARE_DATA_LEN;
    shares_tag(buf, &shares[0], tag);
    if (!secmem_equal(tag, buf + SHARES_SECRET_LEN, TAG_LEN)) {
        secmem_free(buf);
        return MNV_ERR_SHARES_BAD;
    }
    memcpy(secret, buf, SHARES_SECRET_LEN);
    secmem_free(buf);
    return MNV_OK;
}

/* ---- sheets ---------------------------------------------------------------------------- */

/* GF(32) multiplication, modulo x^5 + x^2 + 1. */
static unsigned gf32_mul(unsigned a, unsigned b)
{
    unsigned r = 0;
    for (int i = 0; i < 5; i++) {
        if (b & 1)
            r ^= a;
        b >>= 1;
        a <<= 1;
        if (a & 32)
            a ^= 0x25;
    }
    return r & 31;
}

/*
 * The check character of group g (0-based) with data values v[0..3]: chosen so that
 * c + x*v0 + x^2*v1 + x^3*v2 + x^4*v3 = g + 1 in GF(32). Distinct nonzero weights make every
 * single changed character and every swap of two characters within a group change the
 * sum, so both are always caught; the group number makes a group typed in the wrong place
 * fail too (31 times in 32).
 */
static unsigned group_check(const unsigned v[GROUP_DATA], int g)
{
    unsigned sum = (unsigned)(g + 1), w = 1;
    for (int i = 0; i < GROUP_DATA; i++) {
        w = gf32_mul(w, 2);
        sum ^= gf32_mul(w, v[i]);
    }
    return sum;
}

static void payload_pack(const struct share *s, unsigned char p[PAYLOAD_LEN])
{
    p[0] = SHEET_VERSION;
    p[1] = s->index;
    p[2] = s->n;
    p[3] = s->k;
    memcpy(p + 4, s->set_id, sizeof(s->set_id));
    memcpy(p + 12, s->data, sizeof(s->data));
}

/* base32 values of the payload, 5 bits each. */
static void payload_to_values(const unsigned char p[PAYLOAD_LEN], unsigned v[PAYLOAD_CHARS])
{
    unsigned acc = 0, bits = 0;
    int o = 0;
    for (int i = 0; i < PAYLOAD_LEN; i++) {
        acc = ((acc << 8) | p[i]) & 0xfff;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            v[o++] = (acc >> bits) & 31;
        }
    }
}

static void values_to_payload(const unsigned v[PAYLOAD_CHARS], unsigned char p[PAYLOAD_LEN])
{
    unsigned acc = 0, bits = 0;
    int o = 0;
    for (int i = 0; i < PAYLOAD_CHARS; i++) {
        acc = ((acc << 5) | v[i]) & 0xfff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            p[o++] = (unsigned char)(acc >> bits);
        }
    }
}

static void payload_checksum(const unsigned char p[PAYLOAD_LEN], char out[CHECKSUM_CHARS])
{
    static const char domain[] = "mnvault share sheet v1";
    unsigned char h[16];
    crypto_generichash_state st;
    crypto_generichash_init(&st, NULL, 0, sizeof(h));
    crypto_generichash_update(&st, (const unsigned char *)domain, sizeof(domain));
    crypto_generichash_update(&st, p, PAYLOAD_LEN);
    crypto_generichash_final(&st, h, sizeof(h));
    secmem_wipe(&st, sizeof(st));
    unsigned acc = 0, bits = 0;
    int o = 0;
    for (int i = 0; i < CHECKSUM_BYTES; i++) {
        acc = ((acc << 8) | h[i]) & 0xfff;
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = b32[(acc >> bits) & 31];
        }
    }
}

/* A bounded writer into the caller's buffer. */
struct sheet_out {
    char *buf;
    size_t size, pos;
    int full;
};

static void out_printf(struct sheet_out *o, const char *fmt, ...) MNV_PRINTF(2, 3);

static void out_printf(struct sheet_out *o, const char *fmt, ...)
{
    if (o->full)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(o->buf + o->pos, o->size - o->pos, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= o->size - o->pos)
        o->full = 1;
    else
        o->pos += (size_t)n;
}

/* The label as printed: valid UTF-8 without control characters, at most LABEL_MAX bytes. */
static void label_clean(const char *label, char out[LABEL_MAX + 1])
{
    size_t o = 0, len = strlen(label);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(label + i, len - i, &cp);
        if (n < 0) {
            cp = '?';
            n = 1;
        }
        char enc[4];
        int m = cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0) ? (enc[0] = ' ', 1)
                                                                     : utf8_encode(cp, enc);
        if (o + (size_t)m > LABEL_MAX)
            break;
        memcpy(out + o, enc, (size_t)m);
        o += (size_t)m;
        i += (size_t)n;
    }
    out[o] = '\0';
}

int shares_format(const struct share *s, const char *label, char *out, size_t size)
{
    unsigned char p[PAYLOAD_LEN];
    unsigned v[PAYLOAD_CHARS];
    char sum[CHECKSUM_CHARS];
    struct sheet_out o = {out, size, 0, size == 0};
    payload_pack(s, p);
    payload_to_values(p, v);
    payload_checksum(p, sum);

    out_printf(&o, "MNVAULT RECOVERY SHARE (format %d)\n", SHEET_VERSION);
    if (label && *label) {
        char clean[LABEL_MAX + 1];
        label_clean(label, clean);
        out_printf(&o, "Label: %s\n", clean);
    }
    out_printf(&o, "Set:   ");
    for (int i = 0; i < 8; i++)
        out_printf(&o, "%02X%s", s->set_id[i], i == 7 ? "\n" : i % 2 ? " " : "");
    out_printf(&o, "Share: %d of %d, %d needed\n\n", s->index, s->n, s->k);
    for (int g = 0; g < GROUPS; g++) {
        const unsigned *gv = v + g * GROUP_DATA;
        if (g % GROUPS_PER_ROW == 0)
            out_printf(&o, "%d:", g / GROUPS_PER_ROW + 1);
        out_printf(&o, " %c%c%c%c%c", b32[gv[0]], b32[gv[1]], b32[gv[2]], b32[gv[3]],
                   b32[group_check(gv, g)]);
        if (g % GROUPS_PER_ROW == GROUPS_PER_ROW - 1)
            out_printf(&o, "\n");
    }
    out_printf(&o, "\nCheck: %.4s %.4s\n", sum, sum + 4);

    secmem_wipe(p, sizeof(p));
    secmem_wipe(v, sizeof(v));
    if (o.full) {
        if (size)
            secmem_wipe(out, size);
        return -1;
    }
    return 0;
}

/* ---- parsing --------------------------------------------------------------------------- */

struct typed_char {
    unsigned char value; /* 0..31 */
    long line, column;
};

struct sheet_in {
    struct typed_char chars[SHEET_CHARS + 1]; /* one more, to notice an extra character */
    int nchars;
    struct typed_char sum[CHECKSUM_CHARS + 1];
    int nsum;
    long sum_line;
    long last_line, last_column; /* just after the last share character */
    int title;                   /* the "MNVAULT ..." line was there */
};

/* A typed character as a base32 value; the digits 0, 1 and 8 are read as O, I and B. */
static int typed_value(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        c = (unsigned char)(c - 'a' + 'A');
    if (c == '0')
        c = 'O';
    else if (c == '1')
        c = 'I';
    else if (c == '8')
        c = 'B';
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

/* Length of a leading "word:" (letters and spaces, then a colon) in s[0..len), or 0. */
static size_t key_prefix(const char *s, size_t len)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t start = i;
    while (i < len && ((s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= 'a' && s[i] <= 'z') ||
                       s[i] == ' ' || s[i] == '\t'))
        i++;
    return i > start && i < len && s[i] == ':' ? i + 1 : 0;
}

static int starts_with_word(const char *s, size_t len, const char *word)
{
    size_t i = 0;
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t wl = strlen(word);
    if (len - i < wl || strncasecmp(s + i, word, wl) != 0)
        return 0;
    return 1;
}

/* Column of byte offset off in a line (1-based, counting UTF-8 characters). */
static long column_of(const char *line, size_t off)
{
    long col = 1;
    for (size_t i = 0; i < off; i++)
        if (((unsigned char)line[i] & 0xC0) != 0x80)
            col++;
    return col;
}

static enum mnv_err typo_at(struct mnv_diag *diag, long line, long column)
{
    if (diag) {
        diag->line = line;
        diag->column = column;
    }
    return MNV_ERR_SHARES_TYPO;
}

/* Read the characters of line text[0..len) (line number ln) into in. */
static enum mnv_err sheet_line(struct sheet_in *in, const char *text, size_t len, long ln,
                               struct mnv_diag *diag)
{
    struct typed_char *dst = in->chars;
    int *count = &in->nchars, max = SHEET_CHARS + 1;
    size_t i = 0;
    if (starts_with_word(text, len, "MNVAULT ") || starts_with_word(text, len, "MNVAULT\t")) {
        in->title = 1;
        return MNV_OK;
    }
    size_t key = key_prefix(text, len);
    if (key) {
        if (!starts_with_word(text, len, "CHECK"))
            return MNV_OK; /* Label:, Set:, Share: and any other note */
        if (in->sum_line)
            return typo_at(diag, ln, 1); /* two check lines */
        in->sum_line = ln;
        dst = in->sum;
        count = &in->nsum;
        max = CHECKSUM_CHARS + 1;
        i = key;
    } else {
        /* An optional row number "1:", "1." or "1)". */
        size_t j = 0;
        while (j < len && (text[j] == ' ' || text[j] == '\t'))
            j++;
        size_t d = j;
        while (j < len && text[j] >= '0' && text[j] <= '9')
            j++;
        if (j > d && j < len && (text[j] == ':' || text[j] == '.' || text[j] == ')'))
            i = j + 1;
    }
    /* Columns count characters, so a label or note in Japanese earlier on the line does
     * not shift them. */
    for (long col = column_of(text, i); i < len; i++) {
        unsigned char c = (unsigned char)text[i];
        long here = col;
        if ((c & 0xC0) != 0x80)
            col++;
        if (c == ' ' || c == '\t' || c == '-' || c == '\r')
            continue;
        int v = typed_value(c);
        if (v < 0)
            return typo_at(diag, ln, here);
        if (*count < max) {
            dst[*count].value = (unsigned char)v;
            dst[*count].line = ln;
            dst[*count].column = here;
            (*count)++;
        }
        if (dst == in->chars) {
            in->last_line = ln;
            in->last_column = here + 1;
        }
    }
    return MNV_OK;
}

/* Does group g of what was typed pass its check? Its data values go to v. */
static int group_ok(const struct sheet_in *in, int g, unsigned v[PAYLOAD_CHARS])
{
    const struct typed_char *t = in->chars + g * GROUP_LEN;
    unsigned *gv = v + g * GROUP_DATA;
    for (int i = 0; i < GROUP_DATA; i++)
        gv[i] = t[i].value;
    return group_check(gv, g) == t[GROUP_DATA].value;
}

/* Check every group and the count; on success v holds the payload's values. */
static enum mnv_err sheet_groups(const struct sheet_in *in, unsigned v[PAYLOAD_CHARS],
                                 struct mnv_diag *diag)
{
    int full = in->nchars / GROUP_LEN, bad = -1, good = 0;
    if (full > GROUPS)
        full = GROUPS;
    for (int g = 0; g < full; g++) {
        if (group_ok(in, g, v))
            good++;
        else if (bad < 0)
            bad = g;
    }
    /* Text without the title in which no group passes its check is no share at all. */
    if (!good && !in->title)
        return MNV_ERR_SHARES_FORMAT;
    if (bad >= 0) {
        const struct typed_char *t = in->chars + bad * GROUP_LEN;
        return typo_at(diag, t->line, t->column);
    }
    if (in->nchars > SHEET_CHARS) /* something extra after the last group */
        return typo_at(diag, in->chars[SHEET_CHARS].line, in->chars[SHEET_CHARS].column);
    if (in->nchars % GROUP_LEN) { /* a group cut short */
        const struct typed_char *t = in->chars + full * GROUP_LEN;
        return typo_at(diag, t->line, t->column);
    }
    if (in->nchars < SHEET_CHARS) /* whole groups missing at the end */
        return typo_at(diag, in->last_line, in->last_column);
    return MNV_OK;
}

enum mnv_err shares_parse(const char *text, size_t len, struct share *out, struct mnv_diag *diag)
{
    memset(out, 0, sizeof(*out));
    if (len > PARSE_MAX)
        return MNV_ERR_SHARES_FORMAT;
    struct sheet_in *in = secmem_alloc(sizeof(*in));
    if (!in)
        return MNV_ERR_NOMEM;
    unsigned v[PAYLOAD_CHARS] = {0};
    unsigned char p[PAYLOAD_LEN];
    enum mnv_err err = MNV_OK;
    long ln = 0;
    for (size_t pos = 0; pos <= len && err == MNV_OK;) {
        const char *nl = memchr(text + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - text) : len;
        ln++;
        err = sheet_line(in, text + pos, end - pos, ln, diag);
        if (!nl)
            break;
        pos = end + 1;
    }
    if (err == MNV_OK && in->nchars == 0)
        err = MNV_ERR_SHARES_FORMAT;
    if (err == MNV_OK)
        err = sheet_groups(in, v, diag);
    if (err == MNV_OK) {
        values_to_payload(v, p);
        if (p[0] != SHEET_VERSION || p[3] < 2 || p[2] < p[3] || p[2] > SHARES_MAX || p[1] == 0 ||
            p[1] > p[2])
            err = MNV_ERR_SHARES_FORMAT;
    }
    if (err == MNV_OK && in->sum_line) {
        char want[CHECKSUM_CHARS];
        payload_checksum(p, want);
        int same = in->nsum == CHECKSUM_CHARS;
        for (int i = 0; same && i < CHECKSUM_CHARS; i++)
            same = b32[in->sum[i].value] == want[i];
        if (!same)
            err = typo_at(diag, in->sum_line, in->nsum ? in->sum[0].column : 1);
    }
    if (err == MNV_OK) {
        out->index = p[1];
        out->n = p[2];
        out->k = p[3];
        memcpy(out->set_id, p + 4, sizeof(out->set_id));
        memcpy(out->data, p + 12, sizeof(out->data));
    }
    secmem_wipe(p, sizeof(p));
    secmem_wipe(v, sizeof(v));
    secmem_free(in);
    if (err != MNV_OK)
        secmem_wipe(out, sizeof(*out));
    return err;
}
