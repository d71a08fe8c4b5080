/* textpage.c: a screen of lines to read (textpage.h). */
#include "textpage.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/i18n.h"
#include "mnvault/secmem.h"

#define LINE_MAX_BYTES 1024

struct page_line {
    char *text;
    enum tui_style style;
    int label_cells; /* > 0: the first label_cells cells are a heading */
    size_t label_len;
};

struct textpage {
    const char *name;
    char title[160];
    int secret, wiped;
    struct page_line *lines;
    size_t n, cap;
    int top;
};

static const struct keydef textpage_keys[] = {{0, 0, TA_NONE}};

struct textpage *textpage_new(const char *name, const char *title, int secret)
{
    struct textpage *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->name = name;
    t->secret = secret;
    snprintf(t->title, sizeof(t->title), "%s", title);
    return t;
}

static char *keep(struct textpage *t, const char *text)
{
    size_t len = strlen(text) + 1;
    char *p = t->secret ? secmem_alloc(len) : malloc(len);
    if (p)
        memcpy(p, text, len);
    return p;
}

static void add_line(struct textpage *t, enum tui_style style, const char *text, int label_cells,
                     size_t label_len)
{
    struct page_line *grown = alloc_grow(t->lines, &t->cap, t->n + 1, sizeof(*t->lines));
    if (!grown)
        return;
    t->lines = grown;
    char *p = keep(t, text);
    if (p)
        t->lines[t->n++] = (struct page_line){p, style, label_cells, label_len};
}

void textpage_add(struct textpage *t, enum tui_style style, const char *fmt, ...)
{
    char *buf = t->secret ? secmem_alloc(LINE_MAX_BYTES) : malloc(LINE_MAX_BYTES);
    if (!buf)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, LINE_MAX_BYTES, fmt, ap);
    va_end(ap);
    add_line(t, style, buf, 0, 0);
    if (t->secret)
        secmem_free(buf);
    else
        free(buf);
}

void textpage_pair(struct textpage *t, int width, const char *label, enum tui_style style,
                   const char *value)
{
    char buf[LINE_MAX_BYTES];
    snprintf(buf, sizeof(buf), "%s%s", label, value);
    add_line(t, style, buf, width, strlen(label) < sizeof(buf) ? strlen(label) : 0);
    secmem_wipe(buf, sizeof(buf));
}

static void wipe_lines(struct textpage *t)
{
    for (size_t i = 0; i < t->n; i++) {
        if (t->secret)
            secmem_free(t->lines[i].text);
        else
            free(t->lines[i].text);
    }
    t->n = 0;
}

void textpage_free(struct textpage *t)
{
    if (!t)
        return;
    wipe_lines(t);
    free(t->lines);
    free(t);
}

static const char *textpage_heading(struct app *app, void *stp, char *right, size_t rsize)
{
    (void)app;
    (void)right;
    (void)rsize;
    return ((struct textpage *)stp)->title;
}

static int draw_line(WINDOW *w, int y, const struct page_line *l, int cols, int max)
{
    if (l->label_cells > 0 && l->label_len > 0) {
        char label[LINE_MAX_BYTES];
        snprintf(label, sizeof(label), "%.*s", (int)l->label_len, l->text);
        tui_style_on(w, ST_HEADER);
        tui_put(w, y, 2, label, l->label_cells, 1);
        tui_style_off(w, ST_HEADER);
        const char *value = l->text + l->label_len;
        int x = 2 + l->label_cells + 1, cells = cols - l->label_cells - 5;
        tui_style_on(w, l->style);
        /* a value without a space (a folder) is one line, cut at its end with … */
        int used = strchr(value, ' ') ? tui_put_wrapped(w, y, x, value, cells, max)
                                      : (tui_put(w, y, x, value, cells, 0), 1);
        tui_style_off(w, l->style);
        return used > 0 ? used : 1;
    }
    /* A line that starts with spaces keeps its indent on the lines it wraps onto. */
    int lead = (int)strspn(l->text, " ");
    if (lead > cols / 3)
        lead = 0;
    tui_style_on(w, l->style);
    int used =
        l->text[lead] ? tui_put_wrapped(w, y, 2 + lead, l->text + lead, cols - 4 - lead, max) : 1;
    tui_style_off(w, l->style);
    return used > 0 ? used : 1;
}

static void textpage_draw(struct app *app, void *stp, WINDOW *w)
{
    (void)app;
    struct textpage *t = stp;
    int cols = getmaxx(w), rows = getmaxy(w), y = 1;
    if (t->wiped) {
        tui_put(w, 1, 2, _("(hidden when the screen locked)"), cols - 4, 0);
    }
    for (size_t i = (size_t)t->top; i < t->n && y < rows - 2; i++)
        y += draw_line(w, y, &t->lines[i], cols, rows - 2 - y);
    tui_style_on(w, ST_DIM);
    tui_put(w, rows - 1, 2,
            t->top > 0 || y >= rows - 2 ? _("↑↓ PgUp PgDn: read on   Esc: back") : _("Esc: back"),
            cols - 4, 0);
    tui_style_off(w, ST_DIM);
}

static enum tui_next textpage_handle(struct app *app, void *stp, const struct tui_event *ev)
{
    (void)app;
    struct textpage *t = stp;
    int last = t->n > 0 ? (int)t->n - 1 : 0;
    switch (ev->action) {
    case TA_BACK:
    case TA_OPEN:
        return TUI_POP;
    case TA_QUIT:
        return TUI_QUIT;
    case TA_UP:
        t->top = t->top > 0 ? t->top - 1 : 0;
        return TUI_STAY;
    case TA_DOWN:
        t->top = t->top < last ? t->top + 1 : last;
        return TUI_STAY;
    case TA_PAGE_UP:
        t->top = t->top > 10 ? t->top - 10 : 0;
        return TUI_STAY;
    case TA_PAGE_DOWN:
        t->top = t->top + 10 < last ? t->top + 10 : last;
        return TUI_STAY;
    case TA_HOME:
        t->top = 0;
        return TUI_STAY;
    default:
        return TUI_STAY;
    }
}

static void textpage_on_lock(struct app *app, void *stp)
{
    (void)app;
    struct textpage *t = stp;
    if (t->secret) {
        wipe_lines(t);
        t->wiped = 1;
    }
}

static void textpage_release(void *stp)
{
    textpage_free(stp);
}

static const struct screen_ops textpage_ops = {
    .name = "text",
    .keys = textpage_keys,
    .heading = textpage_heading,
    .draw = textpage_draw,
    .handle = textpage_handle,
    .on_lock = textpage_on_lock,
    .release = textpage_release,
};

enum tui_next textpage_push(struct app *app, struct textpage *t)
{
    if (!t)
        return tui_fail(app, MNV_ERR_NOMEM);
    return tui_push(app, &textpage_ops, t);
}

enum tui_next textpage_replace(struct app *app, struct textpage *t)
{
    if (!t) {
        tui_message(app, 1, "%s", _(mnv_err_str(MNV_ERR_NOMEM)));
        return TUI_POP;
    }
    tui_replace_top(app, &textpage_ops, t);
    return TUI_PUSHED;
}
