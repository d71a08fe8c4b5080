/* fuzz_vaultcsv: libFuzzer target for the CSV files a clerk brings to a vault: the people
 * import, the payroll figures, the insurance facts, and a payroll system's 375 / eLTAX
 * filing to fill with numbers (export fill). One vault is made at the start (svcfix.h:
 * three employees with dependants and numbers, figures of 2025); every input is then run as
 * a dry run by the clerk, so the vault stays the same. The first byte picks the reader.
 * Nothing may crash, leak or read out of bounds; a dry run never changes the vault. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../unit/svcfix.h"
#include "mnvault/export.h"
#include "mnvault/import.h"
#include "mnvault/insurance.h"
#include "mnvault/numtext.h"
#include "mnvault/payroll.h"
#include "mnvault/people.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct session *clerk;
static char in_path[300], out_path[300];
static size_t people_before;

/* A valid individual number from 11 digits. */
static void number(const char *base11, char out[13])
{
    memcpy(out, base11, 11);
    out[11] = (char)('0' + numtext_check_digit_individual(base11));
    out[12] = '\0';
}

static int write_text(const char *p, const void *t, size_t n)
{
    FILE *f = fopen(p, "w");
    if (!f)
        return -1;
    fwrite(t, 1, n, f);
    return fclose(f) == 0 ? 0 : -1;
}

static size_t count_people(void)
{
    struct person_list l;
    if (people_list(clerk, &l, NULL) != MNV_OK)
        return (size_t)-1;
    size_t n = l.count;
    person_list_free(&l);
    return n;
}

static int prepare(void)
{
    if (svc_make() != 0 || !(clerk = svc_login("clerk")))
        return -1;
    char n[6][13];
    const char *bases[6] = {"20000000011", "20000000022", "20000000033",
                            "20000000044", "20000000055", "20000000066"};
    for (int i = 0; i < 6; i++)
        number(bases[i], n[i]);
    char people[2048];
    snprintf(people, sizeof(people),
             "employee_code,name,kana,birth_date,sex,hire_date,address,dependent_name,relation,"
             "my_number,route,documents,verified_by,verified_on,purposes\n"
             "F001,見本 太郎,ミホン タロウ,1980-04-01,M,2010-04-01,東京都千代田区千代田1-1,,,%s,"
             "self,mynumber_card,人事,2025-01-10,tax_withholding\n"
             "F001,,ミホン ハナコ,1982-05-06,F,,,見本 花子,spouse,%s,employee_declared,,人事,"
             "2025-01-10,tax_withholding\n"
             "F001,,ミホン イチロウ,2015-07-08,M,,,見本 一郎,child,%s,employee_declared,,人事,"
             "2025-01-10,tax_withholding\n"
             "F002,試験 次郎,シケン ジロウ,1975-09-30,M,2005-04-01,東京都港区芝公園2-2,,,%s,"
             "self,mynumber_card,人事,2025-01-10,tax_withholding\n"
             "F002,,シケン ハハ,1950-01-02,F,,,試験 母,parent,%s,employee_declared,,人事,"
             "2025-01-10,tax_withholding\n"
             "F003,架空 三子,カクウ ミツコ,1990-02-03,F,2015-04-01,大阪府大阪市北区梅田3-3,,,%s,"
             "self,mynumber_card,人事,2025-01-10,tax_withholding\n",
             n[0], n[1], n[2], n[3], n[4], n[5]);
    static const char figures[] =
        "社員番号,扶養親族氏名,扶養親族生年月日,控除区分,支払金額,源泉徴収税額,"
        "提出先市町村コード\n"
        "F001,,,,7200000,180000,131016\nF001,見本 花子,1982-05-06,控除対象配偶者,,,\n"
        "F001,見本 一郎,2015-07-08,16歳未満,,,\nF002,,,,9800000,420000,141003\n"
        "F002,試験 母,1950-01-02,同居老親等,,,\nF003,,,,6000000,150000,271004\n";
    snprintf(in_path, sizeof(in_path), "%s/in.csv", svc_dir);
    snprintf(out_path, sizeof(out_path), "%s/out.csv", svc_dir);
    struct import_report ir;
    struct payroll_report pr;
    int ok = write_text(in_path, people, strlen(people)) == 0 &&
             import_csv(clerk, in_path, 0, &ir, NULL) == MNV_OK &&
             payroll_import_text(clerk, figures, strlen(figures), 2025, 0, &pr, NULL) == MNV_OK;
    import_report_free(&ir);
    payroll_report_free(&pr);
    people_before = count_people();
    return ok && people_before == 3 ? 0 : -1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int ready;
    if (!ready) {
        if (prepare() < 0)
            abort();
        ready = 1;
    }
    if (size < 1 || size > 65536)
        return 0;
    int which = data[0] % 5;
    const char *text = (const char *)data + 1;
    size_t len = size - 1;
    if (which == 0) {
        struct import_report rep;
        if (write_text(in_path, text, len) == 0)
            (void)import_csv(clerk, in_path, 1, &rep, NULL);
        import_report_free(&rep);
    } else if (which == 1 || which == 2) {
        /* These readers take decoded UTF-8 text (csv_decode comes first in the CLI). */
        char *copy = malloc(len + 1);
        if (!copy)
            return 0;
        memcpy(copy, text, len);
        copy[len] = '\0';
        if (which == 1) {
            struct payroll_report rep;
            (void)payroll_import_text(clerk, copy, len, 2025, 1, &rep, NULL);
            payroll_report_free(&rep);
        } else {
            struct insurance_report rep;
            (void)insurance_import_text(clerk, copy, len, 1, &rep, NULL);
            insurance_report_free(&rep);
        }
        free(copy);
    } else {
        struct export_fill_request req = {.form = which == 3 ? "nta375" : "eltax",
                                          .in_path = in_path,
                                          .out_path = out_path,
                                          .dry_run = 1};
        struct export_report rep;
        memset(&rep, 0, sizeof(rep));
        if (write_text(in_path, text, len) == 0)
            (void)export_fill(clerk, &req, &rep, NULL);
        export_report_free(&rep);
        if (access(out_path, F_OK) == 0)
            __builtin_trap(); /* a dry run wrote the file */
    }
    if (count_people() != people_before)
        __builtin_trap(); /* a dry run changed the vault */
    return 0;
}
