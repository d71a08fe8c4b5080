/* libFuzzer target for the mail reader: the input becomes the body of a multipart message
 * (its first byte picks the transfer encoding and character set of the parts' headers), so
 * boundaries, nested parts, attached messages, base64, quoted-printable, encoded words,
 * RFC 2231 names and charset conversion all run on fuzzed bytes. Checks: nothing crashes,
 * leaks or reads out of bounds; places are well formed. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/scan.h"
#include "scan_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_finding(void *ud, const struct scan_place *p, const struct scan_finding *f)
{
    size_t *n = ud;
    fuzz_check_finding(p, f);
    (*n)++;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const te[] = {"7bit", "base64", "quoted-printable", "8bit"};
    static const char *const cs[] = {"utf-8", "iso-2022-jp", "shift_jis", "euc-jp"};
    if (size < 1)
        return 0;
    char head[512];
    int k =
        snprintf(head, sizeof(head),
                 "From: =?%s?B?5Lq65LqL?= <a@example.jp>\r\nSubject: =?%s?Q?=E7=95=AA?=\r\n"
                 "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n"
                 "Content-Transfer-Encoding: %s\r\n\r\n--b\r\n"
                 "Content-Type: text/plain; charset=%s\r\nContent-Transfer-Encoding: %s\r\n\r\n",
                 cs[data[0] & 3], cs[(data[0] >> 2) & 3], te[(data[0] >> 4) & 3],
                 cs[(data[0] >> 2) & 3], te[(data[0] >> 6) & 3]);
    size_t len = (size_t)k + size - 1;
    uint8_t *msg = malloc(len);
    if (!msg)
        return 0;
    memcpy(msg, head, (size_t)k);
    memcpy(msg + k, data + 1, size - 1);
    size_t found = 0;
    struct scan_opts o = fuzz_scan_opts();
    const struct scan_handler h = {on_finding, NULL, NULL, NULL};
    if (scan_memory(msg, len, "fuzz.eml", &o, &h, &found) != MNV_OK)
        __builtin_trap();
    free(msg);
    return 0;
}
