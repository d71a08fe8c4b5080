/*
 * scan/pdf.c: PDF files for the scanner (part of the scan module, see scan.h), read by
 * poppler-glib in a child process:
 *   - poppler and what it pulls in (glib, cairo, NSS, image codecs) is loaded only in the
 *     child (dlopen), only when a PDF is met: a scan of text files never loads it;
 *   - a PDF that makes poppler run for minutes or take gigabytes is stopped: the child has
 *     the file's time (an alarm) and an address-space limit, and the parent kills it when
 *     the time is up or the text it sends passes the file's limit on unpacked bytes;
 *   - poppler failing on a damaged file cannot take the scan down: the file is reported as
 *     damaged (poppler's crash is the child's).
 * The child sends records through a pipe, and the parent scans each as it comes: the text
 * of each page (LINE counts lines of that page's text), each form field's value (AcroForm;
 * typed text is no part of the page's text) under the field's name ("form.pdf[page
 * 1][mynumber]"), each attached file under its name, and the result. A PDF that needs a
 * password is MNV_ERR_SCAN_ENCRYPTED. Text and attachments are wiped when scanned.
 * Text that poppler could not read as letters (a font without a character map, or one whose
 * CMap is missing: poppler then drops the text and says so only in an INFO message of the
 * "Poppler" log domain, which the child listens to) is MNV_ERR_SCAN_UNMAPPED, and a page of
 * pictures only MNV_ERR_SCAN_PICTURE: never taken for clean. A part of the file poppler could
 * not find or unpack (a cut file, an xref it could not rebuild, a missing object or object
 * stream: poppler goes on as if it were empty and says so only in its log) makes the page it
 * belongs to, or the whole file, MNV_ERR_SCAN_DAMAGED, and so does a PDF with no page found.
 */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <poppler.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "mnvault/secmem.h"
#include "mnvault/utf8.h"
#include "priv.h"

#define PDF_LIBRARY "libpoppler-glib.so.8"
#define PDF_MAX_NAME 4096
/* Glyphs without a character on one page before it is reported as not read (one stray
 * control character from a broken font is not yet a page that could not be read). */
#define PDF_UNMAPPED_LIMIT 3
#define PDF_ADDRESS_SPACE ((rlim_t)4 << 30)

/* Sanitizers reserve terabytes of address space: no address-space limit under them. */
#if defined(__SANITIZE_ADDRESS__)
#define PDF_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PDF_SANITIZED 1
#endif
#endif

/* Records from the child: type, page, name length, data length, then name and data. */
enum {
    REC_TEXT = 'T',
    REC_CELLS = 'C',
    REC_FIELD = 'F',
    REC_FILE = 'A',
    REC_PROBLEM = 'E',
    REC_END = 'X'
};
#define REC_HEAD 17

/* ---- the child: poppler, loaded here ------------------------------------------------- */

/* The functions used, looked up in the library (their types from the headers). */
/* clang-format off */
#define PDF_FUNCS(X) \
    X(g_bytes_new_static) \
    X(g_bytes_unref) \
    X(g_error_free) \
    X(g_free) \
    X(g_list_free) \
    X(g_log_set_handler) \
    X(g_object_unref) \
    X(poppler_error_quark) \
    X(poppler_document_new_from_bytes) \
    X(poppler_document_get_n_pages) \
    X(poppler_document_get_page) \
    X(poppler_page_get_text) \
    X(poppler_page_get_text_layout) \
    X(poppler_page_get_image_mapping) \
    X(poppler_page_free_image_mapping) \
    X(poppler_font_info_new) \
    X(poppler_font_info_scan) \
    X(poppler_font_info_free) \
    X(poppler_fonts_iter_free) \
    X(poppler_page_get_form_field_mapping) \
    X(poppler_page_free_form_field_mapping) \
    X(poppler_form_field_get_field_type) \
    X(poppler_form_field_get_name) \
    X(poppler_form_field_text_get_text) \
    X(poppler_form_field_choice_get_text) \
    X(poppler_form_field_choice_get_n_items) \
    X(poppler_form_field_choice_is_item_selected) \
    X(poppler_form_field_choice_get_item) \
    X(poppler_document_has_attachments) \
    X(poppler_document_get_attachments) \
    X(poppler_attachment_save_to_callback)
/* clang-format on */

struct pdf_api {
#define PDF_FIELD_(name) __typeof__(name) *name;
    PDF_FUNCS(PDF_FIELD_)
#undef PDF_FIELD_
};

static int api_load(struct pdf_api *a)
{
    void *h = dlopen(PDF_LIBRARY, RTLD_NOW | RTLD_LOCAL);
    if (!h)
        return -1;
#define PDF_LOAD_(name)                                                                            \
    *(void **)&a->name = dlsym(h, #name);                                                          \
    if (!a->name)                                                                                  \
        return -1;
    PDF_FUNCS(PDF_LOAD_)
#undef PDF_LOAD_
    return 0;
}

static int write_all(int fd, const void *p, size_t n)
{
    const uint8_t *b = p;
    while (n) {
        ssize_t r = write(fd, b, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        b += r;
        n -= (size_t)r;
    }
    return 0;
}

static void put_u(uint8_t *p, uint64_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static int send_rec(int fd, int type, int page, const char *name, const void *data, size_t n)
{
    uint8_t head[REC_HEAD];
    size_t nl = name ? strlen(name) : 0;
    if (nl > PDF_MAX_NAME)
        nl = PDF_MAX_NAME;
    head[0] = (uint8_t)type;
    put_u(head + 1, (uint64_t)page, 4);
    put_u(head + 5, nl, 4);
    put_u(head + 9, n, 8);
    return write_all(fd, head, REC_HEAD) || write_all(fd, name, nl) || write_all(fd, data, n) ? -1
                                                                                              : 0;
}

/* A problem: its error code as 4 bytes of data. */
static int send_problem(int fd, int page, const char *name, enum mnv_err err)
{
    uint8_t code[4];
    put_u(code, (uint64_t) - (int64_t)err, 4);
    return send_rec(fd, REC_PROBLEM, page, name, code, 4);
}

static int send_text(int fd, int type, int page, const char *name, char *text)
{
    size_t n = strlen(text);
    int r = send_rec(fd, type, page, name, text, n);
    secmem_wipe(text, n);
    return r;
}

/* A form field's value (typed text, or the choice made), or NULL; g_free() it. */
static gchar *field_value(const struct pdf_api *a, PopplerFormField *f)
{
    gchar *v = NULL;
    PopplerFormFieldType t = a->poppler_form_field_get_field_type(f);
    if (t == POPPLER_FORM_FIELD_TEXT) {
        v = a->poppler_form_field_text_get_text(f);
    } else if (t == POPPLER_FORM_FIELD_CHOICE) {
        v = a->poppler_form_field_choice_get_text(f);
        for (int i = 0; !v && i < a->poppler_form_field_choice_get_n_items(f); i++)
            if (a->poppler_form_field_choice_is_item_selected(f, i))
                v = a->poppler_form_field_choice_get_item(f, i);
    }
    return v;
}

/* The rows of digits in cells (pdfcells.c): text[i] is drawn in rects[i]. */
static int send_cells(const struct pdf_api *a, int fd, PopplerPage *page, int no, const char *text)
{
    PopplerRectangle *rects = NULL;
    guint nr = 0;
    if (!a->poppler_page_get_text_layout(page, &rects, &nr))
        return 0;
    size_t len = strlen(text), n = 0;
    struct scan_glyph *g = calloc(nr ? nr : 1, sizeof(*g));
    for (size_t off = 0; g && off < len && n < nr; n++) {
        uint32_t cp = 0;
        int k = utf8_decode(text + off, len - off, &cp);
        off += k > 0 ? (size_t)k : 1;
        g[n] = (struct scan_glyph){rects[n].x1, rects[n].y1, rects[n].x2, rects[n].y2,
                                   k > 0 ? cp : 0xFFFD};
    }
    a->g_free(rects);
    char *cells = NULL;
    size_t cn = 0;
    enum mnv_err err = g ? scan_pdf_cells(g, n, &cells, &cn) : MNV_ERR_NOMEM;
    if (g)
        secmem_wipe(g, n * sizeof(*g));
    free(g);
    if (err != MNV_OK)
        return send_problem(fd, no, NULL, MNV_ERR_NOMEM);
    int r = cells ? send_text(fd, REC_CELLS, no, "digit cells", cells) : 0;
    free(cells);
    return r;
}

/* Characters of a page's text that stand for glyphs poppler could not map to Unicode (a
 * font without a character map gives its raw glyph numbers: control characters, U+FFFD or
 * private-use code points). *seen counts the characters that are not spaces. */
static size_t unmapped_chars(const char *text, size_t *seen)
{
    size_t len = strlen(text), bad = 0;
    for (size_t off = 0; off < len;) {
        uint32_t cp = 0;
        int k = utf8_decode(text + off, len - off, &cp);
        off += k > 0 ? (size_t)k : 1;
        if (k <= 0 || cp == 0xFFFD || (cp >= 0xE000 && cp <= 0xF8FF) ||
            (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f') || cp == 0x7F)
            bad++;
        else if (cp != ' ' && cp != '\t' && cp != '\n' && cp != '\r' && cp != '\f' && cp != 0x3000)
            (*seen)++;
    }
    return bad;
}

static int has_images(const struct pdf_api *a, PopplerPage *page)
{
    GList *images = a->poppler_page_get_image_mapping(page);
    int any = images != NULL;
    a->poppler_page_free_image_mapping(images);
    return any;
}

/* Set in the child when poppler said a character map was missing or text was shown with no
 * usable font: that text was dropped without a trace in the page's text. */
static volatile int text_dropped;

/* Counted in the child each time poppler said it could not find or decode a part of the file:
 * an object the file names is not there (a cut file, a broken xref it could not rebuild, an
 * object stream missing or damaged), a page tree or stream it could not read. poppler carries
 * on without that part (a missing page content is an empty page), so its text would be
 * missing without a trace. A warning poppler works around (a wrong stream length, a stray
 * character) is not counted: what it reads then is whole. */
static volatile int parts_lost;

static const char *const lost_words[] = {
    "Invalid XRef entry",    /* an object named but not found, even after rebuilding the xref */
    "wrong type (null)",     /* a catalog, page tree, page or contents that is not there */
    "Invalid object stream", /* objects packed in a stream that is missing or broken */
    "in flate stream",       /* compressed data that cannot be unpacked */
    "Bad LZW stream",
    "End of file inside", /* an object cut off */
    "Unterminated",
    "Couldn't read page catalog",
    "Could not find catalog",
    "Invalid page tree",
    "is unknown", /* a form (XObject) the page draws is not there */
};

static void poppler_said(const gchar *domain, GLogLevelFlags level, const gchar *message,
                         gpointer data)
{
    (void)domain, (void)level, (void)data;
    if (!message)
        return;
    if (strstr(message, "CMap") || strstr(message, "No font in show"))
        text_dropped = 1;
    for (size_t i = 0; i < sizeof(lost_words) / sizeof(lost_words[0]); i++)
        if (strstr(message, lost_words[i])) {
            parts_lost++;
            break;
        }
}

/* One page's text, digit cells and form fields; *seen grows by the characters read. A page
 * whose glyphs could not be read as characters, or that is only pictures, is reported as not
 * scanned (with what could be read still scanned): never taken for clean. */
struct pdf_tally {
    size_t seen;  /* characters read in the whole document */
    int reported; /* pages reported as not (wholly) read */
    int damaged;  /* pages reported with a part lost */
};

static int send_page(const struct pdf_api *a, int fd, PopplerPage *page, int no,
                     struct pdf_tally *t)
{
    int lost_before = parts_lost;
    char *text = a->poppler_page_get_text(page);
    size_t page_seen = 0, bad = text ? unmapped_chars(text, &page_seen) : 0;
    int r = text ? send_cells(a, fd, page, no, text) : 0;
    if (text && r == 0)
        r = send_text(fd, REC_TEXT, no, NULL, text);
    a->g_free(text);
    GList *map = a->poppler_page_get_form_field_mapping(page);
    for (GList *l = map; l && r == 0; l = l->next) {
        PopplerFormField *f = ((PopplerFormFieldMapping *)l->data)->field;
        gchar *v = field_value(a, f);
        if (!v)
            continue;
        page_seen += strlen(v);
        gchar *name = a->poppler_form_field_get_name(f);
        r = send_text(fd, REC_FIELD, no, name && name[0] ? name : "form field", v);
        a->g_free(name);
        a->g_free(v);
    }
    a->poppler_page_free_form_field_mapping(map);
    enum mnv_err why = parts_lost > lost_before                ? MNV_ERR_SCAN_DAMAGED
                       : bad >= PDF_UNMAPPED_LIMIT             ? MNV_ERR_SCAN_UNMAPPED
                       : page_seen == 0 && has_images(a, page) ? MNV_ERR_SCAN_PICTURE
                                                               : MNV_OK;
    if (r == 0 && why != MNV_OK) {
        r = send_problem(fd, no, NULL, why);
        t->reported++;
    }
    t->damaged += why == MNV_ERR_SCAN_DAMAGED;
    t->seen += page_seen;
    return r;
}

/* Whether the document uses any font: fonts and not one character read means the text is
 * there but could not be read. */
static int has_fonts(const struct pdf_api *a, PopplerDocument *doc, int pages)
{
    PopplerFontInfo *info = a->poppler_font_info_new(doc);
    PopplerFontsIter *it = NULL;
    int any = info && a->poppler_font_info_scan(info, pages, &it) && it != NULL;
    if (it)
        a->poppler_fonts_iter_free(it);
    if (info)
        a->poppler_font_info_free(info);
    return any;
}

struct saving {
    int fd;
    uint64_t left; /* bytes still allowed */
};

static gboolean save_chunk(const gchar *buf, gsize count, gpointer data, GError **error)
{
    struct saving *s = data;
    (void)error;
    if (count > s->left || write_all(s->fd, buf, count) < 0)
        return FALSE;
    s->left -= count;
    return TRUE;
}

/* An attachment: sent in pieces as poppler saves it, then a zero-length end piece. */
static int send_attachment(const struct pdf_api *a, int fd, PopplerAttachment *at, uint64_t limit)
{
    const char *name = at->name && at->name[0] ? at->name : "attachment";
    uint64_t size = at->size > 0 ? (uint64_t)at->size : 0;
    if (size > limit)
        return send_problem(fd, 0, name, MNV_ERR_SCAN_TOO_BIG);
    uint8_t head[REC_HEAD];
    size_t nl = strlen(name) > PDF_MAX_NAME ? PDF_MAX_NAME : strlen(name);
    head[0] = REC_FILE;
    put_u(head + 1, 0, 4);
    put_u(head + 5, nl, 4);
    put_u(head + 9, size, 8);
    if (write_all(fd, head, REC_HEAD) || write_all(fd, name, nl))
        return -1;
    struct saving s = {fd, size};
    GError *err = NULL;
    gboolean ok = a->poppler_attachment_save_to_callback(at, save_chunk, &s, &err);
    if (err)
        a->g_error_free(err);
    /* Short of what it said (damaged): pad, so the stream of records stays in step. */
    static const uint8_t zeros[4096];
    while (s.left && ok) {
        size_t k = s.left < sizeof(zeros) ? (size_t)s.left : sizeof(zeros);
        if (write_all(fd, zeros, k) < 0)
            return -1;
        s.left -= k;
    }
    return ok ? 0 : -1;
}

static int send_attachments(const struct pdf_api *a, int fd, PopplerDocument *doc, uint64_t limit)
{
    int r = 0;
    if (!a->poppler_document_has_attachments(doc))
        return 0;
    GList *list = a->poppler_document_get_attachments(doc);
    for (GList *l = list; l; l = l->next) {
        if (r == 0)
            r = send_attachment(a, fd, l->data, limit);
        a->g_object_unref(l->data);
    }
    a->g_list_free(list);
    return r;
}

static int child_document(const struct pdf_api *a, int fd, const uint8_t *data, size_t len,
                          uint64_t limit)
{
    GBytes *bytes = a->g_bytes_new_static(data, len);
    GError *err = NULL;
    PopplerDocument *doc = a->poppler_document_new_from_bytes(bytes, NULL, &err);
    if (!doc) {
        int locked =
            err && err->domain == a->poppler_error_quark() && err->code == POPPLER_ERROR_ENCRYPTED;
        if (err)
            a->g_error_free(err);
        a->g_bytes_unref(bytes);
        return send_problem(fd, 0, NULL, locked ? MNV_ERR_SCAN_ENCRYPTED : MNV_ERR_SCAN_DAMAGED);
    }
    int r = 0, n = a->poppler_document_get_n_pages(doc);
    struct pdf_tally t = {0, 0, 0};
    int pages_missing = 0;
    for (int i = 0; i < n && r == 0; i++) {
        PopplerPage *page = a->poppler_document_get_page(doc, i);
        if (!page) {
            pages_missing++;
            r = send_problem(fd, i + 1, NULL, MNV_ERR_SCAN_DAMAGED);
            continue;
        }
        r = send_page(a, fd, page, i + 1, &t);
        a->g_object_unref(page);
    }
    if (r == 0 && !t.reported && (text_dropped || (t.seen == 0 && n > 0 && has_fonts(a, doc, n))))
        r = send_problem(fd, 0, NULL, MNV_ERR_SCAN_UNMAPPED);
    r = r ? r : send_attachments(a, fd, doc, limit);
    /* No page found (a cut file whose page tree is gone), or a part lost that no page's
     * report covers (while opening the file or finding its pages): the file as a whole. */
    if (r == 0 && (n <= 0 || (parts_lost && !pages_missing && !t.damaged)))
        r = send_problem(fd, 0, NULL, MNV_ERR_SCAN_DAMAGED);
    a->g_object_unref(doc);
    a->g_bytes_unref(bytes);
    return r;
}

static void child_main(int fd, const uint8_t *data, size_t len, unsigned seconds, uint64_t limit)
{
    struct rlimit none = {0, 0};
    setrlimit(RLIMIT_CORE, &none);
    signal(SIGPIPE, SIG_DFL);
    signal(SIGBUS, SIG_DFL); /* the parent's handler for shrinking mappings is not ours */
#ifndef PDF_SANITIZED
    struct rlimit as = {PDF_ADDRESS_SPACE, PDF_ADDRESS_SPACE};
    setrlimit(RLIMIT_AS, &as);
#endif
    alarm(seconds ? seconds : 1);
    struct pdf_api a;
    if (api_load(&a) < 0) {
        send_problem(fd, 0, NULL, MNV_ERR_SCAN_FORMAT);
        _exit(0);
    }
    a.g_log_set_handler("Poppler", (GLogLevelFlags)(G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL),
                        poppler_said, NULL);
    if (child_document(&a, fd, data, len, limit) == 0) {
        send_rec(fd, REC_END, 0, NULL, NULL, 0);
    }
    _exit(0);
}

/* ---- the parent: records in, scanned ------------------------------------------------- */

struct reader {
    struct scan_ctx *c;
    int fd;
    pid_t pid;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Read n bytes (0: all of them; -1 end of the stream or an error; -2 the time is up). */
static int read_exact(struct reader *r, void *p, size_t n)
{
    uint8_t *b = p;
    while (n) {
        double left = r->c->deadline - now_s();
        if (left <= 0)
            return -2;
        struct pollfd pf = {r->fd, POLLIN, 0};
        int k = poll(&pf, 1, left > 3600 ? 3600000 : (int)(left * 1000) + 1);
        if (k < 0 && errno == EINTR)
            continue;
        if (k == 0)
            continue; /* the deadline is checked above */
        ssize_t got = read(r->fd, b, n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return -1;
        b += got;
        n -= (size_t)got;
    }
    return 0;
}

static uint64_t get_u(const uint8_t *p, int bytes)
{
    uint64_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = (v << 8) | p[i];
    return v;
}

/* The data of a record into out, within the file's limits. Returns MNV_OK, a limit's
 * error, MNV_ERR_SCAN_TIMEOUT, MNV_ERR_SCAN_DAMAGED (the child stopped) or NOMEM. */
static enum mnv_err read_data(struct reader *r, uint64_t n, struct scan_out *out)
{
    uint8_t buf[64 * 1024];
    enum mnv_err err = MNV_OK;
    while (n && err == MNV_OK) {
        size_t k = n < sizeof(buf) ? (size_t)n : sizeof(buf);
        int rc = read_exact(r, buf, k);
        if (rc < 0)
            err = rc == -2 ? MNV_ERR_SCAN_TIMEOUT : MNV_ERR_SCAN_DAMAGED;
        else
            err = scan_out_put(r->c, out, buf, k);
        out->packed_now = out->n; /* text and attachments are counted as they are */
        n -= k;
    }
    secmem_wipe(buf, sizeof(buf));
    return err;
}

/* One record; returns 1 to go on, 0 at the end, or an error to report. */
static int on_record(struct reader *r, enum mnv_err *err)
{
    struct scan_ctx *c = r->c;
    uint8_t head[REC_HEAD];
    char name[PDF_MAX_NAME + 1];
    int rc = read_exact(r, head, REC_HEAD);
    if (rc < 0) {
        *err = rc == -2 ? MNV_ERR_SCAN_TIMEOUT : MNV_ERR_SCAN_DAMAGED;
        return 0;
    }
    int type = head[0];
    int page = (int)get_u(head + 1, 4);
    uint64_t nl = get_u(head + 5, 4), n = get_u(head + 9, 8);
    if (type == REC_END)
        return 0;
    if (nl > PDF_MAX_NAME || (rc = read_exact(r, name, (size_t)nl)) < 0) {
        *err = rc == -2 ? MNV_ERR_SCAN_TIMEOUT : MNV_ERR_SCAN_DAMAGED;
        return 0;
    }
    name[nl] = '\0';
    c->place.page = page;
    c->place.page_depth = c->place.depth;
    if (type == REC_PROBLEM) {
        uint8_t code[4];
        if (n != 4 || (rc = read_exact(r, code, 4)) < 0) {
            *err = rc == -2 ? MNV_ERR_SCAN_TIMEOUT : MNV_ERR_SCAN_DAMAGED;
            return 0;
        }
        enum mnv_err e = (enum mnv_err) - (int)get_u(code, 4);
        if (scan_problem_kind(e) != SCAN_NOT_SCANNED)
            e = MNV_ERR_SCAN_DAMAGED; /* only the child's own kinds of problem */
        int pushed = nl && scan_push_member(c, name) == 0;
        scan_problem(c, e, NULL);
        if (pushed)
            scan_pop_member(c);
        return 1;
    }
    struct scan_out out;
    scan_out_init(&out);
    *err = read_data(r, n, &out);
    if (*err == MNV_OK) {
        int pushed = type != REC_TEXT && scan_push_member(c, name) == 0;
        if (type == REC_FILE) {
            c->place.page = 0;
            if (pushed)
                scan_blob(c, out.p, out.n);
        } else if (type == REC_TEXT || pushed) {
            scan_text(c, out.p, out.n, SCAN_ENC_UTF8);
        }
        if (pushed)
            scan_pop_member(c);
    }
    scan_out_free(&out);
    return *err == MNV_OK && scan_busy(c);
}

void scan_pdf(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) < 0) {
        scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
        return;
    }
    double left = c->deadline - now_s();
    uint64_t room = c->max_unpacked > c->unpacked ? c->max_unpacked - c->unpacked : 0;
    pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        child_main(fds[1], data, len, left > 0 ? (unsigned)left + 1 : 1, room);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
        return;
    }
    struct reader r = {c, fds[0], pid};
    enum mnv_err err = MNV_OK;
    while (on_record(&r, &err) == 1)
        ;
    int page = c->place.page;
    c->place.page = 0;
    /* Done, stopped, or over a limit: the child is not needed any more. */
    kill(pid, SIGKILL);
    close(fds[0]);
    int status;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (err == MNV_ERR_NOMEM) {
        c->nomem = 1;
    } else if (err != MNV_OK) {
        c->place.page = err == MNV_ERR_SCAN_DAMAGED ? 0 : page;
        scan_problem(c, err, NULL);
        c->place.page = 0;
        if (err == MNV_ERR_SCAN_TIMEOUT)
            c->halt = 1;
    }
}
