/* collectwiz.h (service layer): collecting a My Number step by step, as a model that any
 * front end walks (the TUI's wizard draws it; it knows no screen). The rules decide every
 * question (idrules.h): which ways of collecting apply to the person, whether the
 * known-person exemption may be claimed, which checks the way needs and in which order,
 * which documents each check may take through the channel on the day, which purposes the
 * way allows. The model keeps what was answered in a struct collect_request and judges it
 * with collect_judge() at each step; collect_store() stores it at the end.
 *
 * Steps: the number (typed twice, checked for its check digit and for being registered to
 * someone else) → how it was collected (route, channel, exemption, who checked, the day) →
 * the documents, one check at a time (a check that documents shown earlier already prove
 * is skipped) → the purposes notified and the day → the summary → store. collectwiz_back()
 * goes one step back; going back to the number wipes it. The number lives only in secmem
 * and is wiped by collectwiz_wipe_number() (the front end calls it on lock) and on release.
 */
#ifndef MNVAULT_COLLECTWIZ_H
#define MNVAULT_COLLECTWIZ_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/collect.h"
#include "mnvault/err.h"
#include "mnvault/idrules.h"
#include "mnvault/mynumber.h"
#include "mnvault/purposecat.h"

struct session;

enum collectwiz_step {
    COLLECTWIZ_NUMBER = 0,
    COLLECTWIZ_METHOD,
    COLLECTWIZ_DOCS,
    COLLECTWIZ_PURPOSES,
    COLLECTWIZ_SUMMARY,
    COLLECTWIZ__STEPS
};

#define COLLECTWIZ_LIST_MAX 40 /* routes, documents or purposes offered at once */

/* The wizard's state; read its fields, change them only through the functions below. */
struct collectwiz {
    struct session *s;
    const struct idrules *rules;
    const struct purpose_catalog *catalog;
    struct collect_person facts; /* the person's relation, status, employee's verification */
    enum collectwiz_step step;
    struct mynumber *num; /* secmem; holds the number from COLLECTWIZ_METHOD on */
    int have_num;
    int routes[COLLECTWIZ_LIST_MAX]; /* rules->routes indexes that apply to the person */
    size_t nroutes, route_i;
    enum id_check checks[ID_CHECK__COUNT]; /* the route's checks still asked, in order */
    size_t nchecks, check_i;
    int docs[COLLECTWIZ_LIST_MAX]; /* rules->docs offered for the current check */
    size_t ndocs;
    int purposes[COLLECTWIZ_LIST_MAX]; /* catalog->items the route allows */
    int chosen[COLLECTWIZ_LIST_MAX];   /* purposes[i] is chosen */
    size_t npurposes;
    struct collect_request req; /* everything answered; req.number is set only to store */
};

/*
 * collectwiz_init: a wizard for ref in *w (release with collectwiz_release()), with the rules
 * (collect_rules()), the session's purposes and the person's facts; the verifier defaults to
 * the user's display name and the day to today. Returns MNV_OK, MNV_ERR_DENIED (no
 * number.store), MNV_ERR_NOMEM, or the rules' or vault's error; on failure nothing is held.
 */
MNV_MUST_CHECK enum mnv_err collectwiz_init(struct collectwiz *w, struct session *s,
                                            const struct person_ref *ref, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* collectwiz_release: wipe the number and everything else; w may be released twice. */
void collectwiz_release(struct collectwiz *w) MNV_NONNULL(1);

/* collectwiz_wipe_number: forget the number and go back to the first step (on lock). */
void collectwiz_wipe_number(struct collectwiz *w) MNV_NONNULL(1);

/*
 * collectwiz_set_number: the number as typed twice (first[0..len1), again[0..len2); read
 * only). Returns MNV_OK and moves to the method step; else the parser's error (check digit,
 * length, character), MNV_ERR_NUMBER_MISMATCH, or collect_check_number()'s (duplicate — the
 * refusal is audited —, the same number, denied, locked), with the number wiped.
 */
MNV_MUST_CHECK enum mnv_err collectwiz_set_number(struct collectwiz *w, const char *first,
                                                  size_t len1, const char *again, size_t len2,
                                                  struct mnv_diag *diag) MNV_NONNULL(1);

/* --- Step 2: how it was collected ----------------------------------------------------------- */

/* collectwiz_route: the chosen route (NULL when no route applies to the person). */
const struct id_route_def *collectwiz_route(const struct collectwiz *w) MNV_NONNULL(1);

/* collectwiz_next_route / _next_channel: the next choice, round; the exemption is dropped
 * when it no longer applies. */
void collectwiz_next_route(struct collectwiz *w) MNV_NONNULL(1);
void collectwiz_next_channel(struct collectwiz *w) MNV_NONNULL(1);

/* collectwiz_known_allowed: 1 when the exemption may be claimed on this route and channel. */
MNV_MUST_CHECK int collectwiz_known_allowed(const struct collectwiz *w) MNV_NONNULL(1);

/* collectwiz_toggle_known: claim the exemption or withdraw it (only when allowed). */
void collectwiz_toggle_known(struct collectwiz *w) MNV_NONNULL(1);

/*
 * collectwiz_set_method: who checked the documents and the day (ASCII, full-width or
 * Japanese era dates). The day's normal form is written into iso (11 bytes; "" when the day
 * cannot be read: MNV_ERR_FIELD_DATE or FIELD_NO_SUCH_DAY). Returns MNV_OK and moves to the
 * documents (or, when the route needs none, the purposes); else that date error or
 * ID_ROUTE_PERSON, ID_DECLARANT or ID_EXEMPTION. Who checked and whether the day is in the
 * future are judged with the documents (collect_judge() reports the documents first).
 */
MNV_MUST_CHECK enum mnv_err collectwiz_set_method(struct collectwiz *w, const char *verifier,
                                                  const char *day, char iso[11],
                                                  struct mnv_diag *diag) MNV_NONNULL(1, 2, 3, 4);

/* --- Step 3: documents, one check at a time ------------------------------------------------- */

/* collectwiz_check: the check the documents step asks for now. */
enum id_check collectwiz_check(const struct collectwiz *w) MNV_NONNULL(1);

/* collectwiz_doc: the i-th document offered for the check (i < w->ndocs), or NULL. */
const struct id_doc_def *collectwiz_doc(const struct collectwiz *w, size_t i) MNV_NONNULL(1);

/* collectwiz_doc_chosen: the request's entry for the i-th document offered, or NULL. */
const struct collect_doc *collectwiz_doc_chosen(const struct collectwiz *w, size_t i)
    MNV_NONNULL(1);

/*
 * collectwiz_toggle_doc: choose the i-th document offered, or unchoose it. Returns MNV_OK,
 * MNV_ERR_ID_DOC_COUNT (too many documents) or MNV_ERR_RANGE (no such document).
 */
MNV_MUST_CHECK enum mnv_err collectwiz_toggle_doc(struct collectwiz *w, size_t i) MNV_NONNULL(1);

/* collectwiz_ref_allowed: 1 when the i-th document offered is chosen and its own number's
 * last characters may be noted, else 0. */
MNV_MUST_CHECK int collectwiz_ref_allowed(const struct collectwiz *w, size_t i) MNV_NONNULL(1);

/*
 * collectwiz_set_doc_ref: note the last characters of the chosen i-th document's own number
 * ("" for none; idrules_evaluate() judges them when the check is done: at most
 * IDRULES_REF_MAX letters or digits). Returns MNV_OK, or MNV_ERR_INVALID when
 * collectwiz_ref_allowed() says no, or MNV_ERR_ID_REF when ref is too long to keep.
 */
MNV_MUST_CHECK enum mnv_err collectwiz_set_doc_ref(struct collectwiz *w, size_t i, const char *ref)
    MNV_NONNULL(1, 3);

/*
 * collectwiz_docs_done: the documents for the current check are chosen. Returns MNV_OK and
 * moves to the next check not proven yet (or to the purposes); MNV_ERR_ID_*_MISSING when
 * the check is not proven, with *v saying how many documents without a photo are still
 * needed (v->more_parts); or a refusal of idrules_evaluate() (diag names the document).
 */
MNV_MUST_CHECK enum mnv_err collectwiz_docs_done(struct collectwiz *w, struct id_verdict *v,
                                                 struct mnv_diag *diag) MNV_NONNULL(1, 2);

/* --- Step 4: purposes --------------------------------------------------------------------- */

/* collectwiz_purpose: the i-th purpose offered (i < w->npurposes), or NULL. */
const struct purpose_def *collectwiz_purpose(const struct collectwiz *w, size_t i) MNV_NONNULL(1);

/* collectwiz_toggle_purpose: choose or unchoose the i-th purpose offered. */
void collectwiz_toggle_purpose(struct collectwiz *w, size_t i) MNV_NONNULL(1);

/*
 * collectwiz_set_purposes: the chosen purposes were notified or stated on day (written in
 * normal form into iso; "" when the day cannot be read: MNV_ERR_FIELD_DATE or
 * FIELD_NO_SUCH_DAY). Returns MNV_OK and moves to the summary; else collect_judge()'s error:
 * PURPOSE_NEEDED, ID_PURPOSE_ROUTE, FIELD_FUTURE … (diag->item names the purpose or date).
 */
MNV_MUST_CHECK enum mnv_err collectwiz_set_purposes(struct collectwiz *w, const char *day,
                                                    char iso[11], struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* --- Step 5 and moving back ------------------------------------------------------------------ */

/*
 * collectwiz_store: store the number with the verification and the purposes (collect_store()).
 * Returns MNV_OK (the number is wiped; *res may be NULL) or the store's error; after
 * MNV_ERR_NUMBER_DUPLICATE or NUMBER_SAME the number is wiped and the wizard is back at its
 * first step.
 */
MNV_MUST_CHECK enum mnv_err collectwiz_store(struct collectwiz *w, struct collect_result *res,
                                             struct mnv_diag *diag) MNV_NONNULL(1);

/* collectwiz_back: one step back (the previous check within the documents); from the method
 * step back to the number, which is wiped. At the first step nothing happens. */
void collectwiz_back(struct collectwiz *w) MNV_NONNULL(1);

/* collectwiz_started: 1 when anything was answered (leaving would lose it). */
MNV_MUST_CHECK int collectwiz_started(const struct collectwiz *w) MNV_NONNULL(1);

#endif
