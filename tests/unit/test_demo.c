/* Unit tests for the demo population. */
#include <stdlib.h>
#include <string.h>

#include "mnvault/demo.h"
#include "mnvault/mynumber.h"

static void test_demo__deterministic_and_valid(void **state)
{
    (void)state;
    struct demo_person a, b;
    int with = 0, retired = 0, deps = 0;
    for (long i = 0; i < 2000; i++) {
        demo_person_make(42, i, &a);
        demo_person_make(42, i, &b);
        assert_memory_equal(&a, &b, sizeof(a));
        if (a.has_number) {
            with++;
            assert_true(numtext_valid_individual(a.number));
        }
        if (a.retire_date[0]) {
            retired++;
            assert_true(strcmp(a.retire_date, a.hire_date) > 0);
        }
        for (int d = 0; d < a.ndependents; d++) {
            deps++;
            if (a.dependents[d].has_number)
                assert_true(numtext_valid_individual(a.dependents[d].number));
        }
        assert_true(strlen(a.reading) > 0);
        assert_int_equal(strlen(a.code), 7);
    }
    /* Most have numbers, some are missing, some retired, many have dependents. */
    assert_true(with > 1700 && with < 1990);
    assert_true(retired > 20 && retired < 300);
    assert_true(deps > 1000);
    demo_person_make(43, 0, &b);
    demo_person_make(42, 0, &a);
    assert_memory_not_equal(&a, &b, sizeof(a));
}

static void test_demo__numbers_unique(void **state)
{
    (void)state;
    /* 200,000 people share no number: random bodies would collide about once in that many
     * (birthday odds), so the generator must not be random there. */
    enum { PEOPLE = 200000, MAX = PEOPLE * 3 };
    static char seen[MAX][13];
    size_t n = 0;
    struct demo_person p;
    for (long i = 0; i < PEOPLE; i++) {
        demo_person_make(1, i, &p);
        if (p.has_number && n < MAX)
            memcpy(seen[n++], p.number, 13);
        for (int d = 0; d < p.ndependents; d++)
            if (p.dependents[d].has_number && n < MAX)
                memcpy(seen[n++], p.dependents[d].number, 13);
    }
    assert_true(n > PEOPLE);
    qsort(seen, n, 13, (int (*)(const void *, const void *))strcmp);
    for (size_t i = 1; i < n; i++)
        assert_string_not_equal(seen[i - 1], seen[i]);
}
