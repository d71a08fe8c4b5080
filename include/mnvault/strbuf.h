/* strbuf.h (base layer): a growing text buffer (after git's strbuf). The text is always
 * NUL-terminated once anything was added; an out-of-memory error is sticky, so a run of
 * appends can be checked once at the end. A buffer made with strbuf_init_secret() holds
 * secrets: its old blocks are wiped when it grows, and it is wiped when released.
 *
 *     struct strbuf sb = STRBUF_INIT;
 *     strbuf_addf(&sb, "rows=%zu", n);
 *     strbuf_adds(&sb, " ok");
 *     if (strbuf_error(&sb) != MNV_OK) …;
 *     use(strbuf_str(&sb));
 *     strbuf_release(&sb);
 */
#ifndef MNVAULT_STRBUF_H
#define MNVAULT_STRBUF_H

#include <stddef.h>

#include "mnvault/attr.h"
#include "mnvault/err.h"

struct strbuf {
    char *buf;  /* NULL until something is added; the caller's after strbuf_detach() */
    size_t len; /* bytes of text, without the NUL */
    size_t cap; /* bytes allocated */
    int failed; /* an append ran out of memory: the text is incomplete */
    int secret; /* wipe old blocks and the released buffer */
};

#define STRBUF_INIT                                                                                \
    {                                                                                              \
        NULL, 0, 0, 0, 0                                                                           \
    }

/* strbuf_init / strbuf_init_secret: an empty buffer (ordinary, or for secrets). */
void strbuf_init(struct strbuf *sb) MNV_NONNULL(1);
void strbuf_init_secret(struct strbuf *sb) MNV_NONNULL(1);

/* strbuf_add: append p[0..n) (p may be NULL when n is 0). MNV_OK or MNV_ERR_NOMEM. */
enum mnv_err strbuf_add(struct strbuf *sb, const void *p, size_t n) MNV_NONNULL(1);

/* strbuf_adds / strbuf_addc: append a string / one byte. */
enum mnv_err strbuf_adds(struct strbuf *sb, const char *s) MNV_NONNULL(1, 2);
enum mnv_err strbuf_addc(struct strbuf *sb, char c) MNV_NONNULL(1);

/* strbuf_addf: append printf-style text. MNV_OK or MNV_ERR_NOMEM. */
enum mnv_err strbuf_addf(struct strbuf *sb, const char *fmt, ...) MNV_PRINTF(2, 3)
    MNV_NONNULL(1, 2);

/* strbuf_error: MNV_ERR_NOMEM when any append since the last reset failed, else MNV_OK. */
MNV_MUST_CHECK enum mnv_err strbuf_error(const struct strbuf *sb) MNV_NONNULL(1);

/* strbuf_str: the text ("" when empty); borrowed until the next change of sb. */
const char *strbuf_str(const struct strbuf *sb) MNV_NONNULL(1);

/* strbuf_reset: empty the text and clear the error, keeping the room (wiped if secret). */
void strbuf_reset(struct strbuf *sb) MNV_NONNULL(1);

/* strbuf_release: free (wipe first if secret) and leave an empty buffer. */
void strbuf_release(struct strbuf *sb) MNV_NONNULL(1);

/*
 * strbuf_detach: hand the text over: a malloc'd NUL-terminated string (free with free();
 * a secret buffer's with secmem_wipe() first), *len its length (len may be NULL); sb is
 * left empty. NULL when out of memory or after a failed append (the text is then freed).
 */
MNV_MUST_CHECK char *strbuf_detach(struct strbuf *sb, size_t *len) MNV_NONNULL(1);

#endif
