/* field.c: one-line text input with wide characters, secret mode and a cell budget. */
#include "field.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "draw.h"
#include "keys.h"
#include "mnvault/numtext.h"
#include "mnvault/secmem.h"
#include "mnvault/utf8.h"

int field_init(struct field *f, size_t cap, int secret)
{
    memset(f, 0, sizeof(*f));
    f->buf = secret ? secmem_alloc(cap) : calloc(1, cap);
    if (!f->buf)
        return -1;
    f->cap = cap;
    f->secret = secret;
    return 0;
}

void field_release(struct field *f)
{
    if (!f->buf)
        return;
    secmem_wipe(f->buf, f->cap);
    if (f->secret)
        secmem_free(f->buf);
    else
        free(f->buf);
    memset(f, 0, sizeof(*f));
}

void field_clear(struct field *f)
{
    if (!f->buf)
        return;
    secmem_wipe(f->buf, f->cap);
    f->len = f->cursor = 0;
    f->scroll = 0;
    f->changed = 1;
}

static size_t count_chars(const char *s, size_t len)
{
    size_t n = 0, i = 0;
    while (i < len) {
        uint32_t cp;
        int k = utf8_decode(s + i, len - i, &cp);
        i += k > 0 ? (size_t)k : 1;
        n++;
    }
    return n;
}

void field_set(struct field *f, const char *s)
{
    field_clear(f);
    size_t n = s ? strlen(s) : 0;
    if (n >= f->cap)
        n = f->cap - 1;
    while (n > 0 && !utf8_valid(s, n))
        n--; /* never cut a character in half */
    if (n)
        memcpy(f->buf, s, n); /* s may be NULL (n == 0): memcpy may not be given NULL */
    f->buf[n] = '\0';
    f->len = f->cursor = n;
    f->changed = 1;
}

/* Byte offset of the character before / after off. */
static size_t prev_char(const char *s, size_t off)
{
    if (off == 0)
        return 0;
    off--;
    while (off > 0 && ((unsigned char)s[off] & 0xC0) == 0x80)
        off--;
    return off;
}

static size_t next_char(const char *s, size_t len, size_t off)
{
    if (off >= len)
        return len;
    off++;
    while (off < len && ((unsigned char)s[off] & 0xC0) == 0x80)
        off++;
    return off;
}

static void delete_range(struct field *f, size_t from, size_t to)
{
    memmove(f->buf + from, f->buf + to, f->len - to + 1);
    f->len -= to - from;
    secmem_wipe(f->buf + f->len + 1, to - from); /* no stale bytes after the NUL */
    f->changed = 1;
}

static void backspace(struct field *f)
{
    if (f->cursor == 0)
        return;
    size_t p = prev_char(f->buf, f->cursor);
    delete_range(f, p, f->cursor);
    f->cursor = p;
}

static int insert_char(struct field *f, wchar_t ch)
{
    if (f->accept ? !f->accept(ch) : !iswprint((wint_t)ch))
        return 0;
    if (f->max_chars && count_chars(f->buf, f->len) >= (size_t)f->max_chars)
        return 0;
    char enc[4];
    int n = utf8_encode((uint32_t)ch, enc);
    if (n <= 0 || f->len + (size_t)n + 1 > f->cap)
        return 0;
    memmove(f->buf + f->cursor + n, f->buf + f->cursor, f->len - f->cursor + 1);
    memcpy(f->buf + f->cursor, enc, (size_t)n);
    f->len += (size_t)n;
    f->cursor += (size_t)n;
    f->changed = 1;
    return 1;
}

int field_handle(struct field *f, const struct tui_event *ev)
{
    if (!ev->is_code) {
        switch (ev->ch) {
        case 8:   /* Ctrl-H */
        case 127: /* DEL as sent by most terminals for Backspace */
            backspace(f);
            return 1;
        case 21: /* Ctrl-U: delete to the start */
            delete_range(f, 0, f->cursor);
            f->cursor = 0;
            return 1;
        case 11: /* Ctrl-K: delete to the end */
            delete_range(f, f->cursor, f->len);
            return 1;
        case 1: /* Ctrl-A */
            f->cursor = 0;
            return 1;
        case 5: /* Ctrl-E */
            f->cursor = f->len;
            return 1;
        default:
            if (ev->ch >= 32 && ev->ch != 127) {
                insert_char(f, ev->ch);
                return 1; /* a refused character is still consumed: it is not a command */
            }
            return 0;
        }
    }
    switch (ev->code) {
    case KEY_BACKSPACE:
        backspace(f);
        return 1;
    case KEY_DC:
        if (f->cursor < f->len)
            delete_range(f, f->cursor, next_char(f->buf, f->len, f->cursor));
        return 1;
    case KEY_LEFT:
        f->cursor = prev_char(f->buf, f->cursor);
        return 1;
    case KEY_RIGHT:
        f->cursor = next_char(f->buf, f->len, f->cursor);
        return 1;
    case KEY_HOME:
        f->cursor = 0;
        return 1;
    case KEY_END:
        f->cursor = f->len;
        return 1;
    default:
        return 0;
    }
}

/* Cells taken by buf[0..off). */
static int cells_upto(const char *s, size_t off)
{
    int cells = 0;
    size_t i = 0;
    while (i < off) {
        uint32_t cp;
        int k = utf8_decode(s + i, off - i, &cp);
        if (k < 0) {
            i++;
            cells++;
            continue;
        }
        int w = wcwidth((wchar_t)cp);
        cells += w < 0 ? 1 : w;
        i += (size_t)k;
    }
    return cells;
}

void field_draw(struct field *f, WINDOW *w, int y, int x, int width, int focused, int *cy, int *cx)
{
    tui_style_on(w, ST_FIELD);
    if (f->secret && !f->show) {
        /* A fixed-width mask: the number of characters typed is not shown. */
        tui_put(w, y, x, f->len ? "********" : "", width, 1);
        tui_style_off(w, ST_FIELD);
        if (focused && cy && cx) {
            *cy = y;
            *cx = x + (f->len ? 8 : 0);
        }
        return;
    }
    if (!focused) {
        /* A field not being edited shows its start ("…" where it goes on). */
        tui_put(w, y, x, f->buf, width, 1);
        tui_style_off(w, ST_FIELD);
        return;
    }
    /* The field being edited scrolls to keep the cursor in view, by whole characters: a
     * wide character is never cut. */
    int cur = cells_upto(f->buf, f->cursor);
    int from = f->scroll < cur ? f->scroll : cur;
    size_t i = 0;
    int skipped = 0;
    while (i < f->len && (skipped < from || cur - skipped > width - 1)) {
        size_t nx = next_char(f->buf, f->len, i);
        skipped += cells_upto(f->buf + i, nx - i);
        i = nx;
    }
    f->scroll = skipped;
    int used = 0;
    while (i < f->len) {
        size_t nx = next_char(f->buf, f->len, i);
        int cw = cells_upto(f->buf + i, nx - i);
        if (used + cw > width)
            break;
        char one[8] = {0};
        memcpy(one, f->buf + i, nx - i);
        tui_put(w, y, x + used, one, cw, 0);
        used += cw;
        i = nx;
    }
    while (used < width)
        mvwaddch(w, y, x + used++, ' ');
    tui_style_off(w, ST_FIELD);
    if (cy && cx) {
        *cy = y;
        *cx = x + cur - skipped;
    }
}

int field_accept_digits(wchar_t ch)
{
    enum numtext_class c = ch < 0 ? NUMTEXT_OTHER : numtext_classify((uint32_t)ch);
    return c == NUMTEXT_DIGIT || (c == NUMTEXT_SEPARATOR && ch != '\t');
}

int field_accept_date(wchar_t ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 0xFF10 && ch <= 0xFF19) || ch == '-' || ch == '/' ||
           ch == '.' || ch == 'R' || ch == 'H' || ch == 'S' || ch == 'r' || ch == 'h' ||
           ch == 's' || ch == 0x5E74 || ch == 0x6708 || ch == 0x65E5 || ch == 0x4EE4 ||
           ch == 0x548C || ch == 0x5E73 || ch == 0x6210 || ch == 0x662D || ch == 0x5143;
}
