/*
 * formrec.c: one record of a form: its values in locked memory, the conversions the NTA
 * standard allows, and the check of every value against its field (form.h).
 */
#include "mnvault/form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "form_priv.h"
#include "mnvault/mynumber.h"
#include "mnvault/numtext.h"
#include "mnvault/secmem.h"
#include "mnvault/sjis.h"
#include "mnvault/textfold.h"
#include "mnvault/utf8.h"

/* Room for a field's value: enough for `length` characters after any conversion. */
static size_t room(const struct form_field *f)
{
    return (size_t)f->length * 12 + 16;
}

enum mnv_err form_record_new(const struct form_layout *l, struct form_record **out)
{
    *out = NULL;
    struct form_record *r = calloc(1, sizeof(*r));
    if (!r)
        return MNV_ERR_NOMEM;
    r->layout = l;
    r->values = calloc(l->nfields ? l->nfields : 1, sizeof(*r->values));
    r->cap = calloc(l->nfields ? l->nfields : 1, sizeof(*r->cap));
    for (size_t i = 0; i < l->nfields; i++)
        r->arena_len += room(&l->fields[i]);
    r->arena = r->values && r->cap ? secmem_alloc(r->arena_len + 1 + FORM_SCRATCH_SIZE) : NULL;
    if (!r->arena) {
        form_record_free(r);
        return MNV_ERR_NOMEM;
    }
    r->scratch = r->arena + r->arena_len + 1;
    size_t off = 0;
    for (size_t i = 0; i < l->nfields; i++) {
        r->values[i] = r->arena + off;
        r->cap[i] = room(&l->fields[i]);
        off += r->cap[i];
    }
    *out = r;
    return MNV_OK;
}

char *form_record_scratch(struct form_record *r)
{
    return r->scratch;
}

void form_record_free(struct form_record *r)
{
    if (!r)
        return;
    secmem_free(r->arena);
    free(r->values);
    free(r->cap);
    free(r);
}

void form_record_clear(struct form_record *r)
{
    secmem_wipe(r->arena, r->arena_len);
    memset(&r->person, 0, sizeof(r->person));
    r->code[0] = r->group[0] = '\0';
    r->line = 0;
    r->numbers = 0;
}

enum mnv_err form_record_set(struct form_record *r, size_t i, const char *value,
                             struct mnv_diag *diag)
{
    if (i >= r->layout->nfields)
        return MNV_ERR_RANGE;
    size_t n = strlen(value);
    if (n >= r->cap[i]) {
        mnv_diag_item(diag, "%s", r->layout->fields[i].name);
        return MNV_ERR_FORM_FIELD_LONG;
    }
    secmem_wipe(r->values[i], r->cap[i]);
    memcpy(r->values[i], value, n + 1);
    return MNV_OK;
}

enum mnv_err form_record_set_item(struct form_record *r, const char *item, const char *value,
                                  struct mnv_diag *diag)
{
    for (size_t i = 0; i < r->layout->nfields; i++) {
        if (strcmp(r->layout->fields[i].item, item) != 0)
            continue;
        enum mnv_err err = form_record_set(r, i, value, diag);
        if (err != MNV_OK)
            return err;
    }
    return MNV_OK;
}

const char *form_record_get(const struct form_record *r, size_t i)
{
    return i < r->layout->nfields ? r->values[i] : "";
}

/* ---- conversions ----------------------------------------------------------------------- */

/* The parenthesised ideographs ㈠ (U+3220) to ㉃ (U+3243): the ideograph inside. */
static const char *const parenthesised[] = {
    "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "月", "火",
    "水", "木", "金", "土", "日", "株", "有", "社", "名", "特", "財", "祝",
    "労", "代", "呼", "学", "監", "企", "資", "協", "祭", "休", "自", "至",
};

struct conv {
    char *out;
    size_t size, used;
    int overflow;
};

static void put_cp(struct conv *c, uint32_t cp)
{
    char enc[4];
    int n = utf8_encode(cp, enc);
    if (n <= 0 || c->used + (size_t)n >= c->size) {
        c->overflow = 1;
        return;
    }
    memcpy(c->out + c->used, enc, (size_t)n);
    c->used += (size_t)n;
}

static void put_str(struct conv *c, const char *s)
{
    size_t n = strlen(s);
    if (c->used + n >= c->size) {
        c->overflow = 1;
        return;
    }
    memcpy(c->out + c->used, s, n);
    c->used += n;
}

/* Half-width punctuation and marks that are not letters: their full-width forms. */
static uint32_t half_punct_full(uint32_t c)
{
    switch (c) {
    case 0xFF61:
        return 0x3002; /* ｡ → 。 */
    case 0xFF62:
        return 0x300C; /* ｢ → 「 */
    case 0xFF63:
        return 0x300D; /* ｣ → 」 */
    case 0xFF64:
        return 0x3001; /* ､ → 、 */
    case 0xFF65:
        return 0x30FB; /* ･ → ・ */
    case 0xFF9E:
        return 0x309B; /* ﾞ → ゛ */
    case 0xFF9F:
        return 0x309C; /* ﾟ → ゜ */
    default:
        return 0;
    }
}

/* 全角 fields: half-width kana, ASCII and parenthesised ideographs to full width. */
static void fit_full(const char *in, size_t len, struct conv *c)
{
    uint32_t pending = 0; /* a katakana letter that a mark may still join */
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(in + i, len - i, &cp);
        if (n < 0) { /* left for the check to refuse */
            put_str(c, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        i += (size_t)n;
        if (pending) {
            uint32_t joined = textfold_kana_mark(pending, cp);
            put_cp(c, joined ? joined : pending);
            pending = 0;
            if (joined)
                continue;
        }
        uint32_t k = textfold_kana_full(cp);
        if (k || (cp >= 0x30A1 && cp <= 0x30FA)) {
            pending = k ? k : cp;
            continue;
        }
        if (half_punct_full(cp))
            put_cp(c, half_punct_full(cp));
        else if (cp == ' ')
            put_cp(c, 0x3000);
        else if (cp > 0x20 && cp < 0x7F)
            put_cp(c, 0xFF01 + (cp - 0x21));
        else if (cp >= 0x3220 && cp <= 0x3243) {
            put_cp(c, 0xFF08);
            put_str(c, parenthesised[cp - 0x3220]);
            put_cp(c, 0xFF09);
        } else
            put_cp(c, cp);
    }
    if (pending)
        put_cp(c, pending);
}

/* The half-width katakana for a full-width one (without marks), or 0. */
static uint32_t kana_half(uint32_t k)
{
    for (uint32_t h = 0xFF66; h <= 0xFF9D; h++)
        if (textfold_kana_full(h) == k)
            return h;
    return 0;
}

/* Half-width kana fields: full-width katakana (and ・, space) to half width. */
static void fit_kana(const char *in, size_t len, struct conv *c)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(in + i, len - i, &cp);
        if (n < 0) {
            put_str(c, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        i += (size_t)n;
        uint32_t h = 0, mark = 0;
        if (cp >= 0x30A1 && cp <= 0x30FC && !(h = kana_half(cp))) {
            for (uint32_t b = cp - 2; b <= cp - 1 && !h; b++) { /* ガ = カ + ﾞ, パ = ハ + ﾟ */
                if (textfold_kana_mark(b, 0xFF9E) == cp)
                    mark = 0xFF9E;
                else if (textfold_kana_mark(b, 0xFF9F) == cp)
                    mark = 0xFF9F;
                if (mark)
                    h = kana_half(b);
            }
            if (!h && cp == 0x30F4) { /* ヴ = ウ + ﾞ */
                h = kana_half(0x30A6);
                mark = 0xFF9E;
            }
        }
        if (cp == 0x3000)
            h = ' ';
        else if (cp == 0x30FB)
            h = 0xFF65;
        else if (cp == 0x309B || cp == 0x309C)
            h = cp == 0x309B ? 0xFF9E : 0xFF9F;
        put_cp(c, h ? h : cp);
        if (h && mark)
            put_cp(c, mark);
    }
}

/* Other half-width fields: full-width ASCII to ASCII. */
static void fit_half(const char *in, size_t len, struct conv *c)
{
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = utf8_decode(in + i, len - i, &cp);
        if (n < 0) {
            put_str(c, "\xEF\xBF\xBD");
            i++;
            continue;
        }
        i += (size_t)n;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp = 0x21 + (cp - 0xFF01);
        else if (cp == 0x3000)
            cp = ' ';
        put_cp(c, cp);
    }
}

enum mnv_err form_record_fit(struct form_record *r, struct mnv_diag *diag)
{
    enum mnv_err err = MNV_OK;
    char *tmp = r->scratch;
    for (size_t i = 0; i < r->layout->nfields && err == MNV_OK; i++) {
        const struct form_field *f = &r->layout->fields[i];
        const char *v = r->values[i];
        if (!v[0])
            continue;
        struct conv c = {tmp, r->cap[i], 0, 0};
        if (f->width == FORM_FULL)
            fit_full(v, strlen(v), &c);
        else if (f->chars == FORM_CHARS_KANA || f->chars == FORM_CHARS_KANATEXT)
            fit_kana(v, strlen(v), &c);
        else
            fit_half(v, strlen(v), &c);
        if (c.overflow) {
            mnv_diag_item(diag, "%s", f->name);
            err = MNV_ERR_FORM_FIELD_LONG;
        } else {
            tmp[c.used] = '\0';
            memcpy(r->values[i], tmp, c.used + 1);
        }
    }
    secmem_wipe(tmp, FORM_SCRATCH_SIZE);
    return err;
}

/* ---- checks ------------------------------------------------------------------------------ */

static int half_ok(enum form_chars chars, uint32_t c)
{
    switch (chars) {
    case FORM_CHARS_DIGITS:
        return c >= '0' && c <= '9';
    case FORM_CHARS_CODE:
        return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
               c == '-';
    case FORM_CHARS_KANA:
        return (c >= 0xFF61 && c <= 0xFF9F) || c == ' ';
    case FORM_CHARS_TEXT:
        return c >= 0x20 && c < 0x7F && c != ',' && c != '"' && c != '\\' && c != '~';
    case FORM_CHARS_KANATEXT:
        return (c >= 0xFF61 && c <= 0xFF9F) || half_ok(FORM_CHARS_TEXT, c);
    }
    return 0;
}

/* The first character of v that the field refuses; 0 when all are fine. *err says why. */
static uint32_t bad_char(const struct form_field *f, const char *v, size_t *count,
                         enum mnv_err *err)
{
    size_t len = strlen(v), n = 0;
    for (size_t i = 0; i < len; n++) {
        uint32_t cp;
        int k = utf8_decode(v + i, len - i, &cp);
        if (k < 0) {
            *err = MNV_ERR_FORM_CHAR;
            return 0xFFFD;
        }
        i += (size_t)k;
        int code = sjis_code(cp);
        if (code < 0 || cp == 0xFFFD) {
            *err = cp < 0x20 || cp == 0x7F ? MNV_ERR_FORM_FIELD_CHARS : MNV_ERR_FORM_CHAR;
            return cp;
        }
        int ok = f->width == FORM_FULL ? code > 0xFF : half_ok(f->chars, cp);
        if (!ok) {
            *err = MNV_ERR_FORM_FIELD_CHARS;
            return cp;
        }
    }
    *count = n;
    return 0;
}

/* ASCII digits of v with full-width digits folded, into d (at most max); -1 on others. */
static int digits_only(const char *v, char *d, size_t max)
{
    size_t n = 0, len = strlen(v);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = utf8_decode(v + i, len - i, &cp);
        if (k < 0)
            return -1;
        i += (size_t)k;
        if (cp >= 0xFF10 && cp <= 0xFF19)
            cp = '0' + (cp - 0xFF10);
        if (cp < '0' || cp > '9' || n >= max)
            return -1;
        d[n++] = (char)cp;
    }
    return (int)n;
}

/* "(5)123456789012 (6)…": each entry a bracketed ordinal and a valid My Number. */
static int extra_numbers_ok(const char *v)
{
    char fold[FORM_VALUE_MAX + 1];
    size_t n = 0, len = strlen(v);
    for (size_t i = 0; i < len && n < FORM_VALUE_MAX;) {
        uint32_t cp;
        int k = utf8_decode(v + i, len - i, &cp);
        if (k < 0)
            return 0;
        i += (size_t)k;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp = 0x21 + (cp - 0xFF01);
        if (cp == 0x3000)
            cp = ' ';
        if (cp > 0x7F)
            return 0;
        fold[n++] = (char)cp;
    }
    fold[n] = '\0';
    int ok = 1;
    const char *p = fold;
    while (ok && *p) { /* ok first: a failed entry may have stepped past the end */
        char d[12];
        int ord = 0;
        if (*p++ != '(')
            ok = 0;
        while (ok && *p >= '0' && *p <= '9' && ord < 100)
            ord = ord * 10 + (*p++ - '0');
        if (!ok || ord < 5 || *p++ != ')')
            ok = 0;
        for (int j = 0; ok && j < 12; j++)
            if (*p >= '0' && *p <= '9')
                d[j] = *p++;
            else
                ok = 0;
        if (ok && !numtext_valid_individual(d))
            ok = 0;
        secmem_wipe(d, sizeof(d));
        if (ok && *p == ' ')
            p++;
        else if (ok && *p)
            ok = 0;
    }
    secmem_wipe(fold, sizeof(fold));
    return ok;
}

static int number_ok(const struct form_field *f, const char *v)
{
    char d[14];
    int ok;
    if (f->number == FORM_NUM_EXTRA_DEPS || f->number == FORM_NUM_EXTRA_KIDS)
        return extra_numbers_ok(v);
    int n = digits_only(v, d, 13);
    if (f->number == FORM_NUM_PAYER)
        ok = n == 13 && numtext_valid_corporate(d);
    else
        ok = n == 12 && numtext_valid_individual(d);
    secmem_wipe(d, sizeof(d));
    return ok;
}

static void add_fault(const struct form_record *r, const struct form_field *f, enum mnv_err err,
                      uint32_t cp, struct form_fault *faults, size_t max, size_t *count)
{
    if (*count < max) {
        struct form_fault *x = &faults[*count];
        memset(x, 0, sizeof(*x));
        x->line = r->line;
        snprintf(x->code, sizeof(x->code), "%s", r->code);
        x->pos = f->pos;
        snprintf(x->field, sizeof(x->field), "%s", f->name);
        x->err = err;
        x->cp = cp;
    }
    (*count)++;
}

static void check_field(const struct form_record *r, const struct form_copy *copy, size_t i,
                        struct form_fault *faults, size_t max, size_t *count)
{
    const struct form_field *f = &r->layout->fields[i];
    const char *v = r->values[i];
    if (!v[0]) {
        if (f->required == FORM_REQ_ALWAYS)
            add_fault(r, f, MNV_ERR_FORM_FIELD_REQUIRED, 0, faults, max, count);
        return;
    }
    if (f->required == FORM_REQ_BLANK) {
        add_fault(r, f, MNV_ERR_FORM_FIELD_BLANK, 0, faults, max, count);
        return;
    }
    if (f->number != FORM_NUM_NONE && f->number != FORM_NUM_PAYER && !copy->numbers) {
        add_fault(r, f, MNV_ERR_FORM_NUMBER_COPY, 0, faults, max, count);
        return;
    }
    enum mnv_err err = MNV_OK;
    size_t chars = 0;
    uint32_t cp = bad_char(f, v, &chars, &err);
    if (cp) {
        add_fault(r, f, err, cp, faults, max, count);
        return;
    }
    if (f->number == FORM_NUM_NONE && !copy->numbers &&
        numtext_has_number(v, strlen(v), NUMTEXT_ANY_RUN))
        add_fault(r, f, MNV_ERR_FORM_NUMBER_COPY, 0, faults, max, count);
    else if (chars > f->length)
        add_fault(r, f, MNV_ERR_FORM_FIELD_LONG, 0, faults, max, count);
    else if (f->exact && chars != f->length)
        add_fault(r, f, MNV_ERR_FORM_FIELD_EXACT, 0, faults, max, count);
    else if (f->number != FORM_NUM_NONE && !number_ok(f, v))
        add_fault(r, f, MNV_ERR_FORM_FIELD_NUMBER, 0, faults, max, count);
}

size_t form_record_check(const struct form_record *r, const struct form_copy *copy,
                         struct form_fault *faults, size_t max)
{
    size_t count = 0;
    if (sjis_init() != MNV_OK)
        return 1;
    for (size_t i = 0; i < r->layout->nfields; i++)
        check_field(r, copy, i, faults, max, &count);
    /* the rules only when every field is right by itself: a rule on a bad value says less */
    if (count == 0)
        count = form_rules_check(r, faults, max);
    return count;
}
