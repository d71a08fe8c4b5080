/* Unit tests for the TUI's logic that needs no terminal: fields, lists, keys, widths. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/tui/draw.h"
#include "../../src/tui/emplist.h"
#include "mnvault/romaji.h"
#include "../../src/tui/field.h"
#include "../../src/tui/keys.h"
#include "../../src/tui/listview.h"
#include "mnvault/secmem.h"

static int group_setup(void **state)
{
    (void)state;
    if (secmem_init() != MNV_OK)
        return -1;
    return setlocale(LC_ALL, "C.UTF-8") ? 0 : -1; /* wcwidth needs a UTF-8 locale */
}

static struct tui_event key(wchar_t ch)
{
    struct tui_event ev = {0, 0, ch, TA_NONE};
    return ev;
}

static struct tui_event code(int c)
{
    struct tui_event ev = {1, c, 0, TA_NONE};
    return ev;
}

static void type(struct field *f, const wchar_t *s)
{
    for (; *s; s++) {
        struct tui_event ev = key(*s);
        field_handle(f, &ev);
    }
}

static void test_tui__field_edits_wide_text(void **state)
{
    (void)state;
    struct field f;
    assert_int_equal(field_init(&f, 64, 0), 0);
    type(&f, L"山田太郎");
    assert_string_equal(f.buf, "山田太郎");
    struct tui_event ev = code(KEY_LEFT);
    field_handle(&f, &ev);
    field_handle(&f, &ev);
    ev = code(KEY_BACKSPACE);
    field_handle(&f, &ev); /* removes 田 */
    assert_string_equal(f.buf, "山太郎");
    type(&f, L" ");
    assert_string_equal(f.buf, "山 太郎");
    ev = code(KEY_DC);
    field_handle(&f, &ev);
    assert_string_equal(f.buf, "山 郎");
    ev = key(127); /* Backspace as DEL */
    field_handle(&f, &ev);
    assert_string_equal(f.buf, "山郎");
    ev = key(21); /* Ctrl-U */
    field_handle(&f, &ev);
    assert_string_equal(f.buf, "郎");
    ev = code(KEY_END);
    field_handle(&f, &ev);
    ev = key(11); /* Ctrl-K at the end removes nothing */
    field_handle(&f, &ev);
    assert_string_equal(f.buf, "郎");
    field_release(&f);
}

static void test_tui__field_limits(void **state)
{
    (void)state;
    struct field f;
    assert_int_equal(field_init(&f, 8, 0), 0); /* 7 bytes of text */
    type(&f, L"漢字漢字");                     /* 12 bytes: only two fit */
    assert_string_equal(f.buf, "漢字");
    field_release(&f);
    assert_int_equal(field_init(&f, 64, 0), 0);
    f.max_chars = 3;
    type(&f, L"abcdef");
    assert_string_equal(f.buf, "abc");
    field_release(&f);
    assert_int_equal(field_init(&f, 64, 0), 0);
    f.accept = field_accept_digits;
    type(&f, L"12a3４-x");
    assert_string_equal(f.buf, "123４-");
    /* Control characters never enter a field. */
    struct tui_event ev = key(27);
    assert_int_equal(field_handle(&f, &ev), 0);
    field_release(&f);
}

static void test_tui__secret_field_wiped(void **state)
{
    (void)state;
    struct field f;
    assert_int_equal(field_init(&f, 64, 1), 0);
    type(&f, L"correct horse");
    assert_int_equal(f.len, 13);
    char *buf = f.buf;
    field_clear(&f);
    assert_int_equal(f.len, 0);
    for (size_t i = 0; i < 64; i++)
        assert_int_equal(buf[i], 0);
    field_release(&f);
    assert_null(f.buf);
}

static void test_tui__listview_moves(void **state)
{
    (void)state;
    struct listview lv = {0};
    listview_fit(&lv, 10);
    listview_set_count(&lv, 100);
    assert_int_equal(lv.sel, 0);
    assert_false(listview_handle(&lv, TA_UP));
    assert_true(listview_handle(&lv, TA_PAGE_DOWN));
    assert_int_equal(lv.sel, 10);
    assert_true(listview_handle(&lv, TA_END));
    assert_int_equal(lv.sel, 99);
    assert_int_equal(lv.top, 90);
    listview_set_count(&lv, 5); /* a filter shrank the list */
    assert_int_equal(lv.sel, 4);
    assert_int_equal(lv.top, 0);
    listview_set_count(&lv, 0);
    assert_int_equal(lv.sel, 0);
    assert_false(listview_handle(&lv, TA_DOWN));
    assert_false(listview_handle(&lv, TA_OPEN));
}

static void test_tui__keys_map_to_actions(void **state)
{
    (void)state;
    static const struct keydef screen_keys[] = {
        {KEY_F(2), 1, TA_SAVE}, {'r', 0, TA_RETIRED}, {0, 0, TA_NONE}};
    assert_int_equal(tui_event_make(1, KEY_F(2), screen_keys).action, TA_SAVE);
    assert_int_equal(tui_event_make(0, 'r', screen_keys).action, TA_RETIRED);
    assert_int_equal(tui_event_make(1, KEY_F(1), screen_keys).action, TA_HELP);
    assert_int_equal(tui_event_make(0, '?', screen_keys).action, TA_HELP);
    assert_int_equal(tui_event_make(0, 27, NULL).action, TA_BACK);
    assert_int_equal(tui_event_make(0, 12, NULL).action, TA_REDRAW); /* Ctrl-L redraws */
    assert_int_equal(tui_event_make(1, KEY_F(12), NULL).action, TA_LOCK);
    assert_int_equal(tui_event_make(1, KEY_F(10), NULL).action, TA_QUIT);
    assert_int_equal(tui_event_make(0, 'x', screen_keys).action, TA_NONE);
    assert_true(tui_screen_has(screen_keys, TA_RETIRED));
    assert_false(tui_screen_has(screen_keys, TA_REVEAL));
    char name[16];
    tui_key_name(name, sizeof(name), KEY_F(10), 1);
    assert_string_equal(name, "F10");
    tui_key_name(name, sizeof(name), 12, 0);
    assert_string_equal(name, "Ctrl-L");
    /* Every action has words for the key bar and help. */
    for (int a = TA_NONE + 1; a < TA__COUNT; a++) {
        assert_true(strlen(tui_action_label((enum tui_action)a)) > 0);
        assert_true(strlen(tui_action_help((enum tui_action)a)) > 0);
    }
}

static void test_tui__cells(void **state)
{
    (void)state;
    assert_int_equal(tui_text_cells("abc"), 3);
    assert_int_equal(tui_text_cells("山田 太郎"), 9);
    assert_int_equal(tui_text_cells("ｻﾄｳ"), 3);
    assert_int_equal(tui_text_cells(""), 0);
    assert_int_equal(tui_text_cells(NULL), 0);
}

/* A list of n made-up employees: codes E0000.., names and readings from a few syllables so
 * that queries match many rows, every third one retired. */
static void make_list(struct person_list *l, size_t n)
{
    static const char *const syl[] = {"ヤ", "マ", "ダ", "タ", "ロ", "ウ"};
    l->count = n;
    l->rows = calloc(n, sizeof(*l->rows));
    l->arena = calloc(n, 64);
    assert_non_null(l->rows);
    assert_non_null(l->arena);
    for (size_t i = 0; i < n; i++) {
        char *a = l->arena + 64 * i;
        struct person_row *r = &l->rows[i];
        int k = snprintf(a, 64, "E%04zu", i) + 1;
        r->code = a;
        r->name = a + k - 1; /* "" */
        r->kana = a + k;
        unsigned x = (unsigned)i * 2654435761u;
        for (int j = 0; j < 4; j++, x >>= 5)
            k += snprintf(a + k, (size_t)(64 - k), "%s", syl[x % 6]);
        r->purposes = "";
        snprintf(r->hire_date, sizeof(r->hire_date), "20%02zu-04-01", i % 30);
        r->retired = i % 3 == 0;
    }
}

/* The rows a fresh search over the whole list shows, in the model's current order: the text
 * in the code or the reading, or its romaji form in the reading's. */
static size_t brute(const struct emplist *m, const char *query, unsigned *out)
{
    const unsigned *o = m->order[m->sort];
    char rq[256], rk[256];
    size_t rqlen = romaji_query(query, rq, sizeof(rq));
    size_t k = 0;
    for (size_t i = 0; i < m->count; i++) {
        struct emplist_view v;
        const struct person_row *r = emplist_view_row(m, o ? o[i] : (unsigned)i, &v);
        if (!m->show_retired && r->retired)
            continue;
        romaji_from_kana(r->kana, rk, sizeof(rk));
        if (strstr(r->code, query) || strstr(r->kana, query) || (rqlen && strstr(rk, rq)))
            out[k++] = o ? o[i] : (unsigned)i;
    }
    return k;
}

/* A list read by names only: each shown row's detail is read once, and shown with it. */
static enum mnv_err add_names(void *ud, const struct person_row *r)
{
    return emplist_add(ud, r, 0) == 0 ? MNV_OK : MNV_ERR_NOMEM;
}

static void test_tui__emplist_details_of_shown_rows(void **state)
{
    (void)state;
    enum { N = 40 };
    struct person_list l;
    make_list(&l, N);
    struct emplist m;
    assert_int_equal(emplist_init(&m, &l), 0);
    unsigned rows[N];
    assert_int_equal(emplist_missing(&m, 0, 10, rows), 0); /* rows that carry their own */
    emplist_free(&m);
    make_list(&l, N);
    emplist_begin(&m);
    for (size_t i = 0; i < N; i++)
        assert_int_equal(add_names(&m, &l.rows[i]), MNV_OK);
    assert_int_equal(emplist_finish(&m), 0);
    size_t n = emplist_missing(&m, 2, 5, rows);
    assert_int_equal(n, 5);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(rows[i], m.match[2 + i]);
        struct person_detail d = {NUMBER_REGISTERED, 1, (int)(i % 2), ""};
        snprintf(d.purposes, sizeof(d.purposes), i % 2 ? "withholding" : "social_insurance");
        assert_int_equal(emplist_set_detail(&m, rows[i], &d), 0);
    }
    assert_int_equal(m.npool, 2);                          /* two distinct texts kept once */
    assert_int_equal(emplist_missing(&m, 0, 10, rows), 5); /* 0, 1 and 7, 8, 9 */
    assert_int_equal(emplist_missing(&m, 2, 5, rows), 0);
    /* Reading ahead in list order: every row not read yet, a few at a time. */
    size_t cursor = 0, unread = 0, got;
    while ((got = emplist_unread(&m, &cursor, 7, rows)) > 0) {
        for (size_t i = 0; i < got; i++)
            assert_false(m.rows[rows[i]].flags & EMPLIST_DETAIL);
        unread += got;
    }
    assert_int_equal(unread, N - 5);
    assert_int_equal(cursor, N);
    struct emplist_view tmp;
    const struct person_row *r = emplist_shown(&m, 3, &tmp);
    assert_int_equal(r->status, NUMBER_REGISTERED);
    assert_int_equal(r->verified, 1);
    assert_string_equal(r->purposes, "withholding");
    assert_string_equal(r->code, l.rows[m.match[3]].code); /* added in the list's order */
    assert_string_equal(r->kana, l.rows[m.match[3]].kana);
    assert_string_equal(r->hire_date, l.rows[m.match[3]].hire_date);
    assert_int_equal(r->id, l.rows[m.match[3]].id);
    r = emplist_shown(&m, 0, &tmp); /* not read: nothing claimed */
    assert_int_equal(r->status, NUMBER_MISSING);
    assert_string_equal(r->purposes, "");
    /* A filter keeps what was read. */
    assert_int_equal(emplist_filter(&m, "E0002"), 0);
    assert_true(m.nmatch > 0);
    person_list_free(&l);
    emplist_free(&m);
}

/* Each row's texts as given, whatever folding does to its search key (upper case, half-width
 * kana, a hire date that is not YYYY-MM-DD). */
static void test_tui__emplist_rows_as_given(void **state)
{
    (void)state;
    struct person_row in[5] = {
        {.id = 7,
         .code = "Ab-1",
         .name = "山田 太郎",
         .kana = "ﾔﾏﾀﾞ ﾀﾛｳ",
         .hire_date = "2020-04-01"},
        {.id = 5000000000LL,
         .code = "b2",
         .name = "ＡＢＣ",
         .kana = "エービーシー",
         .hire_date = "2020/4/1",
         .retired = 1},
        {.id = 9, .code = "C3", .name = "", .kana = "", .hire_date = ""},
        {.id = 10,
         .code = "d4",
         .name = " 佐藤　花子 ",
         .kana = "サトウ\tハナコ・",
         .hire_date = "2001-02-03"},
        {.id = 11,
         .code = "Ee5",
         .name = "Ｏ'Brien Ann",
         .kana = "オブライエン  アン",
         .hire_date = "1999-12-31"},
    };
    struct emplist m;
    emplist_begin(&m);
    for (int i = 0; i < 5; i++)
        assert_int_equal(emplist_add(&m, &in[i], 0), 0);
    assert_int_equal(emplist_finish(&m), 0);
    assert_int_equal(emplist_set_retired(&m, 1), 0);
    assert_int_equal(emplist_work(&m, SIZE_MAX), 0);
    for (unsigned i = 0; i < 5; i++) {
        struct emplist_view v;
        const struct person_row *r = emplist_view_row(&m, i, &v);
        assert_int_equal(r->id, in[i].id);
        assert_string_equal(r->code, in[i].code);
        assert_string_equal(r->name, in[i].name);
        assert_string_equal(r->kana, in[i].kana);
        assert_string_equal(r->hire_date, in[i].hire_date);
        assert_int_equal(r->retired, in[i].retired);
    }
    assert_int_equal(emplist_filter(&m, "やまだ"), 0); /* folded: ﾔﾏﾀﾞ */
    assert_int_equal(m.nmatch, 1);
    assert_int_equal(emplist_filter(&m, "abc"), 0); /* ＡＢＣ */
    assert_int_equal(m.nmatch, 1);
    assert_int_equal(emplist_id(&m, 0), 5000000000LL);
    assert_int_equal(emplist_filter(&m, "AB-1"), 0);
    assert_int_equal(m.nmatch, 1);
    assert_int_equal(emplist_filter(&m, "佐藤花子"), 0);
    assert_int_equal(m.nmatch, 1);
    assert_int_equal(emplist_filter(&m, "obrien"), 0); /* "'" kept: not found so */
    assert_int_equal(emplist_filter(&m, "o'brienann"), 0);
    assert_int_equal(m.nmatch, 1);
    emplist_free(&m);
}

/* A search done a few rows at a time finds what the whole search finds, in order, with
 * Backspace and typing between the steps. */
static void test_tui__emplist_search_in_steps(void **state)
{
    (void)state;
    enum { N = 2000 };
    struct person_list l;
    make_list(&l, N);
    struct emplist m;
    assert_int_equal(emplist_init(&m, &l), 0);
    static unsigned want[N];
    static const char *const steps[] = {"ヤ", "ヤマ", "ヤ",  "ヤマダ", "ヤマダタ", "ヤマ", "",
                                        "y",  "ya",   "yam", "ya",     "E00",      "E001", "E0"};
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        assert_int_equal(emplist_filter_start(&m, steps[i]), 0);
        size_t seen = 0;
        for (int guard = 0; emplist_searching(&m); guard++) {
            assert_true(guard < 10 * N);
            assert_true(m.nmatch >= seen); /* found rows stay, in their places */
            seen = m.nmatch;
            assert_int_equal(emplist_work(&m, 37), 0);
        }
        size_t k = brute(&m, steps[i], want);
        assert_int_equal(m.nmatch, k);
        assert_memory_equal(m.match, want, k * sizeof(*want));
    }
    emplist_free(&m);
}

static void test_tui__emplist_filter_levels(void **state)
{
    (void)state;
    enum { N = 3000 };
    struct person_list l;
    make_list(&l, N);
    struct emplist m;
    assert_int_equal(emplist_init(&m, &l), 0);
    assert_int_equal(m.nmatch, N - (N + 2) / 3);
    static unsigned want[N];
    /* Typing, Backspace, typing again, with the sort and the retired rows changing between:
     * the matches are always those of a fresh search. */
    static const char *const steps[] = {
        "ヤ", "ヤマ", "ヤマダ", "ヤマ", "ヤ", "", "ヤ", "ヤロ", "ヤロウ", "ロ", "ロウ", "ロウタ",
        "", "E00", "E001", "E00", "E", "ダダ", "ダ", "ダダダ", "x", "",
        /* romaji, with spellings that change their form as they grow (tarou → taro) */
        "y", "ya", "yam", "yamad", "yamada", "yama", "t", "ta", "tar", "taro", "tarou", "taroh",
        "tarohh", "taro", "ro", "rou", "rouy", "ro", "da", "dada", "d", "dy", "j", "jy", "ja",
        "ta1", "ta", "w", "wo", "wor", "woro", "c", "ch", "cha", "ca", ""};
    for (int round = 0; round < 6; round++) {
        if (round > 0) {
            assert_int_equal(emplist_set_sort(&m, (enum emplist_sort)(round % EMPLIST_SORTS)), 0);
            assert_int_equal(emplist_set_retired(&m, round % 2), 0);
        }
        for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
            assert_int_equal(emplist_filter(&m, steps[i]), 0);
            size_t k = brute(&m, steps[i], want);
            assert_int_equal(m.nmatch, k);
            assert_memory_equal(m.match, want, k * sizeof(*want));
        }
    }
    /* More prefixes than the model keeps levels for: still right, and Backspace too. */
    char q[EMPLIST_LEVELS * 2 + 4] = "";
    for (int i = 0; i < EMPLIST_LEVELS + 8; i++) {
        q[i] = i % 2 ? '0' : 'E';
        q[i + 1] = '\0';
        assert_int_equal(emplist_filter(&m, q), 0);
        assert_int_equal(m.nmatch, brute(&m, q, want));
    }
    for (int i = EMPLIST_LEVELS + 7; i >= 0; i--) {
        q[i] = '\0';
        assert_int_equal(emplist_filter(&m, q), 0);
        size_t k = brute(&m, q, want);
        assert_int_equal(m.nmatch, k);
        assert_memory_equal(m.match, want, k * sizeof(*want));
    }
    emplist_free(&m);
}
