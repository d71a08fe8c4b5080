/* cjson.h (base layer): a small JSON tree with one canonical form, for the signed
 * certificates of deletion: objects with their members sorted by name, no insignificant
 * white space, strings as UTF-8 with only '"', '\\' and control characters escaped (\b \f
 * \n \r \t, else \u00xx), whole numbers only. This is what Python's
 * json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False) writes, so the
 * signed bytes can be rebuilt with standard tools. The parser reads exactly this subset
 * (and refuses anything else: floats, duplicate names, invalid UTF-8, depth over 16).
 */
#ifndef MNVAULT_CJSON_H
#define MNVAULT_CJSON_H

#include <stddef.h>
#include <stdint.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"
#include "mnvault/strbuf.h"

enum cjson_type { CJSON_NULL, CJSON_BOOL, CJSON_INT, CJSON_STRING, CJSON_ARRAY, CJSON_OBJECT };

struct cjson; /* opaque; every node is owned by its parent, the root by the caller */

/* Constructors: NULL when out of memory (or s is not valid UTF-8). Free with cjson_free(). */
struct cjson *cjson_null(void);
struct cjson *cjson_bool(int b);
struct cjson *cjson_int(int64_t n);
struct cjson *cjson_string(const char *s) MNV_NONNULL(1);
struct cjson *cjson_array(void);
struct cjson *cjson_object(void);

/*
 * cjson_add: append v to array a; cjson_set: set member name of object o to v (replacing
 * one of that name). Both take ownership of v, also on failure (v is then freed). Return 0,
 * or -1 when out of memory, a or o is of the wrong type, or v is NULL (a failed
 * constructor: the error carries through).
 */
int cjson_add(struct cjson *a, struct cjson *v);
int cjson_set(struct cjson *o, const char *name, struct cjson *v) MNV_NONNULL(2);

/*
 * cjson_detach: take member name out of object o without freeing it; the caller owns the
 * result (NULL when there is no such member).
 */
struct cjson *cjson_detach(struct cjson *o, const char *name) MNV_NONNULL(2);

/* Shorthands: cjson_set(o, name, cjson_string(s)) etc. */
int cjson_set_str(struct cjson *o, const char *name, const char *s) MNV_NONNULL(2, 3);
int cjson_set_int(struct cjson *o, const char *name, int64_t n) MNV_NONNULL(2);

/* Reading: the type; NULL or 0 when not of that type or not there. Borrowed. */
enum cjson_type cjson_type(const struct cjson *v);
const struct cjson *cjson_get(const struct cjson *o, const char *name) MNV_NONNULL(2);
const char *cjson_str(const struct cjson *v);
int64_t cjson_intval(const struct cjson *v);
size_t cjson_count(const struct cjson *v);                     /* array items, object members */
const struct cjson *cjson_at(const struct cjson *a, size_t i); /* array item */

/*
 * cjson_write: the canonical form of v into a malloc'd buffer (*out, NUL-terminated, free
 * with free()) of *len bytes. Returns MNV_OK or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err cjson_write(const struct cjson *v, char **out, size_t *len)
    MNV_NONNULL(1, 2, 3);

/*
 * cjson_write_to: the canonical form of v appended to sb (a file is the text and a line
 * break: append it after). Returns strbuf_error(sb): MNV_OK or MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err cjson_write_to(const struct cjson *v, struct strbuf *sb)
    MNV_NONNULL(1, 2);

/*
 * cjson_parse: text[0..len) into a tree (*out, free with cjson_free()). Returns MNV_OK,
 * MNV_ERR_INVALID (not JSON of the subset; diag->column = the byte offset, 1-based) or
 * MNV_ERR_NOMEM.
 */
MNV_MUST_CHECK enum mnv_err cjson_parse(const char *text, size_t len, struct cjson **out,
                                        struct mnv_diag *diag) MNV_NONNULL(1, 3);

void cjson_free(struct cjson *v);

#endif
