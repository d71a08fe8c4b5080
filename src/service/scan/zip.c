/*
 * scan/zip.c: zip archives for the scanner (part of the scan module, see scan.h).
 *
 * Every member of a zip is unpacked (libzip) within the file's limits and scanned by what
 * its bytes are, so a zip of CSV files, a .docx inside a .zip, or an .xlsx embedded in a
 * .docx are all checked. In an office document (OOXML: a [Content_Types].xml member;
 * OpenDocument: a "mimetype" member naming an OpenDocument type) the XML parts are reduced
 * to their text first (xml.c). An OpenDocument file saved with a password is reported as
 * encrypted (its members are encrypted one by one inside an ordinary zip).
 */
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "mnvault/secmem.h"
#include "mnvault/utf8.h"
#include "priv.h"

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

/* Office documents: OOXML has [Content_Types].xml, OpenDocument a "mimetype" member. */
static int is_office(zip_t *za)
{
    if (zip_name_locate(za, "[Content_Types].xml", 0) >= 0)
        return 1;
    zip_int64_t i = zip_name_locate(za, "mimetype", 0);
    if (i < 0)
        return 0;
    zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
    if (!f)
        return 0;
    char buf[64] = {0};
    zip_int64_t r = zip_fread(f, buf, sizeof(buf) - 1);
    zip_fclose(f);
    return r > 0 && strncmp(buf, "application/vnd.oasis.opendocument.", 35) == 0;
}

/* An OpenDocument file saved with a password: its manifest lists encryption data. */
static int odf_encrypted(zip_t *za)
{
    zip_int64_t i = zip_name_locate(za, "META-INF/manifest.xml", 0);
    if (i < 0)
        return 0;
    zip_file_t *f = zip_fopen_index(za, (zip_uint64_t)i, 0);
    if (!f)
        return 0;
    char buf[64 * 1024];
    zip_int64_t r = zip_fread(f, buf, sizeof(buf) - 1);
    zip_fclose(f);
    if (r <= 0)
        return 0;
    buf[r] = '\0';
    return strstr(buf, "encryption-data") != NULL;
}

/* The error to report when libzip could not open or read a member. */
static enum mnv_err member_error(int ze)
{
    switch (ze) {
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD:
        return MNV_ERR_SCAN_ENCRYPTED;
    case ZIP_ER_COMPNOTSUPP:
    case ZIP_ER_ENCRNOTSUPP:
        return MNV_ERR_SCAN_METHOD;
    case ZIP_ER_MEMORY:
        return MNV_ERR_NOMEM;
    default:
        return MNV_ERR_SCAN_DAMAGED;
    }
}

/*
 * unpack: member i into out, within the file's limits. A member that says it unpacks to
 * more than the limits allow is refused before anything is unpacked; libzip never gives
 * more than the size the member states (more is a CRC error), so the check holds.
 * Returns MNV_OK or what to report.
 */
static enum mnv_err unpack(struct scan_ctx *c, zip_t *za, zip_uint64_t i, const zip_stat_t *st,
                           struct scan_out *out)
{
    if (st->encryption_method != ZIP_EM_NONE)
        return MNV_ERR_SCAN_ENCRYPTED;
    if (!zip_compression_method_supported(st->comp_method, 0))
        return MNV_ERR_SCAN_METHOD;
    uint64_t size = st->size;
    uint64_t packed = (st->valid & ZIP_STAT_COMP_SIZE) && st->comp_size ? st->comp_size : 1;
    if (c->unpacked + size > c->max_unpacked) {
        c->halt = 1;
        return MNV_ERR_SCAN_TOO_BIG;
    }
    if (size > ((uint64_t)8 << 20) && size / packed > c->max_ratio)
        return MNV_ERR_SCAN_TOO_BIG;
    zip_file_t *f = zip_fopen_index(za, i, 0);
    if (!f)
        return member_error(zip_error_code_zip(zip_get_error(za)));
    out->packed_now = packed; /* libzip does not say how much it has read; the whole */
    uint8_t buf[64 * 1024];
    enum mnv_err err = MNV_OK;
    for (;;) {
        zip_int64_t r = zip_fread(f, buf, sizeof(buf));
        if (r < 0) {
            err = member_error(zip_error_code_zip(zip_file_get_error(f)));
            break;
        }
        if (r == 0)
            break;
        if ((uint64_t)out->n + (uint64_t)r > size) {
            err = MNV_ERR_SCAN_DAMAGED; /* longer than it says */
            break;
        }
        err = scan_out_put(c, out, buf, (size_t)r);
        if (err != MNV_OK)
            break;
    }
    secmem_wipe(buf, sizeof(buf));
    zip_fclose(f);
    if (err == MNV_OK && out->n != size)
        err = MNV_ERR_SCAN_DAMAGED;
    return err;
}

/*
 * member_name: the member's name as UTF-8 into out. Zips made on Japanese Windows hold
 * CP932 names without saying so, and libzip would read those as CP437; so: the raw bytes
 * when they are UTF-8, else CP932 when they decode as that, else the raw bytes (shown
 * escaped by the front end).
 */
static const char *member_name(zip_t *za, zip_uint64_t i, char *out, size_t size)
{
    const char *raw = zip_get_name(za, i, ZIP_FL_ENC_RAW);
    if (!raw)
        return NULL;
    size_t n = strlen(raw);
    if (utf8_valid(raw, n) || scan_cp932_to_utf8(raw, n, out, size) < 0)
        return raw;
    return out;
}

static void scan_member(struct scan_ctx *c, zip_t *za, zip_uint64_t i, int office)
{
    zip_stat_t st;
    char decoded[1024];
    zip_stat_init(&st);
    if (zip_stat_index(za, i, ZIP_FL_ENC_RAW, &st) < 0 || !(st.valid & ZIP_STAT_NAME) ||
        !(st.valid & ZIP_STAT_SIZE)) {
        scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
        return;
    }
    const char *name = member_name(za, i, decoded, sizeof(decoded));
    if (!name)
        name = st.name;
    if (ends_with(name, "/") && st.size == 0)
        return; /* a folder entry */
    if (scan_push_member(c, name) < 0)
        return;
    struct scan_out out;
    scan_out_init(&out);
    enum mnv_err err = unpack(c, za, i, &st, &out);
    if (err == MNV_ERR_NOMEM)
        c->nomem = 1;
    else if (err != MNV_OK)
        scan_problem(c, err, NULL);
    else if (office && (ends_with(name, ".xml") || ends_with(name, ".rels")))
        scan_xml_part(c, out.p, out.n);
    else
        scan_blob(c, out.p, out.n);
    scan_out_free(&out);
    scan_pop_member(c);
}

void scan_zip(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
    zip_t *za = src ? zip_open_from_source(src, ZIP_RDONLY, &ze) : NULL;
    if (!za) {
        int code = zip_error_code_zip(&ze);
        if (src)
            zip_source_free(src);
        zip_error_fini(&ze);
        if (code == ZIP_ER_MEMORY)
            c->nomem = 1;
        else
            scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
        return;
    }
    zip_error_fini(&ze);
    int office = is_office(za);
    if (office && c->place.depth == 0 && c->place.page == 0 && c->level == 1)
        c->res.format = SCAN_FMT_OFFICE;
    if (office && odf_encrypted(za)) {
        /* Members of an OpenDocument file saved with a password are encrypted one by one
         * (the manifest says how); the zip around them is not. */
        scan_problem(c, MNV_ERR_SCAN_ENCRYPTED, NULL);
        zip_discard(za);
        return;
    }
    c->office += office;
    zip_int64_t n = zip_get_num_entries(za, 0);
    for (zip_int64_t i = 0; i < n && scan_busy(c); i++)
        scan_member(c, za, (zip_uint64_t)i, office);
    c->office -= office;
    zip_discard(za); /* read-only: closes and frees the source */
}
