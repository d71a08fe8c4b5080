/* draw.c: width-aware text drawing, rules, styles (colours optional, never alone). */
#include "draw.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/textsafe.h"
#include "mnvault/utf8.h"

static int use_color;

enum { PAIR_TITLE = 1, PAIR_SELECTED, PAIR_ERROR, PAIR_OK, PAIR_FIELD, PAIR_HEADER, PAIR_REVEAL };

void tui_colors_init(int want_color)
{
    use_color = 0;
    if (!want_color || getenv("NO_COLOR") || !has_colors())
        return;
    if (start_color() != OK)
        return;
    use_default_colors();
    init_pair(PAIR_TITLE, COLOR_WHITE, COLOR_BLUE);
    init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
    init_pair(PAIR_ERROR, COLOR_RED, -1);
    init_pair(PAIR_OK, COLOR_GREEN, -1);
    init_pair(PAIR_FIELD, -1, -1);
    init_pair(PAIR_HEADER, COLOR_CYAN, -1);
    init_pair(PAIR_REVEAL, COLOR_BLACK, COLOR_YELLOW);
    use_color = 1;
}

int tui_colors(void)
{
    return use_color;
}

/* Attributes per style: with colours, a pair plus an attribute; without, attributes only.
 * Meaning never rests on colour alone: screens add a mark or a word. */
static attr_t style_attr(enum tui_style s)
{
    switch (s) {
    case ST_TITLE:
        return use_color ? COLOR_PAIR(PAIR_TITLE) | A_BOLD : A_REVERSE;
    case ST_SELECTED:
        return use_color ? COLOR_PAIR(PAIR_SELECTED) : A_REVERSE;
    case ST_ERROR:
        return use_color ? COLOR_PAIR(PAIR_ERROR) | A_BOLD : A_BOLD;
    case ST_OK:
        return use_color ? COLOR_PAIR(PAIR_OK) : A_NORMAL;
    case ST_DIM:
        return A_DIM;
    case ST_FIELD:
        return A_UNDERLINE;
    case ST_HEADER:
        return use_color ? COLOR_PAIR(PAIR_HEADER) | A_BOLD : A_BOLD;
    case ST_REVEAL:
        return use_color ? COLOR_PAIR(PAIR_REVEAL) | A_BOLD : A_REVERSE | A_BOLD;
    case ST_NORMAL:
    default:
        return A_NORMAL;
    }
}

void tui_style_on(WINDOW *w, enum tui_style s)
{
    wattron(w, style_attr(s));
}

void tui_style_off(WINDOW *w, enum tui_style s)
{
    wattroff(w, style_attr(s));
}

static int cp_cells(uint32_t cp)
{
    int n = wcwidth((wchar_t)cp);
    return n < 0 ? 1 : n;
}

/*
 * The next character of s as drawn: text from people and files goes through textsafe, so
 * a control, a bidirectional override or a byte that is not UTF-8 is drawn as its ASCII
 * escape and never reaches the terminal. Fills piece; returns its cells (0 at the end).
 */
static int next_piece(const char *s, size_t len, size_t *i, char piece[TEXTSAFE_PIECE_SIZE])
{
    int escaped;
    size_t n = textsafe_piece(s, len, i, TEXTSAFE_KEEP_BACKSLASH, piece, &escaped);
    if (n == 0)
        return 0;
    uint32_t cp;
    if (escaped || utf8_decode(piece, n, &cp) < 0)
        return (int)n;
    return cp_cells(cp);
}

int tui_text_cells(const char *s)
{
    int cells = 0;
    size_t len = s ? strlen(s) : 0, i = 0;
    char piece[TEXTSAFE_PIECE_SIZE];
    while (i < len)
        cells += next_piece(s, len, &i, piece);
    return cells;
}

/* Draw one piece (a character, or an escape of ASCII characters). */
static void put_piece(WINDOW *w, const char *piece)
{
    size_t len = strlen(piece), i = 0;
    while (i < len) {
        uint32_t cp;
        int n = utf8_decode(piece + i, len - i, &cp);
        if (n < 0) {
            cp = 0xFFFD;
            n = 1;
        }
        wchar_t wc[2] = {(wchar_t)cp, 0};
        waddnwstr(w, wc, 1);
        i += (size_t)n;
    }
}

int tui_put(WINDOW *w, int y, int x, const char *s, int cells, int pad)
{
    if (cells <= 0)
        return 0;
    size_t len = s ? strlen(s) : 0, i = 0;
    int used = 0, total = tui_text_cells(s);
    int budget = total > cells ? cells - 1 : cells; /* room for "…" when cut */
    wmove(w, y, x);
    while (i < len) {
        char piece[TEXTSAFE_PIECE_SIZE];
        size_t at = i;
        int c = next_piece(s, len, &i, piece);
        if (used + c > budget) {
            i = at;
            break;
        }
        put_piece(w, piece);
        used += c;
    }
    if (total > cells) {
        waddnwstr(w, L"…", 1);
        used++;
    }
    while (pad && used < cells) {
        waddch(w, ' ');
        used++;
    }
    return used;
}

int tui_put_col(WINDOW *w, int y, int x, const char *utf8, int cells)
{
    tui_put(w, y, x, utf8, cells - 1, 1);
    tui_put(w, y, x + cells - 1, " ", 1, 1);
    return cells;
}

int tui_put_right(WINDOW *w, int y, int x, const char *s, int cells)
{
    int n = tui_text_cells(s);
    if (n >= cells)
        return tui_put(w, y, x, s, cells, 1);
    for (int i = 0; i < cells - n; i++)
        mvwaddch(w, y, x + i, ' ');
    return tui_put(w, y, x + cells - n, s, n, 0) + cells - n;
}

void tui_hline(WINDOW *w, int y, int x, int cells)
{
    wmove(w, y, x);
    for (int i = 0; i < cells; i++)
        waddnwstr(w, L"─", 1);
}

void tui_rule(WINDOW *w, int y, int width, const char *title, const char *right)
{
    int x = 0;
    wmove(w, y, 0);
    waddnwstr(w, L"─ ", 2);
    x = 2;
    if (title && *title) {
        tui_style_on(w, ST_HEADER);
        x += tui_put(w, y, x, title, width - x - 2, 0);
        tui_style_off(w, ST_HEADER);
        mvwaddch(w, y, x++, ' ');
    }
    int rcells = right && *right ? tui_text_cells(right) + 2 : 0;
    if (rcells > width - x - 2)
        rcells = 0;
    tui_hline(w, y, x, width - x - rcells);
    if (rcells) {
        mvwaddch(w, y, width - rcells, ' ');
        tui_put(w, y, width - rcells + 1, right, rcells - 2, 0);
        waddch(w, ' ');
    }
}

int tui_put_wrapped(WINDOW *w, int y, int x, const char *s, int cells, int max_lines)
{
    size_t len = s ? strlen(s) : 0, i = 0;
    int line = 0;
    while (i < len && line < max_lines) {
        /* Take as many whole characters as fit; prefer to break after a space, unless that
         * wastes a third of the line (Japanese has no spaces: any character may start a line). */
        size_t end = i, last_space = 0;
        int used = 0, used_at_space = 0;
        while (end < len) {
            char piece[TEXTSAFE_PIECE_SIZE];
            size_t at = end;
            int c = next_piece(s, len, &end, piece);
            if (used + c > cells) {
                end = at;
                break;
            }
            used += c;
            if (piece[0] == ' ' && piece[1] == '\0')
                last_space = end, used_at_space = used;
        }
        if (end < len && last_space > i && line + 1 < max_lines && used_at_space * 3 >= cells * 2)
            end = last_space;
        char chunk[1024];
        size_t n = end - i < sizeof(chunk) - 1 ? end - i : sizeof(chunk) - 1;
        memcpy(chunk, s + i, n);
        chunk[n] = '\0';
        /* The last line allowed takes the rest, cut with an ellipsis if need be. */
        if (line + 1 == max_lines && end < len)
            tui_put(w, y + line, x, s + i, cells, 0);
        else
            tui_put(w, y + line, x, chunk, cells, 0);
        i = end;
        while (i < len && s[i] == ' ')
            i++;
        line++;
    }
    return line;
}
