#include "mnvault/totp.h"

#include <liboath/oath.h>
#include <sodium.h>
#include <string.h>

#include "mnvault/secmem.h"

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void totp_secret_new(unsigned char secret[TOTP_SECRET_LEN])
{
    randombytes_buf(secret, TOTP_SECRET_LEN);
}

/* liboath wants oath_init() once before use; it only sets up its hash back end. */
static int oath_ready(void)
{
    static int ready;
    if (!ready && oath_init() == OATH_OK)
        ready = 1;
    return ready;
}

long totp_code(const unsigned char *key, size_t keylen, time_t t, enum totp_hash hash, int digits)
{
    int flags;
    switch (hash) {
    case TOTP_SHA1:
        flags = 0;
        break;
    case TOTP_SHA256:
        flags = OATH_TOTP_HMAC_SHA256;
        break;
    case TOTP_SHA512:
        flags = OATH_TOTP_HMAC_SHA512;
        break;
    default:
        return -1;
    }
    if (keylen == 0 || t < 0 || digits < 6 || digits > 8 || !oath_ready())
        return -1;
    char otp[16] = {0};
    long code = -1;
    if (oath_totp_generate2((const char *)key, keylen, t, TOTP_STEP, 0, (unsigned)digits, flags,
                            otp) == OATH_OK) {
        code = 0;
        for (int i = 0; i < digits; i++)
            code = code * 10 + (otp[i] - '0');
    }
    secmem_wipe(otp, sizeof(otp));
    return code;
}

/* The typed code as exactly TOTP_DIGITS ASCII digits (spaces dropped); 0 if malformed. */
static int typed_digits(const char *typed, char out[TOTP_DIGITS])
{
    int n = 0;
    for (const char *p = typed; *p; p++) {
        if (*p == ' ' || *p == '\t')
            continue;
        if (*p < '0' || *p > '9' || n == TOTP_DIGITS)
            return 0;
        out[n++] = *p;
    }
    return n == TOTP_DIGITS;
}

enum mnv_err totp_verify(const unsigned char secret[TOTP_SECRET_LEN], const char *typed, time_t now,
                         uint64_t *last_step)
{
    char want[TOTP_DIGITS], cand[TOTP_DIGITS];
    if (now < 0 || !typed_digits(typed, want)) {
        secmem_wipe(want, sizeof(want));
        return MNV_ERR_TOTP_WRONG;
    }
    uint64_t step = (uint64_t)now / TOTP_STEP;
    uint64_t accepted = 0;
    int matched = 0, replay = 0;
    /* Every candidate is computed and compared, so the time taken does not depend on
     * which step (if any) matched. */
    for (int d = -1; d <= 1; d++) {
        if (d < 0 && step == 0)
            continue;
        uint64_t s = step + (uint64_t)(int64_t)d;
        long code =
            totp_code(secret, TOTP_SECRET_LEN, (time_t)(s * TOTP_STEP), TOTP_SHA1, TOTP_DIGITS);
        if (code < 0)
            continue;
        for (int i = TOTP_DIGITS - 1; i >= 0; i--, code /= 10)
            cand[i] = (char)('0' + code % 10);
        int eq = sodium_memcmp(cand, want, TOTP_DIGITS) == 0;
        if (eq && s > *last_step) {
            matched = 1;
            accepted = s; /* steps rise with d: the latest matching step wins */
        } else if (eq) {
            replay = 1;
        }
    }
    secmem_wipe(cand, sizeof(cand));
    secmem_wipe(want, sizeof(want));
    if (matched) {
        *last_step = accepted;
        return MNV_OK;
    }
    return replay ? MNV_ERR_TOTP_REPLAY : MNV_ERR_TOTP_WRONG;
}

int totp_base32_encode(const unsigned char *in, size_t len, char *out, size_t size)
{
    if (len > ((size_t)-1 - 4) / 8) {
        if (size)
            out[0] = '\0';
        return -1;
    }
    size_t need = (len * 8 + 4) / 5;
    if (size < need + 1 || need > 0x7fffffff) {
        if (size)
            out[0] = '\0';
        return -1;
    }
    size_t o = 0;
    unsigned int acc = 0, bits = 0;
    for (size_t i = 0; i < len; i++) {
        acc = (acc << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out[o++] = b32_alphabet[(acc >> bits) & 31];
        }
    }
    if (bits > 0)
        out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return (int)o;
}

/* The value of a base32 character (either case), or -1. */
static int b32_value(unsigned char c)
{
    if (c >= 'a' && c <= 'z')
        c = (unsigned char)(c - 'a' + 'A');
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= '2' && c <= '7')
        return c - '2' + 26;
    return -1;
}

int totp_base32_decode(const char *in, unsigned char *out, size_t size)
{
    size_t o = 0, chars = 0;
    unsigned int acc = 0, bits = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n' || *p == '=')
            continue;
        int v = b32_value(*p);
        if (v < 0)
            goto bad;
        chars++;
        acc = ((acc << 5) | (unsigned)v) & 0x1fff;
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            if (o >= size || o >= 0x7fffffff)
                goto bad;
            out[o++] = (unsigned char)(acc >> bits);
        }
    }
    /* Only lengths an encoder can produce, with the unused low bits zero: every byte
     * string then has exactly one spelling, so a changed character is always noticed. */
    if (chars % 8 == 1 || chars % 8 == 3 || chars % 8 == 6)
        goto bad;
    if (bits && (acc & ((1u << bits) - 1)))
        goto bad;
    return (int)o;
bad:
    secmem_wipe(out, o);
    return -1;
}

/* A bounded writer: everything after the first overflow is dropped and remembered. */
struct sink {
    char *out;
    size_t size, pos;
    int full;
};

static void sink_putc(struct sink *s, char c)
{
    if (s->pos + 1 >= s->size) {
        s->full = 1;
        return;
    }
    s->out[s->pos++] = c;
    s->out[s->pos] = '\0';
}

static void sink_puts(struct sink *s, const char *str)
{
    while (*str)
        sink_putc(s, *str++);
}

/* RFC 3986 percent-encoding: unreserved characters stay, every other byte is %XX. */
static void sink_pct(struct sink *s, const char *str)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)str; *p; p++) {
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
            *p == '-' || *p == '.' || *p == '_' || *p == '~') {
            sink_putc(s, (char)*p);
        } else {
            sink_putc(s, '%');
            sink_putc(s, hex[*p >> 4]);
            sink_putc(s, hex[*p & 15]);
        }
    }
}

int totp_uri(char *out, size_t size, const char *issuer, const char *account,
             const unsigned char secret[TOTP_SECRET_LEN])
{
    char b32[TOTP_BASE32_SIZE];
    struct sink s = {out, size, 0, 0};
    if (size == 0)
        return -1;
    out[0] = '\0';
    if (totp_base32_encode(secret, TOTP_SECRET_LEN, b32, sizeof(b32)) < 0)
        return -1;
    sink_puts(&s, "otpauth://totp/");
    if (*issuer) {
        sink_pct(&s, issuer);
        sink_putc(&s, ':');
    }
    sink_pct(&s, account);
    sink_puts(&s, "?secret=");
    sink_puts(&s, b32);
    if (*issuer) {
        sink_puts(&s, "&issuer=");
        sink_pct(&s, issuer);
    }
    sink_puts(&s, "&algorithm=SHA1&digits=6&period=30");
    secmem_wipe(b32, sizeof(b32));
    if (s.full) {
        secmem_wipe(out, size);
        return -1;
    }
    return 0;
}
