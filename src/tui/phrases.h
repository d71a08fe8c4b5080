/* phrases.h (tui layer, private to src/tui): the words several screens share (phrases.c): error
 * sentences, status and role words, purpose names in the person's language, numbers with
 * thousands separators. Every one is translated (gettext).
 */
#ifndef MNVAULT_TUI_PHRASES_H
#define MNVAULT_TUI_PHRASES_H

#include <stddef.h>

struct app;

/* tui_error_text: a person's sentence for err (translated), with diag's item if any. */
char *tui_error_text(char *buf, size_t size, int err, const void *diag);

/* tui_thousands: n with thousands separators ("1,234") into buf. Returns buf. */
char *tui_thousands(char *buf, size_t size, long n);

/* Purpose names for screens: the person's language; short = one mark for lists. */
const char *tui_purpose_name(struct app *app, const char *code);
const char *tui_purpose_short_name(struct app *app, const char *code);
void tui_purpose_short(struct app *app, const char *code, char *buf, size_t size);
/* Status words for a number: 登録済み / 未登録 / 提供拒否 / 廃棄済み. */
const char *tui_number_status(int status);
/* Role names: 事務取扱担当者 … */
const char *tui_role_name(int role);

#endif
