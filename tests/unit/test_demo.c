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

static int age_in(const char *birth, int year)
{
    return year - atoi(birth);
}

/* The demo is plausible in time: numbers exist from 2016, so nobody who left before 2016
 * holds one; the documents fit the day; collections are spread over the years. */
static void test_demo__plausible_in_time(void **state)
{
    (void)state;
    struct demo_person p;
    int years[2030] = {0}, cards = 0, notif = 0, old_retirees = 0;
    for (long i = 0; i < 5000; i++) {
        demo_person_make(7, i, &p);
        if (p.retire_date[0] && strcmp(p.retire_date, "2016-01-01") < 0) {
            old_retirees++;
            assert_false(p.has_number);
            assert_false(p.number_era);
            for (int d = 0; d < p.ndependents; d++)
                assert_false(p.dependents[d].has_number);
        }
        if (!p.has_number)
            continue;
        assert_true(strcmp(p.collected_on, "2016-01-04") >= 0);
        assert_true(strcmp(p.collected_on, p.hire_date) >= 0 ||
                    strcmp(p.hire_date, "2016-01-04") < 0);
        if (p.retire_date[0])
            assert_true(strcmp(p.collected_on, p.retire_date) <= 0);
        years[atoi(p.collected_on)]++;
        cards += p.docs == DEMO_DOCS_CARD;
        if (p.docs == DEMO_DOCS_NOTIFICATION_LICENCE) {
            notif++;
            assert_true(strcmp(p.collected_on, "2020-05-25") < 0);
        }
        for (int d = 0; d < p.ndependents; d++)
            if (p.dependents[d].has_number) {
                assert_true(strcmp(p.dependents[d].collected_on, p.collected_on) >= 0);
                assert_true(strcmp(p.dependents[d].collected_on, p.dependents[d].birth_date) > 0);
            }
    }
    assert_true(old_retirees > 0);
    assert_true(cards > 0 && notif > 0);
    /* Not every number was collected in 2016. */
    int later = 0;
    for (int y = 2017; y < 2030; y++)
        later += years[y];
    assert_true(later > 500);
}

/* Ages fit relations: children are dependants (22 or younger in 2026) born when the parent
 * was 20 or older; parents are older than the employee; spouses are adults of about the
 * same age. */
static void test_demo__ages_fit_relations(void **state)
{
    (void)state;
    struct demo_person p;
    int kids = 0, spouses = 0;
    for (long i = 0; i < 5000; i++) {
        demo_person_make(9, i, &p);
        for (int d = 0; d < p.ndependents; d++) {
            const struct demo_dependent *dd = &p.dependents[d];
            int gap = atoi(dd->birth_date) - atoi(p.birth_date);
            if (!strcmp(dd->relation, "child")) {
                kids++;
                assert_true(age_in(dd->birth_date, 2026) <= 22);
                assert_true(gap >= 20);
            } else if (!strcmp(dd->relation, "parent")) {
                assert_true(gap <= -20);
            } else {
                assert_string_equal(dd->relation, "spouse");
                spouses++;
                assert_true(gap >= -5 && gap <= 5);
                assert_true(age_in(dd->birth_date, 2026) >= 18);
            }
        }
    }
    assert_true(kids > 500 && spouses > 500);
}

/* Postal codes belong to the prefecture of the address (first three digits, restated here
 * from the postal code ranges), and no address is real: the town is made up. */
static void test_demo__addresses(void **state)
{
    (void)state;
    static const struct {
        const char *pref;
        int from, to;
    } ranges[] = {{"東京都", 100, 208}, {"神奈川県", 210, 259}, {"大阪府", 530, 599},
                  {"愛知県", 440, 499}, {"福岡県", 800, 839},   {"北海道", 40, 99},
                  {"埼玉県", 330, 369}, {"千葉県", 260, 299},   {"兵庫県", 650, 679}};
    struct demo_person p;
    for (long i = 0; i < 3000; i++) {
        demo_person_make(11, i, &p);
        int first = atoi(p.postal_code), matched = 0;
        for (size_t k = 0; k < sizeof(ranges) / sizeof(ranges[0]); k++)
            if (!strncmp(p.address, ranges[k].pref, strlen(ranges[k].pref))) {
                matched = 1;
                assert_true(first >= ranges[k].from && first <= ranges[k].to);
            }
        assert_true(matched);
        assert_true(strstr(p.address, "見本市") || strstr(p.address, "模擬市") ||
                    strstr(p.address, "試作市"));
        assert_null(strstr(p.address, "千代田"));
    }
}
