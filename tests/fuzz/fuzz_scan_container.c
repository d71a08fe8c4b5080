/* libFuzzer target for the scanner's readers of files that hold other files: the input is
 * a whole file given to scan_memory() with small limits, so zip, gzip, tar, mail, OLE
 * compound files (encryption check, old Excel numbers), office XML and the dispatch between
 * them all run on it (PDF has its own target). Checks: nothing crashes, leaks, reads out of
 * bounds or runs away (the limits hold: 4 MiB unpacked, 2 s); every place is well formed;
 * every problem is a scan problem, not an error of the scan itself. */
#include <stddef.h>
#include <stdint.h>
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
    size_t found = 0;
    struct scan_opts o = fuzz_scan_opts();
    const struct scan_handler h = {on_finding, on_problem, NULL, NULL};
    enum mnv_err err = scan_memory(data, size, "fuzz", &o, &h, &found);
    if (err != MNV_OK && err != MNV_ERR_NOMEM)
        __builtin_trap();
    return 0;
}
