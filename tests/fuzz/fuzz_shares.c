/* libFuzzer target for share sheets and base32: any bytes. A sheet that parses must print
 * and parse back to the same share; a failed parse leaves nothing behind and names a place
 * for a typo. Base32 that decodes must encode back to the same bytes. */
#include <sodium.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mnvault/shares.h"
#include "mnvault/totp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_sheet(const uint8_t *data, size_t size)
{
    struct share s, again;
    struct mnv_diag d;
    mnv_diag_clear(&d);
    enum mnv_err err = shares_parse((const char *)data, size, &s, &d);
    if (err == MNV_OK) {
        if (s.index == 0 || s.index > s.n || s.k < 2 || s.n < s.k || s.n > SHARES_MAX)
            __builtin_trap();
        char text[2048];
        if (shares_format(&s, "fuzz", text, sizeof(text)) != 0)
            __builtin_trap();
        mnv_diag_clear(&d);
        if (shares_parse(text, strlen(text), &again, &d) != MNV_OK ||
            memcmp(&s, &again, sizeof(s)) != 0)
            __builtin_trap();
    } else {
        static const struct share zero;
        if (memcmp(&s, &zero, sizeof(s)) != 0)
            __builtin_trap();
        if (err == MNV_ERR_SHARES_TYPO && (d.line < 1 || d.column < 1))
            __builtin_trap();
        if (err != MNV_ERR_SHARES_TYPO && err != MNV_ERR_SHARES_FORMAT)
            __builtin_trap();
    }
}

static void fuzz_base32(const uint8_t *data, size_t size)
{
    char text[512];
    unsigned char bytes[320], back[320];
    if (size >= sizeof(text))
        size = sizeof(text) - 1;
    memcpy(text, data, size);
    text[size] = '\0';
    int n = totp_base32_decode(text, bytes, sizeof(bytes));
    if (n < 0)
        return;
    char enc[520];
    int m = totp_base32_encode(bytes, (size_t)n, enc, sizeof(enc));
    if (m < 0 || totp_base32_decode(enc, back, sizeof(back)) != n ||
        memcmp(bytes, back, (size_t)n) != 0)
        __builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready && sodium_init() < 0) /* secret memory needs libsodium set up */
        __builtin_trap();
    ready = 1;
    fuzz_sheet(data, size);
    fuzz_base32(data, size);
    return 0;
}
