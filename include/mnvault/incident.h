/* incident.h (service layer): the incident report (漏えい等事案の報告). When an export copy, a
 * backup or a device holding the vault is lost, stolen, sent to the wrong place, reached by
 * someone without the right or put where anyone could read it, the vault says what that
 * file held — how many persons, whose My Numbers, which items (names, addresses, birth
 * dates, dependants, pay …) and whether and how it was strongly encrypted — from the
 * custody register (custody.h) and the backup register (backup.h); whether the event must
 * be reported to the Personal Information Protection Commission (個人情報保護委員会) under
 * 番号法 第29条の4 and the Commission's rules (特定個人情報の漏えい等に関する報告等に関する
 * 規則 第2条), with the deadlines; and the report's fields filled in as far as the vault
 * knows them. doc/incident.md gives the rule, its sources and its doubts.
 *
 * Recording an incident is one audited change ("incident.record"); the record keeps what
 * the file held at that moment, so the report does not change when the vault does. Neither
 * the record nor any report holds a My Number or a person's name.
 */
#ifndef MNVAULT_INCIDENT_H
#define MNVAULT_INCIDENT_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/incidentdb.h"
#include "mnvault/strbuf.h"

struct session;

#define INCIDENT_THRESHOLD 100 /* persons: more than this must be reported */
#define INCIDENT_PRELIM_DAYS 5 /* 速報: 速やかに — about 3 to 5 days (doc/incident.md) */
#define INCIDENT_FINAL_DAYS 30 /* 確報: within 30 days of knowing … */
#define INCIDENT_FINAL_DAYS_MALICIOUS 60 /* … 60 when malicious */

/*
 * incident_assess: the reporting rule, pure (no vault): f's facts → *v. A report is due when
 * the file held My Numbers, was not strongly encrypted (or its key may have gone with it),
 * and at least one of: malicious, public, unlawful, more than INCIDENT_THRESHOLD persons
 * (persons -1 counts as over: unknown is reported). doc/incident.md has the worked cases.
 */
void incident_assess(const struct incident_facts *f, struct incident_verdict *v) MNV_NONNULL(1, 2);

/*
 * incident_deadline: the last day (YYYY-MM-DD into out[11]) of a period of days after the
 * day known ("YYYY-MM-DD"; the day itself not counted). Returns MNV_OK or
 * MNV_ERR_INCIDENT_DATE.
 */
MNV_MUST_CHECK enum mnv_err incident_deadline(const char *known, int days, char out[11])
    MNV_NONNULL(1, 3);

/*
 * incident_survey_source: what source id holds (role custody.read: clerks, supervisors,
 * auditors), into *out. Not audited (no personal data). Returns MNV_OK, MNV_ERR_NOT_FOUND
 * (no such entry, with diag->item = the source), MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err incident_survey_source(struct session *s, enum incident_source src,
                                                   int64_t id, struct incident_survey *out,
                                                   struct mnv_diag *diag) MNV_NONNULL(1, 4);

/* What a person asks to record. */
struct incident_request {
    enum incident_source source;
    int64_t source_id;
    enum incident_event event;
    const char *known_on;                              /* YYYY-MM-DD; NULL or "": today */
    const char *happened_on;                           /* YYYY-MM-DD, NULL or "" unknown */
    int malicious, public_view, unlawful, key_exposed; /* 1 yes; -1: from the event */
    const char *summary; /* what happened, for the report (no My Number) */
};

/*
 * incident_record: survey req's source, apply the rule and record the incident (role
 * incident.record: clerks and supervisors), in one change audited "incident.record"
 * (subject incident:<id>, detail source, event, persons, numbers, report=yes|no). The event
 * sets malicious (stolen, accessed) and public_view (public) unless the request says.
 * *out (may be NULL) receives the record. Returns MNV_OK, MNV_ERR_NOT_FOUND,
 * MNV_ERR_INCIDENT_DATE (a day not YYYY-MM-DD, or in the future, or happened after known),
 * MNV_ERR_FIELD_LONG / _CHARS / _NUMBER (the summary), MNV_ERR_DENIED or a database error.
 */
MNV_MUST_CHECK enum mnv_err incident_record(struct session *s, const struct incident_request *req,
                                            struct incident_rec *out, struct mnv_diag *diag)
    MNV_NONNULL(1, 2);

/* incident_list: every recorded incident, newest first (custody.read; malloc'd, free()). */
MNV_MUST_CHECK enum mnv_err incident_list(struct session *s, struct incident_rec **out,
                                          size_t *count, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* incident_get: one incident (custody.read); MNV_ERR_NOT_FOUND when there is none. */
MNV_MUST_CHECK enum mnv_err incident_get(struct session *s, int64_t id, struct incident_rec *out,
                                         struct mnv_diag *diag) MNV_NONNULL(1, 3);

/* Words, as msgids (translate with _()), and the CLI's stable names. */
const char *incident_event_label(enum incident_event e);
const char *incident_event_name(enum incident_event e);
enum incident_event incident_event_parse(const char *name) MNV_NONNULL(1); /* 0: unknown */
const char *incident_source_label(enum incident_source s);
const char *incident_source_name(enum incident_source s);
const char *incident_item_label(enum incident_item i);
const char *incident_protection_label(enum incident_protection p);

/* incident_items_text: the items held, translated and "、"-separated, into out. */
char *incident_items_text(unsigned items, char *out, size_t size) MNV_NONNULL(2);

/*
 * incident_text: the report as lines a person reads (translated; the CLI prints them, the
 * TUI pages them): what held, the rule's answer with its reasons and deadlines, and the
 * fields of the report to the Commission, those the vault cannot know marked to be
 * written. Appends to out. Returns MNV_OK or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err incident_text(const struct incident_rec *r, struct strbuf *out)
    MNV_NONNULL(1, 2);

/*
 * incident_write: the report of r to path: CSV (UTF-8, one "field,value" row each) when path
 * ends in ".csv", else a PDF (A4, PDFDOC_NO_NUMBERS; 見本 DEMO on a demo vault, as every PDF
 * after setup_demo_marks()). Written through atomicfile.h with mode 0600 and audited
 * "incident.report" (subject incident:<id>) by the session's user (custody.read). Returns
 * MNV_OK, MNV_ERR_DENIED, an I/O or PDF error.
 */
MNV_MUST_CHECK enum mnv_err incident_write(struct session *s, const struct incident_rec *r,
                                           const char *path, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

#endif
