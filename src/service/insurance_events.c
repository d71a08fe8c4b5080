/*
 * insurance_events.c: the insurance facts as events for retention (insurance.h,
 * retentiondb.h): the days coverage or 被扶養者 status ended.
 */
#include "mnvault/insurance.h"

#include <stdlib.h>
#include <string.h>

#include "mnvault/caldate.h"
#include "mnvault/persondb.h"
#include "mnvault/retentiondb.h"

struct scan {
    struct vault *v;
    int64_t household;
    retention_emit_fn emit;
    void *ud;
};

static enum mnv_err emit_day(struct scan *sc, const struct person_ref *ref,
                             enum retention_event_kind kind, const char *iso, int next_day)
{
    int32_t day;
    if (!iso[0] || caldate_parse(iso, &day) != 0)
        return MNV_OK;
    struct retention_event ev = {*ref, kind, day + (next_day ? 1 : 0), ""};
    return sc->emit(sc->ud, &ev);
}

/* The employee's loss of 健康保険 ends the dependants' 被扶養者 status the same day. */
static enum mnv_err emit_household(struct scan *sc, int64_t employee_id, const char *iso)
{
    struct dependent *deps = NULL;
    size_t n = 0;
    enum mnv_err err = persondb_dependents_of(sc->v, employee_id, &deps, &n, NULL);
    for (size_t i = 0; err == MNV_OK && i < n; i++) {
        struct person_ref d = {PERSON_DEPENDENT, deps[i].id};
        err = emit_day(sc, &d, REV_HEALTH_PENSION_LOSS, iso, 0);
    }
    free(deps);
    return err;
}

static enum mnv_err one(void *ud, const struct person_ref *ref, int64_t employee_id,
                        const char *text, size_t len)
{
    struct scan *sc = ud;
    if (sc->household && sc->household != employee_id)
        return MNV_OK;
    char *copy = malloc(len + 1);
    if (!copy)
        return MNV_ERR_NOMEM;
    memcpy(copy, text, len + 1);
    struct insurance_facts f;
    memset(&f, 0, sizeof(f));
    enum mnv_err err = insurance_parse(copy, len, &f);
    const char *lost = err == MNV_OK ? insurance_value(&f, "shaho.lost_on") : "";
    if (err == MNV_OK && ref->kind == PERSON_EMPLOYEE) {
        err = emit_day(sc, ref, REV_HEALTH_PENSION_LOSS, lost, 0);
        if (err == MNV_OK && lost[0])
            err = emit_household(sc, ref->id, lost);
        if (err == MNV_OK)
            err = emit_day(sc, ref, REV_EMPLOYMENT_INSURANCE_LOSS,
                           insurance_value(&f, "koyo.left_on"), 1);
    } else if (err == MNV_OK) {
        err = emit_day(sc, ref, REV_HEALTH_PENSION_LOSS, insurance_value(&f, "fuyo.until"), 0);
    }
    memset(copy, 0, len);
    free(copy);
    f.text = NULL;
    return err == MNV_ERR_SEAL_BROKEN ? MNV_OK : err;
}

enum mnv_err insurance_retention_scan(struct vault *v, int64_t employee_id,
                                      enum mnv_err (*emit)(void *ud,
                                                           const struct retention_event *ev),
                                      void *ud, struct mnv_diag *diag)
{
    struct scan sc = {v, employee_id, emit, ud};
    enum mnv_err err = insurancedb_each(v, one, &sc, diag);
    /* A row that does not open (no key for this role, a damaged row: `verify` reports it)
     * gives no event: the numbers stay needed, never due too early. */
    if (err == MNV_ERR_SEAL_BROKEN || err == MNV_ERR_EPOCH_GONE) {
        mnv_diag_clear(diag);
        return MNV_OK;
    }
    return err;
}
