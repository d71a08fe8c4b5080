/* Unit tests for strbuf.c and alloc.c: growing text and arrays. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/alloc.h"
#include "mnvault/strbuf.h"

static void test_strbuf__empty(void **state)
{
    (void)state;
    struct strbuf sb = STRBUF_INIT;
    assert_string_equal(strbuf_str(&sb), "");
    assert_int_equal(strbuf_error(&sb), MNV_OK);
    strbuf_reset(&sb);
    strbuf_release(&sb);
    assert_null(sb.buf);
    size_t n = 7;
    char *p = strbuf_detach(&sb, &n);
    assert_non_null(p);
    assert_string_equal(p, "");
    assert_int_equal(n, 0);
    free(p);
    assert_int_equal(strbuf_add(&sb, NULL, 0), MNV_OK);
    assert_string_equal(strbuf_str(&sb), "");
    strbuf_release(&sb);
}

static void test_strbuf__appends(void **state)
{
    (void)state;
    struct strbuf sb;
    strbuf_init(&sb);
    assert_int_equal(strbuf_adds(&sb, "rows="), MNV_OK);
    assert_int_equal(strbuf_addf(&sb, "%d", 42), MNV_OK);
    assert_int_equal(strbuf_addc(&sb, ' '), MNV_OK);
    assert_int_equal(strbuf_add(&sb, "okay", 2), MNV_OK);
    assert_string_equal(strbuf_str(&sb), "rows=42 ok");
    assert_int_equal(sb.len, 10);
    for (int i = 0; i < 10000; i++)
        assert_int_equal(strbuf_addf(&sb, "%05d", i), MNV_OK);
    assert_int_equal(sb.len, 10 + 50000);
    assert_memory_equal(sb.buf + sb.len - 5, "09999", 5);
    assert_int_equal(sb.buf[sb.len], '\0');
    strbuf_reset(&sb);
    assert_string_equal(strbuf_str(&sb), "");
    assert_true(sb.cap > 0);
    assert_int_equal(strbuf_addf(&sb, "%s", ""), MNV_OK);
    size_t n;
    char *p = strbuf_detach(&sb, &n);
    assert_string_equal(p, "");
    free(p);
    assert_null(sb.buf);
}

static void test_strbuf__secret_and_failure(void **state)
{
    (void)state;
    struct strbuf sb;
    strbuf_init_secret(&sb);
    for (int i = 0; i < 100; i++)
        assert_int_equal(strbuf_adds(&sb, "123456789018"), MNV_OK);
    assert_int_equal(sb.len, 1200);
    strbuf_release(&sb);
    assert_true(sb.secret); /* stays a secret buffer */
    assert_null(sb.buf);
    /* A size that cannot exist: the error sticks until reset. */
    assert_int_equal(strbuf_adds(&sb, "x"), MNV_OK);
    assert_int_equal(strbuf_add(&sb, "y", SIZE_MAX - 1), MNV_ERR_NOMEM);
    assert_int_equal(strbuf_error(&sb), MNV_ERR_NOMEM);
    assert_int_equal(strbuf_adds(&sb, "z"), MNV_ERR_NOMEM);
    assert_null(strbuf_detach(&sb, NULL));
    assert_null(sb.buf);
    assert_int_equal(strbuf_adds(&sb, "again"), MNV_OK);
    assert_string_equal(strbuf_str(&sb), "again");
    strbuf_release(&sb);
}

static void test_strbuf__alloc_grow(void **state)
{
    (void)state;
    size_t cap = 0;
    int *a = alloc_grow(NULL, &cap, 1, sizeof(int));
    assert_non_null(a);
    assert_int_equal(cap, 16);
    int *same = alloc_grow(a, &cap, 16, sizeof(int));
    assert_ptr_equal(same, a);
    a = alloc_grow(a, &cap, 17, sizeof(int));
    assert_non_null(a);
    assert_int_equal(cap, 32);
    a = alloc_grow(a, &cap, 1000, sizeof(int));
    assert_int_equal(cap, 1024);
    for (int i = 0; i < 1000; i++)
        a[i] = i;
    /* Overflow: refused, the array and its room unchanged. */
    assert_null(alloc_grow(a, &cap, SIZE_MAX / 2, sizeof(int)));
    assert_int_equal(cap, 1024);
    assert_int_equal(a[999], 999);
    assert_null(alloc_grow(a, &cap, 2000, 0));
    free(a);
    size_t c2 = 0;
    assert_null(alloc_grow(NULL, &c2, SIZE_MAX, 1));
    assert_int_equal(c2, 0);
    char *z = alloc_array(0, 8);
    assert_non_null(z);
    free(z);
    long *l = alloc_array(10, sizeof(long));
    assert_int_equal(l[9], 0);
    free(l);
    assert_null(alloc_array(SIZE_MAX / 2, 4));
}

static void test_strbuf__alloc_grow_wiped(void **state)
{
    (void)state;
    size_t cap = 0;
    char *a = alloc_grow_wiped(NULL, &cap, 0, 10, 1);
    assert_non_null(a);
    assert_int_equal(cap, 16);
    memcpy(a, "0123456789", 10);
    assert_ptr_equal(alloc_grow_wiped(a, &cap, 10, 16, 1), a); /* room already */
    char *b = alloc_grow_wiped(a, &cap, 10, 17, 1);            /* moves: a is wiped, freed */
    assert_non_null(b);
    assert_int_equal(cap, 32);
    assert_memory_equal(b, "0123456789", 10);
    b = alloc_grow_wiped(b, &cap, 10, 5000, 1);
    assert_int_equal(cap, 8192);
    assert_memory_equal(b, "0123456789", 10);
    /* Too large: refused, the block and its room unchanged. */
    assert_null(alloc_grow_wiped(b, &cap, 10, SIZE_MAX, 1));
    assert_int_equal(cap, 8192);
    assert_memory_equal(b, "0123456789", 10);
    free(b);
}
