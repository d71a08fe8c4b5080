/*
 * scan/pdf.c: PDF files for the scanner (part of the scan module, see scan.h).
 *
 * poppler-glib extracts the text of each page (UTF-8, one line per text line); a finding's
 * place names the page and LINE counts lines of that page's text. The values of form fields
 * (AcroForm) on a page are scanned under the field's name ("form.pdf[page 1][mynumber]"). Files
 * attached to the PDF are scanned like archive members. A PDF that needs a password is reported as
 * MNV_ERR_SCAN_ENCRYPTED; one poppler cannot open as MNV_ERR_SCAN_DAMAGED. Text of a page
 * is wiped before it is freed.
 */
#include <poppler.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/secmem.h"
#include "priv.h"

/* The value of one form field (typed text, or the choice made), or NULL; g_free() it. */
static gchar *field_value(PopplerFormField *f)
{
    gchar *v = NULL;
    if (poppler_form_field_get_field_type(f) == POPPLER_FORM_FIELD_TEXT) {
        v = poppler_form_field_text_get_text(f);
    } else if (poppler_form_field_get_field_type(f) == POPPLER_FORM_FIELD_CHOICE) {
        v = poppler_form_field_choice_get_text(f);
        for (int i = 0; !v && i < poppler_form_field_choice_get_n_items(f); i++)
            if (poppler_form_field_choice_is_item_selected(f, i))
                v = poppler_form_field_choice_get_item(f, i);
    }
    return v;
}

/* The values of the page's form fields (AcroForm /V), each under the field's name: text
 * typed into a field is not part of the page's text. */
static void scan_fields(struct scan_ctx *c, PopplerPage *page)
{
    GList *map = poppler_page_get_form_field_mapping(page);
    for (GList *l = map; l && scan_busy(c); l = l->next) {
        PopplerFormField *f = ((PopplerFormFieldMapping *)l->data)->field;
        gchar *v = field_value(f);
        if (!v)
            continue;
        gchar *name = poppler_form_field_get_name(f);
        size_t n = strlen(v);
        if (scan_push_member(c, name && name[0] ? name : "form field") == 0) {
            scan_text(c, (const uint8_t *)v, n, SCAN_ENC_UTF8);
            scan_pop_member(c);
        }
        secmem_wipe(v, n);
        g_free(v);
        g_free(name);
    }
    poppler_page_free_form_field_mapping(map);
}

static void scan_pages(struct scan_ctx *c, PopplerDocument *doc)
{
    int n = poppler_document_get_n_pages(doc);
    for (int i = 0; i < n && scan_busy(c) && !scan_deadline(c); i++) {
        c->place.page = i + 1;
        PopplerPage *page = poppler_document_get_page(doc, i);
        if (!page) {
            scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
            continue;
        }
        char *text = poppler_page_get_text(page);
        if (text) {
            size_t len = strlen(text);
            scan_text(c, (const uint8_t *)text, len, SCAN_ENC_UTF8);
            secmem_wipe(text, len);
            g_free(text);
        }
        scan_fields(c, page);
        g_object_unref(page);
    }
    c->place.page = 0;
}

/* An attachment's bytes, gathered by poppler's save callback within the file's limits. */
struct grow {
    struct scan_ctx *c;
    struct scan_out out;
    enum mnv_err err;
};

static gboolean save_chunk(const gchar *buf, gsize count, gpointer data, GError **error)
{
    struct grow *g = data;
    (void)error;
    g->out.packed_now = g->out.n + count; /* attachments are counted as they are */
    g->err = scan_out_put(g->c, &g->out, buf, count);
    return g->err == MNV_OK;
}

static void scan_attachment(struct scan_ctx *c, PopplerAttachment *a)
{
    const char *name = a->name && a->name[0] ? a->name : "attachment";
    if (scan_push_member(c, name) < 0)
        return;
    struct grow g;
    memset(&g, 0, sizeof(g));
    g.c = c;
    scan_out_init(&g.out);
    GError *err = NULL;
    gboolean ok = poppler_attachment_save_to_callback(a, save_chunk, &g, &err);
    g_clear_error(&err);
    if (g.err == MNV_ERR_NOMEM)
        c->nomem = 1;
    else if (g.err != MNV_OK)
        scan_problem(c, g.err, NULL);
    else if (!ok)
        scan_problem(c, MNV_ERR_SCAN_DAMAGED, NULL);
    else
        scan_blob(c, g.out.p, g.out.n);
    scan_out_free(&g.out);
    scan_pop_member(c);
}

void scan_pdf(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    GBytes *bytes = g_bytes_new_static(data, len);
    GError *err = NULL;
    PopplerDocument *doc = poppler_document_new_from_bytes(bytes, NULL, &err);
    if (!doc) {
        int locked = err && err->domain == POPPLER_ERROR && err->code == POPPLER_ERROR_ENCRYPTED;
        g_clear_error(&err);
        g_bytes_unref(bytes);
        scan_problem(c, locked ? MNV_ERR_SCAN_ENCRYPTED : MNV_ERR_SCAN_DAMAGED, NULL);
        return;
    }
    scan_pages(c, doc);
    if (scan_busy(c) && poppler_document_has_attachments(doc)) {
        GList *list = poppler_document_get_attachments(doc);
        for (GList *l = list; l; l = l->next) {
            if (scan_busy(c))
                scan_attachment(c, l->data);
            g_object_unref(l->data);
        }
        g_list_free(list);
    }
    g_object_unref(doc);
    g_bytes_unref(bytes);
}
