/* libFuzzer target for the scanner's PDF reader: the input is a whole file (given a PDF
 * header when it lacks one) handed to scan_memory(), so poppler reads it in the child and
 * the parent reads the child's records: page text, form fields, attachments (scanned as
 * files), problems. Checks: nothing crashes, leaks, hangs or reads out of bounds in the
 * parent whatever poppler makes of the bytes (a crash of poppler is the child's and must
 * come back as a damaged file); every place is well formed; every problem is a scan
 * problem. The limits are small (4 MiB unpacked, 2 s). */
#include <stddef.h>
#include <stdint.h>
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

static void on_problem(void *ud, const struct scan_place *p, enum mnv_err err,
                       const struct mnv_diag *diag)
{
    (void)ud;
    (void)diag;
    fuzz_check_problem(p, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char head[] = "%PDF-1.7\n";
    if (size > (1u << 20))
        return 0;
    size_t h = size >= 5 && memcmp(data, "%PDF-", 5) == 0 ? 0 : sizeof(head) - 1;
    uint8_t *buf = malloc(size + h + 1);
    if (!buf)
        return 0;
    memcpy(buf, head, h);
    memcpy(buf + h, data, size);
    size_t found = 0;
    struct scan_opts o = fuzz_scan_opts();
    const struct scan_handler hd = {on_finding, on_problem, NULL, NULL};
    enum mnv_err err = scan_memory(buf, size + h, "fuzz.pdf", &o, &hd, &found);
    free(buf);
    if (err != MNV_OK && err != MNV_ERR_NOMEM)
        __builtin_trap();
    return 0;
}
