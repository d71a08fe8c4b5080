/*
 * scan/charset.c: converting text in other character sets to UTF-8 for the scanner (part of
 * the scan module, see scan.h): archive member names written in CP932, and mail parts and
 * headers in ISO-2022-JP, Shift_JIS, EUC-JP and the like. Uses the C library's iconv.
 */
#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "priv.h"

int scan_cp932_to_utf8(const char *in, size_t n, char *out, size_t size)
{
    if (size == 0)
        return -1;
    iconv_t cd = iconv_open("UTF-8", "CP932");
    if (cd == (iconv_t)-1)
        return -1;
    char *ip = (char *)in, *op = out;
    size_t il = n, ol = size - 1;
    size_t r = iconv(cd, &ip, &il, &op, &ol);
    int ok = r != (size_t)-1 && iconv(cd, NULL, NULL, &op, &ol) != (size_t)-1;
    iconv_close(cd);
    if (!ok)
        return -1;
    *op = '\0';
    return 0;
}
