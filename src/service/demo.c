#include "mnvault/demo.h"

#include <stdio.h>
#include <string.h>

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

static const char *const places[] = {
    "東京都千代田区千代田",     "東京都港区芝公園",           "神奈川県横浜市中区本町",
    "大阪府大阪市北区梅田",     "愛知県名古屋市中区栄",       "福岡県福岡市中央区天神",
    "北海道札幌市中央区大通西", "埼玉県さいたま市浦和区高砂", "千葉県千葉市中央区中央",
    "兵庫県神戸市中央区加納町",
};

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
    snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
}

static void full_name(char *out, size_t size, const struct name *f, const struct name *g, int kana)
{
    snprintf(out, size, "%s %s", kana ? f->kana : f->kanji, kana ? g->kana : g->kanji);
}

static void make_dependents(struct rng *r, uint64_t seed, long index, struct demo_person *p,
                            const struct name *fam, int birth_year)
{
    int n = below(r, 10) < 4 ? 0 : below(r, DEMO_MAX_DEPENDENTS) + 1;
    for (int i = 0; i < n; i++) {
        struct demo_dependent *d = &p->dependents[p->ndependents++];
        int is_spouse = (i == 0 && below(r, 3) != 0);
        int female = is_spouse ? p->sex == 'M' : below(r, 2);
        const struct name *g = female ? &given_f[below(r, 16)] : &given_m[below(r, 16)];
        full_name(d->name, sizeof(d->name), fam, g, 0);
        full_name(d->reading, sizeof(d->reading), fam, g, 1);
        d->sex = female ? 'F' : 'M';
        if (is_spouse) {
            snprintf(d->relation, sizeof(d->relation), "spouse");
            make_date(r, birth_year - 3, birth_year + 3, d->birth_date);
        } else if (birth_year < 1975 && below(r, 4) == 0) {
            snprintf(d->relation, sizeof(d->relation), "parent");
            make_date(r, birth_year - 32, birth_year - 24, d->birth_date);
        } else {
            int to = birth_year + 40 > 2024 ? 2024 : birth_year + 40;
            snprintf(d->relation, sizeof(d->relation), "child");
            make_date(r, birth_year + 24 > to ? to : birth_year + 24, to, d->birth_date);
        }
        d->has_number = below(r, 10) < 7;
        if (d->has_number)
            make_number(seed, index, 1 + i, d->number);
    }
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
    snprintf(p->postal_code, sizeof(p->postal_code), "%03d-%04d", 100 + below(&r, 800),
             below(&r, 10000));
    snprintf(p->address, sizeof(p->address), "%s%d-%d-%d", places[below(&r, 10)], 1 + below(&r, 5),
             1 + below(&r, 20), 1 + below(&r, 30));
    int hire_year = birth_year + 22 + below(&r, 15);
    if (hire_year > 2025)
        hire_year = 2025;
    make_date(&r, hire_year, hire_year, p->hire_date);
    if (below(&r, 20) == 0 && hire_year < 2025) { /* about one in twenty has retired */
        int ry = hire_year + 1 + below(&r, 6);
        if (ry > 2025)
            ry = 2025;
        make_date(&r, ry, ry, p->retire_date);
        if (strcmp(p->retire_date, p->hire_date) <= 0)
            p->retire_date[0] = '\0';
    }
    snprintf(p->emp_insurance, sizeof(p->emp_insurance), "%04d-%06d-%d", below(&r, 10000),
             below(&r, 1000000), below(&r, 10));
    snprintf(p->pension, sizeof(p->pension), "%04d-%06d", below(&r, 10000), below(&r, 1000000));
    p->has_number = below(&r, 100) < 92; /* a few still missing */
    if (p->has_number) {
        make_number(seed, index, 0, p->number);
        p->verified = below(&r, 100) < 95;
    }
    make_dependents(&r, seed, index, p, fam, birth_year);
    sodium_memzero(&r, sizeof(r));
}
