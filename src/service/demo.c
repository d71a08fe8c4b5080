#include "mnvault/demo.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "mnvault/mynumber.h"

struct name {
    const char *kanji, *kana;
};

/* Family names that say "this is not a real person". */
static const struct name family[] = {
    {"見本", "ミホン"},     {"試験", "シケン"},   {"架空", "カクウ"},     {"仮名", "カメイ"},
    {"模擬", "モギ"},       {"例示", "レイジ"},   {"標本", "ヒョウホン"}, {"検証", "ケンショウ"},
    {"試作", "シサク"},     {"仮設", "カセツ"},   {"想定", "ソウテイ"},   {"練習", "レンシュウ"},
    {"演習", "エンシュウ"}, {"雛形", "ヒナガタ"}, {"手本", "テホン"},     {"試用", "シヨウ"},
};

static const struct name given_m[] = {
    {"太郎", "タロウ"},   {"一郎", "イチロウ"}, {"次郎", "ジロウ"}, {"三郎", "サブロウ"},
    {"翔太", "ショウタ"}, {"大翔", "ヒロト"},   {"蓮", "レン"},     {"湊", "ミナト"},
    {"陽翔", "ハルト"},   {"健太", "ケンタ"},   {"拓海", "タクミ"}, {"悠真", "ユウマ"},
    {"誠", "マコト"},     {"修", "オサム"},     {"隆", "タカシ"},   {"浩二", "コウジ"},
};

static const struct name given_f[] = {
    {"花子", "ハナコ"}, {"陽菜", "ヒナ"},   {"結衣", "ユイ"},     {"葵", "アオイ"},
    {"凛", "リン"},     {"美咲", "ミサキ"}, {"さくら", "サクラ"}, {"芽依", "メイ"},
    {"由美", "ユミ"},   {"恵子", "ケイコ"}, {"真由美", "マユミ"}, {"彩", "アヤ"},
    {"千尋", "チヒロ"}, {"優子", "ユウコ"}, {"明美", "アケミ"},   {"久美子", "クミコ"},
};

/* A real prefecture, its postal codes' first three digits (from, to), and made-up places:
 * no real address. */
struct place {
    const char *prefecture;
    int postal_from, postal_to;
};

static const struct place places[] = {
    {"東京都", 100, 199}, {"神奈川県", 210, 259}, {"大阪府", 530, 599},
    {"愛知県", 440, 499}, {"福岡県", 800, 839},   {"北海道", 40, 99},
    {"埼玉県", 330, 369}, {"千葉県", 260, 299},   {"兵庫県", 650, 679},
};

static const char *const towns[] = {"見本市架空町", "見本市試験町", "模擬市標本町",
                                    "模擬市仮設町", "試作市例示町", "試作市手本町"};

/* A small deterministic generator (splitmix64) keyed by seed and index. */
struct rng {
    uint64_t s;
};

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static uint64_t next(struct rng *r)
{
    return mix(r->s += 0x9E3779B97F4A7C15ull);
}

static int below(struct rng *r, int n)
{
    return (int)(next(r) % (uint64_t)n);
}

/* The 11-digit body is a bijection of (person, slot) onto 0 .. 10^11 - 1: multiplying by a
 * number prime to 10 permutes the residues, so no two people of one seed share a number,
 * however many there are (random bodies would collide: birthday odds reach 10 % near
 * 150,000 numbers). slot 0 is the employee, 1.. the dependents. */
static void make_number(uint64_t seed, long index, int slot, char out[13])
{
    const uint64_t space = 100000000000ull; /* 10^11 */
    uint64_t serial = ((uint64_t)index * (DEMO_MAX_DEPENDENTS + 1) + (uint64_t)slot) % space;
    uint64_t offset = mix(seed) % space;
    /* 3,937,010,129 is odd and not a multiple of 5; products are taken mod 10^11 in two
     * halves to stay inside 64 bits. */
    const uint64_t mul = 3937010129ull;
    uint64_t hi = serial / 100000, lo = serial % 100000;
    uint64_t body = ((hi * mul % space) * 100000 % space + lo * mul % space + offset) % space;
    for (int i = 10; i >= 0; i--, body /= 10)
        out[i] = (char)('0' + body % 10);
    out[11] = (char)('0' + numtext_check_digit_individual(out));
    out[12] = '\0';
}

static void make_date(struct rng *r, int year_from, int year_to, char out[11])
{
    int y = year_from + below(r, year_to - year_from + 1);
    int m = 1 + below(r, 12);
    int d = 1 + below(r, 28);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u);
}

static void full_name(char *out, size_t size, const struct name *f, const struct name *g, int kana)
{
    snprintf(out, size, "%s %s", kana ? f->kana : f->kanji, kana ? g->kana : g->kanji);
}

static void add_days(char date[11], int days)
{
    struct tm t = {0};
    t.tm_year = atoi(date) - 1900;
    t.tm_mon = atoi(date + 5) - 1;
    t.tm_mday = atoi(date + 8) + days;
    t.tm_hour = 12;
    time_t when = timegm(&t);
    struct tm out;
    gmtime_r(&when, &out);
    strftime(date, 11, "%Y-%m-%d", &out);
}

static int year_of(const char *date)
{
    return atoi(date);
}

/* A child who is a dependant: 22 or younger in 2026, and the parent was 20 or older. */
static int child_birth(struct rng *r, int birth_year, char out[11])
{
    int from = birth_year + 20 > 2004 ? birth_year + 20 : 2004;
    int to = birth_year + 45 < 2025 ? birth_year + 45 : 2025;
    if (from > to)
        return 0;
    make_date(r, from, to, out);
    return 1;
}

static void make_dependents(struct rng *r, uint64_t seed, long index, struct demo_person *p,
                            const struct name *fam, int birth_year)
{
    int n = below(r, 10) < 4 ? 0 : below(r, DEMO_MAX_DEPENDENTS) + 1;
    for (int i = 0; i < n; i++) {
        struct demo_dependent *d = &p->dependents[p->ndependents];
        int is_spouse = (i == 0 && below(r, 3) != 0);
        int female = is_spouse ? p->sex == 'M' : below(r, 2);
        const struct name *g = female ? &given_f[below(r, 16)] : &given_m[below(r, 16)];
        memset(d, 0, sizeof(*d));
        if (is_spouse) {
            snprintf(d->relation, sizeof(d->relation), "spouse");
            int from = birth_year - 5, to = birth_year + 5 > 2006 ? 2006 : birth_year + 5;
            make_date(r, from, to, d->birth_date);
        } else if (child_birth(r, birth_year, d->birth_date)) {
            snprintf(d->relation, sizeof(d->relation), "child");
        } else if (birth_year - 35 >= 1930) {
            snprintf(d->relation, sizeof(d->relation), "parent");
            make_date(r, birth_year - 35, birth_year - 22, d->birth_date);
        } else {
            continue;
        }
        full_name(d->name, sizeof(d->name), fam, g, 0);
        int twice = 0; /* the same name and birthday twice in a household: no real family */
        for (int k = 0; k < p->ndependents; k++)
            twice |= strcmp(p->dependents[k].name, d->name) == 0 &&
                     strcmp(p->dependents[k].birth_date, d->birth_date) == 0;
        if (twice)
            continue;
        p->ndependents++;
        full_name(d->reading, sizeof(d->reading), fam, g, 1);
        d->sex = female ? 'F' : 'M';
        d->has_number = p->has_number && p->verified && below(r, 10) < 7;
        if (d->has_number) {
            make_number(seed, index, 1 + i, d->number);
            memcpy(d->collected_on, d->birth_date, 11);
            add_days(d->collected_on, 30 + below(r, 60));
            if (strcmp(d->collected_on, p->collected_on) < 0)
                memcpy(d->collected_on, p->collected_on, 11);
            /* Not yet declared by the demo's day, or after the employee left. */
            if (strcmp(d->collected_on, "2025-12-31") > 0 ||
                (p->retire_date[0] && strcmp(d->collected_on, p->retire_date) > 0)) {
                d->has_number = 0;
                sodium_memzero(d->number, sizeof(d->number));
            }
        }
    }
}

/* When the number was collected (numbers came into use in January 2016: those employed then
 * gave them in the first quarter; later hires on joining) and what the person showed: My
 * Number cards were few at first, the notification card ended on 2020-05-25. */
static void make_collection(struct rng *r, struct demo_person *p)
{
    if (strcmp(p->hire_date, "2016-01-04") < 0) {
        snprintf(p->collected_on, sizeof(p->collected_on), "2016-01-04");
        add_days(p->collected_on, below(r, 88));
    } else {
        memcpy(p->collected_on, p->hire_date, 11);
        add_days(p->collected_on, below(r, 10));
    }
    if (p->retire_date[0] && strcmp(p->collected_on, p->retire_date) > 0)
        memcpy(p->collected_on, p->retire_date, 11);
    int roll = below(r, 10);
    if (strcmp(p->collected_on, "2020-05-25") < 0)
        p->docs = roll < 3   ? DEMO_DOCS_CARD
                  : roll < 8 ? DEMO_DOCS_NOTIFICATION_LICENCE
                             : DEMO_DOCS_JUMINHYO_PASSPORT;
    else
        p->docs = roll < 8 ? DEMO_DOCS_CARD : DEMO_DOCS_JUMINHYO_PASSPORT;
}

void demo_person_make(uint64_t seed, long index, struct demo_person *p)
{
    /* Each person's stream starts at an unrelated point: the seed and the index are mixed
     * (a plain sum would make person i+1's stream person i's shifted by one draw). */
    struct rng r = {mix(seed ^ 0x6A09E667F3BCC909ull) ^
                    mix((uint64_t)index + 0xBB67AE8584CAA73Bull)};
    memset(p, 0, sizeof(*p));
    snprintf(p->code, sizeof(p->code), "E%06ld", (index + 1) % 10000000);
    const struct name *fam = &family[below(&r, 16)];
    p->sex = below(&r, 2) ? 'F' : 'M';
    const struct name *g = p->sex == 'F' ? &given_f[below(&r, 16)] : &given_m[below(&r, 16)];
    full_name(p->name, sizeof(p->name), fam, g, 0);
    full_name(p->reading, sizeof(p->reading), fam, g, 1);
    int birth_year = 1960 + below(&r, 45);
    make_date(&r, birth_year, birth_year, p->birth_date);
    const struct place *pl = &places[below(&r, (int)(sizeof(places) / sizeof(places[0])))];
    snprintf(p->postal_code, sizeof(p->postal_code), "%03d-%04d",
             pl->postal_from + below(&r, pl->postal_to - pl->postal_from + 1), below(&r, 10000));
    snprintf(p->address, sizeof(p->address), "%s%s%d-%d-%d", pl->prefecture,
             towns[below(&r, (int)(sizeof(towns) / sizeof(towns[0])))], 1 + below(&r, 5),
             1 + below(&r, 20), 1 + below(&r, 30));
    int hire_year = birth_year + 22 + below(&r, 15);
    if (hire_year > 2025)
        hire_year = 2025;
    make_date(&r, hire_year, hire_year, p->hire_date);
    if (below(&r, 20) == 0 && hire_year < 2025) { /* about one in twenty has retired */
        int ry = hire_year + 1 + below(&r, 12);
        if (ry > 2025)
            ry = 2025;
        make_date(&r, ry, ry, p->retire_date);
        if (strcmp(p->retire_date, p->hire_date) <= 0)
            p->retire_date[0] = '\0';
    }
    snprintf(p->emp_insurance, sizeof(p->emp_insurance), "%04d-%06d-%d", below(&r, 10000),
             below(&r, 1000000), below(&r, 10));
    snprintf(p->pension, sizeof(p->pension), "%04d-%06d", below(&r, 10000), below(&r, 1000000));
    /* Numbers came into use in 2016: someone who left before then never gave one. */
    p->number_era = !p->retire_date[0] || year_of(p->retire_date) >= 2016;
    p->has_number = p->number_era && below(&r, 100) < 92; /* a few still missing */
    if (p->has_number) {
        make_number(seed, index, 0, p->number);
        p->verified = below(&r, 100) < 95;
        make_collection(&r, p);
    }
    make_dependents(&r, seed, index, p, fam, birth_year);
    sodium_memzero(&r, sizeof(r));
}
