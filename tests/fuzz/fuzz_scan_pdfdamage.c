/* libFuzzer target for the scanner's damaged-PDF check (issue 17: never "clean" when it could
 * not look): a PDF cut short must never come back clean when the whole file held a number.
 * The input is a whole PDF (given a header when it lacks one). It is scanned as it is; when
 * that finds a number and reports nothing as not scanned, the same bytes cut short at three
 * places chosen from the input are scanned too, and each must either still find a number or
 * report a part not scanned (damaged, too long, ...): a cut file that scans clean is a crash
 * here. Whatever the input, the checks of fuzz_scan_pdf hold as well: nothing crashes, leaks
 * or reads out of bounds in the parent, every place is well formed, every problem is a scan
 * problem. Seeds (tests/fuzz/corpus/scan_pdfdamage/): a small PDF whose only number is on its
 * last page, and what tests/tools/pdf-damage.py makes of it. Limits: 4 MiB unpacked, 2 s. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/scan.h"
#include "scan_fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct tally {
    size_t found, not_scanned;
    int nomem;
};

static int on_finding(void *ud, const struct scan_place *p, const struct scan_finding *f)
{
    struct tally *t = ud;
    fuzz_check_finding(p, f);
    t->found++;
    return 0;
}

static void on_problem(void *ud, const struct scan_place *p, enum mnv_err err,
                       const struct mnv_diag *diag)
{
    struct tally *t = ud;
    (void)diag;
    fuzz_check_problem(p, err);
    if (err == MNV_ERR_NOMEM)
        t->nomem = 1;
    else
        t->not_scanned++;
}

static struct tally scan_pdf(const uint8_t *buf, size_t len)
{
    struct tally t = {0, 0, 0};
    struct scan_opts o = fuzz_scan_opts();
    const struct scan_handler hd = {on_finding, on_problem, NULL, NULL};
    enum mnv_err err = scan_memory(buf, len, "fuzz.pdf", &o, &hd, &t);
    if (err == MNV_ERR_NOMEM)
        t.nomem = 1;
    else if (err != MNV_OK)
        __builtin_trap();
    return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char head[] = "%PDF-1.7\n";
    if (size > (1u << 20))
        return 0;
    size_t h = size >= 5 && memcmp(data, "%PDF-", 5) == 0 ? 0 : sizeof(head) - 1;
    size_t len = size + h;
    uint8_t *buf = malloc(len + 1);
    if (!buf)
        return 0;
    memcpy(buf, head, h);
    memcpy(buf + h, data, size);
    struct tally whole = scan_pdf(buf, len);
    if (whole.found > 0 && whole.not_scanned == 0 && !whole.nomem && len > 16) {
        /* Three cuts, spread over the file and moved by the input's bytes: the fuzzer reaches
         * every place by changing the file, and the seeds' cuts fall in different objects. */
        uint32_t mix = 2166136261u;
        for (size_t i = 0; i < len; i++)
            mix = (mix ^ buf[i]) * 16777619u;
        for (unsigned k = 1; k <= 3; k++) {
            size_t span = len / 4, at = span * k + (span ? (mix >> (8 * (k - 1))) % span : 0);
            if (at < 9 || at >= len)
                continue;
            struct tally cut = scan_pdf(buf, at);
            if (!cut.nomem && cut.found == 0 && cut.not_scanned == 0)
                __builtin_trap(); /* a PDF cut short, and called clean */
        }
    }
    free(buf);
    return 0;
}
