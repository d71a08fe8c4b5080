/* field.h (tui layer, private to src/tui): a one-line text input that measures East Asian widths
 * (field.c), secret when it holds a password or a number (secmem, drawn masked, wiped).
 */
#ifndef MNVAULT_TUI_FIELD_H
#define MNVAULT_TUI_FIELD_H

#include <curses.h>
#include <stddef.h>
#include <wchar.h>

#include "keys.h"
#include "mnvault/attr.h"

struct field {
    char *buf;                 /* UTF-8, NUL-terminated; secmem when secret */
    size_t cap;                /* bytes available in buf including the NUL */
    size_t len;                /* bytes used */
    size_t cursor;             /* byte offset of the cursor, on a character boundary */
    int secret;                /* kept in secmem and drawn as a fixed mask; wiped on release */
    int show;                  /* draw a secret field as typed anyway (confirmation codes) */
    int max_chars;             /* 0 = no limit beyond cap */
    int scroll;                /* first cell shown */
    int changed;               /* set on every edit; the owner clears it */
    int (*accept)(wchar_t ch); /* characters allowed; NULL = any printable */
};
MNV_MUST_CHECK int field_init(struct field *f, size_t cap, int secret);
void field_release(struct field *f);
void field_clear(struct field *f);
void field_set(struct field *f, const char *utf8);
/* Apply an editing key; returns 1 when the event was used (even if nothing changed). */
int field_handle(struct field *f, const struct tui_event *ev);
/* Draw in width cells at (y,x); when focused, leaves the cursor position in cy and cx. */
void field_draw(struct field *f, WINDOW *w, int y, int x, int width, int focused, int *cy, int *cx);
int field_accept_digits(wchar_t ch); /* digits and separators as numtext.h has them */
int field_accept_date(wchar_t ch);   /* digits and '-' '/' '.' and era letters */

#endif
