/*
 * scan/zip.c: zip archives for the scanner (part of the scan module, see scan.h).
 *
 * Every member of a zip is unpacked (libzip) and scanned by what its bytes are, so a zip
 * of CSV files, a .docx inside a .zip, or an .xlsx embedded in a .docx are all checked.
 * In an office document (OOXML: a [Content_Types].xml member; OpenDocument: a "mimetype"
 * member naming an OpenDocument type) the XML parts are reduced to their text first,
 * because Word and friends split a number over several runs ("1234" "5678" "9018" in three
 * <w:t> elements) and because cells side by side must not run together into one long
 * number. The rule: tags of paragraphs, table cells and rows, spreadsheet cells and values,
 * line breaks and tabs become a line break (or a tab or space); all other tags vanish, so
 * runs join. Attribute values are not text and are skipped. Breaks do not repeat, so LINE
 * in a finding counts the paragraphs, cells and line breaks that hold text in that member.
 */
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "mnvault/secmem.h"
#include "mnvault/utf8.h"
#include "priv.h"

/* A growing text buffer; its content is file content, so it is wiped when freed. */
struct tbuf {
    char *p;
    size_t n, cap;
    int oom;
};

static void tb_put(struct tbuf *t, const char *s, size_t n)
{
    if (t->oom || n == 0)
        return;
    if (t->cap - t->n < n) {
        size_t cap = t->cap ? t->cap : 4096;
        while (cap - t->n < n) {
            if (cap > SIZE_MAX / 2) {
                t->oom = 1;
                return;
            }
            cap *= 2;
        }
        char *p = malloc(cap);
        if (!p) {
            t->oom = 1;
            return;
        }
        if (t->n)
            memcpy(p, t->p, t->n);
        scan_bytes_free(t->p, t->cap);
        t->p = p;
        t->cap = cap;
    }
    memcpy(t->p + t->n, s, n);
    t->n += n;
}

static void tb_putc(struct tbuf *t, char ch)
{
    tb_put(t, &ch, 1);
}

/* A line break, unless the text is empty or already ends with one: LINE then counts the
 * paragraphs and cells that hold text. */
static void tb_break(struct tbuf *t)
{
    if (t->n > 0 && t->p[t->n - 1] != '\n')
        tb_putc(t, '\n');
}

/* What a tag turns into: 0 nothing, or the character that replaces it. */
static char tag_break(const char *name, size_t n)
{
    static const char *const lines[] = {
        "p",          "tc",
        "tr",         "br",
        "cr",         "c",
        "row",        "si",
        "rPh",        "f",
        "v",          "h",
        "table-cell", "covered-table-cell",
        "table-row",  "line-break",
        "list-item",  "comment",
        "txBody",     "tbl",
        "sp",         "footnote",
        "endnote",    "hdr",
        "ftr",
    };
    if (n == 6 && memcmp(name, "text:s", 6) == 0)
        return ' '; /* OpenDocument's space element */
    const char *colon = memchr(name, ':', n);
    const char *local = colon ? colon + 1 : name;
    size_t ln = n - (size_t)(local - name);
    if (ln == 3 && memcmp(local, "tab", 3) == 0)
        return '\t';
    if (ln == 13 && memcmp(local, "noBreakHyphen", 13) == 0)
        return '-';
    for (size_t i = 0; i < MNV_ARRAY_LEN(lines); i++)
        if (strlen(lines[i]) == ln && memcmp(lines[i], local, ln) == 0)
            return '\n';
    return 0;
}

/* An entity at s[0..n) (s[0] == '&'): append its text; returns the bytes used. */
static size_t put_entity(struct tbuf *t, const char *s, size_t n)
{
    static const struct {
        const char *name;
        char ch;
    } named[] = {{"lt", '<'}, {"gt", '>'}, {"amp", '&'}, {"quot", '"'}, {"apos", '\''}};
    const char *semi = memchr(s, ';', n < 12 ? n : 12);
    if (!semi) {
        tb_putc(t, '&');
        return 1;
    }
    size_t len = (size_t)(semi - s) - 1;
    const char *e = s + 1;
    if (len >= 2 && e[0] == '#') {
        unsigned long cp = 0;
        int hex = e[1] == 'x' || e[1] == 'X';
        size_t i = hex ? 2 : 1;
        for (; i < len; i++) {
            char ch = e[i];
            unsigned d;
            if (ch >= '0' && ch <= '9')
                d = (unsigned)(ch - '0');
            else if (hex && ch >= 'a' && ch <= 'f')
                d = (unsigned)(ch - 'a' + 10);
            else if (hex && ch >= 'A' && ch <= 'F')
                d = (unsigned)(ch - 'A' + 10);
            else
                break;
            cp = cp * (hex ? 16 : 10) + d;
            if (cp > 0x10FFFF)
                break;
        }
        char enc[4];
        int k = (i == len) ? utf8_encode((uint32_t)cp, enc) : 0;
        if (k > 0) {
            tb_put(t, enc, (size_t)k);
            return len + 2;
        }
    }
    for (size_t i = 0; i < MNV_ARRAY_LEN(named); i++)
        if (strlen(named[i].name) == len && memcmp(named[i].name, e, len) == 0) {
            tb_putc(t, named[i].ch);
            return len + 2;
        }
    tb_putc(t, '&');
    return 1;
}

/* Skip a markup construct starting at s[i] == '<'; returns the index after it. */
static size_t skip_markup(const char *s, size_t n, size_t i, struct tbuf *t)
{
    static const struct {
        const char *open, *close;
    } kinds[] = {{"<!--", "-->"}, {"<![CDATA[", "]]>"}, {"<?", "?>"}, {"<!", ">"}};
    for (size_t k = 0; k < MNV_ARRAY_LEN(kinds); k++) {
        size_t ol = strlen(kinds[k].open), cl = strlen(kinds[k].close);
        if (n - i < ol || memcmp(s + i, kinds[k].open, ol) != 0)
            continue;
        const char *end = memmem(s + i + ol, n - i - ol, kinds[k].close, cl);
        size_t stop = end ? (size_t)(end - s) : n;
        if (k == 1) /* CDATA is text */
            tb_put(t, s + i + ol, stop - i - ol);
        return end ? stop + cl : n;
    }
    /* An element tag: its name, then attributes (quoted values may hold '>'). */
    size_t j = i + 1;
    if (j < n && s[j] == '/')
        j++;
    size_t name = j;
    while (j < n && s[j] != '>' && s[j] != '/' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' &&
           s[j] != '\r')
        j++;
    char br = tag_break(s + name, j - name);
    char quote = 0;
    for (; j < n; j++) {
        if (quote) {
            if (s[j] == quote)
                quote = 0;
        } else if (s[j] == '"' || s[j] == '\'') {
            quote = s[j];
        } else if (s[j] == '>') {
            break;
        }
    }
    if (br == '\n')
        tb_break(t);
    else if (br)
        tb_putc(t, br);
    return j < n ? j + 1 : n;
}

/* Text between two tags: entities decoded; line ends in it are white space, and a node of
 * nothing but white space with a line end (indentation of the XML) is a break. */
static void put_text(struct tbuf *t, const char *s, size_t n)
{
    size_t blank = 0;
    while (blank < n &&
           (s[blank] == ' ' || s[blank] == '\t' || s[blank] == '\r' || s[blank] == '\n'))
        blank++;
    if (blank == n) {
        if (memchr(s, '\n', n) || memchr(s, '\r', n))
            tb_break(t);
        else
            tb_put(t, s, n);
        return;
    }
    size_t i = 0;
    while (i < n) {
        size_t k = i;
        while (k < n && s[k] != '&' && s[k] != '\n' && s[k] != '\r')
            k++;
        tb_put(t, s + i, k - i);
        i = k;
        if (i < n && s[i] == '&') {
            i += put_entity(t, s + i, n - i);
        } else if (i < n) {
            tb_putc(t, ' ');
            i++;
        }
    }
}

/* xml_text: the text of an XML document, as described in the file comment. */
static void xml_text(const char *s, size_t n, struct tbuf *t)
{
    size_t i = 0;
    while (i < n && !t->oom) {
        const char *lt = memchr(s + i, '<', n - i);
        size_t stop = lt ? (size_t)(lt - s) : n;
        if (stop > i)
            put_text(t, s + i, stop - i);
        i = stop;
        if (lt)
            i = skip_markup(s, n, i, t);
    }
}

static int ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static void scan_xml_part(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    /* XML in UTF-16 is rare in these files; scan it as plain text. */
    if (len >= 2 &&
        ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
        scan_blob(c, data, len);
        return;
    }
    struct tbuf t = {NULL, 0, 0, 0};
    xml_text((const char *)data, len, &t);
    if (t.oom)
        c->nomem = 1;
    else
        scan_text(c, (const uint8_t *)t.p, t.n, SCAN_ENC_UTF8);
    scan_bytes_free(t.p, t.cap);
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
