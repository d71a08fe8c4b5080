/*
 * scan/xml.c: the text of the XML parts of office documents (part of the scan module, see
 * scan.h). OOXML (.docx .xlsx .pptx) and OpenDocument (.odt .ods) keep their text in XML;
 * it is reduced to lines of text before the core scans it.
 *
 * Word and friends split a number over several runs ("1234" "5678" "9018" in three <w:t>
 * elements), so inside a paragraph (w:p, a:p, text:p, text:h, and a spreadsheet's shared
 * or inline string si / is) tags vanish and runs join. Everywhere else, and at the tags of
 * paragraphs, cells, rows, line breaks and the like, a tag is a break: digits of separate
 * elements (a document's page and word counts, a chart's values) never run together.
 * Attribute values are not text and are skipped, except where they hold a cell's value.
 *
 * Spreadsheets keep numbers as numbers: an .xlsx cell <c><v>1.23456789018E11</v></c> (as
 * Apache POI writes a double) or an .ods cell office:value="123456789018" shown as
 * "1.23457E+11" or "123,456,789,018". Such a value is written out as the whole number it
 * is (with the leading zero a numeric cell drops: 11 digits become 12), and an .ods
 * cell's display text is then left out (it says the same). The index of a shared string
 * (t="s") is not text.
 */
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/secmem.h"
#include "mnvault/utf8.h"
#include "priv.h"

/* A growing text buffer; its content is file content, so it is wiped when freed. */
struct tbuf {
    char *p;
    size_t n, cap;
    int oom;
};

/* The reduction of one XML part. */
struct xml {
    struct tbuf t;
    int para;       /* paragraphs open around the current point */
    int depth;      /* elements open */
    int skip_until; /* > 0: leave text out until the element open at this depth closes */
    int in_value;   /* inside the <v> of a numeric .xlsx cell */
    int cell;       /* in an .xlsx <c>: 0 none, 1 a number, 2 a shared string, 3 other */
    char value[64]; /* the <v> text of a numeric cell */
    size_t vn;
};

static void tb_put(struct tbuf *t, const char *s, size_t n)
{
    if (t->oom || n == 0)
        return;
    if (t->cap - t->n < n) {
        /* The text may hold numbers: old blocks are wiped (from 4 KiB, doubling). */
        size_t need = n > SIZE_MAX - t->n ? SIZE_MAX : t->n + n;
        char *p = alloc_grow_wiped(t->p, &t->cap, t->n, need < 4096 ? 4096 : need, 1);
        if (!p) {
            t->oom = 1;
            return;
        }
        t->p = p;
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

static int local_is(const char *name, size_t n, const char *want)
{
    const char *colon = memchr(name, ':', n);
    const char *local = colon ? colon + 1 : name;
    size_t ln = n - (size_t)(local - name);
    return strlen(want) == ln && memcmp(local, want, ln) == 0;
}

/* Paragraph-like elements: inside them, runs join. */
static int is_para(const char *name, size_t n)
{
    return local_is(name, n, "p") || local_is(name, n, "h") || local_is(name, n, "si") ||
           local_is(name, n, "is");
}

/* What a tag turns into inside a paragraph: 0 nothing, or the character that replaces it. */
static char tag_break(const char *name, size_t n)
{
    static const char *const lines[] = {
        "tc",
        "tr",
        "br",
        "cr",
        "c",
        "row",
        "rPh",
        "f",
        "v",
        "table-cell",
        "covered-table-cell",
        "table-row",
        "line-break",
        "list-item",
        "comment",
        "txBody",
        "tbl",
        "sp",
        "footnote",
        "endnote",
        "hdr",
        "ftr",
        "annotation",
        "note",
        "frame",
    };
    if (n == 6 && memcmp(name, "text:s", 6) == 0)
        return ' '; /* OpenDocument's space element */
    if (local_is(name, n, "tab"))
        return '\t';
    if (local_is(name, n, "noBreakHyphen"))
        return '-';
    for (size_t i = 0; i < MNV_ARRAY_LEN(lines); i++)
        if (local_is(name, n, lines[i]))
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

/*
 * whole_number: a spreadsheet value ("614106526000", "1.23456789018E11", "123456789018.0")
 * as the digits of the whole number it is, into out (size >= 24); 0 when it is not a
 * whole number of at most 20 digits (then the value is written as it stands).
 */
static int whole_number(const char *v, size_t n, char *out)
{
    char m[48];
    size_t mn = 0, i = 0;
    long frac = 0, ex = 0;
    int dot = 0;
    if (i < n && (v[i] == '-' || v[i] == '+'))
        i++;
    for (; i < n && ((v[i] >= '0' && v[i] <= '9') || (v[i] == '.' && !dot)); i++) {
        if (v[i] == '.') {
            dot = 1;
            continue;
        }
        if (mn + 1 >= sizeof(m))
            return 0;
        m[mn++] = v[i];
        frac += dot;
    }
    if (i < n && (v[i] == 'e' || v[i] == 'E')) {
        int neg = 0;
        i++;
        if (i < n && (v[i] == '-' || v[i] == '+'))
            neg = v[i++] == '-';
        if (i == n)
            return 0;
        for (; i < n && v[i] >= '0' && v[i] <= '9'; i++)
            if ((ex = ex * 10 + (v[i] - '0')) > 40)
                return 0;
        ex = neg ? -ex : ex;
    }
    if (i != n || mn == 0)
        return 0;
    long shift = ex - frac; /* value = m * 10^shift */
    if (shift < 0) {
        for (long k = 0; k < -shift; k++) /* the dropped digits must be zeros */
            if ((long)mn - 1 - k < 0 || m[mn - 1 - k] != '0')
                return 0;
        mn -= (size_t)-shift;
    } else {
        if (mn + (size_t)shift + 1 >= sizeof(m))
            return 0;
        memset(m + mn, '0', (size_t)shift);
        mn += (size_t)shift;
    }
    size_t lead = 0;
    while (lead + 1 < mn && m[lead] == '0' &&
           (mn != 12 && mn != 13)) /* "003747057612" as written */
        lead++;
    if (mn - lead > 20 || mn == 0)
        return 0;
    /* A number typed into a numeric cell loses its leading zero: 11 digits were 12. */
    size_t o = 0;
    if (mn - lead == 11)
        out[o++] = '0';
    memcpy(out + o, m + lead, mn - lead);
    out[o + mn - lead] = '\0';
    return 1;
}

/* A number from a cell, as its digits when it is a whole number, on a line of its own. */
static void put_value(struct tbuf *t, const char *v, size_t n)
{
    char digits[24];
    tb_break(t);
    if (whole_number(v, n, digits))
        tb_put(t, digits, strlen(digits));
    else
        tb_put(t, v, n);
    tb_break(t);
}

/* The value of attribute name in the tag text s[0..n), or NULL (*vn its length). */
static const char *attr(const char *s, size_t n, const char *name, size_t *vn)
{
    size_t k = strlen(name);
    for (size_t i = 0; i + k + 2 < n; i++) {
        if ((s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r') ||
            memcmp(s + i + 1, name, k) != 0 || s[i + 1 + k] != '=')
            continue;
        char q = s[i + 2 + k];
        if (q != '"' && q != '\'')
            continue;
        const char *v = s + i + 3 + k;
        const char *end = memchr(v, q, n - (size_t)(v - s));
        if (!end)
            return NULL;
        *vn = (size_t)(end - v);
        return v;
    }
    return NULL;
}

/* Cells: an .xlsx <c> (by its t attribute), an .ods float cell (its value written, its
 * display text left out). */
static void cell_start(struct xml *x, const char *name, size_t nl, const char *tag, size_t tn)
{
    size_t vn;
    if (local_is(name, nl, "c")) {
        const char *t = attr(tag, tn, "t", &vn);
        x->cell = !t || (vn == 1 && t[0] == 'n') ? 1 : (vn == 1 && t[0] == 's') ? 2 : 3;
    } else if (local_is(name, nl, "table-cell")) {
        const char *type = attr(tag, tn, "office:value-type", &vn);
        if (type && ((vn == 5 && memcmp(type, "float", 5) == 0) ||
                     (vn == 8 && memcmp(type, "currency", 8) == 0) ||
                     (vn == 10 && memcmp(type, "percentage", 10) == 0))) {
            const char *v = attr(tag, tn, "office:value", &vn);
            if (v) {
                put_value(&x->t, v, vn);
                x->skip_until = x->depth;
            }
        }
    }
}

/* One tag s[0..n) (from '<' to after '>'): breaks, paragraphs, cells. */
static void on_tag(struct xml *x, const char *s, size_t n)
{
    int end = n > 1 && s[1] == '/';
    int empty = n > 2 && s[n - 2] == '/';
    size_t j = end ? 2 : 1, name = j;
    while (j < n && s[j] != '>' && s[j] != '/' && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' &&
           s[j] != '\r')
        j++;
    const char *nm = s + name;
    size_t nl = j - name;
    if (!end) {
        x->depth++;
        cell_start(x, nm, nl, s, n);
        if (x->cell == 1 && local_is(nm, nl, "v") && !empty) {
            x->in_value = 1;
            x->vn = 0;
        }
    }
    if (end && x->in_value && local_is(nm, nl, "v")) {
        put_value(&x->t, x->value, x->vn);
        x->in_value = 0;
    }
    char br = tag_break(nm, nl);
    if (is_para(nm, nl)) {
        x->para += end ? -1 : (empty ? 0 : 1);
        if (x->para < 0)
            x->para = 0;
        tb_break(&x->t);
    } else if (br == '\n' || (!br && x->para == 0)) {
        tb_break(&x->t);
    } else if (br && x->skip_until == 0) {
        tb_putc(&x->t, br);
    }
    if (end || empty) {
        if (end && local_is(nm, nl, "c"))
            x->cell = 0;
        if (x->skip_until && x->depth == x->skip_until)
            x->skip_until = 0;
        x->depth -= x->depth > 0;
    }
}

/* Skip a markup construct starting at s[i] == '<'; returns the index after it. */
static size_t markup(struct xml *x, const char *s, size_t n, size_t i)
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
        if (k == 1 && !x->skip_until) /* CDATA is text */
            tb_put(&x->t, s + i + ol, stop - i - ol);
        return end ? stop + cl : n;
    }
    /* An element tag: quoted attribute values may hold '>'. */
    size_t j = i + 1;
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
    size_t stop = j < n ? j + 1 : n;
    on_tag(x, s + i, stop - i);
    return stop;
}

/* Text between two tags: entities decoded; line ends in it are white space, and a node of
 * nothing but white space with a line end (indentation of the XML) is a break. */
static void put_text(struct xml *x, const char *s, size_t n)
{
    if (x->skip_until)
        return;
    if (x->in_value) { /* a numeric cell's value, written out at </v> */
        size_t k = n < sizeof(x->value) - x->vn ? n : sizeof(x->value) - x->vn;
        memcpy(x->value + x->vn, s, k);
        x->vn += k;
        return;
    }
    if (x->cell == 2)
        return; /* the index of a shared string */
    struct tbuf *t = &x->t;
    size_t blank = 0;
    while (blank < n &&
           (s[blank] == ' ' || s[blank] == '\t' || s[blank] == '\r' || s[blank] == '\n'))
        blank++;
    if (blank == n) {
        if (memchr(s, '\n', n) || memchr(s, '\r', n))
            tb_break(t);
        else if (x->para)
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

void scan_xml_part(struct scan_ctx *c, const uint8_t *data, size_t len)
{
    /* XML in UTF-16 is rare in these files; scan it as plain text. */
    if (len >= 2 &&
        ((data[0] == 0xFF && data[1] == 0xFE) || (data[0] == 0xFE && data[1] == 0xFF))) {
        scan_blob(c, data, len);
        return;
    }
    struct xml x;
    memset(&x, 0, sizeof(x));
    const char *s = (const char *)data;
    size_t i = 0;
    while (i < len && !x.t.oom) {
        const char *lt = memchr(s + i, '<', len - i);
        size_t stop = lt ? (size_t)(lt - s) : len;
        if (stop > i)
            put_text(&x, s + i, stop - i);
        i = stop;
        if (lt)
            i = markup(&x, s, len, i);
        if ((i & 0xFFFFF) < 64 && scan_deadline(c))
            break;
    }
    if (x.t.oom)
        c->nomem = 1;
    else
        scan_text(c, (const uint8_t *)x.t.p, x.t.n, SCAN_ENC_UTF8);
    scan_bytes_free(x.t.p, x.t.cap);
    secmem_wipe(x.value, sizeof(x.value));
}
