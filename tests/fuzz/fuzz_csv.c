/* fuzz_csv: libFuzzer target for the CSV reader (csv.h): encoding detection and CP932
 * conversion, then every record, touching every field so that a bad read is seen. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "mnvault/csv.h"
#include "mnvault/secmem.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (secmem_init() != MNV_OK)
            return 0;
        ready = 1;
    }
    char *text;
    size_t len;
    enum csv_encoding enc;
    if (csv_decode(data, size, &text, &len, &enc, NULL) != MNV_OK)
        return 0;
    struct csv_reader r;
    if (csv_reader_init(&r, text, len) == MNV_OK) {
        volatile size_t total = 0;
        long last = 0;
        while (csv_next(&r, NULL) == MNV_OK) {
            if (r.record_line < last || r.nfields == 0 || r.nfields > CSV_FIELDS_MAX)
                __builtin_trap();
            last = r.record_line;
            for (size_t i = 0; i < r.nfields; i++)
                total += strlen(r.fields[i]);
        }
        csv_reader_release(&r);
    }
    secmem_free(text);
    return 0;
}
