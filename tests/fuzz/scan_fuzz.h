/* scan_fuzz.h: the checks the scanner's fuzz targets make of every place and problem the scan
 * reports, and the small limits they scan with. A broken check is a crash (__builtin_trap),
 * which is what libFuzzer reports. Included by the fuzz_scan_*.c targets only. */
#ifndef MNV_TESTS_FUZZ_SCAN_FUZZ_H
#define MNV_TESTS_FUZZ_SCAN_FUZZ_H

#include <string.h>

#include "mnvault/scan.h"

/* A place is well formed: its depth in range and a name for each level. */
static inline void fuzz_check_place(const struct scan_place *p)
{
    if (p->depth < 0 || p->depth > SCAN_MAX_NESTING || p->page < 0)
        __builtin_trap();
    for (int i = 0; i < p->depth; i++)
        if (!p->members[i])
            __builtin_trap();
}

/* A finding is well formed: its place, and a line and column from 1. */
static inline void fuzz_check_finding(const struct scan_place *p, const struct scan_finding *f)
{
    fuzz_check_place(p);
    if (f->line < 1 || f->column < 1)
        __builtin_trap();
}

/* A problem is a file the scan could not look into (or memory), never the scan's own error. */
static inline void fuzz_check_problem(const struct scan_place *p, enum mnv_err err)
{
    fuzz_check_place(p);
    if (scan_problem_kind(err) != SCAN_NOT_SCANNED && err != MNV_ERR_NOMEM)
        __builtin_trap();
}

/* Scan options for individual numbers with the targets' limits: 4 MiB unpacked, 2 s. */
static inline struct scan_opts fuzz_scan_opts(void)
{
    struct scan_opts o;
    memset(&o, 0, sizeof(o));
    o.kind = MYNUMBER_INDIVIDUAL;
    o.max_unpacked = 4u << 20;
    o.max_seconds = 2;
    return o;
}

#endif
