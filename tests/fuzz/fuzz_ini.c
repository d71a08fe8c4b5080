/* fuzz_ini: libFuzzer target for every INI file mnvault reads: the configuration
 * (mnvault.ini), the purposes catalogue, the retention rules (checked against the shipped
 * purposes), the import's word lists, the identity document rules and a whole form layout.
 * The first byte picks the reader; the rest is the file (written to disk, as they are read).
 * Nothing may crash, leak or read out of bounds; a failed load leaves nothing behind; a
 * load that succeeds gives a structure whose counts hold. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "mnvault/config.h"
#include "mnvault/form.h"
#include "mnvault/idrules.h"
#include "mnvault/purposecat.h"
#include "mnvault/retention.h"
#include "mnvault/secmem.h"
#include "mnvault/synonyms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path[96], layout_path[96];
static struct purpose_catalog shipped;

static int prepare(void)
{
    char dir[] = "/tmp/fuzz-ini-XXXXXX";
    if (secmem_init() != MNV_OK || !mkdtemp(dir))
        return -1;
    snprintf(path, sizeof(path), "%s/file.ini", dir);
    snprintf(layout_path, sizeof(layout_path), "%s/t-2025.ini", dir);
    /* The shipped purposes (MNVAULT_SHAREDIR, set by tests/fuzz/run) for the retention rules. */
    return purpose_catalog_load(NULL, &shipped, NULL) == MNV_OK ? 0 : -1;
}

static int put(const char *p, const uint8_t *data, size_t size)
{
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fwrite(data, 1, size, f);
    return fclose(f) == 0 ? 0 : -1;
}

static void one(int which, const char *p)
{
    if (which == 0) {
        struct mnv_config cfg;
        config_defaults(&cfg);
        (void)config_load_file(&cfg, p, 1, NULL, NULL, NULL);
    } else if (which == 1) {
        struct purpose_catalog c = {0};
        if (purpose_catalog_load(p, &c, NULL) == MNV_OK)
            for (size_t i = 0; i < c.count; i++)
                if (!c.items[i].code[0] || purpose_find(&c, c.items[i].code) == NULL)
                    __builtin_trap();
        purpose_catalog_free(&c);
    } else if (which == 2) {
        struct retention_rules r = {0};
        (void)retention_rules_load(p, &shipped, &r, NULL);
        retention_rules_free(&r);
    } else if (which == 3) {
        struct synonyms s = {0};
        if (synonyms_load(p, "fuzz", &s, NULL) == MNV_OK)
            (void)synonyms_code(&s, "relation", "妻");
        synonyms_free(&s);
    } else if (which == 4) {
        struct idrules r = {0};
        (void)idrules_load(p, &r, NULL);
        idrules_free(&r);
    } else {
        struct form_layout *l = NULL;
        if (form_layout_load_file(p, &l, NULL) == MNV_OK)
            for (size_t i = 0; i < l->nfields; i++)
                (void)form_layout_field(l, l->fields[i].item);
        form_layout_free(l);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (prepare() < 0)
            abort();
        ready = 1;
    }
    if (size < 1 || size > 65536)
        return 0;
    int which = data[0] % 6;
    const char *p = which == 5 ? layout_path : path;
    if (put(p, data + 1, size - 1) < 0)
        return 0;
    one(which, p);
    return 0;
}
