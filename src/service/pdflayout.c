#include "mnvault/pdflayout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/i18n.h"
#include "mnvault/wareki.h"

#define COORD_MAX 1000.0

struct reader {
    const struct form_layout *l;
    struct mnv_diag *diag;
    char where[32]; /* "[draw] 12" */
};

static enum mnv_err bad(struct reader *rd, const char *why)
{
    mnv_diag_where(rd->diag, "%s", rd->l->path);
    mnv_diag_item(rd->diag, "%s", rd->where);
    mnv_diag_detail(rd->diag, "%s", why);
    return MNV_ERR_LAYOUT_FILE;
}

/* A decimal number ("12", "-3.5", "0.25") within [lo, hi]; 0 when it is one. */
static int parse_num(const char *t, double lo, double hi, double *out)
{
    const char *p = t;
    int neg = 0, digits = 0;
    long long mant = 0, scale = 1;
    if (*p == '-')
        neg = 1, p++;
    for (; *p >= '0' && *p <= '9' && digits < 9; p++, digits++)
        mant = mant * 10 + (*p - '0');
    if (*p == '.')
        for (p++; *p >= '0' && *p <= '9' && digits < 9; p++, digits++, scale *= 10)
            mant = mant * 10 + (*p - '0');
    if (digits == 0 || *p)
        return -1;
    /* One division, so "0.35" is the same double as the literal 0.35. */
    double v = (double)mant / (double)scale;
    v = neg ? -v : v;
    if (v < lo || v > hi)
        return -1;
    *out = v;
    return 0;
}

/* A comma-separated list of numbers (cols=, rows=) into v[], at most max. */
static int parse_list(const char *t, double *v, size_t max, size_t *n)
{
    char buf[256];
    if (strlen(t) >= sizeof(buf))
        return -1;
    snprintf(buf, sizeof(buf), "%s", t);
    *n = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        if (*n == max || parse_num(tok, 0.01, COORD_MAX, &v[*n]) != 0)
            return -1;
        (*n)++;
    }
    return *n > 0 ? 0 : -1;
}

static int parse_map(const char *t, struct pdflayout_element *e)
{
    char buf[512];
    if (strlen(t) >= sizeof(buf))
        return -1;
    snprintf(buf, sizeof(buf), "%s", t);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        char *colon = strchr(tok, ':');
        struct pdflayout_map *m = &e->map[e->nmap];
        if (e->nmap == PDFLAYOUT_MAP_MAX || !colon || colon == tok ||
            (size_t)(colon - tok) >= sizeof(m->from) || strlen(colon + 1) >= sizeof(m->to))
            return -1;
        *colon = '\0';
        snprintf(m->from, sizeof(m->from), "%s", tok);
        snprintf(m->to, sizeof(m->to), "%s", colon + 1);
        e->nmap++;
    }
    return e->nmap > 0 ? 0 : -1;
}

/* copy=tax,employee: the bits of the copies named; -1 when one is not a copy of l. */
static int parse_copies(const struct form_layout *l, const char *t, unsigned *bits)
{
    char buf[128];
    if (strlen(t) >= sizeof(buf))
        return -1;
    snprintf(buf, sizeof(buf), "%s", t);
    *bits = 0;
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        size_t i = 0;
        while (i < l->ncopies && strcmp(l->copies[i].id, tok) != 0)
            i++;
        if (i == l->ncopies)
            return -1;
        *bits |= 1u << i;
    }
    return *bits ? 0 : -1;
}

static int parse_item(struct reader *rd, const char *t, struct pdflayout_element *e)
{
    if (strcmp(t, "$copy") == 0) {
        e->field = -1;
        return e->kind == PDFLAYOUT_TEXT ? 0 : -1;
    }
    const struct form_field *f = form_layout_field(rd->l, t);
    if (!f)
        return -1;
    e->field = (int)(f - rd->l->fields);
    e->is_number = f->number != FORM_NUM_NONE;
    return 0;
}

/* The index of val among names (NULL-terminated), or -1. */
static int choice(const char *val, const char *const *names)
{
    for (int i = 0; names[i]; i++)
        if (strcmp(val, names[i]) == 0)
            return i;
    return -1;
}

/* A bare word (wrap, vertical, spread, trim0, comma, wareki, left); 0, or -1 unknown. */
static int bare_word(struct pdflayout_element *e, const char *name)
{
    static const char *const words[] = {"wrap",  "vertical", "spread", "trim0",
                                        "comma", "wareki",   "left",   NULL};
    static const unsigned flags[] = {PDFDOC_WRAP, PDFDOC_VERTICAL, PDFDOC_SPREAD};
    int *const ints[] = {&e->trim0, &e->comma, &e->wareki, &e->left};
    int i = choice(name, words);
    if (i < 0)
        return -1;
    if (i < 3)
        e->st.flags |= flags[i];
    else
        *ints[i - 3] = 1;
    return 0;
}

/* How text is set and lines are drawn: 1 taken, 0 not a style option, -1 a bad value. */
static int style_option(struct pdflayout_element *e, const char *name, const char *val)
{
    /* In the order of the enums of pdfdoc.h. */
    static const char *const fonts[] = {"gothic", "mincho", NULL};
    static const char *const aligns[] = {"left", "center", "right", NULL};
    static const char *const valigns[] = {"middle", "top", "bottom", NULL};
    static const char *const dashes[] = {"solid", "dashed", "dotted", NULL};
    double v = 0;
    int i = 0;
    if (strcmp(name, "font") == 0 && (i = choice(val, fonts)) >= 0)
        e->st.font = (enum pdfdoc_font)i;
    else if (strcmp(name, "align") == 0 && (i = choice(val, aligns)) >= 0)
        e->st.align = (enum pdfdoc_align)i;
    else if (strcmp(name, "valign") == 0 && (i = choice(val, valigns)) >= 0)
        e->st.valign = (enum pdfdoc_valign)i;
    else if (strcmp(name, "dash") == 0 && (i = choice(val, dashes)) >= 0)
        e->pen.dash = (enum pdfdoc_dash)i;
    else if (strcmp(name, "size") == 0 && parse_num(val, 2, 72, &v) == 0)
        e->st.size = v;
    else if (strcmp(name, "min") == 0 && parse_num(val, 2, 72, &v) == 0)
        e->st.min_size = v;
    else if (strcmp(name, "pad") == 0 && parse_num(val, 0, 20, &v) == 0)
        e->st.pad = v;
    else if (strcmp(name, "grey") == 0 && parse_num(val, 0, 1, &v) == 0)
        e->st.grey = e->pen.grey = v;
    else if (strcmp(name, "pen") == 0 && parse_num(val, 0.01, 5, &v) == 0)
        e->pen.width = v;
    else if (choice(name, (const char *const[]){"font", "align", "valign", "dash", "size", "min",
                                                "pad", "grey", "pen", NULL}) >= 0)
        return -1;
    else
        return 0;
    return 1;
}

/* One option NAME=VALUE (or a bare word) of element e; 0, or -1 with the message. */
static int option(struct reader *rd, struct pdflayout_element *e, const char *name, const char *val,
                  const char **why)
{
    double v;
    *why = N_("unknown option, or a value out of range");
    if (!val)
        return bare_word(e, name);
    int st = style_option(e, name, val);
    if (st != 0)
        return st > 0 ? 0 : -1;
    if (strcmp(name, "cells") == 0 && parse_num(val, 1, 64, &v) == 0 && v == (int)v) {
        e->ncells = (size_t)v;
    } else if (strcmp(name, "group") == 0 && parse_num(val, 0, 12, &v) == 0 && v == (int)v) {
        e->group = (size_t)v;
    } else if (strcmp(name, "rules") == 0 && parse_num(val, 0, 5, &v) == 0) {
        e->rules = v;
    } else if (strcmp(name, "when") == 0 && strlen(val) < sizeof(e->when)) {
        snprintf(e->when, sizeof(e->when), "%s", val);
    } else if (strcmp(name, "cols") == 0 || strcmp(name, "rows") == 0) {
        *why = N_("cols= and rows= are lists of widths and heights in mm, at most 24");
        return name[0] == 'c' ? parse_list(val, e->cols, PDFLAYOUT_GRID_MAX, &e->ncols)
                              : parse_list(val, e->rows, PDFLAYOUT_GRID_MAX, &e->nrows);
    } else if (strcmp(name, "map") == 0) {
        *why = N_("map= is a list of VALUE:TEXT pairs, at most 8");
        return parse_map(val, e);
    } else if (strcmp(name, "copy") == 0) {
        *why = N_("copy= names copies of this layout ([copy.ID] sections)");
        return parse_copies(rd->l, val, &e->copies);
    } else if (strcmp(name, "item") == 0) {
        *why = N_("item= must name an item that a field of this layout holds");
        return parse_item(rd, val, e);
    } else {
        return -1;
    }
    return 0;
}

static const struct {
    const char *name;
    enum pdflayout_kind kind;
    int nums;
} kinds[] = {
    {"rect", PDFLAYOUT_RECT, 4},   {"line", PDFLAYOUT_LINE, 4},   {"grid", PDFLAYOUT_GRID, 2},
    {"fill", PDFLAYOUT_FILL, 4},   {"label", PDFLAYOUT_LABEL, 4}, {"text", PDFLAYOUT_TEXT, 4},
    {"cells", PDFLAYOUT_CELLS, 4}, {"mark", PDFLAYOUT_MARK, 4},   {"at", 0, 2},
};

/* What each kind needs beyond its numbers; NULL when e is complete. */
static const char *incomplete(const struct pdflayout_element *e, int has_item)
{
    switch (e->kind) {
    case PDFLAYOUT_LABEL:
        return e->text[0] ? NULL : N_("a label needs its text after |");
    case PDFLAYOUT_MARK:
        if (!e->text[0])
            return N_("a mark needs its text after |");
        /* fall through */
    case PDFLAYOUT_TEXT:
        return has_item ? NULL : N_("this element needs item=");
    case PDFLAYOUT_CELLS:
        if (!has_item || e->ncells == 0)
            return N_("cells need item= and cells=");
        return NULL;
    case PDFLAYOUT_GRID:
        return e->ncols && e->nrows ? NULL : N_("a grid needs cols= and rows=");
    default:
        return NULL;
    }
}

/* The box of e on the slip, to check that it stays on it. */
static int outside(const struct pdflayout *p, const struct pdflayout_element *e)
{
    double x1 = e->r.x, y1 = e->r.y, x2 = e->r.x + e->r.w, y2 = e->r.y + e->r.h;
    if (e->kind == PDFLAYOUT_LINE)
        x2 = e->r.w, y2 = e->r.h;
    if (e->kind == PDFLAYOUT_GRID) {
        for (size_t i = 0; i < e->ncols; i++)
            x2 += e->cols[i];
        for (size_t i = 0; i < e->nrows; i++)
            y2 += e->rows[i];
    }
    const double eps = 0.01;
    return x1 < -eps || y1 < -eps || x2 < -eps || y2 < -eps || x1 > p->slip_w + eps ||
           x2 > p->slip_w + eps || y1 > p->slip_h + eps || y2 > p->slip_h + eps;
}

/* Split "HEAD | TEXT": the text is copied into e->text; head is cut at the bar. */
static int split_text(char *buf, struct pdflayout_element *e)
{
    char *bar = strchr(buf, '|');
    if (!bar)
        return 0;
    *bar = '\0';
    const char *t = bar + 1;
    while (*t == ' ')
        t++;
    size_t n = strlen(t);
    while (n > 0 && t[n - 1] == ' ')
        n--;
    if (n >= sizeof(e->text))
        return -1;
    memcpy(e->text, t, n);
    e->text[n] = '\0';
    return 0;
}

static enum mnv_err element(struct reader *rd, struct pdflayout *p, const char *spec, double *ox,
                            double *oy, struct pdflayout_element *e, int *is_at)
{
    char buf[1024];
    double num[4] = {0, 0, 0, 0};
    const char *why = NULL;
    *is_at = 0;
    if (strlen(spec) >= sizeof(buf))
        return bad(rd, N_("the line is too long"));
    snprintf(buf, sizeof(buf), "%s", spec);
    if (split_text(buf, e) != 0)
        return bad(rd, N_("the text is too long"));
    char *save = NULL, *tok = strtok_r(buf, " \t", &save);
    size_t k = 0;
    while (tok && k < MNV_ARRAY_LEN(kinds) && strcmp(kinds[k].name, tok) != 0)
        k++;
    if (!tok || k == MNV_ARRAY_LEN(kinds))
        return bad(rd, N_("unknown kind of element (rect, line, grid, fill, label, text, cells, "
                          "mark or at)"));
    e->kind = kinds[k].kind;
    for (int i = 0; i < kinds[k].nums; i++) {
        tok = strtok_r(NULL, " \t", &save);
        if (!tok || parse_num(tok, -COORD_MAX, COORD_MAX, &num[i]) != 0)
            return bad(rd, N_("expected a number of millimetres"));
    }
    if (kinds[k].kind == 0) {
        *is_at = 1;
        *ox = num[0], *oy = num[1];
        return strtok_r(NULL, " \t", &save) ? bad(rd, N_("at takes two numbers only")) : MNV_OK;
    }
    e->r = (struct boxfit_rect){*ox + num[0], *oy + num[1], num[2], num[3]};
    if (e->kind == PDFLAYOUT_LINE)
        e->r.w += *ox, e->r.h += *oy; /* the second point */
    else if (kinds[k].nums == 4 && (num[2] < 0 || num[3] < 0))
        return bad(rd, N_("a width or height is negative"));
    int has_item = 0;
    while ((tok = strtok_r(NULL, " \t", &save)) != NULL) {
        char *eq = strchr(tok, '=');
        if (eq)
            *eq = '\0';
        has_item |= eq && strcmp(tok, "item") == 0;
        if (option(rd, e, tok, eq ? eq + 1 : NULL, &why) != 0)
            return bad(rd, why);
    }
    if ((why = incomplete(e, has_item)) != NULL)
        return bad(rd, why);
    if (e->kind != PDFLAYOUT_LABEL && e->kind != PDFLAYOUT_MARK && e->text[0])
        return bad(rd, N_("only labels and marks have a text after |"));
    if (e->st.min_size > 0 && e->st.size > 0 && e->st.min_size > e->st.size)
        return bad(rd, N_("min= is larger than size="));
    if (outside(p, e))
        return bad(rd, N_("the element lies outside the slip ([sheet] slip)"));
    return MNV_OK;
}

static enum mnv_err read_sheet(struct reader *rd, struct pdflayout *p)
{
    const struct form_layout *l = rd->l;
    const char *paper = form_layout_extra(l, "sheet.paper");
    snprintf(rd->where, sizeof(rd->where), "[sheet] paper");
    if (paper && strcmp(paper, "a4_portrait") == 0)
        p->paper = PDFDOC_A4_PORTRAIT;
    else if (paper && strcmp(paper, "a4_landscape") == 0)
        p->paper = PDFDOC_A4_LANDSCAPE;
    else
        return bad(rd, N_("a4_portrait or a4_landscape"));
    int portrait = p->paper == PDFDOC_A4_PORTRAIT;
    double pw = portrait ? 210 : 297, ph = portrait ? 297 : 210;
    const char *slip = form_layout_extra(l, "sheet.slip");
    char a[32], b[32], extra;
    snprintf(rd->where, sizeof(rd->where), "[sheet] slip");
    if (!slip || sscanf(slip, "%31s %31s %c", a, b, &extra) != 2 ||
        parse_num(a, 1, pw, &p->slip_w) != 0 || parse_num(b, 1, ph, &p->slip_h) != 0)
        return bad(rd, N_("the width and height of a slip's place, within the paper"));
    const char *slots = form_layout_extra(l, "sheet.slots");
    char buf[512];
    snprintf(rd->where, sizeof(rd->where), "[sheet] slots");
    if (!slots || strlen(slots) >= sizeof(buf))
        return bad(rd, N_("where the slips go: X Y, X Y, … (1 to 8 places on the paper)"));
    snprintf(buf, sizeof(buf), "%s", slots);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        size_t i = p->nslots;
        if (i == PDFLAYOUT_SLOTS_MAX || sscanf(tok, " %31s %31s %c", a, b, &extra) != 2 ||
            parse_num(a, 0, pw - p->slip_w + 0.01, &p->slot_x[i]) != 0 ||
            parse_num(b, 0, ph - p->slip_h + 0.01, &p->slot_y[i]) != 0)
            return bad(rd, N_("where the slips go: X Y, X Y, … (1 to 8 places on the paper)"));
        p->nslots++;
    }
    if (p->nslots == 0)
        return bad(rd, N_("where the slips go: X Y, X Y, … (1 to 8 places on the paper)"));
    const char *cut = form_layout_extra(l, "sheet.cut");
    snprintf(rd->where, sizeof(rd->where), "[sheet] cut");
    if (cut && strcmp(cut, "yes") != 0 && strcmp(cut, "no") != 0)
        return bad(rd, N_("yes or no"));
    p->cut = !cut || strcmp(cut, "yes") == 0;
    return MNV_OK;
}

static enum mnv_err read_draw(struct reader *rd, struct pdflayout *p)
{
    const char *count = form_layout_extra(rd->l, "draw.count");
    double n;
    snprintf(rd->where, sizeof(rd->where), "[draw] count");
    if (!count || parse_num(count, 1, PDFLAYOUT_ELEMENTS_MAX, &n) != 0 || n != (int)n)
        return bad(rd, N_("the number of elements, 1 to 1000"));
    p->elements = calloc((size_t)n, sizeof(*p->elements));
    if (!p->elements)
        return MNV_ERR_NOMEM;
    double ox = 0, oy = 0;
    for (int i = 1; i <= (int)n; i++) {
        char key[32];
        snprintf(key, sizeof(key), "draw.%d", i);
        snprintf(rd->where, sizeof(rd->where), "[draw] %d", i);
        const char *spec = form_layout_extra(rd->l, key);
        if (!spec)
            return bad(rd, N_("missing: every element from 1 to count is listed once"));
        struct pdflayout_element *e = &p->elements[p->count];
        memset(e, 0, sizeof(*e));
        e->line = i;
        e->field = -1;
        int is_at;
        enum mnv_err err = element(rd, p, spec, &ox, &oy, e, &is_at);
        if (err != MNV_OK)
            return err;
        if (!is_at)
            p->count++;
    }
    snprintf(rd->where, sizeof(rd->where), "[draw] count");
    if (p->count == 0)
        return bad(rd, N_("at least one element that draws (at only moves the origin)"));
    return MNV_OK;
}

enum mnv_err pdflayout_read(const struct form_layout *l, struct pdflayout **out,
                            struct mnv_diag *diag)
{
    *out = NULL;
    struct reader rd = {.l = l, .diag = diag};
    struct pdflayout *p = calloc(1, sizeof(*p));
    if (!p)
        return MNV_ERR_NOMEM;
    snprintf(rd.where, sizeof(rd.where), "[form] output");
    enum mnv_err err = l->output == FORM_OUTPUT_PDF
                           ? MNV_OK
                           : bad(&rd, N_("this is not a printed form (output = pdf)"));
    if (err == MNV_OK)
        err = read_sheet(&rd, p);
    if (err == MNV_OK)
        err = read_draw(&rd, p);
    if (err != MNV_OK) {
        pdflayout_free(p);
        return err;
    }
    *out = p;
    return MNV_OK;
}

void pdflayout_free(struct pdflayout *p)
{
    if (!p)
        return;
    free(p->elements);
    free(p);
}

int pdflayout_on_copy(const struct pdflayout_element *e, size_t i)
{
    return e->copies == 0 || (i < 32 && (e->copies & (1u << i)) != 0);
}

char *pdflayout_value(const struct pdflayout_element *e, const char *value, char *buf, size_t size)
{
    for (size_t i = 0; i < e->nmap; i++)
        if (strcmp(e->map[i].from, value) == 0) {
            snprintf(buf, size, "%s", e->map[i].to);
            return buf;
        }
    if (e->nmap > 0 && value[0])
        return NULL;
    if (e->wareki && value[0])
        return wareki_format(buf, size, value, 0);
    if (e->trim0 || e->comma)
        while (value[0] == '0' && value[1] >= '0' && value[1] <= '9')
            value++;
    size_t n = strlen(value), k = 0;
    if (!e->comma || strspn(value, "0123456789") != n) {
        snprintf(buf, size, "%s", value);
        return buf;
    }
    for (size_t i = 0; i < n && k + 2 < size; i++) {
        if (i > 0 && (n - i) % 3 == 0)
            buf[k++] = ',';
        buf[k++] = value[i];
    }
    buf[k] = '\0';
    return buf;
}

int pdflayout_mark_on(const struct pdflayout_element *e, const char *value)
{
    if (e->when[0])
        return strcmp(value, e->when) == 0;
    return value[0] && strcmp(value, "0") != 0;
}
