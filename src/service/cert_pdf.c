/*
 * cert_pdf.c: the certificate of deletion for people (個人番号削除証明書), drawn from the
 * same certificate object that is signed, with the shared PDF layer (pdfdoc.h): the
 * organisation, what was deleted by kind of document with each kind's legal basis, who
 * proposed, approved and executed it and when (和暦 and Western dates), the method, the
 * copies still outstanding, the chain and the signature key, then every person by employee
 * code and name. The document refuses any My Number (PDFDOC_NO_NUMBERS).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mnvault/pdfdoc.h"
#include "mnvault/wareki.h"

#include "cert_priv.h"

#define LEFT 15.0
#define WIDTH 180.0
#define BOTTOM 282.0

struct pen {
    struct pdfdoc *doc;
    double y;
    enum mnv_err err;
    struct mnv_diag *diag;
};

static const struct pdfdoc_style body = {PDFDOC_MINCHO, 9.5,         6, PDFDOC_LEFT,
                                         PDFDOC_TOP,    PDFDOC_WRAP, 0, 0};
static const struct pdfdoc_style cell = {PDFDOC_GOTHIC, 8.5,         5,   PDFDOC_LEFT,
                                         PDFDOC_MIDDLE, PDFDOC_WRAP, 0.8, 0};
static const struct pdfdoc_style small = {PDFDOC_GOTHIC, 7.5,         5, PDFDOC_LEFT,
                                          PDFDOC_TOP,    PDFDOC_WRAP, 0, 0};
/* The chain and the signing key: hex the program wrote (PDFDOC_IDENTIFIERS). */
static const struct pdfdoc_style small_ids = {
    PDFDOC_GOTHIC, 7.5, 5, PDFDOC_LEFT, PDFDOC_TOP, PDFDOC_WRAP | PDFDOC_IDENTIFIERS, 0, 0};
static const struct pdfdoc_style head = {PDFDOC_GOTHIC, 8.5, 5,   PDFDOC_LEFT,
                                         PDFDOC_MIDDLE, 0,   0.8, 0.0};

static void text(struct pen *p, double x, double y, double w, double h, const char *t,
                 const struct pdfdoc_style *st)
{
    if (p->err != MNV_OK || !t[0])
        return;
    struct boxfit_rect r = {x, y, w, h};
    p->err = pdfdoc_text(p->doc, &r, t, st, p->diag);
}

/* Running text over the full width; the pen moves below it. */
static void para(struct pen *p, const char *t, const struct pdfdoc_style *st)
{
    double h = 0;
    if (p->err == MNV_OK)
        p->err = pdfdoc_text_height(p->doc, WIDTH, t, st, &h, p->diag);
    text(p, LEFT, p->y, WIDTH, h + 0.5, t, st);
    p->y += h + 2.5;
}

static void new_page(struct pen *p)
{
    if (p->err == MNV_OK && pdfdoc_page_count(p->doc) > 0)
        p->err = pdfdoc_page_end(p->doc);
    if (p->err == MNV_OK)
        p->err = pdfdoc_page_begin(p->doc, PDFDOC_A4_PORTRAIT);
    p->y = 15;
}

/* "令和8年12月1日 10:00 (2026-12-01T01:00:00Z)" from an ISO time in UTC: the date and time
 * in the local time zone (the office's), the UTC time as the JSON has it. */
static void when(char *buf, size_t size, const char *iso)
{
    struct tm tm;
    memset(&tm, 0, sizeof(tm));
    const char *end = iso ? strptime(iso, "%Y-%m-%dT%H:%M:%SZ", &tm) : NULL;
    char day[16], era[64];
    if (end && !*end) {
        time_t t = timegm(&tm);
        struct tm local;
        if (localtime_r(&t, &local) && strftime(day, sizeof(day), "%Y-%m-%d", &local) &&
            wareki_format(era, sizeof(era), day, 0)) {
            snprintf(buf, size, "%s %02d:%02d (%s)", era, local.tm_hour, local.tm_min, iso);
            return;
        }
    }
    snprintf(buf, size, "%s", iso ? iso : "");
}

/* "平成6年1月31日" for "1994-01-31" (the ISO date as it is, should it not be one). */
static const char *era_day(char *buf, size_t size, const char *iso)
{
    if (!wareki_format(buf, size, iso, 0))
        snprintf(buf, size, "%s", iso);
    return buf;
}

/* The relation in Japanese, as the forms write it. */
static const char *relation_ja(const char *code)
{
    static const char *const names[][2] = {
        {"spouse", "配偶者"}, {"child", "子"}, {"parent", "父母"}, {"other", "その他の親族"}};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(code, names[i][0]) == 0)
            return names[i][1];
    return code;
}

static const char *S(const struct cjson *o, const char *name)
{
    const char *s = cjson_str(cjson_get(o, name));
    return s ? s : "";
}

/* A table row of cells: widths w[], texts t[]; ruled; at least h high, higher when a cell's
 * text wraps onto more lines. */
static void row(struct pen *p, const double *w, const char *const *t, size_t n, double h,
                int header)
{
    const struct pdfdoc_style *st = header ? &head : &cell;
    for (size_t i = 0; i < n && p->err == MNV_OK; i++) {
        double th = 0;
        if (t[i][0])
            p->err = pdfdoc_text_height(p->doc, w[i] - 2 * st->pad, t[i], st, &th, p->diag);
        if (th + 2 * st->pad + 0.5 > h)
            h = th + 2 * st->pad + 0.5;
    }
    if (p->y + h > BOTTOM)
        new_page(p);
    double x = LEFT;
    for (size_t i = 0; i < n; i++) {
        struct boxfit_rect r = {x, p->y, w[i], h};
        if (p->err == MNV_OK && header)
            pdfdoc_fill(p->doc, &r, 0.9);
        if (p->err == MNV_OK)
            pdfdoc_rect(p->doc, &r, NULL);
        text(p, x, p->y, w[i], h, t[i], st);
        x += w[i];
    }
    p->y += h;
}

static void title(struct pen *p, const struct cjson *c)
{
    static const struct pdfdoc_style big = {PDFDOC_MINCHO, 18, 12, PDFDOC_CENTER,
                                            PDFDOC_MIDDLE, 0,  0,  0};
    static const struct pdfdoc_style sub = {PDFDOC_GOTHIC, 9, 6, PDFDOC_CENTER,
                                            PDFDOC_MIDDLE, 0, 0, 0.3};
    static const struct pdfdoc_style right = {PDFDOC_GOTHIC, 8.5, 5, PDFDOC_RIGHT,
                                              PDFDOC_MIDDLE, 0,   0, 0};
    char buf[300], t[120];
    text(p, LEFT, p->y, WIDTH, 10, "個人番号削除証明書", &big);
    text(p, LEFT, p->y + 10, WIDTH, 5, "Certificate of deletion of My Numbers", &sub);
    p->y += 18;
    snprintf(buf, sizeof(buf), "証明書番号 Certificate %s", S(c, "id"));
    text(p, LEFT, p->y, WIDTH, 5, buf, &right);
    when(t, sizeof(t), S(c, "issued_at"));
    snprintf(buf, sizeof(buf), "発行 Issued %s", t);
    text(p, LEFT, p->y + 5, WIDTH, 5, buf, &right);
    const struct cjson *org = cjson_get(c, "organisation");
    snprintf(buf, sizeof(buf), "%s　法人番号 %s", S(org, "name"), S(org, "corporate_number"));
    text(p, LEFT, p->y + 11, WIDTH, 6, buf, &head);
    p->y += 20;
}

static void summary(struct pen *p, const struct cjson *c)
{
    const struct cjson *d = cjson_get(c, "deleted");
    char buf[400];
    snprintf(buf, sizeof(buf),
             "下記の個人番号 %lld 件（従業員 %lld 件、扶養親族 %lld 件）を、保存期間の経過後、"
             "提案者以外の事務取扱責任者の承認を得て削除したことを証明します。"
             "This certifies that the My Numbers below (%lld) were deleted after their retention "
             "periods ended, with the approval of a supervisor other than the proposer.",
             (long long)cjson_intval(cjson_get(d, "numbers")),
             (long long)cjson_intval(cjson_get(d, "employees")),
             (long long)cjson_intval(cjson_get(d, "dependants")),
             (long long)cjson_intval(cjson_get(d, "numbers")));
    para(p, buf, &body);
    static const double w[] = {10, 62, 14, 94};
    const char *h[] = {"No.", "書類の種類 Kind of document", "件数", "法令上の根拠 Legal basis"};
    row(p, w, h, 4, 6, 1);
    const struct cjson *kinds = cjson_get(d, "kinds");
    for (size_t i = 0; i < cjson_count(kinds); i++) {
        const struct cjson *k = cjson_at(kinds, i);
        char no[24], n[24];
        snprintf(no, sizeof(no), "%zu", i + 1);
        snprintf(n, sizeof(n), "%lld", (long long)cjson_intval(cjson_get(k, "numbers")));
        const char *t[] = {no, S(k, "name_ja"), n, S(k, "basis_ja")};
        row(p, w, t, 4, 7, 0);
    }
    p->y += 4;
}

static void parties(struct pen *p, const struct cjson *c)
{
    const struct cjson *pa = cjson_get(c, "parties");
    static const double w[] = {30, 24, 70, 56};
    const char *h[] = {"", "利用者 User", "日時 Time", "メモ・理由 Note, reason"};
    row(p, w, h, 4, 6, 1);
    static const char *const what[3][2] = {{"proposal", "提案 Proposed"},
                                           {"approval", "承認 Approved"},
                                           {"execution", "削除 Executed"}};
    for (int i = 0; i < 3; i++) {
        const struct cjson *x = cjson_get(pa, what[i][0]);
        char t[120];
        when(t, sizeof(t), S(x, "at"));
        const char *note = S(x, i == 0 ? "note" : "reason");
        const char *cells[] = {what[i][1], S(x, "by"), t, note};
        row(p, w, cells, 4, 7, 0);
    }
    p->y += 4;
}

static void facts(struct pen *p, const struct cjson *c, const char *key)
{
    char buf[1200];
    const struct cjson *m = cjson_get(c, "method"), *o = cjson_get(c, "outstanding");
    snprintf(
        buf, sizeof(buf),
        "方法 Method: 各記録の番号・データ鍵・照合用ハッシュ・利用目的と、確認書類の番号の末尾を"
        "削除し（空いた領域は上書きし、データベースは書き直した）、他のデータ鍵を新しいエポック鍵で"
        "包み直し、削除した"
        "番号を包んでいたエポック鍵 %lld を鍵ファイルから破棄。新しいバックアップを作成し、"
        "それ以前の管理下のバックアップ（%lld 件）を削除。",
        (long long)cjson_intval(cjson_get(m, "epoch_destroyed")),
        (long long)cjson_intval(cjson_get(m, "managed_backups_made_before")));
    para(p, buf, &body);
    const struct cjson *b = cjson_get(o, "backups"), *e = cjson_get(o, "exports");
    snprintf(buf, sizeof(buf),
             "未回収の複製 Copies outstanding: 管理外のバックアップ %zu 件、出力したファイル %zu 件"
             "（それぞれ廃棄を記録するまでダッシュボードに表示）。",
             cjson_count(b), cjson_count(e));
    para(p, buf, &body);
    for (size_t i = 0; i < cjson_count(b); i++) {
        snprintf(buf, sizeof(buf), "・バックアップ %s %s", S(cjson_at(b, i), "made_at"),
                 S(cjson_at(b, i), "path"));
        para(p, buf, &small);
    }
    for (size_t i = 0; i < cjson_count(e); i++) {
        const struct cjson *x = cjson_at(e, i);
        snprintf(buf, sizeof(buf), "・出力 %s %lld年分 → %s (%s) %s", S(x, "form"),
                 (long long)cjson_intval(cjson_get(x, "year")), S(x, "destination"), S(x, "state"),
                 S(x, "path"));
        para(p, buf, &small);
    }
    const struct cjson *a = cjson_get(c, "audit_before");
    snprintf(buf, sizeof(buf),
             "監査ログ Audit log: 削除前の最新記録 %lld (%.16s…)。前の証明書 Previous "
             "certificate (SHA-256): %s。署名鍵 Signing key (Ed25519): %s",
             (long long)cjson_intval(cjson_get(a, "seq")), S(a, "head"),
             S(c, "previous")[0] ? S(c, "previous") : "なし none", key);
    para(p, buf, &small_ids);
}

/* The number of the kind of document code in the table of kinds (1, 2 …). */
static size_t kind_no(const struct cjson *c, const char *code)
{
    const struct cjson *kinds = cjson_get(cjson_get(c, "deleted"), "kinds");
    for (size_t i = 0; i < cjson_count(kinds); i++)
        if (strcmp(S(cjson_at(kinds, i), "document"), code) == 0)
            return i + 1;
    return 0;
}

static void persons(struct pen *p, const struct cjson *c)
{
    static const double w[] = {26, 46, 52, 36, 20};
    const char *h[] = {"社員番号 Code", "従業員 Employee", "対象者 Person", "保存期限 Kept until",
                       "書類 No."};
    new_page(p);
    para(p, "削除した個人番号の対象者 Persons whose My Numbers were deleted", &body);
    row(p, w, h, 5, 6, 1);
    const struct cjson *list = cjson_get(c, "persons");
    for (size_t i = 0; i < cjson_count(list) && p->err == MNV_OK; i++) {
        const struct cjson *x = cjson_at(list, i);
        if (p->y + 6 > BOTTOM) {
            new_page(p);
            row(p, w, h, 5, 6, 1);
        }
        int dep = strcmp(S(x, "person"), "dependant") == 0;
        char who[300], until[64], no[24];
        if (dep)
            snprintf(who, sizeof(who), "%s（%s）", S(x, "name"), relation_ja(S(x, "relation")));
        else
            snprintf(who, sizeof(who), "本人");
        snprintf(no, sizeof(no), "%zu", kind_no(c, S(x, "document")));
        const char *t[] = {S(x, "employee_code"), S(x, "employee_name"), who,
                           era_day(until, sizeof(until), S(x, "kept_until")), no};
        row(p, w, t, 5, 6, 0);
    }
}

enum mnv_err cert_pdf(const struct cjson *c, const char *key, unsigned char **out, size_t *len,
                      struct mnv_diag *diag)
{
    *out = NULL;
    *len = 0;
    struct pdfdoc_info info = {"個人番号削除証明書", S(c, "id"), "mnvault", NULL,
                               PDFDOC_NO_NUMBERS};
    struct pen p = {NULL, 15, MNV_OK, diag};
    p.err = pdfdoc_new(&p.doc, &info, diag);
    if (p.err != MNV_OK)
        return p.err;
    new_page(&p);
    title(&p, c);
    summary(&p, c);
    parties(&p, c);
    facts(&p, c, key);
    persons(&p, c);
    const unsigned char *data;
    size_t n;
    if (p.err == MNV_OK)
        p.err = pdfdoc_finish(p.doc, &data, &n);
    if (p.err == MNV_OK && !(*out = malloc(n)))
        p.err = MNV_ERR_NOMEM;
    if (p.err == MNV_OK) {
        memcpy(*out, data, n);
        *len = n;
    }
    pdfdoc_free(p.doc);
    return p.err;
}
