/*
 * payroll_demo.c: year-end figures for the demo population (demo.h), as the CSV file a
 * payroll system would write, for the demo vault, the tests and the benchmarks. The
 * figures are synthetic but plausible: 給与所得控除 by the 令和2年 table (65万円 at least),
 * the usual deductions, the tax at the national rates with the 復興特別所得税.
 */
#include "payroll_priv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mnvault/demo.h"
#include "mnvault/secmem.h"
#include "mnvault/strbuf.h"

/* The demo's towns are fictitious; each prefecture's reports go to the code of its capital
 * (real codes with their check digits). */
static const struct {
    const char *prefix, *code, *name;
} cities[] = {
    {"東京都", "131016", "千代田区"},   {"神奈川県", "141003", "横浜市"},
    {"大阪府", "271004", "大阪市"},     {"愛知県", "231002", "名古屋市"},
    {"福岡県", "401307", "福岡市"},     {"北海道", "011002", "札幌市"},
    {"埼玉県", "111007", "さいたま市"}, {"千葉県", "121002", "千葉市"},
    {"兵庫県", "281000", "神戸市"},
};

static size_t city_of(const char *address)
{
    for (size_t i = 0; i < MNV_ARRAY_LEN(cities); i++)
        if (strncmp(address, cities[i].prefix, strlen(cities[i].prefix)) == 0)
            return i;
    return 0;
}

/* 給与所得控除後の金額 (the 令和2年 table; at least 65万円 deducted). */
static long after_deduction(long pay)
{
    long d;
    if (pay <= 1900000)
        d = 650000;
    else if (pay <= 3600000)
        d = pay * 3 / 10 + 80000;
    else if (pay <= 6600000)
        d = pay * 2 / 10 + 440000;
    else if (pay <= 8500000)
        d = pay / 10 + 1100000;
    else
        d = 1950000;
    return pay > d ? pay - d : 0;
}

/* 所得税 and 復興特別所得税 on a taxable income (rounded down to 1,000 yen, then 100 yen). */
static long income_tax(long taxable)
{
    static const struct {
        long upto, rate, minus;
    } bands[] = {{1950000, 5, 0},
                 {3300000, 10, 97500},
                 {6950000, 20, 427500},
                 {9000000, 23, 636000},
                 {18000000, 33, 1536000},
                 {40000000, 40, 2796000},
                 {999999999999, 45, 4796000}};
    taxable = taxable / 1000 * 1000;
    long tax = 0;
    for (size_t i = 0; i < MNV_ARRAY_LEN(bands); i++)
        if (taxable <= bands[i].upto) {
            tax = taxable * bands[i].rate / 100 - bands[i].minus;
            break;
        }
    return tax > 0 ? tax * 1021 / 1000 / 100 * 100 : 0;
}

static const char *dependant_category(const struct demo_dependent *d, int year, long seq)
{
    int age = payroll_age(d->birth_date, year);
    if (strcmp(d->relation, "spouse") == 0)
        return age >= 70 ? "spouse_aged" : seq % 5 == 0 ? "spouse_special" : "spouse";
    if (strcmp(d->relation, "parent") == 0)
        return age >= 70 ? (seq % 2 ? "aged_cohabiting" : "aged") : "general";
    if (age < 16)
        return "under16";
    if (age >= 19 && age <= 22)
        return "specific";
    return age < 30 ? "general" : "none";
}

static long dependant_deduction(const char *cat)
{
    static const struct {
        const char *cat;
        long yen;
    } table[] = {{"spouse", 380000},         {"spouse_aged", 480000}, {"spouse_special", 260000},
                 {"general", 380000},        {"specific", 630000},    {"aged", 480000},
                 {"aged_cohabiting", 580000}};
    for (size_t i = 0; i < MNV_ARRAY_LEN(table); i++)
        if (strcmp(cat, table[i].cat) == 0)
            return table[i].yen;
    return 0;
}

static void person_rows(struct strbuf *o, const struct demo_person *p, long index, int year)
{
    char from[11], to[11];
    snprintf(from, sizeof(from), "%04d-01-01", year);
    snprintf(to, sizeof(to), "%04d-12-31", year);
    if (strcmp(p->hire_date, to) > 0 || (p->retire_date[0] && strcmp(p->retire_date, from) < 0))
        return; /* not employed during the year */
    int officer = index % 25 == 7;
    long pay = officer ? 12000000 + (index * 7919 % 130) * 100000
                       : 2400000 + (index * 104729 % 7200) * 1000;
    int hired = strcmp(p->hire_date, from) >= 0, left = p->retire_date[0] != '\0';
    if (hired || left)
        pay = pay * (1 + index % 9) / 12;
    long after = after_deduction(pay), social = pay * 15 / 100, life = 40000 + index % 3 * 20000;
    long basic = 580000, deps = 0, spouse = 0;
    for (int i = 0; i < p->ndependents; i++) {
        const char *cat = dependant_category(&p->dependents[i], year, index + i);
        long yen = dependant_deduction(cat);
        if (strncmp(cat, "spouse", 6) == 0)
            spouse += yen;
        else
            deps += yen;
    }
    long deductions = social + life + basic + spouse + deps;
    long tax = left ? 0 : income_tax(after > deductions ? after - deductions : 0);
    size_t city = city_of(p->address);
    strbuf_addf(o, "%s,%s,,,,,,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%ld,%s,%s,%s,%s,%s,%s,給料・賞与\r\n",
                p->code, p->name, pay, after, deductions, tax, social, life, basic, spouse,
                hired ? p->hire_date : "", left ? p->retire_date : "", officer ? "yes" : "no",
                left ? "no" : "yes", cities[city].code, cities[city].name);
    for (int i = 0; i < p->ndependents; i++) {
        const struct demo_dependent *d = &p->dependents[i];
        strbuf_addf(o, "%s,,%s,%s,%s,%s,%s,,,,,,,,,,,,,,,\r\n", p->code, d->name, d->birth_date,
                    dependant_category(d, year, index + i),
                    (index + i) % 31 == 3 ? "general" : "none",
                    (index + i) % 97 == 5 ? "yes" : "no");
    }
}

enum mnv_err payroll_demo_csv(uint64_t seed, long from, long count, int year, char **text,
                              size_t *len)
{
    *text = NULL;
    *len = 0;
    struct strbuf o = STRBUF_INIT;
    struct demo_person *p = secmem_alloc(sizeof(*p));
    if (!p)
        return MNV_ERR_NOMEM;
    strbuf_adds(&o, "employee_code,name,dependent_name,dependent_birth_date,deduction,disability,"
                    "nonresident,payment,after_deduction,deductions,tax,social_insurance,"
                    "life_insurance,basic_deduction,spouse_deduction,hired_on,retired_on,officer,"
                    "year_end_adjusted,municipality_code,municipality_name,kind\r\n");
    for (long i = from; i < from + count && !o.failed; i++) {
        demo_person_make(seed, i, p);
        person_rows(&o, p, i, year);
    }
    secmem_free(p);
    if (strbuf_error(&o) != MNV_OK) {
        strbuf_release(&o);
        return MNV_ERR_NOMEM;
    }
    *text = strbuf_detach(&o, len);
    return *text ? MNV_OK : MNV_ERR_NOMEM;
}
