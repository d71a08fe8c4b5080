/* idrules.h (service layer): the identity verification rules (本人確認) for collecting a My Number,
 * read from data/id-documents.ini, and their evaluation (pure: no vault, no session).
 *
 * Two checks are made for the person (番号確認: the number is theirs; 身元確認: they are who
 * they claim), or, through an agent, three: the agent's authority (代理権確認), the agent's
 * identity, and the person's number. Which documents fill which check, through which
 * channel (in person, by post, online), which way of collecting (route) applies to whom,
 * and how many documents without a photo replace a photo ID are data, described in
 * doc/collection.md. idrules_evaluate() says whether a set of documents is enough and, when
 * it is not, what is still missing.
 */
#ifndef MNVAULT_IDRULES_H
#define MNVAULT_IDRULES_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/person.h"

#define IDRULES_FILE "id-documents.ini"
#define IDRULES_CODE_MAX 32
#define IDRULES_NAME_MAX 200
#define IDRULES_NOTE_MAX 300
#define IDRULES_PURPOSES_MAX 256
#define IDRULES_REF_MAX 4  /* characters of a document's own number that may be noted */
#define IDRULES_DOCS_MAX 8 /* documents in one verification */

/* The checks a verification is made of. */
enum id_check {
    ID_CHECK_NUMBER = 0,     /* 番号確認: the person's number */
    ID_CHECK_IDENTITY,       /* 身元確認: the person */
    ID_CHECK_AUTHORITY,      /* 代理権確認: the agent may act for the person */
    ID_CHECK_AGENT_IDENTITY, /* 代理人の身元確認 */
    ID_CHECK__COUNT
};

/* How the documents reached the employer. */
enum id_channel { ID_CHANNEL_IN_PERSON = 0, ID_CHANNEL_POST, ID_CHANNEL_ONLINE, ID_CHANNEL__COUNT };

/* What a kind of document proves (bits of struct id_doc_def.proves). */
enum id_proof {
    ID_PROVES_NUMBER = 1 << 0,
    ID_PROVES_IDENTITY = 1 << 1,            /* identity on its own (a photo ID) */
    ID_PROVES_IDENTITY_PART = 1 << 2,       /* one of several without a photo */
    ID_PROVES_IDENTITY_SUPPLEMENT = 1 << 3, /* counts only beside an identity part */
    ID_PROVES_AUTHORITY = 1 << 4,
};

struct id_doc_def {
    char code[IDRULES_CODE_MAX + 1];
    char name_ja[IDRULES_NAME_MAX + 1];
    char name_en[IDRULES_NAME_MAX + 1];
    unsigned proves;       /* enum id_proof bits; 0: proves nothing (listed to explain) */
    unsigned channels;     /* bit 1 << enum id_channel */
    int ref_allowed;       /* the last characters of its own number may be noted */
    char usable_until[11]; /* "YYYY-MM-DD" or "" */
    char note_ja[IDRULES_NOTE_MAX + 1];
    char note_en[IDRULES_NOTE_MAX + 1];
};

struct id_route_def {
    char code[IDRULES_CODE_MAX + 1];
    char name_ja[IDRULES_NAME_MAX + 1];
    char name_en[IDRULES_NAME_MAX + 1];
    unsigned persons;       /* bit 1 << enum person_kind */
    unsigned relations;     /* bit 1 << enum dependent_relation; 0 = every dependent */
    unsigned requires;      /* bit 1 << enum id_check */
    int known_in_person;    /* identity documents may be skipped when it is obvious that the
                               person (agent routes: the agent) is not someone else */
    int declarant_verified; /* the employee's own number must be verified first */
    int notice_after;       /* purposes may be notified after the collection (the number came
                               through the employee); else before or at it */
    char purposes[IDRULES_PURPOSES_MAX + 1]; /* allowed purpose codes, comma-separated; "" any */
};

struct idrules {
    struct id_doc_def *docs; /* in file order */
    size_t ndocs;
    struct id_route_def *routes; /* in file order */
    size_t nroutes;
    int identity_parts;      /* documents without a photo that prove identity together */
    unsigned known_channels; /* channels where the known-person exemption applies */
};

/*
 * idrules_load: read the rules file at path (NULL: IDRULES_FILE in the data folder,
 * paths.h) into *out (free with idrules_free()). Returns MNV_OK, MNV_ERR_NOT_FOUND, or
 * MNV_ERR_IDRULES_FILE with diag->where = the file and diag->item = "section.key" at fault.
 */
MNV_MUST_CHECK enum mnv_err idrules_load(const char *path, struct idrules *out,
                                         struct mnv_diag *diag) MNV_NONNULL(2);

/* idrules_free: release what idrules_load() allocated; r may be empty or NULL. */
void idrules_free(struct idrules *r);

/* idrules_doc / idrules_route: the entry with this code, or NULL. Borrowed from r. */
const struct id_doc_def *idrules_doc(const struct idrules *r, const char *code) MNV_NONNULL(1, 2);
const struct id_route_def *idrules_route(const struct idrules *r, const char *code)
    MNV_NONNULL(1, 2);

/* idrules_check_name: "number", "identity", "authority", "agent_identity". */
const char *idrules_check_name(enum id_check c);
/* idrules_check_parse: the check named text; -1 when unknown. */
int idrules_check_parse(const char *text) MNV_NONNULL(1);

/* idrules_channel_name: "in_person", "post", "online". */
const char *idrules_channel_name(enum id_channel c);
/* idrules_channel_parse: those codes, or 対面 / 郵送 / オンライン; -1 when unknown. */
int idrules_channel_parse(const char *text) MNV_NONNULL(1);

/* idrules_doc_fits: 1 when the document can fill check c at all. */
MNV_MUST_CHECK int idrules_doc_fits(const struct id_doc_def *d, enum id_check c) MNV_NONNULL(1);

/* idrules_route_applies: 1 when route may be used for this person (kind, relation). */
MNV_MUST_CHECK int idrules_route_applies(const struct id_route_def *route, enum person_kind kind,
                                         enum dependent_relation relation) MNV_NONNULL(1);

/* idrules_route_allows_purpose: 1 when a purpose code may be notified under route. */
MNV_MUST_CHECK int idrules_route_allows_purpose(const struct id_route_def *route, const char *code)
    MNV_NONNULL(1, 2);

/* One document shown, and for which check. ref: "" or the last characters of its number. */
struct id_presented {
    const char *doc;
    enum id_check check;
    const char *ref;
};

/* A verification to judge. */
struct id_case {
    const char *route;
    enum id_channel channel;
    enum person_kind kind;
    enum dependent_relation relation; /* dependents only */
    int known_in_person;    /* the exemption is claimed (人違いでないことが明らか):
                               for the person, or on agent routes for the agent */
    int declarant_verified; /* dependents: the employee's number is verified */
    const char *date;       /* day of the verification, "YYYY-MM-DD" */
    const struct id_presented *docs;
    size_t ndocs;
};

/* What the documents achieved. */
struct id_verdict {
    unsigned required;               /* bit 1 << enum id_check: what the route requires */
    unsigned satisfied;              /* of all checks, those proven (or waived) */
    int more_parts[ID_CHECK__COUNT]; /* identity checks: documents without a photo still
                                        needed when no photo ID was shown; 0 otherwise */
};

/*
 * idrules_evaluate: judge case c under rules r into *v (always filled as far as it got).
 * Returns MNV_OK when every required check is proven; the first unmet check as
 * MNV_ERR_ID_NUMBER_MISSING, ID_IDENTITY_MISSING, ID_AUTHORITY_MISSING or ID_AGENT_MISSING;
 * or a refusal that no further document can mend: MNV_ERR_ID_ROUTE_UNKNOWN,
 * ID_CHANNEL_UNKNOWN, ID_ROUTE_PERSON, ID_DECLARANT, ID_EXEMPTION, ID_DOC_COUNT, and for one
 * document (diag->item = its code, diag->line = its 1-based place) ID_DOC_UNKNOWN,
 * ID_DOC_WRONG_CHECK, ID_DOC_CHANNEL, ID_DOC_EXPIRED, ID_DOC_REPEAT, ID_REF, ID_REF_NUMBER.
 */
MNV_MUST_CHECK enum mnv_err idrules_evaluate(const struct idrules *r, const struct id_case *c,
                                             struct id_verdict *v, struct mnv_diag *diag)
    MNV_NONNULL(1, 2, 3);

/* idrules_route_waives: the check the known-person exemption waives on route:
 * ID_CHECK_AGENT_IDENTITY when the route requires it, else ID_CHECK_IDENTITY. */
enum id_check idrules_route_waives(const struct id_route_def *route) MNV_NONNULL(1);

/* idrules_missing_error: the MNV_ERR_ID_*_MISSING code for an unmet check. */
enum mnv_err idrules_missing_error(enum id_check c);

/* --- What a collection on a route asks for (the questions a wizard puts, in order) --------- */

/*
 * idrules_known_allowed: 1 when the known-person exemption (no identity document, the person
 * being obviously no one else) may be claimed on route through channel, else 0.
 */
MNV_MUST_CHECK int idrules_known_allowed(const struct idrules *r, const struct id_route_def *route,
                                         enum id_channel channel) MNV_NONNULL(1, 2);

/*
 * idrules_plan: the checks route requires, in the order they are asked for (number,
 * identity, authority, agent's identity), without the one the exemption waives when known
 * is set, into out; returns how many.
 */
size_t idrules_plan(const struct id_route_def *route, int known, enum id_check out[ID_CHECK__COUNT])
    MNV_NONNULL(1, 3);

/*
 * idrules_doc_offered: 1 when document d may be shown for check c through channel on date
 * ("YYYY-MM-DD"; NULL: any day), as idrules_evaluate() would accept it, else 0.
 */
MNV_MUST_CHECK int idrules_doc_offered(const struct id_doc_def *d, enum id_check c,
                                       enum id_channel channel, const char *date) MNV_NONNULL(1);

#endif
