/* libFuzzer target for the office-file path of the scanner: the input becomes
 * word/document.xml of an in-memory .docx (built with libzip, stored uncompressed), which
 * then goes through scan_memory() like any file: zip reading, XML-to-text, the scanner.
 * Nothing may crash, leak or read out of bounds; every finding lies in that member. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "mnvault/scan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int on_finding(void *ud, const struct scan_place *p, const struct scan_finding *f)
{
    size_t *n = ud;
    if (p->depth != 1 || strcmp(p->members[0], "word/document.xml") != 0 || f->line < 1)
        __builtin_trap();
    (*n)++;
    return 0;
}

/* A .docx holding data as its document; returns a malloc'd buffer or NULL. */
static uint8_t *make_docx(const uint8_t *data, size_t size, size_t *outlen)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    uint8_t *out = NULL;
    if (za) {
        static const char ct[] = "<Types/>";
        zip_source_t *a = zip_source_buffer(za, ct, sizeof(ct) - 1, 0);
        zip_source_t *b = zip_source_buffer(za, data, size, 0);
        zip_int64_t ia = a ? zip_file_add(za, "[Content_Types].xml", a, 0) : -1;
        zip_int64_t ib = b ? zip_file_add(za, "word/document.xml", b, 0) : -1;
        if (ia < 0 || ib < 0 ||
            zip_set_file_compression(za, (zip_uint64_t)ib, ZIP_CM_STORE, 0) < 0) {
            zip_discard(za);
            zip_source_free(src);
            return NULL;
        }
        if (zip_close(za) < 0)
            zip_discard(za);
    }
    if (zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t n = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        if (n > 0 && (out = malloc((size_t)n)) != NULL &&
            zip_source_read(src, out, (zip_uint64_t)n) == n) {
            *outlen = (size_t)n;
        } else {
            free(out);
            out = NULL;
        }
        zip_source_close(src);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = 0, found = 0;
    uint8_t *docx = make_docx(data, size, &len);
    if (!docx)
        return 0;
    struct scan_opts o;
    memset(&o, 0, sizeof(o));
    o.kind = MYNUMBER_INDIVIDUAL;
    const struct scan_handler h = {on_finding, NULL, NULL, NULL};
    if (scan_memory(docx, len, "fuzz.docx", &o, &h, &found) != MNV_OK)
        __builtin_trap();
    free(docx);
    return 0;
}
