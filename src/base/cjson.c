#include "mnvault/cjson.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/strbuf.h"
#include "mnvault/utf8.h"

#define MAX_DEPTH 16

struct member {
    char *name;
    struct cjson *v;
};

struct cjson {
    enum cjson_type type;
    int64_t n;   /* BOOL, INT */
    char *s;     /* STRING */
    void *items; /* ARRAY: struct cjson **; OBJECT: struct member * */
    size_t count, cap;
};

static struct cjson *node(enum cjson_type t)
{
    struct cjson *v = calloc(1, sizeof(*v));
    if (v)
        v->type = t;
    return v;
}

struct cjson *cjson_null(void)
{
    return node(CJSON_NULL);
}

struct cjson *cjson_bool(int b)
{
    struct cjson *v = node(CJSON_BOOL);
    if (v)
        v->n = b != 0;
    return v;
}

struct cjson *cjson_int(int64_t n)
{
    struct cjson *v = node(CJSON_INT);
    if (v)
        v->n = n;
    return v;
}

struct cjson *cjson_string(const char *s)
{
    if (!utf8_valid(s, strlen(s)))
        return NULL;
    struct cjson *v = node(CJSON_STRING);
    if (v && !(v->s = strdup(s))) {
        free(v);
        v = NULL;
    }
    return v;
}

struct cjson *cjson_array(void)
{
    return node(CJSON_ARRAY);
}

struct cjson *cjson_object(void)
{
    return node(CJSON_OBJECT);
}

void cjson_free(struct cjson *v)
{
    if (!v)
        return;
    if (v->type == CJSON_ARRAY) {
        struct cjson **it = v->items;
        for (size_t i = 0; i < v->count; i++)
            cjson_free(it[i]);
    } else if (v->type == CJSON_OBJECT) {
        struct member *m = v->items;
        for (size_t i = 0; i < v->count; i++) {
            free(m[i].name);
            cjson_free(m[i].v);
        }
    }
    free(v->items);
    free(v->s);
    free(v);
}

static int grow(struct cjson *c, size_t size)
{
    void *n = alloc_grow(c->items, &c->cap, c->count + 1, size);
    if (!n)
        return -1;
    c->items = n;
    return 0;
}

int cjson_add(struct cjson *a, struct cjson *v)
{
    if (!a || !v || a->type != CJSON_ARRAY || grow(a, sizeof(struct cjson *)) < 0) {
        cjson_free(v);
        return -1;
    }
    ((struct cjson **)a->items)[a->count++] = v;
    return 0;
}

int cjson_set(struct cjson *o, const char *name, struct cjson *v)
{
    if (!o || !v || o->type != CJSON_OBJECT || !utf8_valid(name, strlen(name))) {
        cjson_free(v);
        return -1;
    }
    struct member *m = o->items;
    for (size_t i = 0; i < o->count; i++) {
        if (strcmp(m[i].name, name) == 0) {
            cjson_free(m[i].v);
            m[i].v = v;
            return 0;
        }
    }
    char *copy = strdup(name);
    if (!copy || grow(o, sizeof(struct member)) < 0) {
        free(copy);
        cjson_free(v);
        return -1;
    }
    m = o->items;
    m[o->count].name = copy;
    m[o->count].v = v;
    o->count++;
    return 0;
}

struct cjson *cjson_detach(struct cjson *o, const char *name)
{
    if (!o || o->type != CJSON_OBJECT)
        return NULL;
    struct member *m = o->items;
    for (size_t i = 0; i < o->count; i++) {
        if (strcmp(m[i].name, name) == 0) {
            struct cjson *v = m[i].v;
            free(m[i].name);
            memmove(&m[i], &m[i + 1], (o->count - i - 1) * sizeof(*m));
            o->count--;
            return v;
        }
    }
    return NULL;
}

int cjson_set_str(struct cjson *o, const char *name, const char *s)
{
    return cjson_set(o, name, cjson_string(s));
}

int cjson_set_int(struct cjson *o, const char *name, int64_t n)
{
    return cjson_set(o, name, cjson_int(n));
}

enum cjson_type cjson_type(const struct cjson *v)
{
    return v ? v->type : CJSON_NULL;
}

const struct cjson *cjson_get(const struct cjson *o, const char *name)
{
    if (!o || o->type != CJSON_OBJECT)
        return NULL;
    const struct member *m = o->items;
    for (size_t i = 0; i < o->count; i++)
        if (strcmp(m[i].name, name) == 0)
            return m[i].v;
    return NULL;
}

const char *cjson_str(const struct cjson *v)
{
    return v && v->type == CJSON_STRING ? v->s : NULL;
}

int64_t cjson_intval(const struct cjson *v)
{
    return v && (v->type == CJSON_INT || v->type == CJSON_BOOL) ? v->n : 0;
}

size_t cjson_count(const struct cjson *v)
{
    return v && (v->type == CJSON_ARRAY || v->type == CJSON_OBJECT) ? v->count : 0;
}

const struct cjson *cjson_at(const struct cjson *a, size_t i)
{
    if (!a || a->type != CJSON_ARRAY || i >= a->count)
        return NULL;
    return ((struct cjson **)a->items)[i];
}

/* ---- writing ------------------------------------------------------------------------------ */

/* The text is written into a strbuf; its out-of-memory error is sticky, checked at the end. */
static void put(struct strbuf *b, const char *s, size_t n)
{
    (void)strbuf_add(b, s, n);
}

static void put_string(struct strbuf *b, const char *s)
{
    put(b, "\"", 1);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        char esc[8];
        switch (*p) {
        case '"':
            put(b, "\\\"", 2);
            break;
        case '\\':
            put(b, "\\\\", 2);
            break;
        case '\b':
            put(b, "\\b", 2);
            break;
        case '\f':
            put(b, "\\f", 2);
            break;
        case '\n':
            put(b, "\\n", 2);
            break;
        case '\r':
            put(b, "\\r", 2);
            break;
        case '\t':
            put(b, "\\t", 2);
            break;
        default:
            if (*p < 0x20) {
                snprintf(esc, sizeof(esc), "\\u%04x", *p);
                put(b, esc, 6);
            } else {
                put(b, (const char *)p, 1);
            }
        }
    }
    put(b, "\"", 1);
}

static int member_cmp(const void *a, const void *b)
{
    return strcmp(((const struct member *)a)->name, ((const struct member *)b)->name);
}

static void put_value(struct strbuf *b, const struct cjson *v)
{
    char num[32];
    switch (v->type) {
    case CJSON_NULL:
        put(b, "null", 4);
        break;
    case CJSON_BOOL:
        put(b, v->n ? "true" : "false", v->n ? 4 : 5);
        break;
    case CJSON_INT:
        put(b, num, (size_t)snprintf(num, sizeof(num), "%lld", (long long)v->n));
        break;
    case CJSON_STRING:
        put_string(b, v->s);
        break;
    case CJSON_ARRAY:
        put(b, "[", 1);
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                put(b, ",", 1);
            put_value(b, ((struct cjson **)v->items)[i]);
        }
        put(b, "]", 1);
        break;
    case CJSON_OBJECT: {
        /* Sorted by name, on a copy: the tree itself keeps the order it was built in. */
        struct member *m = malloc((v->count ? v->count : 1) * sizeof(*m));
        if (!m) {
            b->failed = 1; /* the text is incomplete: strbuf_error() says so */
            return;
        }
        if (v->count) { /* an empty object has no items (memcpy and qsort want a pointer) */
            memcpy(m, v->items, v->count * sizeof(*m));
            qsort(m, v->count, sizeof(*m), member_cmp);
        }
        put(b, "{", 1);
        for (size_t i = 0; i < v->count; i++) {
            if (i)
                put(b, ",", 1);
            put_string(b, m[i].name);
            put(b, ":", 1);
            put_value(b, m[i].v);
        }
        put(b, "}", 1);
        free(m);
        break;
    }
    }
}

enum mnv_err cjson_write_to(const struct cjson *v, struct strbuf *sb)
{
    put_value(sb, v);
    return strbuf_error(sb);
}

enum mnv_err cjson_write(const struct cjson *v, char **out, size_t *len)
{
    struct strbuf b = STRBUF_INIT;
    *out = cjson_write_to(v, &b) == MNV_OK ? strbuf_detach(&b, len) : NULL;
    strbuf_release(&b);
    if (!*out) {
        *len = 0;
        return MNV_ERR_NOMEM;
    }
    return MNV_OK;
}

/* ---- reading ------------------------------------------------------------------------------ */

struct parser {
    const char *s;
    size_t len, at;
    int depth;
};

static void skip_ws(struct parser *p)
{
    while (p->at < p->len && (p->s[p->at] == ' ' || p->s[p->at] == '\t' || p->s[p->at] == '\n' ||
                              p->s[p->at] == '\r'))
        p->at++;
}

static int hex4(struct parser *p, unsigned *out)
{
    if (p->at + 4 > p->len)
        return -1;
    unsigned v = 0;
    for (int i = 0; i < 4; i++) {
        char c = p->s[p->at++];
        v <<= 4;
        if (c >= '0' && c <= '9')
            v |= (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f')
            v |= (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            v |= (unsigned)(c - 'A' + 10);
        else
            return -1;
    }
    *out = v;
    return 0;
}

static void put_utf8(struct strbuf *b, unsigned cp)
{
    char u[4];
    size_t n;
    if (cp < 0x80) {
        u[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        u[0] = (char)(0xE0 | (cp >> 12));
        u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        u[0] = (char)(0xF0 | (cp >> 18));
        u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        u[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    put(b, u, n);
}

/* An escape after the backslash (already consumed) into b; -1 if malformed. */
static int escape(struct parser *p, struct strbuf *b)
{
    if (p->at >= p->len)
        return -1;
    char c = p->s[p->at++];
    static const char from[] = "\"\\/bfnrt", to[] = "\"\\/\b\f\n\r\t";
    const char *k = strchr(from, c);
    if (c && k) {
        put(b, &to[k - from], 1);
        return 0;
    }
    unsigned cp, lo;
    if (c != 'u' || hex4(p, &cp) < 0)
        return -1;
    if (cp >= 0xDC00 && cp <= 0xDFFF)
        return -1;
    if (cp >= 0xD800 && cp <= 0xDBFF) { /* a surrogate pair */
        if (p->at + 2 > p->len || p->s[p->at] != '\\' || p->s[p->at + 1] != 'u')
            return -1;
        p->at += 2;
        if (hex4(p, &lo) < 0 || lo < 0xDC00 || lo > 0xDFFF)
            return -1;
        cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
    }
    if (cp == 0)
        return -1; /* our strings are C strings */
    put_utf8(b, cp);
    return 0;
}

static char *parse_string(struct parser *p)
{
    if (p->at >= p->len || p->s[p->at] != '"')
        return NULL;
    p->at++;
    struct strbuf b = STRBUF_INIT;
    while (p->at < p->len && p->s[p->at] != '"') {
        unsigned char c = (unsigned char)p->s[p->at];
        if (c < 0x20 || (c == '\\' && (p->at++, escape(p, &b) < 0))) {
            strbuf_release(&b);
            return NULL;
        }
        if (c != '\\') {
            put(&b, &p->s[p->at], 1);
            p->at++;
        }
    }
    if (p->at >= p->len || strbuf_error(&b) != MNV_OK || !utf8_valid(strbuf_str(&b), b.len)) {
        strbuf_release(&b);
        return NULL;
    }
    p->at++;
    return strbuf_detach(&b, NULL); /* "" for an empty string; NULL when out of memory */
}

static struct cjson *parse_value(struct parser *p);

static struct cjson *parse_number(struct parser *p)
{
    size_t start = p->at;
    if (p->at < p->len && p->s[p->at] == '-')
        p->at++;
    size_t digits = p->at;
    while (p->at < p->len && p->s[p->at] >= '0' && p->s[p->at] <= '9')
        p->at++;
    size_t n = p->at - digits;
    if (n == 0 || n > 18 || (n > 1 && p->s[digits] == '0'))
        return NULL;
    if (p->at < p->len && strchr(".eE", p->s[p->at]))
        return NULL; /* whole numbers only */
    char tmp[24];
    memcpy(tmp, p->s + start, p->at - start);
    tmp[p->at - start] = '\0';
    return cjson_int(strtoll(tmp, NULL, 10));
}

static int word(struct parser *p, const char *w)
{
    size_t n = strlen(w);
    if (p->at + n > p->len || memcmp(p->s + p->at, w, n) != 0)
        return 0;
    p->at += n;
    return 1;
}

static struct cjson *parse_array(struct parser *p)
{
    struct cjson *a = cjson_array();
    p->at++;
    skip_ws(p);
    if (p->at < p->len && p->s[p->at] == ']') {
        p->at++;
        return a;
    }
    for (; a;) {
        if (cjson_add(a, parse_value(p)) < 0) {
            cjson_free(a);
            return NULL;
        }
        skip_ws(p);
        if (p->at < p->len && p->s[p->at] == ',') {
            p->at++;
            continue;
        }
        if (p->at < p->len && p->s[p->at] == ']') {
            p->at++;
            return a;
        }
        break;
    }
    cjson_free(a);
    return NULL;
}

static struct cjson *parse_object(struct parser *p)
{
    struct cjson *o = cjson_object();
    p->at++;
    skip_ws(p);
    if (p->at < p->len && p->s[p->at] == '}') {
        p->at++;
        return o;
    }
    for (; o;) {
        skip_ws(p);
        char *name = parse_string(p);
        skip_ws(p);
        if (!name || p->at >= p->len || p->s[p->at] != ':' || cjson_get(o, name)) {
            free(name); /* a duplicate name is refused: which one would be meant? */
            break;
        }
        p->at++;
        int rc = cjson_set(o, name, parse_value(p));
        free(name);
        if (rc < 0)
            break;
        skip_ws(p);
        if (p->at < p->len && p->s[p->at] == ',') {
            p->at++;
            continue;
        }
        if (p->at < p->len && p->s[p->at] == '}') {
            p->at++;
            return o;
        }
        break;
    }
    cjson_free(o);
    return NULL;
}

static struct cjson *parse_value(struct parser *p)
{
    skip_ws(p);
    if (p->at >= p->len || ++p->depth > MAX_DEPTH)
        return NULL;
    struct cjson *v = NULL;
    char c = p->s[p->at];
    if (c == '{') {
        v = parse_object(p);
    } else if (c == '[') {
        v = parse_array(p);
    } else if (c == '"') {
        char *s = parse_string(p);
        if (s) {
            v = cjson_string(s);
            free(s);
        }
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        v = parse_number(p);
    } else if (word(p, "true")) {
        v = cjson_bool(1);
    } else if (word(p, "false")) {
        v = cjson_bool(0);
    } else if (word(p, "null")) {
        v = cjson_null();
    }
    p->depth--;
    return v;
}

enum mnv_err cjson_parse(const char *text, size_t len, struct cjson **out, struct mnv_diag *diag)
{
    struct parser p = {text, len, 0, 0};
    *out = parse_value(&p);
    skip_ws(&p);
    if (*out && p.at == len)
        return MNV_OK;
    cjson_free(*out);
    *out = NULL;
    if (diag)
        diag->column = (long)p.at + 1;
    return MNV_ERR_INVALID;
}
