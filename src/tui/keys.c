/* keys.c: the one table from keys to actions, and the words for each action. */
#include "keys.h"

#include <stdio.h>

#include "mnvault/i18n.h"

struct action_text {
    const char *label;
    const char *help;
};

static const struct action_text action_texts[TA__COUNT] = {
#define TUI_ACTION_TEXT_(name, label, help) [TA_##name] = {label, help},
    TUI_ACTION_LIST(TUI_ACTION_TEXT_)
#undef TUI_ACTION_TEXT_
};

/* Keys every screen understands, unless the screen binds the same key itself. */
static const struct keydef global_keys[] = {
    {KEY_F(1), 1, TA_HELP},     {'?', 0, TA_HELP},
    {KEY_F(10), 1, TA_QUIT},    {'q', 0, TA_QUIT},
    {27, 0, TA_BACK},           {KEY_F(12), 1, TA_LOCK},
    {12, 0, TA_REDRAW}, /* Ctrl-L, as in every terminal program */
    {KEY_UP, 1, TA_UP},         {KEY_DOWN, 1, TA_DOWN},
    {KEY_PPAGE, 1, TA_PAGE_UP}, {KEY_NPAGE, 1, TA_PAGE_DOWN},
    {KEY_HOME, 1, TA_HOME},     {KEY_END, 1, TA_END},
    {'\t', 0, TA_NEXT_FIELD},   {KEY_BTAB, 1, TA_PREV_FIELD},
    {'\n', 0, TA_OPEN},         {'\r', 0, TA_OPEN},
    {KEY_ENTER, 1, TA_OPEN},    {0, 0, TA_NONE},
};

int tui_global_keys(const struct keydef **out)
{
    *out = global_keys;
    return (int)(sizeof(global_keys) / sizeof(global_keys[0])) - 1;
}

const char *tui_action_label(enum tui_action a)
{
    if ((int)a < 0 || a >= TA__COUNT || !action_texts[a].label[0])
        return "";
    return _(action_texts[a].label);
}

const char *tui_action_help(enum tui_action a)
{
    if ((int)a < 0 || a >= TA__COUNT || !action_texts[a].help[0])
        return "";
    return _(action_texts[a].help);
}

void tui_key_name(char *buf, size_t size, int key, int is_code)
{
    if (is_code) {
        if (key >= KEY_F(1) && key <= KEY_F(12)) {
            snprintf(buf, size, "F%d", key - KEY_F0);
            return;
        }
        switch (key) {
        case KEY_UP:
            snprintf(buf, size, "↑");
            return;
        case KEY_DOWN:
            snprintf(buf, size, "↓");
            return;
        case KEY_PPAGE:
            snprintf(buf, size, "PgUp");
            return;
        case KEY_NPAGE:
            snprintf(buf, size, "PgDn");
            return;
        case KEY_HOME:
            snprintf(buf, size, "Home");
            return;
        case KEY_END:
            snprintf(buf, size, "End");
            return;
        case KEY_BTAB:
            snprintf(buf, size, "Shift-Tab");
            return;
        case KEY_ENTER:
            snprintf(buf, size, "Enter");
            return;
        default:
            snprintf(buf, size, "%s", keyname(key) ? keyname(key) : "?");
            return;
        }
    }
    switch (key) {
    case 27:
        snprintf(buf, size, "Esc");
        return;
    case '\t':
        snprintf(buf, size, "Tab");
        return;
    case '\n':
    case '\r':
        snprintf(buf, size, "Enter");
        return;
    case ' ':
        snprintf(buf, size, "Space");
        return;
    default:
        if (key > 0 && key < 32)
            snprintf(buf, size, "Ctrl-%c", '@' + key);
        else
            snprintf(buf, size, "%lc", (wint_t)key);
    }
}

static enum tui_action lookup(const struct keydef *keys, int is_code, int key)
{
    for (int i = 0; keys && keys[i].action != TA_NONE; i++)
        if (keys[i].is_code == is_code && keys[i].key == key)
            return keys[i].action;
    return TA_NONE;
}

struct tui_event tui_event_make(int is_code, int key, const struct keydef *screen_keys)
{
    struct tui_event ev = {is_code, is_code ? key : 0, is_code ? 0 : (wchar_t)key, TA_NONE};
    ev.action = lookup(screen_keys, is_code, key);
    if (ev.action == TA_NONE)
        ev.action = lookup(global_keys, is_code, key);
    return ev;
}

int tui_screen_has(const struct keydef *keys, enum tui_action a)
{
    for (int i = 0; keys && keys[i].action != TA_NONE; i++)
        if (keys[i].action == a)
            return 1;
    return 0;
}
