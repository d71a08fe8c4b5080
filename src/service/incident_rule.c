/* incident_rule.c: the reporting rule of 番号法 第29条の4 and its rules, and the words of
 * incidents (incident.h). Pure: no vault, no session. doc/incident.md has the sources. */
#include "mnvault/incident.h"

#include <stdio.h>
#include <string.h>

#include "mnvault/caldate.h"
#include "mnvault/i18n.h"

void incident_assess(const struct incident_facts *f, struct incident_verdict *v)
{
    memset(v, 0, sizeof(*v));
    /* A file without a My Number holds no 特定個人情報: these rules do not apply (the
     * Act on the Protection of Personal Information may; doc/incident.md). */
    v->applies = f->persons != 0;
    if (f->malicious)
        v->reasons |= INCIDENT_WHY_MALICIOUS;
    if (f->public_view)
        v->reasons |= INCIDENT_WHY_PUBLIC;
    if (f->unlawful)
        v->reasons |= INCIDENT_WHY_UNLAWFUL;
    if (f->persons < 0 || f->persons > INCIDENT_THRESHOLD)
        v->reasons |= INCIDENT_WHY_OVER_100;
    /* 規則 第2条: 特定個人情報 "高度な暗号化その他の個人の権利利益を保護するために必要な措置
     * を講じたものを除く" — not when the key may have gone with the file. */
    v->exempt = f->encrypted && !f->key_exposed;
    v->must_report = v->applies && !v->exempt && v->reasons != 0;
    v->prelim_days = INCIDENT_PRELIM_DAYS;
    v->final_days =
        (v->reasons & INCIDENT_WHY_MALICIOUS) ? INCIDENT_FINAL_DAYS_MALICIOUS : INCIDENT_FINAL_DAYS;
}

enum mnv_err incident_deadline(const char *known, int days, char out[11])
{
    int32_t day;
    out[0] = '\0';
    if (caldate_parse(known, &day) != 0 || days < 0)
        return MNV_ERR_INCIDENT_DATE;
    char iso[CALDATE_ISO_SIZE];
    caldate_format(day + days, iso);
    snprintf(out, 11, "%s", iso);
    return MNV_OK;
}

static const struct {
    const char *name, *label;
} events[] = {
    [INCIDENT_LOST] = {"lost", N_("lost (紛失)")},
    [INCIDENT_STOLEN] = {"stolen", N_("stolen (盗難)")},
    [INCIDENT_MISSENT] = {"missent", N_("sent to the wrong recipient (誤送付)")},
    [INCIDENT_ACCESSED] = {"accessed", N_("reached without the right (不正アクセス)")},
    [INCIDENT_PUBLIC] = {"public", N_("readable by anyone (公開状態)")},
    [INCIDENT_DAMAGED] = {"damaged", N_("destroyed or damaged (滅失・毀損)")},
};

const char *incident_event_label(enum incident_event e)
{
    return e >= INCIDENT_LOST && e <= INCIDENT_DAMAGED ? events[e].label : "?";
}

const char *incident_event_name(enum incident_event e)
{
    return e >= INCIDENT_LOST && e <= INCIDENT_DAMAGED ? events[e].name : "?";
}

enum incident_event incident_event_parse(const char *name)
{
    for (int e = INCIDENT_LOST; e <= INCIDENT_DAMAGED; e++)
        if (strcmp(name, events[e].name) == 0)
            return (enum incident_event)e;
    return 0;
}

const char *incident_source_label(enum incident_source s)
{
    switch (s) {
    case INCIDENT_EXPORT:
        return N_("export copy");
    case INCIDENT_BACKUP:
        return N_("backup");
    case INCIDENT_DEVICE:
        return N_("device holding the vault");
    }
    return "?";
}

const char *incident_source_name(enum incident_source s)
{
    switch (s) {
    case INCIDENT_EXPORT:
        return "export";
    case INCIDENT_BACKUP:
        return "backup";
    case INCIDENT_DEVICE:
        return "device";
    }
    return "?";
}

const char *incident_item_label(enum incident_item i)
{
    switch (i) {
    case INCIDENT_ITEM_NUMBER:
        return N_("My Number");
    case INCIDENT_ITEM_NAME:
        return N_("name");
    case INCIDENT_ITEM_BIRTH:
        return N_("date of birth");
    case INCIDENT_ITEM_SEX:
        return N_("sex");
    case INCIDENT_ITEM_ADDRESS:
        return N_("address");
    case INCIDENT_ITEM_INSURANCE:
        return N_("pension and employment insurance numbers");
    case INCIDENT_ITEM_EMPLOYMENT:
        return N_("employee code and dates of employment");
    case INCIDENT_ITEM_DEPENDANTS:
        return N_("dependants (names, relation, birth dates)");
    case INCIDENT_ITEM_PAY:
        return N_("pay and tax amounts");
    case INCIDENT_ITEM_IDDOCS:
        return N_("identity checks (kinds of documents seen)");
    }
    return "?";
}

const char *incident_protection_label(enum incident_protection p)
{
    switch (p) {
    case INCIDENT_PLAIN:
        return N_("not encrypted (the file as written)");
    case INCIDENT_ZIP:
        return N_("AES-256 encrypted zip, passphrase shown once when written");
    case INCIDENT_BACKUPFILE:
        return N_("encrypted backup (XChaCha20-Poly1305 under the backup key; numbers also "
                  "under their own keys)");
    case INCIDENT_VAULT:
        return N_("encrypted vault (SQLCipher 4, AES-256; each number under its own key; keys "
                  "sealed by the users' passwords with Argon2id)");
    }
    return "?";
}

char *incident_items_text(unsigned items, char *out, size_t size)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < INCIDENT_ITEMS_ALL && len + 1 < size; i++) {
        unsigned bit = 1u << i;
        if (!(items & bit))
            continue;
        int k = snprintf(out + len, size - len, "%s%s", len ? _(", ") : "",
                         _(incident_item_label((enum incident_item)bit)));
        if (k > 0)
            len += (size_t)k;
    }
    if (len >= size)
        out[size - 1] = '\0';
    return out;
}
