/*
 * export_zip.c: packing an export into an AES-256 encrypted zip (export_priv.h), built in
 * memory with libzip and handed to the export's file. The passphrase is generated here
 * (about 120 bits, vcrypto.h) and shown once by the front end.
 */
#include "export_priv.h"

#include <stdlib.h>
#include <string.h>

#include <zip.h>

#include "mnvault/strbuf.h"
#include "mnvault/vcrypto.h"

enum mnv_err export_buffer_write(void *ctx, const void *data, size_t len, struct mnv_diag *diag)
{
    (void)diag;
    return strbuf_add(ctx, data, len);
}

/* Copy the finished archive in src to out. */
static enum mnv_err emit(zip_source_t *src, const struct form_output *out, struct mnv_diag *diag)
{
    unsigned char chunk[65536];
    if (zip_source_open(src) < 0)
        return MNV_ERR_ZIP;
    enum mnv_err err = MNV_OK;
    zip_int64_t n;
    while (err == MNV_OK && (n = zip_source_read(src, chunk, sizeof(chunk))) > 0)
        err = out->write(out->ctx, chunk, (size_t)n, diag);
    if (err == MNV_OK && n < 0)
        err = MNV_ERR_ZIP;
    zip_source_close(src);
    return err;
}

enum mnv_err export_zip(const struct strbuf *plain, const char *entry, char passphrase[30],
                        const struct form_output *out, struct mnv_diag *diag)
{
    if (!zip_encryption_method_supported(ZIP_EM_AES_256, 1)) {
        mnv_diag_detail(diag, "%s", "libzip without AES-256");
        return MNV_ERR_ZIP;
    }
    vcrypto_random_password(passphrase);
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *archive = zip_source_buffer_create(NULL, 0, 0, &ze);
    zip_t *z = archive ? zip_open_from_source(archive, ZIP_TRUNCATE, &ze) : NULL;
    enum mnv_err err = z ? MNV_OK : MNV_ERR_ZIP;
    if (err == MNV_OK) {
        zip_source_keep(archive); /* it must outlive zip_close, which writes into it */
        zip_source_t *file = zip_source_buffer(z, plain->buf, plain->len, 0);
        zip_int64_t idx = file ? zip_file_add(z, entry, file, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            zip_source_free(file);
            err = MNV_ERR_ZIP;
        } else if (zip_file_set_encryption(z, (zip_uint64_t)idx, ZIP_EM_AES_256, passphrase) < 0 ||
                   zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 9) < 0 ||
                   zip_file_set_external_attributes(z, (zip_uint64_t)idx, 0, ZIP_OPSYS_UNIX,
                                                    (zip_uint32_t)0100600 << 16) < 0) {
            err = MNV_ERR_ZIP;
        }
        if (err == MNV_OK && zip_close(z) < 0)
            err = MNV_ERR_ZIP;
        else if (err != MNV_OK)
            zip_discard(z);
        if (err == MNV_OK)
            err = emit(archive, out, diag);
    }
    if (archive)
        zip_source_free(archive);
    zip_error_fini(&ze);
    return err;
}
