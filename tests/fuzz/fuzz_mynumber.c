/* libFuzzer target for the number parser: any bytes, both kinds; the result must be
 * consistent with the digit-only validators and the parse must never read out of bounds. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mnvault/mynumber.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

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
            int ok = kind == MYNUMBER_CORPORATE ? mynumber_valid_corporate_digits(n.digits)
                                                : mynumber_valid_individual_digits(n.digits);
            if (!ok)
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
    }
    return 0;
}
