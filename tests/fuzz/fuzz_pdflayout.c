/* fuzz_pdflayout: libFuzzer target for the printed forms' layout sections (pdflayout.h):
 * the input is the [sheet] and [draw] part of a layout file, behind a fixed [form], copies
 * and fields; the file is loaded as a layout (form.h) and its geometry read. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/form.h"
#include "mnvault/pdflayout.h"
#include "mnvault/secmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char head[] = "[form]\nid = t\nyear = 2025\ntitle_ja = t\ntitle_en = t\n"
                           "filing = gensen_375\noutput = pdf\nunit = slip\nheader_row = no\n"
                           "fields = 3\nsource = fuzz\n[copy.tax]\ntitle_ja = t\ntitle_en = t\n"
                           "destination = tax_office\nselect = all\nnumbers = yes\n"
                           "[copy.employee]\ntitle_ja = e\ntitle_en = e\ndestination = person\n"
                           "select = all\nnumbers = no\n[fields]\n"
                           "1 = employee.name | Z | 30 | text | - | 氏名 | C\n"
                           "2 = employee.number | H | 13 | digits | C | 個人番号 | C\n"
                           "3 = pay.amount | H | 10 | digits | - | 支払金額 | C\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    if (!path[0]) {
        char dir[] = "/tmp/fuzz-pdflayout-XXXXXX";
        if (secmem_init() != MNV_OK || !mkdtemp(dir))
            return 0;
        snprintf(path, sizeof(path), "%s/t-2025.ini", dir);
    }
    if (size > 16384 || memchr(data, '\0', size))
        return 0;
    FILE *f = fopen(path, "w");
    if (!f)
        return 0;
    fputs(head, f);
    fwrite(data, 1, size, f);
    if (fclose(f) != 0)
        return 0;
    struct form_layout *l = NULL;
    if (form_layout_load_file(path, &l, NULL) != MNV_OK)
        return 0;
    struct pdflayout *p = NULL;
    if (pdflayout_read(l, &p, NULL) == MNV_OK) {
        if (!p || p->count == 0 || p->nslots == 0 || p->nslots > PDFLAYOUT_SLOTS_MAX)
            __builtin_trap();
        char buf[64];
        for (size_t i = 0; i < p->count; i++) {
            const struct pdflayout_element *e = &p->elements[i];
            if (e->field >= (int)l->nfields)
                __builtin_trap();
            (void)pdflayout_value(e, "0012345", buf, sizeof(buf));
            (void)pdflayout_mark_on(e, "1");
        }
    }
    pdflayout_free(p);
    form_layout_free(l);
    return 0;
}
