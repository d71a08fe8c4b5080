/* libFuzzer target for the number parser and the recogniser (numtext.h): any bytes, both
 * kinds; the result must be consistent with the digit-only validators, whatever parses as a
 * number must be found in the text under the any-run rule, every span found lies inside the
 * text, and nothing may read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mnvault/mynumber.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int span_inside(void *ud, const struct numtext_span *span)
{
    size_t size = *(const size_t *)ud;
    if (span->start >= span->end || span->end > size)
        __builtin_trap();
    for (int i = 0; i < 4; i++)
        if (span->last4[i] < '0' || span->last4[i] > '9')
            __builtin_trap();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct mynumber n;
    struct mnv_diag d;
    for (int k = 0; k < 2; k++) {
        enum mynumber_kind kind = k ? MYNUMBER_CORPORATE : MYNUMBER_INDIVIDUAL;
        mnv_diag_clear(&d);
        enum mnv_err err = mynumber_parse(&n, kind, (const char *)data, size, &d);
        if (err == MNV_OK) {
            if (strlen(n.digits) != (size_t)kind)
                __builtin_trap();
            int ok = kind == MYNUMBER_CORPORATE ? numtext_valid_corporate(n.digits)
                                                : numtext_valid_individual(n.digits);
            if (!ok)
                __builtin_trap();
            unsigned f = NUMTEXT_ANY_RUN | (k ? NUMTEXT_CORPORATE : 0);
            if (!numtext_has_number((const char *)data, size, f))
                __builtin_trap();
            char buf[MYNUMBER_FORMAT_SIZE];
            mynumber_format_grouped(buf, &n);
            mynumber_format_masked(buf, kind, MYNUMBER_MASK_LAST4, n.digits + n.len - 4);
            if (strlen(buf) >= MYNUMBER_FORMAT_SIZE)
                __builtin_trap();
        } else {
            static const struct mynumber zero;
            if (memcmp(&n, &zero, sizeof(n)) != 0 && n.digits[0] != 0)
                __builtin_trap(); /* a failed parse must leave no digits behind */
            if (err == MNV_ERR_NUM_CHAR && d.column < 1)
                __builtin_trap();
        }
        mynumber_clear(&n);
        for (unsigned f = 0; f < 8; f++)
            (void)numtext_find((const char *)data, size, f, span_inside, &size);
    }
    return 0;
}
